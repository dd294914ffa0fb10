import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import {
  FIELD_MODES,
  validateSiteSettings,
  WEEKDAYS,
  type BusinessHours,
  type FieldMode,
  type SiteSettings,
  type Weekday,
} from '../src/model/site-settings.js';

const DAY_NAMES: Record<Weekday, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};
const MODE_NAMES: Record<FieldMode, string> = { off: 'Not asked', optional: 'Optional', required: 'Required' };

/** The form's fields, as text: what the admin edits. */
interface Draft {
  hoursOn: boolean;
  timeZone: string;
  /** Per day: `09:00-13:00, 14:00-18:00`; empty: closed. */
  days: Record<Weekday, string>;
  /** One a line: `2026-12-25`, or `2026-12-25 yearly`. */
  holidays: string;
  prechatOn: boolean;
  name: FieldMode;
  email: FieldMode;
  phone: FieldMode;
  department: FieldMode;
  /** One a line. */
  departments: string;
  question: FieldMode;
  questionLabel: string;
  consentOn: boolean;
  consentText: string;
  consentUrl: string;
  consentVersion: string;
}

const dayText = (hours: BusinessHours | null, day: Weekday) =>
  (hours?.week[day] ?? []).map((i) => `${i.from}-${i.to}`).join(', ');

function draftOf(s: SiteSettings): Draft {
  const h = s.hours;
  const p = s.prechat;
  return {
    hoursOn: h !== null,
    timeZone: h?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
    days: Object.fromEntries(
      WEEKDAYS.map((d) => [d, h ? dayText(h, d) : d === 'sat' || d === 'sun' ? '' : '09:00-18:00']),
    ) as Record<Weekday, string>,
    holidays: (h?.holidays ?? []).map((x) => `${x.date}${x.yearly ? ' yearly' : ''}`).join('\n'),
    prechatOn: p !== null,
    name: p?.name ?? 'optional',
    email: p?.email ?? 'optional',
    phone: p?.phone ?? 'off',
    department: p?.department.mode ?? 'off',
    departments: (p?.department.options ?? []).join('\n'),
    question: p?.question.mode ?? 'off',
    questionLabel: p?.question.label ?? '',
    consentOn: !!p?.consent,
    consentText: p?.consent?.text ?? '',
    consentUrl: p?.consent?.url ?? '',
    consentVersion: p?.consent?.version ?? '',
  };
}

/** The settings a draft describes, or what is wrong with it (and in which field). */
function settingsOf(d: Draft): { ok: true; value: SiteSettings } | { ok: false; field: string; message: string } {
  let hours: unknown = null;
  if (d.hoursOn) {
    const week: Record<string, Array<{ from: string; to: string }>> = {};
    for (const day of WEEKDAYS) {
      const parts = d.days[day]
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean);
      const intervals = parts.map((x) => /^(\d{2}:\d{2})\s*[-–]\s*(\d{2}:\d{2})$/.exec(x));
      const bad = intervals.findIndex((m) => !m);
      if (bad >= 0)
        return { ok: false, field: `day-${day}`, message: `${DAY_NAMES[day]}: write openings as 09:00-17:00.` };
      week[day] = intervals.map((m) => ({ from: m![1], to: m![2] }));
    }
    const holidays = [];
    for (const line of d.holidays
      .split('\n')
      .map((x) => x.trim())
      .filter(Boolean)) {
      const m = /^(\d{4}-\d{2}-\d{2})(\s+yearly)?$/.exec(line);
      if (!m) return { ok: false, field: 'holidays', message: `Holidays: "${line}" is not YYYY-MM-DD (yearly).` };
      holidays.push({ date: m[1], yearly: !!m[2] });
    }
    hours = { timeZone: d.timeZone.trim(), week, holidays };
  }
  let prechat: unknown = null;
  if (d.prechatOn) {
    prechat = {
      name: d.name,
      email: d.email,
      phone: d.phone,
      department: {
        mode: d.department,
        options: d.departments
          .split('\n')
          .map((x) => x.trim())
          .filter(Boolean),
      },
      question: { mode: d.question, label: d.questionLabel },
      consent: d.consentOn ? { text: d.consentText, url: d.consentUrl.trim(), version: d.consentVersion } : null,
    };
  }
  const checked = validateSiteSettings({ hours, prechat });
  if (checked.ok) return checked;
  const m = checked.message;
  const field = m.includes('timeZone')
    ? 'time-zone'
    : m.includes('holidays')
      ? 'holidays'
      : m.includes('hours.week.')
        ? `day-${/hours\.week\.(\w+)/.exec(m)![1]}`
        : m.includes('department')
          ? 'departments'
          : m.includes('question')
            ? 'question-label'
            : m.includes('consent.url')
              ? 'consent-url'
              : m.includes('consent.version')
                ? 'consent-version'
                : m.includes('consent')
                  ? 'consent-text'
                  : 'save';
  return { ok: false, field, message: m };
}

