// The example apps (examples/) in Chromium, each built the way an app's bundler would build it and served as a page:
// the framework renders <jivo-widget> with its attributes, a visitor clicks the launcher, the chat window opens, and
// the app sees the widget's events through the framework's own binding (its state line changes). The SSR page is
// rendered by React on the server first, then hydrated; its early jivo_queue call has run. No page logs an error.
// Needs `node scripts/build.mjs`.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import puppeteer from 'puppeteer-core';
import { SSR_VISITOR, startExamples } from '../../examples/serve.mjs';
import { CHROME_FLAGS } from '../../scripts/chrome-flags.mjs';

describe('the example apps in Chromium', () => {
  let examples;
  let browser;
  before(async () => {
    examples = await startExamples({ port: 0 });
    browser = await puppeteer.launch({
      executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: CHROME_FLAGS,
    });
  });
  after(async () => {
    await browser?.close();
    await examples?.close();
  });

  /** A fresh page on the example, with every console error and uncaught exception collected. */
  async function open(name) {
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    const problems = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warn')
        problems.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
    await page.goto(`${examples.url}/${name}/`);
    return { page, problems, close: () => context.close() };
  }

  for (const name of ['react', 'vue', 'svelte', 'ssr']) {
    it(`${name}: the launcher opens the chat, and the app hears jivo-change-state and jivo-open`, async () => {
      const { page, problems, close } = await open(name);
      try {
        const launcher = await page.waitForSelector('jivo-widget >>> button[part~="launcher"]', { timeout: 10000 });
        assert.equal(await page.$eval('jivo-widget', (el) => el.getAttribute('widget-id')), `example-${name}`);
        assert.equal(await page.$eval('jivo-widget', (el) => el.getAttribute('color')), '#0b7a53');
        assert.equal(await page.$eval('#chat-state', (el) => el.textContent), 'label');

        await launcher.click();
        await page.waitForSelector('jivo-widget >>> jivo-chat-window', { timeout: 5000 });
        await page.waitForFunction(() => document.querySelector('#chat-state')?.textContent === 'chat', {
          timeout: 5000,
        });
        assert.equal(await page.$eval('#chat-opened', (el) => el.textContent), '1');
        assert.equal(await page.evaluate(() => window.jivo_api?.chatMode().result), 'offline');
        if (name === 'ssr') {
          assert.deepEqual(
            await page.evaluate(() => window.jivo_api.getContactInfo()),
            { client_name: SSR_VISITOR.name, email: SSR_VISITOR.email, phone: null, description: null },
            'the call queued by the server-rendered page ran',
          );
        }
        assert.deepEqual(problems, []);
      } finally {
        await close();
      }
    });
  }

  it('ssr: the server sends <jivo-widget> with its attributes in the HTML, before any script runs', async () => {
    const html = await (await fetch(`${examples.url}/ssr/`)).text();
    assert.match(html, /<jivo-widget widget-id="example-ssr" color="#0b7a53"><\/jivo-widget>/);
    assert.match(html, /jivo_queue\.push\(\['setContactInfo'/);
  });
});
