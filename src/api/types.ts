import type { CallEndResult } from '../events/call-end-event.js';
import type { ClientAttributeValue, Utm } from '../model/types.js';
import type { WidgetView } from '../state/types.js';
import type { ApiResult, ChatModeResult } from './result.js';

export interface OpenParams {
  /** `chat` (default), `call` (callback form) or `menu` (channel menu). */
  start?: 'chat' | 'call' | 'menu';
}

/** What `sendOfflineMessage` returns: the vendor's shape, with `error` (not `reason`) on failure. */
export type OfflineMessageResult = { result: 'ok' } | { result: 'fail'; error: string };

export interface OfflineMessageParams {
  name?: string;
  email?: string;
  phone?: string;
  description?: string;
  message: string;
}

/** What `getContactInfo` returns: the vendor's keys, null where unknown. */
export interface ContactInfo {
  client_name: string | null;
  email: string | null;
  phone: string | null;
  description: string | null;
}

export interface ContactInfoParams {
  name?: string;
  email?: string;
  phone?: string;
  description?: string;
}

/** What `setClientAttributes` takes: attribute names and values; null deletes the attribute. */
export type ClientAttributesParams = Record<string, ClientAttributeValue | null>;

/** What `getUtm` returns: the first visit's utm tags, null where there was none. */
export type UtmResult = { [K in keyof Utm]: string | null };

/** What `getVisitorNumber` calls: `(null, number)` with the backend's visitor number, or `(error)`. */
export type VisitorNumberCallback = (error: string | null, visitorNumber?: number) => void;

/** What `isCallbackEnabled` calls: `{result: 'ok'}`, or `{result: 'fail', reason}`. */
export type CallbackEnabledCallback = (result: ApiResult) => void;

/** The JivoChat Widget API's methods, as each widget element has them (and `window.jivo_api` forwards them). */
export interface JivoApiMethods {
  /**
   * Opens the chat window (`{start: 'chat'}`, the default), the channel menu (`'menu'`) or the callback form
   * (`'call'`: state `chat/call` over an open chat, `call` otherwise). `'call'` fails with reason `Callback disabled`
   * when the backend said call backs are not available, or there is no backend.
   */
  open(params?: OpenParams | null): ApiResult;
  /** Closes the chat window: state `chat/min` once a conversation exists, `label` before. */
  close(): ApiResult;
  /**
   * Opens the window with `text` as the team's greeting, optionally routing the chat to `departmentId`. Focus stays
   * where the visitor has it. Fails while a conversation is already in progress.
   */
  showProactiveInvitation(text: string, departmentId?: number | string | null): ApiResult;
  /** Sets the accent colour, and with `color2` a gradient. Both must be hex codes; omit `color2` for a plain colour. */
  setWidgetColor(color: string, color2?: string | null): ApiResult;
  /** Whether an agent is online: `{result: 'online' | 'offline'}`, which also reads as the bare word. */
  chatMode(): ChatModeResult;
  /** How many agent messages arrived while the window was closed. */
  getUnreadMessagesCount(): number;
  /** Removes the conversation and everything the widget stored in the browser for this widget id. */
  clearHistory(): ApiResult;
  /**
   * Sends a message for the site to answer later (what the offline form does). `message` and an `email` or `phone`
   * are required. Returns `{result: 'ok'}` once the message is accepted for delivery (it is kept in the browser until
   * the backend has stored it), or `{result: 'fail', error}` naming the invalid field.
   */
  sendOfflineMessage(params: OfflineMessageParams): OfflineMessageResult;
  /**
   * Calls `callback(null, number)` with the visitor's sequential number from the backend, or `callback(error)` when
   * there is no backend or it does not answer in time. Always asynchronous.
   */
  getVisitorNumber(callback: VisitorNumberCallback): ApiResult;
  /**
   * Sets the visitor's contact details, shown to agents as if the visitor had introduced themselves. Every field is
   * optional; given ones replace the old, and an empty string clears one. Fails on a malformed email or phone.
   */
  setContactInfo(info: ContactInfoParams): ApiResult;
  /** The visitor's contact details: `client_name`, `email`, `phone`, `description`, null where unknown. */
  getContactInfo(): ContactInfo;
  /**
   * Replaces the extra data shown to agents about the visitor: at most 10 fields of `content`, `title`, `link` and
   * `key`, in order. Markup is shown as text; a link that is not http or https is dropped.
   */
  setCustomData(fields: unknown): ApiResult;
  /** Sets the site's own id for the visitor. It is never shown; the backend carries it as `user_token` in its events. */
  setUserToken(token: string): ApiResult;
  /**
   * Tells agents the page the visitor is on (for single-page apps): `title`, and `url` (absolute, or relative to the
   * current page; default the current address). `fromApi` is accepted for compatibility.
   */
  sendPageTitle(title: string, fromApi?: boolean, url?: string): ApiResult;
  /** The utm tags of the visitor's first visit: `source`, `medium`, `campaign`, `content`, `term`, null where absent. */
  getUtm(): UtmResult;
  /**
   * Replaces the proactive trigger rules (format in docs/rules.md; a JSON string of it is accepted too). Invalid rules
   * fail with the reason and the old rules stay in force.
   */
  setRules(rules: unknown): ApiResult;
  /**
   * Asks for a call back on `phone`: an optional `+` and 7-15 digits; spaces, dashes, dots and parentheses are
   * ignored. Returns `{result: 'ok'}` once the request is queued for the backend (it is kept in the browser until
   * delivered, and `jivo-call-start` / `jivo-call-end` follow), or `{result: 'fail', reason}`: `Callback disabled` when
   * the backend said call backs are not available (or there is none), an invalid number, or a call already in progress.
   * Before the backend has first answered, the request is queued; if the backend then refuses it, the call ends with
   * `{result: 'fail', reason: 'Callback disabled'}`.
   */
  startCall(phone: string): ApiResult;
  /**
   * Calls `callback({result: 'ok'})` when call backs are available, else `callback({result: 'fail', reason})`
   * (`Callback disabled`). Always asynchronous; before the backend has first answered it waits for it (up to 15 s).
   */
  isCallbackEnabled(callback: CallbackEnabledCallback): ApiResult;
  /**
   * Merges attributes into the visitor's client attributes, shown to agents: `{name: value}` with string (at most 255
   * characters), finite number or boolean values, and null to delete one; names are 1-64 characters; at most 20
   * attributes in all. Limited to 10 calls per rolling hour per visitor, counted across tabs and reloads: a call beyond
   * fails with a reason, as does bad input, and neither changes anything nor counts against the limit.
   */
  setClientAttributes(attributes: ClientAttributesParams): ApiResult;
}

