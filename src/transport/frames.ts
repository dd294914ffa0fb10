/**
 * Parsing and validating frames of the protocol (protocol.ts has the frame types, src/model/ the limits and field
 * validators). Apart from protocol.ts so that the widget's launcher path, which only validates what the page passes to jivo_api, does not
 * carry the frame parsers: the widget loads them with its connection.
 */
import { LIMITS } from '../model/limits.js';
import { isId, isObj, isSeq, isStr, isTime, utf8Length, type Obj } from '../model/guards.js';
import { CALL_STATUSES, type CallStatus, type ClientAttributes, type PageInfo } from '../model/types.js';
import {
  validateClientAttributes,
  validateContactFields,
  validateCustomData,
  validateOfflineFields,
  validatePhone,
  validateText,
  validateUtm,
} from '../model/validate.js';
import { validatePage } from '../model/page.js';
import { SETTINGS_LIMITS, validatePrechat, validateReplies, type HoursStatus } from '../model/site-settings.js';
import {
  PROTOCOL_VERSION,
  type BackendFrame,
  type ErrorCode,
  type Parsed,
  type VisitorFrame,
  type WireCall,
  type WireAgent,
  type WireChatEnd,
  type WireMessage,
  type WirePrechat,
} from './protocol.js';
import { checkComment, isRate, RATING_COMMENT_MAX } from '../model/rating.js';
import { checkPhotoUrl, checkSiteProfile } from '../model/site-profile.js';

const bad = <T>(message: string, id?: string): Parsed<T> => ({ ok: false, code: 'bad_frame', message, id });

const invalid = <T>(message: string, id?: string): Parsed<T> => ({ ok: false, code: 'invalid_field', message, id });

export function parseJson(raw: string, maxBytes: number = LIMITS.frameBytes): Parsed<Obj> {
  // A UTF-8 byte is at most one UTF-16 unit, so a string longer than the limit in units is too large in bytes too.
  if (raw.length > maxBytes || utf8Length(raw) > maxBytes)
    return { ok: false, code: 'too_large', message: `Frames are limited to ${maxBytes} bytes` };
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return bad('Not JSON');
  }
  if (!isObj(value) || typeof value.type !== 'string') return bad('A frame is a JSON object with a string "type"');
  return { ok: true, frame: value };
}

function parsePage(v: unknown): PageInfo | null {
  const page = validatePage(v);
  return page.ok ? page.value : null;
}

export function parseWireCall(v: unknown): WireCall | null {
  if (!isObj(v) || !isId(v.id) || !CALL_STATUSES.includes(v.status as CallStatus) || !isTime(v.at)) return null;
  // Stored normalised: a number the normalisation would change is not one the backend sends.
  const phone = validatePhone(v.phone);
  if (!phone.ok || phone.value !== v.phone) return null;
  if (v.reason !== undefined && !isStr(v.reason, LIMITS.reason)) return null;
  const call: WireCall = { id: v.id, phone: phone.value, status: v.status as CallStatus, at: v.at };
  if (typeof v.reason === 'string') call.reason = v.reason;
  return call;
}

