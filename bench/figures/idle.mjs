// Idle: once a page has settled, nothing should run until something happens. The instrument script wraps setTimeout,
// setInterval, requestAnimationFrame and requestIdleCallback before the page's own scripts; this counts the calls and
// the callbacks run during `seconds` of idle, and records who made each call. Scenarios: the widget closed and open,
// both connected to the backend (with an agent online), and the page without the widget and the floor for reference.
// All sessions idle at once, each in its own incognito context (its own window, so each page stays visible and keeps
// its animation frames); idle pages cost almost nothing, so they do not disturb one another.
import { freshPage, widgetConnected } from '../lib/browser.mjs';
import { PAGES } from './load.mjs';
import { clickAndWait } from './open.mjs';

const SCENARIOS = {
  none: { page: 'none' },
  floor: { page: 'floor' },
  closed: { page: 'widget' },
  open: { page: 'widget', open: true },
};

const KINDS = ['setTimeout', 'setInterval', 'requestAnimationFrame', 'requestIdleCallback'];

async function idleSession({ browser, origin }, scenario, seconds) {
  const { page: variant, open } = SCENARIOS[scenario];
  const { url, target } = PAGES[variant];
  const p = await freshPage(browser, origin, { target });
  try {
    await p.goto(origin + url);
    await p.page.evaluate(() => __bench.visible);
    if (variant === 'widget') await p.page.evaluate(widgetConnected);
    if (open) await clickAndWait(p.page, target, ['jivo-widget', 'jivo-chat-window', 'jivo-composer', 'textarea']);
    // A second of grace for what a page does right after it loads or opens (focus moves, first acks).
    await p.page.evaluate(() => __bench.settle());
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const { before, visibility, wrapped } = await p.page.evaluate(() => ({
      before: __bench.watch(true),
      visibility: document.visibilityState,
      wrapped: [setTimeout, setInterval, requestAnimationFrame].every((f) => f.__benchWrapped),
    }));
    // Counts of zero mean something only if the wrappers are in place and the page could have animated.
    if (!wrapped || visibility !== 'visible')
      throw new Error(`idle ${scenario}: timers not instrumented or page ${visibility}`);
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    const { after, sources } = await p.page.evaluate(() => ({
      after: __bench.watch(false),
      sources: { ...__bench.sources },
    }));
    const counts = {};
    for (const kind of KINDS) {
      counts[kind] = (after[kind] ?? 0) - (before[kind] ?? 0);
      counts[`${kind}:run`] = (after[`${kind}:run`] ?? 0) - (before[`${kind}:run`] ?? 0);
    }
    const scheduled = KINDS.reduce((sum, kind) => sum + counts[kind], 0);
    const ran = KINDS.reduce((sum, kind) => sum + counts[`${kind}:run`], 0);
    return { scenario, visibility, scheduled, ran, total: scheduled + ran, counts, sources };
  } finally {
    await p.close();
  }
}

/** Every scenario `runs` times, all at once. Resolves to `{ scenario: [session, ...] }`. */
export async function idleRuns(env, { runs, seconds, log }) {
  const jobs = [];
  for (let run = 0; run < runs; run++)
    for (const scenario of Object.keys(SCENARIOS)) jobs.push(idleSession(env, scenario, seconds));
  const sessions = await Promise.all(jobs);
  log?.(`idle: ${sessions.length} sessions of ${seconds} s`);
  const result = {};
  for (const s of sessions) (result[s.scenario] ??= []).push(s);
  return result;
}
