/**
 * The JSON protocol between the agent console and the reference backend (`/ws/agent`). docs/protocol.md describes it
 * with an example of every frame. Plain TypeScript (no DOM, no Node): the backend and the console share these types and
 * validators, and each side checks every frame it receives.
 *
 * In this protocol `visitorId` is the backend's public id for a visitor (`v-…`), never the widget's own visitorId, which
 * is the visitor's bearer secret and stays on the server.
 */
import { isId, isObj, isSeq, isStr, isTime, type Obj } from '../src/model/guards.js';
import { CONTACT_FIELD_LIMITS, OFFLINE_FIELD_LIMITS, LIMITS } from '../src/model/limits.js';
import {
  validateClientAttributes,
  validateCustomData,
  validatePhone,
  validateText,
  validateUtm,
} from '../src/model/validate.js';
import { validatePage } from '../src/model/page.js';
import { checkComment, isRate, type ChatRating } from '../src/model/rating.js';
import { checkPhotoUrl } from '../src/model/site-profile.js';
import { PROTOCOL_VERSION, type ChatModeWire, type ErrorCode, type WireMessage } from '../src/transport/protocol.js';
import {
  CALL_STATUSES,
  type CallStatus,
  type ClientAttributes,
  type ContactFields,
  type CustomField,
  type OfflineMessageFields,
  type PageInfo,
  type Utm,
} from '../src/model/types.js';
import { parseWireMessage, parseJson } from '../src/transport/frames.js';
import {
  parsePrechatRecord,
  validateReplies,
  validateSiteSettings,
  type PrechatRecord,
  type SiteSettings,
} from '../src/model/site-settings.js';

export { parseWireMessage };

export const AGENT_PROTOCOL_VERSION = PROTOCOL_VERSION;

/**
 * Frames from the backend to a console: the welcome and the replies to `older_*` requests are pages bounded in count
 * and bytes (a few MiB at most, docs/protocol.md), so this leaves them ample room.
 */
export const AGENT_SERVER_FRAME_BYTES = 16 * 1024 * 1024;

/**
 * The widget's codes, plus `taken` (another online agent has the chat), `offline` (go online first), `unknown_call`
 * (no call of this visitor has the id) and `invalid_transition` (the call cannot move to that status from its own).
 */
export type AgentErrorCode =
  | ErrorCode
  | 'taken'
  | 'offline'
  | 'unknown_call'
  | 'invalid_transition'
  /** The frame needs an admin's account. */
  | 'forbidden';

export type AgentParsed<T> = { ok: true; frame: T } | { ok: false; code: AgentErrorCode; message: string; id?: string };

// --- console → backend ---

export type AgentFrame =
  /**
   * First frame. `online` (default false) restores the status after a reconnect without a second frame. Who the agent
   * is comes from the session the socket was opened with; a `name` here is accepted and ignored (older consoles).
   */
  | { type: 'hello'; v: number; online?: boolean; name?: string }
  | { type: 'status'; online: boolean }
  /** Sets (an https URL) or removes (null) this agent's photo, which visitors see beside the agent's name. */
  | { type: 'profile'; photo: string | null }
  /** Takes the chat: the visitor sees the agent's name, other consoles see it as taken. */
  | { type: 'accept'; visitorId: string }
  /** Ends the chat this agent has (a `chat_finished` webhook with its messages); the visitor's next message starts a new one. */
  | { type: 'finish'; visitorId: string }
  /** `id` is the console's own id for the message: a resend with a known id is acked again, not stored twice. */
  | { type: 'message'; visitorId: string; id: string; text: string; replies?: string[] }
  | { type: 'typing'; visitorId: string; typing: boolean }
  /** The agents have seen the visitor's messages up to `seq`: clears the chat's unread count in every console. */
  | { type: 'read'; visitorId: string; seq: number }
  /** Moves the visitor's call-back request `id` on (see CALL_NEXT); `reason` says why a call failed. */
  | { type: 'call_status'; visitorId: string; id: string; status: Exclude<CallStatus, 'requested'>; reason?: string }
  /** Asks the visitor for contact details: the widget shows its contacts form until the visitor answers. */
  | { type: 'request_contacts'; visitorId: string }
  /** Admins only: deletes the visitor and everything about it (a data subject's request to be forgotten). */
  | { type: 'erase_visitor'; visitorId: string }
  /** Admins only: replaces a site's business hours and pre-chat form; `id` is echoed in the reply. */
  | { type: 'site_settings'; id: string; widgetId: string; settings: SiteSettings }
  | OlderRequest;

