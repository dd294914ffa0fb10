// The reference backend in a child process (backend-child.mjs), and an agent that talks to it over the agent protocol
// (server/agent-protocol.ts), as the agent console and test/helpers/agent-client.ts do.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

/** Starts the backend; resolves to `{ url, visitorUrl, agentUrl, agentLogin, close() }`. */
export async function startBackendProcess() {
  const dataDir = mkdtempSync(join(tmpdir(), 'jivo-bench-backend-'));
  const child = spawn(process.execPath, [fileURLToPath(new URL('./backend-child.mjs', import.meta.url)), dataDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the backend exited (${code}) before it started`)));
    createInterface({ input: child.stdout }).once('line', resolve);
  });
  const info = JSON.parse(line);
  return {
    ...info,
    async close() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Wall-clock milliseconds with sub-millisecond precision; the browser's timeOrigin + now() reads the same clock. */
export const wallNow = () => performance.timeOrigin + performance.now();

/**
 * An online agent. `onFrame` listeners see every frame with the time it arrived (taken before parsing, so a burst's
 * latency is not charged for the agent's own JSON work).
 */
export class Agent {
  /** @type {Array<(frame: any, at: number) => void>} */
  listeners = [];
  visitors = new Map();

  /** Signs in with `agentLogin` ({ login, password }) as a console does, then opens the agent socket with the session. */
  static async connect(url, agentLogin) {
    const agent = new Agent();
    const res = await fetch(url.replace(/^ws/, 'http').replace(/\/ws\/agent$/, '/api/login'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(agentLogin),
    });
    const cookie = res.headers.get('set-cookie')?.split(';')[0];
    if (res.status !== 200 || !cookie) throw new Error(`the bench agent could not sign in: ${res.status}`);
    const ws = new WebSocket(url, { headers: { Cookie: cookie } });
    agent.ws = ws;
    ws.on('message', (data) => {
      const at = wallNow();
      const frame = JSON.parse(String(data));
      if (frame.type === 'welcome') for (const v of frame.visitors) agent.visitors.set(v.id, v);
      if (frame.type === 'visitor') agent.visitors.set(frame.visitor.id, frame.visitor);
      for (const listener of agent.listeners) listener(frame, at);
    });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const welcomed = agent.next((f) => f.type === 'welcome');
    agent.send({ type: 'hello', v: 1, online: true });
    await welcomed;
    return agent;
  }

  send(frame) {
    this.ws.send(JSON.stringify(frame));
  }

  /** Resolves with the first frame matching `test` (from now on). */
  next(test, timeoutMs = 10_000) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners = this.listeners.filter((l) => l !== listener);
        reject(new Error('the agent waited too long for a frame'));
      }, timeoutMs);
      const listener = (frame, at) => {
        if (!test(frame)) return;
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== listener);
        resolve({ frame, at });
      };
      this.listeners.push(listener);
    });
  }

  /** The online visitor of widget `widgetId` (the bench opens one page per widget id at a time). */
  async visitorOf(widgetId) {
    const find = () => [...this.visitors.values()].find((v) => v.widgetId === widgetId && v.online);
    if (!find()) await this.next(() => find() !== undefined);
    return find().id;
  }

  close() {
    this.ws.close();
  }
}
