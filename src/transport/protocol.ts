/**
 * The JSON protocol between the widget and a chat backend, and between the agent console and the reference backend.
 * docs/protocol.md describes it with examples; frames.ts parses frames against it. Both are plain TypeScript (no DOM,
 * no Node), so the widget, the reference backend and the agent console share one definition and one validator.
 *
 * Every frame is one JSON object with a `type`. Visitor messages carry a client-generated `id`, so a resent message is
 * stored once; every stored message gets a per-visitor sequence number `seq`, and a reconnecting widget says the last
 * `seq` it has (`after`) to receive what it missed.
 */

export const PROTOCOL_VERSION = 1;

/** Limits every party enforces. A frame over its byte limit is rejected before it is parsed. */
export const LIMITS = {
  /** Frames from a widget (or an agent console). */
  frameBytes: 16_384,
  /** Frames from the backend: a welcome may carry a long history. */
  backendFrameBytes: 8_388_608,
  id: 64,
  text: 4000,
  name: 100,
  email: 254,
  phone: 32,
  description: 1000,
  url: 2048,
  title: 300,
  widgetId: 64,
  department: 64,
  userToken: 256,
  customFields: 10,
  customField: 1000,
  utm: 300,
  /** Why a call failed, as an agent tells it. */
  reason: 200,
  /** Client attributes (`setClientAttributes`): at most this many, each key and string value at most so long. */
  clientAttributes: 20,
  attributeKey: 64,
  attributeValue: 255,
  /** `setClientAttributes` changes per visitor in any `clientAttributeWindowMs` (the widget counts calls, the backend changes). */
  clientAttributeCalls: 10,
  clientAttributeWindowMs: 3_600_000,
} as const;

/** A client attribute's value; `null` in a `setClientAttributes` call deletes the attribute. */
export type ClientAttributeValue = string | number | boolean;
/** The visitor's client attributes, whole, in the order they were first set. */
export type ClientAttributes = Record<string, ClientAttributeValue>;

export interface WireMessage {
  /** Client-generated for visitor messages, server-generated for agent messages. */
  id: string;
  seq: number;
  from: 'visitor' | 'agent';
  text: string;
  /** Milliseconds since the epoch, the server's clock. */
  at: number;
  agentName?: string;
}

export interface PageInfo {
  url: string;
  title: string;
}

/** What the visitor or the site told about the visitor (`setContactInfo`, the contact form); '' where unknown. */
export interface ContactFields {
  name: string;
  email: string;
  phone: string;
  description: string;
}

/** One line of `setCustomData`: shown to agents in the given order; `link` only if http or https. */
export interface CustomField {
  content: string;
  title?: string;
  link?: string;
  key?: string;
}

/** The utm_* tags of the visitor's first visit. */
export interface Utm {
  source: string;
  medium: string;
  campaign: string;
  content: string;
  term: string;
}

/**
 * A call-back request as the backend reports it: `requested` (stored, an agent will call), `connected` (the agent
 * reached the visitor), then `finished`, or `failed` (with a `reason`) instead of either.
 */
export type CallStatus = 'requested' | 'connected' | 'finished' | 'failed';

export interface WireCall {
  /** The widget's id for the request, so that a resent request is stored once. */
  id: string;
  /** Normalised: an optional `+` and 7-15 digits. */
  phone: string;
  status: CallStatus;
  /** Failed calls only. */
  reason?: string;
  /** When the backend stored the request, its clock. */
  at: number;
}

export interface OfflineMessageFields {
  name: string;
  email: string;
  phone: string;
  description: string;
  message: string;
}

// --- widget → backend ---

