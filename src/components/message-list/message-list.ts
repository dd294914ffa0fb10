import { html, nothing, type PropertyValues } from 'lit';
import { query } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { format } from '../../i18n/languages.js';
import { formatTime } from '../../i18n/strings.js';
import { linkify, shownText } from '../../internal/url.js';
import type { ChatMessage } from '../../state/types.js';
import { baseStyles } from '../../styles/base.js';
import { StoreElement } from '../shared/store-element.js';
import { messageListStyles } from './message-list.styles.js';
import { hasInvitation, isOnline } from '../../state/selectors.js';
import { validateReplies } from '../../model/site-settings.js';
import { renderAvatar } from '../shared/avatar.js';
import { SideController } from '../shared/side-controller.js';
import { siteOf } from '../../state/site.js';

/** How close to the bottom (px) the visitor must be for a new message to scroll the log. */
const STICK_TO_BOTTOM = 48;

/** How many of the newest messages a long history opens with, and how many more each "earlier messages" shows. */
export const HISTORY_PAGE = 50;

/**
 * The conversation: a live log that screen readers announce politely as messages arrive. Message text is always
 * rendered as text; only http and https addresses become links, which open in a new tab. A long history opens on its
 * newest messages (HISTORY_PAGE of them); a button above the log shows earlier ones, a page at a time, keeping the
 * visitor's place.
 *
 * @tagname jivo-message-list
 * @summary The chat's messages, newest last.
 *
 * @csspart messages - The scrolling log.
 * @csspart invitation - The proactive invitation bubble (from `<jivo-invitation>`).
 * @csspart thumbnail - An image's thumbnail (from `<jivo-attachment>`).
 */
export class JivoMessageList extends StoreElement {
  static override styles = [baseStyles, messageListStyles];

  @query('.log') private readonly log!: HTMLElement;

