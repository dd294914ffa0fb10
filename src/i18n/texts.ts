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
 * MAX_TEXT_LENGTH. `base` itself when there are no texts.
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
