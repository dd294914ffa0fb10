/**
 * The chat server: one HTTP server that serves the demo page and the agent console, signs agents in (`/api/*`,
 * auth-http.ts), and has WebSocket endpoints on the same port — `/ws/visitor` for widgets (src/transport/protocol.ts)
 * and `/ws/agent` for signed-in agent consoles (./agent-protocol.ts). docs/protocol.md documents all of it.
 *
 * Every request must name one of the server's hosts (network.ts); the agent socket needs a live session cookie and, from
 * a browser, one of the console origins.
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
import { LIMITS } from '../src/model/limits.js';
import { Accounts, SESSION_TTL_MS, type AccountsOptions, type ScryptCost } from './accounts.js';
import { AuthHttp, LOGIN_LIMITS, sessionToken, type LoginLimits } from './auth-http.js';
import { callbackConfig, type CallbackOptions } from './calls.js';
import { Hub } from './hub.js';
import { followHeldChats } from './chat-end.js';
import { CLOSE, HUB_LIMITS, type HubLimits } from './peers.js';
import { AGENT_RATES, KeyedBuckets, VISITOR_RATES, type Rate, type RateLimits } from './rate-limit.js';
import { EmbeddedStore } from './store/embedded.js';
import { PostgresStore } from './store/postgres.js';
import type { ChatStore } from './store/store.js';
import { checkBind, Network, normalizeIp, type NetworkOptions } from './network.js';
import { parseSites, Sites, SITES_FILE, sitesDocument } from './sites.js';
import { staticHandler } from './static.js';
import { Uploads } from './uploads.js';
import { checkWebhookOptions, Webhooks, type WebhookOptions } from './webhooks.js';

export type { Rate, RateLimits } from './rate-limit.js';
export type { CallbackOptions } from './calls.js';
export type { NetworkOptions } from './network.js';
export type { Accounts, AgentAccount, NewAccount, Role } from './accounts.js';
export { LOGIN_LIMITS, SESSION_COOKIE, type LoginLimits } from './auth-http.js';
export { AGENT_RATES, VISITOR_RATES } from './rate-limit.js';
export { parseWebhookUrls, WEBHOOK_RETRY, type RetryPolicy, type WebhookOptions } from './webhooks.js';

export interface BackendOptions extends NetworkOptions {
  /** 0 picks a free port. Default 8000. */
  port?: number;
  /**
   * Default 127.0.0.1. Any other address needs `publicOrigin` (and an https one, or `insecureHttp`): startBackend
   * rejects otherwise (network.ts).
   */
  host?: string;
  /** Where the journal lives; null (the default) keeps everything in memory. */
  dataDir?: string | null;
  /**
   * A PostgreSQL connection string (`postgres://user:password@host/db`): the chat is kept there instead of the journal,
   * and any number of servers may share it (store/postgres.ts). Accounts, sessions, sites and the webhook queue stay in
   * `dataDir`. Default null.
   */
  database?: string | null;
  /** Connections to PostgreSQL this process opens for the chat (the notification connection is one more). Default 10. */
  databasePoolSize?: number;
  /** The live journal's size in bytes below which it is not compacted into the snapshot. Default 32 MiB (store/embedded.ts). */
  compactAfterBytes?: number;
  /**
   * Days after which a visitor with no open socket and nothing new is erased with everything about it (checked at
   * start-up and every hour). Default null: kept until an admin erases it.
   */
  retentionDays?: number | null;
  /** With `database`: how often this process tells the others it is alive; silent for 3 times that, it is gone. Default 5000 ms. */
  aliveMs?: number;
  /** How often the retention sweep runs. Default one hour. */
  retentionSweepMs?: number;
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
  /** WebSocket upgrades one IP address may start. Default 60 per 10 s. */
  connectionRate?: Rate;
  /** Open TCP connections (pages, API, sockets) from one address that is not a trusted proxy. Default 512. */
  maxTcpConnectionsPerIp?: number;
  /** Open TCP connections in all. Default 50 000 (keep it under the process's file limit). */
  maxConnections?: number;
  /** Time a client has to send a request's headers, and the whole request. Default 10 000 and 30 000 ms. */
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** Per peer, visitor and site limits, merged over HUB_LIMITS (hub.ts). */
  limits?: Partial<HubLimits>;
  /** How often sockets are pinged; one that missed the previous ping is terminated. Default 30 000 ms. */
  heartbeatMs?: number;
  /** Where to POST events (docs/webhooks.md). Invalid options make startBackend reject before it listens. */
  webhooks?: WebhookOptions;
  /**
   * Call backs: `true` (the default) offers them while an agent is online, `false` never; an object can also set a call
   * balance per widget id and the per-visitor request rate (calls.ts).
   */
  callbacks?: boolean | CallbackOptions;
  /** How long an agent's session lasts from sign-in. Default 12 hours. */
  sessionTtlMs?: number;
  /** Sign-in throttles, merged over LOGIN_LIMITS. */
  loginLimits?: Partial<LoginLimits>;
  /** How often agents.json is checked for changes made by the command line. Default 1000 ms. */
  accountsReloadMs?: number;
  /** The scrypt cost of new password hashes. Default SCRYPT_COST (OWASP's minimum); tests lower it to save time. */
  passwordCost?: ScryptCost;
  /**
   * Query parameters kept in the page addresses the server stores and shows (e.g. `['utm_source', 'product']`);
   * default none: an address is stored as origin + path (page.ts).
   */
  pageQueryParams?: string[];
  /** File uploads one client address may start (`POST /files`). Default 30 a minute (uploads.ts). */
  uploadRate?: Rate;
  /** Refuse widget ids that sites.json does not list (sites.ts). Default false: unlisted widget ids are open. */
  registeredSitesOnly?: boolean;
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
  /** The address and port it listens on, as bound (`0.0.0.0:8000` listens on every interface). */
  listening: string;
  /** The agent accounts and sessions (add, disable; the command line edits the same file). */
  accounts: Accounts;
  /** How many times the journal was flushed to disk (group commit: one flush covers many records). */
  readonly journalSyncs: number;
  /** Which store keeps the chat: `journal` or `postgres`. */
  readonly store: string;
  /** How many times the journal was folded into a new snapshot (store/embedded.ts). */
  readonly compactions: number;
  /** Folds the journal into a new snapshot now, whatever its size. */
  compact(): Promise<void>;
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

