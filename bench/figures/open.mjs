// Opening the window: a returning visitor's page (the history in localStorage, as state/persisted.ts keeps it, under a
// visitor id the backend issued on a first visit) is loaded and settles (connected, for the widget, and idle); then the launcher is clicked (a real mouse click through CDP), and the time
// runs from the click event to the end of the first frame that shows the last message (or, with no history, the
// message input). The floor page does the same with its own list element, which renders the same messages as plain rows.
import { freshPage, widgetConnected } from '../lib/browser.mjs';
import { conversation, floorStorage, widgetStorage } from '../lib/history.mjs';
import { rounds } from '../lib/stats.mjs';
import { PAGES } from './load.mjs';

const OPENED = {
  widget: (n) =>
    n
      ? ['jivo-widget', 'jivo-chat-window', 'jivo-message-list', 'li:last-of-type']
      : ['jivo-widget', 'jivo-chat-window', 'jivo-composer', 'textarea'],
  floor: (n) => (n ? ['floor-widget', 'floor-list', 'li:last-of-type'] : ['floor-widget', 'floor-list', 'section']),
};

/**
 * Clicks the element at `button` with a real (CDP) mouse click and resolves with the milliseconds from the click
 * event to the end of the first frame that shows the element at `shown` (containing `text` if given).
 */
export async function clickAndWait(page, button, shown, text) {
  const { x, y } = await page.evaluate(
    (path, shown, text) => {
      window.__opened = new Promise((resolve) => {
        document.addEventListener(
          'click',
          (event) => void __bench.whenVisible(shown, text).then((at) => resolve(at - event.timeStamp)),
          { capture: true, once: true },
        );
      });
      const box = __bench.find(path).getBoundingClientRect();
      return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    },
    button,
    shown,
    text,
  );
  await page.mouse.click(x, y);
  return page.evaluate(() => window.__opened);
}

async function measureOpen({ browser, origin }, variant, rate, history) {
  const { url, target } = PAGES[variant];
  const p = await freshPage(browser, origin, {
    rate,
    target,
    storage: variant === 'floor' ? floorStorage(history) : {},
  });
  try {
    if (variant === 'widget') {
      // A returning visitor is one the backend knows: the backend issues visitor ids, and replaces an id it does not
      // know (with the history the browser kept for it). So a first visit gets the id, then the history is stored
      // under it, and the page is loaded again (its scripts now from the HTTP cache).
      await p.goto(origin + url);
      await p.page.evaluate(widgetConnected);
      const visitorId = await p.page.evaluate(() => document.querySelector('jivo-widget').store.state.visitorId);
      await p.page.goto(`${origin}/blank.html`);
      await p.page.evaluate(
        (entries) => {
          for (const [key, value] of entries) localStorage.setItem(key, value);
        },
        Object.entries(widgetStorage('bench', history, visitorId)),
      );
    }
    await p.goto(origin + url);
    const visible = await p.page.evaluate(() => __bench.visible);
    if (variant === 'widget') await p.page.evaluate(widgetConnected);
    // A visitor's click comes once the page has gone idle (the widget prepares its window then, the floor has nothing
    // to do): two idle periods in a row, the second after whatever the first one started.
    await p.page.evaluate(() => new Promise((resolve) => requestIdleCallback(() => requestIdleCallback(resolve))));
    await p.page.evaluate(() => __bench.settle());
    const before = await p.metrics();
    const open = await clickAndWait(p.page, target, OPENED[variant](history.length), history.at(-1)?.text);
    await p.page.evaluate(() => __bench.settle());
    const after = await p.metrics();
    const task = (after.TaskDuration - before.TaskDuration) * 1000;
    const heap = await p.heapAfterGc();
    return { visible, open, task, heap };
  } finally {
    await p.close();
  }
}

/** `runs` rounds of: floor and widget (alternating which goes first), each history size, at CPU throttling `rate`. */
export async function openRuns(env, { rate, runs, min, budgetMs, sizes, log }) {
  const result = {};
  for (const n of sizes) result[n] = { floor: [], widget: [] };
  for (const run of rounds(runs, { min, budgetMs })) {
    for (const n of sizes) {
      const history = conversation(n);
      for (const variant of run % 2 ? ['widget', 'floor'] : ['floor', 'widget']) {
        result[n][variant].push(await measureOpen(env, variant, rate, history));
      }
    }
    log?.(`open ${rate}x, ${sizes.join('/')} messages: round ${run + 1}`);
  }
  return result;
}
