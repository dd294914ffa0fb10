// The load generator's visitors: Node `ws` clients that speak the widget's protocol (src/transport/protocol.ts,
// docs/protocol.md) from many loopback addresses.
//
// The server limits each client address (docs/protocol.md, "Rate limits"): 256 sockets, 60 upgrades per 10 s and 20
// new visitors per minute; and each widget id: 600 new visitors per minute. Those limits are `startBackend` options
// that main.mjs does not read from its environment, so the bench leaves them as they are and spreads its visitors
// instead, as real traffic is spread: visitor i comes from its own source address (127.0.0.0/8 is all loopback on
// Linux, so 127.a.b.c reaches a server on 127.0.0.1) with at most VISITORS_PER_ADDRESS visitors per address, and
// belongs to the site `bench-<i / VISITORS_PER_SITE>`.
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { USER_AGENT } from './history.mjs';

/** The page origin of the bench's sites (listed with `sites allow`), sent as the upgrade's Origin header. */
export const ORIGIN = 'https://shop.bench.example';
/** The server's default burst of new visitors per client address (HUB_LIMITS.newVisitorsPerIp). */
export const VISITORS_PER_ADDRESS = 20;
/** Under the server's 600 new visitors per widget id per minute (HUB_LIMITS.newVisitorsPerSite). */
export const VISITORS_PER_SITE = 500;

/** The source address of address slot `k`: 127.1.0.1, 127.1.0.2, … 127.1.0.254, 127.1.1.1, … (never 127.0.0.x). */
export function sourceAddress(k) {
  const host = k % 254;
  const block = Math.floor(k / 254);
  return `127.${1 + Math.floor(block / 256)}.${block % 256}.${host + 1}`;
}

export const addressOf = (i) => sourceAddress(Math.floor(i / VISITORS_PER_ADDRESS));
export const widgetIdOf = (i) => `bench-${Math.floor(i / VISITORS_PER_SITE)}`;
/** The widget ids that `count` visitors use. */
export const widgetIds = (count) =>
  Array.from({ length: Math.max(1, Math.ceil(count / VISITORS_PER_SITE)) }, (_, k) => `bench-${k}`);

/**
 * One visitor's socket. `onFrame(frame, at, visitor)` sees every frame after the welcome, with its arrival time
 * (performance.now(), taken before parsing).
 */
export class Visitor {
  /** @type {WebSocket} */
  ws;
  index;
  welcomed = false;
  closed = false;
  /** @type {((frame: any, at: number, visitor: Visitor) => void) | null} */
  onFrame = null;

  constructor(index) {
    this.index = index;
  }

  send(frame) {
    this.ws.send(JSON.stringify(frame));
  }
}

/**
 * Opens `count` visitors (indices `from`… `from + count - 1`), at most `concurrency` of them between connecting and
 * their `welcome` at a time, each saying hello as the widget does. `hello` lets a caller change the hello (a known
 * visitor id). Resolves to `{ visitors, welcomeMs, failures, seconds }`: the visitors that were welcomed, each one's
 * time from creating the socket to its welcome, and why the others were not (`"429"`, `"ECONNRESET"`, `"close 1008
 * Too many new visitors"`, …) with how often.
 */
export async function openVisitors(url, { from = 0, count, concurrency = 50, timeoutMs = 30_000, hello = {} }) {
  const visitors = [];
  const welcomeMs = [];
  const failures = {};
  const fail = (why) => (failures[why] = (failures[why] ?? 0) + 1);
  const started = performance.now();
  let next = from;
  const end = from + count;

  const openOne = (i) =>
    new Promise((resolve) => {
      const visitor = new Visitor(i);
      const t0 = performance.now();
      const ws = new WebSocket(url, {
        localAddress: addressOf(i),
        origin: ORIGIN,
        headers: { 'User-Agent': USER_AGENT },
        perMessageDeflate: false,
        handshakeTimeout: timeoutMs,
      });
      visitor.ws = ws;
      let settled = false;
      const settle = (why) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (why) {
          fail(why);
          ws.terminate();
        }
        resolve();
      };
      const timer = setTimeout(() => settle('no welcome in time'), timeoutMs);
      ws.on('unexpected-response', (_req, res) => settle(String(res.statusCode)));
      ws.on('error', (error) => settle(error.code ?? error.message));
      ws.on('close', (code, reason) => {
        visitor.closed = true;
        settle(`close ${code} ${reason}`.trim());
      });
      ws.on('open', () =>
        visitor.send({
          type: 'hello',
          v: 1,
          widgetId: widgetIdOf(i),
          visitorId: randomUUID(),
          after: 0,
          page: { url: `${ORIGIN}/catalog/item-${i % 500}`, title: `Item ${i % 500} — Bench shop` },
          department: null,
          lang: 'en',
          ...hello,
        }),
      );
      ws.on('message', (data) => {
        const at = performance.now();
        if (visitor.welcomed) {
          visitor.onFrame?.(JSON.parse(String(data)), at, visitor);
          return;
        }
        const frame = JSON.parse(String(data));
        if (frame.type === 'welcome') {
          visitor.welcomed = true;
          visitor.welcome = frame;
          welcomeMs.push(at - t0);
          visitors.push(visitor);
          settle(null);
        } else if (frame.type === 'error') {
          // The close that follows says why; keep the error's text for it.
          visitor.error = frame.message;
        }
      });
    });

  const worker = async () => {
    while (next < end) await openOne(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  visitors.sort((a, b) => a.index - b.index);
  return { visitors, welcomeMs, failures, seconds: (performance.now() - started) / 1000 };
}

/** Closes every visitor's socket at once (no close handshake) and waits until each is closed. */
export async function closeVisitors(visitors) {
  await Promise.all(
    visitors.map(
      (v) =>
        new Promise((resolve) => {
          if (v.ws.readyState === WebSocket.CLOSED) return resolve();
          v.ws.once('close', resolve);
          v.ws.terminate();
        }),
    ),
  );
}
