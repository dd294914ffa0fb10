// Throughput through the real reference backend (a child process, journal on disk): a burst of `count` messages from
// a visitor, and one from the agent to another visitor.
//  - Visitor side: the widget itself, in the browser, window open. The burst goes through the composer (its text set
//    and Enter pressed, `count` times in one task), so each message takes the widget's whole path: store,
//    localStorage, outbox, WebSocket. A Node client speaking the visitor protocol would measure only the backend.
//  - Agent side: a Node `ws` client speaking the agent protocol (bench/lib/backend.mjs), as the agent console does.
// Latency of a message: from the moment it was submitted to the moment the other side received it (the browser's
// performance.timeOrigin + now() and Node's read the same system clock). Throughput: delivered messages / (last
// received - first sent). "Settled": until the widget has marked every burst message sent / shows the last agent
// message in the open window. Each phase is cut off after `cutoffMs`: a message not delivered by then counts with the
// cut-off as its latency (so p50/p99 are then lower bounds), and "settled" is left empty.
import { freshPage, widgetConnected } from '../lib/browser.mjs';
import { wallNow } from '../lib/backend.mjs';
import { quantile, rounds } from '../lib/stats.mjs';
import { PAGES } from './load.mjs';
import { clickAndWait } from './open.mjs';

const WIDGET = PAGES.widget.target[0];
const LOG = [WIDGET, 'jivo-chat-window', 'jivo-message-list', 'li:last-of-type'];

function latencyFigures(sent, received, count, cutoffMs) {
  const latencies = [];
  for (let i = 0; i < count; i++) latencies.push(received[i] === undefined ? cutoffMs : received[i] - sent[i]);
  const arrived = received.filter((t) => t !== undefined);
  return {
    delivered: arrived.length,
    throughput: arrived.length ? (arrived.length / (Math.max(...arrived) - sent[0])) * 1000 : 0,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
  };
}

/** Resolves to the promise's value, or to null once `ms` have passed. */
const within = (promise, ms) => Promise.race([promise, new Promise((resolve) => setTimeout(() => resolve(null), ms))]);

async function until(test, ms) {
  const end = Date.now() + ms;
  while (!test() && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** The widget's main-thread work between two metric readings (ScriptDuration leaves out the bench's CDP commands). */
const work = (before, after) => ({
  script: (after.ScriptDuration - before.ScriptDuration) * 1000,
  layout:
    (after.LayoutDuration + after.RecalcStyleDuration - before.LayoutDuration - before.RecalcStyleDuration) * 1000,
});

async function visitorBurst(p, agent, visitorId, count, cutoffMs) {
  const received = [];
  const onMessage = (frame, at) => {
    if (frame.type !== 'message' || frame.visitorId !== visitorId || frame.message.from !== 'visitor') return;
    const match = /^burst v(\d+)$/.exec(frame.message.text);
    if (match) received[Number(match[1])] = at;
  };
  agent.listeners.push(onMessage);
  try {
    const before = await p.metrics();
    // In a task of the page's own (not inside the CDP call), so that Chromium counts it as the page's script.
    const sent = await p.page.evaluate(
      (count) =>
        new Promise((resolve) =>
          setTimeout(() => {
            const input = __bench.find(['jivo-widget', 'jivo-chat-window', 'jivo-composer', 'textarea']);
            const times = [];
            for (let i = 0; i < count; i++) {
              input.value = `burst v${i}`;
              times.push(performance.timeOrigin + performance.now());
              input.dispatchEvent(
                new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true, cancelable: true }),
              );
            }
            resolve(times);
          }),
        ),
      count,
    );
    const acked = p.page
      .evaluate(() => {
        const store = document.querySelector('jivo-widget').store;
        return new Promise((resolve) => {
          const subscription = store
            .select((s) => s.messages)
            .subscribe((messages) => {
              if (messages.some((m) => m.from === 'visitor' && m.status !== 'sent')) return;
              queueMicrotask(() => subscription.unsubscribe());
              __bench.settle().then(() => resolve(performance.timeOrigin + performance.now()));
            });
        });
      })
      .catch(() => null);
    const deadline = sent[0] + cutoffMs;
    await until(() => received.filter(Boolean).length === count, deadline - wallNow());
    const ackedAt = await within(acked, Math.max(0, deadline - wallNow()));
    const after = await p.metrics();
    const ackedCount = await p.page.evaluate(
      () =>
        document
          .querySelector('jivo-widget')
          .store.state.messages.filter((m) => m.from === 'visitor' && m.status === 'sent').length,
    );
    return {
      ...latencyFigures(sent, received, count, cutoffMs),
      submit: sent.at(-1) - sent[0],
      settled: ackedAt === null ? NaN : ackedAt - sent[0],
      acked: ackedCount,
      ...work(before, after),
    };
  } finally {
    agent.listeners = agent.listeners.filter((l) => l !== onMessage);
  }
}

