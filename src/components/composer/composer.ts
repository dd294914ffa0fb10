import { html } from 'lit';
import { query } from 'lit/decorators.js';
import { LIMITS } from '../../model/limits.js';
import { baseStyles } from '../../styles/base.js';
import { StoreElement } from '../shared/store-element.js';
import { composerStyles } from './composer.styles.js';

/**
 * Where the visitor writes. Enter sends, Shift+Enter starts a new line; what is typed is kept as a draft while the
 * window is minimized and across reloads.
 *
 * @tagname jivo-composer
 * @summary The message input and send button.
 *
 * @csspart composer - The form around the input and the button.
 * @csspart input - The text area.
 * @csspart send - The send button.
 */
export class JivoComposer extends StoreElement {
  static override styles = [baseStyles, composerStyles];
  static override shadowRootOptions = { ...StoreElement.shadowRootOptions, delegatesFocus: true };

  @query('textarea') private readonly input!: HTMLTextAreaElement;

  readonly #draft = this.select((s) => s.draft, '');

  #onInput(): void {
    this.store?.setDraft(this.input.value);
  }

  #onKeyDown(event: KeyboardEvent): void {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      this.#send();
    }
  }

  #onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    this.#send();
  }

  #send(): void {
    const text = this.input.value.trim();
    if (!text || !this.store) return;
    this.store.sendMessage(text.slice(0, LIMITS.text));
    this.input.value = '';
  }

  override render() {
    const t = this.t;
    return html`<form part="composer" @submit=${this.#onSubmit}>
      <label class="visually-hidden" for="input">${t.composerLabel}</label>
      <textarea
        id="input"
        part="input"
        rows="1"
        maxlength=${LIMITS.text}
        placeholder=${t.composerPlaceholder}
        enterkeyhint="send"
        .value=${this.#draft.value}
        @input=${this.#onInput}
        @keydown=${this.#onKeyDown}
      ></textarea>
      <button type="submit" class="send" part="send" aria-label=${t.send}>
        <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M3 20.5 21 12 3 3.5l.01 6.6L15 12 3.01 13.9z" /></svg>
      </button>
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'jivo-composer': JivoComposer;
  }
}
