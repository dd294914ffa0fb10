import { Subscription, type Observable } from 'rxjs';
import { skip } from 'rxjs/operators';
import { LIMITS, OFFLINE_FIELD_LIMITS } from '../model/limits.js';
import { isId, isObj as isObject, isSeq as isCount, isStr, isTime } from '../model/guards.js';
import { CALL_STATUSES, type ClientAttributes } from '../model/types.js';
import { utmOf, validateClientAttributes, validateCustomData, validateUtm, type Result } from '../model/validate.js';
import {
  PERSISTED_KEYS,
  persistedPart,
  read,
  RESTORED_VIEWS,
  storageKey,
  type PersistedKey,
  type SavedState,
  type StorageLike,
} from './stored.js';
import {
  initialState,
  type CallRequest,
  type ChatMessage,
  type Invitation,
  type OfflineMessage,
  type WidgetState,
  type WidgetView,
} from './types.js';

export { persistedPart, STORAGE_PREFIX, storageKey } from './stored.js';
export type { PersistedKey, SavedState, StorageLike } from './stored.js';

/** What saving needs of the store: its `select`. */
interface Selectable {
  select<T>(selector: (state: WidgetState) => T): Observable<T>;
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

// The table and the launcher's list of keys (stored.ts) name the same keys.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameKeys: Same<keyof typeof PERSISTED, PersistedKey> = true;
void sameKeys;

const KEYS = PERSISTED_KEYS;

/** The checked value of one stored entry (`raw` as stored, JSON), as a state patch; null when it is not usable. */
function parseEntry(key: PersistedKey, raw: unknown): SavedState | null {
  const value = (PERSISTED[key] as (stored: unknown) => unknown)(raw);
  return value === undefined ? null : ({ [key]: value } as SavedState);
}

/**
 * The messages are stored in segments of this many, under `messages`, `messages.1`, `messages.2`, …: a new message, or
 * a change to one, rewrites only its segment, so a burst of messages costs the same storage work per message however
 * long the history is (a single entry would be rewritten whole each time).
 */
export const MESSAGE_SEGMENT = 100;

/** The name of the messages' segment `index`; the first keeps the plain name that earlier versions wrote. */
export const segmentName = (index: number): string => (index === 0 ? 'messages' : `messages.${index}`);

/** The stored messages, segment after segment, as stored (checked by the caller); not an array when none usable. */
function readMessages(storage: StorageLike, namespace: string): unknown {
  const first = read(storage, storageKey(namespace, 'messages'));
  if (!Array.isArray(first)) return first;
  const all: unknown[] = [...first];
  for (let index = 1; ; index++) {
    const segment = read(storage, storageKey(namespace, segmentName(index)));
    if (!Array.isArray(segment)) return all;
    all.push(...segment);
  }
}

/** How many segments of messages are stored. */
function storedSegments(storage: StorageLike, namespace: string): number {
  let count = 0;
  try {
    while (storage.getItem(storageKey(namespace, segmentName(count))) !== null) count++;
  } catch {
    // Storage disabled: nothing stored.
  }
  return count;
}

/** Reads what an earlier page stored for this widget id. Anything malformed is ignored, never thrown. */
export function loadPersisted(storage: StorageLike, namespace: string): SavedState {
  let saved: SavedState = {};
  for (const key of KEYS) {
    const raw = key === 'messages' ? readMessages(storage, namespace) : read(storage, storageKey(namespace, key));
    saved = { ...saved, ...parseEntry(key, raw) };
  }
  if (saved.view === 'chat/min' && !saved.messages?.length) saved = { ...saved, view: 'label' };
  return saved;
}

/**
 * Saves the messages segment by segment: of each new list, only the segments where a message was added, removed or
 * replaced (the store replaces a message it changes) are written, and segments past the end are removed. The first
 * write after a restore writes every segment: the restore may have left out stored entries it could not believe, which
 * must not stay behind (and that is once per page, not per message).
 */
function messageWriter(storage: StorageLike, namespace: string) {
  let written: readonly ChatMessage[] | undefined;
  let segments = storedSegments(storage, namespace);
  return (messages: readonly ChatMessage[]): void => {
    const count = Math.max(1, Math.ceil(messages.length / MESSAGE_SEGMENT));
    for (let index = 0; index < count; index++) {
      const from = index * MESSAGE_SEGMENT;
      const to = Math.min(from + MESSAGE_SEGMENT, messages.length);
      let same = index < segments && !!written && Math.min(from + MESSAGE_SEGMENT, written.length) === to;
      for (let i = from; same && i < to; i++) same = written![i] === messages[i];
      if (!same) write(storage, storageKey(namespace, segmentName(index)), messages.slice(from, to));
    }
    try {
      for (let index = count; index < segments; index++) storage.removeItem(storageKey(namespace, segmentName(index)));
    } catch {
      // Storage disabled: nothing to remove.
    }
    segments = count;
    written = messages;
  };
}

/** Each kept key's value in a fresh state: what loading gives for a key that was never stored. */
let defaults: Required<SavedState> | undefined;

/**
 * Whether `value` is `key`'s default and nothing at all is stored under `name`: loading gives that default anyway, so it
 * needs no writing (and other tabs, which hear of every write, hear of none). Something unusable stored there is
 * written over.
 */
function unstoredDefault(storage: StorageLike, name: string, key: PersistedKey, value: unknown): boolean {
  defaults ??= persistedPart(initialState());
  if (JSON.stringify(value) !== JSON.stringify(defaults[key])) return false;
  try {
    return storage.getItem(name) === null;
  } catch {
    return true;
  }
}

/**
 * Writes each kept part of the state whenever it changes, until unsubscribed. What `saved` (the last load) already
 * holds is not rewritten at the start; anything it lacks (a new visitor's id) is written at once, unless it is the
 * default and nothing is stored under it (a first visit writes only what differs from a fresh state).
 */
export function persistChanges(
  store: Selectable,
  storage: StorageLike,
  namespace: string,
  saved: SavedState = {},
): Subscription {
  const subscription = new Subscription();
  for (const key of KEYS) {
    const name = storageKey(namespace, key);
    // The first value, when the load had none: written unless it is the default and nothing is stored.
    let first = !(key in saved);
    const unneeded = (value: unknown) => first && ((first = false), unstoredDefault(storage, name, key, value));
    if (key === 'messages') {
      const writer = messageWriter(storage, namespace);
      subscription.add(
        store
          .select((s) => s.messages)
          .pipe(skip(key in saved ? 1 : 0))
          .subscribe((messages) => unneeded(messages) || writer(messages)),
      );
      continue;
    }
    subscription.add(
      store
        .select((s) => s[key])
        .pipe(skip(key in saved ? 1 : 0))
        .subscribe((value) => {
          const stored = key === 'view' ? savedView(value as WidgetView) : value;
          // No id yet (a first visit, or just after clearHistory): nothing to write, so that no other tab reads an
          // empty id as this visitor's end.
          if ((key !== 'visitorId' || value) && !unneeded(stored)) write(storage, name, stored);
        }),
    );
  }
  return subscription;
}

/** What restoring needs of the store. */
interface Restorable extends Selectable {
  readonly state: WidgetState;
  restore(saved: SavedState): void;
  setUtm(utm: WidgetState['utm']): void;
}

/**
 * Restores everything this widget id stored and saves the store's changes from then on, until unsubscribed. `early` is
 * the state after the launcher restored its part (`stored.ts`): a key that changed since (the visitor opened the
 * window before the rest of the widget was there) keeps its new value, which is saved.
 */
export function restorePersisted(
  store: Restorable,
  storage: StorageLike,
  namespace: string,
  early?: WidgetState,
): Subscription {
  const saved: SavedState = loadPersisted(storage, namespace);
  const unchanged: SavedState = { ...saved };
  for (const key of early ? KEYS : []) {
    if (store.state[key] === early![key]) continue;
    (saved as Record<string, unknown>)[key] = store.state[key];
    delete unchanged[key];
  }
  store.restore(saved);
  // The first visit's utm tags are kept for good; later visits do not replace them.
  if (!saved.utm) store.setUtm(utmOf(location.href));
  return persistChanges(store, storage, namespace, unchanged);
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
