import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { format } from '../../i18n/languages.js';
import { baseStyles } from '../../styles/base.js';
import { iconButtonStyles } from '../../styles/icon-button.js';
import { themeStyles } from '../../styles/theme.js';
import { attachFile } from '../../state/attach.js';
import { StoreElement } from '../shared/store-element.js';
import { chatWindowStyles } from './chat-window.styles.js';
import { callOffered, contactsFormReason, isConnecting, isOnline, offlineFormShown } from '../../state/selectors.js';
import { PHONE_ICON } from '../../styles/icons.js';
import { backAt } from '../../i18n/strings.js';
import type { Contact } from '../../state/types.js';
import { prechatToAsk, siteSettingsOf, type SiteState } from '../../state/site-settings.js';
import { chatEndOf, messagesAfter, type ChatEndState } from '../../state/chat-end.js';
import { alertsOf, type AlertsState } from '../../state/alerts.js';
import { SideController } from '../shared/side-controller.js';
import { renderAvatar } from '../shared/avatar.js';
import { siteOf } from '../../state/site.js';
import type { SiteProfile } from '../../model/site-profile.js';

/**
 * A sentence with a name in it (`{name} is answering`), the name in a `<bdi>`: a name written in another direction than
 * the sentence (a Latin name in Arabic, a Hebrew one in English) keeps its own, and its punctuation stays with it.
 */
function withName(template: string, name: string) {
  const at = template.indexOf('{name}');
  return at < 0 ? template : html`${template.slice(0, at)}<bdi>${name}</bdi>${template.slice(at + 6)}`;
}

/** A door with an arrow leaving it: end the chat. */
const END_ICON = 'M14 4h5v16h-5M10 8l-4 4 4 4M6 12h10';
/** A bell: desktop notifications. */
const BELL_ICON = 'M6 16V11a6 6 0 0 1 12 0v5l2 2H4zM10 20a2 2 0 0 0 4 0';

/**
 * The chat window: a labelled dialog with a header (the team's name or the title, who is answering with their photo or
 * initials, a call-back button while call backs are available, *End chat*, the desktop-notification toggle, minimize), the conversation and the composer — or the callback form in its stead (`chat/call`) or alone
 * (`call`). Escape minimizes it; focusing the element focuses the composer or the form.
 *
 * @tagname jivo-chat-window
 * @summary The open chat.
 *
 * @csspart window - The dialog box.
 * @csspart header - The coloured header.
 * @csspart messages - The message log (from `<jivo-message-list>`).
 * @csspart invitation - The proactive invitation bubble.
 * @csspart composer - The form at the bottom (from `<jivo-composer>`).
 * @csspart input - The message text area.
 * @csspart send - The send button.
 * @csspart attach - The attach button (from `<jivo-composer>`, while the backend takes files).
 * @csspart thumbnail - An image's thumbnail in the conversation.
 * @csspart offline-form - The offline form (from `<jivo-offline-form>`).
 * @csspart callback-form - The callback form (from `<jivo-callback-form>`): alone in state `call`, under the
 * conversation in `chat/call`.
 * @csspart contacts-form - The contacts form (from `<jivo-contacts-form>`).
 * @csspart greeting - The team's greeting, before an agent accepts.
 * @csspart chat-end - The end-of-chat panel: the question, the rating, the transcript (from `<jivo-chat-end>`).
 */
export class JivoChatWindow extends StoreElement {
  static override styles = [baseStyles, iconButtonStyles, chatWindowStyles, themeStyles];

  readonly #online = this.select(isOnline, false);
  readonly #agent = this.select((s) => s.agent, null);
  readonly #connecting = this.select(isConnecting, false);
  readonly #agentTyping = this.select((s) => s.agentTyping, false);
  readonly #view = this.select((s) => s.view, 'chat');
  readonly #callOffer = this.select(callOffered, false);
  /** Nobody is online and there is nothing to continue, or a trigger rule asked: the offline form, not the chat. */
  readonly #offlineForm = this.select(offlineFormShown, false);
  /** Why the contacts form shows (an agent asked, or the site wants contacts before the first message), or null. */
  readonly #contactsForm = this.select(contactsFormReason, null);
  /** The site's business hours (null: no schedule). */
  readonly #siteSettings = new SideController<SiteState | null>(this, (store) => siteSettingsOf(store).state$, null);
  readonly #contact = this.select((s) => s.contact, null as Contact | null);
  readonly #messages = this.select((s) => s.messages, []);
  /** Ending the chat (state/chat-end.ts). */
  readonly #end = new SideController<ChatEndState | null>(this, (store) => chatEndOf(store).state$, null);
  /** Desktop notifications of replies (state/alerts.ts). */
  readonly #alerts = new SideController<AlertsState | null>(this, (store) => alertsOf(store).state$, null);
  /** The team's name and greeting (state/site.ts). */
  readonly #site = new SideController<SiteProfile | null>(this, (store) => siteOf(store).profile$, null);
  readonly #photos = new SideController<ReadonlyMap<string, string>>(this, (store) => siteOf(store).photos$, new Map());
  /**
   * Set by `<jivo-widget>` while the window fills a small screen and holds focus, with the page behind it inert: the
   * dialog is then modal.
   */
  @property({ type: Boolean }) modal = false;
  /** Announced once the contacts form is sent (the form itself is gone by then). */
  @state() private announcement = '';
  /** Files are being dragged over the window. */
  @state() private dragging = false;
  readonly #files = this.select((s) => s.fileLimits, null);

