// Server processes killed under load while widgets keep chatting: does anything acknowledged go missing, or get stored
// twice? With PostgreSQL, `nodes` processes on one database behind a balancer that sends each connection to a random
// live one; at random moments (intervals uniform between 0.5 and 1.5 times `killEvery`) one of them is killed with
// SIGKILL and a replacement is started (a new process with a data directory of its own). With the journal, the one
// process is killed and started again on the same data directory, and the widgets wait for it.
//
// Each visitor behaves like the widget (src/transport/session.ts, websocket-transport.ts): it sends one message per
// second whether or not it is connected, keeps every message until its `ack`, and after a reconnect (full-jitter
// backoff: a random delay up to 1 s, 2 s, 4 s … 30 s) says `hello` with `after` = the highest seq it has seen and
// sends every unacknowledged message again with the same id. After `seconds` of load and kills, the visitors stop
// writing new messages and get up to `settleSeconds` to have the last ones acknowledged; then each one's history is
// read back (a new socket, `hello` with `after: 0`: the welcome carries the whole conversation) and compared with what
// it was told:
//   lost        acknowledged, but not in the history
//   duplicated  an id that is in the history more than once
//   gaps        positions where the history's seq is not 1, 2, 3, …
//   moved       acknowledged with one seq, stored at another (or acknowledged twice with different seqs)
//   unacked     still waiting for an ack at the end (the widget would still hold it: not lost, not delivered)
//   stranger    in the history but never acknowledged (stored, the ack lost, and no resend got one)
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { quantile } from '../../lib/stats.mjs';
import { chatText, random, USER_AGENT } from '../lib/history.mjs';
import { allowSites, startServer } from '../lib/server-process.mjs';
import { freshSpace } from '../lib/stores.mjs';
import { addressOf, ORIGIN, widgetIdOf, widgetIds } from '../lib/visitors.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const rand = random(13);
const TEXTS = Array.from({ length: 1000 }, () => chatText(rand));

/** The widget's reconnect backoff (src/transport/websocket-transport.ts defaults). */
const BASE_DELAY = 1000;
const MAX_DELAY = 30_000;

/** A widget: one visitor id, a socket to whichever node the balancer gives it, and its unacknowledged messages. */
class Widget {
  /** Messages sent and not yet acknowledged, in the order they were written: id → { text, t }. */
  pending = new Map();
  /** Acknowledged messages: id → seq. */
  acked = new Map();
  ackMs = [];
  lastSeq = 0;
  ready = false;
  attempt = 0;
  stopped = false;
  connections = 0;
  resends = 0;
  moved = 0;
  errors = {};
  ws = null;

  constructor(index, balancer) {
    this.index = index;
    this.balancer = balancer;
    this.visitorId = randomUUID();
    this.widgetId = widgetIdOf(index);
  }

  /** Connects through the balancer; resolves on the first welcome (or when the widget is stopped). */
  start() {
    return new Promise((resolve) => {
      this.onWelcome = resolve;
      this.connect();
    });
  }

  connect() {
    if (this.stopped) return;
    const node = this.balancer.pick();
    if (!node) return this.retry();
    const ws = new WebSocket(node.visitorUrl, {
      localAddress: addressOf(this.index),
      origin: ORIGIN,
      headers: { 'User-Agent': USER_AGENT },
      perMessageDeflate: false,
      handshakeTimeout: 5000,
    });
    this.ws = ws;
    const lost = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.ready = false;
      this.retry();
    };
    ws.on('error', lost);
    ws.on('close', lost);
    ws.on('unexpected-response', () => {
      ws.terminate();
      lost();
    });
    ws.on('open', () =>
      this.send({
        type: 'hello',
        v: 1,
        widgetId: this.widgetId,
        visitorId: this.visitorId,
        after: this.lastSeq,
        page: { url: `${ORIGIN}/catalog/item-${this.index % 500}`, title: `Item ${this.index % 500} — Bench shop` },
        department: null,
        lang: 'en',
      }),
    );
    ws.on('message', (data) => this.frame(JSON.parse(String(data))));
  }

  retry() {
    if (this.stopped) return;
    const delay = Math.floor(Math.random() * Math.min(MAX_DELAY, BASE_DELAY * 2 ** Math.min(this.attempt++, 30)));
    setTimeout(() => this.connect(), delay);
  }

  frame(frame) {
    switch (frame.type) {
      case 'welcome':
        // The server issues the id (the first hello's is one it never issued); a widget keeps what it is given.
        if (frame.visitorId) this.visitorId = frame.visitorId;
        this.ready = true;
        this.attempt = 0;
        this.connections++;
        for (const m of frame.messages) this.lastSeq = Math.max(this.lastSeq, m.seq);
        // Everything not acknowledged goes again, with the same ids, in the order it was written.
        for (const [id, { text }] of this.pending) {
          this.resends++;
          this.send({ type: 'message', id, text });
        }
        this.onWelcome?.();
        this.onWelcome = null;
        break;
      case 'ack': {
        const p = this.pending.get(frame.id);
        const known = this.acked.get(frame.id);
        if (known !== undefined && known !== frame.seq) this.moved++;
        if (p) {
          this.pending.delete(frame.id);
          this.ackMs.push(performance.now() - p.t);
        }
        if (known === undefined) this.acked.set(frame.id, frame.seq);
        this.lastSeq = Math.max(this.lastSeq, frame.seq);
        break;
      }
      case 'message':
        this.lastSeq = Math.max(this.lastSeq, frame.message.seq);
        break;
      case 'error':
        this.errors[frame.code] = (this.errors[frame.code] ?? 0) + 1;
        // A message the server would not take now (rate_limited) is tried again later, as a visitor would.
        if (frame.id && this.pending.has(frame.id)) setTimeout(() => this.again(frame.id), 2000);
        break;
    }
  }

  again(id) {
    const p = this.pending.get(id);
    if (p && this.ready) {
      this.resends++;
      this.send({ type: 'message', id, text: p.text });
    }
  }

  send(frame) {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(frame));
  }

  /** Writes a new message: kept until acknowledged, sent now if the widget is connected. */
  write(id, text) {
    this.pending.set(id, { text, t: performance.now() });
    if (this.ready) this.send({ type: 'message', id, text });
  }

  stop() {
    this.stopped = true;
    this.ready = false;
    this.ws?.terminate();
    this.ws = null;
  }
}

