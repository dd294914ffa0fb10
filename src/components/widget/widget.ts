import { provide } from '@lit/context';
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, query } from 'lit/decorators.js';
import { map, pairwise, skipWhile, type Subscription } from 'rxjs';
import { JivoChangeStateEvent } from '../../events/change-state-event.js';
import { JivoCloseEvent } from '../../events/close-event.js';
import { JivoLoadEvent } from '../../events/load-event.js';
import { JivoOpenEvent } from '../../events/open-event.js';
import { JivoResizeEvent } from '../../events/resize-event.js';
import { JivoWidgetDestroyEvent } from '../../events/widget-destroy-event.js';
import { JivoAcceptEvent } from '../../events/accept-event.js';
import { JivoClientStartChatEvent } from '../../events/client-start-chat-event.js';
import { JivoMessageReceivedEvent } from '../../events/message-received-event.js';
import { JivoMessageSentEvent } from '../../events/message-sent-event.js';
import { JivoCallEndEvent } from '../../events/call-end-event.js';
import { JivoCallStartEvent } from '../../events/call-start-event.js';
import { JivoIntroductionEvent } from '../../events/introduction-event.js';
import { resolveLocale } from '../../i18n/index.js';
import { normalizeHex, readableTextOn, isHexColor } from '../../internal/color.js';
import { safeCall } from '../../internal/safe-call.js';
import { chatModeResult, describe, fail, ok, type ApiResult, type ChatModeResult } from '../../internal/result.js';
import {
  loadPersisted,
  persistChanges,
  persistFreshVisitor,
  takeCall,
  type StorageLike,
} from '../../state/persisted.js';
import { WidgetStore, type StoreEvent } from '../../state/store.js';
import { LIMITS } from '../../model/limits.js';
import { isHttpUrl, isObj } from '../../model/guards.js';
import { UTM_KEYS, type ClientAttributeValue, type Utm } from '../../model/types.js';
import {
  validateClientAttributes,
  validateContactFields,
  validateCustomData,
  validateOfflineFields,
  validatePhone,
} from '../../model/validate.js';
import type { ChatSession } from '../../transport/session.js';
import type { TriggerEngine } from '../../triggers/engine.js';
import type { TriggerAction, TriggerRule } from '../../triggers/types.js';
import type { ChatTransport } from '../../transport/transport.js';
import { CALL_OVER, OPEN_VIEWS, type ContactsFormMode, type WidgetState, type WidgetView } from '../../state/types.js';
import { storeContext } from '../shared/context.js';
import { SelectController } from '../shared/select-controller.js';
import { playNotification } from './notification-sound.js';
import { loadedParts, loadParts, type Parts } from './parts.js';
import { widgetStyles } from './widget.styles.js';

export interface OpenParams {
  /** `chat` (default), `call` (callback form) or `menu` (channel menu). */
  start?: 'chat' | 'call' | 'menu';
}

/** The page's `localStorage`, or an in-memory stand-in where the browser refuses it (privacy settings, sandboxes). */
function pageStorage(): StorageLike {
  try {
    const storage = window.localStorage;
    if (storage) return storage;
  } catch {
    // SecurityError: storage is blocked for this page.
  }
  const memory = new Map<string, string>();
  return {
    get length() {
      return memory.size;
    },
    key: (index) => [...memory.keys()][index] ?? null,
    getItem: (key) => memory.get(key) ?? null,
    setItem: (key, value) => void memory.set(key, value),
    removeItem: (key) => void memory.delete(key),
  };
}

/**
 * Resolves once the page's own scripts have run: at DOMContentLoaded, which comes after the parser-inserted and the
 * deferred scripts (a site's `defer` script after the widget's module runs after it, yet before this event). Already
 * resolved when the event has passed. readyState alone cannot tell: it is `interactive` both before and after it.
 */
function documentParsed(): Promise<void> {
  const navigation = performance.getEntriesByType?.('navigation')[0] as PerformanceNavigationTiming | undefined;
  const passed =
    document.readyState === 'complete' ||
    (document.readyState === 'interactive' && (!navigation || navigation.domContentLoadedEventStart > 0));
  if (passed) return Promise.resolve();
  return new Promise((resolve) => document.addEventListener('DOMContentLoaded', () => resolve(), { once: true }));
}

const FULL_VIEWS: ReadonlySet<WidgetView> = new Set<WidgetView>(['chat', 'call', 'chat/call']);

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

/** The utm_* tags of a page address ('' where absent). */
function utmOf(href: string): Utm {
  const params = new URL(href).searchParams;
  const utm = {} as Record<keyof Utm, string>;
  for (const key of UTM_KEYS) utm[key] = (params.get(`utm_${key}`) ?? '').slice(0, LIMITS.utm);
  return utm;
}

/** How long `getVisitorNumber` and `isCallbackEnabled` wait for the backend before calling back with an error, ms. */
const BACKEND_TIMEOUT = 15_000;
const NO_ANSWER = 'The chat server did not answer in time';
/** The reason the JivoChat API documents for call backs that are not available. */
const CALLBACK_DISABLED = 'Callback disabled';

