// Start-up against stored history: a data directory holding `size` messages across `visitors` visitors, written by the
// store itself (bench/server/lib/stores.mjs) in the server's own format, plus an agent account and the sites (as on
// a deployed server, so that start-up does not make the demo admin). Each run spawns the server and times, from the
// spawn: the banner that says it listens, and the `welcome` to a visitor of the history who says hello as soon as
// it listens (a returning visitor with `after: 0`: the welcome carries its stored messages, which the bench checks).
// Then the CPU time the server used to get there, how long its main thread waited for a core that other processes held,
// the server's peak RSS (VmHWM) and RSS, and the server is stopped. The history is written once per size; each
// run appends one `update` record (the hello) to it. The files are in the page cache by then (written just before),
// so this is a warm start: the bench does not drop the machine's caches.
import { addAgent, allowSites, startServer } from '../lib/server-process.mjs';
import { freshSpace } from '../lib/stores.mjs';
import { ORIGIN, openVisitors } from '../lib/visitors.mjs';

const HISTORY_SITES = Array.from({ length: 10 }, (_, k) => `bench-${k}`);

export async function startupRuns(store, { runs, sizes, visitors, log }) {
  const results = {};
  for (const size of sizes) {
    const space = await freshSpace(store);
    const { dataDir } = space;
    try {
      await allowSites(store, dataDir, HISTORY_SITES, ORIGIN);
      await addAgent(store, dataDir);
      const t0 = performance.now();
      const history = await store.writeHistory(dataDir, {
        visitors,
        messages: size,
        widgetIds: HISTORY_SITES,
        agentName: 'Bench Agent',
        origin: ORIGIN,
      });
      log(
        `start-up: ${size.toLocaleString('en-US')} messages across ${visitors.toLocaleString('en-US')} visitors, ` +
          `${(history.bytes / 1048576).toFixed(0)} MB, written in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
      );
      const list = [];
      for (let run = 0; run < runs; run++) {
        const server = await startServer(store, { dataDir });
        try {
          const opened = await openVisitors(server.visitorUrl, {
            count: 1,
            concurrency: 1,
            hello: { widgetId: history.sample.widgetId, visitorId: history.sample.visitorId },
          });
          const welcomedAt = performance.now();
          // Both count from the spawn: the process is new.
          const cpu = server.cpuMs();
          const waited = server.runQueueWaitMs();
          const visitor = opened.visitors[0];
          if (!visitor) throw new Error(`the history's visitor was not welcomed: ${JSON.stringify(opened.failures)}`);
          const skipped = server.warnings.filter((w) => /skipped/.test(w));
          if (skipped.length) throw new Error(`the server skipped stored records:\n${skipped.join('\n')}`);
          const welcomeMessages = visitor.welcome.messages.length;
          if (welcomeMessages !== history.sample.messages)
            throw new Error(`the welcome carried ${welcomeMessages} messages, not ${history.sample.messages}`);
          const r = {
            listeningMs: server.listeningAt - server.spawnedAt,
            welcomeMs: welcomedAt - server.spawnedAt,
            cpuMs: cpu,
            waitedMs: waited,
            peakRss: server.peakRss(),
            rss: server.rss(),
            welcomeMessages,
          };
          log(
            `  run ${run + 1} of ${runs}: listening after ${r.listeningMs.toFixed(0)} ms, welcome after ` +
              `${r.welcomeMs.toFixed(0)} ms, peak RSS ${(r.peakRss / 1048576).toFixed(0)} MB`,
          );
          list.push(r);
          visitor.ws.terminate();
        } finally {
          await server.stop();
        }
      }
      results[size] = { size, visitors, bytes: history.bytes, records: history.records, runs: list };
    } finally {
      await space.remove();
    }
  }
  return results;
}
