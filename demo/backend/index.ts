/**
 * The reference chat backend: one HTTP server that serves the demo page and the agent console, and WebSocket
 * endpoints on the same port — `/ws/visitor` for widgets (src/transport/protocol.ts) and `/ws/agent` for agent
 * consoles (./agent-protocol.ts). docs/protocol.md documents both.
 *
 *   const backend = await startBackend({ port: 0, dataDir: null });   // random port, in memory
 *   backend.visitorUrl                                                 // ws://127.0.0.1:PORT/ws/visitor
 *   await backend.close();
 */
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';
import { LIMITS } from '../../src/model/limits.js';
import { callbackConfig, type CallbackOptions } from './calls.js';
import { CLOSE, Hub } from './hub.js';
import { openJournal } from './journal.js';
import { AGENT_RATES, VISITOR_RATES, type Rate, type RateLimits } from './rate-limit.js';
import { ChatState, checkRecord } from './state.js';
import { staticHandler } from './static.js';
import { checkWebhookOptions, Webhooks, type WebhookOptions } from './webhooks.js';

export type { Rate, RateLimits } from './rate-limit.js';
export type { CallbackOptions } from './calls.js';
export { AGENT_RATES, VISITOR_RATES } from './rate-limit.js';
export { parseWebhookUrls, WEBHOOK_RETRY, type RetryPolicy, type WebhookOptions } from './webhooks.js';

export interface BackendOptions {
  /** 0 picks a free port. Default 8000. */
  port?: number;
  /** Default 127.0.0.1: the demo has no agent authentication, so it only listens on this machine unless told. */
  host?: string;
  /** Where the journal lives; null (the default) keeps everything in memory. */
  dataDir?: string | null;
  /** The project root whose `demo/public` and `dist` are served; null serves no files. Default: this checkout. */
  staticRoot?: string | null;
  /** Per-socket rate limits for widgets, merged over VISITOR_RATES. */
  visitorRates?: Partial<RateLimits>;
  /** Per-socket rate limits for agent consoles, merged over AGENT_RATES. */
  agentRates?: Partial<RateLimits>;
  /** Bad frames a socket may send before it is closed with 1008. Default 20. */
  maxBadFrames?: number;
  /** Open WebSockets allowed from one IP address. Default 256. */
  maxConnectionsPerIp?: number;
  /** How often sockets are pinged; one that missed the previous ping is terminated. Default 30 000 ms. */
  heartbeatMs?: number;
  /** Where to POST events (docs/webhooks.md). Invalid options make startBackend reject before it listens. */
  webhooks?: WebhookOptions;
  /**
   * Call backs: `true` (the default) offers them while an agent is online, `false` never; an object can also set a call
   * balance per widget id and the per-visitor request rate (calls.ts).
   */
  callbacks?: boolean | CallbackOptions;
  /** Warnings (a skipped journal line, a failed write). Default console.warn. */
  warn?: (message: string) => void;
}

export interface Backend {
  /** http://host:port */
  url: string;
  /** ws://host:port/ws/visitor */
  visitorUrl: string;
  /** ws://host:port/ws/agent */
  agentUrl: string;
  /** Terminates every socket, stops listening, stops webhook deliveries (pending ones stay queued) and closes the journal. */
  close(): Promise<void>;
}

/** The checkout this module runs from (the folder with package.json and demo/public), or null. */
export function projectRoot(from: string = fileURLToPath(import.meta.url)): string | null {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'demo', 'public'))) return dir;
    if (dirname(dir) === dir) return null;
  }
}

const mergeRates = (base: RateLimits, over: Partial<RateLimits> = {}): RateLimits => {
  const pick = (r: Rate | undefined, d: Rate): Rate =>
    r && r.burst > 0 && r.windowMs > 0 ? { burst: r.burst, windowMs: r.windowMs } : d;
  return {
    frames: pick(over.frames, base.frames),
    messages: pick(over.messages, base.messages),
    typing: pick(over.typing, base.typing),
  };
};

function refuse(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroy();
}

/**
 * A browser may open the agent socket only from this origin or from this machine (a loopback origin, such as a test
 * runner's page): a web page elsewhere must not be able to act as an agent through someone's browser. Clients that are
 * not browsers send no Origin; they reach the port directly anyway.
 */
