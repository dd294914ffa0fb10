/**
 * Loads the window chunk (`src/entry/window-chunk.ts`) once, and gives it synchronously once it is there. It loads once
 * the page has loaded and is idle (`loadPartsWhenIdle`, which the root element asks for after its first render), so
 * that it never competes with the page's own loading, or sooner on the visitor's first interaction with the widget or
 * an API call (`loadParts`).
 */
import { loadWindowChunk, type Parts } from './load-window-chunk.js';

export type { Parts };

/** How long the idle wait after the page's load event may last before the chunk loads anyway, ms. */
export const IDLE_TIMEOUT = 2_000;

let parts: Parts | undefined;
let loading: Promise<Parts> | undefined;
let idle: Promise<Parts> | undefined;
let arrived!: (parts: Parts) => void;
/** Resolves when the parts have loaded, whoever asked for them. */
const ready = new Promise<Parts>((resolve) => (arrived = resolve));

/** The parts, if they have loaded. */
export const loadedParts = (): Parts | undefined => parts;

/** Loads the parts now (once; a failed load is tried again on the next call). */
export function loadParts(): Promise<Parts> {
  loading ??= loadWindowChunk().then(
    (module) => {
      arrived((parts = module));
      return module;
    },
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

/**
 * Loads the parts once the page's load event has passed and the browser is idle (or IDLE_TIMEOUT after that event),
 * unless something loaded them sooner. Rejects if that load fails.
 */
export function loadPartsWhenIdle(): Promise<Parts> {
  idle ??= Promise.race([
    ready,
    new Promise<void>((resolve) => {
      // (requestIdleCallback is not in every browser or DOM: Safari and jsdom have none.)
      const later = () =>
        'requestIdleCallback' in window
          ? requestIdleCallback(() => resolve(), { timeout: IDLE_TIMEOUT })
          : setTimeout(resolve);
      if (document.readyState === 'complete') later();
      else window.addEventListener('load', later, { once: true });
    }).then(loadParts),
  ]).catch((error: unknown) => {
    idle = undefined;
    throw error;
  });
  return idle;
}

/**
 * Runs `fn` with the parts: at once when they have loaded, else once they have (this does not load them), if the host
 * is still on the page and `current()` still holds then (nothing newer was started meanwhile).
 */
export function withParts(host: Element, current: () => boolean, fn: (parts: Parts) => void): void {
  if (parts) return fn(parts);
  void ready.then((parts) => host.isConnected && current() && fn(parts));
}
