import { Subscription, type Observable } from 'rxjs';
import { skip } from 'rxjs/operators';
import { LIMITS, OFFLINE_FIELD_LIMITS } from '../model/limits.js';
import { isId, isObj as isObject, isSeq as isCount, isStr, isTime } from '../model/guards.js';
import { CALL_STATUSES, type ClientAttributes } from '../model/types.js';
import { validateClientAttributes, validateCustomData, validateUtm, type Result } from '../model/validate.js';
import type { CallRequest, ChatMessage, Invitation, OfflineMessage, WidgetState, WidgetView } from './types.js';

/** The parts of the state kept in the browser, as loaded (a key left out was not stored, or not usable). */
export type SavedState = Partial<Pick<WidgetState, PersistedKey>>;

/** What saving needs of the store: its `select`. */
interface Selectable {
  select<T>(selector: (state: WidgetState) => T): Observable<T>;
}

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

function read(storage: StorageLike, key: string): unknown {
  try {
    const raw = storage.getItem(key);
    return raw === null ? undefined : JSON.parse(raw);
  } catch {
    // Storage disabled (privacy settings) or a value that is not ours: behave as if nothing was stored.
    return undefined;
  }
}

/** Storages we already warned about: a full or disabled storage fails on every write, so say it once. */
const warned = new WeakSet<StorageLike>();