function agentOriginAllowed(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.host === req.headers.host) return true;
  const host = url.hostname;
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export async function startBackend(options: BackendOptions = {}): Promise<Backend> {
  const warn = options.warn ?? ((message: string) => console.warn(`jivo-backend: ${message}`));
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 8000;
  const dataDir = options.dataDir ?? null;
  const staticRoot = options.staticRoot === undefined ? projectRoot() : options.staticRoot;
  const maxPerIp = options.maxConnectionsPerIp ?? 256;
  const webhookConfig = checkWebhookOptions(options.webhooks);

  const state = new ChatState();
  const { journal, records } = openJournal(dataDir, warn);
  let skipped = 0;
  for (const raw of records) {
    const record = checkRecord(raw);
    if (!record || !state.apply(record)) skipped++;
  }
  if (skipped) warn(`skipped ${skipped} journal record(s) that did not fit`);
  let webhooks: Webhooks | null = null;
  try {
    webhooks = webhookConfig && new Webhooks(webhookConfig, dataDir, warn);
  } catch (error) {
    journal.close();
    throw error;
  }

  const hub = new Hub({
    state,
    journal,
    visitorRates: mergeRates(VISITOR_RATES, options.visitorRates),
    agentRates: mergeRates(AGENT_RATES, options.agentRates),
    maxBadFrames: options.maxBadFrames ?? 20,
    webhooks,
    callbacks: callbackConfig(options.callbacks),
    warn,
  });

  // The library refuses a frame over maxPayload itself: it closes the socket with 1009 ("Message Too Big").
  // Compression stays off: a small compressed frame must not inflate into a large one.
  const wssOptions = { noServer: true, maxPayload: LIMITS.frameBytes, perMessageDeflate: false, clientTracking: false };
  const visitorWss = new WebSocketServer(wssOptions);
  const agentWss = new WebSocketServer(wssOptions);
  const perIp = new Map<string, number>();

  const server = createServer(staticHandler(staticRoot));
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    let pathname: string;
    try {
      pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    } catch {
      return refuse(socket, '400 Bad Request');
    }
    const wss = pathname === '/ws/visitor' ? visitorWss : pathname === '/ws/agent' ? agentWss : null;
    if (!wss) return refuse(socket, '404 Not Found');
    if (wss === agentWss && !agentOriginAllowed(req)) return refuse(socket, '403 Forbidden');
    const ip = req.socket.remoteAddress ?? '?';
    const open = perIp.get(ip) ?? 0;
    if (open >= maxPerIp) return refuse(socket, '429 Too Many Requests');
    wss.handleUpgrade(req, socket, head, (ws) => {
      perIp.set(ip, (perIp.get(ip) ?? 0) + 1);
      ws.once('close', () => {
        const left = (perIp.get(ip) ?? 1) - 1;
        if (left > 0) perIp.set(ip, left);
        else perIp.delete(ip);
      });
      if (wss === visitorWss) hub.attachVisitor(ws, req.headers['user-agent']);
      else hub.attachAgent(ws);
    });
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await webhooks?.close();
    journal.close();
    throw error;
  }

  const heartbeat = setInterval(() => hub.heartbeat(), options.heartbeatMs ?? 30_000);
  heartbeat.unref();

  const address = server.address() as AddressInfo;
  const shownHost =
    host === '0.0.0.0'
      ? '127.0.0.1'
      : host === '::'
        ? '[::1]'
        : address.family === 'IPv6'
          ? `[${address.address}]`
          : address.address;
  const authority = `${shownHost}:${address.port}`;

  let closing: Promise<void> | null = null;
  return {
    url: `http://${authority}`,
    visitorUrl: `ws://${authority}/ws/visitor`,
    agentUrl: `ws://${authority}/ws/agent`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        clearInterval(heartbeat);
        hub.terminateAll();
        visitorWss.close();
        agentWss.close();
        server.close(() => {
          void (webhooks?.close() ?? Promise.resolve()).finally(() => {
            journal.close();
            resolve();
          });
        });
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

export { CLOSE };