/** The whole conversation as a new socket's welcome gives it (after: 0), from any live node; null if none answers. */
async function readBack(widget, balancer) {
  for (let attempt = 0; attempt < 20; attempt++) {
    const node = balancer.pick();
    if (node) {
      const welcome = await new Promise((resolve) => {
        const ws = new WebSocket(node.visitorUrl, {
          localAddress: addressOf(widget.index),
          origin: ORIGIN,
          headers: { 'User-Agent': USER_AGENT },
          perMessageDeflate: false,
          handshakeTimeout: 5000,
        });
        const done = (value) => {
          clearTimeout(timer);
          ws.terminate();
          resolve(value);
        };
        const timer = setTimeout(() => done(null), 10_000);
        ws.on('error', () => done(null));
        ws.on('close', () => done(null));
        ws.on('open', () =>
          ws.send(
            JSON.stringify({
              type: 'hello',
              v: 1,
              widgetId: widget.widgetId,
              visitorId: widget.visitorId,
              after: 0,
              page: { url: `${ORIGIN}/`, title: 'Bench shop' },
              department: null,
              lang: 'en',
            }),
          ),
        );
        ws.on('message', (data) => {
          const frame = JSON.parse(String(data));
          if (frame.type === 'welcome') done(frame);
        });
      });
      if (welcome) return welcome;
    }
    await sleep(250 * (attempt + 1));
  }
  return null;
}

/** What the history says against what the widget was told. */
export function compare(widget, welcome) {
  const ids = welcome.messages.map((m) => m.id);
  // Where each id is first: a second copy counts as duplicated, not moved as well.
  const stored = new Map();
  for (const m of welcome.messages) if (!stored.has(m.id)) stored.set(m.id, m.seq);
  let lost = 0;
  let moved = widget.moved;
  for (const [id, seq] of widget.acked) {
    if (!stored.has(id)) lost++;
    else if (stored.get(id) !== seq) moved++;
  }
  let gaps = 0;
  welcome.messages.forEach((m, i) => {
    if (m.seq !== i + 1) gaps++;
  });
  return {
    stored: ids.length,
    lost,
    duplicated: ids.length - new Set(ids).size,
    gaps,
    moved,
    stranger: ids.filter((id) => !widget.acked.has(id)).length,
  };
}