/**
 * Requests for what a welcome left out, each answered by a frame of the same type and `id` (docs/protocol.md,
 * "Pages"). `limit` is capped by the backend; `cursor` is one the backend gave (null: from the newest).
 */
export type OlderRequest =
  /** The visitor's messages with `seq < before`, the newest `limit` of them. */
  | { type: 'older_messages'; id: string; visitorId: string; before: number; limit?: number }
  /** Visitors by last activity, after `cursor`; only the active ones with `active`. */
  | { type: 'older_visitors'; id: string; cursor: string | null; limit?: number; active?: boolean }
  | { type: 'older_offline_messages'; id: string; cursor: string | null; limit?: number }
  /** Call-back requests by request time, after `cursor`; only the open ones (requested, connected) with `open`. */
  | { type: 'older_calls'; id: string; cursor: string | null; limit?: number; open?: boolean };

export const OLDER_REQUESTS: ReadonlySet<string> = new Set<OlderRequest['type']>([
  'older_messages',
  'older_visitors',
  'older_offline_messages',
  'older_calls',
]);

export const isOlderRequest = (frame: AgentFrame): frame is OlderRequest => OLDER_REQUESTS.has(frame.type);

/** Where each of the welcome's lists goes on (the cursor for its `older_*` request), or null when it was whole. */
export interface WelcomeCursors {
  /** Visitors older than the welcome's recent page (`older_visitors`). */
  visitors: string | null;
  /** Active visitors beyond the welcome's cap (`older_visitors` with `active`). */
  activeVisitors: string | null;
  offlineMessages: string | null;
  /** Calls older than the welcome's newest page (`older_calls`). */
  calls: string | null;
  /** Open calls beyond the welcome's cap (`older_calls` with `open`). */
  openCalls: string | null;
}

export const NO_CURSORS: WelcomeCursors = Object.freeze({
  visitors: null,
  activeVisitors: null,
  offlineMessages: null,
  calls: null,
  openCalls: null,
});

/** A cursor as the wire carries it: 1-200 printable ASCII characters, no spaces; its content is the backend's. */
export const isCursor = (v: unknown): v is string => typeof v === 'string' && /^[\x21-\x7e]{1,200}$/.test(v);

/** Where a call may go from each status: requested → connected or failed; connected → finished or failed. */
export const CALL_NEXT: Readonly<Record<CallStatus, readonly CallStatus[]>> = {
  requested: ['connected', 'failed'],
  connected: ['finished', 'failed'],
  finished: [],
  failed: [],
};

/** What a failed call is reported with when the agent gives no reason. */
export const DEFAULT_CALL_FAILURE = 'The call failed';

// --- backend → console ---

export interface AgentPresence {
  name: string;
  online: boolean;
}

/** Everything about a visitor except the conversation. */
export interface AgentVisitorInfo {
  /** The backend's public id for the visitor. */
  id: string;
  widgetId: string;
  /** Sequential per widgetId, from 1: "Visitor 7". */
  number: number;
  page: PageInfo | null;
  department: string | null;
  lang: string;
  /** The visitor has at least one open socket. */
  online: boolean;
  typing: boolean;
  /** The agent who took the chat, or null. */
  acceptedBy: string | null;
  /** The last seq of the last finished chat (0 when none): later messages belong to the current chat. */
  finishedSeq: number;
  /** How many chats with the visitor were finished (the current chat is number `finishedChats + 1`). */
  finishedChats: number;
  /** Who ended the last finished chat; null before any was. */
  endedBy: 'agent' | 'visitor' | null;
  /** The visitor's ratings of finished chats, oldest first (the newest 100). */
  ratings: readonly ChatRating[];
  /** Visitor messages no agent has read yet. */
  unread: number;
  /** The highest agent-message seq the visitor has read. */
  readSeq: number;
  /** The highest seq in the conversation (0 before the first message). */
  lastSeq: number;
  createdAt: number;
  lastSeenAt: number;
  /** What the site (`setContactInfo`) or the visitor told about themselves; '' where unknown. */
  contact: ContactFields;
  /** The site's `setCustomData` fields, in the given order; a `link` is always an absolute http(s) URL. */
  customData: CustomField[];
  /** The utm tags of the visitor's first visit, or null. */
  utm: Utm | null;
  /** The site's `setClientAttributes` attributes, in the order they were first set; `{}` when none. */
  clientAttributes: ClientAttributes;
  /** The last request for the visitor's contacts and its answer, or null if no agent asked. */
  contactsRequest: AgentContactsRequest | null;
  /** What the visitor sent with the site's pre-chat form (the answer to its question, the consent given), or null. */
  prechat: PrechatRecord | null;
  // The site's user token (`setUserToken`) is deliberately not here: agents never see it.
}

