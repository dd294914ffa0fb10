// Shared helpers for the backend tests: a backend on a random port, WebSocket clients that queue what they receive,
// and temp dirs that are removed afterwards. scripts/test-backend.mjs compiles each test file with the server's sources
// (as the build does) and runs it with `node --test`; spawnServer runs the built server, as `npm start` does.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { request, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import pg from 'pg';
import WebSocket, { type ClientOptions } from 'ws';
import { projectRoot, startBackend as start, type Backend, type BackendOptions } from '../../server/index.js';

export type { Backend, BackendOptions };

/** startBackend with the test defaults of `testOptions` under the given options. */
export const startBackend = (options: BackendOptions = {}): Promise<Backend> => start(testOptions(options));

/** A frame as a test reads it: parsed JSON, looked at field by field. */
export type Frame = any;

/** The checkout these tests run from (package.json, demo/public, dist/). */
export const ROOT: string = (() => {
  const root = projectRoot();
  if (!root) throw new Error('cannot find the project folder');
  return root;
})();

export const quiet = (): void => {};

/** The bundled server, as `npm start` runs it. */
export const SERVER = join(ROOT, 'dist/server/main.mjs');

export interface SpawnedServer {
  child: ChildProcess;
  visitorUrl: string;
  agentUrl: string;
  port: number;
  /** The demo admin's password, when this start created the account (a data directory with no accounts). */
  adminPassword: string | null;
  /** Everything the server printed so far. */
  output(): string;
}

