import { html, nothing } from 'lit';
import { query } from 'lit/decorators.js';
import { LIMITS } from '../../model/limits.js';
import { baseStyles } from '../../styles/base.js';
import { attachFile } from '../../state/attach.js';
import { StoreElement } from '../shared/store-element.js';
import { composerStyles } from './composer.styles.js';

/**
 * Where the visitor writes. Enter sends, Shift+Enter starts a new line; what is typed is kept as a draft while the
 * window is minimized and across reloads. The attach button (and pasting a file) sends files, each as a message.
 *
 * @tagname jivo-composer
 * @summary The message input and send button.
 *
 * @csspart composer - The form around the input and the button.
 * @csspart input - The text area.
 * @csspart send - The send button.
 * @csspart attach - The attach button (while the backend takes files).
 */
export class JivoComposer extends StoreElement {
  static override styles = [baseStyles, composerStyles];
  static override shadowRootOptions = { ...StoreElement.shadowRootOptions, delegatesFocus: true };

  @query('textarea') private readonly input!: HTMLTextAreaElement;
  @query('input[type=file]') private readonly picker!: HTMLInputElement;

  readonly #draft = this.select((s) => s.draft, '');
  /** The files the backend accepts; null (no attach button) while it takes none. */
  readonly #files = this.select((s) => s.fileLimits, null);

  /** Each file becomes a message of its own, in the outbox like text. */
  #attach(files: Iterable<File>): void {
    for (const file of files) if (this.store) attachFile(this.store, file);
  }

  #onPick(): void {
    this.#attach(this.picker.files ?? []);
    // The same file may be picked again later.
    this.picker.value = '';
  }

  /** A pasted image or file is attached; pasted text stays text. */
  #onPaste(event: ClipboardEvent): void {
    const files = event.clipboardData?.files;
    if (!this.#files.value || !files?.length) return;
    if (!event.clipboardData!.getData('text/plain')) event.preventDefault();
    this.#attach(files);
  }

  /** Focusing the composer focuses the message input, not the attach button before it (delegatesFocus's pick). */
  override focus(options?: FocusOptions): void {
    (this.input ?? this.renderRoot.querySelector('textarea'))?.focus(options);
  }

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
    const limits = this.#files.value;
    const fs = this.t.window.files;
    return html`<form part="composer" @submit=${this.#onSubmit}>
      ${
        limits
          ? html`<input
                type="file"
                class="visually-hidden"
                multiple
                tabindex="-1"
                aria-hidden="true"
                accept=${limits.types.map((x) => `.${x}`).join(',')}
                @change=${this.#onPick}
              /><button
                type="button"
                class="attach"
                part="attach"
                aria-label=${fs.attach}
                @click=${() => this.picker.click()}
              >
                <svg viewBox="0 0 24 24" aria-hidden="true">
                  <path
                    d="M16.5 6v11.5a4 4 0 0 1-8 0V5a2.5 2.5 0 0 1 5 0v10.5a1 1 0 0 1-2 0V6H10v9.5a2.5 2.5 0 0 0 5 0V5a4 4 0 0 0-8 0v12.5a5.5 5.5 0 0 0 11 0V6z"
                  />
                </svg>
              </button>`
          : nothing
      }
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
        @paste=${this.#onPaste}
      ></textarea>
      <button type="submit" class="send" part="send" aria-label=${t.send}>
        <svg class="directional" viewBox="0 0 24 24" aria-hidden="true"><path d="M3 20.5 21 12 3 3.5l.01 6.6L15 12 3.01 13.9z" /></svg>
      </button>
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'jivo-composer': JivoComposer;
  }
}
