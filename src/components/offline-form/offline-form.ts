import { html } from 'lit';
import { state } from 'lit/decorators.js';
import type { Strings } from '../../i18n/catalog.js';
import { LIMITS } from '../../model/limits.js';
import type { OfflineMessageFields } from '../../model/types.js';
import { validateOfflineFields, type FieldProblem } from '../../model/validate.js';
import { EMPTY_CONTACT } from '../../state/types.js';
import { baseStyles } from '../../styles/base.js';
import { formStyles } from '../../styles/form.js';
import { formField } from '../shared/form-field.js';
import { StoreElement } from '../shared/store-element.js';
import { lastOfflineMessage } from '../../state/selectors.js';

type Field = 'name' | 'email' | 'phone' | 'message';
type Problems = Partial<Record<Field, FieldProblem>>;

/** In the form's order: the first field in error gets focus. */
const FIELDS: readonly Field[] = ['name', 'email', 'phone', 'message'];
/** Values that pass, so that each field can be checked alone by the one validator `sendOfflineMessage` uses. */
const PASSING = { name: '', email: 'a@b.co', phone: '+10000000', message: '-' };

/**
 * Every problem of the form at once, field by field (the validator stops at the first): each field is checked among
 * passing values, and the email-or-phone rule, which belongs to no single field, is shown on the email.
 */
function problemsOf(fields: Record<Field, string>): Problems {
  const problems: Problems = {};
  for (const field of FIELDS) {
    const checked = validateOfflineFields({ ...PASSING, [field]: fields[field] });
    if (!checked.ok && checked.field === field && checked.problem !== 'contact_required')
      problems[field] = checked.problem;
  }
  if (!problems.email && !problems.phone && !fields.email.trim() && !fields.phone.trim())
    problems.email = 'contact_required';
  return problems;
}

function errorText(t: Strings, field: keyof OfflineMessageFields, code: FieldProblem): string {
  if (code === 'too_long') return t.errorTooLong;
  if (code === 'contact_required') return t.errorContact;
  if (field === 'email') return t.errorEmail;
  if (field === 'phone') return t.errorPhone;
  return t.errorRequired;
}

/**
 * The form the chat window shows while no agent is online and no conversation exists: name, email, phone and a
 * message, validated as `sendOfflineMessage` validates them. The message is the composer's draft in the store, so
 * minimizing loses none of it; the contact fields start from what the visitor gave before and become the visitor's
 * contact details when the form is sent. A sent message waits in the outbox until the backend has it.
 *
 * @tagname jivo-offline-form
 * @summary Leave a message while nobody is online.
 *
 * @csspart offline-form - The form.
 */
export class JivoOfflineForm extends StoreElement {
  static override styles = [baseStyles, formStyles];
  static override shadowRootOptions = { ...StoreElement.shadowRootOptions, delegatesFocus: true };

  readonly #contact = this.select((s) => s.contact, EMPTY_CONTACT);
  readonly #draft = this.select((s) => s.draft, '');
  readonly #sent = this.select(lastOfflineMessage, null);

  /** What is wrong with each field in error, after a submit attempt. */
  @state() private errors: Problems = {};
  /** The visitor asked for a fresh form after sending. */
  @state() private writingAnother = false;
  /** What is typed in the contact fields; null until the visitor edits them (the store's contact shows until then). */
  @state() private edited: { name: string; email: string; phone: string } | null = null;

  get #fields() {
    const { name, email, phone } = this.#contact.value;
    return this.edited ?? { name, email, phone };
  }

  #onInput(event: InputEvent): void {
    const input = event.target as HTMLInputElement | HTMLTextAreaElement;
    const field = input.name as Field;
    if (field === 'message') this.store?.setDraft(input.value);
    else this.edited = { ...this.#fields, [field]: input.value };
    const errors = { ...this.errors };
    delete errors[field];
    // Either contact field answers the email-or-phone rule.
    if (field === 'phone' && errors.email === 'contact_required') delete errors.email;
    this.errors = errors;
  }

  async #onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (!this.store) return;
    const contact = { ...this.#contact.value, ...this.#fields };
    const fields = { ...contact, message: this.#draft.value };
    const checked = validateOfflineFields(fields);
    if (!checked.ok) {
      this.errors = problemsOf(fields);
      await this.updateComplete;
      const first = FIELDS.find((f) => this.errors[f]) ?? checked.field;
      this.renderRoot.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
      return;
    }
    this.errors = {};
    this.store.submitOfflineForm(checked.value, { saveContact: true });
    this.edited = null;
    this.writingAnother = false;
    // The form gives way to the confirmation: keep keyboard focus on what replaces it.
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('.link')?.focus();
  }

  async #writeAnother(): Promise<void> {
    this.writingAnother = true;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('input, textarea')?.focus();
  }

  #field(name: Field, label: string, type: string | undefined, autocomplete: string, value: string, max: number) {
    const problem = this.errors[name];
    const error = problem ? errorText(this.t, name, problem) : null;
    // The message is required; an email or a phone is, one of the two, which the hint under the intro says.
    const required = name === 'message';
    const hint = name === 'email' || name === 'phone' ? 'contact-rule' : undefined;
    const requiredText = this.t.window.required;
    return formField({
      name,
      label,
      type,
      autocomplete,
      value,
      max,
      error,
      required,
      requiredText,
      hint,
      onInput: this.#onInput,
    });
  }

  override render() {
    const t = this.t;
    const last = this.#sent.value;
    if (last && !this.writingAnother) {
      return html`<div role="status">
          <p>${last.status === 'sent' ? t.offlineThanks : this.t.window.offlinePending}</p>
        </div>
        <button type="button" class="link" @click=${this.#writeAnother}>${t.writeAnother}</button>`;
    }
    const contact = this.#fields;
    return html`<p>${t.offlineIntro}</p>
      <p class="hint" id="contact-rule">${t.errorContact}</p>
      <form part="offline-form" novalidate @submit=${this.#onSubmit}>
        ${this.#field('name', t.nameLabel, 'text', 'name', contact.name, LIMITS.name)}
        ${this.#field('email', t.emailLabel, 'email', 'email', contact.email, LIMITS.email)}
        ${this.#field('phone', t.phoneLabel, 'tel', 'tel', contact.phone, LIMITS.phone)}
        ${this.#field('message', t.offlineMessageLabel, undefined, '', this.#draft.value, LIMITS.text)}
        <button type="submit" class="primary">${t.offlineSend}</button>
      </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'jivo-offline-form': JivoOfflineForm;
  }
}
