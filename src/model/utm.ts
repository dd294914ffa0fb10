/**
 * The utm tags: read from the page's address and checked when restored. Apart from `validate.ts`, whose other rules load
 * with the window, because the launcher keeps the first visit's tags from the start (see StorageController).
 */
import { isObj, isStr } from './guards.js';
import { LIMITS } from './limits.js';
import { UTM_KEYS, type Utm } from './types.js';
import type { Result } from './validate.js';

/** The utm tags: an object of the five tags, each a string of at most LIMITS.utm characters. */
export function validateUtm(v: unknown): Result<Utm> {
  if (!isObj(v) || !UTM_KEYS.every((k) => isStr(v[k], LIMITS.utm)))
    return { ok: false, message: `utm must be {${UTM_KEYS.join(', ')}} strings` };
  const { source, medium, campaign, content, term } = v as unknown as Utm;
  return { ok: true, value: { source, medium, campaign, content, term } };
}

/** The utm_* tags of a page address ('' where absent), each cut to LIMITS.utm characters. */
export function utmOf(href: string): Utm {
  const params = new URL(href).searchParams;
  const utm = {} as Record<keyof Utm, string>;
  for (const key of UTM_KEYS) utm[key] = (params.get(`utm_${key}`) ?? '').slice(0, LIMITS.utm);
  return utm;
}