/** Parses and validates one frame from a widget. Never throws. */
export function parseVisitorFrame(raw: string): Parsed<VisitorFrame> {
  const parsed = parseJson(raw);
  if (!parsed.ok) return parsed;
  const f = parsed.frame;
  const id = isId(f.id) ? f.id : undefined;
  switch (f.type) {
    case 'hello': {
      const page = parsePage(f.page);
      if (f.v !== PROTOCOL_VERSION)
        return bad(`Unsupported protocol version; this backend speaks v${PROTOCOL_VERSION}`);
      if (!isStr(f.widgetId, LIMITS.widgetId) || !f.widgetId) return bad('hello needs a widgetId');
      if (f.visitorId !== undefined && !isId(f.visitorId))
        return bad('visitorId must be 1-64 letters, digits, _ or - (or absent on a first visit)');
      if (f.revoke !== undefined && !isId(f.revoke)) return bad('revoke must be 1-64 letters, digits, _ or -');
      if (!isSeq(f.after)) return bad('after must be a non-negative integer');
      if (!page) return bad('page must be {url, title}');
      if (f.department !== null && !isStr(f.department, LIMITS.department))
        return bad('department must be a string or null');
      if (!isStr(f.lang, 35)) return bad('lang must be a string');
      return {
        ok: true,
        frame: {
          type: 'hello',
          v: f.v,
          widgetId: f.widgetId,
          ...(f.visitorId === undefined ? {} : { visitorId: f.visitorId }),
          ...(f.revoke === undefined ? {} : { revoke: f.revoke }),
          after: f.after,
          page,
          department: f.department,
          lang: f.lang,
        },
      };
    }
    case 'message': {
      if (!id) return bad('message needs an id of 1-64 letters, digits, _ or -');
      const text = validateText(f.text);
      if (!text.ok) return invalid(text.message, id);
      return { ok: true, frame: { type: 'message', id, text: text.value } };
    }
    case 'typing':
      if (typeof f.typing !== 'boolean') return bad('typing must be true or false');
      return { ok: true, frame: { type: 'typing', typing: f.typing } };
    case 'read':
      if (!isSeq(f.seq)) return bad('seq must be a non-negative integer');
      return { ok: true, frame: { type: 'read', seq: f.seq } };
    case 'page': {
      const page = parsePage(f.page);
      if (!page) return bad('page must be {url, title}');
      return { ok: true, frame: { type: 'page', page } };
    }
    case 'department':
      if (f.department !== null && !isStr(f.department, LIMITS.department))
        return bad('department must be a string or null');
      return { ok: true, frame: { type: 'department', department: f.department } };
    case 'offline_message': {
      if (!id) return bad('offline_message needs an id');
      const fields = validateOfflineFields(f);
      if (!fields.ok) return invalid(fields.message, id);
      return { ok: true, frame: { type: 'offline_message', id, ...fields.value } };
    }
    case 'contact': {
      const fields = validateContactFields(f);
      if (!fields.ok) return invalid(fields.message);
      return {
        ok: true,
        frame: { type: 'contact', name: '', email: '', phone: '', description: '', ...fields.value },
      };
    }
    case 'custom_data': {
      const fields = validateCustomData(f.fields);
      if (!fields.ok) return invalid(fields.message);
      return { ok: true, frame: { type: 'custom_data', fields: fields.value } };
    }
    case 'user_token':
      if (!isStr(f.token, LIMITS.userToken))
        return invalid(`token must be a string of at most ${LIMITS.userToken} characters`);
      return { ok: true, frame: { type: 'user_token', token: f.token } };
    case 'utm': {
      const utm = validateUtm(f.utm);
      if (!utm.ok) return bad(utm.message);
      return { ok: true, frame: { type: 'utm', utm: utm.value } };
    }
    case 'call_request': {
      if (!id) return bad('call_request needs an id');
      const phone = validatePhone(f.phone);
      if (!phone.ok) return invalid(phone.message, id);
      return { ok: true, frame: { type: 'call_request', id, phone: phone.value } };
    }
    case 'client_attributes': {
      const attributes = validateClientAttributes(f.attributes);
      if (!attributes.ok) return invalid(attributes.message);
      return {
        ok: true,
        frame: { type: 'client_attributes', attributes: Object.fromEntries(attributes.value) as ClientAttributes },
      };
    }
    case 'end':
      return { ok: true, frame: { type: 'end' } };
    case 'rating': {
      if (!isSeq(f.chat) || f.chat < 1) return bad('rating needs the chat number');
      if (f.rate !== null && !isRate(f.rate)) return invalid('rate must be "good", "bad" or null');
      const comment = f.comment === undefined ? '' : checkComment(f.comment);
      if (comment === null) return invalid(`comment must be a string of at most ${RATING_COMMENT_MAX} characters`);
      return { ok: true, frame: { type: 'rating', chat: f.chat, rate: f.rate, comment } };
    }
    case 'contacts_answer':
      if (!isId(f.request) || typeof f.given !== 'boolean')
        return bad('contacts_answer needs a request id and given: true or false');
      return { ok: true, frame: { type: 'contacts_answer', request: f.request, given: f.given } };
    case 'prechat': {
      if (!id) return bad('prechat needs an id');
      if (!isStr(f.answer, SETTINGS_LIMITS.answer))
        return invalid(`answer must be a string of at most ${SETTINGS_LIMITS.answer} characters`, id);
      if (f.department !== null && !isStr(f.department, LIMITS.department))
        return bad('department must be a string or null', id);
      if (f.consent !== null && !isStr(f.consent, SETTINGS_LIMITS.consentVersion))
        return bad('consent must be the version of the consent text, or null', id);
      return {
        ok: true,
        frame: { type: 'prechat', id, answer: f.answer.trim(), department: f.department, consent: f.consent },
      };
    }
    default:
      return bad(`Unknown frame type ${JSON.stringify(String(f.type).slice(0, 40))}`);
  }
}

