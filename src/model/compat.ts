/**
 * The validators' earlier result shapes (null or a problem, `{fields} | {error}`, `{entries} | {error}`), over the
 * rules in validate.ts. Only for code that still reads those shapes: the reference backend and console (until they
 * move to `Result`) and the tests that pin each rule's answers. The widget itself uses validate.ts.
 */
import type { ClientAttributeValue, ContactFields, CustomField, OfflineMessageFields } from './types.js';
import type { Obj } from './guards.js';
import {
  validateClientAttributes,
  validateContactFields,
  validateContactForm,
  validateCustomData,
  validateOfflineFields,
  validatePhone,
  validateText,
  type FieldProblem,
} from './validate.js';

/** Null when `v` is text worth sending, else what is wrong. */
export function checkText(v: unknown): string | null {
  const r = validateText(v);
  return r.ok ? null : r.message;
}

/** Null when the contact fields are acceptable, else the first problem. */
export function checkContactFields(v: Obj): { field: keyof ContactFields; error: string } | null {
  const r = validateContactFields(v);
  return r.ok ? null : { field: r.field!, error: r.message };
}

/** Null when the offline message's fields are acceptable, else the first problem. */
export function checkOfflineFields(
  v: Obj,
): { field: keyof OfflineMessageFields; code: FieldProblem; error: string } | null {
  const r = validateOfflineFields(v);
  return r.ok ? null : { field: r.field!, code: r.problem!, error: r.message };
}

/** Null when the contacts form is acceptable, else the first problem. */
export function checkContactForm(v: {
  name: string;
  email: string;
  phone: string;
}): { field: 'name' | 'email' | 'phone'; code: FieldProblem } | null {
  const r = validateContactForm(v);
  return r.ok ? null : { field: r.field!, code: r.problem! };
}

/** The phone number normalised, or null when it is not one. */
export function normalizePhone(v: unknown): string | null {
  const r = validatePhone(v);
  return r.ok ? r.value : null;
}

export function checkCustomData(v: unknown): { fields: CustomField[] } | { error: string } {
  const r = validateCustomData(v);
  return r.ok ? { fields: r.value } : { error: r.message };
}

export function checkClientAttributes(
  v: unknown,
  allowNull = false,
): { entries: Array<[string, ClientAttributeValue | null]> } | { error: string } {
  const r = validateClientAttributes(v, allowNull);
  return r.ok ? { entries: r.value } : { error: r.message };
}