/**
 * A site's business hours and pre-chat form in the agent console. Admins edit them (the weekly schedule in an IANA
 * time zone, holidays, which fields the pre-chat form asks, the consent text and its privacy-policy link) and save
 * them to the backend; agents see them read-only. Problems are shown under the field at fault, which gets the focus.
 *
 * @tagname jivo-site-settings
 * @fires {CustomEvent<{widgetId: string, settings: SiteSettings}>} save - An admin saves valid settings.
 */
export class JivoSiteSettings extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    fieldset {
      margin-block: 0 16px;
      padding: 12px;
      border: 1px solid #767f8c;
      border-radius: 8px;
    }
    legend {
      font-weight: 600;
    }
    label {
      display: block;
      margin-block: 8px 4px;
      font-weight: 600;
    }
    .check {
      display: flex;
      align-items: center;
      gap: 8px;
      font-weight: 600;
    }
    .check input {
      inline-size: 24px;
      block-size: 24px;
      margin: 0;
    }
    input:not([type='checkbox']),
    select,
    textarea {
      box-sizing: border-box;
      inline-size: 100%;
      max-inline-size: 32rem;
      min-block-size: 32px;
      padding-block: 4px;
      padding-inline: 8px;
      border: 1px solid #767f8c;
      border-radius: 6px;
      font: inherit;
    }
    .days {
      display: grid;
      grid-template-columns: minmax(6rem, max-content) minmax(0, 1fr);
      align-items: center;
      column-gap: 12px;
    }
    .days label {
      margin: 0;
    }
    .hint,
    .muted {
      color: #5b6472;
      font-size: 0.9em;
    }
    .error {
      color: #b3261e;
    }
    [aria-invalid='true'] {
      border-color: #b3261e;
    }
    button {
      min-block-size: 32px;
      padding-inline: 16px;
      font: inherit;
    }
    dt {
      font-weight: 600;
    }
    dd {
      margin-inline-start: 0;
      margin-block-end: 8px;
    }
    @media (forced-colors: active) {
      fieldset,
      input,
      select,
      textarea {
        border-color: CanvasText;
      }
    }
  `;

  /** The site whose settings show. */
  @property() widgetId = '';
  /** Its settings as the backend has them. */
  @property({ attribute: false }) settings: SiteSettings = { hours: null, prechat: null };
  /** Whether the signed-in account may change them. */
  @property({ type: Boolean }) editable = false;
  /** The last save of this console: its state and, when refused, why. */
  @property({ attribute: false }) saveState: { state: 'saving' | 'saved' | 'refused'; error: string } | null = null;

  @state() private draft: Draft = draftOf({ hours: null, prechat: null });
  @state() private problem: { field: string; message: string } | null = null;

  protected override willUpdate(changed: PropertyValues): void {
    // A new site, or the backend's settings changed: the form starts from them again.
    if (changed.has('widgetId') || changed.has('settings')) {
      this.draft = draftOf(this.settings);
      this.problem = null;
    }
    if (changed.has('saveState') && this.saveState?.state === 'refused')
      this.problem = { field: 'save', message: this.saveState.error };
  }

  #set<K extends keyof Draft>(key: K, value: Draft[K]): void {
    this.draft = { ...this.draft, [key]: value };
    if (this.problem) this.problem = null;
  }

  #text(key: keyof Draft) {
    return (e: Event) => this.#set(key, (e.target as HTMLInputElement).value as never);
  }

  #check(key: keyof Draft) {
    return (e: Event) => this.#set(key, (e.target as HTMLInputElement).checked as never);
  }

  async #onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const result = settingsOf(this.draft);
    if (!result.ok) {
      this.problem = { field: result.field, message: result.message };
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>(`#${result.field}`)?.focus();
      return;
    }
    this.dispatchEvent(new CustomEvent('save', { detail: { widgetId: this.widgetId, settings: result.value } }));
  }

  /** `aria-invalid` and `aria-describedby` of a field, and its error under it. */
  #invalid(field: string) {
    return this.problem?.field === field;
  }

  #error(field: string) {
    return this.#invalid(field) ? html`<p class="error" id=${`${field}-error`}>${this.problem!.message}</p>` : nothing;
  }

  #mode(id: string, label: string, key: 'name' | 'email' | 'phone' | 'department' | 'question') {
    return html`<label for=${id}>${label}</label>
      <select id=${id} @change=${this.#text(key)}>
        ${FIELD_MODES.map((m) => html`<option value=${m} ?selected=${this.draft[key] === m}>${MODE_NAMES[m]}</option>`)}
      </select>`;
  }

  #field(
    id: string,
    label: string,
    key: keyof Draft,
    options: { hint?: string; multiline?: boolean; type?: string } = {},
  ) {
    const invalid = this.#invalid(id);
    const described = [invalid ? `${id}-error` : '', options.hint ? `${id}-hint` : ''].filter(Boolean).join(' ');
    const value = this.draft[key] as string;
    return html`<label for=${id}>${label}</label>
      ${
        options.multiline
          ? html`<textarea
              id=${id}
              rows="3"
              .value=${value}
              aria-invalid=${invalid ? 'true' : 'false'}
              aria-describedby=${described || nothing}
              @input=${this.#text(key)}
            ></textarea>`
          : html`<input
              id=${id}
              type=${options.type ?? 'text'}
              .value=${value}
              aria-invalid=${invalid ? 'true' : 'false'}
              aria-describedby=${described || nothing}
              @input=${this.#text(key)}
            />`
      }
      ${options.hint ? html`<p class="hint" id=${`${id}-hint`}>${options.hint}</p>` : nothing} ${this.#error(id)}`;
  }

  #renderReadOnly() {
    const { hours, prechat } = this.settings;
    return html`<h3>Business hours</h3>
      ${
        hours
          ? html`<dl>
              <dt>Time zone</dt>
              <dd>${hours.timeZone}</dd>
              ${WEEKDAYS.map((d) => html`<dt>${DAY_NAMES[d]}</dt><dd>${dayText(hours, d) || 'Closed'}</dd>`)}
              <dt>Holidays</dt>
              <dd>
                ${hours.holidays.length ? hours.holidays.map((h) => `${h.date}${h.yearly ? ' (every year)' : ''}`).join(', ') : 'None'}
              </dd>
            </dl>`
          : html`<p class="muted">No schedule: the chat is open whenever an agent is online.</p>`
      }
      <h3>Pre-chat form</h3>
      ${
        prechat
          ? html`<dl>
              <dt>Name</dt>
              <dd>${MODE_NAMES[prechat.name]}</dd>
              <dt>Email</dt>
              <dd>${MODE_NAMES[prechat.email]}</dd>
              <dt>Phone</dt>
              <dd>${MODE_NAMES[prechat.phone]}</dd>
              <dt>Department</dt>
              <dd>
                ${MODE_NAMES[prechat.department.mode]}${prechat.department.options.length ? `: ${prechat.department.options.join(', ')}` : ''}
              </dd>
              <dt>Question</dt>
              <dd>${prechat.question.mode === 'off' ? MODE_NAMES.off : `${prechat.question.label} (${MODE_NAMES[prechat.question.mode]})`}</dd>
              <dt>Consent</dt>
              <dd>
                ${
                  prechat.consent
                    ? html`${prechat.consent.text} (version ${prechat.consent.version},
                        <a href=${prechat.consent.url} target="_blank" rel="noopener noreferrer">privacy policy</a>)`
                    : 'Not asked'
                }
              </dd>
            </dl>`
          : html`<p class="muted">No pre-chat form.</p>`
      }`;
  }

  override render() {
    if (!this.editable)
      return html`<p class="muted">Only an admin may change these settings.</p>
        ${this.#renderReadOnly()}`;
    const d = this.draft;
    const saving = this.saveState?.state === 'saving';
    return html`<form novalidate @submit=${this.#onSubmit}>
      <fieldset>
        <legend>Business hours</legend>
        <label class="check"><input type="checkbox" id="hours-on" .checked=${d.hoursOn} @change=${this.#check('hoursOn')} />Use business hours</label>
        ${
          d.hoursOn
            ? html`${this.#field('time-zone', 'Time zone', 'timeZone', { hint: 'An IANA time zone, such as Europe/Berlin or America/New_York.' })}
                <p class="hint" id="days-hint">Openings in that time zone, such as 09:00-17:00; several separated by commas; empty: closed.</p>
                <div class="days">
                  ${WEEKDAYS.map((day) => {
                    const id = `day-${day}`;
                    const invalid = this.#invalid(id);
                    return html`<label for=${id}>${DAY_NAMES[day]}</label>
                      <input
                        id=${id}
                        .value=${d.days[day]}
                        aria-invalid=${invalid ? 'true' : 'false'}
                        aria-describedby=${invalid ? `${id}-error days-hint` : 'days-hint'}
                        @input=${(e: Event) => this.#set('days', { ...this.draft.days, [day]: (e.target as HTMLInputElement).value })}
                      />
                      ${invalid ? html`<span></span>${this.#error(id)}` : nothing}`;
                  })}
                </div>
                ${this.#field('holidays', 'Holidays', 'holidays', { multiline: true, hint: 'One date a line, as 2026-12-25; add "yearly" for every year: 2026-12-25 yearly.' })}`
            : nothing
        }
      </fieldset>
      <fieldset>
        <legend>Pre-chat form</legend>
        <label class="check"><input type="checkbox" id="prechat-on" .checked=${d.prechatOn} @change=${this.#check('prechatOn')} />Ask before the chat starts</label>
        ${
          d.prechatOn
            ? html`${this.#mode('mode-name', 'Name', 'name')} ${this.#mode('mode-email', 'Email', 'email')}
                ${this.#mode('mode-phone', 'Phone', 'phone')} ${this.#mode('mode-department', 'Department', 'department')}
                ${d.department === 'off' ? nothing : this.#field('departments', 'Departments to choose from', 'departments', { multiline: true, hint: 'One a line.' })}
                ${this.#mode('mode-question', 'Question of your own', 'question')}
                ${d.question === 'off' ? nothing : this.#field('question-label', 'The question', 'questionLabel')}
                <label class="check"><input type="checkbox" id="consent-on" .checked=${d.consentOn} @change=${this.#check('consentOn')} />Ask for consent to the privacy policy</label>
                ${
                  d.consentOn
                    ? html`${this.#field('consent-text', 'Consent text', 'consentText')}
                      ${this.#field('consent-url', 'Privacy policy address', 'consentUrl', { type: 'url', hint: 'An https address.' })}
                      ${this.#field('consent-version', 'Version of the text', 'consentVersion', { hint: 'Change it when the text changes: visitors are asked again.' })}`
                    : nothing
                }`
            : nothing
        }
      </fieldset>
      <button type="submit" id="save" aria-describedby=${this.#invalid('save') ? 'save-error' : nothing} ?disabled=${saving}>
        Save settings for ${this.widgetId}
      </button>
      ${this.#error('save')}
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'jivo-site-settings': JivoSiteSettings;
  }
}
