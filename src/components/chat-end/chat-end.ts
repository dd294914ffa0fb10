import { html, nothing, type PropertyValues } from 'lit';
import { query, state } from 'lit/decorators.js';
import type { Rate } from '../../model/rating.js';
import { RATING_COMMENT_MAX } from '../../model/rating.js';
import { baseStyles } from '../../styles/base.js';
import { chatEndOf, messagesAfter, type ChatEndState } from '../../state/chat-end.js';
import { SideController } from '../shared/side-controller.js';
import { StoreElement } from '../shared/store-element.js';
import { chatEndStyles } from './chat-end.styles.js';
import { transcriptName, transcriptText } from './transcript.js';

const THUMB_UP = 'M7 10v11H3V10zm0 0l4-8a2 2 0 0 1 3 2l-1 5h6a2 2 0 0 1 2 2.3l-1.4 7A2 2 0 0 1 17.6 21H7';
const THUMB_DOWN = 'M17 14V3h4v11zm0 0l-4 8a2 2 0 0 1-3-2l1-5H5a2 2 0 0 1-2-2.3l1.4-7A2 2 0 0 1 6.4 3H17';

/**
 * Ending the chat, at the bottom of the window: the "End this chat?" question the header's *End chat* opens; once a
 * chat has ended, the question of how it was (good or bad, an optional comment) until the visitor answers or declines,
 * then thanks; and *Save transcript*, which saves the conversation as a text file made here. Escape in the question
 * cancels it. Gone once the visitor writes again (a new chat).
 *
 * @tagname jivo-chat-end
 * @summary Ending the chat, its rating and its transcript.
 *
 * @csspart chat-end - The panel.
 */
export class JivoChatEnd extends StoreElement {
  static override styles = [baseStyles, chatEndStyles];

  readonly #end = new SideController<ChatEndState | null>(this, (store) => chatEndOf(store).state$, null);

  get #endStore() {
    return this.store && chatEndOf(this.store);
  }
  readonly #messages = this.select((s) => s.messages, []);

  @query('.first') private readonly first?: HTMLElement;

  /** The rating chosen in the form, before it is sent. */
  @state() private chosen: Rate | null = null;
  @state() private missing = false;
  /** Move focus into the panel after the next render (it opened on the visitor's own action). */
  #focusNext = false;
  /** The visitor ended the chat: the rating form takes focus when the backend's end brings it. */
  #focusRate = false;
  #shown: string = '';

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    const shown = this.#step();
    if (shown !== this.#shown) {
      // The question opened, or the end the visitor confirmed came back as the rating form: focus follows the panel.
      this.#focusNext ||= shown === 'confirm' || (shown === 'rate' && this.#focusRate);
      if (shown === 'rate' || shown === '') this.#focusRate = false;
      this.#shown = shown;
      if (shown !== 'rate') {
        this.chosen = null;
        this.missing = false;
      }
    }
    if (this.#focusNext && this.first) {
      this.#focusNext = false;
      this.first.focus();
    }
  }

  /** Which panel shows: the question, the rating form, the thanks, or none. */
  #step(): 'confirm' | 'rate' | 'done' | '' {
    const s = this.#end.value;
    if (!s) return '';
    if (s.confirming) return 'confirm';
    const ended = s.ended;
    if (!ended || messagesAfter(this.#messages.value, ended.seq)) return s.ending ? 'done' : '';
    if (ended.rating || s.rating?.chat === ended.chat || s.declined.includes(ended.chat)) return 'done';
    return 'rate';
  }

  #onKeyDown(event: KeyboardEvent): void {
    if (event.key !== 'Escape' || event.isComposing || this.#step() !== 'confirm') return;
    // The window's Escape minimizes it: here it only closes the question.
    event.preventDefault();
    this.#cancel();
  }

  #cancel(): void {
    this.#endStore?.cancelEnd();
    this.dispatchEvent(new Event('chat-end-cancel'));
  }

  #confirm(): void {
    this.#focusNext = true;
    this.#focusRate = true;
    this.#endStore?.endChat();
  }

  #submit(event: SubmitEvent): void {
    event.preventDefault();
    if (!this.chosen) {
      this.missing = true;
      this.renderRoot.querySelector<HTMLElement>('.rates button')?.focus();
      return;
    }
    const comment = (this.renderRoot.querySelector('textarea')?.value ?? '').trim().slice(0, RATING_COMMENT_MAX);
    this.#focusNext = true;
    this.#endStore?.rate(this.chosen, comment);
  }

  #decline(): void {
    this.#focusNext = true;
    this.#endStore?.decline();
  }

  #save(): void {
    const t = this.t.chatEnd;
    const now = Date.now();
    const text = transcriptText(
      this.#messages.value,
      t,
      this.locale,
      this.#end.value?.ended?.seq ?? null,
      now,
      this.t.agentSaid,
    );
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = transcriptName(now);
    link.hidden = true;
    this.renderRoot.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  override render() {
    const t = this.t.chatEnd;
    const step = this.#step();
    if (!step) return nothing;
    const save = html`<button type="button" class="link" @click=${this.#save}>${t.saveTranscript}</button>`;
    if (step === 'confirm')
      return html`<div class="panel" part="chat-end" role="group" aria-labelledby="question" @keydown=${this.#onKeyDown}>
        <p id="question">${t.endQuestion}</p>
        <div class="actions">
          <button type="button" class="primary first" @click=${this.#confirm}>${t.endChat}</button>
          <button type="button" class="secondary" @click=${this.#cancel}>${t.cancel}</button>
        </div>
      </div>`;
    if (step === 'rate') {
      const choice = (rate: Rate, label: string, icon: string) =>
        html`<button
          type="button"
          class=${rate === 'good' ? 'first' : ''}
          aria-pressed=${this.chosen === rate ? 'true' : 'false'}
          @click=${() => ((this.chosen = rate), (this.missing = false))}
        >
          <svg viewBox="0 0 24 24" aria-hidden="true"><path d=${icon} /></svg>${label}
        </button>`;
      return html`<form class="panel" part="chat-end" aria-labelledby="ended rate" novalidate @submit=${this.#submit}>
        <p id="ended">${t.ended}</p>
        <h3 id="rate">${t.rateQuestion}</h3>
        <div
          class="rates"
          role="group"
          aria-label=${t.rateGroup}
          aria-describedby=${this.missing ? 'missing' : nothing}
        >
          ${choice('good', t.good, THUMB_UP)} ${choice('bad', t.bad, THUMB_DOWN)}
        </div>
        ${this.missing ? html`<p id="missing" class="error">${t.chooseRate}</p>` : nothing}
        <div>
          <label for="comment">${t.comment}</label>
          <textarea id="comment" maxlength=${RATING_COMMENT_MAX} rows="2"></textarea>
        </div>
        <div class="actions">
          <button type="submit" class="primary">${t.sendRating}</button>
          <button type="button" class="secondary" @click=${this.#decline}>${t.noThanks}</button>
        </div>
        ${save}
      </form>`;
    }
    const s = this.#end.value!;
    const thanked = !!(s.ended?.rating || s.rating);
    return html`<div class="panel" part="chat-end">
      <p>${thanked ? t.thanks : t.ended} ${t.newChatHint}</p>
      <div class="actions"><button type="button" class="link first" @click=${this.#save}>${t.saveTranscript}</button></div>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'jivo-chat-end': JivoChatEnd;
  }
}
