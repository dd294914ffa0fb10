/**
 * Loads the window chunk (`src/entry/window-chunk.ts`) once, and gives it synchronously once it is there. It loads once
 * the page has loaded and is idle (`loadPartsWhenIdle`, which the root element asks for after its first render), so
 * that it never competes with the page's own loading, or sooner on the visitor's first interaction with the widget or
 * an API call (`loadParts`).
 */
import { IDLE_TIMEOUT, whenIdle } from './idle.js';
import { loadWindowChunk, type Parts } from './load-window-chunk.js';

export type { Parts };

/** How long the idle wait after the page's load event may last before the chunk loads anyway, ms. */
export { IDLE_TIMEOUT };

let parts: Parts | undefined;
let loading: Promise<Parts> | undefined;
let idle: Promise<Parts> | undefined;
let arrived!: (parts: Parts) => void;
/** Resolves when the parts have loaded and what waited for them has run, whoever asked for them. */
const ready = new Promise<Parts>((resolve) => (arrived = resolve));
/** What waits for the parts (`withParts`), in the order it asked. */
const waiting: Array<(parts: Parts) => void> = [];

/** The parts, once they have loaded and what waited for them has run. */
export const loadedParts = (): Parts | undefined => parts;

/**
 * Runs what waited for the parts, each in a task of its own (restoring the stored conversation, connecting, the trigger
 * rules, ...), so that none makes the chunk's own task, or another, long enough to hold up the page; then the parts
 * count as loaded. What asks meanwhile waits its turn after them.
 */
function arrive(module: Parts): Promise<Parts> {
  return new Promise((resolve) => {
    const step = () => {
      const next = waiting.shift();
      if (!next) {
        arrived((parts = module));
        return resolve(module);
      }
      try {
        next(module);
      } catch (error) {
        console.error('jivo-widget: starting the chat window failed', error);
      }
      setTimeout(step);
    };
    setTimeout(step);
  });
}

/** Loads the parts now (once; a failed load is tried again on the next call). */
export function loadParts(): Promise<Parts> {
  loading ??= loadWindowChunk().then(arrive, (error: unknown) => {
    loading = undefined;
    throw error;
  });
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
      const later = () => whenIdle(resolve);
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
 * Runs `fn` with the parts: at once when they have loaded, else once they have (this does not load them), in a task of
 * its own, if the host is still on the page and `current()` still holds then (nothing newer was started meanwhile).
 */
export function withParts(host: Element, current: () => boolean, fn: (parts: Parts) => void): void {
  if (parts) return fn(parts);
  waiting.push((parts) => host.isConnected && current() && fn(parts));
}
