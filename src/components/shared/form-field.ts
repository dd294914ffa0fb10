import { html, nothing, type TemplateResult } from 'lit';

export interface FormFieldOptions {
  /** The control's `id` and `name`. */
  name: string;
  label: string;
  value: string;
  /** `maxlength`. */
  max: number;
  /** Bound to the rendering element, as any listener in its template. */
  onInput: (event: InputEvent) => void;
  /** The input's `type`; omitted for a multi-line text area. */
  type?: string;
  autocomplete?: string;
  required?: boolean;
  /** Said after the label of a required field ("required"), so that the rule shows before a submit fails. */
  requiredText?: string;
  /** The id of a hint that describes the field too (a rule shared by several fields). */
  hint?: string;
  /** What is wrong with the value, shown under the field and tied to it; null when nothing is. */
  error: string | null;
}

/**
 * One labelled field of a form: a label and its input (or text area) in the same shadow root, and the field's error
 * under it, referenced by `aria-describedby`. A template, not an element, so that the label stays beside its control.
 */
export function formField(o: FormFieldOptions): TemplateResult {
  const invalid = o.error !== null;
  const ids = [invalid ? `${o.name}-error` : '', o.hint ?? ''].filter(Boolean).join(' ');
  const describedBy = ids || nothing;
  const control =
    o.type === undefined
      ? html`<textarea
          id=${o.name}
          name=${o.name}
          maxlength=${o.max}
          ?required=${o.required}
          aria-invalid=${invalid ? 'true' : 'false'}
          aria-describedby=${describedBy}
          .value=${o.value}
          @input=${o.onInput}
        ></textarea>`
      : html`<input
          id=${o.name}
          name=${o.name}
          type=${o.type}
          autocomplete=${o.autocomplete ?? nothing}
          maxlength=${o.max}
          ?required=${o.required}
          aria-invalid=${invalid ? 'true' : 'false'}
          aria-describedby=${describedBy}
          .value=${o.value}
          @input=${o.onInput}
        />`;
  return html`<div>
    <label for=${o.name}>${o.label}${o.required && o.requiredText ? ` (${o.requiredText})` : ''}</label>${control}
    ${invalid ? html`<p class="error" id=${`${o.name}-error`}>${o.error}</p>` : nothing}
  </div>`;
}