/** What `window.jivo_api` serves: a widget element with the API's methods. The bridge knows it by this shape alone. */
export type JivoApiTarget = HTMLElement & JivoApiMethods;

/** `window.jivo_api`: the JivoChat Widget API, forwarded to the widget on the page. */
export interface JivoApi extends JivoApiMethods {
  /** Creates the widget again (removing the current one first, which fires `jivo_onWidgetDestroy`). */
  jivoInit(): ApiResult;
  /** Removes the widget from the page; `jivo_onWidgetDestroy` fires. */
  jivoDestroy(): ApiResult;
}

/** The callbacks a page may define on `window`; the widget calls whichever is there when the event happens. */
export interface JivoCallbacks {
  jivo_onLoadCallback?: () => void;
  jivo_onOpen?: () => void;
  jivo_onClose?: () => void;
  jivo_onChangeState?: (state: WidgetView) => void;
  jivo_onResizeCallback?: () => void;
  jivo_onWidgetDestroy?: () => void;
  jivo_onMessageSent?: () => void;
  jivo_onClientStartChat?: () => void;
  jivo_onAccept?: () => void;
  jivo_onMessageReceived?: () => void;
  /** A call back started: the backend took the request. */
  jivo_onCallStart?: () => void;
  /** A call back ended: `{result: 'ok'}`, or `{result: 'fail', reason}`. */
  jivo_onCallEnd?: (res: CallEndResult) => void;
  /** The visitor sent the contacts form; read the details with `jivo_api.getContactInfo()`. */
  jivo_onIntroduction?: () => void;
}

/** What a page may queue before the widget has loaded: a function given `jivo_api`, or `[method, ...arguments]`. */
export type JivoCommand = ((api: JivoApi) => unknown) | readonly [string, ...unknown[]];

/** `window.jivo_queue`: an array until the widget loads, then something whose `push` runs each command at once. */
export interface JivoQueue {
  push(...commands: JivoCommand[]): number;
}

declare global {
  // `var`, so that a page script may also write the bare names, as the JivoChat documentation does
  // (`jivo_api.open()`, `jivo_queue.push(...)`); the `jivo_on*` callbacks stay Window members only, so that a script
  // may declare them as plain functions.
  /** The JivoChat Widget API, once the widget has loaded. */
  var jivo_api: JivoApi | undefined;
  /** Calls queued before the widget loaded; they run in order once it has. */
  var jivo_queue: JivoQueue | JivoCommand[] | undefined;
  interface Window extends JivoCallbacks {
    jivo_api?: JivoApi;
    /** Calls queued before the widget loaded (see src/api/queue.ts); they run in order once it has. */
    jivo_queue?: JivoQueue | JivoCommand[];
    jivo_init?: () => ApiResult;
    jivo_destroy?: () => ApiResult;
  }
}