export function parseWireMessage(v: unknown): WireMessage | null {
  if (!isObj(v) || !isId(v.id) || !isSeq(v.seq) || (v.from !== 'visitor' && v.from !== 'agent')) return null;
  if (!isStr(v.text, LIMITS.text) || !isTime(v.at)) return null;
  if (v.agentName !== undefined && !isStr(v.agentName, LIMITS.name)) return null;
  const message: WireMessage = { id: v.id, seq: v.seq, from: v.from, text: v.text, at: v.at };
  if (typeof v.agentName === 'string') message.agentName = v.agentName;
  if (v.replies !== undefined) {
    // Stored as validated: anything the validation would change is not what a backend sends.
    const replies = validateReplies(v.replies);
    if (!replies.ok || v.from !== 'agent' || JSON.stringify(replies.value) !== JSON.stringify(v.replies)) return null;
    message.replies = replies.value;
  }
  return message;
}

/** Business hours as the backend says them; undefined when malformed. */
export function parseHoursStatus(v: unknown): HoursStatus | null | undefined {
  if (v === null) return null;
  if (!isObj(v) || typeof v.open !== 'boolean' || !(v.next === null || isTime(v.next))) return undefined;
  return { open: v.open, next: v.next };
}

function parseWirePrechat(v: unknown): WirePrechat | null | undefined {
  if (v === null) return null;
  if (!isObj(v) || typeof v.answered !== 'boolean') return undefined;
  const settings = validatePrechat(v);
  return settings.ok ? { ...settings.value, answered: v.answered } : undefined;
}

/** A chat end as the backend reports it, or null when malformed. */
export function parseChatEnd(v: unknown): WireChatEnd | null {
  if (!isObj(v) || !isSeq(v.chat) || v.chat < 1 || !isSeq(v.seq) || (v.by !== 'agent' && v.by !== 'visitor'))
    return null;
  const r = v.rating;
  if (r === null) return { chat: v.chat, seq: v.seq, by: v.by, rating: null };
  const comment = isObj(r) ? checkComment(r.comment) : null;
  if (!isObj(r) || !isRate(r.rate) || comment === null) return null;
  return { chat: v.chat, seq: v.seq, by: v.by, rating: { rate: r.rate, comment } };
}

function parseAgent(v: unknown): WireAgent | null | undefined {
  if (v === null) return null;
  if (!isObj(v) || !isStr(v.name, LIMITS.name) || !v.name) return undefined;
  // A photo that is not an https address is left out, not trusted: the name still shows, with its initials.
  const photo = v.photo === undefined ? null : checkPhotoUrl(v.photo);
  return photo ? { name: v.name, photo } : { name: v.name };
}