async function agentBurst(p, agent, visitorId, widgetId, count, cutoffMs) {
  await p.page.evaluate(() => {
    window.__received = [];
    document.querySelector('jivo-widget').addEventListener('jivo-message-received', (event) => {
      const match = /^burst a(\d+)$/.exec(event.detail.text);
      if (match) window.__received[Number(match[1])] = performance.timeOrigin + performance.now();
    });
  });
  // The backend's acks to the agent tell its share of the time apart from the widget's.
  const acked = [];
  const pattern = new RegExp(`^${widgetId}-a(\\d+)$`);
  const onAck = (frame, at) => {
    const match = frame.type === 'ack' && pattern.exec(frame.id);
    if (match) acked[Number(match[1])] = at;
  };
  agent.listeners.push(onAck);
  try {
    const before = await p.metrics();
    const shown = p.page
      .evaluate(
        (path, text) => __bench.whenVisible(path, text).then((at) => performance.timeOrigin + at),
        LOG,
        `burst a${count - 1}`,
      )
      .catch(() => null);
    const sent = [];
    for (let i = 0; i < count; i++) {
      sent.push(wallNow());
      agent.send({ type: 'message', visitorId, id: `${widgetId}-a${i}`, text: `burst a${i}` });
    }
    const shownAt = await within(shown, cutoffMs);
    await until(() => acked.filter(Boolean).length === count, Math.max(0, sent[0] + cutoffMs - wallNow()));
    const after = await p.metrics();
    const received = await p.page.evaluate(() => window.__received);
    const backend = latencyFigures(sent, acked, count, cutoffMs);
    return {
      ...latencyFigures(sent, received, count, cutoffMs),
      settled: shownAt === null ? NaN : shownAt - sent[0],
      ackP50: backend.p50,
      ackP99: backend.p99,
      acked: backend.delivered === count ? Math.max(...acked) - sent[0] : NaN,
      ...work(before, after),
    };
  } finally {
    agent.listeners = agent.listeners.filter((l) => l !== onAck);
  }
}

/** A fresh visitor (its own page and widget id), connected, window open: `phase(page, visitorId, widgetId)`. */
async function inChat({ browser, origin, agent }, name, phase) {
  const widgetId = `tp-${name}-${Date.now().toString(36)}`;
  const p = await freshPage(browser, origin, { target: PAGES.widget.target });
  try {
    await p.goto(`${origin}/widget.html?wid=${widgetId}`);
    await p.page.evaluate(() => __bench.visible);
    await p.page.evaluate(widgetConnected);
    const visitorId = await agent.visitorOf(widgetId);
    await clickAndWait(p.page, PAGES.widget.target, [WIDGET, 'jivo-chat-window', 'jivo-composer', 'textarea']);
    return await phase(p, visitorId, widgetId);
  } finally {
    await p.close();
  }
}

export async function throughputRuns(env, { runs, budgetMs, count, cutoffMs, log }) {
  const result = { visitor: [], agent: [] };
  for (const run of rounds(runs, { budgetMs })) {
    // Each burst in a chat of its own, so that one's leftover work cannot slow the other.
    result.visitor.push(
      await inChat(env, 'v', (p, visitorId) => visitorBurst(p, env.agent, visitorId, count, cutoffMs)),
    );
    result.agent.push(
      await inChat(env, 'a', (p, visitorId, widgetId) =>
        agentBurst(p, env.agent, visitorId, widgetId, count, cutoffMs),
      ),
    );
    log?.(`throughput: round ${run + 1}`);
  }
  return result;
}
