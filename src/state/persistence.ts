import { Subscription } from 'rxjs';
import { skip } from 'rxjs/operators';
import { LIMITS } from '../model/limits.js';
import { isId, isObj as isObject, isSeq as isCount, isTime } from '../model/guards.js';
import { CALL_STATUSES, UTM_KEYS, type ClientAttributes } from '../model/types.js';
import { validateClientAttributes, validateCustomData } from '../model/validate.js';
import type { WidgetStore } from './store.js';
import type { CallRequest, ChatMessage, Invitation, OfflineMessage, WidgetState, WidgetView } from './types.js';

/** The part of the Web Storage interface the widget uses; the root element passes `localStorage`. */
export interface StorageLike {
  readonly length: number;
  key(index: number): string | null;
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** What the widget keeps in the browser, one storage key each, so typing a draft does not rewrite the history. */
const KEYS = [
  'view',
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
] as const;
type PersistedKey = (typeof KEYS)[number];
export type PersistedState = Partial<Pick<WidgetState, PersistedKey>>;

/** Every key the widget writes starts with this, followed by the widget id. */
export const STORAGE_PREFIX = 'jivo-widget';

function storageKey(namespace: string, key: PersistedKey): string {
  return `${STORAGE_PREFIX}:${namespace}:${key}`;
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

function isMessage(v: unknown): v is ChatMessage {
  return (
    isObject(v) &&
    isString(v.id) &&
    (v.from === 'visitor' || v.from === 'agent') &&
    isString(v.text) &&
    isTime(v.at) &&
    (v.status === undefined || v.status === 'pending' || v.status === 'sent' || v.status === 'failed') &&
    (v.agentName === undefined || isString(v.agentName)) &&
    (v.seq === undefined || isCount(v.seq))
  );
}

const isStatus = (v: unknown) => v === 'pending' || v === 'sent' || v === 'failed';

function isOfflineMessage(v: unknown): v is OfflineMessage {
  return (
    isObject(v) &&
    isString(v.id) &&
    ['name', 'email', 'phone', 'description', 'message'].every((k) => isString(v[k])) &&
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

/** How a view is saved: the callback form over the chat as the chat, a menu or the callback form alone as closed. */
const savedView = (view: unknown) => (view === 'chat/call' ? 'chat' : RESTORED_VIEWS.has(view) ? view : 'label');

/** Reads what an earlier page stored for this widget id. Anything malformed is ignored, never thrown. */
export function loadPersisted(storage: StorageLike, namespace: string): PersistedState {
  const saved: { -readonly [K in keyof PersistedState]: PersistedState[K] } = {};
  const view = read(storage, storageKey(namespace, 'view'));
  if (RESTORED_VIEWS.has(view)) saved.view = view as WidgetView;
  const messages = read(storage, storageKey(namespace, 'messages'));
  if (Array.isArray(messages)) saved.messages = messages.filter(isMessage);
  const unread = read(storage, storageKey(namespace, 'unread'));
  if (isCount(unread)) saved.unread = unread;
  const visitorId = read(storage, storageKey(namespace, 'visitorId'));
  if (isString(visitorId) && /^[\w-]{1,64}$/.test(visitorId)) saved.visitorId = visitorId;
  const visitorNumber = read(storage, storageKey(namespace, 'visitorNumber'));
  if (visitorNumber === null || isCount(visitorNumber)) saved.visitorNumber = visitorNumber;
  const readSeq = read(storage, storageKey(namespace, 'readSeq'));
  if (isCount(readSeq)) saved.readSeq = readSeq;
  const invited = read(storage, storageKey(namespace, 'invited'));
  if (typeof invited === 'boolean') saved.invited = invited;
  const offline = read(storage, storageKey(namespace, 'offlineMessages'));
  if (Array.isArray(offline)) saved.offlineMessages = offline.filter(isOfflineMessage);
  const contact = read(storage, storageKey(namespace, 'contact'));
  if (isObject(contact) && isString(contact.name) && isString(contact.email) && isString(contact.phone)) {
    saved.contact = {
      name: contact.name,
      email: contact.email,
      phone: contact.phone,
      description: isString(contact.description) ? contact.description : '',
    };
  }
  const custom = validateCustomData(read(storage, storageKey(namespace, 'customData')));
  if (custom.ok) saved.customData = custom.value;
  const userToken = read(storage, storageKey(namespace, 'userToken'));
  if (isString(userToken) && userToken.length <= LIMITS.userToken) saved.userToken = userToken;
  const utm = read(storage, storageKey(namespace, 'utm'));
  if (utm === null) saved.utm = null;
  else if (isObject(utm) && UTM_KEYS.every((key) => isString(utm[key]))) {
    saved.utm = {
      source: utm.source as string,
      medium: utm.medium as string,
      campaign: utm.campaign as string,
      content: utm.content as string,
      term: utm.term as string,
    };
  }
  const attributes = read(storage, storageKey(namespace, 'clientAttributes'));
  const checked = validateClientAttributes(attributes);
  if (attributes === null) saved.clientAttributes = null;
  else if (checked.ok) saved.clientAttributes = Object.fromEntries(checked.value) as ClientAttributes;
  const skipped = read(storage, storageKey(namespace, 'contactsSkipped'));
  if (typeof skipped === 'boolean') saved.contactsSkipped = skipped;
  const request = read(storage, storageKey(namespace, 'contactsRequest'));
  if (request === null) saved.contactsRequest = null;
  else if (
    isObject(request) &&
    isId(request.id) &&
    (request.state === 'pending' || request.state === 'given' || request.state === 'declined')
  ) {
    saved.contactsRequest = { id: request.id, state: request.state };
  }
  const draft = read(storage, storageKey(namespace, 'draft'));
  if (isString(draft)) saved.draft = draft;
  const invitation = read(storage, storageKey(namespace, 'invitation'));
  if (invitation === null || isInvitation(invitation)) saved.invitation = invitation;
  const call = read(storage, storageKey(namespace, 'call'));
  if (call === null || isCall(call)) saved.call = call;
  if (saved.view === 'chat/min' && !saved.messages?.length) saved.view = 'label';
  return saved;
}

/**
 * Writes each kept part of the state whenever it changes, until unsubscribed. What `saved` (the last load) already
 * holds is not rewritten at the start; anything it lacks (a new visitor's id) is written at once.
 */
export function persistChanges(
  store: WidgetStore,
  storage: StorageLike,
  namespace: string,
  saved: PersistedState = {},
): Subscription {
  const subscription = new Subscription();
  for (const key of KEYS) {
    subscription.add(
      store
        .select((s) => s[key])
        .pipe(skip(key in saved ? 1 : 0))
        .subscribe((value) => {
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
  const prefix = `${STORAGE_PREFIX}:${namespace}:`;
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
 * After `clearHistory()`: removes everything stored under this widget id, then keeps saving, starting with nothing but
 * the new visitor's id, so that what the new visitor does next is saved under the right id.
 */
export function persistFreshVisitor(store: WidgetStore, storage: StorageLike, namespace: string): Subscription {
  clearPersisted(storage, namespace);
  const unchanged = Object.fromEntries(KEYS.filter((key) => key !== 'visitorId').map((key) => [key, undefined]));
  return persistChanges(store, storage, namespace, unchanged);
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
  const key = `${STORAGE_PREFIX}:${namespace}:${name}`;
  const stored = read(storage, key);
  // Calls within the window; a time from the future (the clock was set back) no longer counts.
  const calls = (Array.isArray(stored) ? stored : [])
    .filter((t): t is number => isTime(t) && t <= now && now - t < windowMs)
    .sort((a, b) => a - b);
  if (calls.length >= limit) return calls[calls.length - limit] + windowMs - now;
  write(storage, key, [...calls, now]);
  return 0;
}
