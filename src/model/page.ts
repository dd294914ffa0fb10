import { isObj, isStr } from './guards.js';
import { LIMITS } from './limits.js';
import type { PageInfo } from './types.js';
import type { Result } from './validate.js';

/**
 * A page as the wire carries it: `{url, title}`, strings within the limits. Apart from validate.ts because only the
 * wire reads pages, so the launcher path, which carries validate.ts for the page API, does not carry this.
 */
export function validatePage(v: unknown): Result<PageInfo> {
  if (!isObj(v) || !isStr(v.url, LIMITS.url) || !isStr(v.title, LIMITS.title))
    return { ok: false, message: 'page must be {url, title}' };
  return { ok: true, value: { url: v.url, title: v.title } };
}