function write(storage: StorageLike, key: string, value: unknown): void {
  try {
    storage.setItem(key, JSON.stringify(value));
  } catch (error) {
    // Quota exceeded or storage disabled: the widget keeps working from memory.
    if (warned.has(storage)) return;
    warned.add(storage);
    console.warn('jivo-widget: could not save the chat state in the browser', error);
  }
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isStatus = (v: unknown) => v === 'pending' || v === 'sent' || v === 'failed';

function isMessage(v: unknown): v is ChatMessage {
  return (
    isObject(v) &&
    isString(v.id) &&
    // An agent message comes from the backend, which numbers every message it stores.
    (v.from === 'visitor' || (v.from === 'agent' && v.seq !== undefined)) &&
    isString(v.text) &&
    isTime(v.at) &&
    (v.status === undefined || isStatus(v.status)) &&
    (v.agentName === undefined || isString(v.agentName)) &&
    (v.seq === undefined || isCount(v.seq)) &&
    // A file's fields are shown as text; an unknown error shows as 'lost'.
    (v.file === undefined || (isObject(v.file) && isString(v.file.name) && isCount(v.file.size))) &&
    (v.error === undefined || isString(v.error))
  );
}

function isOfflineMessage(v: unknown): v is OfflineMessage {
  return (
    isObject(v) &&
    isString(v.id) &&
    OFFLINE_FIELD_LIMITS.every(([k]) => isString(v[k])) &&
    isTime(v.at) &&
    isStatus(v.status)
  );
}

function isInvitation(v: unknown): v is Invitation {
  return isObject(v) && isString(v.text) && (v.department === null || isString(v.department)) && isTime(v.at);
}

function isCall(v: unknown): v is CallRequest {
  return (
    isObject(v) &&
    isString(v.id) &&
    isString(v.phone) &&
    (v.status === 'pending' || CALL_STATUSES.includes(v.status as never)) &&
    isString(v.reason) &&
    isTime(v.at)
  );
}

/** Only a window that was open or minimized with a chat comes back after a reload; menus and forms do not. */
const RESTORED_VIEWS: ReadonlySet<unknown> = new Set<WidgetView>(['label', 'chat', 'chat/min']);

/** `value` when `ok`, else undefined (left out: the key starts fresh). */
const when = <T>(ok: boolean, value: T): T | undefined => (ok ? value : undefined);
const orNull = <T>(v: unknown, read: (v: unknown) => T | undefined): T | null | undefined =>
  v === null ? null : read(v);

/** How the view is saved: the callback form over the chat as the chat, a menu or the callback form alone as closed. */
const savedView = (view: unknown) => (view === 'chat/call' ? 'chat' : RESTORED_VIEWS.has(view) ? view : 'label');

/** A validator's value, or undefined (left out) when the stored value does not pass. */
const valueOf = <T>(r: Result<T>): T | undefined => (r.ok ? r.value : undefined);

/**
 * What the widget keeps in the browser, one storage key each (so typing a draft does not rewrite the history), and how
 * a stored value is checked: it gives the value to restore (copied down to the known fields), or undefined when it is
 * not usable. A key's default, when nothing usable is stored, is its value in `initialState()`. Restore, load, save
 * and cross-tab sync all go by this table.
 */
const PERSISTED = {
  view: (v) => when(RESTORED_VIEWS.has(v), v as WidgetView),
  // Before `messages`, so that a tab's new message and its id are written (and heard by other tabs) in this order.
  queued: (v) => (Array.isArray(v) ? v.filter(isId) : undefined),
  messages: (v) => (Array.isArray(v) ? v.filter(isMessage) : undefined),
  unread: (v) => when(isCount(v), v as number),
  draft: (v) => when(isString(v), v as string),
  invitation: (v) => orNull(v, (i) => when(isInvitation(i), i as Invitation)),
  visitorId: (v) => when(isId(v), v as string),
  visitorNumber: (v) => orNull(v, (n) => when(isCount(n), n as number)),
  readSeq: (v) => when(isCount(v), v as number),
  invited: (v) => when(typeof v === 'boolean', v as boolean),
  offlineMessages: (v) => (Array.isArray(v) ? v.filter(isOfflineMessage) : undefined),
  contact: (c) =>
    isObject(c) && isString(c.name) && isString(c.email) && isString(c.phone)
      ? { name: c.name, email: c.email, phone: c.phone, description: isString(c.description) ? c.description : '' }
      : undefined,
  customData: (v) => valueOf(validateCustomData(v)),
  userToken: (v) => when(isStr(v, LIMITS.userToken), v as string),
  utm: (v) => orNull(v, (u) => valueOf(validateUtm(u))),
  call: (v) => orNull(v, (c) => when(isCall(c), c as CallRequest)),
  clientAttributes: (v) =>
    orNull(v, (a) => {
      const entries = valueOf(validateClientAttributes(a));
      return entries && (Object.fromEntries(entries) as ClientAttributes);
    }),
  contactsSkipped: (v) => when(typeof v === 'boolean', v as boolean),
  contactsRequest: (v) =>
    orNull(v, (r) =>
      isObject(r) && isId(r.id) && (r.state === 'pending' || r.state === 'given' || r.state === 'declined')
        ? { id: r.id, state: r.state }
        : undefined,
    ),
} satisfies { [K in keyof WidgetState]?: (stored: unknown) => WidgetState[K] | undefined };

/** The keys of the state kept in the browser. */
export type PersistedKey = keyof typeof PERSISTED;

const KEYS = Object.keys(PERSISTED) as PersistedKey[];

/** The persisted keys' values in `state`: a fresh state's are the defaults `restore` starts from. */
export function persistedPart(state: WidgetState): Required<SavedState> {
  return Object.fromEntries(KEYS.map((key) => [key, state[key]])) as Required<SavedState>;
}

/** The checked value of one stored entry (`raw` as stored, JSON), as a state patch; null when it is not usable. */
function parseEntry(key: PersistedKey, raw: unknown): SavedState | null {
  const value = (PERSISTED[key] as (stored: unknown) => unknown)(raw);
  return value === undefined ? null : ({ [key]: value } as SavedState);
}

/** Reads what an earlier page stored for this widget id. Anything malformed is ignored, never thrown. */
export function loadPersisted(storage: StorageLike, namespace: string): SavedState {
  let saved: SavedState = {};
  for (const key of KEYS) saved = { ...saved, ...parseEntry(key, read(storage, storageKey(namespace, key))) };
  if (saved.view === 'chat/min' && !saved.messages?.length) saved = { ...saved, view: 'label' };
  return saved;
}

/**
 * Writes each kept part of the state whenever it changes, until unsubscribed. What `saved` (the last load) already
 * holds is not rewritten at the start; anything it lacks (a new visitor's id) is written at once.
 */
export function persistChanges(
  store: Selectable,
  storage: StorageLike,
  namespace: string,
  saved: SavedState = {},
): Subscription {
  const subscription = new Subscription();
  for (const key of KEYS) {
    subscription.add(
      store
        .select((s) => s[key])
        .pipe(skip(key in saved ? 1 : 0))
        .subscribe((value) => {
          // No id yet (a first visit, or just after clearHistory): nothing to write, so that no other tab reads an
          // empty id as this visitor's end.
          if (key !== 'visitorId' || value)
            write(storage, storageKey(namespace, key), key === 'view' ? savedView(value) : value);
        }),
    );
  }
  return subscription;
}

/**
 * Removes everything stored under this widget id: the keys this version writes and any other key in its namespace
 * (from another version, or added later), so that `clearHistory()` on logout leaves nothing of the visitor behind.
 */
export function clearPersisted(storage: StorageLike, namespace: string): void {
  const prefix = storageKey(namespace, '');
  try {
    const keys: string[] = [];
    for (let i = 0; i < storage.length; i++) {
      const key = storage.key(i);
      if (key?.startsWith(prefix)) keys.push(key);
    }
    for (const key of keys) storage.removeItem(key);
  } catch {
    // Storage disabled: nothing was stored.
  }
}

/**
 * After `clearHistory()`: removes everything stored under this widget id, then keeps saving what the new visitor does
 * next, starting with the id the backend issues it.
 */
export function persistFreshVisitor(store: Selectable, storage: StorageLike, namespace: string): Subscription {
  clearPersisted(storage, namespace);
  return persistChanges(store, storage, namespace, Object.fromEntries(KEYS.map((key) => [key, undefined])));
}

/**
 * Counts calls of a rate-limited method (`setClientAttributes`) under this widget id, in storage so that every tab and
 * page of the site shares one count (and `clearHistory()` resets it). Spends one of `limit` calls per `windowMs` and
 * returns 0, or returns how many ms until a call is free again (spending nothing).
 */
export function takeCall(
  storage: StorageLike,
  namespace: string,
  name: string,
  limit: number,
  windowMs: number,
  now = Date.now(),
): number {
  const key = storageKey(namespace, name);
  const stored = read(storage, key);
  // Calls within the window; a time from the future (the clock was set back) no longer counts.
  const calls = (Array.isArray(stored) ? stored : [])
    .filter((t): t is number => isTime(t) && t <= now && now - t < windowMs)
    .sort((a, b) => a - b);
  if (calls.length >= limit) return calls[calls.length - limit] + windowMs - now;
  write(storage, key, [...calls, now]);
  return 0;
}