  readonly #messages = this.select((s) => s.messages, []);
  readonly #invitation = this.select(hasInvitation, false);
  readonly #online = this.select(isOnline, false);
  /** The agents' photos, beside their messages. */
  readonly #photos = new SideController<ReadonlyMap<string, string>>(this, (store) => siteOf(store).photos$, new Map());
  #stickToBottom = true;
  /** The messages last rendered: the log is measured and scrolled only when they change. */
  #rendered: readonly ChatMessage[] | null = null;
  /** Index of the first message shown; null until the first render with messages. */
  #start: number | null = null;
  /** Distance from the bottom to keep while earlier messages are added above. */
  #keepFromBottom: number | null = null;
  /** Keeps the newest message in view when the log's box shrinks (the window's other parts lay out after it). */
  #resize?: ResizeObserver;
  /** The log's height when last observed. */
  #height = 0;

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated) this.#observeSize();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#resize?.disconnect();
  }

  protected override firstUpdated(): void {
    this.#observeSize();
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    const messages = this.#messages.value;
    // Opens on the newest page; a history that shrank (cleared, another visitor) starts again from its newest page.
    if (this.#start === null || this.#start > messages.length)
      this.#start = Math.max(0, messages.length - HISTORY_PAGE);
    const log = this.log;
    if (messages !== this.#rendered)
      this.#stickToBottom = !log || log.scrollHeight - log.scrollTop - log.clientHeight < STICK_TO_BOTTOM;
  }

  protected override updated(): void {
    const messages = this.#messages.value;
    const log = this.log;
    if (this.#keepFromBottom !== null) {
      log.scrollTop = log.scrollHeight - this.#keepFromBottom;
      this.#keepFromBottom = null;
    } else if (messages !== this.#rendered && (this.#stickToBottom || messages.at(-1)?.from === 'visitor')) {
      log.scrollTop = log.scrollHeight;
    }
    this.#rendered = messages;
  }

  #observeSize(): void {
    // Not in every DOM (jsdom has none): there the log just keeps its scroll position.
    this.#resize ??=
      window.ResizeObserver &&
      new ResizeObserver(() => {
        // Measured against the height it had: a scroll event may come only after the new height is laid out.
        const log = this.log;
        const wasAtBottom = log.scrollHeight - log.scrollTop - this.#height < STICK_TO_BOTTOM;
        this.#height = log.clientHeight;
        if (wasAtBottom) log.scrollTop = log.scrollHeight;
      });
    this.#height = this.log.clientHeight;
    this.#resize?.observe(this.log);
  }

  async #showEarlier(): Promise<void> {
    const log = this.log;
    this.#keepFromBottom = log.scrollHeight - log.scrollTop;
    this.#start = Math.max(0, (this.#start ?? 0) - HISTORY_PAGE);
    this.requestUpdate();
    await this.updateComplete;
    // The button may be gone (nothing earlier left): keep keyboard focus in the conversation.
    (this.renderRoot.querySelector<HTMLElement>('.earlier') ?? log).focus({ preventScroll: true });
  }

  /**
   * The visitor chose a quick reply: it is sent as their message, through the outbox like any other. The buttons go
   * (the message is no longer the last); the window moves keyboard focus to the composer.
   */
  #reply(text: string): void {
    this.store?.sendMessage(text);
    this.dispatchEvent(new CustomEvent('reply-chosen'));
  }

  /** Quick replies under the conversation's last message, when it is an agent's that offers them. */
  #renderReplies(m: ChatMessage) {
    // Checked again here: a stored message may come from the browser's storage, which other code can write.
    const replies = m.replies === undefined ? null : validateReplies(m.replies);
    if (!replies?.ok) return nothing;
    return html`<div class="replies" part="quick-replies" role="group" aria-label=${this.t.site.quickReplies}>
      ${replies.value.map((r) => html`<button type="button" dir="auto" @click=${() => this.#reply(r)}>${r}</button>`)}
    </div>`;
  }

  async #retry(id: string): Promise<void> {
    this.store?.retryMessage(id);
    // The button goes away with the failed status: keep keyboard focus in the conversation.
    await this.updateComplete;
    this.log.focus();
  }

  #renderMessage(m: ChatMessage, last: boolean) {
    const t = this.t;
    const status =
      m.status === 'pending'
        ? t.statusSending
        : m.status === 'failed'
          ? t.statusFailed
          : m.status === 'sent'
            ? t.statusSent
            : '';
    // A time outside Date's range (a corrupt stored message) would make toISOString throw and stop the whole log rendering.
    const at = new Date(m.at);
    // The bubble keeps white space as written (pre-wrap): its text goes in with nothing around it.
    const text = linkify(m.text).map((s) =>
      s.href ? html`<a href=${s.href} target="_blank" rel="noopener noreferrer nofollow ugc">${s.text}</a>` : s.text,
    );
    // Beside the author's name, which says who it is: the picture's text alternative would only repeat it.
    const avatar =
      m.from === 'agent' && m.agentName
        ? renderAvatar(this, m.agentName, this.#photos.value.get(m.agentName), '')
        : nothing;
    return html`<li class=${m.from}>
      ${m.from === 'agent' && m.agentName ? html`<span class="byline">${avatar}<span class="author" dir="auto">${shownText(m.agentName)}</span></span>` : nothing}
      <span class="visually-hidden">${m.from === 'visitor' ? t.visitorSaid : t.agentSaid}:</span>
      ${
        m.file
          ? html`<div class="bubble" id=${`text-${m.id}`}>
              <jivo-attachment exportparts="thumbnail" .message=${m}></jivo-attachment>${m.text ? html`<p class="caption" dir="auto">${text}</p>` : nothing}
            </div>`
          : html`<p class="bubble" id=${`text-${m.id}`} dir="auto">${text}</p>`
      }
      <span class="meta">
        ${
          Number.isFinite(at.getTime())
            ? html`<time datetime=${at.toISOString()}>${formatTime(this.locale, m.at)}</time>`
            : nothing
        }
        ${status ? html`<span class=${m.status === 'failed' ? 'failed' : ''}>${status}</span>` : nothing}
        ${
          m.status === 'failed' && !m.error
            ? html`<button
                type="button"
                class="retry"
                aria-describedby=${`text-${m.id}`}
                @click=${() => this.#retry(m.id)}
              >
                ${t.retry}
              </button>`
            : nothing
        }
      </span>
      ${last && m.from === 'agent' ? this.#renderReplies(m) : nothing}
    </li>`;
  }

  override render() {
    const messages = this.#messages.value;
    const invitation = this.#invitation.value;
    const start = Math.min(this.#start ?? 0, messages.length);
    // "Show earlier messages" comes before the log, outside it: inside, it was the log's last stop for Shift+Tab from
    // the composer, and focusing it scrolled a long conversation from its newest message to its oldest.
    return html`${
      start > 0
        ? html`<button type="button" class="earlier" @click=${this.#showEarlier}>
            ${format(this.t.earlierMessages, { count: start })}
          </button>`
        : nothing
    }<div
      class="log"
      part="messages"
      role="log"
      aria-live="polite"
      aria-relevant="additions"
      aria-label=${this.t.messagesLabel}
      tabindex="0"
    >
      ${invitation ? html`<jivo-invitation exportparts="invitation"></jivo-invitation>` : nothing}
      ${
        messages.length === 0 && !invitation
          ? html`<p class="empty">${this.#online.value ? this.t.emptyOnline : this.t.emptyOffline}</p>`
          : nothing
      }
      <ol>
        ${
          // Keyed: showing earlier messages inserts them above, and the messages on screen stay the same elements, so
          // the log (aria-relevant additions) does not announce them again.
          repeat(
            messages.slice(start),
            (m) => m.id,
            (m) => this.#renderMessage(m, m === messages.at(-1)),
          )
        }
      </ol>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'jivo-message-list': JivoMessageList;
  }
}