/** A site's settings as consoles are told them. */
export interface SiteEntry {
  widgetId: string;
  settings: SiteSettings;
}

export interface AgentContactsRequest {
  /** The agent who asked. */
  by: string;
  at: number;
  /** `pending` until the visitor sends the form (`given`) or dismisses it (`declined`). */
  state: 'pending' | 'given' | 'declined';
  /** When the visitor answered, or null. */
  answeredAt: number | null;
}

export interface AgentVisitor extends AgentVisitorInfo {
  /** The newest messages of the conversation (all of it when short), oldest first. */
  messages: WireMessage[];
  /** The conversation has messages before the first of `messages` (`older_messages` fetches them). */
  olderMessages: boolean;
}

export interface AgentOfflineMessage extends OfflineMessageFields {
  /** The backend's id for this offline message. */
  id: string;
  visitorId: string;
  widgetId: string;
  visitorNumber: number;
  page: PageInfo | null;
  at: number;
}

/** A call-back request as agents see it. */
export interface AgentCall {
  /** The widget's id for the request (unique per visitor). */
  id: string;
  /** The backend's public id for the visitor. */
  visitorId: string;
  widgetId: string;
  visitorNumber: number;
  /** Normalised: an optional `+` and 7-15 digits. */
  phone: string;
  status: CallStatus;
  /** Why it failed; null otherwise. */
  reason: string | null;
  /** The page the visitor was on when asking. */
  page: PageInfo | null;
  /** When it was requested. */
  at: number;
  /** When its status last changed. */
  updatedAt: number;
  /** The agent who last changed its status; null while requested. */
  by: string | null;
}

export type AgentServerFrame =
  | {
      type: 'welcome';
      v: number;
      /** The signed-in agent's name, as visitors see it. */
      name: string;
      /** The signed-in agent's account id. */
      agentId: string;
      /** The signed-in agent's photo (an https URL), or null; absent from a backend without photos. */
      photo?: string | null;
      /** This connection's status. */
      online: boolean;
      chatMode: ChatModeWire;
      agents: AgentPresence[];
      /** The active visitors and the most recent ones, each with its newest messages (docs/protocol.md). */
      visitors: AgentVisitor[];
      /** The newest offline messages, oldest first. */
      offlineMessages: AgentOfflineMessage[];
      /** The open call-back requests and the newest ones, oldest first. */
      calls: AgentCall[];
      /** Where each list goes on; all null from a backend that sends everything. */
      cursors: WelcomeCursors;
      /** Every site with business hours or a pre-chat form; admins may change them (`site_settings`), agents read them. */
      sites?: SiteEntry[];
    }
  /** A site's settings changed (or, with the request's `id`, the answer to this console's `site_settings`). */
  | { type: 'site_settings'; id?: string; widgetId: string; settings: SiteSettings }
  /** Replies to the `older_*` requests, with the request's `id`; each list is oldest first. */
  | { type: 'older_messages'; id: string; visitorId: string; messages: WireMessage[]; more: boolean }
  | { type: 'older_visitors'; id: string; visitors: AgentVisitor[]; cursor: string | null }
  | { type: 'older_offline_messages'; id: string; offlineMessages: AgentOfflineMessage[]; cursor: string | null }
  | { type: 'older_calls'; id: string; calls: AgentCall[]; cursor: string | null }
  /** A new visitor, or a change to one (page, online, acceptedBy, finishedSeq, unread, readSeq, contact, custom data, utm; typing has its own frame). */
  | { type: 'visitor'; visitor: AgentVisitorInfo }
  | { type: 'message'; visitorId: string; message: WireMessage }
  | { type: 'typing'; visitorId: string; typing: boolean }
  | { type: 'offline_message'; offlineMessage: AgentOfflineMessage }
  /** A new call-back request, or a change of its status. */
  | { type: 'call'; call: AgentCall }
  | { type: 'agents'; agents: AgentPresence[] }
  | { type: 'chat_mode'; chatMode: ChatModeWire }
  /** Confirms this connection's status after a `status` frame. */
  | { type: 'status'; online: boolean }
  /** This agent's photo changed (in this console or another of the agent's). */
  | { type: 'profile'; photo: string | null }
  /** An agent message is stored: `id` is the console's id, `messageId` the stored message's. */
  | { type: 'ack'; id: string; visitorId: string; messageId: string; seq: number; at: number }
  /** The visitor and everything about it was deleted (an admin erased it, or the retention period passed). */
  | { type: 'visitor_erased'; visitorId: string }
  | { type: 'error'; code: AgentErrorCode; message: string; id?: string };