export type VisitorFrame =
  | {
      type: 'hello';
      v: number;
      widgetId: string;
      /** Random, generated and kept by the widget; it is the visitor's bearer secret. */
      visitorId: string;
      /** The highest `seq` the widget already has (0 for none). */
      after: number;
      page: PageInfo;
      department: string | null;
      lang: string;
    }
  | { type: 'message'; id: string; text: string }
  | { type: 'typing'; typing: boolean }
  | { type: 'read'; seq: number }
  | { type: 'page'; page: PageInfo }
  /** The department the chat is routed to changed (the attribute, or an invitation for a department). */
  | { type: 'department'; department: string | null }
  | ({ type: 'offline_message'; id: string } & OfflineMessageFields)
  /** The visitor's contact details, whole (each send replaces the last). */
  | ({ type: 'contact' } & ContactFields)
  /** The site's extra data about the visitor, whole (replaces the last). */
  | { type: 'custom_data'; fields: CustomField[] }
  /** The site's own id for the visitor: never shown to agents, carried as `user_token` in backend events. */
  | { type: 'user_token'; token: string }
  /** The utm tags of the visitor's first visit. */
  | { type: 'utm'; utm: Utm }
  /** Asks to be called back on `phone` (normalised); `id` makes a resend harmless. */
  | { type: 'call_request'; id: string; phone: string }
  /** The site's client attributes (`setClientAttributes`), whole (replaces the last). */
  | { type: 'client_attributes'; attributes: ClientAttributes }
  /** The visitor's answer to the agent's request `request`: `given` (the contact frame before it carries them) or declined. */
  | { type: 'contacts_answer'; request: string; given: boolean };

// --- backend → widget ---

export type ChatModeWire = 'online' | 'offline';

export type BackendFrame =
  | {
      type: 'welcome';
      visitorNumber: number;
      chatMode: ChatModeWire;
      agent: { name: string } | null;
      /** Messages with `seq` above the hello's `after`, oldest first. */
      messages: WireMessage[];
      /** The highest agent-message `seq` the visitor has read (in any tab). */
      readSeq: number;
      /** Whether the visitor may ask for a call back now; a backend that leaves it out offers none. */
      callbackEnabled?: boolean;
      /** The visitor's latest call-back request, if any (so a reload or another tab follows it). */
      call?: WireCall | null;
      /** The id of an agent's request for the visitor's contacts still unanswered; absent or null when there is none. */
      contactsRequest?: string | null;
    }
  | { type: 'ack'; id: string; seq: number; at: number }
  | { type: 'message'; message: WireMessage }
  | { type: 'typing'; typing: boolean }
  | { type: 'read'; seq: number }
  | { type: 'chat_mode'; chatMode: ChatModeWire }
  | { type: 'agent'; agent: { name: string } | null }
  /** Call backs became available or unavailable. */
  | { type: 'callback'; enabled: boolean }
  /** A call-back request was stored or changed status (to every socket of the visitor; a resend's answer to its sender). */
  | { type: 'call'; call: WireCall }
  /** An agent asks for the visitor's contacts (`request` is its id), or (null) no request is pending any more. */
  | { type: 'contacts_request'; request: string | null }
  | { type: 'error'; code: ErrorCode; message: string; id?: string };

export type ErrorCode =
  | 'bad_frame'
  | 'too_large'
  | 'rate_limited'
  | 'invalid_field'
  | 'not_ready'
  | 'unknown_visitor'
  | 'callback_disabled'
  | 'call_in_progress';

// --- validation ---

export type Parsed<T> = { ok: true; frame: T } | { ok: false; code: ErrorCode; message: string; id?: string };

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const isStr = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;
/** 1-64 letters, digits, `_` or `-`: message and visitor ids. */
export const isId = (v: unknown): v is string => isStr(v, LIMITS.id) && /^[\w-]{1,64}$/.test(v);
export const isSeq = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
/** A time a Date can hold (±8.64e15 ms), so rendering or storing it cannot fail. */
export const isTime = (v: unknown): v is number =>
  typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= 8.64e15;