async function chaosRun(store, { nodes, visitors: count, seconds, killEvery, settleSeconds, concurrency, log, tag }) {
  const space = await freshSpace(store);
  const { dataDir } = space;
  const servers = [];
  let nextNode = 0;
  /** Live nodes, in the order they started. */
  const live = [];
  const balancer = { pick: () => live[Math.floor(Math.random() * live.length)] ?? null };
  const start = async (node) => {
    const server = await startServer(store, { dataDir, node, files: count + 256 });
    servers.push(server);
    live.push(server);
    return server;
  };
  const widgets = Array.from({ length: count }, (_, i) => new Widget(i, balancer));
  try {
    await allowSites(store, dataDir, widgetIds(count), ORIGIN);
    for (let k = 0; k < nodes; k++) await start(nextNode++);
    // The widgets come in `concurrency` at a time, as the idle scenario's do.
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(concurrency, count) }, async () => {
        while (next < count) await widgets[next++].start();
      }),
    );
    log(`chaos: ${nodes} node(s), ${count} visitors connected; ${seconds} s of load, a kill every ~${killEvery} s`);

    const kills = [];
    const t0 = performance.now();
    const end = t0 + seconds * 1000;
    let stopping = false;
    // The killer: a random live node, SIGKILL, and a replacement (PostgreSQL) or a restart on the same data (journal).
    const killer = (async () => {
      for (;;) {
        await sleep(killEvery * 1000 * (0.5 + Math.random()));
        if (stopping || performance.now() >= end) return;
        const victim = live[Math.floor(Math.random() * live.length)];
        live.splice(live.indexOf(victim), 1);
        const at = (performance.now() - t0) / 1000;
        await victim.kill();
        const started = performance.now();
        const replacement = await start(store.shared ? nextNode++ : victim.node);
        kills.push({ at, node: victim.node, replacement: replacement.node, restartMs: performance.now() - started });
        log(`  ${at.toFixed(1)} s: killed node ${victim.node}; node ${replacement.node} listening`);
      }
    })();

    // The load: one message per visitor per second, in turn.
    const sent = new Set();
    let n = 0;
    await new Promise((resolve) => {
      const tick = () => {
        const now = performance.now();
        const due = Math.floor((count * Math.min(now - t0, seconds * 1000)) / 1000);
        for (; n < due; n++) {
          const w = widgets[n % count];
          const id = `${tag}-${n}`;
          sent.add(id);
          w.write(id, TEXTS[n % TEXTS.length]);
        }
        if (now >= end) return resolve();
        setTimeout(tick, 5);
      };
      tick();
    });
    stopping = true;
    await killer;

    // The last messages: resent by the widgets after their reconnects until every one has its ack, or time is up.
    const settleUntil = performance.now() + settleSeconds * 1000;
    while (performance.now() < settleUntil && widgets.some((w) => w.pending.size)) await sleep(100);
    const settledMs = performance.now() - end;
    const unacked = widgets.reduce((a, w) => a + w.pending.size, 0);
    for (const w of widgets) w.stop();

    const totals = { stored: 0, lost: 0, duplicated: 0, gaps: 0, moved: 0, stranger: 0, unread: 0 };
    next = 0;
    await Promise.all(
      Array.from({ length: Math.min(concurrency, count) }, async () => {
        while (next < count) {
          const w = widgets[next++];
          const welcome = await readBack(w, balancer);
          if (!welcome) {
            totals.unread++;
            continue;
          }
          const c = compare(w, welcome);
          for (const key of Object.keys(c)) totals[key] += c[key];
        }
      }),
    );
    const ackMs = widgets.flatMap((w) => w.ackMs);
    const errors = {};
    for (const w of widgets) for (const [code, c] of Object.entries(w.errors)) errors[code] = (errors[code] ?? 0) + c;
    const acked = widgets.reduce((a, w) => a + w.acked.size, 0);
    const r = {
      nodes,
      visitors: count,
      seconds,
      kills: kills.length,
      killLog: kills,
      restartMs: quantile(
        kills.map((k) => k.restartMs),
        0.5,
      ),
      sent: sent.size,
      acked,
      unacked,
      ...totals,
      connections: widgets.reduce((a, w) => a + w.connections, 0),
      reconnects: widgets.reduce((a, w) => a + w.connections, 0) - count,
      resends: widgets.reduce((a, w) => a + w.resends, 0),
      ackP50: quantile(ackMs, 0.5),
      ackP99: quantile(ackMs, 0.99),
      ackMax: Math.max(...ackMs),
      settledMs,
      errors,
      warnings: servers.flatMap((s) => s.warnings).slice(0, 20),
    };
    log(
      `  ${r.kills} kills; ${r.sent} messages sent, ${r.acked} acknowledged, ${r.unacked} still unacknowledged; lost ` +
        `${r.lost}, duplicated ${r.duplicated}, gaps ${r.gaps}, moved ${r.moved}, stored unacknowledged ` +
        `${r.stranger}, histories unread ${r.unread}; ${r.reconnects} reconnects, ${r.resends} resends; time to ack ` +
        `p50 ${r.ackP50.toFixed(0)} ms p99 ${r.ackP99.toFixed(0)} ms max ${r.ackMax.toFixed(0)} ms`,
    );
    return r;
  } finally {
    for (const w of widgets) w.stop();
    await Promise.all(servers.map((s) => s.stop()));
    await space.remove();
  }
}

export async function chaosRuns(store, { runs, nodes, ...options }) {
  const n = store.shared ? nodes : 1;
  const results = [];
  for (let run = 0; run < runs; run++) {
    options.log(`chaos: run ${run + 1} of ${runs}`);
    results.push(await chaosRun(store, { ...options, nodes: n, tag: `c${Date.now().toString(36)}-${run}` }));
  }
  return { nodes: n, runs: results };
}