// --- validation ---

const bad = <T>(message: string, id?: string): AgentParsed<T> => ({ ok: false, code: 'bad_frame', message, id });

/**
 * Characters a name must not hold: C0 and C1 controls, and the invisible ones that change how text around them reads —
 * bidi embeddings, overrides, isolates and marks (U+202E turns "Alice" into something else on screen), zero-width
 * spaces and joiners, the word joiner and invisible operators, and the byte-order mark.
 */
const HIDDEN_OR_CONTROL =
  // eslint-disable-next-line no-control-regex -- control characters are what this refuses
  /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/;

/** An agent's display name: trimmed, 1-100 characters, no control, bidi or zero-width characters. */
export function checkAgentName(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const name = v.trim();
  if (!name || name.length > LIMITS.name || HIDDEN_OR_CONTROL.test(name)) return null;
  return name;
}

/** Parses and validates one frame from an agent console. Never throws. */
export function parseAgentFrame(raw: string): AgentParsed<AgentFrame> {
  const parsed = parseJson(raw);
  if (!parsed.ok) return parsed;
  const f = parsed.frame;
  const id = isId(f.id) ? f.id : undefined;
  switch (f.type) {
    case 'hello': {
      if (f.v !== AGENT_PROTOCOL_VERSION)
        return bad(`Unsupported protocol version; this backend speaks v${AGENT_PROTOCOL_VERSION}`);
      if (f.online !== undefined && typeof f.online !== 'boolean') return bad('online must be true or false');
      return { ok: true, frame: { type: 'hello', v: f.v, online: f.online === true } };
    }
    case 'status':
      if (typeof f.online !== 'boolean') return bad('online must be true or false');
      return { ok: true, frame: { type: 'status', online: f.online } };
    case 'profile': {
      if (f.photo === null || f.photo === '') return { ok: true, frame: { type: 'profile', photo: null } };
      const photo = checkPhotoUrl(f.photo);
      if (!photo)
        return { ok: false, code: 'invalid_field', message: 'photo must be an https address (or null to remove it)' };
      return { ok: true, frame: { type: 'profile', photo } };
    }
    case 'accept':
    case 'finish':
      if (!isId(f.visitorId)) return bad(`${f.type} needs a visitorId`);
      return { ok: true, frame: { type: f.type, visitorId: f.visitorId } };
    case 'message': {
      if (!id) return bad('message needs an id of 1-64 letters, digits, _ or -');
      if (!isId(f.visitorId)) return bad('message needs a visitorId', id);
      const text = validateText(f.text);
      if (!text.ok) return { ok: false, code: 'invalid_field', message: text.message, id };
      const frame: AgentFrame = { type: 'message', visitorId: f.visitorId, id, text: f.text as string };
      if (f.replies !== undefined) {
        const replies = validateReplies(f.replies);
        if (!replies.ok) return { ok: false, code: 'invalid_field', message: replies.message, id };
        frame.replies = replies.value;
      }
      return { ok: true, frame };
    }
    case 'typing':
      if (!isId(f.visitorId)) return bad('typing needs a visitorId');
      if (typeof f.typing !== 'boolean') return bad('typing must be true or false');
      return { ok: true, frame: { type: 'typing', visitorId: f.visitorId, typing: f.typing } };
    case 'read':
      if (!isId(f.visitorId)) return bad('read needs a visitorId');
      if (!isSeq(f.seq)) return bad('seq must be a non-negative integer');
      return { ok: true, frame: { type: 'read', visitorId: f.visitorId, seq: f.seq } };
    case 'call_status': {
      if (!isId(f.visitorId) || !id) return bad('call_status needs a visitorId and an id');
      if (f.status !== 'connected' && f.status !== 'finished' && f.status !== 'failed')
        return bad('status must be connected, finished or failed', id);
      if (f.reason !== undefined && !isStr(f.reason, LIMITS.reason))
        return bad(`reason must be a string of at most ${LIMITS.reason} characters`, id);
      const frame: AgentFrame = { type: 'call_status', visitorId: f.visitorId, id, status: f.status };
      const reason = typeof f.reason === 'string' ? f.reason.trim() : '';
      if (reason && f.status === 'failed') frame.reason = reason;
      return { ok: true, frame };
    }
    case 'request_contacts':
    case 'erase_visitor':
      if (!isId(f.visitorId)) return bad(`${f.type} needs a visitorId`);
      return { ok: true, frame: { type: f.type, visitorId: f.visitorId } };
    case 'older_messages':
    case 'older_visitors':
    case 'older_offline_messages':
    case 'older_calls':
      return parseOlderRequest(f, id);
    case 'site_settings': {
      if (!id) return bad('site_settings needs an id');
      if (!isStr(f.widgetId, LIMITS.widgetId) || !f.widgetId) return bad('site_settings needs a widgetId', id);
      const settings = validateSiteSettings(f.settings);
      if (!settings.ok) return { ok: false, code: 'invalid_field', message: settings.message, id };
      return { ok: true, frame: { type: 'site_settings', id, widgetId: f.widgetId, settings: settings.value } };
    }
    default:
      return bad(`Unknown frame type ${JSON.stringify(String(f.type).slice(0, 40))}`);
  }
}

