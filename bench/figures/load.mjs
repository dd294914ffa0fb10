// Load: the same host page with nothing, with the floor element, and with <jivo-widget> connected to the reference
// backend. Each run loads each page twice in one fresh incognito context: cold (empty HTTP cache and storage), then
// warm (scripts from the HTTP cache, the first load's localStorage: a returning visitor).
import { countNodes, freshPage, widgetConnected } from '../lib/browser.mjs';
import { rounds } from '../lib/stats.mjs';

export const PAGES = {
  none: { url: '/no-widget.html', target: ['main'] },
  floor: { url: '/floor.html', target: ['floor-widget', 'floor-launcher', 'button'] },
  widget: { url: '/widget.html?wid=bench', target: ['jivo-widget', 'jivo-launcher', 'button'] },
  // With --against: the same page with the other build's bundle.
  against: { url: '/widget.html?wid=bench&dist=against', target: ['jivo-widget', 'jivo-launcher', 'button'] },
};

/** How long the page must go without a long task before its blocking time is read. */
const QUIET_MS = 1000;

/**
 * Loads `url` in `p` from the same-origin blank page and waits until the page has settled: launcher (or floor button)
 * visible, load event passed, for the widget its connection open, two frames rendered, then no long task for
 * QUIET_MS (the widget's deferred code may still be on its way); with `until: 'visible'`, only until the launcher is
 * visible and the load event has passed. Resolves to `{ visible, loaded }`, page times in ms.
 */
export async function loadSettled(p, variant, origin, url, { until = 'settled' } = {}) {
  await toBlank(p, origin);
  await p.goto(origin + url);
  const times = await p.page.evaluate(async () => ({
    visible: await __bench.visible,
    loaded: await __bench.loaded,
  }));
  if (until === 'visible') return times;
  if (variant === 'widget' || variant === 'against') await p.page.evaluate(widgetConnected);
  await p.page.evaluate(() => __bench.settle());
  await p.page.evaluate(async (quietMs) => {
    let seen = -1;
    while (seen !== __bench.longTasks.length) {
      seen = __bench.longTasks.length;
      await __bench.sleep(quietMs);
    }
  }, QUIET_MS);
  return times;
}

/**
 * Every load starts from the same-origin blank page, so the page loads in the renderer process that blank.html runs
 * in, and ThreadTime (the main thread's CPU time), which runs on across navigations, can be read before and after.
 */
export async function toBlank(p, origin) {
  if (!p.page.url().endsWith('/blank.html')) await p.page.goto(`${origin}/blank.html`);
}

/** One load of the current page: its figures once it has settled. */
export async function measureLoad(p, variant, origin, url) {
  await toBlank(p, origin);
  const start = await p.metrics();
  const { visible } = await loadSettled(p, variant, origin, url);
  // Blocking time counts every long task until the page has been quiet (no long task) for QUIET_MS.
  const blocking = await p.page.evaluate(() => {
    const over = __bench.longTasks.map((t) => t.duration - 50).filter((d) => d > 0);
    return {
      blocking: over.reduce((a, b) => a + b, 0),
      longTasks: over.length,
      longest: Math.max(0, ...__bench.longTasks.map((t) => t.duration)),
    };
  });
  const m = await p.metrics();
  const nodes = await p.page.evaluate(countNodes);
  const heap = await p.heapAfterGc();
  return {
    visible,
    script: m.ScriptDuration * 1000,
    // Less the time of the bench's own CDP commands (the waits above), which Chromium counts as tasks too.
    task: (m.TaskDuration - m.DevToolsCommandDuration) * 1000,
    cpu: (m.ThreadTime - start.ThreadTime) * 1000,
    heap,
    nodes,
    ...blocking,
  };
}

/**
 * `runs` rounds at CPU throttling `rate`; in each round every page is measured cold then warm, the pages in an order
 * that rotates from round to round so that drift on the shared machine spreads over all of them (with `against`, the
 * other build's widget page is a fourth).
 * Returns `{ cold: {none: [...], floor: [...], widget: [...], against?: [...]}, warm: {...} }`, one entry per round.
 */
export async function loadRuns({ browser, origin }, { rate, runs, min, budgetMs, against = false, log }) {
  const variants = Object.keys(PAGES).filter((v) => against || v !== 'against');
  const result = {
    cold: Object.fromEntries(variants.map((v) => [v, []])),
    warm: Object.fromEntries(variants.map((v) => [v, []])),
  };
  for (const run of rounds(runs, { min, budgetMs })) {
    for (let i = 0; i < variants.length; i++) {
      const variant = variants[(run + i) % variants.length];
      const { url, target } = PAGES[variant];
      const p = await freshPage(browser, origin, { rate, target });
      try {
        result.cold[variant].push(await measureLoad(p, variant, origin, url));
        result.warm[variant].push(await measureLoad(p, variant, origin, url));
      } finally {
        await p.close();
      }
    }
    log?.(`load ${rate}x: round ${run + 1}`);
  }
  return result;
}
