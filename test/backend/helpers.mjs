// Shared helpers for the backend tests: a backend on a random port, WebSocket clients that queue what they receive,
// and temp dirs that are removed afterwards. The tests run against the bundled server (npm test builds it first).
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

export { startBackend } from '../../dist/server/main.mjs';
import { startBackend } from '../../dist/server/main.mjs';

export const quiet = () => {};

/** The bundled server, as `npm start` runs it. */
export const SERVER = fileURLToPath(new URL('../../dist/server/main.mjs', import.meta.url));

/** Runs the bundled server in a child process (killed by `t.after`); resolves once it printed its addresses. */
export function spawnServer(t, env) {
  const child = spawn(process.execPath, [SERVER], {
    env: { ...process.env, HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.after(() => child.kill('SIGKILL'));
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start: ${output}`)), 10_000);
    const onData = (chunk) => {
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
      });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('exit', (code, signal) => reject(new Error(`the server exited (${code ?? signal}): ${output}`)));
  });
}

/** A backend on 127.0.0.1 and a random port, in memory unless `dataDir` is given; closed by `t.after`. */
export async function backend(t, options = {}) {
  const b = await startBackend({
    port: 0,
    host: '127.0.0.1',
    dataDir: null,
    staticRoot: null,
    warn: quiet,
    ...options,
  });
  t.after(() => b.close());
  return b;
}

export async function tempDir(t) {
  const dir = await mkdtemp(join(tmpdir(), 'jivo-backend-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * A WebSocket client that keeps every frame it receives. `next(type)` resolves with the first unread frame of that
 * type (or matching the predicate), waiting up to `ms`; `none(type, ms)` checks that no such frame arrives.
 */
export class Client {
  /** @param {string} url */
  static async open(t, url, options) {
    const client = new Client(url, options);
    t?.after(() => client.terminate());
    await client.opened;
    return client;
  }

  constructor(url, options) {
    this.ws = new WebSocket(url, options);
    this.frames = [];
    this.waiters = new Set();
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

  send(frame) {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  #matcher(what) {
    return typeof what === 'function' ? what : (f) => f.type === what;
  }

  /** The oldest frame not yet taken that matches (a type or a predicate), waiting for it up to `ms`. */
  next(what, ms = 2000) {
    const match = this.#matcher(what);
    return new Promise((resolve, reject) => {
      const check = () => {
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
  async none(what, ms = 200) {
    const match = this.#matcher(what);
    await new Promise((r) => setTimeout(r, ms));
    const found = this.frames.find((f) => !f.__taken && match(f));
    if (found) throw new Error(`unexpected frame ${JSON.stringify(found)}`);
  }

  /** Sends a frame and waits for the error it causes. */
  async expectError(frame, code) {
    this.send(frame);
    const error = await this.next('error');
    if (code !== undefined && error.code !== code)
      throw new Error(`expected error ${code}, got ${JSON.stringify(error)}`);
    return error;
  }

  close(code, reason) {
    this.ws.close(code, reason);
    return this.closed;
  }

  terminate() {
    this.ws.terminate();
  }
}

let counter = 0;
export const uniqueId = (prefix = 'id') =>
  `${prefix}-${process.pid}-${++counter}-${Math.random().toString(36).slice(2, 8)}`;

export function hello(overrides = {}) {
  return {
    type: 'hello',
    v: 1,
    widgetId: 'site',
    visitorId: uniqueId('visitor'),
    after: 0,
    page: { url: 'https://shop.example/catalog', title: 'Catalog' },
    department: null,
    lang: 'en',
    ...overrides,
  };
}

/** A visitor socket that has said hello; resolves with the client and its welcome. */
export async function visitor(t, b, overrides = {}) {
  const frame = hello(overrides);
  const client = await Client.open(t, b.visitorUrl);
  client.send(frame);
  const welcome = await client.next('welcome');
  return { client, welcome, hello: frame };
}

/** An agent socket that has said hello; resolves with the client and its welcome. */
export async function agent(t, b, name = 'Alice', online = false) {
  const client = await Client.open(t, b.agentUrl);
  client.send({ type: 'hello', v: 1, name, online });
  const welcome = await client.next('welcome');
  return { client, welcome };
}

/** The agent-side id of the visitor whose widget said this hello (from the agent's `visitor` frames). */
export async function visitorIdFor(agentClient, number, widgetId = 'site') {
  const frame = await agentClient.next(
    (f) => f.type === 'visitor' && f.visitor.number === number && f.visitor.widgetId === widgetId,
  );
  return frame.visitor.id;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Imports TypeScript modules of the repository that the built server does not export (validators, journal checks),
 * bundled on the fly as the build bundles them. `contents` is an ES module re-exporting what the test needs, with paths
 * relative to the repository root, e.g. "export { checkRecord } from './server/state.ts';".
 */
export async function importSource(contents) {
  const { build } = await import('esbuild');
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const result = await build({
    stdin: { contents, resolveDir: root, loader: 'ts' },
    tsconfig: join(root, 'tsconfig.server.json'),
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    write: false,
    logLevel: 'silent',
  });
  return import(`data:text/javascript;base64,${Buffer.from(result.outputFiles[0].text).toString('base64')}`);
}
