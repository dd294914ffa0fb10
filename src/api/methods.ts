import { safeCall } from '../internal/safe-call.js';
import type { WidgetStore } from '../state/store.js';
import { isHttpUrl, isObj } from '../model/guards.js';
import { LIMITS } from '../model/limits.js';
import {
  validateClientAttributes,
  validateContactFields,
  validateCustomData,
  validateOfflineFields,
  validatePhone,
} from '../model/validate.js';
import { CALL_OVER, type WidgetState } from '../state/types.js';
import { getUtm, openStart, setWidgetColor } from './early.js';
import { chatModeResult, describe, fail, ok, type ApiResult, type ChatModeResult } from './result.js';
import type {
  ClientAttributesParams,
  ContactInfo,
  ContactInfoParams,
  JivoApiMethods,
  OfflineMessageParams,
  OfflineMessageResult,
  OpenParams,
  UtmResult,
} from './types.js';

const NO_ANSWER = 'The chat server did not answer in time';
/** How long `getVisitorNumber` and `isCallbackEnabled` wait for the backend before calling back with an error, ms. */
const BACKEND_TIMEOUT = 15_000;
const NO_SERVER = 'No chat server is configured (the endpoint attribute)';
/** The reason the JivoChat API documents for call backs that are not available. */
const CALLBACK_DISABLED = 'Callback disabled';

/**
 * What the method bodies need of the widget beyond its store: its element, its connection, its storage and its trigger
 * rules (the root element's controllers have these shapes).
 */
export interface ApiHost {
  readonly store: WidgetStore;
  /** The element: its colour attributes are the widget's configuration (`jivo_init()` rebuilds from them). */
  readonly element: HTMLElement & { readonly transport?: unknown; readonly endpoint?: string };
  readonly session: {
    /** A backend connection runs (the site's transport, or an endpoint that resolved). */
    readonly running: boolean;
    /** The pending waits for the backend: leaving the page calls each (see `#whenKnown`). */
    readonly waits: Set<() => void>;
  };
  readonly storage: {
    /** Counts a call of a method limited per visitor; returns how long to wait (ms) when over the limit, else 0. */
    takeCall(name: string, limit: number, windowMs: number): number;
    /** The storage and connection side of `clearHistory`: the new visitor is saved and announced to the backend. */
    startNewVisitor(): void;
  };
  readonly triggers: {
    /** Validates and applies trigger rules (the validator loads with the window). */
    setRules(rules: unknown): ApiResult;
  };
}

/**
 * The JivoChat Widget API's method bodies: each checks its arguments with the shared rules and fails with a reason
 * (changing nothing), or makes one store update. `<jivo-widget>` delegates its public methods here.
 */
export class WidgetApi implements JivoApiMethods {
  readonly #host: ApiHost;

  constructor(host: ApiHost) {
    this.#host = host;
  }

