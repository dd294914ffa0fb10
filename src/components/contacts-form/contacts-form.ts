import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Strings } from '../../i18n/catalog.js';
import { LIMITS } from '../../model/limits.js';
import { validateContactForm, type FieldProblem } from '../../model/validate.js';
import { EMPTY_CONTACT, type ContactsFormReason } from '../../state/types.js';
import { baseStyles } from '../../styles/base.js';
import { formStyles } from '../../styles/form.js';
import { formField } from '../shared/form-field.js';
import { StoreElement } from '../shared/store-element.js';
import { contactsFormStyles } from './contacts-form.styles.js';

type Field = 'name' | 'email' | 'phone';

function errorText(t: Strings, field: Field, code: FieldProblem): string {
  if (code === 'too_long') return t.errorTooLong;
  if (code === 'contact_required') return t.errorContact;
  return field === 'name' ? t.errorName : field === 'email' ? t.errorEmail : t.errorPhone;
}

/**
 * The contacts form: name, and an email or a phone, checked by the rules `setContactInfo` applies. It starts from what
 * is known of the visitor; sending it makes them the visitor's contact details (which go to the agents) and answers
 * an agent's request. The window shows it when an agent asks (`Not now` declines) or, with the widget's
 * `contacts-form` attribute, before the first message (`Skip` when optional).
 *
 * @tagname jivo-contacts-form
 * @summary Ask the visitor how to reach them.
 *
 * @csspart contacts-form - The form.
 */
export class JivoContactsForm extends StoreElement {
  static override styles = [baseStyles, formStyles, contactsFormStyles];
  static override shadowRootOptions = { ...StoreElement.shadowRootOptions, delegatesFocus: true };

  readonly #contact = this.select((s) => s.contact, EMPTY_CONTACT);

  /** Why the form is shown: `request` (an agent asked), `optional` or `required` (the site's `contacts-form`). */
  @property({ reflect: true }) reason: ContactsFormReason = 'required';

  /** The field in error and what is wrong, after a submit attempt. */
  @state() private error: { field: Field; code: FieldProblem } | null = null;
  /** What is typed; null until the visitor edits a field (the known contact details show until then). */
  @state() private edited: Record<Field, string> | null = null;

  get #fields(): Record<Field, string> {
    const { name, email, phone } = this.#contact.value;
    return this.edited ?? { name, email, phone };
  }

  #onInput(event: InputEvent): void {
    const input = event.target as HTMLInputElement;
    this.edited = { ...this.#fields, [input.name]: input.value };
    if (this.error?.field === input.name || this.error?.code === 'contact_required') this.error = null;
  }

  async #onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const checked = validateContactForm(this.#fields);
    if (!checked.ok) {
      this.error = { field: checked.field!, code: checked.problem! };
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>(`#${checked.field}`)?.focus();
      return;
    }
    this.store?.introduce(checked.value);
    this.#done(true);
  }

  #onSecondary(): void {
    if (this.reason === 'request') this.store?.declineContacts();
    else this.store?.skipContactsForm();
    this.#done(false);
  }

  /** Tells the window (not the page) that the form is done, so that it moves focus on: `detail` is whether it was sent. */
  #done(sent: boolean): void {
    this.edited = null;
    this.dispatchEvent(new CustomEvent('contacts-done', { detail: sent }));
  }

  #field(name: Field, label: string, type: string, autocomplete: string, max: number) {
    const error = this.error?.field === name ? errorText(this.t, name, this.error.code) : null;
    const value = this.#fields[name];
    return formField({
      name,
      label,
      type,
      autocomplete,
      value,
      max,
      error,
      required: name === 'name',
      onInput: this.#onInput,
    });
  }

  override render() {
    const t = this.t;
    const reason = this.reason;
    return html`<form
      part="contacts-form"
      novalidate
      aria-labelledby="title"
      aria-describedby="intro"
      @submit=${this.#onSubmit}
    >
      <h3 id="title">${t.contactsTitle}</h3>
      <p id="intro">${reason === 'request' ? t.contactsRequested : t.contactsIntro}</p>
      ${this.#field('name', t.nameLabel, 'text', 'name', LIMITS.name)}
      ${this.#field('email', t.emailLabel, 'email', 'email', LIMITS.email)}
      ${this.#field('phone', t.phoneLabel, 'tel', 'tel', LIMITS.phone)}
      <div class="actions">
        <button type="submit" class="primary">${t.contactsSend}</button>
        ${
          reason === 'required'
            ? nothing
            : html`<button type="button" class="link" @click=${this.#onSecondary}>
                ${reason === 'request' ? t.contactsDismiss : t.contactsSkip}
              </button>`
        }
      </div>
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'jivo-contacts-form': JivoContactsForm;
  }
}
