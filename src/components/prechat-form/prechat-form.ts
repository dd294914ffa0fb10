import { html, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import type { SiteStrings } from '../../i18n/catalog.js';
import { LIMITS } from '../../model/limits.js';
import { SETTINGS_LIMITS, type FieldMode } from '../../model/site-settings.js';
import { validateContactForm } from '../../model/validate.js';
import {
  prechatFields,
  siteSettingsOf,
  type PrechatField as Field,
  type SiteState,
} from '../../state/site-settings.js';
import { EMPTY_CONTACT, type Prechat } from '../../state/types.js';
import { baseStyles } from '../../styles/base.js';
import { formStyles } from '../../styles/form.js';
import { formField } from '../shared/form-field.js';
import { SideController } from '../shared/side-controller.js';
import { StoreElement } from '../shared/store-element.js';
import { prechatFormStyles } from './prechat-form.styles.js';

/**
 * The site's pre-chat form (its settings come from the backend): the contact fields it asks for that are not known
 * yet (`setContactInfo` or an earlier form filled them), a department to choose, the site's own question, and a
 * consent checkbox with a link to the privacy policy. Required fields say so in their label; on a failed submit every
 * field in error is marked (`aria-invalid`, its message tied with `aria-describedby`) and focus goes to the first.
 * Sending it makes the details the visitor's (a `jivo-introduction` when it had any), routes the chat to the
 * department, and sends the answers and the consent; the composer shows once it is sent.
 *
 * @tagname jivo-prechat-form
 * @summary Ask what the site wants to know before the chat starts.
 *
 * @csspart prechat-form - The form.
 */
export class JivoPrechatForm extends StoreElement {
  static override styles = [baseStyles, formStyles, prechatFormStyles];
  static override shadowRootOptions = { ...StoreElement.shadowRootOptions, delegatesFocus: true };

  readonly #contact = this.select((s) => s.contact, EMPTY_CONTACT);
  readonly #site = new SideController<SiteState | null>(this, (store) => siteSettingsOf(store).state$, null);

  /** What the visitor typed or chose, by field. */
  @state() private values: Partial<Record<Field, string>> = {};
  @state() private consent = false;
  /** The fields in error after a submit attempt, with their message. */
  @state() private errors: Partial<Record<Field, string>> = {};

  get #s(): SiteStrings {
    return this.t.site;
  }

  #mode(prechat: Prechat, field: Field): FieldMode {
    if (field === 'department') return prechat.department.mode;
    if (field === 'question') return prechat.question.mode;
    if (field === 'consent') return 'required';
    return prechat[field];
  }

  #onInput(event: Event): void {
    const input = event.target as HTMLInputElement;
    const field = input.name as Field;
    if (field === 'consent') this.consent = input.checked;
    else this.values = { ...this.values, [field]: input.value };
    if (this.errors[field]) {
      const { [field]: _gone, ...rest } = this.errors;
      this.errors = rest;
    }
  }

  #check(prechat: Prechat, fields: Field[]): Partial<Record<Field, string>> {
    const s = this.#s;
    const errors: Partial<Record<Field, string>> = {};
    const value = (f: Field) => (this.values[f] ?? '').trim();
    for (const f of fields) {
      const required = this.#mode(prechat, f) === 'required';
      if (f === 'consent') {
        if (!this.consent) errors.consent = s.errorConsent;
      } else if (required && !value(f)) {
        errors[f] =
          f === 'name'
            ? s.errorNameRequired
            : f === 'email'
              ? s.errorEmailRequired
              : f === 'phone'
                ? s.errorPhoneRequired
                : f === 'department'
                  ? s.errorDepartment
                  : s.errorAnswer;
      }
    }
    // The formats of an email and a phone, and the lengths, by the rules of the contacts form (which also wants a name
    // and an email or a phone: those are this form's settings to decide, so they are given here).
    const asked = (f: Field) => (fields.includes(f) ? value(f) : '');
    const checked = validateContactForm({ name: asked('name') || '-', email: asked('email'), phone: asked('phone') });
    if (!checked.ok && checked.field && checked.problem !== 'contact_required' && !errors[checked.field]) {
      const f = checked.field;
      errors[f] =
        checked.problem === 'too_long' ? this.t.errorTooLong : f === 'email' ? this.t.errorEmail : this.t.errorPhone;
    }
    return errors;
  }

  async #onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const prechat = this.#site.value?.prechat ?? null;
    const store = this.store;
    if (!prechat || !store) return;
    const fields = prechatFields(prechat, this.#contact.value);
    this.errors = this.#check(prechat, fields);
    const first = fields.find((f) => this.errors[f]);
    if (first) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>(`#${first}`)?.focus();
      return;
    }
    const value = (f: Field) => (fields.includes(f) ? (this.values[f] ?? '').trim() : '');
    const given = { name: value('name'), email: value('email'), phone: value('phone') };
    if (given.name || given.email || given.phone) {
      const known = this.#contact.value;
      // The contacts form's event: jivo_onIntroduction, and getContactInfo() has the details.
      store.introduce({
        name: given.name || known.name,
        email: given.email || known.email,
        phone: given.phone || known.phone,
      });
    }
    const department = value('department') || null;
    if (department !== null) store.setDepartment(department);
    siteSettingsOf(store).sendPrechat({
      id: `p-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`,
      answer: value('question'),
      department,
      consent: prechat.consent?.version ?? null,
    });
    this.dispatchEvent(new CustomEvent('prechat-done'));
  }

  #label(prechat: Prechat, field: Field, text: string) {
    const required = this.#mode(prechat, field) === 'required';
    return html`${text}${required ? ` (${this.t.window.required})` : ''}`;
  }

  #error(field: Field) {
    const error = this.errors[field];
    return error ? html`<p class="error" id=${`${field}-error`}>${error}</p>` : nothing;
  }

  #contactField(prechat: Prechat, field: 'name' | 'email' | 'phone') {
    const t = this.t;
    const [label, type, autocomplete, max] =
      field === 'name'
        ? [t.nameLabel, 'text', 'name', LIMITS.name]
        : field === 'email'
          ? [t.emailLabel, 'email', 'email', LIMITS.email]
          : [t.phoneLabel, 'tel', 'tel', LIMITS.phone];
    return formField({
      name: field,
      label,
      type,
      autocomplete,
      max,
      value: this.values[field] ?? '',
      required: prechat[field] === 'required',
      requiredText: this.t.window.required,
      error: this.errors[field] ?? null,
      onInput: this.#onInput,
    });
  }

  #department(prechat: Prechat) {
    const invalid = !!this.errors.department;
    return html`<div>
      <label for="department">${this.#label(prechat, 'department', this.#s.departmentLabel)}</label>
      <select
        id="department"
        name="department"
        ?required=${prechat.department.mode === 'required'}
        aria-invalid=${invalid ? 'true' : 'false'}
        aria-describedby=${invalid ? 'department-error' : nothing}
        @change=${this.#onInput}
      >
        <option value="" ?selected=${!this.values.department}>${this.#s.departmentChoose}</option>
        ${prechat.department.options.map(
          (o) => html`<option value=${o} ?selected=${this.values.department === o}>${o}</option>`,
        )}
      </select>
      ${this.#error('department')}
    </div>`;
  }

  #question(prechat: Prechat) {
    return formField({
      name: 'question',
      label: prechat.question.label,
      max: SETTINGS_LIMITS.answer,
      value: this.values.question ?? '',
      required: prechat.question.mode === 'required',
      requiredText: this.t.window.required,
      error: this.errors.question ?? null,
      onInput: this.#onInput,
    });
  }

  #consent(consent: NonNullable<Prechat['consent']>) {
    const invalid = !!this.errors.consent;
    const s = this.#s;
    return html`<div class="consent">
      <input
        id="consent"
        name="consent"
        type="checkbox"
        required
        .checked=${this.consent}
        aria-invalid=${invalid ? 'true' : 'false'}
        aria-describedby=${invalid ? 'consent-error' : nothing}
        @change=${this.#onInput}
      />
      <label for="consent">${consent.text} (${this.t.window.required})</label>
      <a href=${consent.url} target="_blank" rel="noopener noreferrer"
        >${s.privacyPolicy}<span class="visually-hidden"> (${s.newTab})</span></a
      >
      ${this.#error('consent')}
    </div>`;
  }

  override render() {
    const prechat = this.#site.value?.prechat ?? null;
    if (!prechat) return nothing;
    const fields = prechatFields(prechat, this.#contact.value);
    const s = this.#s;
    return html`<form
      part="prechat-form"
      novalidate
      aria-labelledby="title"
      aria-describedby=${this.#site.value?.refused ? 'intro refused' : 'intro'}
      @submit=${this.#onSubmit}
    >
      <h3 id="title">${s.prechatTitle}</h3>
      <p id="intro">${s.prechatIntro}</p>
      ${this.#site.value?.refused ? html`<p class="error" id="refused">${s.prechatRefused}</p>` : nothing}
      ${fields.map((f) =>
        f === 'department'
          ? this.#department(prechat)
          : f === 'question'
            ? this.#question(prechat)
            : f === 'consent'
              ? this.#consent(prechat.consent!)
              : this.#contactField(prechat, f),
      )}
      <button type="submit" class="primary">${s.prechatStart}</button>
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'jivo-prechat-form': JivoPrechatForm;
  }
}
