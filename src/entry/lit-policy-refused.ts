import { drainQueue } from '../api/queue.js';
import { TRUSTED_TYPES_REFUSED } from './lit-policy.js';

/**
 * On a page whose Trusted Types policy refused Lit's (see `lit-policy.ts`): tells the site which line its
 * Content-Security-Policy needs, and answers the calls the page queued (`window.jivo_queue`) with `jivo_api`'s reason.
 * In the window chunk, so that the launcher's bytes do not carry it; the entry loads the chunk only for this.
 */
export function reportLitPolicyRefusal(win: Window, error: unknown): void {
  console.warn(
    `jivo-widget: ${TRUSTED_TYPES_REFUSED}: its Content-Security-Policy needs trusted-types lit-html 'allow-duplicates'.`,
    error,
  );
  drainQueue(win);
}
