import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { format } from '../../i18n/languages.js';
import { formatSize } from '../../i18n/strings.js';
import { isInlineImage } from '../../model/files.js';
import { fileAccess, removeMessage } from '../../state/attach.js';
import { FULL_VIEWS, type ChatMessage } from '../../state/types.js';
import { baseStyles } from '../../styles/base.js';
import { StoreElement } from '../shared/store-element.js';
import { attachmentStyles } from './attachment.styles.js';

/**
 * The file of one message, inside its bubble. While the visitor's file is on its way: its name, an upload progress bar
 * and a button that cancels it; refused: why, and a button that removes it. Once stored: an image as a thumbnail
 * (its name as alt text) linking to the full size in a new tab, any other file as a button that downloads it, named
 * with its size. Names are text, never HTML. Stored files are fetched with the visitor's credentials into `blob:`
 * addresses (the backend serves them to nobody else).
 *
 * @tagname jivo-attachment
 * @summary A file in the conversation.
 *
 * @csspart thumbnail - An image's thumbnail.
 */
export class JivoAttachment extends StoreElement {
  static override styles = [baseStyles, attachmentStyles];

  /** The message whose file this shows. */
  @property({ attribute: false }) message?: ChatMessage;

  readonly #uploads = this.select((s) => s.uploads, undefined);
  readonly #limits = this.select((s) => s.fileLimits, null);
  /** The window shows (it is on the page, hidden, before it opens: nothing is fetched for it then). */
  readonly #shown = this.select((s) => FULL_VIEWS.has(s.view), false);
  /** The stored file's `blob:` address, once fetched; '' while fetching, null when it failed. */
  @state() private url: string | null = '';
  #fetched: string | undefined;

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    const file = this.message?.file;
    // An image is fetched as soon as it is shown; other files when the visitor asks for them.
    if (
      this.#shown.value &&
      file?.id &&
      isInlineImage(file.type) &&
      this.#fetched !== file.id &&
      this.store &&
      fileAccess(this.store)
    ) {
      this.#fetched = file.id;
      void this.#fetch(file.id);
    }
  }

  async #fetch(id: string): Promise<string | null> {
    this.url = '';
    try {
      this.url = (await (this.store && fileAccess(this.store))?.url(id)) ?? null;
    } catch {
      this.url = null;
    }
    return this.url;
  }

  async #download(): Promise<void> {
    const file = this.message?.file;
    if (!file?.id) return;
    const url = this.url || (await this.#fetch(file.id));
    if (!url) return;
    const a = document.createElement('a');
    a.href = url;
    a.download = file.name;
    a.rel = 'noopener';
    this.renderRoot.appendChild(a);
    a.click();
    a.remove();
  }

  #remove(): void {
    if (this.message && this.store) removeMessage(this.store, this.message.id);
  }

  override render() {
    const m = this.message;
    const file = m?.file;
    if (!m || !file) return nothing;
    const fs = this.t.window.files;
    const size = formatSize(this.locale, file.size);
    if (m.error) {
      const limit = formatSize(this.locale, this.#limits.value?.maxBytes ?? 0);
      return html`<div class="file">
        <span class="name">${file.name}</span>
        <span class="error">${format(fs.errors[m.error] ?? fs.errors.lost, { size: limit })}</span>
        <button type="button" class="action" aria-label=${format(fs.remove, { name: file.name })} @click=${this.#remove}>
          ${CROSS}
        </button>
      </div>`;
    }
    if (!file.id) {
      const share = this.#uploads.value?.[m.id];
      return html`<div class="file">
        <span class="name">${file.name}</span>
        <span class="size">${size}</span>
        <progress
          max="100"
          .value=${share === undefined ? (null as unknown as number) : Math.round(share * 100)}
          aria-label=${format(fs.uploading, { name: file.name })}
        ></progress>
        ${
          m.status === 'pending'
            ? html`<button
                type="button"
                class="action"
                aria-label=${format(fs.cancel, { name: file.name })}
                @click=${this.#remove}
              >
                ${CROSS}
              </button>`
            : nothing
        }
      </div>`;
    }
    if (isInlineImage(file.type)) {
      if (this.url === null) return html`<span class="name">${file.name}</span> <span>${fs.unavailable}</span>`;
      if (!this.url) return html`<span class="loading">${fs.loading}</span>`;
      return html`<a class="image" href=${this.url} target="_blank" rel="noopener noreferrer"
        ><img part="thumbnail" src=${this.url} alt=${file.name} /><span class="visually-hidden">
          (${fs.opensFullSize})</span
        ></a
      >`;
    }
    return html`<button type="button" class="download" @click=${this.#download}>
      ${FILE_ICON}<span class="visually-hidden">${fs.download} </span><span class="name">${file.name}</span
      ><span class="visually-hidden">, </span><span class="size">${size}</span>
    </button>${this.url === null ? html`<span class="error">${fs.unavailable}</span>` : nothing}`;
  }
}

const CROSS = html`<svg viewBox="0 0 24 24" aria-hidden="true">
  <path d="M18.3 5.7 12 12l6.3 6.3-1.4 1.4L10.6 13.4 4.3 19.7l-1.4-1.4L9.2 12 2.9 5.7l1.4-1.4 6.3 6.3 6.3-6.3z" />
</svg>`;

const FILE_ICON = html`<svg viewBox="0 0 24 24" aria-hidden="true">
  <path d="M14 2H6a2 2 0 0 0-2 2v16a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V8zm4 18H6V4h7v5h5z" />
</svg>`;

declare global {
  interface HTMLElementTagNameMap {
    'jivo-attachment': JivoAttachment;
  }
}
