// <jivo-widget> rendered on a server with Lit SSR (@lit-labs/ssr), as Next.js, Nuxt, Astro and SvelteKit pages that
// use Lit's server renderer do: declarative shadow DOM with the launcher in it, and nothing of the browser touched.
// The browser half (hydrating this output) is test/package/ssr-hydrate.test.ts. Needs `node scripts/build.mjs`.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

const dist = new URL('../../dist/esm/', import.meta.url);

/** The server's HTML of one template, as a string. */
async function renderToString(template) {
  const { render } = await import('@lit-labs/ssr');
  const { collectResult } = await import('@lit-labs/ssr/lib/render-result.js');
  return collectResult(render(template));
}

describe('<jivo-widget> under Lit SSR', () => {
  it('renders the launcher into a declarative shadow root, with no window, document or storage on the server', async () => {
    const { html } = await import('lit');
    await import(new URL('jivo-widget.js', dist).href);
    const warnings = [];
    const warn = console.warn;
    console.warn = (...args) => warnings.push(args.join(' '));
    let out;
    try {
      out = await renderToString(
        html`<jivo-widget widget-id="ssr" theme="dark" launcher="" position="left" color="#d72a5b"></jivo-widget>`,
      );
    } finally {
      console.warn = warn;
    }
    assert.equal(typeof globalThis.document, 'undefined', 'the render defines no document');
    assert.deepEqual(warnings, []);
    // The element with its attributes, its shadow root declared in markup, and the root's styles in it.
    assert.match(
      out,
      /<jivo-widget[^>]* widget-id="ssr"[^>]* theme="dark"[^>]*><template shadowroot="open" shadowrootmode="open">/,
    );
    assert.match(out, /<style>[^<]*\.root \{\s*all: initial;/);
    assert.match(out, /<div class="root {2}" part="base" lang="en"\s*>/);
    // The launcher, closed and in English, its own shadow root rendered too (hydrated once the root has been).
    assert.match(
      out,
      /<jivo-launcher[^>]*exportparts="launcher, badge" defer-hydration><template shadowroot="open" shadowrootmode="open" shadowrootdelegatesfocus>/,
    );
    assert.match(out, /<button[^>]*part="launcher"[^>]*aria-label="Chat with us"/);
    assert.match(out, /<span class="text"><!--lit-part-->Chat with us<!--\/lit-part--><\/span>/);
    assert.doesNotMatch(out, /jivo-chat-window|jivo-mobile-menu|class="badge"/);
  });

  it('renders no launcher with launcher="none"', async () => {
    const { html } = await import('lit');
    await import(new URL('jivo-widget.js', dist).href);
    const out = await renderToString(html`<jivo-widget widget-id="ssr" launcher="none"></jivo-widget>`);
    assert.match(out, /<div class="root {2}" part="base" lang="en"\s*>/);
    assert.doesNotMatch(out, /<jivo-launcher/);
  });
});
