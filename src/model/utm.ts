/**
 * The utm tags: read from the page's address and checked when restored. Apart from `validate.ts`, whose other rules load
 * with the window, because the launcher keeps the first visit's tags from the start (see StorageController).
 */
import { LAUNCHER_LIMITS } from './launcher-limits.js';
import { UTM_KEYS, type Utm } from './types.js';
import type { Result } from './validate.js';

/** The utm tags: an object of the five tags, each a string of at most LIMITS.utm characters. */
export function validateUtm(v: unknown): Result<Utm> {
  // (Spelled out rather than guards.ts's isObj and isStr, which load with the window.)
  const tags = v as Record<string, unknown>;
  if (
    typeof v !== 'object' ||
    !v ||
    !UTM_KEYS.every((k) => typeof tags[k] === 'string' && tags[k].length <= LAUNCHER_LIMITS.utm)
  )
    return { ok: false, message: `utm must be {${UTM_KEYS.join(', ')}} strings` };
  const { source, medium, campaign, content, term } = v as unknown as Utm;
  return { ok: true, value: { source, medium, campaign, content, term } };
}

/** The utm_* tags of a page address ('' where absent), each cut to LIMITS.utm characters. */
export function utmOf(href: string): Utm {
  const params = new URL(href).searchParams;
  const utm = {} as Record<keyof Utm, string>;
  for (const key of UTM_KEYS) utm[key] = (params.get(`utm_${key}`) ?? '').slice(0, LAUNCHER_LIMITS.utm);
  return utm;
}
