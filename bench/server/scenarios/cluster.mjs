// Several server processes on one store (PostgreSQL; docs/deploy.md, "Several servers on PostgreSQL"): `nodes`
// processes on one database, as many visitors as the highest offered rate spread evenly over them (visitor i on node
// i mod nodes), and an agent console signed in on node 0 (`POST /api/login` there, then `/ws/agent` with the session,
// online) that replies. At an offered rate R the first R visitors each send one message per second (the per-visitor
// limit's sustained rate).
//
// For each run and rate (the same processes and visitors, one after another): a warm-up that is not counted, then the
// measured window, then the drain: until the last acks and copies have come, or none has for `drainSeconds` (so the
// next step does not start behind this one's backlog). The generator sends open loop, one message every 1/R s, taking
// the visitors in turn so that consecutive messages go to different nodes.
//
// Per run: acks received in the window per second; each message's time from `send` to its `ack`; from `send` to the
// console's `message` frame with its id, apart for visitors on another node than the console (the change went
// through the database: commit, NOTIFY, the console's node reading it) and on the same one; the console's replies:
// it answers a message from a visitor on another node whenever its own rate limit allows (20 messages per 10 s per
// console socket, so about 1.8 replies a second per console), and each reply is timed from the console's `send` to
// the visitor's `message` frame with it. Also what the servers (summed over the nodes) and the database cluster
// used of the CPU, transactions committed and WAL flushes per second (PostgreSQL's statistics), and each node's RSS.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Agent } from '../../lib/backend.mjs';
import { quantile } from '../../lib/stats.mjs';
import { chatText, random } from '../lib/history.mjs';
import { addAgent, allowSites, startServer } from '../lib/server-process.mjs';
import { freshSpace } from '../lib/stores.mjs';
import { closeVisitors, ORIGIN, openVisitors, widgetIds } from '../lib/visitors.mjs';
import { FILES_MARGIN } from './idle.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const rand = random(11);
const TEXTS = Array.from({ length: 1000 }, () => chatText(rand));

/** A console socket may send 20 messages per 10 s (server/rate-limit.ts AGENT_RATES): one reply every 560 ms stays under. */
const REPLY_GAP_MS = 560;

const diff = (after, before, key) => (after && before ? after[key] - before[key] : NaN);

