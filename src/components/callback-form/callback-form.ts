import { html, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import { format } from '../../i18n/languages.js';
import { CALL_OVER, type CallRequest } from '../../state/types.js';
import { baseStyles } from '../../styles/base.js';
import { LIMITS } from '../../model/limits.js';
import { validatePhone } from '../../model/validate.js';
import { StoreElement } from '../shared/store-element.js';
import { callbackFormStyles } from './callback-form.styles.js';
import { callOverChat } from '../../state/selectors.js';

/**
 * The callback form (states `call` and `chat/call`): the visitor leaves a phone number to be called back on, validated
 * as `startCall` validates it, then follows the call in a live status line — waiting to be sent, calling, connected,
 * finished, or failed with the reason — with a way back to the chat. Escape goes back to the chat when the form is
 * shown over it. A request waits in the outbox (and the browser's storage) until the backend has it.
 *
 * @tagname jivo-callback-form
 * @summary Ask to be called back, and follow the call.
 *
 * @csspart callback-form - The form and its status.
 */
export class JivoCallbackForm extends StoreElement {
  static override styles = [baseStyles, ...callbackFormStyles];
  static override shadowRootOptions = { ...StoreElement.shadowRootOptions, delegatesFocus: true };

  readonly #call = this.select((s) => s.call, null);
  readonly #enabled = this.select((s) => s.callbackEnabled, null);
  readonly #overChat = this.select(callOverChat, false);
  /** Connected: a pending request goes out now, so it reads as "calling" from the start, not "saved until connected". */
  readonly #connected = this.select((s) => s.connection === 'open', false);

  /** The number did not pass, after a submit attempt. */
  @state() private invalid = false;
  /** The visitor asked for another call after the last one ended. */
  @state() private another = false;
  /** What is typed (kept while the form shows the call's status). */
  @state() private typed = '';

  #onInput(event: InputEvent): void {
    this.typed = (event.target as HTMLInputElement).value;
    this.invalid = false;
  }

  async #onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const phone = validatePhone(this.typed);
    if (!phone.ok || !this.store) {
      this.invalid = true;
      return this.#focus('input');
    }
    this.store.requestCall(phone.value);
    this.another = false;
    // The form gives way to the status: keep keyboard focus on what replaces it.
    return this.#focus('.back');
  }

  async #focus(selector: string): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }

  #again(): Promise<void> {
    this.another = true;
    return this.#focus('input');
  }

  #back(): void {
    this.store?.open('chat', 'visitor');
  }

  #onKeyDown(event: KeyboardEvent): void {
    if (event.key === 'Escape' && this.#overChat.value && !event.defaultPrevented && !event.isComposing) {
      event.preventDefault();
      this.#back();
    }
  }

  #statusText({ status, phone, reason }: CallRequest): string {
    const t = this.t;
    if (status === 'failed') return reason === 'Callback disabled' ? t.callDisabled : format(t.callFailed, { reason });
    const text = {
      pending: this.#connected.value ? t.callRequested : t.callPending,
      requested: t.callRequested,
      connected: t.callConnected,
      finished: t.callFinished,
    }[status];
    return format(text, { phone });
  }

  override render() {
    const t = this.t;
    const call = this.#call.value;
    const over = !!call && CALL_OVER.has(call.status);
    const tracking = call && !(over && this.another) ? call : null;
    const disabled = this.#enabled.value === false;
    // One live region throughout, so that each change of the call's status is announced.
    const status = tracking ? this.#statusText(tracking) : disabled ? t.callDisabled : '';
    return html`<div part="callback-form" @keydown=${this.#onKeyDown}>
      <p class="status" role="status">${status}</p>
      ${
        tracking || disabled
          ? nothing
          : html`<form novalidate @submit=${this.#onSubmit}>
            <p>${t.callIntro}</p>
            <div>
              <label for="phone">${t.callPhoneLabel}</label>
              <input
                id="phone"
                type="tel"
                autocomplete="tel"
                maxlength=${LIMITS.phone}
                aria-invalid=${this.invalid ? 'true' : 'false'}
                aria-describedby=${this.invalid ? 'phone-error' : nothing}
                .value=${this.typed}
                @input=${this.#onInput}
              />
              ${this.invalid ? html`<p class="error" id="phone-error">${t.errorCallPhone}</p>` : nothing}
            </div>
            <button type="submit" class="primary">${t.callSubmit}</button>
          </form>`
      }
      ${tracking && over ? html`<button type="button" class="link" @click=${this.#again}>${t.callAnother}</button>` : nothing}
      <button type="button" class="link back" @click=${this.#back}>${t.backToChat}</button>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'jivo-callback-form': JivoCallbackForm;
  }
}
