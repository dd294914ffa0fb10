import { html, nothing } from 'lit';
import { baseStyles } from '../../styles/base.js';
import { iconButtonStyles } from '../../styles/icon-button.js';
import { themeStyles } from '../../styles/theme.js';
import { StoreElement } from '../shared/store-element.js';
import { mobileMenuStyles } from './mobile-menu.styles.js';
import { callOffered } from '../../state/selectors.js';
import { CHAT_ICON, CLOSE_ICON, PHONE_ICON } from '../../styles/icons.js';
import type { Channel, SiteProfile } from '../../model/site-profile.js';
import { siteOf } from '../../state/site.js';
import { SideController } from '../shared/side-controller.js';

/** An envelope, for e-mail; a speech bubble with a tail for the messengers. */
const MAIL_ICON = 'M3 6h18v12H3zM3 6l9 7 9-7';
const MESSENGER_ICON = 'M12 3a9 9 0 0 0-7.8 13.5L3 21l4.6-1.2A9 9 0 1 0 12 3z';

/**
 * The channel menu of `open({start: 'menu'})`: the visitor chooses how to contact the site. Escape closes it.
 * Chat is always offered; "Call me back" (the callback form, state `call`) joins it while the backend offers call backs;
 * then the site's messenger channels (WhatsApp, Telegram, Viber, Messenger, e-mail, phone, as its server configures
 * them), each a link the backend and the widget both checked: https, `mailto:` or `tel:`.
 *
 * @tagname jivo-mobile-menu
 * @summary Choose how to contact the site: chat, a call back or a messenger.
 *
 * @csspart menu - The menu box.
 */
export class JivoMobileMenu extends StoreElement {
  static override styles = [baseStyles, iconButtonStyles, mobileMenuStyles, themeStyles];
  static override shadowRootOptions = { ...StoreElement.shadowRootOptions, delegatesFocus: true };

  readonly #callOffer = this.select(callOffered, false);
  readonly #site = new SideController<SiteProfile | null>(this, (store) => siteOf(store).profile$, null);

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

  #renderChannel(c: Channel) {
    const more = this.t.chatEnd;
    // A messenger's page opens in a new tab; mailto: and tel: hand over to the visitor's mail or phone app.
    const web = c.url.startsWith('https:');
    return html`<li>
      <a
        class="choice channel ${c.kind}"
        href=${c.url}
        target=${web ? '_blank' : nothing}
        rel=${web ? 'noopener noreferrer' : nothing}
      >
        <svg viewBox="0 0 24 24" aria-hidden="true">
          <path d=${c.kind === 'email' ? MAIL_ICON : c.kind === 'phone' ? PHONE_ICON : MESSENGER_ICON} />
        </svg>
        ${more.channels[c.kind]}<span class="visually-hidden"> ${more.opensElsewhere}</span>
      </a>
    </li>`;
  }

  override render() {
    const t = this.t;
    const channels = this.#site.value?.channels ?? [];
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
      ${
        channels.length
          ? html`<ul class="channels" aria-label=${this.t.chatEnd.channelsLabel}>
              ${channels.map((c) => this.#renderChannel(c))}
            </ul>`
          : nothing
      }
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'jivo-mobile-menu': JivoMobileMenu;
  }
}
