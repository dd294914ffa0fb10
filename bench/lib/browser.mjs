// Chromium through puppeteer-core (the machine's own browser, nothing downloaded), and the steps every measured page
// goes through: a fresh incognito context, a same-origin blank page first (to seed localStorage and arm the CDP
// domains), the instrument script, CPU throttling, then the page itself.
import { readFileSync } from 'node:fs';
import puppeteer from 'puppeteer-core';
import { CHROME_FLAGS } from '../../scripts/chrome-flags.mjs';

export const VIEWPORT = { width: 1280, height: 800 };

export function launchBrowser() {
  return puppeteer.launch({
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROME_FLAGS,
    defaultViewport: VIEWPORT,
  });
}

const instrument = readFileSync(new URL('./instrument.js', import.meta.url), 'utf8');

/** The instrument script, told which element's first visible frame `__bench.visible` waits for. */
const instrumentFor = (target) =>
  `(function (__BENCH_TARGET__) {\n${instrument}\n})(${JSON.stringify(target ?? null)});\n//# sourceURL=__bench-instrument.js`;

/**
 * A page in a fresh incognito context (no cache, no storage), on `origin`/blank.html, with the instrument script armed
 * for the next navigation and the CPU throttled `rate` times. `storage` is put in localStorage first.
 */
export async function freshPage(browser, origin, { rate = 1, target = null, storage = {} } = {}) {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  const cdp = await page.createCDPSession();
  await cdp.send('Performance.enable');
  await page.goto(`${origin}/blank.html`);
  if (Object.keys(storage).length) {
    await page.evaluate((entries) => {
      for (const [key, value] of entries) localStorage.setItem(key, value);
    }, Object.entries(storage));
  }
  await page.evaluateOnNewDocument(instrumentFor(target));
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
  return {
    page,
    cdp,
    /** Navigates; resolves once the DOM is parsed (the caller then waits in the page for what it measures). */
    goto: (url) => page.goto(url, { waitUntil: 'domcontentloaded' }),
    /** CDP Performance metrics of the current document (Chromium starts them afresh at each navigation). */
    metrics: async () =>
      Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value])),
    /** Collects garbage (twice, for what the first one's finalizers free), then reads the used JS heap, in bytes. */
    async heapAfterGc() {
      await cdp.send('HeapProfiler.collectGarbage');
      await cdp.send('HeapProfiler.collectGarbage');
      return (await this.metrics()).JSHeapUsedSize;
    },
    throttle: (r) => cdp.send('Emulation.setCPUThrottlingRate', { rate: r }),
    close: () => context.close(),
  };
}

/** Browser code: every node in the document, counting those in shadow roots (open ones; the widget's are open). */
export function countNodes() {
  let count = 0;
  const walk = (root) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ALL);
    for (let node = walker.currentNode; node; node = walker.nextNode()) {
      count++;
      if (node.shadowRoot) walk(node.shadowRoot);
    }
  };
  walk(document);
  return count;
}

/** Browser code: resolves once the widget's store says the backend has welcomed it. */
export function widgetConnected(selector = 'jivo-widget') {
  const store = document.querySelector(selector).store;
  return new Promise((resolve) => {
    const subscription = store
      .select((s) => s.connection)
      .subscribe((connection) => {
        if (connection !== 'open') return;
        resolve();
        queueMicrotask(() => subscription.unsubscribe());
      });
  });
}

/** V8 heap snapshot node types that are the page's own JavaScript values (not compiled code, not browser internals). */
const JS_TYPES = new Set([
  'array',
  'string',
  'object',
  'closure',
  'regexp',
  'number',
  'concatenated string',
  'sliced string',
  'symbol',
  'bigint',
]);

/**
 * Takes a heap snapshot (after a GC) and counts the JavaScript values in it by type and constructor name: what a
 * leak would leave behind, without the compiled code and browser-internal records that also live in the JS heap.
 */
export async function jsObjects(cdp) {
  const chunks = [];
  const onChunk = (event) => chunks.push(event.chunk);
  cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
  try {
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false, captureNumericValue: false });
  } finally {
    cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
  }
  const snapshot = JSON.parse(chunks.join(''));
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[fields.indexOf('type')];
  const [typeAt, nameAt, step] = [fields.indexOf('type'), fields.indexOf('name'), fields.length];
  const byName = new Map();
  let total = 0;
  for (let i = 0; i < snapshot.nodes.length; i += step) {
    const type = types[snapshot.nodes[i + typeAt]];
    if (!JS_TYPES.has(type)) continue;
    total++;
    const key =
      `${type} ${type.endsWith('string') ? '' : snapshot.strings[snapshot.nodes[i + nameAt]].slice(0, 60)}`.trim();
    byName.set(key, (byName.get(key) ?? 0) + 1);
  }
  return { total, byName };
}
