/** What the window chunk (`src/entry/window-chunk.ts`) gives: the window's elements defined, and these exports. */
export type Parts = typeof import('../../entry/window-chunk.js');

/**
 * Fetches and runs the window chunk. The classic script, one file that cannot load a chunk, builds with
 * `src/entry/window-chunk-static.ts` in place of this module (scripts/build.mjs).
 */
export const loadWindowChunk = (): Promise<Parts> => import('../../entry/window-chunk.js');
