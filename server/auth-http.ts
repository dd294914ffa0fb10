/**
 * Signing agents in and out over HTTP (docs/protocol.md, "Agent authentication"):
 *
 *   POST /api/login    {"login": "…", "password": "…"}  → 200 {"id","login","name","role"} and the session cookie
 *   POST /api/logout                                    → 204; the session ends and the cookie is cleared
 *   GET  /api/session                                   → 200 {"id","login","name","role"}, or 401
 *
 * The cookie is `jivo_session`: HttpOnly, SameSite=Strict, Path=/, Max-Age of the session, and Secure when the page
 * came over https. A request with an Origin header must come from one of the console origins (network.ts); POSTs must
 * be `application/json`, which a cross-site form cannot send. Other console origins get CORS answers with
 * credentials; no other origin does.
 *
 * Sign-in is throttled per client IP (every attempt counts) and per login (failures count): an exhausted bucket gets
 * 429 with Retry-After before any password is checked.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AgentAccount, Accounts } from './accounts.js';
import type { Network } from './network.js';
import { KeyedBuckets, type Rate } from './rate-limit.js';

export const SESSION_COOKIE = 'jivo_session';

export interface LoginLimits {
  /** Sign-in attempts per client IP. Default 10 per 15 minutes. */
  perIp: Rate;
  /** Failed sign-ins per login. Default 5 per 15 minutes. */
  perAccount: Rate;
}

export const LOGIN_LIMITS: LoginLimits = {
  perIp: { burst: 10, windowMs: 15 * 60_000 },
  perAccount: { burst: 5, windowMs: 15 * 60_000 },
};

const MAX_BODY = 4096;

export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 1) continue;
    const name = part.slice(0, eq).trim();
    if (!cookies.has(name)) cookies.set(name, part.slice(eq + 1).trim());
  }
  return cookies;
}

export const sessionToken = (req: IncomingMessage): string | undefined =>
  parseCookies(req.headers.cookie).get(SESSION_COOKIE);

const who = (a: AgentAccount) => ({ id: a.id, login: a.login, name: a.name, role: a.role });

export class AuthHttp {
  readonly #accounts: Accounts;
  readonly #network: Network;
  readonly #perIp: KeyedBuckets;
  readonly #perAccount: KeyedBuckets;
  readonly #ttlSeconds: number;
  readonly #prune: ReturnType<typeof setInterval>;

  constructor(accounts: Accounts, network: Network, limits: LoginLimits, sessionTtlMs: number) {
    this.#accounts = accounts;
    this.#network = network;
    this.#perIp = new KeyedBuckets(limits.perIp);
    this.#perAccount = new KeyedBuckets(limits.perAccount);
    this.#ttlSeconds = Math.floor(sessionTtlMs / 1000);
    this.#prune = setInterval(() => {
      this.#perIp.prune();
      this.#perAccount.prune();
    }, 60_000);
    this.#prune.unref();
  }

  close(): void {
    clearInterval(this.#prune);
  }

  /** Answers `/api/*`; false when the path is not one of ours. */
  handle(req: IncomingMessage, res: ServerResponse, pathname: string): boolean {
    if (!pathname.startsWith('/api/')) return false;
    const origin = req.headers.origin;
    const headers: Record<string, string> = {
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      'Content-Type': 'application/json; charset=utf-8',
    };
    if (!this.#network.consoleOriginAllowed(req)) {
      res.writeHead(403, headers).end(JSON.stringify({ error: 'origin_not_allowed' }));
      return true;
    }
    if (origin !== undefined) {
      headers['Access-Control-Allow-Origin'] = origin;
      headers['Access-Control-Allow-Credentials'] = 'true';
      headers.Vary = 'Origin';
    }
    const send = (status: number, body?: object, extra: Record<string, string | string[]> = {}) =>
      res.writeHead(status, { ...headers, ...extra }).end(body === undefined ? undefined : JSON.stringify(body));

    if (req.method === 'OPTIONS') {
      send(204, undefined, {
        'Access-Control-Allow-Methods': 'GET, POST',
        'Access-Control-Allow-Headers': 'Content-Type',
        'Access-Control-Max-Age': '600',
      });
      return true;
    }
    switch (`${req.method} ${pathname}`) {
      case 'GET /api/session': {
        const found = this.#accounts.session(sessionToken(req));
        if (found) send(200, who(found.account));
        else send(401, { error: 'not_signed_in' });
        return true;
      }
      case 'POST /api/logout':
        this.#accounts.endSession(sessionToken(req));
        send(204, undefined, { 'Set-Cookie': this.#cookie(req, '', 0) });
        return true;
      case 'POST /api/login':
        void this.#login(req, send);
        return true;
      default:
        send(404, { error: 'not_found' });
        return true;
    }
  }

  async #login(
    req: IncomingMessage,
    send: (status: number, body?: object, extra?: Record<string, string | string[]>) => void,
  ): Promise<void> {
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? ''))
      return send(415, { error: 'json_only', message: 'Send {"login","password"} as application/json' });
    const ip = this.#network.clientIp(req);
    if (!this.#perIp.take(ip)) return send(429, { error: 'rate_limited' }, { 'Retry-After': '900' });
    let body: unknown;
    try {
      body = JSON.parse(await readBody(req, MAX_BODY));
    } catch {
      return send(400, { error: 'bad_request', message: 'The body must be JSON of at most 4 KB' });
    }
    const { login, password } = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const key = typeof login === 'string' ? login.trim().toLowerCase().slice(0, 254) : '';
    if (this.#perAccount.empty(key)) return send(429, { error: 'rate_limited' }, { 'Retry-After': '900' });
    const account = await this.#accounts.verify(login, password);
    if (!account) {
      this.#perAccount.take(key);
      return send(401, { error: 'invalid_credentials', message: 'Wrong login or password' });
    }
    const { token, saved } = this.#accounts.startSession(account);
    // Whichever server process the console's socket reaches next must know the session.
    try {
      await saved;
    } catch {
      return send(503, { error: 'unavailable', message: 'The session could not be stored; try again' });
    }
    send(200, who(account), { 'Set-Cookie': this.#cookie(req, token, this.#ttlSeconds) });
  }

  #cookie(req: IncomingMessage, value: string, maxAge: number): string {
    const secure = this.#network.secure(req) ? '; Secure' : '';
    return `${SESSION_COOKIE}=${value}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Strict${secure}`;
  }
}

function readBody(req: IncomingMessage, max: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Past the limit the rest is read and dropped, so that the answer can still be sent.
      if (size <= max) chunks.push(chunk);
    });
    req.on('end', () =>
      size > max ? reject(new Error('too large')) : resolve(Buffer.concat(chunks).toString('utf8')),
    );
    req.on('error', reject);
  });
}
