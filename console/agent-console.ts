import {
  html,
  LitElement,
  nothing,
  type PropertyValues,
  type ReactiveController,
  type ReactiveControllerHost,
} from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { safeHttpUrl } from '../src/internal/url.js';
import type { CustomField, PageInfo, Utm } from '../src/model/types.js';
import type { WireFile, WireMessage } from '../src/transport/protocol.js';
import { fileName, formatBytes, isInlineImage } from '../src/model/files.js';
import { randomId } from '../src/model/id.js';
import { LIMITS } from '../src/model/limits.js';
import { validateReplies, type SiteSettings } from '../src/model/site-settings.js';
import { CALL_NEXT, type AgentCall, type AgentOfflineMessage } from '../server/agent-protocol.js';
import { agentConsoleStyles } from './agent-console.styles.js';
import { ConsoleAnnouncer } from './announcer.js';
import { ConsoleAlerts } from './alerts.js';
import { lastMessageLine, waitingSince, waitText, WaitTicker } from './waiting.js';
import { AgentConnection } from './connection.js';
import {
  ConsoleStore,
  type ChatView,
  type ConsoleState,
  type PagedList,
  type PageLoaded,
  type PendingMessage,
} from './store.js';
import { connectionText, visitorLabel } from './strings.js';
import { refusalText, uploadAsAgent, type AgentUpload } from './uploads.js';

/** A typing:true is repeated at most this often while the agent keeps typing… */
const TYPING_REPEAT = 3000;
/** …and typing:false follows this long after the last keystroke. */
const TYPING_IDLE = 4000;

/** The server's HTTP origin for a socket address (`wss://host/ws/agent` → `https://host`). */
const httpOrigin = (socketUrl: string): string => {
  const url = new URL(socketUrl);
  url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
  return url.origin;
};