/** One of the `older_*` requests: an id to answer with, a limit (capped later by the backend), where to go on from. */
function parseOlderRequest(f: Obj, id: string | undefined): AgentParsed<AgentFrame> {
  const type = f.type as OlderRequest['type'];
  if (!id) return bad(`${type} needs an id of 1-64 letters, digits, _ or -`);
  if (f.limit !== undefined && !(Number.isSafeInteger(f.limit) && (f.limit as number) >= 1))
    return bad('limit must be a whole number of at least 1', id);
  const limit = f.limit === undefined ? {} : { limit: f.limit as number };
  if (type === 'older_messages') {
    if (!isId(f.visitorId)) return bad('older_messages needs a visitorId', id);
    if (!isSeq(f.before)) return bad('before must be a seq (a non-negative integer)', id);
    return { ok: true, frame: { type, id, visitorId: f.visitorId, before: f.before, ...limit } };
  }
  if (f.cursor !== undefined && f.cursor !== null && !isCursor(f.cursor))
    return bad('cursor must be null or a cursor the backend gave', id);
  const cursor = (f.cursor ?? null) as string | null;
  const flag = type === 'older_visitors' ? 'active' : 'open';
  if (type !== 'older_offline_messages' && f[flag] !== undefined && typeof f[flag] !== 'boolean')
    return bad(`${flag} must be true or false`, id);
  if (type === 'older_visitors') return { ok: true, frame: { type, id, cursor, ...limit, active: f.active === true } };
  if (type === 'older_calls') return { ok: true, frame: { type, id, cursor, ...limit, open: f.open === true } };
  return { ok: true, frame: { type, id, cursor, ...limit } };
}

/** A call as agents see it; null when malformed. */
export function parseAgentCall(v: unknown): AgentCall | null {
  if (!isObj(v) || !isId(v.id) || !isId(v.visitorId) || !isStr(v.widgetId, LIMITS.widgetId) || !isSeq(v.visitorNumber))
    return null;
  if (!isStoredPhone(v.phone) || !CALL_STATUSES.includes(v.status as CallStatus)) return null;
  if (!(v.reason === null || isStr(v.reason, LIMITS.reason)) || !isTime(v.at) || !isTime(v.updatedAt)) return null;
  if (!(v.by === null || isStr(v.by, LIMITS.name))) return null;
  const page = parsePage(v.page);
  if (page === undefined) return null;
  return {
    id: v.id,
    visitorId: v.visitorId,
    widgetId: v.widgetId,
    visitorNumber: v.visitorNumber,
    phone: v.phone as string,
    status: v.status as CallStatus,
    reason: v.reason,
    page,
    at: v.at,
    updatedAt: v.updatedAt,
    by: v.by,
  };
}

// The console checks the backend's frames too: a bug or a stranger on the port must not break its rendering. These
// checks of stored or served values read the model's rules (src/model/), the ones the widget's frames are checked with.

/** A phone number as stored: already in the normal form validatePhone gives. */
export const isStoredPhone = (v: unknown): v is string => {
  const phone = validatePhone(v);
  return phone.ok && phone.value === v;
};

/** A page as stored and served: `{url, title}` within the limits; null stays null, undefined when malformed. */
export function parsePage(v: unknown): PageInfo | null | undefined {
  if (v === null) return null;
  const page = validatePage(v);
  return page.ok ? page.value : undefined;
}

