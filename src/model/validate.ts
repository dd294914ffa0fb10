/**
 * The rules for what the page, the visitor and the wire may give: each rule written once, every validator returning
 * one `Result`. Callers turn a failure into what they speak: the wire an `invalid_field` error, the page API
 * `{result: 'fail', reason}`, a form a message under the field, storage loading a value left out.
 */
import { CONTACT_FIELD_LIMITS, LIMITS, OFFLINE_FIELD_LIMITS } from './limits.js';
import { isHttpUrl, isObj, isPlainObject, isStr, utf8Length, type Obj } from './guards.js';
import { type ClientAttributeValue, type ContactFields, type CustomField, type OfflineMessageFields } from './types.js';

/** What is wrong with a form field, for the form to say it in the visitor's language. */
export type FieldProblem = 'type' | 'too_long' | 'required' | 'invalid' | 'contact_required';

/** A value that passed, normalised. */
export interface Valid<T> {
  ok: true;
  value: T;
}

/** Why a value did not pass: `message` in English for the page and the wire; `field` and `problem` for the forms. */
export interface Invalid<F extends string = string> {
  ok: false;
  message: string;
  field?: F;
  problem?: FieldProblem;
}

export type Result<T, F extends string = string> = Valid<T> | Invalid<F>;

export const valid = <T>(value: T): Valid<T> => ({ ok: true, value });
export const invalid = <F extends string = string>(message: string, field?: F, problem?: FieldProblem): Invalid<F> => ({
  ok: false,
  message,
  field,
  problem,
});

/** Text worth sending: not blank, within the limit. The text is not changed. */
export function validateText(v: unknown): Result<string> {
  if (typeof v !== 'string') return invalid('text must be a string');
  if (!v.trim()) return invalid('text is empty');
  if (v.length > LIMITS.text) return invalid(`text is longer than ${LIMITS.text} characters`);
  return valid(v);
}

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]{2,}$/;
const PHONE = /^\+?[\d\s().-]{5,32}$/;

/** The first field of `limits` that is given but not a string, or too long. */
function checkStrings<F extends string>(v: Obj, limits: ReadonlyArray<readonly [F, number]>): Invalid<F> | null {
  for (const [field, max] of limits) {
    const value = v[field];
    if (value !== undefined && value !== null && typeof value !== 'string')
      return invalid(`${field} must be a string`, field, 'type');
    if (typeof value === 'string' && value.length > max)
      return invalid(`${field} is longer than ${max} characters`, field, 'too_long');
  }
  return null;
}

/** Each field of `limits`, trimmed; '' where it is not a string. */
function trimmed<F extends string>(v: Obj, limits: ReadonlyArray<readonly [F, number]>): Record<F, string> {
  const fields = {} as Record<F, string>;
  for (const [field] of limits) fields[field] = typeof v[field] === 'string' ? (v[field] as string).trim() : '';
  return fields;
}

/** A malformed email or phone (a blank one is not checked). */
function checkAddress(email: string, phone: string): Invalid<'email' | 'phone'> | null {
  if (email && !EMAIL.test(email)) return invalid('email is not a valid address', 'email', 'invalid');
  if (phone && !PHONE.test(phone)) return invalid('phone is not a valid number', 'phone', 'invalid');
  return null;
}

/**
 * Contact details (`setContactInfo`, the contact frame): each field optional, a string within its limit, with a
 * well-formed email and phone if given. The value holds the fields given as strings, trimmed.
 */
export function validateContactFields(v: Obj): Result<Partial<ContactFields>, keyof ContactFields> {
  const fields = trimmed(v, CONTACT_FIELD_LIMITS);
  const problem = checkStrings(v, CONTACT_FIELD_LIMITS) ?? checkAddress(fields.email, fields.phone);
  if (problem) return problem;
  const given: Partial<ContactFields> = {};
  for (const [field] of CONTACT_FIELD_LIMITS) if (typeof v[field] === 'string') given[field] = fields[field];
  return valid(given);
}

/**
 * The fields of an offline message as `sendOfflineMessage` documents them: a message, and an email or a phone so the
 * site can answer. The value holds every field trimmed ('' where not given).
 */
export function validateOfflineFields(v: Obj): Result<OfflineMessageFields, keyof OfflineMessageFields> {
  const problem = checkStrings(v, OFFLINE_FIELD_LIMITS);
  if (problem) return problem;
  const fields = trimmed(v, OFFLINE_FIELD_LIMITS);
  if (!fields.message) return invalid('message is required', 'message', 'required');
  return (
    checkAddress(fields.email, fields.phone) ??
    (!fields.email && !fields.phone
      ? invalid('an email or a phone is required to answer', 'email', 'contact_required')
      : valid(fields))
  );
}

type ContactFormField = 'name' | 'email' | 'phone';