  get #store(): WidgetStore {
    return this.#host.store;
  }

  /** Call backs may be asked for: there is a backend, and it has not said they are off (it may not have said yet). */
  get #callbackPossible(): boolean {
    return this.#host.session.running && this.#store.state.callbackEnabled !== false;
  }

  open(params?: OpenParams | null): ApiResult {
    const start = openStart(params);
    if (typeof start !== 'string') return start;
    if (start === 'call' && !this.#callbackPossible) return fail(CALLBACK_DISABLED);
    this.#store.open(start, 'api');
    return ok();
  }

  close(): ApiResult {
    this.#store.minimize();
    return ok();
  }

  showProactiveInvitation(text: string, departmentId?: number | string | null): ApiResult {
    if (typeof text !== 'string' || !text.trim())
      return fail(`The invitation text must be a non-empty string, not ${describe(text)}`);
    if (text.length > LIMITS.invitation)
      return fail(`The invitation text is longer than ${LIMITS.invitation} characters`);
    let department: string | null = null;
    if (departmentId !== undefined && departmentId !== null) {
      const valid =
        (typeof departmentId === 'number' && Number.isFinite(departmentId)) ||
        (typeof departmentId === 'string' && departmentId.trim() !== '');
      if (!valid) return fail(`The department id must be a number, not ${describe(departmentId)}`);
      department = String(departmentId).trim();
      if (department.length > LIMITS.department)
        return fail(`The department id is longer than ${LIMITS.department} characters`);
    }
    if (this.#store.state.messages.length > 0) return fail('A conversation is already in progress');
    this.#store.showInvitation(text.trim(), department);
    return ok();
  }

  setWidgetColor(color: string, color2?: string | null): ApiResult {
    return setWidgetColor(this.#host.element, color, color2);
  }

  chatMode(): ChatModeResult {
    return chatModeResult(this.#store.state.chatMode);
  }

  getUnreadMessagesCount(): number {
    return this.#store.state.unread;
  }

  sendOfflineMessage(params: OfflineMessageParams): OfflineMessageResult {
    if (!isObj(params))
      return { result: 'fail', error: `sendOfflineMessage() takes an object, not ${describe(params)}` };
    const checked = validateOfflineFields(params as unknown as Record<string, unknown>);
    if (!checked.ok) return { result: 'fail', error: checked.message };
    if (!(this.#host.element.transport || this.#host.element.endpoint)) return { result: 'fail', error: NO_SERVER };
    this.#store.queueOfflineMessage(checked.value);
    return { result: 'ok' };
  }

  getVisitorNumber(callback: (error: string | null, visitorNumber?: number) => void): ApiResult {
    if (typeof callback !== 'function')
      return fail(`getVisitorNumber() takes a callback function, not ${describe(callback)}`);
    const call = (error: string | null, n?: number) =>
      safeCall(callback, error ? [error] : [null, n], 'the getVisitorNumber callback');
    if (!this.#host.session.running && this.#store.state.visitorNumber === null) {
      queueMicrotask(() => call(NO_SERVER));
      return ok();
    }
    this.#whenKnown(
      (s) => s.visitorNumber,
      (n) => (n === null ? call(NO_ANSWER) : call(null, n)),
    );
    return ok();
  }

  startCall(phone: string): ApiResult {
    const number = validatePhone(phone);
    if (!number.ok)
      return fail(`${describe(phone)} is not a phone number: use 7-15 digits, optionally starting with +`);
    if (!this.#callbackPossible) return fail(CALLBACK_DISABLED);
    const call = this.#store.state.call;
    if (call && !CALL_OVER.has(call.status)) return fail('A call is already in progress');
    this.#store.requestCall(number.value);
    return ok();
  }

  isCallbackEnabled(callback: (result: ApiResult) => void): ApiResult {
    if (typeof callback !== 'function')
      return fail(`isCallbackEnabled() takes a callback function, not ${describe(callback)}`);
    const answer = (enabled: boolean | null) =>
      safeCall(
        callback,
        [enabled ? ok() : fail(enabled === null ? NO_ANSWER : CALLBACK_DISABLED)],
        'the isCallbackEnabled callback',
      );
    if (this.#host.session.running) this.#whenKnown((s) => s.callbackEnabled, answer);
    else queueMicrotask(() => answer(false));
    return ok();
  }

  setContactInfo(info: ContactInfoParams): ApiResult {
    if (!isObj(info))
      return fail(`setContactInfo() takes an object such as {name, email, phone, description}, not ${describe(info)}`);
    const checked = validateContactFields(info as Record<string, unknown>);
    if (!checked.ok) return fail(checked.message);
    this.#store.setContact(checked.value);
    return ok();
  }

  getContactInfo(): ContactInfo {
    const { name, email, phone, description } = this.#store.state.contact;
    return { client_name: name || null, email: email || null, phone: phone || null, description: description || null };
  }

  setCustomData(fields: unknown): ApiResult {
    const checked = validateCustomData(fields);
    if (!checked.ok) return fail(checked.message);
    this.#store.setCustomData(checked.value);
    return ok();
  }

  setUserToken(token: string): ApiResult {
    if (typeof token !== 'string' && typeof token !== 'number')
      return fail(`The token must be a string, not ${describe(token)}`);
    const value = String(token).trim();
    if (value.length > LIMITS.userToken) return fail(`The token is longer than ${LIMITS.userToken} characters`);
    this.#store.setUserToken(value);
    return ok();
  }

  sendPageTitle(title: string, _fromApi?: boolean, url?: string): ApiResult {
    if (typeof title !== 'string') return fail(`The title must be a string, not ${describe(title)}`);
    if (url !== undefined && url !== null && typeof url !== 'string')
      return fail(`The url must be a string, not ${describe(url)}`);
    let href = location.href;
    if (url) {
      try {
        href = new URL(url, location.href).href;
      } catch {
        return fail(`The url ${describe(url)} is not a valid address`);
      }
      if (!isHttpUrl(href)) return fail('The url must be an http or https address');
    }
    if (href.length > LIMITS.url) return fail(`The url is longer than ${LIMITS.url} characters`);
    this.#store.setPage({ title: title.trim().slice(0, LIMITS.title), url: href });
    return ok();
  }

  getUtm(): UtmResult {
    return getUtm(this.#store);
  }

  setRules(rules: unknown): ApiResult {
    return this.#host.triggers.setRules(rules);
  }

  setClientAttributes(attributes: ClientAttributesParams): ApiResult {
    const checked = validateClientAttributes(attributes, true);
    if (!checked.ok) return fail(`setClientAttributes(): ${checked.message}`);
    if (!checked.value.length) return fail('setClientAttributes(): no attributes given');
    const merged = new Map(Object.entries(this.#store.state.clientAttributes ?? {}));
    for (const [key, value] of checked.value) {
      if (value === null) merged.delete(key);
      else merged.set(key, value);
    }
    const next = Object.fromEntries(merged);
    const whole = validateClientAttributes(next);
    if (!whole.ok) return fail(`setClientAttributes(): with these the visitor would have too many: ${whole.message}`);
    const wait = this.#host.storage.takeCall(
      'clientAttributeCalls',
      LIMITS.clientAttributeCalls,
      LIMITS.clientAttributeWindowMs,
    );
    if (wait) {
      return fail(
        `setClientAttributes() is limited to ${LIMITS.clientAttributeCalls} calls per hour per visitor; try again in ${Math.ceil(wait / 60_000)} min`,
      );
    }
    this.#store.setClientAttributes(next);
    return ok();
  }

  clearHistory(): ApiResult {
    this.#store.clearHistory();
    this.#host.storage.startNewVisitor();
    return ok();
  }

  /**
   * Calls `done` with the selected value once it is not null (asynchronously, even if it is already known), or with
   * null when the backend has not told it within BACKEND_TIMEOUT, or at once when the widget leaves the page.
   */
  #whenKnown<T>(selector: (state: WidgetState) => T | null, done: (value: T | null) => void): void {
    const waits = this.#host.session.waits;
    let finished = false;
    /** `later`: from a call or an emission the caller is inside of, so `done` waits for a microtask. */
    const finish = (value: T | null, later = true) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      waits.delete(abandon);
      const end = () => {
        subscription.unsubscribe();
        done(value);
      };
      if (later) queueMicrotask(end);
      else end();
    };
    // The widget left the page: nothing will answer, so say so now rather than keep a timer and the store alive.
    const abandon = () => finish(null);
    const timer = setTimeout(() => finish(null, false), BACKEND_TIMEOUT);
    waits.add(abandon);
    const subscription = this.#store.select(selector).subscribe((value) => {
      if (value !== null) finish(value);
    });
  }
}
