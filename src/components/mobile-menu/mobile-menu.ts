import { html, nothing } from 'lit';
import { baseStyles } from '../../styles/base.js';
import { iconButtonStyles } from '../../styles/icon-button.js';
import { themeStyles } from '../../styles/theme.js';
import { StoreElement } from '../shared/store-element.js';
import { mobileMenuStyles } from './mobile-menu.styles.js';
import { callOffered } from '../../state/selectors.js';
import { CHAT_ICON, CLOSE_ICON, PHONE_ICON } from '../../styles/icons.js';

/**
 * The channel menu of `open({start: 'menu'})`: the visitor chooses how to contact the site. Escape closes it.
 * Chat is always offered; "Call me back" (the callback form, state `call`) joins it while the backend offers call backs.
 *
 * @tagname jivo-mobile-menu
 * @summary Choose how to contact the site: chat or a call back.
 *
 * @csspart menu - The menu box.
 */
export class JivoMobileMenu extends StoreElement {
  static override styles = [baseStyles, iconButtonStyles, mobileMenuStyles, themeStyles];
  static override shadowRootOptions = { ...StoreElement.shadowRootOptions, delegatesFocus: true };

  readonly #callOffer = this.select(callOffered, false);

  #chat(): void {
    this.store?.open('chat', 'visitor');
  }

  #close(): void {
    this.store?.minimize();
  }

  #onKeyDown(event: KeyboardEvent): void {
    if (event.key === 'Escape' && !event.defaultPrevented) {
      event.preventDefault();
      this.#close();
    }
  }

  override render() {
    const t = this.t;
    return html`<section class="menu" part="menu" role="dialog" aria-labelledby="title" @keydown=${this.#onKeyDown}>
      <div class="top">
        <h2 id="title">${t.menuTitle}</h2>
        <button type="button" class="icon-button" aria-label=${t.menuClose} @click=${this.#close}>
          <svg viewBox="0 0 24 24" aria-hidden="true"><path d=${CLOSE_ICON} /></svg>
        </button>
      </div>
      <ul>
        <li>
          <button type="button" class="choice" autofocus @click=${this.#chat}>
            <svg viewBox="0 0 24 24" aria-hidden="true"><path d=${CHAT_ICON} /></svg>${t.menuChat}
          </button>
        </li>
        ${
          this.#callOffer.value
            ? html`<li>
                <button type="button" class="choice" @click=${() => this.store?.open('call', 'visitor')}>
                  <svg viewBox="0 0 24 24" aria-hidden="true"><path d=${PHONE_ICON} /></svg>${t.callTitle}
                </button>
              </li>`
            : nothing
        }
      </ul>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'jivo-mobile-menu': JivoMobileMenu;
  }
}