/** Contact details as the backend keeps them: four strings within their limits. Null when malformed. */
export function parseContact(v: unknown): ContactFields | null {
  if (!isObj(v) || !CONTACT_FIELD_LIMITS.every(([k, max]) => isStr(v[k], max))) return null;
  return {
    name: v.name as string,
    email: v.email as string,
    phone: v.phone as string,
    description: v.description as string,
  };
}

/**
 * Custom data fields, checked as the widget's frame is (at most 10, strings within limits, content or title). A link
 * that is not an absolute http(s) URL is dropped, the rest of its field kept. Null when malformed.
 */
export function parseCustomData(v: unknown): CustomField[] | null {
  const checked = validateCustomData(v);
  return checked.ok ? checked.value : null;
}

/** The five utm tags (strings within the limit); null stays null, undefined when malformed. */
export function parseUtm(v: unknown): Utm | null | undefined {
  if (v === null) return null;
  const utm = validateUtm(v);
  return utm.ok ? utm.value : undefined;
}

/** Client attributes as the backend keeps them (checked as the widget's frame is); null when malformed. */
export function parseClientAttributes(v: unknown): ClientAttributes | null {
  const checked = validateClientAttributes(v);
  return checked.ok ? (Object.fromEntries(checked.value) as ClientAttributes) : null;
}

export const CONTACTS_STATES = ['pending', 'given', 'declined'] as const;

/** A contacts request as agents see it; null stays null, undefined when malformed. */
export function parseContactsRequest(v: unknown): AgentContactsRequest | null | undefined {
  if (v === null) return null;
  if (!isObj(v) || !isStr(v.by, LIMITS.name) || !isTime(v.at) || !CONTACTS_STATES.includes(v.state as 'pending'))
    return undefined;
  if (v.answeredAt !== null && !isTime(v.answeredAt)) return undefined;
  return { by: v.by, at: v.at, state: v.state as AgentContactsRequest['state'], answeredAt: v.answeredAt };
}

function parsePresence(v: unknown): AgentPresence | null {
  return isObj(v) && isStr(v.name, LIMITS.name) && typeof v.online === 'boolean'
    ? { name: v.name, online: v.online }
    : null;
}

function parseRating(v: unknown): ChatRating | null {
  if (!isObj(v) || !isSeq(v.chat) || v.chat < 1 || !isRate(v.rate) || !isTime(v.at)) return null;
  const comment = checkComment(v.comment);
  return comment === null ? null : { chat: v.chat, rate: v.rate, comment, at: v.at };
}

function parseVisitorInfo(v: unknown): AgentVisitorInfo | null {
  if (!isObj(v) || !isId(v.id) || !isStr(v.widgetId, LIMITS.widgetId) || !isSeq(v.number)) return null;
  const page = parsePage(v.page);
  if (page === undefined) return null;
  if (v.department !== null && !isStr(v.department, LIMITS.department)) return null;
  if (!isStr(v.lang, 35) || typeof v.online !== 'boolean' || typeof v.typing !== 'boolean') return null;
  if (v.acceptedBy !== null && !isStr(v.acceptedBy, LIMITS.name)) return null;
  if (
    !isSeq(v.unread) ||
    !isSeq(v.readSeq) ||
    !isSeq(v.lastSeq) ||
    !isSeq(v.finishedSeq) ||
    !isTime(v.createdAt) ||
    !isTime(v.lastSeenAt)
  )
    return null;
  const contact = parseContact(v.contact);
  const customData = parseCustomData(v.customData);
  const utm = parseUtm(v.utm);
  const clientAttributes = parseClientAttributes(v.clientAttributes);
  const contactsRequest = parseContactsRequest(v.contactsRequest);
  if (!contact || !customData || utm === undefined || !clientAttributes || contactsRequest === undefined) return null;
  // A backend from before the pre-chat form leaves it out.
  const prechat = v.prechat == null ? null : parsePrechatRecord(v.prechat);
  if (v.prechat != null && prechat === null) return null;
  // Ratings came later: a backend without them leaves them out.
  const finishedChats = v.finishedChats ?? 0;
  const endedBy = v.endedBy ?? null;
  const ratings = v.ratings === undefined ? [] : parseList(v.ratings, parseRating);
  if (!isSeq(finishedChats) || !(endedBy === null || endedBy === 'agent' || endedBy === 'visitor') || !ratings)
    return null;
  // Only the fields named here are kept: anything else the backend sent (a user token by mistake) is not passed on.
  return {
    id: v.id,
    widgetId: v.widgetId,
    number: v.number,
    page,
    department: v.department,
    lang: v.lang,
    online: v.online,
    typing: v.typing,
    acceptedBy: v.acceptedBy,
    finishedSeq: v.finishedSeq,
    finishedChats,
    endedBy,
    ratings,
    unread: v.unread,
    readSeq: v.readSeq,
    lastSeq: v.lastSeq,
    createdAt: v.createdAt,
    lastSeenAt: v.lastSeenAt,
    contact,
    customData,
    utm,
    clientAttributes,
    contactsRequest,
    prechat,
  };
}

