// Message throughput: one server, an online agent (unless `withAgent` is false), and as many visitors as the highest
// offered rate, each sending at most one message per second (the sustained rate of the server's per-visitor limit,
// 10 per 10 s). For each offered rate R the first R visitors send in turn, one message every 1/R s (open loop: the
// generator does not wait for acks), for a warm-up that is not counted and then for the measured window.
//
// Per step: the acks received during the window per second; each message's time from `send` to the `ack` with its id;
// messages never acked by the end of the drain (lost), acks for an id acked before (duplicates), `error` frames by
// code, sockets closed; with the agent, each message's time from `send` to the agent's `message` frame with its id;
// the CPU time the server and the generator used during the window (100% is one core), the server's CPU time per
// acked message, how long the server's event loop waited for a core that other processes held (schedstat), and the
// generator's own event-loop delay (its stalls delay the moment an ack is seen, so they count in the latencies). On
// PostgreSQL also the database's CPU time and its transactions and WAL flushes in the window (store.counters).
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Agent } from '../../lib/backend.mjs';
import { quantile } from '../../lib/stats.mjs';
import { addAgent, allowSites, startServer } from '../lib/server-process.mjs';
import { freshSpace } from '../lib/stores.mjs';
import { chatText, random } from '../lib/history.mjs';
import { closeVisitors, ORIGIN, openVisitors, widgetIds } from '../lib/visitors.mjs';
import { FILES_MARGIN } from './idle.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const rand = random(7);
const TEXTS = Array.from({ length: 1000 }, () => chatText(rand));

async function step({ store, dataDir, server, agent, visitors, rate, seconds, warmupSeconds, drainSeconds, tag }) {
  const used = visitors.slice(0, rate);
  const sent = new Map();
  const acked = new Set();
  const ackMs = [];
  const agentMs = [];
  const agentSeen = new Set();
  const errors = {};
  let duplicateAcks = 0;
  let duplicateAgent = 0;
  let acksInWindow = 0;
  let sentInWindow = 0;
  let windowStart = Infinity;
  let windowEnd = Infinity;
  const closedBefore = visitors.filter((v) => v.closed).length;

  const onFrame = (frame, at) => {
    if (frame.type === 'ack') {
      const t = sent.get(frame.id);
      if (t === undefined) return;
      if (acked.has(frame.id)) {
        duplicateAcks++;
        return;
      }
      acked.add(frame.id);
      if (t >= windowStart && t < windowEnd) ackMs.push(at - t);
      if (at >= windowStart && at < windowEnd) acksInWindow++;
    } else if (frame.type === 'error') {
      errors[frame.code] = (errors[frame.code] ?? 0) + 1;
    }
  };
  for (const v of used) v.onFrame = onFrame;
  const agentListener = (frame, wallAt) => {
    if (frame.type !== 'message' || frame.message.from !== 'visitor') return;
    const t = sent.get(frame.message.id);
    if (t === undefined) return;
    if (agentSeen.has(frame.message.id)) {
      duplicateAgent++;
      return;
    }
    agentSeen.add(frame.message.id);
    if (t >= windowStart && t < windowEnd) agentMs.push(wallAt - performance.timeOrigin - t);
  };
  agent?.listeners.push(agentListener);

  const total = Math.round(rate * (warmupSeconds + seconds));
  let n = 0;
  let skipped = 0;
  let maxLagMs = 0;
  let serverCpu = 0;
  let serverWait = 0;
  let generatorCpu = null;
  let dbBefore = null;
  // The generator's own event loop: an ack is timed when this loop gets to it, so its stalls are in the latencies too.
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  const start = performance.now();
  windowStart = start + warmupSeconds * 1000;
  windowEnd = windowStart + seconds * 1000;
  await new Promise((resolve) => {
    const tick = () => {
      const now = performance.now();
      if (!generatorCpu && now >= windowStart) {
        serverCpu = server.cpuMs();
        serverWait = server.runQueueWaitMs();
        dbBefore = store.counters?.(dataDir);
        generatorCpu = process.cpuUsage();
        loopDelay.enable();
      }
      const due = Math.min(total, Math.floor((rate * (now - start)) / 1000));
      if (due > n) maxLagMs = Math.max(maxLagMs, now - (start + (n * 1000) / rate));
      for (; n < due; n++) {
        const v = used[n % used.length];
        if (v.closed) {
          skipped++;
          continue;
        }
        const id = `${tag}-${n}`;
        const t = performance.now();
        sent.set(id, t);
        if (t >= windowStart && t < windowEnd) sentInWindow++;
        v.send({ type: 'message', id, text: TEXTS[n % TEXTS.length] });
      }
      if (n >= total) return resolve();
      setTimeout(tick, 1);
    };
    tick();
  });
  const windowSeconds = (performance.now() - windowStart) / 1000;
  loopDelay.disable();
  serverCpu = server.cpuMs() - serverCpu;
  serverWait = server.runQueueWaitMs() - serverWait;
  const generator = process.cpuUsage(generatorCpu ?? undefined);
  // What the database did meanwhile (PostgreSQL; bench/server/lib/stores.mjs counters).
  const db = dbBefore && (await Promise.all([dbBefore, store.counters(dataDir)]));
  const dbCpu = db ? db[1].cpuMs - db[0].cpuMs : NaN;
  const dbSeconds = db ? (db[1].at - db[0].at) / 1000 : NaN;

  // The drain: wait for the last acks (and the agent's copies) before counting what is lost.
  const drainUntil = performance.now() + drainSeconds * 1000;
  while (performance.now() < drainUntil && (acked.size < sent.size || (agent && agentSeen.size < sent.size)))
    await sleep(20);
  const rss = server.rss();
  for (const v of used) v.onFrame = null;
  if (agent) agent.listeners = agent.listeners.filter((l) => l !== agentListener);

  const inWindow = [...sent].filter(([, t]) => t >= windowStart && t < windowEnd).map(([id]) => id);
  return {
    rate,
    visitors: used.length,
    sent: sent.size,
    sentInWindow,
    offered: sentInWindow / seconds,
    acked: acksInWindow / seconds,
    ackP50: quantile(ackMs, 0.5),
    ackP99: quantile(ackMs, 0.99),
    ackMax: Math.max(...ackMs),
    lost: sent.size - acked.size,
    lostInWindow: inWindow.filter((id) => !acked.has(id)).length,
    duplicateAcks,
    errors,
    closed: visitors.filter((v) => v.closed).length - closedBefore,
    skipped,
    maxLagMs,
    agentP50: agent ? quantile(agentMs, 0.5) : NaN,
    agentP99: agent ? quantile(agentMs, 0.99) : NaN,
    agentLost: agent ? sent.size - agentSeen.size : NaN,
    duplicateAgent,
    rss,
    serverCpu: serverCpu / 10 / windowSeconds,
    // Microseconds of server CPU per message acked in the window: what a message costs, whatever else runs here.
    serverCpuPerMessage: acksInWindow ? (serverCpu * 1000) / acksInWindow : NaN,
    serverWait: serverWait / 10 / windowSeconds,
    dbCpu: dbCpu / 10 / dbSeconds,
    dbCpuPerMessage: acksInWindow ? (dbCpu * 1000) / acksInWindow : NaN,
    commits: db ? (db[1].commits - db[0].commits) / dbSeconds : NaN,
    walSyncs: db ? (db[1].walSyncs - db[0].walSyncs) / dbSeconds : NaN,
    generatorCpu: (generator.user + generator.system) / 10_000 / windowSeconds,
    // The histogram counts from when the timer was due (`resolution` ms), in nanoseconds.
    generatorDelayP99: loopDelay.percentile(99) / 1e6,
    generatorDelayMax: loopDelay.max / 1e6,
  };
}

