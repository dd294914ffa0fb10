/**
 * The part of the widget's storage that the launcher needs before the window chunk is there: the key names, and the two
 * entries that decide what shows first (the view and the unread count). Everything else (the messages, the visitor's
 * record, checking it all, saving) is `persisted.ts`, which comes with the window chunk and restores the rest then.
 */
import { validateUtm } from '../model/utm.js';
import { initialState, type WidgetState, type WidgetView } from './types.js';

/** The part of the Web Storage interface the widget uses; the root element passes `localStorage`. */
export interface StorageLike {
  readonly length: number;
  key(index: number): string | null;
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** Every key the widget writes starts with this, followed by the widget id. */
export const STORAGE_PREFIX = 'jivo-widget';

/** The storage key of `name` (a persisted key, or another record such as the trigger record) under a widget id. */
export function storageKey(namespace: string, name: string): string {
  return `${STORAGE_PREFIX}:${namespace}:${name}`;
}

/** The stored JSON value under `key`, or undefined when there is none, it is not JSON, or storage is refused. */
export function read(storage: StorageLike, key: string): unknown {
  try {
    const raw = storage.getItem(key);
    return raw === null ? undefined : JSON.parse(raw);
  } catch {
    // Storage disabled (privacy settings) or a value that is not ours: behave as if nothing was stored.
    return undefined;
  }
}

/**
 * The keys of the state kept in the browser, one storage entry each (the messages in several, see `persisted.ts`).
 * `queued` comes before `messages`, so that a tab's new message and its id are written (and heard by other tabs) in
 * this order. persisted.ts checks that its table has exactly these keys.
 */
export const PERSISTED_KEYS = [
  'view',
  'queued',
  'messages',
  'unread',
  'draft',
  'invitation',
  'visitorId',
  'visitorNumber',
  'readSeq',
  'invited',
  'offlineMessages',
  'contact',
  'customData',
  'userToken',
  'utm',
  'call',
  'clientAttributes',
  'contactsSkipped',
  'contactsRequest',
] as const satisfies ReadonlyArray<keyof WidgetState>;

/** The keys of the state kept in the browser. */
export type PersistedKey = (typeof PERSISTED_KEYS)[number];

/** The parts of the state kept in the browser, as loaded (a key left out was not stored, or not usable). */
export type SavedState = Partial<Pick<WidgetState, PersistedKey>>;

/** The persisted keys' values in `state`: a fresh state's are the defaults `restore` starts from. */
export function persistedPart(state: WidgetState): Required<SavedState> {
  return Object.fromEntries(PERSISTED_KEYS.map((key) => [key, state[key]])) as Required<SavedState>;
}

/** Only a window that was open or minimized with a chat comes back after a reload; menus and forms do not. */
export const RESTORED_VIEWS: ReadonlySet<unknown> = new Set<WidgetView>(['label', 'chat', 'chat/min']);

const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/**
 * What the launcher restores from storage at once: the view (the window comes back open), the unread count (its
 * badge), and the first visit's utm tags (which `getUtm` answers from before the rest is restored). `persisted.ts`
 * checks them again with the rest when the window chunk restores everything.
 */
export function loadLauncherState(storage: StorageLike, namespace: string): SavedState {
  const view = read(storage, storageKey(namespace, 'view'));
  const unread = read(storage, storageKey(namespace, 'unread'));
  const utm = validateUtm(read(storage, storageKey(namespace, 'utm')));
  return {
    ...(RESTORED_VIEWS.has(view) && { view: view as WidgetView }),
    ...(isCount(unread) && { unread }),
    ...(utm.ok && { utm: utm.value }),
  };
}

/** Writes `value` as JSON under `key`; a full or refused storage keeps nothing, silently. */
export function write(storage: StorageLike, key: string, value: unknown): void {
  try {
    storage.setItem(key, JSON.stringify(value));
  } catch {
    // Quota exceeded or storage disabled: the widget works on without it.
  }
}

/**
 * Replaces everything kept in the browser with what was restored: what `saved` lacks starts fresh (a widget id with
 * nothing stored is a new visitor, whose id the backend's welcome gives, not a copy of the previous one). Of the
 * messages the backend has not numbered, only those a tab queued are the visitor's (see `WidgetState.queued`).
 */
export function restore(s: WidgetState, saved: SavedState): WidgetState {
  const fresh = initialState(s.locale);
  const messages = saved.messages ?? [];
  // Stored by a version that kept no queue: its unsent messages were all the widget's own.
  const queued = saved.queued ?? (saved.visitorId ? messages.filter((m) => m.seq === undefined).map((m) => m.id) : []);
  // What the backend says about call backs holds for the connection it came on: unknown until the next welcome.
  return {
    ...s,
    ...persistedPart(fresh),
    ...saved,
    messages: messages.filter((m) => m.seq !== undefined || queued.includes(m.id)),
    queued,
    openedBy: null,
    agent: null,
    agentTyping: false,
    callbackEnabled: null,
    hidden: false,
    offlineFormOpen: false,
  };
}