async function step({ store, dataDir, servers, consoles, order, nodeOf, rate, seconds, warmupSeconds, drain, tag }) {
  const agent = consoles[0];
  const sent = new Map();
  const acked = new Set();
  const ackMs = [];
  const remoteMs = [];
  const localMs = [];
  const agentSeen = new Set();
  const replies = new Map();
  const replyMs = [];
  const errors = {};
  let duplicateAcks = 0;
  let acksInWindow = 0;
  let sentInWindow = 0;
  let windowStart = Infinity;
  let windowEnd = Infinity;
  const closedBefore = order.filter((v) => v.closed).length;
  const inWindow = (t) => t >= windowStart && t < windowEnd;

  const onFrame = (frame, at) => {
    if (frame.type === 'ack') {
      const s = sent.get(frame.id);
      if (!s) return;
      if (acked.has(frame.id)) {
        duplicateAcks++;
        return;
      }
      acked.add(frame.id);
      if (inWindow(s.t)) ackMs.push(at - s.t);
      if (inWindow(at)) acksInWindow++;
    } else if (frame.type === 'message' && frame.message.from === 'agent') {
      const r = replies.get(frame.message.text);
      if (!r || r.seen) return;
      r.seen = true;
      if (inWindow(r.t)) replyMs.push(at - r.t);
    } else if (frame.type === 'error') {
      errors[frame.code] = (errors[frame.code] ?? 0) + 1;
    }
  };
  for (const v of order) v.onFrame = onFrame;

  // The console: every visitor message it hears of is timed; a message from a visitor on another node gets a reply
  // when the console's own limit allows.
  const replyAt = consoles.map(() => 0);
  let replyCount = 0;
  const replyErrors = {};
  const replyIds = new Map();
  const agentListener = (frame, wallAt) => {
    if (frame.type === 'error') {
      replyErrors[frame.code] = (replyErrors[frame.code] ?? 0) + 1;
      // A reply the server refused (its limit is spent when the reply's turn comes, which a backlog delays) is
      // counted apart: it was never sent on, so it cannot be delivered.
      const r = replyIds.get(frame.id);
      if (r) r.refused = true;
      return;
    }
    if (frame.type !== 'message' || frame.message.from !== 'visitor') return;
    const s = sent.get(frame.message.id);
    if (!s || agentSeen.has(frame.message.id)) return;
    agentSeen.add(frame.message.id);
    const now = wallAt - performance.timeOrigin;
    if (inWindow(s.t)) (s.node === 0 ? localMs : remoteMs).push(now - s.t);
    if (s.node === 0) return;
    const k = replyAt.findIndex((t) => now >= t);
    if (k < 0) return;
    replyAt[k] = now + REPLY_GAP_MS;
    const text = `Reply ${tag}-${++replyCount}: ${TEXTS[replyCount % TEXTS.length]}`;
    const t = performance.now();
    const reply = { t, seen: false, refused: false };
    replies.set(text, reply);
    replyIds.set(`r-${tag}-${replyCount}`, reply);
    consoles[k].send({ type: 'message', visitorId: frame.visitorId, id: `r-${tag}-${replyCount}`, text });
  };
  agent.listeners.push(agentListener);

  const total = Math.round(rate * (warmupSeconds + seconds));
  let n = 0;
  let skipped = 0;
  let maxLagMs = 0;
  let before = null;
  let generatorCpu = null;
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  const start = performance.now();
  windowStart = start + warmupSeconds * 1000;
  windowEnd = windowStart + seconds * 1000;
  const reading = async () => ({
    db: await store.counters?.(dataDir),
    cpu: servers.map((s) => s.cpuMs()),
    wait: servers.map((s) => s.runQueueWaitMs()),
    at: performance.now(),
  });
  let beforePromise = null;
  await new Promise((resolve) => {
    const tick = () => {
      const now = performance.now();
      if (!generatorCpu && now >= windowStart) {
        beforePromise = reading();
        generatorCpu = process.cpuUsage();
        loopDelay.enable();
      }
      const due = Math.min(total, Math.floor((rate * (now - start)) / 1000));
      if (due > n) maxLagMs = Math.max(maxLagMs, now - (start + (n * 1000) / rate));
      for (; n < due; n++) {
        const v = order[n % order.length];
        if (v.closed) {
          skipped++;
          continue;
        }
        const id = `${tag}-${n}`;
        const t = performance.now();
        sent.set(id, { t, node: nodeOf(v) });
        if (inWindow(t)) sentInWindow++;
        v.send({ type: 'message', id, text: TEXTS[n % TEXTS.length] });
      }
      if (n >= total) return resolve();
      setTimeout(tick, 1);
    };
    tick();
  });
  const after = await reading();
  before = await beforePromise;
  loopDelay.disable();
  const generator = process.cpuUsage(generatorCpu ?? undefined);
  const windowSeconds = (after.at - before.at) / 1000;

  // The drain: until everything is acknowledged and delivered, or nothing more arrives for `drain` seconds (at most
  // two minutes), so that the next step does not start behind a backlog of this one's.
  const done = () =>
    acked.size >= sent.size && agentSeen.size >= sent.size && [...replies.values()].every((r) => r.seen || r.refused);
  const progress = () => acked.size + agentSeen.size;
  const drainStart = performance.now();
  let last = progress();
  let lastAt = drainStart;
  while (!done() && performance.now() - lastAt < drain * 1000 && performance.now() - drainStart < 120_000) {
    await sleep(20);
    if (progress() !== last) {
      last = progress();
      lastAt = performance.now();
    }
  }
  const drainMs = performance.now() - drainStart;
  for (const v of order) v.onFrame = null;
  agent.listeners = agent.listeners.filter((l) => l !== agentListener);

  const cpu = after.cpu.reduce((a, c, i) => a + c - before.cpu[i], 0);
  const waits = after.wait.map((w, i) => (w - before.wait[i]) / 10 / windowSeconds);
  const dbCpu = diff(after.db, before.db, 'cpuMs');
  const inWindowIds = [...sent].filter(([, s]) => inWindow(s.t)).map(([id]) => id);
  return {
    rate,
    visitors: order.length,
    sent: sent.size,
    offered: sentInWindow / seconds,
    acked: acksInWindow / seconds,
    ackP50: quantile(ackMs, 0.5),
    ackP99: quantile(ackMs, 0.99),
    ackMax: Math.max(...ackMs),
    lost: sent.size - acked.size,
    lostInWindow: inWindowIds.filter((id) => !acked.has(id)).length,
    duplicateAcks,
    errors,
    closed: order.filter((v) => v.closed).length - closedBefore,
    skipped,
    maxLagMs,
    remoteP50: quantile(remoteMs, 0.5),
    remoteP99: quantile(remoteMs, 0.99),
    remoteMax: Math.max(...remoteMs),
    remoteCount: remoteMs.length,
    localP50: quantile(localMs, 0.5),
    localP99: quantile(localMs, 0.99),
    agentLost: sent.size - agentSeen.size,
    replies: replies.size,
    repliesTimed: replyMs.length,
    replyP50: quantile(replyMs, 0.5),
    replyP99: quantile(replyMs, 0.99),
    replyMax: Math.max(...replyMs),
    repliesLost: [...replies.values()].filter((r) => !r.seen && !r.refused).length,
    repliesRefused: [...replies.values()].filter((r) => r.refused).length,
    replyErrors,
    serverCpu: cpu / 10 / windowSeconds,
    serverCpuPerMessage: acksInWindow ? (cpu * 1000) / acksInWindow : NaN,
    serverWait: waits.reduce((a, b) => a + b, 0) / waits.length,
    serverWaitMax: Math.max(...waits),
    dbCpu: dbCpu / 10 / windowSeconds,
    dbCpuPerMessage: acksInWindow ? (dbCpu * 1000) / acksInWindow : NaN,
    commits: diff(after.db, before.db, 'commits') / windowSeconds,
    walSyncs: diff(after.db, before.db, 'walSyncs') / windowSeconds,
    generatorCpu: (generator.user + generator.system) / 10_000 / windowSeconds,
    generatorDelayP99: loopDelay.percentile(99) / 1e6,
    rss: servers.map((s) => s.rss()),
    drainMs,
  };
}