/** Runs the bundled server in a child process (killed by `t.after`); resolves once it printed its addresses. */
export function spawnServer(t: TestContext, env: Record<string, string>): Promise<SpawnedServer> {
  const child = spawn(process.execPath, [SERVER], {
    env: { ...process.env, HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.after(() => child.kill('SIGKILL'));
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start: ${output}`)), 10_000);
    const onData = (chunk: Buffer) => {
      output += chunk;
      const match = /widget socket: +(ws:\/\/\S+)/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      const visitorUrl = match[1];
      resolve({
        child,
        visitorUrl,
        agentUrl: visitorUrl.replace('/ws/visitor', '/ws/agent'),
        port: Number(new URL(visitorUrl).port),
        adminPassword: /sign in as admin with (\S+)/.exec(output)?.[1] ?? null,
        output: () => output,
      });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
    child.once('exit', (code, signal) => reject(new Error(`the server exited (${code ?? signal}): ${output}`)));
  });
}

/** Cheap password hashes: tests sign in hundreds of times. Production keeps SCRYPT_COST. */
export const TEST_PASSWORD_COST = { N: 1024, r: 8, p: 1 };

/**
 * A backend on 127.0.0.1 and a random port, in memory unless `dataDir` is given; closed by `t.after`. Tests sign
 * agents in often, so sign-in throttles are loose here unless a test sets `loginLimits`.
 */
export async function backend(t: TestContext, options: BackendOptions = {}): Promise<Backend> {
  const b = await startBackend(options);
  t.after(() => b.close());
  return b;
}

/** startBackend options for a test: what `backend()` uses (for tests that start and stop backends themselves). */
export function testOptions(options: BackendOptions = {}): BackendOptions {
  return {
    port: 0,
    host: '127.0.0.1',
    dataDir: null,
    staticRoot: null,
    warn: quiet,
    passwordCost: TEST_PASSWORD_COST,
    loginLimits: { perIp: { burst: 10_000, windowMs: 1000 }, perAccount: { burst: 10_000, windowMs: 1000 } },
    ...options,
    // Every test client comes from 127.0.0.1: per-address limits would count them all together.
    connectionRate: options.connectionRate ?? { burst: 100_000, windowMs: 1000 },
    limits: {
      newVisitorsPerIp: { burst: 100_000, windowMs: 1000 },
      newVisitorsPerSite: { burst: 100_000, windowMs: 1000 },
      callsPerIp: { burst: 100_000, windowMs: 1000 },
      ...options.limits,
    },
  };
}

/** Passwords of the accounts tests created, by account id (ids survive a restart on the same data directory). */
const passwords = new Map<string, string>();

/** The account named `name` on this backend: created on first use (login = the name in lower case, no spaces). */
export async function account(b: Backend, name: string, role: 'admin' | 'agent' = 'agent') {
  const found = b.accounts.list.find((a) => a.name === name);
  if (found && passwords.has(found.id)) return { account: found, password: passwords.get(found.id)! };
  if (found) throw new Error(`the account ${name} exists but its password is not known here`);
  const login = name.toLowerCase().replace(/\s+/g, '-');
  const created = await b.accounts.add({ login, name, role });
  passwords.set(created.account.id, created.password);
  return created;
}

/** POST /api/login; resolves with the response and the session cookie it set (`jivo_session=…`), if any. */
export async function login(
  url: string,
  body: object | string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: IncomingHttpHeaders; json: Frame; cookie: string | null }> {
  const res = await httpRequest(`${url}/api/login`, 'POST', {
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const setCookie = res.headers['set-cookie']?.[0];
  return {
    status: res.status,
    headers: res.headers,
    json: res.body ? JSON.parse(res.body) : null,
    cookie: setCookie && /^jivo_session=([^;]+)/.test(setCookie) ? setCookie.split(';')[0] : null,
  };
}

/** One HTTP request on its own connection (no pooling: tests restart servers on the same port). */
export function httpRequest(
  url: string,
  method: string,
  options: { headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: options.headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Signs the agent `name` in (creating the account on first use); resolves with the `Cookie` header to send. */
export async function signIn(b: Backend, name: string): Promise<string> {
  const { account: a, password } = await account(b, name);
  const res = await login(b.url, { login: a.login, password });
  if (res.status !== 200 || !res.cookie) throw new Error(`${name} could not sign in: ${res.status}`);
  return res.cookie;
}

/** An agent socket opened with `name`'s session, before hello. */
export async function agentSocket(t: TestContext | null, b: Backend, name = 'Alice'): Promise<Client> {
  return Client.open(t, b.agentUrl, { headers: { Cookie: await signIn(b, name) } });
}

export async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'jivo-backend-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

type Match = string | ((frame: Frame) => boolean);

/**
 * A WebSocket client that keeps every frame it receives. `next(type)` resolves with the first unread frame of that
 * type (or matching the predicate), waiting up to `ms`; `none(type, ms)` checks that no such frame arrives.
 */
export class Client {
  readonly ws: WebSocket;
  readonly frames: Frame[] = [];
  readonly waiters = new Set<() => boolean>();
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly opened: Promise<void>;

  static async open(t: TestContext | null | undefined, url: string, options?: ClientOptions): Promise<Client> {
    const client = new Client(url, options);
    t?.after(() => client.terminate());
    await client.opened;
    return client;
  }

  constructor(url: string, options?: ClientOptions) {
    this.ws = new WebSocket(url, options);
    this.closed = new Promise((resolve) =>
      this.ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    this.opened = new Promise((resolve, reject) => {
      this.ws.on('open', resolve);
      this.ws.on('error', reject);
    });
    this.ws.on('error', () => {});
    this.ws.on('message', (data, isBinary) => {
      this.frames.push(isBinary ? { type: '(binary)' } : JSON.parse(data.toString()));
      for (const w of this.waiters) w();
    });
  }

  send(frame: string | object): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  #matcher(what: Match): (frame: Frame) => boolean {
    return typeof what === 'function' ? what : (f) => f.type === what;
  }

  /** The oldest frame not yet taken that matches (a type or a predicate), waiting for it up to `ms`. */
  next(what: Match, ms = 2000): Promise<Frame> {
    const match = this.#matcher(what);
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const index = this.frames.findIndex((f) => !f.__taken && match(f));
        if (index === -1) return false;
        const frame = this.frames[index];
        Object.defineProperty(frame, '__taken', { value: true });
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve(frame);
        return true;
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(
          new Error(
            `no ${typeof what === 'string' ? what : 'matching'} frame within ${ms} ms; got ${JSON.stringify(this.frames)}`,
          ),
        );
      }, ms);
      if (!check()) this.waiters.add(check);
    });
  }

  /** Resolves after `ms` if no untaken frame matching `what` arrived; rejects with the frame otherwise. */
  async none(what: Match, ms = 200): Promise<void> {
    const match = this.#matcher(what);
    await new Promise((r) => setTimeout(r, ms));
    const found = this.frames.find((f) => !f.__taken && match(f));
    if (found) throw new Error(`unexpected frame ${JSON.stringify(found)}`);
  }

  /** Sends a frame and waits for the error it causes. */
  async expectError(frame: string | object, code?: string): Promise<Frame> {
    this.send(frame);
    const error = await this.next('error');
    if (code !== undefined && error.code !== code)
      throw new Error(`expected error ${code}, got ${JSON.stringify(error)}`);
    return error;
  }

  close(code?: number, reason?: string): Promise<{ code: number; reason: string }> {
    this.ws.close(code, reason);
    return this.closed;
  }

  terminate(): void {
    this.ws.terminate();
  }
}

let counter = 0;
export const uniqueId = (prefix = 'id'): string =>
  `${prefix}-${process.pid}-${++counter}-${Math.random().toString(36).slice(2, 8)}`;

export function hello(overrides: Record<string, unknown> = {}): Frame {
  return {
    type: 'hello',
    v: 1,
    widgetId: 'site',
    after: 0,
    page: { url: 'https://shop.example/catalog', title: 'Catalog' },
    department: null,
    lang: 'en',
    ...overrides,
  };
}

/**
 * A visitor socket that has said hello; resolves with the client, its welcome, and the hello as the widget would say
 * it next time: with the id the welcome issued (a hello without `visitorId` is a first visit).
 */
export async function visitor(
  t: TestContext | null,
  b: { visitorUrl: string },
  overrides: Record<string, unknown> = {},
): Promise<{ client: Client; welcome: Frame; hello: Frame }> {
  const frame = hello(overrides);
  const client = await Client.open(t, b.visitorUrl);
  client.send(frame);
  const welcome = await client.next('welcome');
  return { client, welcome, hello: { ...frame, visitorId: welcome.visitorId } };
}

/** An agent socket, signed in as `name`, that has said hello; resolves with the client and its welcome. */
export async function agent(
  t: TestContext | null,
  b: Backend,
  name = 'Alice',
  online = false,
): Promise<{ client: Client; welcome: Frame }> {
  const client = await agentSocket(t, b, name);
  client.send({ type: 'hello', v: 1, name, online });
  const welcome = await client.next('welcome');
  return { client, welcome };
}

/** The agent-side id of the visitor whose widget said this hello (from the agent's `visitor` frames). */
export async function visitorIdFor(agentClient: Client, number: number, widgetId = 'site'): Promise<string> {
  const frame = await agentClient.next(
    (f) => f.type === 'visitor' && f.visitor.number === number && f.visitor.widgetId === widgetId,
  );
  return frame.visitor.id;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * A new, empty PostgreSQL database on the test run's cluster (scripts/test-backend.mjs starts it), dropped after the
 * test; resolves with its connection string.
 */
export async function freshDatabase(t: TestContext): Promise<string> {
  const server = process.env.JIVO_TEST_POSTGRES;
  if (!server) throw new Error('JIVO_TEST_POSTGRES is not set: run the backend tests with scripts/test-backend.mjs');
  const name = `jivo_${process.pid}_${++databases}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  t.after(async () => {
    const c = new pg.Client({ connectionString: server });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).finally(() => c.end());
  });
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.href;
}
let databases = 0;
