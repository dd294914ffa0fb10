// The chat server as the bench runs it: `node dist/server/main.mjs` in a process of its own, configured only through
// its environment (server/main.ts), as a deployment would be. One function builds that environment for a store
// (`serverEnv`); nothing else here knows where the server keeps its data.
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { cpuMs, fileLimit, openFiles, peakRss, rss, runQueueWaitMs } from './proc.mjs';

const root = fileURLToPath(new URL('../../..', import.meta.url));
export const MAIN = join(root, 'dist/server/main.mjs');

/**
 * The environment of server process `node` (0, 1, … when several share a store) for `store`
 * (bench/server/lib/stores.mjs) and `dataDir`: loopback, a free port, and the production setting that refuses widget
 * ids no site lists (docs/deploy.md, checklist). Nothing is inherited from the bench's own environment but PATH, so
 * that a WEBHOOK_URLS or PORT set in the shell cannot change what is measured.
 */
export function serverEnv(store, { dataDir, node = 0 }) {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOST: '127.0.0.1',
    PORT: '0',
    REGISTERED_SITES_ONLY: '1',
    ...store.env({ dataDir, node }),
  };
}

/**
 * `command args…` under `sh -c 'ulimit -n <files>'`: each socket is a file descriptor, and the common default of 1,024
 * (or this machine's 20,000) is less than the sockets the bench opens. Raising the hard limit needs root (or
 * CAP_SYS_RESOURCE); without it the soft limit goes up to the hard one, and the caller reads what it got from /proc.
 */
export function withFileLimit(files, command, args) {
  const script = `ulimit -n ${files} 2>/dev/null || ulimit -S -n "$(ulimit -H -n)" 2>/dev/null; exec "$@"`;
  return ['/bin/sh', ['-c', script, 'sh', command, ...args]];
}

const execFileAsync = promisify(execFile);

/** Runs `main.mjs <args>` (the `agents` and `sites` commands) on the store; resolves to what it printed. */
export async function serverCommand(store, dataDir, args) {
  const { stdout } = await execFileAsync(process.execPath, [MAIN, ...args], { env: serverEnv(store, { dataDir }) });
  return stdout;
}

/** Makes the bench agent's account; resolves to `{ login, password }`. */
export async function addAgent(store, dataDir, login = 'bench', name = 'Bench Agent') {
  const out = await serverCommand(store, dataDir, ['agents', 'add', login, name]);
  const password = /^password: (\S+)$/m.exec(out)?.[1];
  if (!password) throw new Error(`agents add printed no password:\n${out}`);
  return { login, password };
}

/** Lists each widget id with the bench's page origin (sites.json), as an admin does with `sites allow`. */
export async function allowSites(store, dataDir, widgetIds, origin) {
  for (const id of widgetIds) await serverCommand(store, dataDir, ['sites', 'allow', id, origin]);
}

/**
 * Starts server process `node` (see serverEnv) and resolves once it prints where it listens. The returned handle says
 * when that was (`spawnedAt`, `listeningAt`: performance.now() times), reads the process's memory and CPU time, and
 * collects what the server wrote to stderr (`warnings`: a journal line it skipped shows up there).
 */
export async function startServer(store, { dataDir, node = 0, files = 4096, timeoutMs = 120_000 }) {
  const [command, args] = withFileLimit(files, process.execPath, [MAIN]);
  const spawnedAt = performance.now();
  const child = spawn(command, args, { env: serverEnv(store, { dataDir, node }), stdio: ['ignore', 'pipe', 'pipe'] });
  const warnings = [];
  createInterface({ input: child.stderr }).on('line', (line) => warnings.push(line));
  const exited = once(child, 'exit');
  const listening = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not listen within ${timeoutMs} ms`)), timeoutMs);
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const match = /^listening on:\s+(\S+):(\d+)/.exec(line);
      if (!match) return;
      clearTimeout(timer);
      resolve({ at: performance.now(), host: match[1], port: Number(match[2]) });
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code ?? signal}) before it listened:\n${warnings.join('\n')}`));
    });
  });
  const authority = `${listening.host}:${listening.port}`;
  const pid = child.pid;
  return {
    pid,
    node,
    spawnedAt,
    listeningAt: listening.at,
    url: `http://${authority}`,
    visitorUrl: `ws://${authority}/ws/visitor`,
    agentUrl: `ws://${authority}/ws/agent`,
    warnings,
    fileLimit: fileLimit(pid),
    rss: () => rss(pid),
    peakRss: () => peakRss(pid),
    cpuMs: () => cpuMs(pid),
    runQueueWaitMs: () => runQueueWaitMs(pid),
    openFiles: () => openFiles(pid),
    /** Whether the process is still running. */
    get alive() {
      return child.exitCode === null && child.signalCode === null;
    },
    /** SIGKILL, as a crash or the kernel's OOM killer ends it (nothing is closed cleanly), then waits for the end. */
    async kill() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    },
    /** SIGTERM (the server closes its sockets and its store), then waits for the process to end. */
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}