/** UTF-8 size of a string without allocating it (the frame limit counts bytes, as the socket does). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      // A surrogate pair: one 4-byte character. A lone surrogate is encoded as U+FFFD, 3 bytes, like any other unit.
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** Null when the contact fields are acceptable (strings within limits, a well-formed email and phone if given). */
export function checkContactFields(v: Obj): { field: keyof ContactFields; error: string } | null {
  const limits: Array<[keyof ContactFields, number]> = [
    ['name', LIMITS.name],
    ['email', LIMITS.email],
    ['phone', LIMITS.phone],
    ['description', LIMITS.description],
  ];
  for (const [field, max] of limits) {
    const value = v[field];
    if (value !== undefined && value !== null && typeof value !== 'string')
      return { field, error: `${field} must be a string` };
    if (typeof value === 'string' && value.length > max)
      return { field, error: `${field} is longer than ${max} characters` };
  }
  const email = typeof v.email === 'string' ? v.email.trim() : '';
  const phone = typeof v.phone === 'string' ? v.phone.trim() : '';
  if (email && !EMAIL.test(email)) return { field: 'email', error: 'email is not a valid address' };
  if (phone && !PHONE.test(phone)) return { field: 'phone', error: 'phone is not a valid number' };
  return null;
}

/**
 * Validates `setCustomData` fields: an array of at most LIMITS.customFields objects whose `content`, `title`, `link`
 * and `key` are strings. Returns the normalised fields (a link that is not http or https is dropped, the rest of its
 * field kept) or an error.
 */
export function checkCustomData(v: unknown): { fields: CustomField[] } | { error: string } {
  if (!Array.isArray(v)) return { error: 'fields must be an array' };
  if (v.length > LIMITS.customFields) return { error: `at most ${LIMITS.customFields} fields` };
  const fields: CustomField[] = [];
  for (const [i, item] of v.entries()) {
    if (!isObj(item)) return { error: `field ${i} must be an object` };
    for (const key of ['content', 'title', 'link', 'key']) {
      const value = item[key];
      if (value !== undefined && value !== null && !isStr(value, LIMITS.customField)) {
        return { error: `field ${i}: ${key} must be a string of at most ${LIMITS.customField} characters` };
      }
    }
    const field: CustomField = { content: typeof item.content === 'string' ? item.content : '' };
    if (typeof item.title === 'string' && item.title) field.title = item.title;
    if (typeof item.key === 'string' && item.key) field.key = item.key;
    if (typeof item.link === 'string' && isHttpUrl(item.link)) field.link = item.link;
    if (!field.content && !field.title) return { error: `field ${i} has neither content nor title` };
    fields.push(field);
  }
  // The whole list travels in one frame: it must fit, with room for the frame around it.
  if (utf8Length(JSON.stringify(fields)) > LIMITS.frameBytes - 256)
    return { error: `the fields take more than ${LIMITS.frameBytes - 256} bytes` };
  return { fields };
}