/**
 * The WebSocket address for an `endpoint` attribute: `ws:`/`wss:` as given, `http(s):` and page-relative paths
 * turned into the matching WebSocket scheme. Null for anything else.
 */
export function resolveEndpoint(endpoint: string, base: string): string | null {
  let url: URL;
  try {
    url = new URL(endpoint, base);
  } catch {
    return null;
  }
  if (url.protocol === 'http:' || url.protocol === 'https:') url.protocol = url.protocol === 'http:' ? 'ws:' : 'wss:';
  return url.protocol === 'ws:' || url.protocol === 'wss:' ? url.href : null;
}

/**
 * A complete website live chat in one tag. Its methods are the JivoChat Widget API's (the `window.jivo_api` shim
 * forwards to the first widget on the page); every method answers bad input with `{result: 'fail', reason}` and
 * changes nothing.
 *
 * @tagname jivo-widget
 * @summary Website live chat: launcher, chat window, proactive invitations and the channel menu.
 *
 * @fires {JivoLoadEvent} jivo-load - Initialization is over; methods work. Mirrors `jivo_onLoadCallback`.
 * @fires {JivoChangeStateEvent} jivo-change-state - `detail.state` is the new state. Mirrors `jivo_onChangeState`.
 * @fires {JivoOpenEvent} jivo-open - The window opened (after `jivo-change-state`). Mirrors `jivo_onOpen`.
 * @fires {JivoCloseEvent} jivo-close - The window closed (after `jivo-change-state`). Mirrors `jivo_onClose`.
 * @fires {JivoResizeEvent} jivo-resize - The widget's size on screen changed. Mirrors `jivo_onResizeCallback`.
 * @fires {JivoWidgetDestroyEvent} jivo-widget-destroy - The widget left the page. Mirrors `jivo_onWidgetDestroy`.
 * @fires {JivoMessageSentEvent} jivo-message-sent - The visitor's first message (no history before). Mirrors `jivo_onMessageSent`.
 * @fires {JivoClientStartChatEvent} jivo-client-start-chat - The visitor started the chat without a proactive invitation. Mirrors `jivo_onClientStartChat`.
 * @fires {JivoAcceptEvent} jivo-accept - An agent accepted the chat; `detail.agentName`. Mirrors `jivo_onAccept`.
 * @fires {JivoMessageReceivedEvent} jivo-message-received - A new agent message; `detail.text`, `detail.agentName`. Mirrors `jivo_onMessageReceived`.
 * @fires {JivoCallStartEvent} jivo-call-start - The backend took a call-back request; `detail.phone`. Mirrors `jivo_onCallStart`.
 * @fires {JivoCallEndEvent} jivo-call-end - A call back ended: `detail` is `{result: 'ok'}` or `{result: 'fail', reason}`. Mirrors `jivo_onCallEnd(res)`.
 * @fires {JivoIntroductionEvent} jivo-introduction - The visitor sent the contacts form (not fired by `setContactInfo`); read the details with `getContactInfo()`. Mirrors `jivo_onIntroduction`.
 *
 * @csspart base - The fixed-position container of everything below.
 * @csspart launcher - The launcher button.
 * @csspart badge - The unread counter on the launcher.
 * @csspart window - The chat window.
 * @csspart header - The window's header.
 * @csspart messages - The message log.
 * @csspart invitation - The proactive invitation bubble.
 * @csspart composer - The message form.
 * @csspart input - The message text area.
 * @csspart send - The send button.
 * @csspart menu - The channel menu.
 * @csspart offline-form - The offline form.
 * @csspart callback-form - The callback form.
 * @csspart contacts-form - The contacts form (an agent asked, or the `contacts-form` attribute).
 *
 * @cssproperty [--jivo-accent=#2a5bd7] - Accent colour (launcher, header, visitor bubbles); overrides the `color` attribute.
 * @cssproperty [--jivo-accent-background=var(--jivo-accent)] - Background of accented surfaces; a gradient is fine.
 * @cssproperty [--jivo-on-accent=#ffffff] - Text on accented surfaces (computed from `color` when that is set).
 * @cssproperty [--jivo-text=#1d2330] - Text colour.
 * @cssproperty [--jivo-text-muted=#5b6472] - Secondary text (times, statuses).
 * @cssproperty [--jivo-background=#ffffff] - Window background.
 * @cssproperty [--jivo-surface=#eef1f5] - Agent bubbles and the invitation.
 * @cssproperty [--jivo-border=#c9ced6] - Borders of the composer.
 * @cssproperty [--jivo-link=#1f4fc4] - Links and link-like buttons.
 * @cssproperty [--jivo-error=#b3261e] - Failed-message status.
 * @cssproperty [--jivo-focus-ring=#1a73e8] - Keyboard focus outline.
 * @cssproperty [--jivo-radius=16px] - Corner radius of the window and menu.
 * @cssproperty [--jivo-font=system-ui] - Font family.
 * @cssproperty [--jivo-z-index=2147483000] - Stacking order on the page.
 * @cssproperty [--jivo-offset-x=20px] - Distance from the left or right edge of the viewport.
 * @cssproperty [--jivo-offset-y=20px] - Distance from the bottom of the viewport.
 * @cssproperty [--jivo-window-width=370px] - Width of the chat window (not on small screens, where it fills the viewport).
 * @cssproperty [--jivo-window-height=560px] - Height of the chat window (capped by the viewport).
 */
