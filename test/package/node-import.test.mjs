// The npm build imported in Node with no DOM, as server-rendering frameworks (Next.js, Nuxt, Astro, SvelteKit) do:
// neither entry may throw, and nothing is installed on a window that is not there. Needs `node scripts/build.mjs`.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';

const dist = new URL('../../dist/esm/', import.meta.url);

describe('the npm build in Node', () => {
  it('is built', () => {
    assert.ok(existsSync(new URL('index.js', dist)), 'dist/esm/index.js: run node scripts/build.mjs first');
  });

  it("imports 'jivo-widget' (classes, no side effects) without a DOM", async () => {
    assert.equal(typeof globalThis.window, 'undefined');
    const module = await import(new URL('index.js', dist).href);
    assert.equal(typeof module.JivoWidget, 'function');
    assert.equal(typeof module.defineJivoElements, 'function');
  });

  it("imports 'jivo-widget/jivo-widget.js' (the side-effect entry) without a DOM, defining the elements in Lit's server registry", async () => {
    const module = await import(new URL('jivo-widget.js', dist).href);
    assert.equal(typeof module.JivoWidget, 'function');
    assert.equal(typeof globalThis.window, 'undefined');
    assert.equal(globalThis.jivo_api, undefined);
    assert.equal(globalThis.customElements?.get('jivo-widget'), module.JivoWidget);
  });
});