function parseSiteEntry(v: unknown): SiteEntry | null {
  if (!isObj(v) || !isStr(v.widgetId, LIMITS.widgetId) || !v.widgetId) return null;
  const settings = validateSiteSettings(v.settings);
  return settings.ok ? { widgetId: v.widgetId, settings: settings.value } : null;
}

function parseVisitor(v: unknown): AgentVisitor | null {
  const info = parseVisitorInfo(v);
  const messages = info && parseList((v as Obj).messages, parseWireMessage);
  // A backend that sends whole conversations leaves `olderMessages` out.
  const older = (v as Obj | null)?.olderMessages ?? false;
  if (!info || !messages || typeof older !== 'boolean') return null;
  return { ...info, messages, olderMessages: older };
}

const isCursorOrNull = (v: unknown): v is string | null => v === null || isCursor(v);

/** The welcome's cursors; all null when absent (a backend that sends everything), null when malformed. */
function parseCursors(v: unknown): WelcomeCursors | null {
  if (v === undefined) return NO_CURSORS;
  if (!isObj(v)) return null;
  const keys = Object.keys(NO_CURSORS) as Array<keyof WelcomeCursors>;
  // A cursor left out counts as null: a backend may page fewer lists.
  if (!keys.every((k) => v[k] === undefined || isCursorOrNull(v[k]))) return null;
  return Object.fromEntries(keys.map((k) => [k, v[k] ?? null])) as unknown as WelcomeCursors;
}

function parseOffline(v: unknown): AgentOfflineMessage | null {
  if (
    !isObj(v) ||
    !isId(v.id) ||
    !isId(v.visitorId) ||
    !isStr(v.widgetId, LIMITS.widgetId) ||
    !isSeq(v.visitorNumber) ||
    !isTime(v.at)
  )
    return null;
  const page = parsePage(v.page);
  if (page === undefined) return null;
  if (!OFFLINE_FIELD_LIMITS.every(([k, max]) => isStr(v[k], max))) return null;
  return {
    id: v.id,
    visitorId: v.visitorId,
    widgetId: v.widgetId,
    visitorNumber: v.visitorNumber,
    page,
    at: v.at,
    name: v.name as string,
    email: v.email as string,
    phone: v.phone as string,
    description: v.description as string,
    message: v.message as string,
  };
}

function parseList<T>(v: unknown, item: (x: unknown) => T | null): T[] | null {
  if (!Array.isArray(v)) return null;
  const out = v.map(item);
  return out.every((x) => x !== null) ? (out as T[]) : null;
}

const isChatMode = (v: unknown): v is ChatModeWire => v === 'online' || v === 'offline';

