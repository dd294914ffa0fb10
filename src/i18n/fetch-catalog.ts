import type { Catalog } from './catalog.js';

/**
 * Fetches the chunk of one language's catalogue (`locales/<code>.ts`). This is the module build's: an app's bundler
 * makes a chunk of each file the pattern matches. The script bundles replace this module (scripts/build.mjs) with one
 * that imports `chunks/lang-<code>-<hash>.js` beside the script, found from the address `setChunkBase` was given.
 */
export const fetchCatalog = (code: string): Promise<{ default: Catalog }> => import(`./locales/${code}.js`);

/** Where the script bundle was loaded from; the module build has no use for it. */
export function setChunkBase(_url: string | undefined): void {}
