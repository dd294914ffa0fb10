/** Loads the window chunk (`src/entry/window-chunk.ts`) once, and gives it synchronously once it is there. */
import { loadWindowChunk, type Parts } from './load-window-chunk.js';

export type { Parts };

let parts: Parts | undefined;
let loading: Promise<Parts> | undefined;

/** The parts, if they have loaded. */
export const loadedParts = (): Parts | undefined => parts;

/** Loads the parts (once; a failed load is tried again on the next call). */
export function loadParts(): Promise<Parts> {
  loading ??= loadWindowChunk().then(
    (module) => (parts = module),
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

/**
 * Runs `fn` with the parts: at once when they have loaded, else once they have, if the host is still on the page and
 * `current()` still holds then (nothing newer was started meanwhile).
 */
export function withParts(host: Element, current: () => boolean, fn: (parts: Parts) => void): void {
  const loaded = loadedParts();
  if (loaded) return fn(loaded);
  loadParts().then(
    (parts) => host.isConnected && current() && fn(parts),
    (error: unknown) => console.warn('jivo-widget: could not load the chat window', error),
  );
}