/**
 * The contacts form: a `name`, and an `email` or a `phone`, each within its limit and well-formed (the rules of the
 * offline form and `setContactInfo`). The value holds the three fields trimmed.
 */
export function validateContactForm(
  v: Record<ContactFormField, string>,
): Result<Record<ContactFormField, string>, ContactFormField> {
  const checked = validateOfflineFields({ ...v, message: '-' });
  if ((checked.ok || checked.problem !== 'too_long') && !v.name.trim())
    return invalid('name is required', 'name', 'required');
  if (!checked.ok) return checked as Invalid<ContactFormField>;
  const { name, email, phone } = checked.value;
  return valid({ name, email, phone });
}

/**
 * A phone number to call back, normalised: spaces, dashes, dots and parentheses are dropped, and what is left must be
 * an optional `+` and 7-15 digits (E.164's length), given in at most LIMITS.phone characters.
 */
export function validatePhone(v: unknown): Result<string> {
  const phone = typeof v === 'string' && v.length <= LIMITS.phone ? v.replace(/[\s().-]/g, '') : '';
  return /^\+?\d{7,15}$/.test(phone)
    ? valid(phone)
    : invalid('phone is not a valid number: 7-15 digits, optionally starting with +', 'phone', 'invalid');
}

/**
 * `setCustomData` fields: an array of at most LIMITS.customFields objects whose `content`, `title`, `link` and `key`
 * are strings. The value is the fields normalised: a link that is not http or https is dropped, the rest of its field
 * kept.
 */
export function validateCustomData(v: unknown): Result<CustomField[]> {
  if (!Array.isArray(v)) return invalid('fields must be an array');
  if (v.length > LIMITS.customFields) return invalid(`at most ${LIMITS.customFields} fields`);
  const fields: CustomField[] = [];
  for (const [i, item] of v.entries()) {
    if (!isObj(item)) return invalid(`field ${i} must be an object`);
    for (const key of ['content', 'title', 'link', 'key']) {
      const value = item[key];
      if (value !== undefined && value !== null && !isStr(value, LIMITS.customField)) {
        return invalid(`field ${i}: ${key} must be a string of at most ${LIMITS.customField} characters`);
      }
    }
    const field: CustomField = { content: typeof item.content === 'string' ? item.content : '' };
    if (typeof item.title === 'string' && item.title) field.title = item.title;
    if (typeof item.key === 'string' && item.key) field.key = item.key;
    if (typeof item.link === 'string' && isHttpUrl(item.link)) field.link = item.link;
    if (!field.content && !field.title) return invalid(`field ${i} has neither content nor title`);
    fields.push(field);
  }
  // The whole list travels in one frame: it must fit, with room for the frame around it.
  if (utf8Length(JSON.stringify(fields)) > LIMITS.frameBytes - 256)
    return invalid(`the fields take more than ${LIMITS.frameBytes - 256} bytes`);
  return valid(fields);
}

/**
 * Client attributes: a plain object of at most LIMITS.clientAttributes keys (1-64 characters, not blank) whose values
 * are strings of at most 255 characters, finite numbers or booleans, and (with `allowNull`, for a call that deletes)
 * null. The whole set must fit a frame. The value is its entries, in order. Never throws.
 */
export function validateClientAttributes(
  v: unknown,
  allowNull = false,
): Result<Array<[string, ClientAttributeValue | null]>> {
  try {
    // A plain object of any realm (an iframe's too): its prototype is an Object.prototype, or none.
    if (!isPlainObject(v)) return invalid('attributes must be a plain object such as {plan: "gold"}');
    const entries = Object.entries(v);
    if (entries.length > LIMITS.clientAttributes) return invalid(`at most ${LIMITS.clientAttributes} attributes`);
    for (const [key, value] of entries) {
      if (!key.trim() || key.length > LIMITS.attributeKey)
        return invalid(`attribute names are 1-${LIMITS.attributeKey} characters, not blank`);
      const ok =
        (typeof value === 'string' && value.length <= LIMITS.attributeValue) ||
        (typeof value === 'number' && Number.isFinite(value)) ||
        typeof value === 'boolean' ||
        (allowNull && value === null);
      if (!ok)
        return invalid(
          `attribute ${JSON.stringify(key)} must be a string of at most ${LIMITS.attributeValue} characters, a finite number or a boolean${allowNull ? ' (null deletes)' : ''}`,
        );
    }
    if (utf8Length(JSON.stringify(v)) > LIMITS.frameBytes - 256)
      return invalid(`the attributes take more than ${LIMITS.frameBytes - 256} bytes`);
    return valid(entries as Array<[string, ClientAttributeValue | null]>);
  } catch {
    return invalid('attributes could not be read');
  }
}

export { utmOf, validateUtm } from './utm.js';
