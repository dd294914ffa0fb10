import { provide } from '@lit/context';
import { html, LitElement, nothing } from 'lit';
import { property } from 'lit/decorators/property.js';
import { answerEarly } from '../../api/early.js';
import type { WidgetApi } from '../../api/methods.js';
import type { ApiResult, ChatModeResult } from '../../api/result.js';
import { unavailable } from '../../api/unavailable.js';
import type {
  CallbackEnabledCallback,
  ClientAttributesParams,
  ContactInfo,
  ContactInfoParams,
  JivoApiMethods,
  OfflineMessageParams,
  OfflineMessageResult,
  OpenParams,
  UtmResult,
  VisitorNumberCallback,
} from '../../api/types.js';
import { WidgetStore } from '../../state/store.js';
import { FULL_VIEWS, OPEN_VIEWS, type WidgetView } from '../../state/types.js';
import type { ChatTransport } from '../../transport/transport.js';
import type { JivoTexts } from '../../i18n/texts.js';
import { storeContext } from '../shared/context.js';
import { SelectController } from '../shared/select-controller.js';
import { loadedParts, loadParts, withParts, type Parts } from './parts.js';
import { AnnouncerController } from './controllers/announcer.js';
import { AttributesController } from './controllers/attributes.js';
import { LanguageController } from './controllers/language.js';
import { SessionController } from './controllers/session.js';
import { StorageController } from './controllers/storage.js';
import type { TriggersController } from './controllers/triggers.js';
import { ViewportController } from './controllers/viewport.js';
import { widgetStyles } from './widget.styles.js';

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
 * @cssproperty [--jivo-border=#767f8c] - Borders of the message input and form fields; dividers default to a lighter `#c9ced6`.
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
 * @cssproperty [--jivo-menu-width=300px] - Width of the channel menu.
 */
export class JivoWidget extends LitElement implements JivoApiMethods {
  static override styles = widgetStyles;

  readonly #store = new WidgetStore();
  /** @internal */
  @provide({ context: storeContext })
  readonly store: WidgetStore | undefined = this.#store;

  // Each of the widget's jobs is a controller, added in the order their start-up needs: the language (the language
  // controller, in the constructor) is known before anything renders, and what the browser stored is restored before
  // anything is announced; the connection opens on the restored visitor; triggers follow it.
  readonly #attributes = new AttributesController(this, this.#store);
  readonly #storage = new StorageController(this, this.#store, () => this.#session);
  readonly #viewport = new ViewportController(this);
  readonly #announcer = new AnnouncerController(this, this.#store, this.#viewport);
  readonly #session = new SessionController(this, this.#store);
  /** The trigger rules' controller, which comes with the window chunk: added once that is there (`#triggersOf`). */
  #triggers?: TriggersController;
  /** The API's method bodies, which come with the window chunk. */
  #api?: WidgetApi;
  readonly #view = new SelectController(this, (s) => s.view, 'label' as WidgetView);
  readonly #hidden = new SelectController(this, (s) => s.hidden, false);
  /** The language the widget's text is in, which may not be the page's (WCAG 3.1.2). */
  readonly #locale = new SelectController(this, (s) => s.locale, 'en');
  readonly #dir = new SelectController(this, (s) => s.dir, null as 'ltr' | 'rtl' | null);
  /** The language's chunk is still on its way at start-up: nothing shows, so that nothing shows in English first. */
  readonly #catalogLoading = new SelectController(this, (s) => s.catalogLoading, false);
  /**
   * The window is on the page while closed too, hidden: rendered (and laid out) once the window chunk has arrived, the
   * backend has welcomed the visitor and the page is idle (`prepareWindow`), so that opening it, whatever the history,
   * is one frame of work. Its elements' first renders are each a task of their own (StoreElement).
   */
  #prepared = false;
  /** Cancels the idle wait for preparing the window. */
  #prepareLater?: () => void;

  constructor() {
    super();
    new LanguageController(this, this.#store);
    // The visitor reaches for the widget (a pointer over it, focus in it): the rest of it loads now, not when idle.
    for (const type of ['pointerover', 'focusin']) this.addEventListener(type, this.#reach);
  }

  readonly #reach = (): void => {
    if (!loadedParts())
      loadParts().catch((error: unknown) => console.warn('jivo-widget: could not load the chat window', error));
  };

  /** Namespaces everything the widget keeps in the browser, so two sites (or two widgets) on one origin do not mix. */
  @property({ attribute: 'widget-id', reflect: true }) widgetId?: string;

  /** Accent colour, a hex code such as `#2a5bd7`. Anything else falls back to the default. */
  @property({ reflect: true }) color?: string;

  /** Second hex colour: with `color`, accented surfaces get a gradient from `color` to `color2`. */
  @property({ reflect: true }) color2?: string;

  /** Department that new chats are routed to. */
  @property({ reflect: true }) department?: string;

  /**
   * Interface language: `en`, `ru`, `uk`, `de`, `fr`, `es`, `pt`, `it`, `pl`, `tr`, `ar` or `he` (a region is ignored:
   * `pt-BR` speaks `pt`; Arabic and Hebrew lay the widget out right to left). Without it, or with a language the widget
   * does not speak, the page's `<html lang>`, then the browser's languages, then English. Followed when it changes; so
   * are the page's `lang` and `dir`.
   */
  @property({ reflect: true }) override lang!: string;

  /**
   * The site's own wording for any text of the widget, over the language's: the catalogue's keys, each optional
   * (`{launcherText: 'Questions?', window: {files: {attach: 'Add a photo'}}}`). As an attribute, JSON. Unknown keys and
   * values that are not strings are ignored with a console warning; each text is cut at 500 characters and shown as
   * text, never HTML.
   */
  @property({ converter: { fromAttribute: parseTexts, toAttribute: () => null } }) texts?: JivoTexts;

  /**
   * Screen corner: `right` (default) or `left`, for left-to-right text; in right-to-left text (Arabic, Hebrew, a `dir="rtl"`
   * page) the widget mirrors, and they are the bottom left and the bottom right.
   */
  @property({ reflect: true }) position?: 'right' | 'left';

  /**
   * Address of the chat backend: a `ws:`/`wss:` URL, or an `http(s):` URL or page-relative path (e.g. `/ws/visitor`),
   * which is reached over the matching WebSocket scheme. Without it (and without `transport`) the widget keeps
   * messages in the browser until it has somewhere to send them.
   */
  @property({ reflect: true }) endpoint?: string;

  /** Play a short chime when an agent's message arrives (in one tab only, when the site is open in several). */
  @property({ type: Boolean, reflect: true }) sound = false;

  // The values are spelled out (they are the store's ContactsFormMode) so that the manifest and editors list them.
  /**
   * Asks for the visitor's contact details (name, and an email or a phone) before the first message: `off` (the
   * default, also for any other value), `optional` (the form comes first and has a Skip button) or `required` (the
   * message input appears only once they are given). Not shown when the site already gave them (`setContactInfo`).
   * Agents can ask for them at any time, whatever this says.
   */
  @property({ attribute: 'contacts-form', reflect: true }) contactsForm?: 'off' | 'optional' | 'required';

  /**
   * Colour scheme of the window and the menu: `light` (the default, also for any other value), `dark`, or `auto`, which
   * follows the visitor's system setting (`prefers-color-scheme`), also when it changes while the page is open. The
   * launcher and the accent keep the site's colours in both.
   */
  @property({ reflect: true }) theme?: 'light' | 'dark' | 'auto';

  /**
   * `none` leaves out the built-in launcher, for a site that opens the chat from a button of its own with `open()` or
   * `jivo_api.open()`; closing the window gives focus back to that button. Anything else shows the launcher.
   */
  @property({ reflect: true }) launcher?: 'none';

  /** A backend connection of the site's own (see ChatTransport); used instead of `endpoint` when set. */
  @property({ attribute: false }) transport?: ChatTransport;

  /** @internal The widget id the widget stores under and reports to the backend. */
  get namespace(): string {
    return this.#attributes.namespace;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // (After the other controllers: the rules start on the restored visitor and know whether a backend runs.)
    withParts(
      this,
      () => true,
      (parts) => this.#triggersOf(parts),
    );
    // (Last: after everything of the chunk's start-up, and only once the page has nothing else to do.)
    withParts(
      this,
      () => true,
      (parts) =>
        (this.#prepareLater ??= parts.prepareWindow(this.#store, () => {
          this.#prepared = true;
          this.requestUpdate();
        })),
    );
  }

  #triggersOf(parts: Parts): TriggersController {
    return (this.#triggers ??= new parts.TriggersController(this, this.#store, this.#storage, this.#session));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#prepareLater?.();
    this.#prepareLater = undefined;
    this.#announcer.announceRemoval();
  }

  /**
   * The first render waits for a task of its own: the page's running of the widget's module, with the element's start
   * (what the browser stored restored, the language found), is one task, and the launcher's render the next, so that
   * neither holds up the page for as long as both would. Where the browser has `scheduler.yield()`; elsewhere (Safari,
   * jsdom, where a site's tests may stop the clock) the launcher renders in the same task, as it always has.
   */
  protected override scheduleUpdate(): void | Promise<unknown> {
    const scheduler = (window as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
    if (this.hasUpdated || !scheduler?.yield) return super.scheduleUpdate();
    return scheduler.yield().then(() => super.scheduleUpdate());
  }

  protected override willUpdate(): void {
    if (!this.isConnected) return;
    // Opened (by the visitor, the API or a restored state) before the rest of the widget is there: it loads now.
    if (OPEN_VIEWS.has(this.#view.value)) this.#reach();
    // A new widget id is another visitor as far as the browser is concerned: switch to what that id has stored,
    // after leaving the old visitor's connection, so nothing of one goes out on the other's.
    const switched = this.#storage.switched;
    if (switched) {
      this.#session.stop();
      this.#triggers?.stop(true);
      this.#storage.restore();
    }
    if (switched || this.#session.outdated) this.#session.start();
    if (switched) this.#triggers?.start();
  }

  // --- the JivoChat Widget API: bodies in src/api/methods.ts, each documented in full on JivoApiMethods ---

  /** Opens the window (`{start: 'chat'}`), the channel menu (`'menu'`) or the callback form (`'call'`). */
  open(params?: OpenParams | null): ApiResult {
    return this.#call('open', [params]);
  }

  /** Closes the window: state `chat/min` once a conversation exists, `label` before. */
  close(): ApiResult {
    return this.#call('close', []);
  }

  /** Opens the window with `text` as the team's greeting, optionally routing the chat to `departmentId`. */
  showProactiveInvitation(text: string, departmentId?: number | string | null): ApiResult {
    return this.#call('showProactiveInvitation', [text, departmentId]);
  }

  /** Sets the accent colour (a hex code), and with `color2` a gradient. */
  setWidgetColor(color: string, color2?: string | null): ApiResult {
    return this.#call('setWidgetColor', [color, color2]);
  }

  /** Whether an agent is online: `{result: 'online' | 'offline'}`, which also reads as the bare word. */
  chatMode(): ChatModeResult {
    return this.#call('chatMode', []);
  }

  /** How many agent messages arrived while the window was closed. */
  getUnreadMessagesCount(): number {
    return this.#call('getUnreadMessagesCount', []);
  }

  /** Sends a message for the site to answer later: `{result: 'ok'}` or `{result: 'fail', error}`. */
  sendOfflineMessage(params: OfflineMessageParams): OfflineMessageResult {
    return this.#call('sendOfflineMessage', [params]);
  }

  /** Calls `callback(null, number)` with the backend's visitor number, or `callback(error)`; asynchronously. */
  getVisitorNumber(callback: VisitorNumberCallback): ApiResult {
    return this.#call('getVisitorNumber', [callback]);
  }

  /** Asks for a call back on `phone` (an optional `+` and 7-15 digits). */
  startCall(phone: string): ApiResult {
    return this.#call('startCall', [phone]);
  }

  /** Calls `callback({result: 'ok'})`, or `callback({result: 'fail', reason})`; asynchronously. */
  isCallbackEnabled(callback: CallbackEnabledCallback): ApiResult {
    return this.#call('isCallbackEnabled', [callback]);
  }

  /** Sets the visitor's contact details for the agents; given fields replace the old. */
  setContactInfo(info: ContactInfoParams): ApiResult {
    return this.#call('setContactInfo', [info]);
  }

  /** The visitor's contact details: `client_name`, `email`, `phone`, `description`, null where unknown. */
  getContactInfo(): ContactInfo {
    return this.#call('getContactInfo', []);
  }

  /** Replaces the extra data shown to agents: at most 10 fields of `content`, `title`, `link` and `key`. */
  setCustomData(fields: unknown): ApiResult {
    return this.#call('setCustomData', [fields]);
  }

  /** Sets the site's own id for the visitor, never shown; the backend carries it as `user_token`. */
  setUserToken(token: string): ApiResult {
    return this.#call('setUserToken', [token]);
  }

  /** Tells agents the page the visitor is on (single-page apps): `title` and `url`. */
  sendPageTitle(title: string, fromApi?: boolean, url?: string): ApiResult {
    return this.#call('sendPageTitle', [title, fromApi, url]);
  }

  /** The utm tags of the visitor's first visit, null where absent. */
  getUtm(): UtmResult {
    return this.#call('getUtm', []);
  }

  /** Replaces the proactive trigger rules (docs/rules.md); invalid rules fail and the old ones stay. */
  setRules(rules: unknown): ApiResult {
    return this.#call('setRules', [rules]);
  }

  /** Merges attributes into the visitor's (null deletes one); at most 10 calls per hour per visitor. */
  setClientAttributes(attributes: ClientAttributesParams): ApiResult {
    return this.#call('setClientAttributes', [attributes]);
  }

  /** Removes the conversation and everything stored in the browser for this widget id. */
  clearHistory(): ApiResult {
    return this.#call('clearHistory', []);
  }

  /**
   * Runs one API method. Its body is in the window chunk (`src/api/methods.ts`), which loads once the page is idle, or
   * at once on a call like this one. Until it is there, `open()`, `close()`, `setWidgetColor()` and the readers of what
   * the launcher knows answer in full (`src/api/early.ts`: a visitor's click on a site's own button may come that
   * early), and every other method answers as when the widget is not on the page, with a reason that says so. The chunk is there by the time `jivo-load` fires
   * (`jivo_onLoadCallback`, the documented moment to call the API, and when `window.jivo_queue` runs).
   */
  #call<K extends keyof WidgetApi>(name: K, args: Parameters<WidgetApi[K]>): ReturnType<WidgetApi[K]> {
    const parts = loadedParts();
    if (!parts) {
      this.#reach();
      return (answerEarly(this, this.#store, name, args) ??
        unavailable(name, `The widget is still loading: call ${name} from jivo_onLoadCallback`, args)) as ReturnType<
        WidgetApi[K]
      >;
    }
    this.#api ??= new parts.WidgetApi({
      store: this.#store,
      element: this,
      session: this.#session,
      storage: this.#storage,
      triggers: this.#triggersOf(parts),
    });
    return (this.#api[name] as (...a: typeof args) => ReturnType<WidgetApi[K]>)(...args);
  }

  override render() {
    // Hidden by a trigger rule, or the site's own launcher: the root stays (the resize observer and the colours are on it), empty.
    const view = this.#hidden.value ? 'hidden' : this.#view.value;
    const open = OPEN_VIEWS.has(view as WidgetView);
    const full = FULL_VIEWS.has(view as WidgetView);
    const theme = this.theme ?? nothing;
    const dir = this.#dir.value ?? nothing;
    return html`<div class="root ${open ? 'open' : ''} ${full ? 'full' : ''}" part="base" lang=${this.#locale.value} dir=${dir}>
      ${
        (full || this.#prepared) && !this.#catalogLoading.value
          ? html`<jivo-chat-window class=${full ? '' : 'prepared'} theme=${theme} exportparts="window, header, messages, invitation, composer, input, send, offline-form, callback-form, contacts-form"></jivo-chat-window>`
          : nothing
      }
      ${view === 'menu' && !this.#catalogLoading.value ? html`<jivo-mobile-menu theme=${theme} exportparts="menu"></jivo-mobile-menu>` : nothing}
      ${open || view === 'hidden' || this.launcher === 'none' || this.#catalogLoading.value ? nothing : html`<jivo-launcher exportparts="launcher, badge"></jivo-launcher>`}
    </div>`;
  }
}

/** The `texts` attribute: JSON of an object, else nothing (with a warning). */
function parseTexts(value: string | null): JivoTexts | undefined {
  if (value === null) return undefined;
  try {
    const texts: unknown = JSON.parse(value);
    if (typeof texts === 'object' && texts !== null && !Array.isArray(texts)) return texts as JivoTexts;
  } catch {
    // said below
  }
  console.warn('jivo-widget: the texts attribute is not a JSON object; ignored');
  return undefined;
}

declare global {
  interface HTMLElementTagNameMap {
    'jivo-widget': JivoWidget;
  }
}