export class JivoWidget extends LitElement {
  static override styles = widgetStyles;

  @query('.root') private readonly root!: HTMLElement;

  /** @internal */
  @provide({ context: storeContext })
  readonly store: WidgetStore | undefined = new WidgetStore();

  readonly #view = new SelectController(this, (s) => s.view, 'label' as WidgetView);
  readonly #hidden = new SelectController(this, (s) => s.hidden, false);
  /** The trigger rules of `setRules`, kept while the element moves in the DOM or switches widget id. */
  #rules: readonly TriggerRule[] = [];
  #triggers?: TriggerEngine;
  /** Pending getVisitorNumber / isCallbackEnabled waits; each ends its wait with "no answer". */
  readonly #waits = new Set<() => void>();
  /** Identifies the latest #startTriggers, so that one waiting for the parts does not run after a newer one. */
  #triggersOf?: object;
  /** Rules that fired in this page view under this widget id, for an engine that takes over after a move. */
  #firedRules: readonly string[] = [];
  #persistence?: Subscription;
  #viewEvents?: Subscription;
  #storeEvents?: Subscription;
  #session?: ChatSession;
  #resizeObserver?: ResizeObserver;
  #storage: StorageLike = pageStorage();
  #loaded = false;
  /** Counts connections, so that a load announcement still pending from an earlier connection is dropped. */
  #connections = 0;

  /** Namespaces everything the widget keeps in the browser, so two sites (or two widgets) on one origin do not mix. */
  @property({ attribute: 'widget-id', reflect: true }) widgetId?: string;

  /** Accent colour, a hex code such as `#2a5bd7`. Anything else falls back to the default. */
  @property({ reflect: true }) color?: string;

  /** Second hex colour: with `color`, accented surfaces get a gradient from `color` to `color2`. */
  @property({ reflect: true }) color2?: string;

  /** Department that new chats are routed to. */
  @property({ reflect: true }) department?: string;

  /** Interface language, `en` or `ru`; otherwise the page's `lang`, then English. */
  @property({ reflect: true }) override lang!: string;

  /** Screen corner: `right` (default) or `left`. */
  @property({ reflect: true }) position?: 'right' | 'left';

  /**
   * Address of the chat backend: a `ws:`/`wss:` URL, or an `http(s):` URL or page-relative path (e.g. `/ws/visitor`),
   * which is reached over the matching WebSocket scheme. Without it (and without `transport`) the widget keeps
   * messages in the browser until it has somewhere to send them.
   */
  @property({ reflect: true }) endpoint?: string;

  /** Play a short chime when an agent's message arrives (in one tab only, when the site is open in several). */
  @property({ type: Boolean, reflect: true }) sound = false;

  /**
   * Asks for the visitor's contact details (name, and an email or a phone) before the first message: `off` (the
   * default, also for any other value), `optional` (the form comes first and has a Skip button) or `required` (the
   * message input appears only once they are given). Not shown when the site already gave them (`setContactInfo`).
   * Agents can ask for them at any time, whatever this says.
   */
  @property({ attribute: 'contacts-form', reflect: true }) contactsForm?: ContactsFormMode;

  /** A backend connection of the site's own (see ChatTransport); used instead of `endpoint` when set. */
  @property({ attribute: false }) transport?: ChatTransport;