  #minimize(): void {
    this.store?.minimize();
  }

  #onKeyDown(event: KeyboardEvent): void {
    // While an input method is composing, Escape cancels the composition, not the chat.
    if (event.key === 'Escape' && !event.defaultPrevented && !event.isComposing) {
      event.preventDefault();
      this.#minimize();
    }
  }

  /** Whether a drag carries files the conversation can take now. */
  #takesFiles(event: DragEvent): boolean {
    const view = this.#view.value;
    return (
      !!this.#files.value &&
      !this.#offlineForm.value &&
      (view === 'chat' || view === 'chat/call') &&
      !!event.dataTransfer?.types.includes('Files')
    );
  }

  #onDragOver(event: DragEvent): void {
    if (!this.#takesFiles(event)) return;
    event.preventDefault();
    event.dataTransfer!.dropEffect = 'copy';
    this.dragging = true;
  }

  #onDragLeave(event: DragEvent): void {
    // Leaving for a child is no leaving.
    if (!event.relatedTarget || !this.renderRoot.contains(event.relatedTarget as Node)) this.dragging = false;
  }

  /** Files dropped on the window are sent, each as a message, like the attach button's. */
  #onDrop(event: DragEvent): void {
    this.dragging = false;
    if (!this.#takesFiles(event)) return;
    event.preventDefault();
    for (const file of event.dataTransfer!.files) if (this.store) attachFile(this.store, file);
  }

  /** Complete once the elements in it have rendered too (ahead of opening, each renders in a task of its own). */
  protected override async getUpdateComplete(): Promise<boolean> {
    const done = await super.getUpdateComplete();
    const inner = [...this.renderRoot.querySelectorAll<HTMLElement & { updateComplete?: Promise<boolean> }>('*')];
    await Promise.all(inner.map((element) => element.updateComplete));
    return done;
  }

  /** Moves focus to the contacts form's first field, else the message input (or the offline form's first field). */
  override focus(options?: FocusOptions): void {
    this.renderRoot
      .querySelector<HTMLElement>(
        'jivo-contacts-form, jivo-prechat-form, jivo-composer, jivo-offline-form, jivo-callback-form',
      )
      ?.focus(options);
  }

  /** The pre-chat form was sent, or a quick reply chosen: keyboard focus goes to the composer that is there now. */
  async #focusComposer(): Promise<void> {
    await this.updateComplete;
    this.focus();
  }

  /** The contacts form went away: keep keyboard focus in the window, on the composer it gave way to. */
  async #onContactsDone(event: CustomEvent<boolean>): Promise<void> {
    // Emptied first, so that a second thanks is announced too.
    this.announcement = '';
    await this.updateComplete;
    this.announcement = event.detail ? this.t.window.contactsThanks : '';
    await this.updateComplete;
    this.focus();
  }

  /** Whether the header offers *End chat*: someone has the chat, or it has messages since the last one ended. */
  #canEnd(offline: boolean): boolean {
    const end = this.#end.value;
    if (offline || !end || end.confirming || end.ending || this.#view.value !== 'chat') return false;
    return !!this.#agent.value || messagesAfter(this.#messages.value, end.ended?.seq ?? 0);
  }

  /** The question was cancelled: focus goes back to the header's button that opened it, or to the composer. */
  async #onEndCancel(): Promise<void> {
    await this.updateComplete;
    (this.renderRoot.querySelector<HTMLElement>('.end-chat') ?? this)?.focus();
  }

  override render() {
    const t = this.t;
    const agent = this.#agent.value;
    const online = this.#online.value;
    const view = this.#view.value;
    const offline = this.#offlineForm.value;
    const callForm = html`<jivo-callback-form
      class=${view === 'chat/call' && !offline ? 'over' : ''}
      exportparts="callback-form"
    ></jivo-callback-form>`;
    const contacts = this.#contactsForm.value;
    const settings = this.#siteSettings.value;
    const prechat = settings && this.#contact.value ? prechatToAsk(settings, this.#contact.value) : null;
    const hours = settings?.hours ?? null;
    // Outside business hours with nobody online: when the team is back, in the visitor's own time zone.
    const away =
      hours && !hours.open && !online && !agent ? backAt(this.t.site, this.locale, hours.next, Date.now()) : null;
    const status = this.#connecting.value
      ? t.connecting
      : agent
        ? withName(t.statusAgent, agent.name)
        : online
          ? t.statusOnline
          : t.statusOffline;
    const site = this.#site.value;
    const more = this.t.chatEnd;
    // Before anyone accepts: the team's name (the window's title) and greeting, when the site configured them.
    const greeting = !agent && site?.greeting && view !== 'call' && !offline ? site.greeting : '';
    return html`<section class="window" part="window" role="dialog" aria-labelledby="title" aria-modal=${this.modal ? 'true' : nothing} @keydown=${this.#onKeyDown} @dragover=${this.#onDragOver} @dragleave=${this.#onDragLeave} @drop=${this.#onDrop}>
      ${this.dragging ? html`<div class="drop" aria-hidden="true">${this.t.window.files.dropHere}</div>` : nothing}
      <header part="header" role="none">
        ${agent ? renderAvatar(this, agent.name, this.#photos.value.get(agent.name), format(more.agentPhoto, { name: agent.name })) : nothing}
        <div class="heading">
          <h2 id="title">${view === 'call' ? t.callTitle : site?.team || t.windowTitle}</h2>
          <p class="status ${online ? 'online' : ''}"><span class="dot" aria-hidden="true"></span>${status}</p>
        </div>
        ${
          view === 'chat' && this.#callOffer.value
            ? html`<button
                type="button"
                class="icon-button"
                aria-label=${t.callTitle}
                @click=${() => this.store?.open('call', 'visitor')}
              >
                <svg viewBox="0 0 24 24" aria-hidden="true"><path d=${PHONE_ICON} /></svg>
              </button>`
            : nothing
        }
        ${
          this.#canEnd(offline)
            ? html`<button
                type="button"
                class="icon-button end-chat"
                aria-label=${this.t.chatEnd.endChat}
                title=${this.t.chatEnd.endChat}
                @click=${() => this.store && chatEndOf(this.store).askToEnd()}
              >
                <svg class="directional" viewBox="0 0 24 24" aria-hidden="true"><path d=${END_ICON} /></svg>
              </button>`
            : nothing
        }
        ${
          this.#alerts.value?.available && !offline
            ? html`<button
                type="button"
                class="icon-button notify"
                aria-label=${this.t.chatEnd.notifications}
                title=${this.#alerts.value.blocked ? this.t.chatEnd.notificationsBlocked : this.t.chatEnd.notifications}
                aria-pressed=${this.#alerts.value.enabled ? 'true' : 'false'}
                aria-disabled=${this.#alerts.value.blocked ? 'true' : nothing}
                @click=${() => this.store && alertsOf(this.store).toggle()}
              >
                <svg viewBox="0 0 24 24" aria-hidden="true"><path d=${BELL_ICON} /></svg>
              </button>`
            : nothing
        }
        <button type="button" class="icon-button" aria-label=${t.minimize} @click=${this.#minimize}>
          <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M6 9l6 6 6-6" /></svg>
        </button>
      </header>
      ${away ? html`<p class="hours" part="hours">${away}</p>` : nothing}
      ${
        view === 'call' || (view === 'chat/call' && offline)
          ? callForm
          : offline
            ? html`<jivo-offline-form exportparts="offline-form"></jivo-offline-form>`
            : html`${greeting ? html`<p class="greeting" part="greeting">${greeting}</p>` : nothing}
                <jivo-message-list
                  exportparts="messages, invitation, thumbnail"
                  @reply-chosen=${this.#focusComposer}
                ></jivo-message-list> ${
                  this.#agentTyping.value
                    ? html`<p class="typing">${withName(t.agentTyping, agent?.name ?? t.agentSaid)}</p>`
                    : nothing
                }
                ${
                  contacts
                    ? html`<jivo-contacts-form
                        exportparts="contacts-form"
                        reason=${contacts}
                        @contacts-done=${this.#onContactsDone}
                      ></jivo-contacts-form>`
                    : nothing
                }
                <jivo-chat-end exportparts="chat-end" @chat-end-cancel=${this.#onEndCancel}></jivo-chat-end>
                ${
                  view === 'chat/call'
                    ? callForm
                    : contacts === 'optional' || contacts === 'required'
                      ? nothing
                      : prechat
                        ? html`<jivo-prechat-form
                            exportparts="prechat-form"
                            @prechat-done=${this.#focusComposer}
                          ></jivo-prechat-form>`
                        : html`<jivo-composer exportparts="composer, input, send, attach"></jivo-composer>`
                }`
      }
      <p class="visually-hidden" role="status">${this.announcement}</p>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'jivo-chat-window': JivoChatWindow;
  }
}
