import type { CallEndResult } from '../events/call-end-event.js';
import type { ClientAttributeValue, Utm } from '../transport/protocol.js';
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

/** The JivoChat Widget API's methods, as each widget element has them (and `window.jivo_api` forwards them). */
export interface JivoApiMethods {
  open(params?: OpenParams | null): ApiResult;
  close(): ApiResult;
  showProactiveInvitation(text: string, departmentId?: number | string | null): ApiResult;
  setWidgetColor(color: string, color2?: string | null): ApiResult;
  chatMode(): ChatModeResult;
  getUnreadMessagesCount(): number;
  clearHistory(): ApiResult;
  sendOfflineMessage(params: OfflineMessageParams): OfflineMessageResult;
  getVisitorNumber(callback: (error: string | null, visitorNumber?: number) => void): ApiResult;
  setContactInfo(info: ContactInfoParams): ApiResult;
  getContactInfo(): ContactInfo;
  setCustomData(fields: unknown): ApiResult;
  setUserToken(token: string): ApiResult;
  sendPageTitle(title: string, fromApi?: boolean, url?: string): ApiResult;
  getUtm(): UtmResult;
  /** Replaces the proactive trigger rules (docs/rules.md); invalid rules fail with the reason and the old ones stay. */
  setRules(rules: unknown): ApiResult;
  startCall(phone: string): ApiResult;
  isCallbackEnabled(callback: (result: ApiResult) => void): ApiResult;
  /** Merges attributes into the visitor's (null deletes one); at most 10 calls per hour per visitor. */
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

declare global {
  interface Window extends JivoCallbacks {
    jivo_api?: JivoApi;
    jivo_init?: () => ApiResult;
    jivo_destroy?: () => ApiResult;
  }
}
