/** How long an idle wait may last before what waits runs anyway, ms. */
export const IDLE_TIMEOUT = 2_000;

/**
 * Runs `fn` once the browser is idle (or IDLE_TIMEOUT from now); the function returned cancels it. (requestIdleCallback
 * is not in every browser or DOM: Safari and jsdom have none, and there it runs on the next task.)
 */
export function whenIdle(fn: () => void): () => void {
  if ('requestIdleCallback' in window) {
    const id = requestIdleCallback(() => fn(), { timeout: IDLE_TIMEOUT });
    return () => cancelIdleCallback(id);
  }
  const id = setTimeout(fn);
  return () => clearTimeout(id);
}
