/**
 * Who may talk to the server, and from where.
 *
 * - **Host allowlist.** Every HTTP request and upgrade must name one of the server's own hosts in `Host`: the loopback
 *   names with the bound port when it listens on loopback, the public origin's host, and `allowedHosts`. A DNS
 *   rebinding page (its own name, now resolving to this machine) is refused before anything else happens.
 * - **Console origins.** A browser may sign in and open `/ws/agent` only from an exact origin: the server's own (the
 *   loopback ones on a loopback bind, the public origin) and `consoleOrigins`. No "any loopback origin": a dev server
 *   on another port of the agent's machine is a different origin.
 * - **Client addresses.** Limits are per client IP; behind a reverse proxy every socket comes from the proxy, so
 *   `X-Forwarded-For` is read, but only when the direct peer is one of `trustedProxies` (right to left, skipping
 *   trusted hops), and never otherwise.
 * - **Binding.** A non-loopback address is refused unless a public origin is set (so hosts and origins can be
 *   checked), and an `http:` public origin additionally needs `insecureHttp` (session cookies would cross the network
 *   in clear).
 */
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

export interface NetworkOptions {
  /** The origin agents and widgets reach the server at, e.g. `https://chat.example.com` (behind a TLS proxy). */
  publicOrigin?: string | null;
  /** More `Host` values to accept (`host` or `host:port`). */
  allowedHosts?: string[];
  /** More origins whose pages may sign agents in and open the agent socket (exact `scheme://host[:port]`). */
  consoleOrigins?: string[];
  /** Addresses of reverse proxies whose `X-Forwarded-For` and `X-Forwarded-Proto` are believed. */
  trustedProxies?: string[];
  /** Allows a non-loopback bind with an `http:` public origin (a private network you trust). */
  insecureHttp?: boolean;
}

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** An exact origin (`scheme://host[:port]`, http or https), lower-case; throws with the reason. */
export function checkOrigin(value: string, what: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${what} "${value}" is not an absolute URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`${what} "${value}" is not http or https`);
  if (url.username || url.password || (url.pathname !== '/' && url.pathname !== '') || url.search || url.hash)
    throw new Error(`${what} "${value}" must be an origin only (scheme, host and port)`);
  return url.origin;
}

/** Refuses to listen where nothing would protect the agents. Throws with what to set. */
export function checkBind(host: string, options: NetworkOptions): void {
  if (isLoopback(host)) return;
  const origin = options.publicOrigin ? checkOrigin(options.publicOrigin, 'publicOrigin') : null;
  if (!origin)
    throw new Error(
      `${host} is not a loopback address: set PUBLIC_ORIGIN (publicOrigin), the https origin agents and widgets use, ` +
        'so that Host and Origin headers can be checked (docs/deploy.md)',
    );
  if (origin.startsWith('http:') && !options.insecureHttp)
    throw new Error(
      `PUBLIC_ORIGIN ${origin} is plain http on a non-loopback address: agents' session cookies would cross the ` +
        'network in clear. Put a TLS proxy in front (https origin), or set INSECURE_HTTP=1 (insecureHttp) on a network you trust',
    );
}

export class Network {
  readonly hosts = new Set<string>();
  readonly consoleOrigins = new Set<string>();
  readonly #trusted: Set<string>;
  readonly #secureOrigin: boolean;

  /** `bound`: the address and port the server listens on. */
  constructor(options: NetworkOptions, bound: { host: string; port: number }) {
    if (isLoopback(bound.host)) {
      for (const name of ['localhost', '127.0.0.1', '[::1]']) {
        this.hosts.add(`${name}:${bound.port}`);
        this.consoleOrigins.add(`http://${name}:${bound.port}`);
      }
    }
    const origin = options.publicOrigin ? checkOrigin(options.publicOrigin, 'publicOrigin') : null;
    if (origin) {
      this.hosts.add(new URL(origin).host);
      this.consoleOrigins.add(origin);
    }
    for (const h of options.allowedHosts ?? []) this.hosts.add(h.trim().toLowerCase());
    for (const o of options.consoleOrigins ?? []) this.consoleOrigins.add(checkOrigin(o, 'consoleOrigins'));
    this.#trusted = new Set((options.trustedProxies ?? []).map(normalizeIp));
    this.#secureOrigin = origin?.startsWith('https:') ?? false;
  }

  hostAllowed(req: IncomingMessage): boolean {
    const host = req.headers.host?.toLowerCase();
    return host !== undefined && this.hosts.has(host);
  }

  /** True when the request has no Origin (not a browser) or one of the console origins. */
  consoleOriginAllowed(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    return origin === undefined || this.consoleOrigins.has(origin.toLowerCase());
  }

  /** The client's address: the direct peer, or, when that is a trusted proxy, what it says in X-Forwarded-For. */
  clientIp(req: IncomingMessage): string {
    const peer = normalizeIp(req.socket.remoteAddress ?? '?');
    if (!this.#trusted.has(peer)) return peer;
    const header = req.headers['x-forwarded-for'];
    const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
      .split(',')
      .map((h) => normalizeIp(h.trim()))
      .filter((h) => isIP(h) !== 0);
    for (let i = hops.length - 1; i >= 0; i--) if (!this.#trusted.has(hops[i])) return hops[i];
    return hops[0] ?? peer;
  }

  isTrustedProxy(ip: string): boolean {
    return this.#trusted.has(normalizeIp(ip));
  }

  /** Whether the browser reached us over https (directly known from the public origin, or told by a trusted proxy). */
  secure(req: IncomingMessage): boolean {
    if (this.#secureOrigin) return true;
    const peer = normalizeIp(req.socket.remoteAddress ?? '?');
    return this.#trusted.has(peer) && req.headers['x-forwarded-proto'] === 'https';
  }
}

/** `::ffff:1.2.3.4` → `1.2.3.4`, lower-case. */
export function normalizeIp(ip: string): string {
  const lower = ip.toLowerCase();
  return lower.startsWith('::ffff:') && isIP(lower.slice(7)) === 4 ? lower.slice(7) : lower;
}