/** Parses and validates one frame from the backend (the console's side). Never throws. */
export function parseAgentServerFrame(raw: string): AgentParsed<AgentServerFrame> {
  const parsed = parseJson(raw, AGENT_SERVER_FRAME_BYTES);
  if (!parsed.ok) return parsed;
  const f = parsed.frame;
  const malformed = bad<AgentServerFrame>(`${String(f.type).slice(0, 40)} is malformed`);
  switch (f.type) {
    case 'welcome': {
      const agents = parseList(f.agents, parsePresence);
      const visitors = parseList(f.visitors, parseVisitor);
      const offlineMessages = parseList(f.offlineMessages, parseOffline);
      // A backend without call backs may leave `calls` out.
      const calls = f.calls === undefined ? [] : parseList(f.calls, parseAgentCall);
      const cursors = parseCursors(f.cursors);
      if (
        !agents ||
        !visitors ||
        !offlineMessages ||
        !calls ||
        !cursors ||
        !isStr(f.name, LIMITS.name) ||
        !isId(f.agentId) ||
        typeof f.online !== 'boolean'
      )
        return malformed;
      if (!isSeq(f.v) || !isChatMode(f.chatMode)) return malformed;
      // A backend without site settings leaves `sites` out.
      const sites = f.sites === undefined ? [] : parseList(f.sites, parseSiteEntry);
      if (!sites) return malformed;
      return {
        ok: true,
        frame: {
          type: 'welcome',
          v: f.v,
          name: f.name,
          agentId: f.agentId,
          ...(typeof f.photo === 'string' && checkPhotoUrl(f.photo)
            ? { photo: checkPhotoUrl(f.photo) }
            : { photo: null }),
          online: f.online,
          chatMode: f.chatMode,
          agents,
          visitors,
          offlineMessages,
          calls,
          cursors,
          sites,
        },
      };
    }
    case 'site_settings': {
      const entry = parseSiteEntry(f);
      if (!entry || (f.id !== undefined && !isId(f.id))) return malformed;
      return { ok: true, frame: { type: 'site_settings', ...(isId(f.id) ? { id: f.id } : {}), ...entry } };
    }
    case 'older_messages': {
      const messages = parseList(f.messages, parseWireMessage);
      if (!isId(f.id) || !isId(f.visitorId) || !messages || typeof f.more !== 'boolean') return malformed;
      return { ok: true, frame: { type: 'older_messages', id: f.id, visitorId: f.visitorId, messages, more: f.more } };
    }
    case 'older_visitors': {
      const visitors = parseList(f.visitors, parseVisitor);
      if (!isId(f.id) || !visitors || !isCursorOrNull(f.cursor)) return malformed;
      return { ok: true, frame: { type: 'older_visitors', id: f.id, visitors, cursor: f.cursor } };
    }
    case 'older_offline_messages': {
      const offlineMessages = parseList(f.offlineMessages, parseOffline);
      if (!isId(f.id) || !offlineMessages || !isCursorOrNull(f.cursor)) return malformed;
      return { ok: true, frame: { type: 'older_offline_messages', id: f.id, offlineMessages, cursor: f.cursor } };
    }
    case 'older_calls': {
      const calls = parseList(f.calls, parseAgentCall);
      if (!isId(f.id) || !calls || !isCursorOrNull(f.cursor)) return malformed;
      return { ok: true, frame: { type: 'older_calls', id: f.id, calls, cursor: f.cursor } };
    }
    case 'visitor': {
      const visitor = parseVisitorInfo(f.visitor);
      return visitor ? { ok: true, frame: { type: 'visitor', visitor } } : malformed;
    }
    case 'message': {
      const message = parseWireMessage(f.message);
      return message && isId(f.visitorId)
        ? { ok: true, frame: { type: 'message', visitorId: f.visitorId, message } }
        : malformed;
    }
    case 'typing':
      return isId(f.visitorId) && typeof f.typing === 'boolean'
        ? { ok: true, frame: { type: 'typing', visitorId: f.visitorId, typing: f.typing } }
        : malformed;
    case 'offline_message': {
      const offlineMessage = parseOffline(f.offlineMessage);
      return offlineMessage ? { ok: true, frame: { type: 'offline_message', offlineMessage } } : malformed;
    }
    case 'call': {
      const call = parseAgentCall(f.call);
      return call ? { ok: true, frame: { type: 'call', call } } : malformed;
    }
    case 'agents': {
      const agents = parseList(f.agents, parsePresence);
      return agents ? { ok: true, frame: { type: 'agents', agents } } : malformed;
    }
    case 'chat_mode':
      return isChatMode(f.chatMode) ? { ok: true, frame: { type: 'chat_mode', chatMode: f.chatMode } } : malformed;
    case 'visitor_erased':
      return isId(f.visitorId) ? { ok: true, frame: { type: 'visitor_erased', visitorId: f.visitorId } } : malformed;
    case 'status':
      return typeof f.online === 'boolean' ? { ok: true, frame: { type: 'status', online: f.online } } : malformed;
    case 'profile': {
      const photo = f.photo === null ? null : checkPhotoUrl(f.photo);
      return photo === null && f.photo !== null ? malformed : { ok: true, frame: { type: 'profile', photo } };
    }
    case 'ack':
      if (!isId(f.id) || !isId(f.visitorId) || !isId(f.messageId) || !isSeq(f.seq) || !isTime(f.at)) return malformed;
      return {
        ok: true,
        frame: { type: 'ack', id: f.id, visitorId: f.visitorId, messageId: f.messageId, seq: f.seq, at: f.at },
      };
    case 'error':
      if (typeof f.code !== 'string' || typeof f.message !== 'string') return malformed;
      return {
        ok: true,
        frame: {
          type: 'error',
          code: f.code as AgentErrorCode,
          message: f.message.slice(0, 500),
          id: isId(f.id) ? f.id : undefined,
        },
      };
    default:
      return bad('Unknown frame type');
  }
}
