/**
 * The classic script's stand-in for `components/widget/load-window-chunk.ts` (scripts/build.mjs swaps it in). One file
 * cannot load a chunk, so the window's code is in it from the start; a dynamic import of it would have esbuild wrap
 * each of its modules in a lazy initialiser, 1.3 KB brotli for nothing. It still answers on a later microtask, as a
 * loaded chunk does.
 */
import * as windowChunk from './window-chunk.js';

export const loadWindowChunk = () => Promise.resolve(windowChunk);
