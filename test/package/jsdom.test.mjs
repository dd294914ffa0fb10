// The widget in jsdom, where many sites run their own tests (Vitest and Jest with a jsdom environment): mounting it
// must neither throw nor leave an unhandled rejection, and jivo_api must answer. jsdom lacks ResizeObserver,
// visualViewport, Web Audio and the Web Locks API. Needs `node scripts/build.mjs`.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { JSDOM, VirtualConsole } from 'jsdom';

const PAGE = '<!doctype html><html lang="en"><body><jivo-widget widget-id="jsdom"></jivo-widget></body></html>';
const settle = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A jsdom page whose errors, warnings and unhandled rejections are collected. */
function page() {
  const problems = [];
  const virtualConsole = new VirtualConsole();
  virtualConsole.on('jsdomError', (error) => problems.push(`jsdom: ${error.message}`));
  virtualConsole.on('error', (...args) => problems.push(`console.error: ${args.join(' ')}`));
  const dom = new JSDOM(PAGE, {
    url: 'https://shop.example/',
    runScripts: 'outside-only',
    pretendToBeVisual: true,
    virtualConsole,
  });
  dom.window.addEventListener('unhandledrejection', (event) => problems.push(`unhandled rejection: ${event.reason}`));
  return { dom, problems };
}

describe('the widget in jsdom', () => {
  it('the classic script mounts, loads and answers jivo_api, with no error and no unhandled rejection', async () => {
    const { dom, problems } = page();
    const rejections = [];
    const onRejection = (reason) => rejections.push(String(reason));
    process.on('unhandledRejection', onRejection);
    try {
      const widget = dom.window.document.querySelector('jivo-widget');
      const loaded = new Promise((resolve) => widget.addEventListener('jivo-load', resolve, { once: true }));
      dom.window.eval(readFileSync(new URL('../../dist/jivo-widget.iife.js', import.meta.url), 'utf8'));
      await Promise.race([loaded, settle(5000).then(() => assert.fail('jivo-load never came'))]);
      // Objects from the page's realm: compared by their fields.
      assert.deepEqual({ ...dom.window.jivo_api.open() }, { result: 'ok' });
      assert.deepEqual({ ...dom.window.jivo_api.chatMode() }, { result: 'offline' });
      await settle(100);
      // (Not the window prepared, hidden, ahead of opening: jsdom lays nothing out, so this reads the class that hides it.)
      assert.ok(widget.shadowRoot.querySelector('jivo-chat-window:not(.prepared)'), 'the window opened');
      assert.deepEqual({ ...dom.window.jivo_destroy() }, { result: 'ok' });
      await settle(50);
      assert.deepEqual(problems, []);
      assert.deepEqual(rejections, []);
    } finally {
      process.off('unhandledRejection', onRejection);
      dom.window.close();
    }
  });
});
