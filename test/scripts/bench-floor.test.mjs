// The bench's floor (bench/floor/floor.js) is the yardstick for the widget's load figures, so it must do at load only
// what the least element on the widget's stack has to: render its launcher. The first Intl formatter in a renderer
// loads the locale data (about 400 ms of a first load at 4x CPU); the floor made one at load for the times of a list
// it shows only when opened, which made every cold figure of the floor larger than the floor is.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from '../../bench/lib/browser.mjs';
import { buildFloor } from '../../bench/lib/env.mjs';
import { serveStatic } from '../../bench/lib/server.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Counts Intl formatters made by the page, from before its first script. */
const countFormatters = () => {
  globalThis.__formatters = 0;
  for (const name of ['DateTimeFormat', 'NumberFormat', 'PluralRules', 'RelativeTimeFormat']) {
    const Original = Intl[name];
    Intl[name] = new Proxy(Original, {
      construct(target, args) {
        globalThis.__formatters++;
        return Reflect.construct(target, args);
      },
    });
  }
};

describe('bench floor', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jivo-floor-'));
  let browser;
  let server;
  before(async () => {
    await buildFloor(root, dir);
    server = await serveStatic({ '/': join(root, 'bench/pages'), '/floor/': dir });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('makes no Intl formatter until its list shows, and then shows each message with its time', async () => {
    const context = await browser.createBrowserContext();
    try {
      const page = await context.newPage();
      await page.goto(`${server.url}/blank.html`);
      await page.evaluate(() =>
        localStorage.setItem(
          'floor:messages',
          JSON.stringify([
            { from: 'visitor', text: 'Is the Gyokuro in stock?', at: Date.UTC(2026, 0, 5, 9, 30) },
            { from: 'agent', text: 'Yes, 12 tins.', at: Date.UTC(2026, 0, 5, 9, 31) },
          ]),
        ),
      );
      await page.evaluateOnNewDocument(countFormatters);
      await page.goto(`${server.url}/floor.html`, { waitUntil: 'load' });
      const launcher = await page.waitForSelector('floor-widget >>> floor-launcher >>> button');
      assert.equal(await launcher.evaluate((b) => b.textContent), 'Chat with us');
      assert.equal(await page.evaluate(() => globalThis.__formatters), 0, 'no formatter made before the list shows');

      await launcher.click();
      await page.waitForSelector('floor-widget >>> floor-list >>> li');
      const rows = await page.$$eval('floor-widget >>> floor-list >>> li', (items) =>
        items.map((li) => [li.querySelector('p').textContent, li.querySelector('time').textContent]),
      );
      assert.equal(rows.length, 2);
      assert.deepEqual(
        rows.map(([text]) => text),
        ['Is the Gyokuro in stock?', 'Yes, 12 tins.'],
      );
      for (const [, time] of rows) assert.match(time, /^\d\d:\d\d( [AP]M)?$/);
      assert.equal(await page.evaluate(() => globalThis.__formatters), 1, 'one formatter, made for the list');
    } finally {
      await context.close();
    }
  });
});
