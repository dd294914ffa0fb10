import type { Strings } from './catalog.js';

type DeepPartial<T> = { [K in keyof T]?: T[K] extends string ? string : DeepPartial<T[K]> };

/**
 * A site's own wording for any of the widget's strings (the `texts` property of `<jivo-widget>`): the same keys as the
 * catalogue, each optional, nested objects partial too. Values are text, never HTML; each is cut at
 * `MAX_TEXT_LENGTH` characters. Keys the widget does not know and values that are not strings are ignored.
 */
export type JivoTexts = DeepPartial<Strings>;

/** The longest a site's text may be, in characters. */
export const MAX_TEXT_LENGTH = 500;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `base` with the site's `texts` laid over it: only keys `base` has, only strings where it has strings, each cut at
 * MAX_TEXT_LENGTH. `base` itself is returned when nothing changes.
 */
export function overlay<T extends object>(base: T, texts: unknown): T {
  if (!isObject(texts)) return base;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(base) as Array<[string, unknown]>) {
    const given = texts[key];
    if (typeof value === 'string') {
      if (typeof given === 'string') out[key] = given.slice(0, MAX_TEXT_LENGTH);
    } else if (isObject(value)) out[key] = overlay(value, given);
  }
  return out as T;
}

/**
 * What is wrong with a site's texts against the English shape `shape`: unknown keys, values that are not strings,
 * values cut for length. Plural objects (those with `other`) take any plural category.
 */
export function textsProblems(texts: unknown, shape: object, path = ''): string[] {
  if (!isObject(texts)) return path || texts == null ? [] : ['texts must be an object'];
  const problems: string[] = [];
  const known = shape as Record<string, unknown>;
  const plural = 'other' in known;
  for (const [key, value] of Object.entries(texts)) {
    const name = path + key;
    const expected = known[key] ?? (plural && /^(zero|one|two|few|many)$/.test(key) ? '' : undefined);
    if (expected === undefined) problems.push(`unknown key ${name}`);
    else if (typeof expected === 'string') {
      if (typeof value !== 'string') problems.push(`${name} is not a string`);
      else if (value.length > MAX_TEXT_LENGTH) problems.push(`${name} is longer than ${MAX_TEXT_LENGTH} characters`);
    } else if (!isObject(value)) problems.push(`${name} is not an object`);
    else problems.push(...textsProblems(value, expected as object, `${name}.`));
  }
  return problems;
}