/** An absolute http or https URL (no relative links: the agent's console is on another origin). */
export function isHttpUrl(v: string): boolean {
  try {
    const url = new URL(v);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

export const UTM_KEYS = ['source', 'medium', 'campaign', 'content', 'term'] as const;

/** Null when `v` is text worth sending (not blank, within the limit), else what is wrong. The text is not changed. */
export function checkText(v: unknown): string | null {
  if (typeof v !== 'string') return 'text must be a string';
  if (!v.trim()) return 'text is empty';
  if (v.length > LIMITS.text) return `text is longer than ${LIMITS.text} characters`;
  return null;
}

/**
 * A phone number to call back, normalised: spaces, dashes, dots and parentheses are dropped, and what is left must be
 * an optional `+` and 7-15 digits (E.164's length). Null when it is not such a number (or longer than LIMITS.phone).
 */
export function normalizePhone(v: unknown): string | null {
  if (typeof v !== 'string' || v.length > LIMITS.phone) return null;
  const phone = v.replace(/[\s().-]/g, '');
  return /^\+?\d{7,15}$/.test(phone) ? phone : null;
}

export const CALL_STATUSES: readonly CallStatus[] = ['requested', 'connected', 'finished', 'failed'];

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]{2,}$/;
const PHONE = /^\+?[\d\s().-]{5,32}$/;

/**
 * Validates the fields of an offline message as `sendOfflineMessage` documents them: a message, and an email or a
 * phone so the site can answer. Returns the first problem as `{field, error}`, or null when all is well.
 */
export type FieldProblem = 'type' | 'too_long' | 'required' | 'invalid' | 'contact_required';

/** Each offline-message field and its longest length. */
export const OFFLINE_FIELD_LIMITS: ReadonlyArray<[keyof OfflineMessageFields, number]> = [
  ['name', LIMITS.name],
  ['email', LIMITS.email],
  ['phone', LIMITS.phone],
  ['description', LIMITS.description],
  ['message', LIMITS.text],
];

export function checkOfflineFields(
  v: Obj,
): { field: keyof OfflineMessageFields; code: FieldProblem; error: string } | null {
  for (const [field, max] of OFFLINE_FIELD_LIMITS) {
    const value = v[field];
    if (value !== undefined && value !== null && typeof value !== 'string')
      return { field, code: 'type', error: `${field} must be a string` };
    if (typeof value === 'string' && value.length > max)
      return { field, code: 'too_long', error: `${field} is longer than ${max} characters` };
  }
  const str = (field: keyof OfflineMessageFields) => (typeof v[field] === 'string' ? (v[field] as string).trim() : '');
  if (!str('message')) return { field: 'message', code: 'required', error: 'message is required' };
  if (str('email') && !EMAIL.test(str('email')))
    return { field: 'email', code: 'invalid', error: 'email is not a valid address' };
  if (str('phone') && !PHONE.test(str('phone')))
    return { field: 'phone', code: 'invalid', error: 'phone is not a valid number' };
  if (!str('email') && !str('phone'))
    return { field: 'email', code: 'contact_required', error: 'an email or a phone is required to answer' };
  return null;
}

/**
 * Validates the contacts form: a `name`, and an `email` or a `phone`, each within its limit and well-formed (the rules
 * of the offline form and `setContactInfo`). Returns the first problem, or null.
 */
export function checkContactForm(v: {
  name: string;
  email: string;
  phone: string;
}): { field: 'name' | 'email' | 'phone'; code: FieldProblem } | null {
  const problem = checkOfflineFields({ ...v, message: '-' }) as {
    field: 'name' | 'email' | 'phone';
    code: FieldProblem;
  } | null;
  return problem?.code !== 'too_long' && !v.name.trim()
    ? { field: 'name', code: 'required' }
    : problem && { field: problem.field, code: problem.code };
}

/**
 * Validates client attributes: a plain object of at most LIMITS.clientAttributes keys (1-64 characters, not blank) whose
 * values are strings of at most 255 characters, finite numbers or booleans, and (with `allowNull`, for a call that
 * deletes) null. The whole set must fit a frame. Returns them as entries, in order, or what is wrong. Never throws.
 */
export function checkClientAttributes(
  v: unknown,
  allowNull = false,
): { entries: Array<[string, ClientAttributeValue | null]> } | { error: string } {
  try {
    // A plain object of any realm (an iframe's too): its prototype is an Object.prototype, or none.
    const proto: unknown = isObj(v) && Object.getPrototypeOf(v);
    if (proto !== null && (!proto || Object.getPrototypeOf(proto) !== null)) {
      return { error: 'attributes must be a plain object such as {plan: "gold"}' };
    }
    const entries = Object.entries(v as Obj);
    if (entries.length > LIMITS.clientAttributes) return { error: `at most ${LIMITS.clientAttributes} attributes` };
    for (const [key, value] of entries) {
      if (!key.trim() || key.length > LIMITS.attributeKey)
        return { error: `attribute names are 1-${LIMITS.attributeKey} characters, not blank` };
      const ok =
        (typeof value === 'string' && value.length <= LIMITS.attributeValue) ||
        (typeof value === 'number' && Number.isFinite(value)) ||
        typeof value === 'boolean' ||
        (allowNull && value === null);
      if (!ok)
        return {
          error: `attribute ${JSON.stringify(key)} must be a string of at most ${LIMITS.attributeValue} characters, a finite number or a boolean${allowNull ? ' (null deletes)' : ''}`,
        };
    }
    if (utf8Length(JSON.stringify(v)) > LIMITS.frameBytes - 256)
      return { error: `the attributes take more than ${LIMITS.frameBytes - 256} bytes` };
    return { entries: entries as Array<[string, ClientAttributeValue | null]> };
  } catch {
    return { error: 'attributes could not be read' };
  }
}
