// Memory: a page that loads the bundle but has no widget tag puts a <jivo-widget> (connected to the backend) on the
// page, waits for it to connect, opens its window, and removes it — `cycles` times. What is left after the cycles is
// compared with what was there after `warmup` cycles, which fill the caches that live once per page (Lit's template
// cache, adopted stylesheets, Intl formatters) and let the JIT settle:
//  - the JS heap after a forced GC (CDP HeapProfiler.collectGarbage, Performance.getMetrics JSHeapUsedSize). It also
//    holds compiled code and some of Blink's own records, so it drifts by some kilobytes even with no leak;
//  - the JavaScript values in a heap snapshot (objects, closures, arrays, strings; not code or Blink internals): a
//    widget that leaves anything reachable behind adds the same values every cycle;
//  - DOM nodes and event listeners (CDP Performance metrics).
// A click on the page first ends Largest Contentful Paint tracking, whose text records would otherwise pile up in the
// heap as each mount paints new text.
import { freshPage, jsObjects } from '../lib/browser.mjs';
import { rounds } from '../lib/stats.mjs';

/** Browser code: `count` mount → connected → open → remove cycles. */
function cycle(count, endpoint) {
  return (async () => {
    for (let i = 0; i < count; i++) {
      const el = document.createElement('jivo-widget');
      el.setAttribute('widget-id', 'bench-memory');
      el.setAttribute('endpoint', endpoint);
      const loaded = new Promise((resolve) => el.addEventListener('jivo-load', resolve, { once: true }));
      document.body.append(el);
      await loaded;
      await new Promise((resolve) => {
        const subscription = el.store
          .select((s) => s.connection)
          .subscribe((c) => {
            if (c !== 'open') return;
            queueMicrotask(() => subscription.unsubscribe());
            resolve();
          });
      });
      el.open();
      await __bench.settle();
      el.remove();
    }
    // Let the closed sockets finish their closing handshakes.
    await __bench.sleep(500);
  })();
}

async function snapshot(p) {
  const objects = await jsObjects(p.cdp);
  const heap = await p.heapAfterGc();
  const m = await p.metrics();
  return { heap, objects, nodes: m.Nodes, listeners: m.JSEventListeners };
}

export async function memoryRun({ browser, origin, backend }, { cycles, warmup = 20 }) {
  const p = await freshPage(browser, origin);
  try {
    await p.goto(`${origin}/mount.html`);
    await p.page.evaluate(() => customElements.whenDefined('jivo-widget'));
    await p.page.mouse.click(5, 5);
    await p.page.evaluate(cycle, warmup, backend.visitorUrl);
    const before = await snapshot(p);
    await p.page.evaluate(cycle, cycles, backend.visitorUrl);
    const after = await snapshot(p);
    // What grew, by constructor: where to look if the widget leaks.
    const grew = [];
    for (const [name, count] of after.objects.byName) {
      const delta = count - (before.objects.byName.get(name) ?? 0);
      if (delta > 0) grew.push([name, delta]);
    }
    grew.sort((a, b) => b[1] - a[1]);
    return {
      cycles,
      heapGrowth: after.heap - before.heap,
      objects: after.objects.total - before.objects.total,
      grew: grew.slice(0, 10),
      nodes: after.nodes - before.nodes,
      listeners: after.listeners - before.listeners,
    };
  } finally {
    await p.close();
  }
}

export async function memoryRuns(env, { runs, budgetMs, cycles, warmup, log }) {
  const result = [];
  for (const run of rounds(runs, { budgetMs })) {
    result.push(await memoryRun(env, { cycles, warmup }));
    log?.(`memory: round ${run + 1}`);
  }
  return result;
}