/** Calls the server's sign-in API with the browser's cookies (docs/protocol.md, "Agent authentication"). */
async function api(
  base: string,
  path: string,
  body?: object,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${base}${path}`, {
    method: body === undefined && path === '/api/session' ? 'GET' : 'POST',
    credentials: 'include',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    // not JSON: the status says enough
  }
  return { status: res.status, json };
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const formatTime = (at: number) => (Number.isFinite(at) && Math.abs(at) <= 8.64e15 ? timeFormat.format(at) : '');
const formatDateTime = (at: number) =>
  Number.isFinite(at) && Math.abs(at) <= 8.64e15 ? dateTimeFormat.format(at) : '';

const UTM_LABELS: Array<[keyof Utm, string]> = [
  ['source', 'Source'],
  ['medium', 'Medium'],
  ['campaign', 'Campaign'],
  ['content', 'Content'],
  ['term', 'Term'],
];
/** Why a call failed, as the agent picks it (the visitor's page gets it as `jivo_onCallEnd`'s reason). */
const FAILURE_REASONS = ['No answer', 'Busy', 'Wrong number', 'Cancelled by the visitor'];
const CALL_STATUS_TEXT: Record<AgentCall['status'], string> = {
  requested: 'Waiting for a call',
  connected: 'Connected',
  finished: 'Finished',
  failed: 'Failed',
};
const activeCall = (c: AgentCall) => CALL_NEXT[c.status].length > 0;
/** How close to the top of a conversation a scroll asks for earlier messages (px). */
const LOAD_EARLIER_AT = 32;
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
const PAGE_NAMES: Record<PagedList, [string, string]> = {
  visitors: ['visitor', 'visitors'],
  activeVisitors: ['active visitor', 'active visitors'],
  offlineMessages: ['offline message', 'offline messages'],
  calls: ['call back', 'call backs'],
  openCalls: ['open call back', 'open call backs'],
};

/** What the status region says when a page came. */
function pageText(page: PageLoaded): string {
  if (page.list === 'messages') {
    if (!page.count) return 'No earlier messages.';
    return `Loaded ${plural(page.count, 'earlier message', 'earlier messages')}.${page.more ? '' : ' This is the start of the conversation.'}`;
  }
  const [one, many] = PAGE_NAMES[page.list];
  return `Loaded ${plural(page.count, `more ${one}`, `more ${many}`)}.${page.more ? '' : ` All ${many} are shown.`}`;
}
/** The file the agent is sending, one at a time: where to, under which client id, how far it went, whether it failed. */
interface Uploading {
  visitorId: string;
  clientId: string;
  name: string;
  /** The share sent, 0-1. */
  share: number;
  /** The upload failed on the way (offline, the server failed): Retry sends it again under the same client id. */
  failed: boolean;
}

const lastActivity = (chat: ChatView) => Math.max(chat.lastSeenAt, chat.messages.at(-1)?.at ?? 0);

/** Re-renders the host whenever the store's state changes, for as long as the host is connected. */
class StoreController implements ReactiveController {
  #unsubscribe: (() => void) | null = null;
  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly store: ConsoleStore,
  ) {
    host.addController(this);
  }
  hostConnected(): void {
    const subscription = this.store.state$.subscribe(() => this.host.requestUpdate());
    this.#unsubscribe = () => subscription.unsubscribe();
  }
  hostDisconnected(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
  }
}

/**
 * The agent console of the reference backend: go online, see every visitor and what they are doing, take a chat and
 * answer it, read the offline messages. Everything visitors send is rendered as text; a page address becomes a link
 * only when it is http or https.
 *
 * @tagname jivo-agent-console
 * @summary A demo agent console for the reference chat backend.
 */
export class JivoAgentConsole extends LitElement {
  static override styles = agentConsoleStyles;

  @query('#reply') private readonly replyField?: HTMLTextAreaElement;
  @query('#login') private readonly loginField?: HTMLInputElement;
  @query('#online') private readonly onlineButton?: HTMLButtonElement;
  @query('#password') private readonly passwordField?: HTMLInputElement;
  @query('.log') private readonly log?: HTMLElement;
  @query('#attach-input') private readonly attachInput?: HTMLInputElement;

  /** Draft replies per visitor, so switching chats keeps what the agent was writing. */
  @state() private drafts: ReadonlyMap<string, string> = new Map();
  /** Quick replies being written per visitor (one a line), sent with the next reply. */
  @state() private replyDrafts: ReadonlyMap<string, string> = new Map();
  /** What is wrong with the quick replies being written, if anything. */
  @state() private repliesError: string | null = null;
  /** The site whose settings the Sites view shows. */
  @state() private site = '';
  /** Why the last sign-in failed, shown on the sign-in form. */
  @state() private signInError: string | null = null;
  @state() private signingIn = false;
  /** The file being sent, if any. */
  @state() private uploading: Uploading | null = null;
  /** Why the server refused the agent's last file, shown under the reply box of its conversation. */
  @state() private fileError: { visitorId: string; text: string } | null = null;

  /** The agent socket's address; default: `/ws/agent` on this page's origin. */
  @property() endpoint?: string;

  readonly store = new ConsoleStore();
  #connection: AgentConnection | null = null;
  /** The server's HTTP origin (sign-in API), from the socket's address. */
  #base = '';
  #typingTo: string | null = null;
  #typingSentAt = 0;
  #typingTimer: ReturnType<typeof setTimeout> | undefined;
  /** The seq last marked read per chat, so that a chat is not marked read over and over. */
  readonly #readSent = new Map<string, number>();
  /** What the log showed at the last render, to keep it scrolled to the newest message. */
  #shown = '';
  #stickToBottom = true;
  /** The log's scroll height and position before this update, and the chat and first seq it showed. */
  #scrollBefore: { height: number; top: number } | null = null;
  #firstShown: { id: string; seq: number } | null = null;
  /** The page request the agent made from a control that had the focus: the focus is kept sensible after it. */
  #focusAfter: { list: PagedList | 'messages'; visitorId: string | null } | null = null;
  /** The last page announced, and what the status region says. */
  #pageAnnounced: PageLoaded | null = null;
  #pageStatus = '';

  readonly #announcer: ConsoleAnnouncer;
  /** The request of the file being sent, and its bytes until it is stored (a retry sends them again). */
  #upload: AgentUpload | null = null;
  #uploadBlob: Blob | null = null;
  /** Title count, sound and desktop notifications for what the agent must not miss (alerts.ts). */
  readonly #alerts: ConsoleAlerts;

  constructor() {
    super();
    new StoreController(this, this.store);
    this.#announcer = new ConsoleAnnouncer(this, this.store, () =>
      this.renderRoot.querySelector<HTMLElement>('.announcer'),
    );
    this.#alerts = new ConsoleAlerts(this, this.store, (id) => this.#openChat(id));
    new WaitTicker(this, this.store, (text) => this.#announcer.announce(text));
  }

  override connectedCallback(): void {
    super.connectedCallback();
    const url = this.endpoint ?? `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws/agent`;
    this.#base = httpOrigin(url);
    this.#connection = new AgentConnection(this.store, url, () => this.#stillSignedIn());
    void this.#checkSession();
    document.addEventListener('visibilitychange', this.#onVisibility);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stopTyping();
    this.#connection?.stop();
    this.#connection = null;
    this.#upload?.abort();
    document.removeEventListener('visibilitychange', this.#onVisibility);
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    const log = this.log;
    this.#stickToBottom = !log || log.scrollHeight - log.scrollTop - log.clientHeight < 48;
    this.#scrollBefore = log ? { height: log.scrollHeight, top: log.scrollTop } : null;
    const page = this.store.state.pageLoaded;
    if (page && page !== this.#pageAnnounced) {
      // The same words twice would not be read again: alternate a trailing no-break space.
      const text = pageText(page);
      this.#pageStatus =
        this.#pageStatus.startsWith(text) && !this.#pageStatus.endsWith('\u00a0') ? `${text}\u00a0` : text;
    }
    this.#pageAnnounced = page;
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    const s = this.store.state;
    const chat = s.selected === null ? undefined : s.chats.get(s.selected);
    const shown = chat ? `${chat.id}:${chat.messages.length}:${s.pending.length}` : '';
    const first = chat ? { id: chat.id, seq: chat.messages[0]?.seq ?? Infinity } : null;
    if (shown !== this.#shown) {
      const log = this.log;
      const earlier = first !== null && this.#firstShown?.id === first.id && first.seq < this.#firstShown.seq;
      if (log && earlier && this.#scrollBefore) {
        // Earlier messages came in above: what the agent was reading stays where it was.
        log.scrollTop = this.#scrollBefore.top + (log.scrollHeight - this.#scrollBefore.height);
      } else if (log && (this.#stickToBottom || !this.#shown.startsWith(`${chat?.id}:`))) {
        // A newly opened chat starts at the bottom; an open one follows new messages unless the agent scrolled up.
        log.scrollTop = log.scrollHeight;
      }
      this.#shown = shown;
    }
    this.#firstShown = first;
    this.#keepFocusAfterPage(s);
    this.#markRead();
  }

  /**
   * Once the page the agent asked for came: the control that asked keeps the focus while there is more, and when it
   * goes away the focus moves to the conversation (earlier messages) or to the first new item of the list.
   */
  #keepFocusAfterPage(s: ConsoleState): void {
    const wanted = this.#focusAfter;
    if (!wanted) return;
    const { list, visitorId } = wanted;
    if (list === 'messages' ? s.loadingMessages.has(visitorId!) : s.loading[list] !== undefined) return;
    this.#focusAfter = null;
    const root = this.shadowRoot!;
    const control = root.querySelector<HTMLElement>(list === 'messages' ? '.load-earlier' : `[data-more="${list}"]`);
    if (control) return control.focus();
    if (list === 'messages') return this.log?.focus();
    const firstNew = s.pageLoaded?.list === list ? s.pageLoaded.ids[0] : undefined;
    const item =
      firstNew === undefined ? null : root.querySelector<HTMLElement>(`[data-page-id="${CSS.escape(firstNew)}"]`);
    item?.focus();
  }

  // --- handlers ---

  readonly #onVisibility = () => this.#markRead();

  /** The open chat's visitor messages count as read while the console is visible. */
  #markRead(): void {
    const s = this.store.state;
    const chat = s.selected === null ? undefined : s.chats.get(s.selected);
    if (!chat || s.view !== 'chats' || s.connection !== 'open' || document.visibilityState !== 'visible') return;
    if (chat.unread === 0 || (this.#readSent.get(chat.id) ?? -1) >= chat.lastSeq) return;
    this.#readSent.set(chat.id, chat.lastSeq);
    this.#connection?.read(chat.id, chat.lastSeq);
  }

  /** At start: a session from an earlier visit connects at once; otherwise the sign-in form shows. */
  async #checkSession(): Promise<void> {
    try {
      const { status, json } = await api(this.#base, '/api/session');
      if (status === 200 && typeof json.name === 'string') {
        this.store.setSignedIn(json.name, json.role === 'admin');
        this.#connection?.start();
        return;
      }
    } catch {
      // The server is unreachable: try the socket, which retries until it is back.
      this.store.setSignedIn(this.store.state.name ?? '');
      this.#connection?.start();
      return;
    }
    this.store.setSignedIn(null);
  }

  /** After a socket closed before its welcome: keep retrying only while the session is valid. */
  async #stillSignedIn(): Promise<boolean> {
    try {
      const { status } = await api(this.#base, '/api/session');
      if (status !== 401) return true;
    } catch {
      return true;
    }
    // The screen the agent was on is gone: if focus was in it, it goes to the sign-in form rather than the page.
    const hadFocus = this.shadowRoot?.activeElement != null;
    this.#connection?.stop();
    this.store.setSignedIn(null);
    if (hadFocus) this.#focusNext(() => this.loginField);
    return false;
  }

  async #onSignIn(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.signingIn) return;
    this.signingIn = true;
    this.signInError = null;
    try {
      const { status, json } = await api(this.#base, '/api/login', {
        login: this.loginField?.value ?? '',
        password: this.passwordField?.value ?? '',
      });
      if (status === 200 && typeof json.name === 'string') {
        if (this.passwordField) this.passwordField.value = '';
        this.store.setSignedIn(json.name, json.role === 'admin');
        this.#connection?.start();
        // The form is gone with the focus in it: the console's first control, Online, is what comes next.
        this.#focusNext(() => this.onlineButton);
      } else {
        this.signInError =
          status === 429
            ? 'Too many attempts. Try again in a few minutes.'
            : status === 401
              ? 'Wrong login or password.'
              : `The server refused to sign you in (${status}).`;
      }
    } catch {
      this.signInError = 'The server cannot be reached. Try again in a moment.';
    } finally {
      this.signingIn = false;
    }
  }

  async #signOut(): Promise<void> {
    this.#stopTyping();
    this.#connection?.stop();
    try {
      await api(this.#base, '/api/logout', {});
    } catch {
      // Signed out here anyway; the session expires on the server.
    }
    this.store.setSignedIn(null);
    this.#focusNext(() => this.loginField);
  }

  /** Once the next screen is rendered, puts the focus on `target`. */
  #focusNext(target: () => HTMLElement | undefined): void {
    void this.updateComplete.then(() => target()?.focus());
  }

  #toggleOnline(): void {
    this.#connection?.setOnline(!this.store.state.wantOnline);
  }

  #openChat(id: string): void {
    if (this.#typingTo !== id) this.#stopTyping();
    this.store.openChat(id);
    // A visitor the console heard of only live: fetch its newest messages at once.
    if (this.store.state.chats.get(id)?.messages.length === 0) this.#connection?.loadOlderMessages(id);
    void this.updateComplete.then(() => this.replyField?.focus());
  }

  /** The "Load earlier messages" button, or a scroll to the top of the conversation. */
  #loadEarlier(visitorId: string, fromControl: boolean): void {
    if (this.#connection?.loadOlderMessages(visitorId) && fromControl)
      this.#focusAfter = { list: 'messages', visitorId };
  }

  #onLogScroll(chat: ChatView): void {
    if (chat.olderMessages && this.log && this.log.scrollTop < LOAD_EARLIER_AT) this.#loadEarlier(chat.id, false);
  }

  /** A "Show more" button at the end of a list. */
  #showMore(list: PagedList): void {
    if (this.#connection?.loadMore(list)) this.#focusAfter = { list, visitorId: null };
  }

  #finishChat(visitorId: string): void {
    if (this.#typingTo === visitorId) this.#stopTyping();
    this.#connection?.finish(visitorId);
    // The button goes away with the chat: keep the focus in the conversation.
    void this.updateComplete.then(() => this.replyField?.focus());
  }

  #onDraftInput(visitorId: string, event: InputEvent): void {
    const text = (event.target as HTMLTextAreaElement).value;
    const drafts = new Map(this.drafts);
    drafts.set(visitorId, text);
    this.drafts = drafts;
    if (!text.trim()) {
      this.#stopTyping();
      return;
    }
    const now = Date.now();
    if (this.#typingTo !== visitorId || now - this.#typingSentAt > TYPING_REPEAT) {
      if (this.#typingTo !== visitorId) this.#stopTyping();
      this.#typingTo = visitorId;
      this.#typingSentAt = now;
      this.#connection?.typing(visitorId, true);
    }
    clearTimeout(this.#typingTimer);
    this.#typingTimer = setTimeout(() => this.#stopTyping(), TYPING_IDLE);
  }

  #stopTyping(): void {
    clearTimeout(this.#typingTimer);
    if (this.#typingTo !== null) this.#connection?.typing(this.#typingTo, false);
    this.#typingTo = null;
  }

  #onReplyKeydown(visitorId: string, event: KeyboardEvent): void {
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
    event.preventDefault();
    this.#send(visitorId);
  }

  #onReplySubmit(visitorId: string, event: SubmitEvent): void {
    event.preventDefault();
    this.#send(visitorId);
  }

  #send(visitorId: string): void {
    const text = this.drafts.get(visitorId) ?? '';
    if (!text.trim() || text.length > LIMITS.text || !this.store.state.online) return;
    const lines = (this.replyDrafts.get(visitorId) ?? '')
      .split('\n')
      .map((x) => x.trim())
      .filter(Boolean);
    const replies = lines.length ? validateReplies(lines) : null;
    if (replies && !replies.ok) {
      // Checked here by the backend's rule, so that the reply is not refused after it left.
      this.repliesError = `Reply buttons: ${replies.message}.`;
      this.shadowRoot?.querySelector<HTMLElement>('#quick-replies')?.focus();
      return;
    }
    this.#stopTyping();
    this.#connection?.sendMessage(visitorId, text, replies?.ok ? replies.value : []);
    const drafts = new Map(this.drafts);
    drafts.delete(visitorId);
    this.drafts = drafts;
    const replyDrafts = new Map(this.replyDrafts);
    replyDrafts.delete(visitorId);
    this.replyDrafts = replyDrafts;
  }

  /** Why the agent cannot reply in this chat now; '' when they can. */
  #replyHint(chat: ChatView, s: ConsoleState): string {
    const takenByOther =
      chat.acceptedBy !== null &&
      chat.acceptedBy !== s.name &&
      s.agents.some((a) => a.name === chat.acceptedBy && a.online);
    return !s.online
      ? 'Go online to reply.'
      : takenByOther
        ? `${chat.acceptedBy} has this chat.`
        : s.connection !== 'open'
          ? 'Reconnecting…'
          : '';
  }

  /** A file the agent picked, dropped or pasted on the conversation with `visitorId`: uploaded, then sent. */
  #attach(visitorId: string, file: File | undefined): void {
    if (!file) return;
    const s = this.store.state;
    const chat = s.chats.get(visitorId);
    if (!chat) return;
    const name = fileName(file.name) || 'file';
    const hint = this.#replyHint(chat, s);
    if (hint) return this.#announcer.announce(`${name} was not sent. ${hint}`);
    if (this.uploading) {
      const other = this.uploading.name;
      return this.#announcer.announce(`${name} was not sent: ${other} is being sent. Wait for it or cancel it first.`);
    }
    this.fileError = null;
    this.#startUpload({ visitorId, clientId: randomId(), name, share: 0, failed: false }, file);
  }

  /** The Attach button: the browser's file picker, unless a file is on its way (one at a time). */
  readonly #openPicker = (): void => {
    if (this.uploading) this.#announcer.announce(`Wait until ${this.uploading.name} is sent, or cancel it.`);
    else this.attachInput?.click();
  };

  #startUpload(u: Uploading, blob: Blob): void {
    this.uploading = u;
    this.#uploadBlob = blob;
    const upload = uploadAsAgent(this.#base, u.visitorId, u.clientId, u.name, blob, (share) => {
      if (this.#upload === upload && this.uploading) this.uploading = { ...this.uploading, share };
    });
    this.#upload = upload;
    this.#announcer.announce(`Uploading ${u.name}.`);
    void upload.done.then((result) => {
      if (this.#upload !== upload) return;
      this.#upload = null;
      // The focus was on the upload's buttons, which change or go away: it moves to what comes next.
      const hadFocus = this.shadowRoot?.activeElement?.closest('.upload') != null;
      if (!result.ok && result.refused === null && !result.cancelled) {
        this.uploading = { ...u, failed: true };
        this.#announcer.announce(`${u.name} could not be uploaded. Retry, or cancel it.`);
        if (hadFocus) this.#focusNext(() => this.shadowRoot?.querySelector<HTMLElement>('.retry-upload') ?? undefined);
        return;
      }
      this.uploading = null;
      this.#uploadBlob = null;
      if (result.ok) {
        // Its message takes the upload's client id: sent again after a reconnect, it is still stored once.
        this.#connection?.sendMessage(u.visitorId, '', [], result.file, u.clientId);
      } else if (result.refused) {
        const text = refusalText(u.name, result.refused);
        this.fileError = { visitorId: u.visitorId, text };
        this.#announcer.announce(text);
      } else {
        this.#announcer.announce(`Sending ${u.name} was cancelled.`);
      }
      if (hadFocus) this.#focusNext(() => this.shadowRoot?.querySelector<HTMLElement>('#attach') ?? undefined);
    });
  }

  #retryUpload(): void {
    const u = this.uploading;
    if (!u?.failed || !this.#uploadBlob) return;
    this.#startUpload({ ...u, share: 0, failed: false }, this.#uploadBlob);
    this.#focusNext(() => this.shadowRoot?.querySelector<HTMLElement>('.cancel-upload') ?? undefined);
  }

  #cancelUpload(): void {
    if (this.#upload) return this.#upload.abort();
    const u = this.uploading;
    if (!u) return;
    this.uploading = null;
    this.#uploadBlob = null;
    this.#announcer.announce(`Sending ${u.name} was cancelled.`);
    this.#focusNext(() => this.shadowRoot?.querySelector<HTMLElement>('#attach') ?? undefined);
  }

  readonly #onDragOver = (event: DragEvent): void => {
    if (!event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  };

  #onDrop(visitorId: string, event: DragEvent): void {
    const file = event.dataTransfer?.files[0];
    if (!file) return;
    event.preventDefault();
    this.#attach(visitorId, file);
  }

  #onPaste(visitorId: string, event: ClipboardEvent): void {
    const file = event.clipboardData?.files[0];
    // Pasted text stays text; only a file is sent.
    if (!file) return;
    event.preventDefault();
    this.#attach(visitorId, file);
  }

  #onPicked(visitorId: string, event: Event): void {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    // The same file may be picked again later.
    input.value = '';
    this.#attach(visitorId, file);
  }

  /** The file on its way: a named progress bar and Cancel, or after a failure Retry and Cancel. */
  #renderUpload(chat: ChatView) {
    const u = this.uploading;
    if (!u || u.visitorId !== chat.id) return nothing;
    const percent = Math.round(u.share * 100);
    return html`<div class="upload">
      <span id="upload-label">${u.failed ? `${u.name} could not be uploaded.` : `Uploading ${u.name}`}</span>
      ${u.failed ? nothing : html`<progress aria-labelledby="upload-label" max="100" .value=${percent}>${percent}%</progress>`}
      ${u.failed ? html`<button type="button" class="retry-upload" aria-describedby="upload-label" @click=${this.#retryUpload}>Retry upload</button>` : nothing}
      <button type="button" class="cancel-upload" aria-describedby="upload-label" @click=${this.#cancelUpload}>Cancel upload</button>
    </div>`;
  }

  #onRepliesInput(visitorId: string, event: InputEvent): void {
    this.replyDrafts = new Map(this.replyDrafts).set(visitorId, (event.target as HTMLTextAreaElement).value);
    this.repliesError = null;
  }

  /** The widget ids the Sites view offers: those with settings and those of visitors seen. */
  #knownSites(s: ConsoleState): string[] {
    return [...new Set([...s.sites.keys(), ...[...s.chats.values()].map((c) => c.widgetId)])].sort();
  }

  #renderSites(s: ConsoleState) {
    const known = this.#knownSites(s);
    const site = this.site || known[0] || '';
    const save = s.settingsSave?.widgetId === site ? s.settingsSave : null;
    return html`<section aria-labelledby="sites-title">
      <h2 id="sites-title">Sites</h2>
      <p class="muted">Business hours and the pre-chat form of each site (widget id).</p>
      <label for="site-id">Widget id</label>
      <input
        id="site-id"
        list="site-ids"
        maxlength=${LIMITS.widgetId}
        .value=${site}
        ?readonly=${!s.admin && known.length === 0}
        @change=${(e: Event) => (this.site = (e.target as HTMLInputElement).value.trim())}
      />
      <datalist id="site-ids">${known.map((id) => html`<option value=${id}></option>`)}</datalist>
      ${
        site
          ? html`<jivo-site-settings
              .widgetId=${site}
              .settings=${s.sites.get(site) ?? { hours: null, prechat: null }}
              ?editable=${s.admin}
              .saveState=${save}
              @save=${(e: CustomEvent<{ widgetId: string; settings: SiteSettings }>) =>
                this.#connection?.saveSiteSettings(e.detail.widgetId, e.detail.settings)}
            ></jivo-site-settings>`
          : html`<p class="muted">No site yet.</p>`
      }
    </section>`;
  }

  /** What the visitor sent with the site's pre-chat form: the answer to its question, and the consent given. */
  #renderPrechat(chat: ChatView) {
    const p = chat.prechat;
    if (!p) return nothing;
    const consent = p.consent;
    const href = consent ? safeHttpUrl(consent.url) : null;
    return html`<h4 id="prechat-title">Pre-chat form</h4>
      <dl class="prechat" aria-labelledby="prechat-title">
        <dt>Sent</dt>
        <dd>${formatDateTime(p.at)}</dd>
        ${p.question ? html`<dt>${p.question}</dt><dd>${p.answer || html`<span class="muted">no answer</span>`}</dd>` : nothing}
        <dt>Consent</dt>
        <dd>
          ${
            consent
              ? html`Agreed on ${formatDateTime(consent.at)} to “${consent.text}” (version ${consent.version}${
                  href ? html`, <a href=${href} target="_blank" rel="noopener noreferrer">privacy policy</a>` : nothing
                })`
              : 'Not asked'
          }
        </dd>
      </dl>`;
  }

  // --- rendering ---

  #renderPage(page: PageInfo | null) {
    if (!page) return html`<span class="muted">no page yet</span>`;
    const href = safeHttpUrl(page.url);
    const title = page.title.trim() || '(untitled page)';
    return html`<span class="page-title">${title}</span>
      ${
        href
          ? html`<a class="url" href=${href} target="_blank" rel="noopener noreferrer">${page.url}</a>`
          : html`<span class="url">${page.url}</span>`
      }`;
  }

  #takenText(chat: ChatView, s: ConsoleState): string | null {
    if (chat.acceptedBy === null) return null;
    return chat.acceptedBy === s.name ? 'Taken by you' : `Taken by ${chat.acceptedBy}`;
  }

  readonly #onPhotoSubmit = (event: SubmitEvent): void => {
    event.preventDefault();
    const value = (this.renderRoot.querySelector<HTMLInputElement>('#photo')?.value ?? '').trim();
    // The server checks it (https only) and says why it refuses one.
    this.#connection?.setPhoto(value || null);
  };

  #renderChatItem(chat: ChatView, s: ConsoleState) {
    const taken = this.#takenText(chat, s);
    const since = waitingSince(chat);
    const last = lastMessageLine(chat);
    return html`<li>
      <button type="button" class="chat-item" data-page-id=${chat.id} aria-current=${s.selected === chat.id ? 'true' : nothing} @click=${() => this.#openChat(chat.id)}>
        <span class="row">
          <span class="dot ${chat.online ? 'on' : 'off'}" aria-hidden="true"></span>
          <strong>${visitorLabel(chat)}</strong>
          ${chat.contact.name ? html`<span class="contact-name">${chat.contact.name}</span>` : nothing}
          <span class="muted">${chat.widgetId}</span>
          ${chat.unread > 0 ? html`<span class="badge">${chat.unread} unread</span>` : nothing}
        </span>
        <span class="row muted">${chat.online ? 'online' : 'offline'}${chat.typing ? html` · <em>typing…</em>` : nothing}${taken ? ` · ${taken}` : ''}${
          since === null ? nothing : html` · <span class="waiting">${waitText(Date.now() - since)}</span>`
        }</span>
        ${last ? html`<span class="last-message">${last}</span>` : nothing}
        <span class="page-line">${chat.page ? `${chat.page.title.trim() || '(untitled page)'} — ${chat.page.url}` : 'no page yet'}</span>
      </button>
    </li>`;
  }

  /**
   * One message of the log, stored or (an own reply) on its way. A reply keeps its element from "sending…" to sent,
   * and only text changes in it, which the log (aria-relevant additions) does not announce again.
   */
  /**
   * A message's file: an image as a thumbnail (its name as alt text) opening full size in a new tab, any other file as
   * a link with its name and size that downloads it. The server serves it to signed-in agents (the session cookie).
   */
  #renderFile(file: WireFile, visitorId: string) {
    const url = `${this.#base}/files/${encodeURIComponent(file.id)}?visitor=${encodeURIComponent(visitorId)}`;
    return isInlineImage(file.type)
      ? html`<a class="file" href=${url} target="_blank" rel="noopener noreferrer"
          ><img class="thumbnail" src=${url} alt=${file.name} /><span class="visually-hidden">
            (opens full size in a new tab)</span
          ></a
        >`
      : html`<a class="file" href=${url} download=${file.name}>${file.name} (${formatBytes(file.size)})</a>`;
  }

  #renderMessage(m: WireMessage | PendingMessage, chat: ChatView, s: ConsoleState) {
    const stored = 'seq' in m;
    const error = stored ? null : m.error;
    const who = !stored ? (s.name ?? 'You') : m.from === 'visitor' ? visitorLabel(chat) : (m.agentName ?? 'Agent');
    const state = stored
      ? `${formatTime(m.at)}${m.from === 'agent' && chat.readSeq >= m.seq ? ' · seen' : ''}`
      : error
        ? `not sent: ${error}`
        : 'sending…';
    return html`<li class="message ${stored ? m.from : 'agent pending'}">
      <span class="meta">${who} · <span class="state ${error ? 'error' : ''}">${state}</span></span>
      ${m.file ? this.#renderFile(m.file, chat.id) : nothing}
      <span class="text" dir="auto">${m.text}</span>
      ${m.replies?.length ? html`<span class="replies">Reply buttons: ${m.replies.join(' · ')}</span>` : nothing}
      ${
        error
          ? html`<span class="row">
            <button type="button" @click=${() => this.#connection?.retry(m.id)}>Retry</button>
            <button type="button" @click=${() => this.store.discardPending(m.id)}>Discard</button>
          </span>`
          : nothing
      }
    </li>`;
  }

  /** "Show more" at the end of a list whose next page the backend has. */
  #renderMore(list: PagedList, label: string, s: ConsoleState) {
    if (s.cursors[list] === null) return nothing;
    const busy = s.loading[list] !== undefined;
    return html`<li class="more">
      <button
        type="button"
        data-more=${list}
        aria-disabled=${busy ? 'true' : 'false'}
        ?disabled=${s.connection !== 'open'}
        @click=${() => this.#showMore(list)}
      >
        ${label}${busy ? html` <span class="muted">(loading…)</span>` : nothing}
      </button>
    </li>`;
  }

  /** Above the conversation: "Load earlier messages" while the backend has some. */
  #renderEarlier(chat: ChatView, s: ConsoleState) {
    if (!chat.olderMessages) return nothing;
    const busy = s.loadingMessages.has(chat.id);
    return html`<div class="history">
      <button
        type="button"
        class="load-earlier"
        aria-disabled=${busy ? 'true' : 'false'}
        ?disabled=${s.connection !== 'open'}
        @click=${() => this.#loadEarlier(chat.id, true)}
      >
        Load earlier messages${busy ? html` <span class="muted">(loading…)</span>` : nothing}
      </button>
    </div>`;
  }

  /** The log's lines, each with a key that stays the same while it is on screen (a reply's from sending to sent). */
  #logLines(chat: ChatView, s: ConsoleState) {
    const lines: Array<{ key: string; message?: WireMessage | PendingMessage }> = [];
    for (const m of chat.messages) {
      lines.push({ key: s.replyIds.get(m.id) ?? m.id, message: m });
      if (m.seq === chat.finishedSeq) lines.push({ key: `chat-end:${m.seq}` });
    }
    for (const p of s.pending) if (p.visitorId === chat.id) lines.push({ key: p.id, message: p });
    return repeat(
      lines,
      (line) => line.key,
      (line) => (line.message ? this.#renderMessage(line.message, chat, s) : this.#renderChatEnd(chat)),
    );
  }

  /** Where the last finished chat ended: who ended it, and the visitor's rating once given. */
  #renderChatEnd(chat: ChatView) {
    const rating = chat.ratings.find((r) => r.chat === chat.finishedChats);
    const ended = chat.endedBy === 'visitor' ? ' by the visitor' : '';
    return html`<li class="chat-end">Chat finished${ended}${
      rating
        ? html` · <span class="rating ${rating.rate}">Rated ${rating.rate}${rating.comment ? `: “${rating.comment}”` : ''}</span>`
        : nothing
    }</li>`;
  }

  /** One `setCustomData` line: its title above, then `key:` in bold and the content, a link only if http(s). */
  #renderCustomField(f: CustomField) {
    // The backend only passes http(s) links on; the console checks again rather than trust it.
    const href = f.link === undefined ? null : safeHttpUrl(f.link);
    const content = f.content || (href ? f.link : '');
    return html`<li class="custom-field">
      ${f.title ? html`<span class="field-title">${f.title}</span>` : nothing}
      ${
        f.key || content
          ? html`<span class="field-line">${f.key ? html`<strong>${f.key}:</strong> ` : nothing}${
              href
                ? html`<a href=${href} target="_blank" rel="noopener noreferrer">${content}</a>`
                : html`<span class="text">${content}</span>`
            }</span>`
          : nothing
      }
    </li>`;
  }

  /** The last request for contacts and its answer, and the button that asks (again). */
  #renderContactsRequest(chat: ChatView, s: ConsoleState) {
    const r = chat.contactsRequest;
    const text = !r
      ? ''
      : r.state === 'pending'
        ? `Contacts requested by ${r.by} (${formatTime(r.at)}), waiting for the visitor`
        : r.state === 'given'
          ? `The visitor gave their contacts (${formatTime(r.answeredAt ?? r.at)}), asked by ${r.by}`
          : `The visitor declined to give contacts (${formatTime(r.answeredAt ?? r.at)}), asked by ${r.by}`;
    return html`<p class="muted contacts-request">${text}</p>
      <button
        type="button"
        ?disabled=${!s.online || s.connection !== 'open' || r?.state === 'pending'}
        @click=${() => this.#connection?.requestContacts(chat.id)}
      >
        Ask for contacts
      </button>`;
  }

  /** What the site and the visitor told about the visitor: contact details, custom data, utm tags, the page. */
  #renderVisitorPanel(chat: ChatView, s: ConsoleState) {
    const contact = chat.contact;
    const contactRows: Array<[string, string]> = [
      ['Name', contact.name],
      ['Email', contact.email],
      ['Phone', contact.phone],
      ['Description', contact.description],
    ];
    const given = contactRows.filter(([, value]) => value);
    const utm = chat.utm
      ? UTM_LABELS.filter(([k]) => chat.utm![k]).map(([k, label]) => [label, chat.utm![k]] as const)
      : [];
    const row = (label: string, value: string) => html`<dt>${label}</dt><dd>${value}</dd>`;
    const attributes = Object.entries(chat.clientAttributes);
    return html`<aside class="visitor-panel" aria-labelledby="visitor-panel-title">
      <h3 id="visitor-panel-title">Visitor</h3>
      <h4 id="contact-title">Contact details</h4>
      ${
        given.length
          ? html`<dl>${given.map(([label, value]) => row(label, value))}</dl>`
          : html`<p class="muted">No contact details.</p>`
      }
      ${this.#renderContactsRequest(chat, s)} ${this.#renderPrechat(chat)}
      <h4 id="custom-data-title">Custom data</h4>
      ${
        chat.customData.length
          ? html`<ul class="custom-data" aria-labelledby="custom-data-title">${chat.customData.map((f) => this.#renderCustomField(f))}</ul>`
          : html`<p class="muted">None.</p>`
      }
      <h4 id="utm-title">UTM tags</h4>
      ${utm.length ? html`<dl>${utm.map(([label, value]) => row(label, value))}</dl>` : html`<p class="muted">None.</p>`}
      <h4 id="client-attributes-title">Client attributes</h4>
      ${
        attributes.length
          ? html`<dl class="client-attributes" aria-labelledby="client-attributes-title">${attributes.map(([key, value]) => row(key, String(value)))}</dl>`
          : html`<p class="muted">None.</p>`
      }
      <h4 id="ratings-title">Ratings</h4>
      ${
        chat.ratings.length
          ? html`<ul class="ratings" aria-labelledby="ratings-title">
              ${[...chat.ratings]
                .reverse()
                .map(
                  (r) =>
                    html`<li><strong>Chat ${r.chat}: ${r.rate === 'good' ? 'Good' : 'Bad'}</strong> <span class="muted">${formatDateTime(r.at)}</span>${r.comment ? html`<br />${r.comment}` : nothing}</li>`,
                )}
            </ul>`
          : html`<p class="muted">None.</p>`
      }
      <h4 id="current-page-title">Current page</h4>
      <p class="page">${this.#renderPage(chat.page)}</p>
    </aside>`;
  }

  #renderChat(chat: ChatView, s: ConsoleState) {
    const mine = chat.acceptedBy === s.name;
    const takenByOther =
      chat.acceptedBy !== null && !mine && s.agents.some((a) => a.name === chat.acceptedBy && a.online);
    const pending = s.pending.filter((p) => p.visitorId === chat.id);
    const draft = this.drafts.get(chat.id) ?? '';
    const hint = this.#replyHint(chat, s);
    const canReply = hint === '';
    const fileError = this.fileError?.visitorId === chat.id ? this.fileError.text : null;
    return html`<section class="chat" aria-labelledby="chat-title">
      <header class="chat-head">
        <div>
          <h2 id="chat-title">${visitorLabel(chat)} <span class="muted">(${chat.widgetId})</span></h2>
          <p class="muted">
            ${chat.online ? 'Online' : `Offline, last seen ${formatDateTime(chat.lastSeenAt)}`}
            ${chat.department ? ` · department ${chat.department}` : ''} ${chat.lang ? ` · ${chat.lang}` : ''}
          </p>
        </div>
        ${
          mine
            ? html`<div class="row">
              <span class="taken">Taken by you</span>
              <button type="button" ?disabled=${s.connection !== 'open'} @click=${() => this.#finishChat(chat.id)}>Finish chat</button>
            </div>`
            : takenByOther
              ? html`<span class="taken">Taken by ${chat.acceptedBy}</span>`
              : html`<button type="button" class="primary" ?disabled=${!s.online || s.connection !== 'open'} @click=${() => this.#connection?.accept(chat.id)}>
                Accept chat${chat.acceptedBy ? ` (was ${chat.acceptedBy})` : ''}
              </button>`
        }
      </header>
      <div class="chat-body">
        <div
          class="conversation"
          @dragover=${this.#onDragOver}
          @drop=${(e: DragEvent) => this.#onDrop(chat.id, e)}
          @paste=${(e: ClipboardEvent) => this.#onPaste(chat.id, e)}
        >
          ${this.#renderEarlier(chat, s)}
          <div
            class="log"
            role="log"
            aria-live="polite"
            aria-relevant="additions"
            aria-label="Conversation with ${visitorLabel(chat)}"
            aria-busy=${s.loadingMessages.has(chat.id) ? 'true' : 'false'}
            tabindex="0"
            @scroll=${() => this.#onLogScroll(chat)}
          >
            <ol class="messages">
              ${chat.messages.length === 0 && pending.length === 0 ? html`<li class="muted">No messages yet.</li>` : nothing}
              ${this.#logLines(chat, s)}
            </ol>
          </div>
          <p class="typing">${chat.typing ? `${visitorLabel(chat)} is typing…` : ''}</p>
          <form class="composer" @submit=${(e: SubmitEvent) => this.#onReplySubmit(chat.id, e)}>
            <label for="reply">Reply to ${visitorLabel(chat)}</label>
            <textarea
              id="reply"
              rows="3"
              maxlength=${LIMITS.text}
              .value=${draft}
              ?disabled=${!canReply}
              aria-describedby="reply-hint"
              @input=${(e: InputEvent) => this.#onDraftInput(chat.id, e)}
              @keydown=${(e: KeyboardEvent) => this.#onReplyKeydown(chat.id, e)}
              @blur=${() => this.#stopTyping()}
            ></textarea>
            <label for="quick-replies">Reply buttons (optional)</label>
            <textarea
              id="quick-replies"
              rows="2"
              .value=${this.replyDrafts.get(chat.id) ?? ''}
              ?disabled=${!canReply}
              aria-invalid=${this.repliesError ? 'true' : 'false'}
              aria-describedby=${this.repliesError ? 'quick-replies-error quick-replies-hint' : 'quick-replies-hint'}
              @input=${(e: InputEvent) => this.#onRepliesInput(chat.id, e)}
            ></textarea>
            <span id="quick-replies-hint" class="muted">One a line, up to 10 of 40 characters: the visitor answers with a tap.</span>
            ${this.repliesError ? html`<span id="quick-replies-error" class="error">${this.repliesError}</span>` : nothing}
            <input id="attach-input" type="file" hidden tabindex="-1" @change=${(e: Event) => this.#onPicked(chat.id, e)} />
            ${this.#renderUpload(chat)}
            ${fileError ? html`<p id="file-error" class="error">${fileError}</p>` : nothing}
            <div class="row">
              <span id="reply-hint" class="muted">${hint || 'Enter sends, Shift+Enter starts a new line. Drop or paste a file to send it.'}</span>
              <span class="actions">
                <button
                  type="button"
                  id="attach"
                  ?disabled=${!canReply}
                  aria-disabled=${this.uploading ? 'true' : 'false'}
                  aria-describedby=${fileError ? 'file-error' : nothing}
                  @click=${this.#openPicker}
                >
                  Attach a file
                </button>
                <button type="submit" class="primary" ?disabled=${!canReply || !draft.trim()}>Send</button>
              </span>
            </div>
          </form>
        </div>
        ${this.#renderVisitorPanel(chat, s)}
      </div>
    </section>`;
  }

  #renderOffline(o: AgentOfflineMessage) {
    const field = (label: string, value: string) => (value ? html`<dt>${label}</dt><dd>${value}</dd>` : nothing);
    return html`<li class="offline" tabindex="-1" data-page-id=${o.id}>
      <h3>${o.name || 'No name'} <span class="muted">· Visitor ${o.visitorNumber} (${o.widgetId}) · ${formatDateTime(o.at)}</span></h3>
      <dl>
        ${field('Email', o.email)} ${field('Phone', o.phone)} ${field('Description', o.description)}
        <dt>Message</dt>
        <dd class="text" dir="auto">${o.message}</dd>
        ${o.page ? html`<dt>Page</dt><dd>${this.#renderPage(o.page)}</dd>` : nothing}
      </dl>
    </li>`;
  }

  /** A call-back request: who asked and where, its status, and the buttons that move it on. */
  #renderCall(call: AgentCall, s: ConsoleState) {
    const ready = s.online && s.connection === 'open';
    const reasonId = `reason-${call.visitorId}-${call.id}`;
    const move = (status: 'connected' | 'finished' | 'failed') => {
      const reason =
        status === 'failed'
          ? (this.shadowRoot?.getElementById(reasonId) as HTMLSelectElement | null)?.value
          : undefined;
      this.#connection?.callStatus(call.visitorId, call.id, status, reason);
    };
    const next = CALL_NEXT[call.status];
    const chat = s.chats.get(call.visitorId);
    return html`<li class="offline call ${call.status}" tabindex="-1" data-page-id="${call.visitorId}.${call.id}">
      <h3>
        <a href="tel:${call.phone}">${call.phone}</a>
        <span class="muted">· Visitor ${call.visitorNumber} (${call.widgetId}) · ${formatDateTime(call.at)}</span>
      </h3>
      <dl>
        <dt>Status</dt>
        <dd>
          <strong>${CALL_STATUS_TEXT[call.status]}</strong>${call.reason ? `: ${call.reason}` : ''}${
            call.by ? html` <span class="muted">(${call.by}, ${formatTime(call.updatedAt)})</span>` : nothing
          }
        </dd>
        ${chat?.contact.name ? html`<dt>Name</dt><dd>${chat.contact.name}</dd>` : nothing}
        ${call.page ? html`<dt>Page</dt><dd>${this.#renderPage(call.page)}</dd>` : nothing}
      </dl>
      <div class="row">
        ${
          next.includes('connected')
            ? html`<button type="button" class="primary" ?disabled=${!ready} @click=${() => move('connected')}>Connected</button>`
            : nothing
        }
        ${
          next.includes('finished')
            ? html`<button type="button" class="primary" ?disabled=${!ready} @click=${() => move('finished')}>Finished</button>`
            : nothing
        }
        ${
          next.includes('failed')
            ? html`<label for=${reasonId}>Reason</label>
              <select id=${reasonId} ?disabled=${!ready}>
                ${FAILURE_REASONS.map((r) => html`<option>${r}</option>`)}
              </select>
              <button type="button" ?disabled=${!ready} @click=${() => move('failed')}>Failed</button>`
            : nothing
        }
        ${chat ? html`<button type="button" @click=${() => this.#openChat(chat.id)}>Open the chat</button>` : nothing}
        ${next.length && !s.online ? html`<span class="muted">Go online to handle calls.</span>` : nothing}
      </div>
    </li>`;
  }

  #renderSignIn() {
    return html`<main class="name-prompt">
      <form @submit=${this.#onSignIn}>
        <h1>Agent console</h1>
        <label for="login">Login</label>
        <input id="login" name="login" autocomplete="username" maxlength="254" required />
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" maxlength="256" required />
        ${this.signInError ? html`<p class="error" role="alert">${this.signInError}</p>` : nothing}
        <button type="submit" class="primary" ?disabled=${this.signingIn}>Sign in</button>
      </form>
    </main>`;
  }

  #renderScreen() {
    const s = this.store.state;
    if (s.auth === 'checking') return html`<main class="name-prompt"><p>Connecting…</p></main>`;
    if (s.auth === 'signed-out') return this.#renderSignIn();
    const chats = [...s.chats.values()].sort(
      (a, b) => Number(b.online) - Number(a.online) || lastActivity(b) - lastActivity(a),
    );
    const selected = s.selected === null ? undefined : s.chats.get(s.selected);
    const others = s.agents.filter((a) => a.name !== s.name);
    const activeCalls = s.calls.filter(activeCall).length;
    return html`
      <header class="top">
        <h1>Agent console</h1>
        <span class="who">${s.photo ? html`<img class="own-photo" src=${s.photo} alt="" referrerpolicy="no-referrer" />` : nothing}${s.name}</span>
        <details class="profile">
          <summary>Your photo</summary>
          <form @submit=${this.#onPhotoSubmit}>
            <label for="photo">Photo address (https)</label>
            <input id="photo" type="url" inputmode="url" maxlength="2048" .value=${s.photo ?? ''} aria-describedby="photo-hint" />
            <span id="photo-hint" class="muted">Visitors see it beside your name. Leave it empty to show your initials.</span>
            <button type="submit" ?disabled=${s.connection !== 'open'}>Save photo</button>
          </form>
        </details>
        <button type="button" id="online" class=${s.wantOnline ? 'online' : ''} aria-pressed=${s.wantOnline ? 'true' : 'false'} @click=${this.#toggleOnline}>
          Online
        </button>
        <span class=${s.connection === 'open' ? 'muted' : 'warning'}>${connectionText(s)}</span>
        <span class="muted">${others.length ? `Other agents: ${others.map((a) => `${a.name} (${a.online ? 'online' : 'offline'})`).join(', ')}` : ''}</span>
        <span class="spacer"></span>
        <button type="button" id="sound" aria-pressed=${this.#alerts.sound ? 'true' : 'false'} @click=${() => this.#alerts.toggleSound()}>
          Sound
        </button>
        ${
          this.#alerts.notificationsAvailable
            ? html`<button
                type="button"
                id="notifications"
                aria-pressed=${this.#alerts.notify ? 'true' : 'false'}
                aria-describedby=${this.#alerts.notificationsBlocked ? 'notifications-blocked' : nothing}
                @click=${() => this.#alerts.toggleNotifications()}
              >
                Desktop notifications
              </button>
              ${this.#alerts.notificationsBlocked ? html`<span id="notifications-blocked" class="muted">(blocked by the browser)</span>` : nothing}`
            : nothing
        }
        <a href="/">Visitor page</a>
        <button type="button" @click=${this.#signOut}>Sign out</button>
      </header>
      <p class="visually-hidden" role="status">${this.#pageStatus}</p>
      ${
        s.notice
          ? html`<div class="notice" role="alert">${s.notice} <button type="button" @click=${() => this.store.dismissNotice()}>Dismiss</button></div>`
          : nothing
      }
      <div class="layout">
        <nav aria-label="Chats">
          <div class="tabs">
            <button type="button" aria-pressed=${s.view === 'chats' ? 'true' : 'false'} @click=${() => this.store.setView('chats')}>
              Visitors (${chats.length}${s.cursors.visitors === null ? '' : '+'})
            </button>
            <button type="button" aria-pressed=${s.view === 'offline' ? 'true' : 'false'} @click=${() => this.store.setView('offline')}>
              Offline messages (${s.offlineMessages.length}${s.cursors.offlineMessages === null ? '' : '+'})
            </button>
            <button type="button" aria-pressed=${s.view === 'calls' ? 'true' : 'false'} @click=${() => this.store.setView('calls')}>
              Call backs (${activeCalls}${s.cursors.openCalls === null ? '' : '+'} active)
            </button>
            <button type="button" aria-pressed=${s.view === 'sites' ? 'true' : 'false'} @click=${() => this.store.setView('sites')}>
              Sites
            </button>
          </div>
          <ul class="chats">
            ${chats.length === 0 ? html`<li class="muted">No visitors yet. Open the visitor page and write something.</li>` : nothing}
            ${chats.map((c) => this.#renderChatItem(c, s))}
            ${this.#renderMore('activeVisitors', 'Show more active visitors', s)}
            ${this.#renderMore('visitors', 'Show more visitors', s)}
          </ul>
        </nav>
        <main>
          ${
            s.view === 'sites'
              ? this.#renderSites(s)
              : s.view === 'calls'
                ? html`<section aria-labelledby="calls-title">
                <h2 id="calls-title">Call backs</h2>
                <p class="muted">Visitors who asked to be called back, newest first. Call the number, then say how it went.</p>
                <ol class="offline-list">
                  ${s.calls.length === 0 ? html`<li class="muted">None yet.</li>` : nothing}
                  ${[...s.calls].reverse().map((c) => this.#renderCall(c, s))}
                  ${this.#renderMore('openCalls', 'Show more open call backs', s)}
                  ${this.#renderMore('calls', 'Show more call backs', s)}
                </ol>
              </section>`
                : s.view === 'offline'
                  ? html`<section aria-labelledby="offline-title">
                <h2 id="offline-title">Offline messages</h2>
                <ol class="offline-list">
                  ${s.offlineMessages.length === 0 ? html`<li class="muted">None yet.</li>` : nothing}
                  ${[...s.offlineMessages].reverse().map((o) => this.#renderOffline(o))}
                  ${this.#renderMore('offlineMessages', 'Show more offline messages', s)}
                </ol>
              </section>`
                  : selected
                    ? this.#renderChat(selected, s)
                    : html`<p class="muted empty">Choose a visitor to open the chat.</p>`
          }
        </main>
      </div>
    `;
  }

  override render() {
    // The status region stays the same element whatever is on screen, so that it is there before anything is said.
    return html`${this.#renderScreen()}<div class="announcer" role="status" aria-live="polite"></div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'jivo-agent-console': JivoAgentConsole;
  }
}
