import { html, nothing, type PropertyValues } from 'lit';
import { query } from 'lit/decorators.js';
import type { Locale } from '../../i18n/index.js';
import { linkify } from '../../internal/url.js';
import type { ChatMessage } from '../../state/types.js';
import { baseStyles } from '../../styles/base.js';
import { StoreElement } from '../shared/store-element.js';
import { messageListStyles } from './message-list.styles.js';

const timeFormats = new Map<Locale, Intl.DateTimeFormat>();
function formatTime(locale: Locale, at: number): string {
  let fmt = timeFormats.get(locale);
  if (!fmt) timeFormats.set(locale, (fmt = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' })));
  return fmt.format(at);
}

/** How close to the bottom (px) the visitor must be for a new message to scroll the log. */
const STICK_TO_BOTTOM = 48;

/**
 * The conversation: a live log that screen readers announce politely as messages arrive. Message text is always
 * rendered as text; only http and https addresses become links, which open in a new tab.
 *
 * @tagname jivo-message-list
 * @summary The chat's messages, newest last.
 *
 * @csspart messages - The scrolling log.
 * @csspart invitation - The proactive invitation bubble (from `<jivo-invitation>`).
 */
export class JivoMessageList extends StoreElement {
  static override styles = [baseStyles, messageListStyles];

  @query('.log') private readonly log!: HTMLElement;

  readonly #messages = this.select((s) => s.messages, []);
  readonly #invitation = this.select((s) => s.invitation !== null, false);
  readonly #online = this.select((s) => s.chatMode === 'online', false);
  #stickToBottom = true;

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    const log = this.log;
    this.#stickToBottom = !log || log.scrollHeight - log.scrollTop - log.clientHeight < STICK_TO_BOTTOM;
  }

  protected override updated(): void {
    const last = this.#messages.value.at(-1);
    if (this.#stickToBottom || last?.from === 'visitor') this.log.scrollTop = this.log.scrollHeight;
  }

  async #retry(id: string): Promise<void> {
    this.store?.setMessageStatus(id, 'pending');
    // The button goes away with the failed status: keep keyboard focus in the conversation.
    await this.updateComplete;
    this.log.focus();
  }

  #renderMessage(m: ChatMessage) {
    const t = this.t;
    const status =
      m.status === 'pending' ? t.statusSending : m.status === 'failed' ? t.statusFailed : m.status === 'sent' ? t.statusSent : '';
    // A time outside Date's range (a corrupt stored message) would make toISOString throw and stop the whole log rendering.
    const at = new Date(m.at);
    return html`<li class=${m.from}>
      ${m.from === 'agent' && m.agentName ? html`<span class="author">${m.agentName}</span>` : nothing}
      <span class="visually-hidden">${m.from === 'visitor' ? t.visitorSaid : t.agentSaid}:</span>
      <p class="bubble" id=${`text-${m.id}`}>${linkify(m.text).map((s) =>
        s.href ? html`<a href=${s.href} target="_blank" rel="noopener noreferrer nofollow ugc">${s.text}</a>` : s.text,
      )}</p>
      <span class="meta">
        ${Number.isFinite(at.getTime())
          ? html`<time datetime=${at.toISOString()}>${formatTime(this.locale, m.at)}</time>`
          : nothing}
        ${status ? html`<span class=${m.status === 'failed' ? 'failed' : ''}>${status}</span>` : nothing}
        ${m.status === 'failed'
          ? html`<button
              type="button"
              class="retry"
              aria-describedby=${`text-${m.id}`}
              @click=${() => this.#retry(m.id)}
            >
              ${t.retry}
            </button>`
          : nothing}
      </span>
    </li>`;
  }

  override render() {
    const messages = this.#messages.value;
    const invitation = this.#invitation.value;
    return html`<div class="log" part="messages" role="log" aria-live="polite" aria-relevant="additions" aria-label=${this.t.messagesLabel} tabindex="0">
      ${invitation ? html`<jivo-invitation exportparts="invitation"></jivo-invitation>` : nothing}
      ${messages.length === 0 && !invitation
        ? html`<p class="empty">${this.#online.value ? this.t.emptyOnline : this.t.emptyOffline}</p>`
        : nothing}
      <ol>
        ${messages.map((m) => this.#renderMessage(m))}
      </ol>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'jivo-message-list': JivoMessageList;
  }
}