  /** The widget id the widget stores under and reports to the backend (which takes at most 64 characters). */
  get #namespace(): string {
    return this.widgetId?.trim().slice(0, LIMITS.widgetId) || 'default';
  }

  /** The namespace #restore() last loaded, and what the running session was started with. */
  #restored?: string;
  #sessionOf?: { transport?: ChatTransport; endpoint?: string; namespace: string };

  override connectedCallback(): void {
    super.connectedCallback();
    this.#resolveLocale();
    this.#restore();
    this.#viewEvents = this.store!.select((s) => s.view)
      .pipe(pairwise())
      .subscribe(([prev, next]) => this.#onViewChange(prev, next));
    this.#storeEvents = this.store!.events$.subscribe((event) => this.#onStoreEvent(event));
    window.addEventListener('online', this.#onOnline);
    window.addEventListener('storage', this.#onStorage);
    this.#startSession();
    this.#startTriggers();
    void this.#announceLoad(++this.#connections);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#connections++;
    this.#persistence?.unsubscribe();
    this.#viewEvents?.unsubscribe();
    this.#storeEvents?.unsubscribe();
    window.removeEventListener('online', this.#onOnline);
    window.removeEventListener('storage', this.#onStorage);
    this.#stopSession();
    this.#stopTriggers();
    for (const abandon of [...this.#waits]) abandon();
    this.#resizeObserver?.disconnect();
    this.#resizeObserver = undefined;
    this.#stopViewportTracking();
    if (this.#loaded) {
      this.#loaded = false;
      this.dispatchEvent(new JivoWidgetDestroyEvent());
    }
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const store = this.store!;
    if (changed.has('lang')) this.#resolveLocale();
    if (changed.has('contactsForm')) {
      const mode = this.contactsForm;
      store.setContactsForm(mode === 'optional' || mode === 'required' ? mode : 'off');
    }
    if (changed.has('department')) {
      const department = this.department?.trim() || null;
      if (department && department.length > LIMITS.department) {
        console.warn(`jivo-widget: department is longer than ${LIMITS.department} characters; ignored`);
        store.setDepartment(null);
      } else store.setDepartment(department);
    }
    if (!this.isConnected) return;
    // A new widget id is another visitor as far as the browser is concerned: switch to what that id has stored,
    // after leaving the old visitor's connection, so nothing of one goes out on the other's.
    const switched = this.#namespace !== this.#restored;
    if (switched) {
      this.#stopSession();
      this.#stopTriggers();
      this.#firedRules = [];
      this.#restore();
    }
    const session = this.#sessionOf;
    if (switched || session?.transport !== this.transport || session?.endpoint !== this.endpoint) this.#startSession();
    if (switched) this.#startTriggers();
  }

  /**
   * Runs the trigger rules against this page view. Their bookkeeping (visit start, once per day or session) is kept
   * under the widget id, shared by the site's tabs. With a backend, rules wait for its first welcome, so that
   * `agents_online` is known before anything is judged on it.
   */
  #startTriggers(): void {
    const token = (this.#triggersOf = {});
    this.#withParts(
      () => this.#triggersOf === token,
      (parts) => this.#runTriggers(parts),
    );
  }

  /**
   * Runs `fn` with the parts: at once when they have loaded, else once they have, if `current()` still holds then
   * (the element is on the page and nothing newer was started meanwhile).
   */
  #withParts(current: () => boolean, fn: (parts: Parts) => void): void {
    const parts = loadedParts();
    if (parts) return fn(parts);
    loadParts().then(
      (loaded) => this.isConnected && current() && fn(loaded),
      (error: unknown) => console.warn('jivo-widget: could not load the chat window', error),
    );
  }

  #runTriggers({ TriggerEngine }: Parts): void {
    const storage = this.#storage;
    const key = `jivo-widget:${this.#namespace}:triggers`;
    const backend = !!this.#session;
    const engine = new TriggerEngine({
      facts$: this.store!.state$.pipe(
        skipWhile((s) => backend && s.connection !== 'open'),
        map((s) => ({
          agentsOnline: s.chatMode === 'online',
          windowOpen: OPEN_VIEWS.has(s.view),
          windowClosedAt: s.windowClosedAt,
          lastInvitationAt: s.invitation?.at ?? null,
          url: s.page?.url ?? location.href,
        })),
      ),
      storage: {
        get: () => JSON.parse(storage.getItem(key) ?? 'null'),
        set: (value) => storage.setItem(key, JSON.stringify(value)),
      },
      // Read at each call, so that a page (or a test) that swaps the clock is followed.
      now: () => Date.now(),
      pageStart: performance.timeOrigin,
      firedThisPageView: this.#firedRules,
    });
    engine.actions$.subscribe(({ actions }) => actions.forEach((action) => this.#runAction(action)));
    engine.setRules(this.#rules);
    this.#triggers = engine;
  }

  #stopTriggers(): void {
    this.#triggersOf = undefined;
    if (this.#triggers) this.#firedRules = this.#triggers.firedThisPageView;
    this.#triggers?.destroy();
    this.#triggers = undefined;
  }

  #runAction(action: TriggerAction): void {
    const store = this.store!;
    if (action.type === 'show_invitation') this.showProactiveInvitation(action.text, action.department);
    else if (action.type === 'open_offline_form') store.openOfflineForm();
    else if (action.type === 'open_callback_form') this.open({ start: 'call' });
    else store.hide();
  }

  /** Connects the store to the backend: the site's transport, else a WebSocket to `endpoint`, else nothing. */
  #startSession(): void {
    this.#stopSession();
    const of = (this.#sessionOf = { transport: this.transport, endpoint: this.endpoint, namespace: this.#namespace });
    this.#withParts(
      () => this.#sessionOf === of,
      (parts) => this.#runSession(parts),
    );
  }

  #runSession({ ChatSession, WebSocketTransport }: Parts): void {
    let transport = this.transport;
    if (!transport && this.endpoint) {
      const url = resolveEndpoint(this.endpoint, location.href);
      if (!url) {
        console.warn(
          `jivo-widget: endpoint ${JSON.stringify(this.endpoint)} is not a ws:, wss:, http: or https: address`,
        );
        return;
      }
      transport = new WebSocketTransport(url);
    }
    if (!transport) return;
    this.#session = new ChatSession(this.store!, transport, {
      widgetId: this.#namespace,
      page: () => ({ url: location.href.slice(0, 2048), title: document.title.slice(0, 300) }),
    });
    this.#session.start();
  }

  #stopSession(): void {
    this.#session?.stop();
    this.#session = undefined;
  }

  /**
   * Other tabs of the site share the storage: when one starts a new visitor (`clearHistory` on logout), this one follows
   * instead of writing the old visitor back; messages another tab stored are taken in, so whichever tab stays open
   * delivers them.
   */
  readonly #onStorage = (event: StorageEvent): void => {
    const prefix = `jivo-widget:${this.#namespace}:`;
    if (!event.key?.startsWith(prefix) || event.newValue === null) return;
    const key = event.key.slice(prefix.length);
    const saved = loadPersisted(this.#storage, this.#namespace);
    const store = this.store!;
    if (key === 'visitorId' && saved.visitorId && saved.visitorId !== store.state.visitorId) {
      this.#stopSession();
      this.#restore();
      this.#startSession();
    } else if (saved.visitorId === store.state.visitorId) {
      if (key === 'messages' && saved.messages) store.adoptMessages(saved.messages);
      // What the visitor or the site did in another tab: contacts given, the form skipped, attributes set. (An agent's
      // request, and its answer, every tab hears from the backend.)
      if (key === 'contact' && saved.contact) store.setContact(saved.contact);
      if (key === 'contactsSkipped' && saved.contactsSkipped) store.skipContactsForm();
      if (key === 'clientAttributes' && saved.clientAttributes) store.setClientAttributes(saved.clientAttributes);
    }
  };

  readonly #onOnline = (): void => {
    // The network is back: reconnect now rather than at the end of a long backoff.
    this.#session?.retryNow();
  };

  #onStoreEvent(event: StoreEvent): void {
    switch (event.type) {
      case 'visitor-message':
        if (!event.first) return;
        this.dispatchEvent(new JivoMessageSentEvent());
        if (!event.invited) this.dispatchEvent(new JivoClientStartChatEvent());
        return;
      case 'agent-message':
        if (this.sound) playNotification(this.#namespace, event.message.id);
        this.dispatchEvent(
          new JivoMessageReceivedEvent(event.message.text, event.message.agentName ?? null, event.message.at),
        );
        return;
      case 'accepted':
        this.dispatchEvent(new JivoAcceptEvent(event.agent.name));
        return;
      case 'call-start':
        this.dispatchEvent(new JivoCallStartEvent(event.call.phone));
        return;
      case 'call-end':
        this.dispatchEvent(
          new JivoCallEndEvent(
            event.call.status === 'finished'
              ? { result: 'ok' }
              : { result: 'fail', reason: event.call.reason || 'The call failed' },
          ),
        );
        return;
      case 'introduction':
        this.dispatchEvent(new JivoIntroductionEvent());
        return;
    }
  }

  /** The `lang` attribute if we speak it, else the page's language, else English. */
  #resolveLocale(): void {
    this.store!.setLocale(resolveLocale(this.lang, document.documentElement.lang));
  }

  /** Loads what this widget id stored, and saves its changes from now on. */
  #restore(): void {
    this.#persistence?.unsubscribe();
    this.#restored = this.#namespace;
    const saved = loadPersisted(this.#storage, this.#namespace);
    this.store!.restore(saved);
    // The first visit's utm tags are kept for good; later visits do not replace them.
    if (!saved.utm) this.store!.setUtm(utmOf(location.href));
    this.#persistence = persistChanges(this.store!, this.#storage, this.#namespace, saved);
  }

  async #announceLoad(connection: number): Promise<void> {
    await this.updateComplete;
    // The launcher is on screen; the rest of the widget follows, and the page hears "loaded" once all of it works.
    await loadParts().catch(() => {});
    // Page scripts that define jivo_onLoadCallback after the widget's tag or module must see the event too.
    await documentParsed();
    if (connection !== this.#connections) return;
    let first = true;
    this.#resizeObserver = new ResizeObserver(([entry]) => {
      // The first call reports the size at load, which is no change.
      if (first) return void (first = false);
      this.dispatchEvent(new JivoResizeEvent(entry.contentRect.width, entry.contentRect.height));
    });
    this.#resizeObserver.observe(this.root);
    // A window restored open on a small screen follows the on-screen keyboard as one opened now does.
    if (FULL_VIEWS.has(this.store!.state.view)) this.#startViewportTracking();
    this.#loaded = true;
    this.dispatchEvent(new JivoLoadEvent());
  }

  #onViewChange(prev: WidgetView, next: WidgetView): void {
    const wasOpen = OPEN_VIEWS.has(prev);
    const isOpen = OPEN_VIEWS.has(next);
    const focusInside = this.matches(':focus-within');
    this.dispatchEvent(new JivoChangeStateEvent(next));
    if (!wasOpen && isOpen) this.dispatchEvent(new JivoOpenEvent());
    if (wasOpen && !isOpen) this.dispatchEvent(new JivoCloseEvent());
    if (FULL_VIEWS.has(next)) this.#startViewportTracking();
    else this.#stopViewportTracking();
    void this.#moveFocus(
      next,
      isOpen && ['visitor', 'api'].includes(this.store!.state.openedBy!),
      !isOpen && focusInside,
    );
  }

  async #moveFocus(view: WidgetView, into: boolean, back: boolean): Promise<void> {
    if (!into && !back) return;
    await loadParts().catch(() => {});
    await this.updateComplete;
    if (this.store!.state.view !== view) return;
    const target = into
      ? this.renderRoot.querySelector<HTMLElement>('jivo-chat-window, jivo-mobile-menu')
      : this.renderRoot.querySelector<HTMLElement>('jivo-launcher');
    if (target && 'updateComplete' in target) await (target as unknown as LitElement).updateComplete;
    target?.focus();
  }

  // On small screens the open window follows the visual viewport, which shrinks when the on-screen keyboard opens.
  readonly #onViewportChange = (): void => {
    const viewport = window.visualViewport;
    if (!viewport || !this.root) return;
    this.root.style.setProperty('--jivo-_viewport-height', `${viewport.height}px`);
    this.root.style.setProperty('--jivo-_viewport-top', `${viewport.offsetTop}px`);
  };

  #startViewportTracking(): void {
    window.visualViewport?.addEventListener('resize', this.#onViewportChange);
    window.visualViewport?.addEventListener('scroll', this.#onViewportChange);
    this.#onViewportChange();
  }

  #stopViewportTracking(): void {
    window.visualViewport?.removeEventListener('resize', this.#onViewportChange);
    window.visualViewport?.removeEventListener('scroll', this.#onViewportChange);
    this.root?.style.removeProperty('--jivo-_viewport-height');
    this.root?.style.removeProperty('--jivo-_viewport-top');
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('color') || changed.has('color2')) this.#applyColors();
  }

  /**
   * Sets the custom properties that the colour attributes supply (invalid colours supply nothing). They go through
   * the CSSOM, which a strict Content-Security-Policy allows; a `style` attribute in markup would be blocked.
   */
  #applyColors(): void {
    const color = normalizeHex(this.color);
    const color2 = color && normalizeHex(this.color2);
    const tokens: Record<string, string | null> = {
      '--jivo-_attr-accent': color,
      '--jivo-_attr-accent-bg': color && color2 ? `linear-gradient(135deg, ${color}, ${color2})` : color,
      '--jivo-_attr-on-accent': color && (color2 ? readableTextOn(color, color2) : readableTextOn(color)),
    };
    for (const [name, value] of Object.entries(tokens)) {
      if (value) this.root.style.setProperty(name, value);
      else this.root.style.removeProperty(name);
    }
  }

  // --- the JivoChat Widget API ---

  /**
   * Opens the chat window (`{start: 'chat'}`, the default), the channel menu (`'menu'`) or the callback form
   * (`'call'`: state `chat/call` over an open chat, `call` otherwise). `'call'` fails with reason `Callback disabled`
   * when the backend said call backs are not available, or there is no backend.
   */
  open(params?: OpenParams | null): ApiResult {
    if (params !== undefined && params !== null && (typeof params !== 'object' || Array.isArray(params))) {
      return fail(`open() takes an object such as {start: 'chat'}, not ${describe(params)}`);
    }
    const start: unknown = params?.start ?? 'chat';
    if (start !== 'chat' && start !== 'menu' && start !== 'call') {
      return fail(`Unknown start ${describe(start)}: use 'chat', 'call' or 'menu'`);
    }
    if (start === 'call' && !this.#callbackPossible) return fail(CALLBACK_DISABLED);
    this.store!.open(start, 'api');
    return ok();
  }

  /** Call backs may be asked for: there is a backend, and it has not said they are off (it may not have said yet). */
  get #callbackPossible(): boolean {
    return !!this.#session && this.store!.state.callbackEnabled !== false;
  }

  /** Closes the chat window: state `chat/min` once a conversation exists, `label` before. */
  close(): ApiResult {
    this.store!.minimize();
    return ok();
  }

  /**
   * Opens the window with `text` as the team's greeting, optionally routing the chat to `departmentId`. Focus stays
   * where the visitor has it. Fails while a conversation is already in progress.
   */
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
    if (this.store!.state.messages.length > 0) return fail('A conversation is already in progress');
    this.store!.showInvitation(text.trim(), department);
    return ok();
  }

  /** Sets the accent colour, and with `color2` a gradient. Both must be hex codes; omit `color2` for a plain colour. */
  setWidgetColor(color: string, color2?: string | null): ApiResult {
    if (!isHexColor(color)) return fail(`color must be a hex colour such as '#2a5bd7', not ${describe(color)}`);
    if (color2 !== undefined && color2 !== null && color2 !== '' && !isHexColor(color2)) {
      return fail(`color2 must be a hex colour such as '#000000', not ${describe(color2)}`);
    }
    // Through the attributes, which are the widget's configuration: jivo_init() rebuilds the widget from them.
    this.setAttribute('color', color.trim());
    if (color2) this.setAttribute('color2', color2.trim());
    else this.removeAttribute('color2');
    return ok();
  }

  /** Whether an agent is online: `{result: 'online' | 'offline'}`, which also reads as the bare word. */
  chatMode(): ChatModeResult {
    return chatModeResult(this.store!.state.chatMode);
  }

  /** How many agent messages arrived while the window was closed. */
  getUnreadMessagesCount(): number {
    return this.store!.state.unread;
  }

  /**
   * Sends a message for the site to answer later (what the offline form does). `message` and an `email` or `phone`
   * are required. Returns `{result: 'ok'}` once the message is accepted for delivery (it is kept in the browser until
   * the backend has stored it), or `{result: 'fail', error}` naming the invalid field.
   */
  sendOfflineMessage(params: OfflineMessageParams): OfflineMessageResult {
    if (!isObj(params))
      return { result: 'fail', error: `sendOfflineMessage() takes an object, not ${describe(params)}` };
    const checked = validateOfflineFields(params as unknown as Record<string, unknown>);
    if (!checked.ok) return { result: 'fail', error: checked.message };
    if (!this.transport && !this.endpoint)
      return { result: 'fail', error: 'No chat server is configured (the endpoint attribute)' };
    this.store!.queueOfflineMessage(checked.value);
    return { result: 'ok' };
  }

  /**
   * Calls `callback(null, number)` with the visitor's sequential number from the backend, or `callback(error)` when
   * there is no backend or it does not answer in time. Always asynchronous.
   */
  getVisitorNumber(callback: (error: string | null, visitorNumber?: number) => void): ApiResult {
    if (typeof callback !== 'function')
      return fail(`getVisitorNumber() takes a callback function, not ${describe(callback)}`);
    const call = (error: string | null, n?: number) =>
      safeCall(callback, error ? [error] : [null, n], 'the getVisitorNumber callback');
    if (!this.#session && this.store!.state.visitorNumber === null) {
      queueMicrotask(() => call('No chat server is configured (the endpoint attribute)'));
      return ok();
    }
    this.#whenKnown(
      (s) => s.visitorNumber,
      (n) => (n === null ? call(NO_ANSWER) : call(null, n)),
    );
    return ok();
  }

  /**
   * Calls `done` with the selected value once it is not null (asynchronously, even if it is already known), or with
   * null when the backend has not told it within BACKEND_TIMEOUT.
   */
  #whenKnown<T>(selector: (state: WidgetState) => T | null, done: (value: T | null) => void): void {
    let finished = false;
    /** `later`: from a call or an emission the caller is inside of, so `done` waits for a microtask. */
    const finish = (value: T | null, later = true) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      this.#waits.delete(abandon);
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
    this.#waits.add(abandon);
    const subscription = this.store!.select(selector).subscribe((value) => {
      if (value !== null) finish(value);
    });
  }

  /**
   * Asks for a call back on `phone`: an optional `+` and 7-15 digits; spaces, dashes, dots and parentheses are
   * ignored. Returns `{result: 'ok'}` once the request is queued for the backend (it is kept in the browser until
   * delivered, and `jivo-call-start` / `jivo-call-end` follow), or `{result: 'fail', reason}`: `Callback disabled` when
   * the backend said call backs are not available (or there is none), an invalid number, or a call already in progress.
   * Before the backend has first answered, the request is queued; if the backend then refuses it, the call ends with
   * `{result: 'fail', reason: 'Callback disabled'}`.
   */
  startCall(phone: string): ApiResult {
    const number = validatePhone(phone);
    if (!number.ok)
      return fail(`${describe(phone)} is not a phone number: use 7-15 digits, optionally starting with +`);
    if (!this.#callbackPossible) return fail(CALLBACK_DISABLED);
    const call = this.store!.state.call;
    if (call && !CALL_OVER.has(call.status)) return fail('A call is already in progress');
    this.store!.requestCall(number.value);
    return ok();
  }

  /**
   * Calls `callback({result: 'ok'})` when call backs are available, else `callback({result: 'fail', reason})`
   * (`Callback disabled`). Always asynchronous; before the backend has first answered it waits for it (up to 15 s).
   */
  isCallbackEnabled(callback: (result: ApiResult) => void): ApiResult {
    if (typeof callback !== 'function')
      return fail(`isCallbackEnabled() takes a callback function, not ${describe(callback)}`);
    const answer = (enabled: boolean | null) =>
      safeCall(
        callback,
        [enabled ? ok() : fail(enabled === null ? NO_ANSWER : CALLBACK_DISABLED)],
        'the isCallbackEnabled callback',
      );
    if (this.#session) this.#whenKnown((s) => s.callbackEnabled, answer);
    else queueMicrotask(() => answer(false));
    return ok();
  }

  /**
   * Sets the visitor's contact details, shown to agents as if the visitor had introduced themselves. Every field is
   * optional; given ones replace the old, and an empty string clears one. Fails on a malformed email or phone.
   */
  setContactInfo(info: ContactInfoParams): ApiResult {
    if (!isObj(info))
      return fail(`setContactInfo() takes an object such as {name, email, phone, description}, not ${describe(info)}`);
    const checked = validateContactFields(info as Record<string, unknown>);
    if (!checked.ok) return fail(checked.message);
    this.store!.setContact(checked.value);
    return ok();
  }

  /** The visitor's contact details: `client_name`, `email`, `phone`, `description`, null where unknown. */
  getContactInfo(): ContactInfo {
    const { name, email, phone, description } = this.store!.state.contact;
    return { client_name: name || null, email: email || null, phone: phone || null, description: description || null };
  }

  /**
   * Replaces the extra data shown to agents about the visitor: at most 10 fields of `content`, `title`, `link` and
   * `key`, in order. Markup is shown as text; a link that is not http or https is dropped.
   */
  setCustomData(fields: unknown): ApiResult {
    const checked = validateCustomData(fields);
    if (!checked.ok) return fail(checked.message);
    this.store!.setCustomData(checked.value);
    return ok();
  }

  /** Sets the site's own id for the visitor. It is never shown; the backend carries it as `user_token` in its events. */
  setUserToken(token: string): ApiResult {
    if (typeof token !== 'string' && typeof token !== 'number')
      return fail(`The token must be a string, not ${describe(token)}`);
    const value = String(token).trim();
    if (value.length > LIMITS.userToken) return fail(`The token is longer than ${LIMITS.userToken} characters`);
    this.store!.setUserToken(value);
    return ok();
  }

  /**
   * Tells agents the page the visitor is on (for single-page apps): `title`, and `url` (absolute, or relative to the
   * current page; default the current address). `fromApi` is accepted for compatibility.
   */
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
    this.store!.setPage({ title: title.trim().slice(0, LIMITS.title), url: href });
    return ok();
  }

  /** The utm tags of the visitor's first visit: `source`, `medium`, `campaign`, `content`, `term`, null where absent. */
  getUtm(): UtmResult {
    const utm = this.store!.state.utm ?? utmOf(location.href);
    const result = {} as UtmResult;
    for (const key of UTM_KEYS) result[key] = utm[key] || null;
    return result;
  }

  /**
   * Replaces the proactive trigger rules (format in docs/rules.md; a JSON string of it is accepted too). Invalid rules
   * fail with the reason and the old rules stay in force.
   */
  setRules(rules: unknown): ApiResult {
    // The validator comes with the rest of the widget, which is there by the time jivo_onLoadCallback runs.
    const parts = loadedParts();
    if (!parts) return fail('The widget is still loading: call setRules from jivo_onLoadCallback');
    const parsed = parts.parseRules(rules);
    if (!parsed.ok) return fail(parsed.reason);
    this.#rules = parsed.rules;
    this.#triggers?.setRules(parsed.rules);
    return ok();
  }

  /**
   * Merges attributes into the visitor's client attributes, shown to agents: `{name: value}` with string (at most 255
   * characters), finite number or boolean values, and null to delete one; names are 1-64 characters; at most 20
   * attributes in all. Limited to 10 calls per rolling hour per visitor, counted across tabs and reloads: a call beyond
   * fails with a reason, as does bad input, and neither changes anything nor counts against the limit.
   */
  setClientAttributes(attributes: ClientAttributesParams): ApiResult {
    const checked = validateClientAttributes(attributes, true);
    if (!checked.ok) return fail(`setClientAttributes(): ${checked.message}`);
    if (!checked.value.length) return fail('setClientAttributes(): no attributes given');
    const merged = new Map(Object.entries(this.store!.state.clientAttributes ?? {}));
    for (const [key, value] of checked.value) {
      if (value === null) merged.delete(key);
      else merged.set(key, value);
    }
    const next = Object.fromEntries(merged);
    const whole = validateClientAttributes(next);
    if (!whole.ok) return fail(`setClientAttributes(): with these the visitor would have too many: ${whole.message}`);
    const wait = takeCall(
      this.#storage,
      this.#namespace,
      'clientAttributeCalls',
      LIMITS.clientAttributeCalls,
      LIMITS.clientAttributeWindowMs,
    );
    if (wait) {
      return fail(
        `setClientAttributes() is limited to ${LIMITS.clientAttributeCalls} calls per hour per visitor; try again in ${Math.ceil(wait / 60_000)} min`,
      );
    }
    this.store!.setClientAttributes(next);
    return ok();
  }

  /** Removes the conversation and everything the widget stored in the browser for this widget id. */
  clearHistory(): ApiResult {
    this.store!.clearHistory();
    this.#persistence?.unsubscribe();
    this.#persistence = persistFreshVisitor(this.store!, this.#storage, this.#namespace);
    // A new visitor: the backend must hear of it on a fresh connection.
    if (this.#session) this.#startSession();
    return ok();
  }

  override render() {
    // Hidden by a trigger rule: the root stays (the resize observer and the colours are on it), empty.
    const view = this.#hidden.value ? 'hidden' : this.#view.value;
    const open = OPEN_VIEWS.has(view as WidgetView);
    return html`<div class="root ${open ? 'open' : ''} ${FULL_VIEWS.has(view as WidgetView) ? 'full' : ''}" part="base">
      ${
        FULL_VIEWS.has(view as WidgetView)
          ? html`<jivo-chat-window
              exportparts="window, header, messages, invitation, composer, input, send, offline-form, callback-form, contacts-form"
            ></jivo-chat-window>`
          : nothing
      }
      ${view === 'menu' ? html`<jivo-mobile-menu exportparts="menu"></jivo-mobile-menu>` : nothing}
      ${open || view === 'hidden' ? nothing : html`<jivo-launcher exportparts="launcher, badge"></jivo-launcher>`}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'jivo-widget': JivoWidget;
  }
}