export async function startBackend(options: BackendOptions = {}): Promise<Backend> {
  const warn = options.warn ?? ((message: string) => console.warn(`jivo-backend: ${message}`));
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 8000;
  const dataDir = options.dataDir ?? null;
  const staticRoot = options.staticRoot === undefined ? projectRoot() : options.staticRoot;
  const maxPerIp = options.maxConnectionsPerIp ?? 256;
  const webhookConfig = checkWebhookOptions(options.webhooks);
  checkBind(host, options);
  const sessionTtlMs = options.sessionTtlMs ?? SESSION_TTL_MS;

  const database = options.database ?? null;
  const embedded =
    database === null ? new EmbeddedStore({ dataDir, compactAfterBytes: options.compactAfterBytes, warn }) : null;
  const store: ChatStore =
    embedded ?? (await PostgresStore.open({ url: database!, poolSize: options.databasePoolSize, warn }));
  let webhooks: Webhooks | null = null;
  let accounts: Accounts;
  let sites: Sites;
  try {
    let sharedSites: ConstructorParameters<typeof Sites>[4];
    if (store instanceof PostgresStore) {
      const doc = store.sharedDocument(SITES_FILE, () => void sites.refresh());
      const load = async () => parseSites(await doc.load());
      sharedSites = { sites: await load(), load, save: (list) => doc.save(sitesDocument(list)) };
    }
    sites = new Sites(
      dataDir,
      options.registeredSitesOnly === true,
      options.accountsReloadMs ?? 1000,
      warn,
      sharedSites,
    );
    let shared: AccountsOptions['shared'];
    if (store instanceof PostgresStore) {
      const sharedStore = store.sharedAccounts(() => void accounts.refresh());
      shared = { store: sharedStore, ...(await sharedStore.load()) };
    }
    accounts = new Accounts({
      shared,
      dataDir,
      sessionTtlMs,
      reloadMs: options.accountsReloadMs,
      cost: options.passwordCost,
      warn,
    });
    // With PostgreSQL the queue is the database's (any process delivers, none loses what it queued by dying).
    const outbox = store instanceof PostgresStore ? store.webhookOutbox() : null;
    webhooks = webhookConfig && new Webhooks(webhookConfig, dataDir, warn, outbox);
    await webhooks?.ready;
  } catch (error) {
    await store.close();
    throw error;
  }

  const visitorRates = mergeRates(VISITOR_RATES, options.visitorRates);
  const hub = new Hub({
    store,
    visitorRates,
    agentRates: mergeRates(AGENT_RATES, options.agentRates),
    maxBadFrames: options.maxBadFrames ?? 20,
    webhooks,
    callbacks: callbackConfig(options.callbacks),
    pageQueryParams: new Set(options.pageQueryParams ?? []),
    // The messages rate counts per visitor, whichever of its sockets a message comes from (F7).
    limits: { ...HUB_LIMITS, messagesPerVisitor: visitorRates.messages, ...options.limits },
    sites,
    aliveMs: options.aliveMs,
    photos: {
      photo: (id) => accounts.byId(id)?.photo ?? null,
      setPhoto: (id, photo) => accounts.setPhoto(id, photo),
    },
    warn,
  });
  accounts.onSessionsEnded = (ids) => hub.endSessions(ids);
  await hub.joined;

  // The library refuses a frame over maxPayload itself: it closes the socket with 1009 ("Message Too Big").
  // Compression stays off: a small compressed frame must not inflate into a large one.
  const wssOptions = { noServer: true, maxPayload: LIMITS.frameBytes, perMessageDeflate: false, clientTracking: false };
  const visitorWss = new WebSocketServer(wssOptions);
  const agentWss = new WebSocketServer(wssOptions);
  const perIp = new Map<string, number>();
  const upgradesPerIp = new KeyedBuckets(options.connectionRate ?? { burst: 60, windowMs: 10_000 });
  const tcpPerIp = new Map<string, number>();
  const maxTcpPerIp = options.maxTcpConnectionsPerIp ?? 512;

  // Set once the port is known (before any request can arrive).
  let network!: Network;
  let auth!: AuthHttp;
  let uploads!: Uploads;
  const statics = staticHandler(staticRoot);
  // Slow clients cannot hold connections for long (F8): headers within 10 s, the request within 30 s, checked every
  // second rather than Node's default 30 s.
  const server = createServer(
    {
      headersTimeout: options.headersTimeoutMs ?? 10_000,
      requestTimeout: options.requestTimeoutMs ?? 30_000,
      connectionsCheckingInterval: Math.min(1000, options.headersTimeoutMs ?? 1000),
    },
    (req, res) => {
      if (!network.hostAllowed(req)) {
        res.writeHead(421, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Unknown host');
        return;
      }
      let pathname: string;
      try {
        pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
      } catch {
        res.writeHead(400).end();
        return;
      }
      if (!auth.handle(req, res, pathname) && !uploads.handle(req, res, pathname)) statics(req, res);
    },
  );
  server.maxConnections = options.maxConnections ?? 50_000;
  // Open connections per direct peer, proxies excepted (their clients are counted per request, by X-Forwarded-For).
  server.on('connection', (socket) => {
    const peer = normalizeIp(socket.remoteAddress ?? '?');
    if (network.isTrustedProxy(peer)) return;
    const open = tcpPerIp.get(peer) ?? 0;
    if (open >= maxTcpPerIp) {
      socket.destroy();
      return;
    }
    tcpPerIp.set(peer, open + 1);
    socket.once('close', () => {
      const left = (tcpPerIp.get(peer) ?? 1) - 1;
      if (left > 0) tcpPerIp.set(peer, left);
      else tcpPerIp.delete(peer);
    });
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    if (!network.hostAllowed(req)) return refuse(socket, '421 Misdirected Request');
    let pathname: string;
    try {
      pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    } catch {
      return refuse(socket, '400 Bad Request');
    }
    const wss = pathname === '/ws/visitor' ? visitorWss : pathname === '/ws/agent' ? agentWss : null;
    if (!wss) return refuse(socket, '404 Not Found');
    if (wss === agentWss && !network.consoleOriginAllowed(req)) return refuse(socket, '403 Forbidden');
    // Counted before a session is looked up: an unknown token may cost a read of the shared accounts.
    const ip = network.clientIp(req);
    const open = perIp.get(ip) ?? 0;
    if (open >= maxPerIp || !upgradesPerIp.take(ip)) return refuse(socket, '429 Too Many Requests');
    if (wss === visitorWss) return upgrade(req, socket, head, ip, null);
    void accounts.sessionAnywhere(sessionToken(req)).then((signedIn) => {
      if (!signedIn) return refuse(socket, '401 Unauthorized');
      upgrade(req, socket, head, ip, signedIn);
    });
  });

  const upgrade = (
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    ip: string,
    signedIn: Awaited<ReturnType<Accounts['sessionAnywhere']>>,
  ) => {
    if (socket.destroyed) return;
    (signedIn ? agentWss : visitorWss).handleUpgrade(req, socket, head, (ws) => {
      perIp.set(ip, (perIp.get(ip) ?? 0) + 1);
      ws.once('close', () => {
        const left = (perIp.get(ip) ?? 1) - 1;
        if (left > 0) perIp.set(ip, left);
        else perIp.delete(ip);
      });
      if (signedIn) hub.attachAgent(ws, signedIn.account, signedIn.session.id);
      else hub.attachVisitor(ws, req.headers['user-agent'], ip, req.headers.origin);
    });
  };

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        network = new Network(options, { host, port: (server.address() as AddressInfo).port });
        auth = new AuthHttp(accounts, network, { ...LOGIN_LIMITS, ...options.loginLimits }, sessionTtlMs);
        uploads = new Uploads({ store, sites, accounts, network }, options.uploadRate);
        resolve();
      });
    });
  } catch (error) {
    await webhooks?.close();
    accounts.close();
    sites.close();
    await store.close();
    throw error;
  }

  const beatMs = options.heartbeatMs ?? 30_000;
  let lastBeat = Date.now();
  const heartbeat = setInterval(() => {
    const now = Date.now();
    hub.heartbeat(now - lastBeat > beatMs * 1.5);
    lastBeat = now;
  }, beatMs);
  heartbeat.unref();
  // Chats whose chat_finished waits for a rating: what came due while the server was down goes out now.
  const stopHeldChats = followHeldChats(hub);
  const retentionDays = options.retentionDays ?? null;
  let retention: NodeJS.Timeout | null = null;
  if (retentionDays !== null && retentionDays > 0) {
    const sweep = () =>
      hub.sweep(retentionDays * 86_400_000).then((erased) => {
        if (erased) warn(`erased ${erased} visitor(s) with nothing new for ${retentionDays} days (retention)`);
      });
    // The first sweep before start-up completes: what has expired is never served.
    await sweep();
    retention = setInterval(() => void sweep(), options.retentionSweepMs ?? 3_600_000);
    retention.unref();
  }

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
    listening:
      address.family === 'IPv6' ? `[${address.address}]:${address.port}` : `${address.address}:${address.port}`,
    accounts,
    store: store.kind,
    get journalSyncs() {
      return embedded?.journal.syncs ?? 0;
    },
    get compactions() {
      return embedded?.compactions ?? 0;
    },
    compact: () => store.compact(),
    close() {
      closing ??= new Promise<void>((resolve) => {
        clearInterval(heartbeat);
        stopHeldChats();
        if (retention) clearInterval(retention);
        accounts.close();
        sites.close();
        auth.close();
        uploads.close();
        hub.leave();
        hub.terminateAll();
        visitorWss.close();
        agentWss.close();
        server.close(() => {
          void (webhooks?.close() ?? Promise.resolve()).finally(() => store.close()).finally(resolve);
        });
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

export { CLOSE };