export async function clusterRuns(
  store,
  { runs, nodes, rates, seconds, warmupSeconds, drainSeconds = 10, consoles: consoleCount, concurrency, log },
) {
  const count = Math.max(...rates);
  if (!store.shared && nodes > 1)
    throw new Error(`the ${store.name} store serves one server process: --nodes 1, or --store postgres`);
  const space = await freshSpace(store);
  const { dataDir } = space;
  const servers = [];
  const consoles = [];
  let visitors = [];
  try {
    await allowSites(store, dataDir, widgetIds(count), ORIGIN);
    const login = await addAgent(store, dataDir);
    for (let k = 0; k < nodes; k++)
      servers.push(await startServer(store, { dataDir, node: k, files: Math.ceil(count / nodes) + FILES_MARGIN }));
    // The console first, as on a site in business hours: every visitor is then welcomed in online mode.
    for (let k = 0; k < consoleCount; k++) consoles.push(await Agent.connect(servers[0].agentUrl, login));
    log(`cluster: ${nodes} nodes, ${consoleCount} console(s) on node 0, opening ${count} visitors`);
    // Visitor i on node i mod nodes; each node's share opened side by side.
    const blocks = await Promise.all(
      servers.map(async (server, k) => {
        const indices = [];
        for (let i = k; i < count; i += nodes) indices.push(i);
        const opened = [];
        // openVisitors takes a range of indices: one visitor per call keeps this node's share (every nodes-th index).
        const per = Math.max(1, Math.round(concurrency / nodes));
        let next = 0;
        const failures = {};
        await Promise.all(
          Array.from({ length: per }, async () => {
            while (next < indices.length) {
              const i = indices[next++];
              const o = await openVisitors(server.visitorUrl, { from: i, count: 1, concurrency: 1 });
              for (const v of o.visitors) v.node = k;
              opened.push(...o.visitors);
              for (const [why, c] of Object.entries(o.failures)) failures[why] = (failures[why] ?? 0) + c;
            }
          }),
        );
        if (opened.length < indices.length)
          throw new Error(
            `node ${k} welcomed ${opened.length} of ${indices.length} visitors: ${JSON.stringify(failures)}`,
          );
        return opened.sort((a, b) => a.index - b.index);
      }),
    );
    visitors = blocks.flat();
    const order = [...visitors].sort((a, b) => a.index - b.index);
    const tag = Date.now().toString(36);
    const results = [];
    for (let run = 0; run < runs; run++) {
      for (const rate of rates) {
        const r = await step({
          store,
          dataDir,
          servers,
          consoles,
          order: order.slice(0, rate),
          nodeOf: (v) => v.node,
          rate,
          seconds,
          warmupSeconds,
          drain: drainSeconds,
          tag: `${tag}-${run}-${rate}`,
        });
        const f = (v) => (Number.isFinite(v) ? v.toFixed(1) : '-');
        log(
          `  run ${run + 1} of ${runs}, ${rate}/s offered over ${nodes} nodes: ${r.acked.toFixed(0)}/s acked, ack p50 ` +
            `${f(r.ackP50)} ms p99 ${f(r.ackP99)} ms, lost ${r.lost}, errors ${JSON.stringify(r.errors)}; to the ` +
            `console from another node p50 ${f(r.remoteP50)} ms p99 ${f(r.remoteP99)} ms; ${r.repliesTimed} replies ` +
            `p50 ${f(r.replyP50)} ms p99 ${f(r.replyP99)} ms; servers' CPU ${r.serverCpu.toFixed(0)}% (waited for a ` +
            `core ${r.serverWait.toFixed(0)}%), database CPU ${r.dbCpu.toFixed(0)}%, ${r.commits.toFixed(0)} ` +
            `transactions/s, ${r.walSyncs.toFixed(0)} WAL flushes/s`,
        );
        results.push({ run, ...r });
      }
    }
    return { nodes, steps: results, warnings: servers.flatMap((s) => s.warnings).slice(0, 20) };
  } finally {
    for (const c of consoles) c.close();
    await closeVisitors(visitors);
    await Promise.all(servers.map((s) => s.stop()));
    await space.remove();
  }
}
