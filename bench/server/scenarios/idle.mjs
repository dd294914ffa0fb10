// Idle sockets held: a fresh server, `sockets` new visitors that each say hello and then stay connected without a word
// (a page left open), held for `holdSeconds` (over 30 s, every socket answers one heartbeat ping). Per run: how many
// were welcomed and are still open at the end, the server's RSS before and after, and each socket's time from
// `new WebSocket` to its `welcome`.
//
// The visitors are opened by worker processes (bench/server/lib/idle-worker.mjs), at most WORKER_SOCKETS each, so that
// no generator process runs out of file descriptors; the server's own limit is what is measured.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { quantile } from '../../lib/stats.mjs';
import { addAgent, allowSites, startServer, withFileLimit } from '../lib/server-process.mjs';
import { freshSpace } from '../lib/stores.mjs';
import { ORIGIN, VISITORS_PER_ADDRESS, widgetIds } from '../lib/visitors.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Files a process needs beyond one per socket: the server's journal, accounts, stdio, listening socket, V8, libuv. */
export const FILES_MARGIN = 256;

/** Sockets per generator process: well under the common hard limits (this machine's is 20,000). */
const WORKER_SOCKETS = 8000;

const WORKER = fileURLToPath(new URL('../lib/idle-worker.mjs', import.meta.url));

/** A generator process with its share of the sockets; `ask(message, reply)` sends and waits for the reply's type. */
function startWorker(files) {
  const [command, args] = withFileLimit(files, process.execPath, [WORKER]);
  const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = once(child, 'exit');
  const ask = (message, reply) =>
    new Promise((resolve, reject) => {
      const onMessage = (m) => {
        if (m.type !== reply) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(m);
      };
      const onExit = (code) => reject(new Error(`a generator process exited (${code})`));
      child.on('message', onMessage);
      child.once('exit', onExit);
      child.send(message);
    });
  return {
    ask,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      await ask({ type: 'close' }, 'closed').catch(() => {});
      await exited;
    },
  };
}

export async function idleRun(store, { sockets, concurrency, holdSeconds, log }) {
  const space = await freshSpace(store);
  const { dataDir } = space;
  let server = null;
  const workers = [];
  try {
    await allowSites(store, dataDir, widgetIds(sockets), ORIGIN);
    // An account, as on a deployed server: without one, main.mjs makes the demo admin as it starts.
    await addAgent(store, dataDir);
    server = await startServer(store, { dataDir, files: sockets + FILES_MARGIN });
    if (server.fileLimit.soft < sockets + 20)
      log(
        `  the server may open ${server.fileLimit.soft} files (hard limit ${server.fileLimit.hard}), fewer than the ` +
          `${sockets} sockets and its own files: it can hold about ${server.fileLimit.soft - 20}`,
      );
    // Let start-up's garbage settle before the reading that everything is compared with.
    await sleep(1000);
    const rssBefore = server.rss();

    const count = Math.ceil(sockets / WORKER_SOCKETS);
    const share = Math.ceil(sockets / count);
    for (let k = 0; k < count; k++) workers.push(startWorker(share + FILES_MARGIN));
    const opened = await Promise.all(
      workers.map((w, k) =>
        w.ask(
          {
            type: 'open',
            url: server.visitorUrl,
            from: k * share,
            count: Math.min(share, sockets - k * share),
            concurrency: Math.max(1, Math.round(concurrency / count)),
          },
          'opened',
        ),
      ),
    );
    const welcomeMs = opened.flatMap((o) => o.welcomeMs);
    const failures = {};
    for (const o of opened) for (const [why, n] of Object.entries(o.failures)) failures[why] = (failures[why] ?? 0) + n;
    const welcomed = opened.reduce((a, o) => a + o.welcomed, 0);
    const openSeconds = Math.max(...opened.map((o) => o.seconds));
    log(
      `  ${welcomed} of ${sockets} welcomed in ${openSeconds.toFixed(1)} s by ${count} generator process(es)` +
        (Object.keys(failures).length ? `; not welcomed: ${JSON.stringify(failures)}` : ''),
    );
    await sleep(holdSeconds * 1000);
    const counts = await Promise.all(workers.map((w) => w.ask({ type: 'count' }, 'count')));
    const held = counts.reduce((a, c) => a + c.held, 0);
    const rssAfter = server.rss();
    const serverFiles = server.openFiles();
    log(`  ${held} held after ${holdSeconds} s; the server has ${serverFiles} files open`);
    return {
      sockets,
      held,
      welcomed,
      failures,
      openSeconds,
      openRate: welcomed / openSeconds,
      welcomeP50: quantile(welcomeMs, 0.5),
      welcomeP99: quantile(welcomeMs, 0.99),
      rssBefore,
      rssAfter,
      rssPerSocket: held ? (rssAfter - rssBefore) / held : NaN,
      serverFiles,
      serverFileLimit: server.fileLimit,
      generatorProcesses: count,
      generatorFileLimit: opened[0].fileLimit,
      addresses: Math.ceil(sockets / VISITORS_PER_ADDRESS),
      sites: widgetIds(sockets).length,
      warnings: server.warnings.slice(0, 20),
    };
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await server?.stop();
    await space.remove();
  }
}

export async function idleRuns(store, { runs, sockets, concurrency, holdSeconds, log }) {
  const results = [];
  for (let run = 0; run < runs; run++) {
    log(`idle: run ${run + 1} of ${runs}, ${sockets} sockets, held ${holdSeconds} s`);
    results.push(await idleRun(store, { sockets, concurrency, holdSeconds, log }));
  }
  return results;
}