export async function throughputRuns(
  store,
  { runs, rates, seconds, warmupSeconds, drainSeconds = 10, withAgent, concurrency, log },
) {
  const space = await freshSpace(store);
  const { dataDir } = space;
  const count = Math.max(...rates);
  let server = null;
  let agent = null;
  let visitors = [];
  try {
    await allowSites(store, dataDir, widgetIds(count), ORIGIN);
    const login = withAgent ? await addAgent(store, dataDir) : null;
    server = await startServer(store, { dataDir, files: count + FILES_MARGIN });
    // The agent first, as on a site in business hours: every visitor is then welcomed in online mode.
    if (login) agent = await Agent.connect(server.agentUrl, login);
    log(`throughput: opening ${count} visitors${agent ? ' (an agent online)' : ''}`);
    const opened = await openVisitors(server.visitorUrl, { count, concurrency });
    visitors = opened.visitors;
    if (visitors.length < count)
      throw new Error(`only ${visitors.length} of ${count} visitors were welcomed: ${JSON.stringify(opened.failures)}`);
    const tag = Date.now().toString(36);
    const results = [];
    for (let run = 0; run < runs; run++) {
      for (const rate of rates) {
        const r = await step({
          store,
          dataDir,
          server,
          agent,
          visitors,
          rate,
          seconds,
          warmupSeconds,
          drainSeconds,
          tag: `${tag}-${run}-${rate}`,
        });
        log(
          `  run ${run + 1} of ${runs}, ${rate}/s offered: ${r.acked.toFixed(0)}/s acked, ack p50 ${r.ackP50.toFixed(1)} ms` +
            ` p99 ${r.ackP99.toFixed(1)} ms, lost ${r.lost}, errors ${JSON.stringify(r.errors)}` +
            (agent ? `, to agent p50 ${r.agentP50.toFixed(1)} ms p99 ${r.agentP99.toFixed(1)} ms` : '') +
            `, server CPU ${r.serverCpu.toFixed(0)}% (waited for a core ${r.serverWait.toFixed(0)}%),` +
            ` generator CPU ${r.generatorCpu.toFixed(0)}% (event loop delay p99 ${r.generatorDelayP99.toFixed(0)} ms)`,
        );
        results.push({ run, ...r });
      }
    }
    return { steps: results, warnings: server.warnings.slice(0, 20) };
  } finally {
    agent?.close();
    await closeVisitors(visitors);
    await server?.stop();
    await space.remove();
  }
}
