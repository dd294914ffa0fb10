import { html, nothing } from 'lit';
import { linkify } from '../../internal/url.js';
import { baseStyles } from '../../styles/base.js';
import { iconButtonStyles } from '../../styles/icon-button.js';
import { StoreElement } from '../shared/store-element.js';
import { invitationStyles } from './invitation.styles.js';
import { CLOSE_ICON } from '../../styles/icons.js';

/**
 * The proactive invitation: the greeting that `showProactiveInvitation(text)` (or a trigger) puts at the top of the
 * conversation, as text, with a button to dismiss it.
 *
 * @tagname jivo-invitation
 * @summary A proactive invitation bubble.
 *
 * @csspart invitation - The bubble.
 */
export class JivoInvitation extends StoreElement {
  static override styles = [baseStyles, iconButtonStyles, invitationStyles];

  readonly #invitation = this.select((s) => s.invitation, null);

  #dismiss(): void {
    // The button is about to disappear with the bubble: keep keyboard focus in the conversation, not on the page.
    (this.getRootNode() as Document | ShadowRoot).querySelector<HTMLElement>('[role="log"]')?.focus();
    this.store?.dismissInvitation();
  }

  override render() {
    const invitation = this.#invitation.value;
    if (!invitation) return nothing;
    // The text keeps white space as written (pre-wrap): it goes in with nothing around it.
    const text = linkify(invitation.text).map((s) =>
      s.href ? html`<a href=${s.href} target="_blank" rel="noopener noreferrer nofollow">${s.text}</a>` : s.text,
    );
    // No live role of its own: it sits in the conversation's log, which announces it as it appears.
    return html`<div class="bubble" part="invitation">
      <span class="from">${this.t.invitationFrom}</span>
      <p>${text}</p>
      <button type="button" class="icon-button" aria-label=${this.t.dismissInvitation} @click=${this.#dismiss}>
        <svg viewBox="0 0 24 24" aria-hidden="true"><path d=${CLOSE_ICON} /></svg>
      </button>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'jivo-invitation': JivoInvitation;
  }
}
