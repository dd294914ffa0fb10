import { html, nothing } from 'lit';
import { format, plural } from '../../i18n/languages.js';
import { en } from '../../i18n/launcher/en.js';
import { overlay } from '../../i18n/texts.js';
import { baseStyles } from '../../styles/base.js';
import { StoreBase } from '../shared/store-base.js';
import { launcherStyles } from './launcher.styles.js';
import { CHAT_ICON } from '../../styles/icons.js';

/**
 * The launcher (JivoChat's "label"): the button that opens the chat, with an unread badge.
 *
 * @tagname jivo-launcher
 * @summary Opens the chat window; shows how many agent messages are unread.
 *
 * @csspart launcher - The button.
 * @csspart badge - The unread counter on the button.
 */
export class JivoLauncher extends StoreBase {
  static override styles = [baseStyles, launcherStyles];
  static override shadowRootOptions = { ...StoreBase.shadowRootOptions, delegatesFocus: true };

  readonly #unread = this.select((s) => s.unread, 0);
  readonly #continuing = this.select((s) => s.view === 'chat/min', false);

  #open(): void {
    this.store?.open('chat', 'visitor');
  }

  override render() {
    const { locale, catalog, texts } = this.language;
    // (The root renders no launcher while another language's catalogue is on its way.)
    const t = overlay(catalog ?? en, texts);
    const unread = this.#unread.value;
    const text = this.#continuing.value ? t.launcherTextContinue : t.launcherText;
    const count = unread > 99 ? '99+' : String(unread);
    // The name gives the count as the badge shows it, so that it contains the visible text (WCAG 2.5.3 Label in Name).
    const phrase = unread > 0 ? plural(locale, t.unread, unread).replace(String(unread), count) : '';
    return html`<button
      type="button"
      part="launcher"
      aria-label=${format(t.launcherName, { text, unread: phrase })}
      @click=${this.#open}
    >
      <svg viewBox="0 0 24 24" aria-hidden="true"><path d=${CHAT_ICON} /></svg>
      <span class="text">${text}</span>
      ${unread > 0 ? html`<span class="badge" part="badge" aria-hidden="true">${count}</span>` : nothing}
    </button>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'jivo-launcher': JivoLauncher;
  }
}