/** Parses and validates one frame from the backend: the widget trusts no server either. Never throws. */
export function parseBackendFrame(raw: string): Parsed<BackendFrame> {
  const parsed = parseJson(raw, LIMITS.backendFrameBytes);
  if (!parsed.ok) return parsed;
  const f = parsed.frame;
  switch (f.type) {
    case 'welcome': {
      const agent = parseAgent(f.agent);
      if (
        !Number.isSafeInteger(f.visitorNumber) ||
        (f.visitorNumber as number) < 1 ||
        (f.chatMode !== 'online' && f.chatMode !== 'offline') ||
        agent === undefined
      ) {
        return bad('welcome is malformed');
      }
      if (!Array.isArray(f.messages) || !isSeq(f.readSeq)) return bad('welcome is malformed');
      if (f.visitorId !== undefined && !isId(f.visitorId)) return bad('welcome has a malformed visitorId');
      const contactsRequest = f.contactsRequest ?? null;
      if (contactsRequest !== null && !isId(contactsRequest)) return bad('welcome is malformed');
      const messages = f.messages.map(parseWireMessage);
      if (messages.some((m) => m === null)) return bad('welcome has a malformed message');
      const frame: Extract<BackendFrame, { type: 'welcome' }> = {
        type: 'welcome',
        visitorNumber: f.visitorNumber as number,
        chatMode: f.chatMode,
        agent,
        messages: messages as WireMessage[],
        readSeq: f.readSeq,
      };
      if (f.visitorId !== undefined) frame.visitorId = f.visitorId;
      // The call-back fields are optional: a backend without call backs need not send them.
      const call = f.call == null ? f.call : parseWireCall(f.call);
      if (
        (f.callbackEnabled !== undefined && typeof f.callbackEnabled !== 'boolean') ||
        (call === null && f.call !== null)
      ) {
        return bad('welcome has a malformed callbackEnabled or call');
      }
      if (f.callbackEnabled !== undefined) frame.callbackEnabled = f.callbackEnabled;
      if (call !== undefined) frame.call = call;
      if (contactsRequest) frame.contactsRequest = contactsRequest;
      const hours = f.hours === undefined ? null : parseHoursStatus(f.hours);
      const prechat = f.prechat === undefined ? null : parseWirePrechat(f.prechat);
      if (hours === undefined || prechat === undefined) return bad('welcome has malformed hours or prechat');
      if (hours) frame.hours = hours;
      if (prechat) frame.prechat = prechat;
      if (f.site !== undefined) {
        const site = checkSiteProfile(f.site);
        if (!site) return bad('welcome has a malformed site');
        frame.site = site;
      }
      if (f.ended !== undefined) {
        const ended = parseChatEnd(f.ended);
        if (!ended) return bad('welcome has a malformed ended');
        frame.ended = ended;
      }
      return { ok: true, frame };
    }
    case 'ack':
      if (!isId(f.id) || !isSeq(f.seq) || !isTime(f.at)) return bad('ack is malformed');
      return { ok: true, frame: { type: 'ack', id: f.id, seq: f.seq, at: f.at } };
    case 'message': {
      const message = parseWireMessage(f.message);
      return message ? { ok: true, frame: { type: 'message', message } } : bad('message is malformed');
    }
    case 'typing':
      return typeof f.typing === 'boolean'
        ? { ok: true, frame: { type: 'typing', typing: f.typing } }
        : bad('typing is malformed');
    case 'read':
      return isSeq(f.seq) ? { ok: true, frame: { type: 'read', seq: f.seq } } : bad('read is malformed');
    case 'chat_mode':
      return f.chatMode === 'online' || f.chatMode === 'offline'
        ? { ok: true, frame: { type: 'chat_mode', chatMode: f.chatMode } }
        : bad('chat_mode is malformed');
    case 'agent': {
      const agent = parseAgent(f.agent);
      return agent === undefined ? bad('agent is malformed') : { ok: true, frame: { type: 'agent', agent } };
    }
    case 'callback':
      return typeof f.enabled === 'boolean'
        ? { ok: true, frame: { type: 'callback', enabled: f.enabled } }
        : bad('callback is malformed');
    case 'call': {
      const call = parseWireCall(f.call);
      return call ? { ok: true, frame: { type: 'call', call } } : bad('call is malformed');
    }
    case 'contacts_request':
      return f.request === null || isId(f.request)
        ? { ok: true, frame: { type: 'contacts_request', request: f.request } }
        : bad('contacts_request is malformed');
    case 'prechat': {
      const prechat = parseWirePrechat(f.prechat);
      return prechat === undefined ? bad('prechat is malformed') : { ok: true, frame: { type: 'prechat', prechat } };
    }
    case 'hours': {
      const hours = parseHoursStatus(f.hours);
      return hours === undefined ? bad('hours is malformed') : { ok: true, frame: { type: 'hours', hours } };
    }
    case 'chat_ended': {
      const ended = parseChatEnd(f.ended);
      return ended ? { ok: true, frame: { type: 'chat_ended', ended } } : bad('chat_ended is malformed');
    }
    case 'error':
      return typeof f.code === 'string' && typeof f.message === 'string'
        ? {
            ok: true,
            frame: {
              type: 'error',
              code: f.code as ErrorCode,
              message: f.message.slice(0, 500),
              id: isId(f.id) ? f.id : undefined,
            },
          }
        : bad('error is malformed');
    default:
      return bad('Unknown frame type');
  }
}
