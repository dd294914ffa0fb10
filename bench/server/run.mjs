// The server bench: what a chat server node holds and how fast it answers, alone and several on one database, and what
// survives nodes killed under load (docs/bench.md, "Server").
//   npm run bench:server                       the quick bench (a laptop's worth; about two minutes)
//   npm run bench:server -- --full             the sizes: 20,000 idle sockets, 10^5 and 10^6 stored messages
//   npm run bench:server -- --only idle,startup   some scenarios: idle, throughput, startup, cluster, chaos
//   npm run bench:server -- --store postgres   the store the server runs on: journal (the default) or postgres
//   npm run bench:server -- --store postgres --pool 50   each server's DATABASE_POOL_SIZE (default: the server's, 10)
//   npm run bench:server -- --store postgres --only cluster,chaos --nodes 3 --cluster-rates 250,1000 --consoles 1
//   npm run bench:server -- --only chaos --visitors 300 --chaos-seconds 60 --kill-every 5
//   npm run bench:server -- --runs 5 --sockets 5000 --rates 1000,5000 --seconds 10 --sizes 100000 --no-agent
//   npm run bench:server -- --markdown         also print the table as Markdown (for docs/bench.md)
//   npm run bench:server -- --json out.json    where the results go (default bench/results/server-latest.json)
//
// It builds the server (scripts/build.mjs), then starts `node dist/server/main.mjs` in processes of its own, each with
// a temporary data directory (and with --store postgres a database of a throwaway cluster started for the run), and
// drives them with Node `ws` clients from this process. Figures are reported, never
// asserted: the exit code is 0 whatever they are (and 1 only when the bench itself could not run).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { FILES_MARGIN, idleRuns } from './scenarios/idle.mjs';
import { throughputRuns } from './scenarios/throughput.mjs';
import { startupRuns } from './scenarios/startup.mjs';
import { clusterRuns } from './scenarios/cluster.mjs';
import { chaosRuns } from './scenarios/chaos.mjs';
import { fileLimit, fileSystemOf, pressure } from './lib/proc.mjs';
import { store as pickStore } from './lib/stores.mjs';
import { withFileLimit } from './lib/server-process.mjs';
import { buildRows } from './rows.mjs';
import { formatMarkdown, formatTable } from './lib/table.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const SCENARIOS = ['idle', 'throughput', 'startup', 'cluster', 'chaos'];

const { values: args } = parseArgs({
  options: {
    full: { type: 'boolean', default: false },
    only: { type: 'string' },
    store: { type: 'string', default: 'journal' },
    runs: { type: 'string' },
    sockets: { type: 'string' },
    concurrency: { type: 'string', default: '50' },
    hold: { type: 'string' },
    rates: { type: 'string' },
    seconds: { type: 'string' },
    sizes: { type: 'string' },
    nodes: { type: 'string' },
    'cluster-rates': { type: 'string' },
    consoles: { type: 'string' },
    visitors: { type: 'string' },
    'chaos-seconds': { type: 'string' },
    'kill-every': { type: 'string' },
    'no-agent': { type: 'boolean', default: false },
    pool: { type: 'string' },
    json: { type: 'string', default: join(root, 'bench/results/server-latest.json') },
    markdown: { type: 'boolean', default: false },
  },
});

const whole = (name, value, fallback) => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} takes a whole number, not ${value}`);
  return n;
};
const list = (name, value, fallback) =>
  value === undefined ? fallback : value.split(',').map((v) => whole(name, Number(v.trim())));

const store = pickStore(args.store);
// PostgreSQL: the connections each server process opens (DATABASE_POOL_SIZE; the server's default when not given).
if (args.pool !== undefined) store.poolSize = whole('pool', args.pool);
// Several server processes on one store need a store they can share: with the journal, cluster has nothing to add to
// throughput, so it runs only when asked for.
const only = new Set(
  args.only ? args.only.split(',').map((s) => s.trim()) : SCENARIOS.filter((s) => store.shared || s !== 'cluster'),
);
for (const s of only)
  if (!SCENARIOS.includes(s)) throw new Error(`--only: unknown scenario ${s} (${SCENARIOS.join(', ')})`);
const full = args.full;
const runs = whole('runs', args.runs, undefined);

// The quick plan exercises every path in a couple of minutes; the full one is the issue's.
const plan = {
  idle: {
    runs: runs ?? 3,
    sockets: whole('sockets', args.sockets, full ? 20_000 : 2_000),
    concurrency: whole('concurrency', args.concurrency, 50),
    holdSeconds: whole('hold', args.hold, full ? 35 : 3),
  },
  throughput: {
    runs: runs ?? (full ? 3 : 1),
    rates: list('rates', args.rates, [1000, 2000, 4000, 5000]),
    seconds: whole('seconds', args.seconds, full ? 20 : 5),
    warmupSeconds: full ? 3 : 2,
    withAgent: !args['no-agent'],
    concurrency: whole('concurrency', args.concurrency, 50),
  },
  startup: {
    runs: runs ?? (full ? 5 : 3),
    sizes: list('sizes', args.sizes, full ? [100_000, 1_000_000] : [100_000]),
    visitors: 10_000,
  },
  cluster: {
    runs: runs ?? (full ? 3 : 1),
    nodes: whole('nodes', args.nodes, 3),
    rates: list('cluster-rates', args['cluster-rates'], [1000]),
    seconds: whole('seconds', args.seconds, full ? 20 : 5),
    warmupSeconds: full ? 3 : 2,
    consoles: whole('consoles', args.consoles, 1),
    concurrency: whole('concurrency', args.concurrency, 50),
  },
  chaos: {
    runs: runs ?? (full ? 3 : 1),
    nodes: whole('nodes', args.nodes, 3),
    visitors: whole('visitors', args.visitors, full ? 300 : 100),
    seconds: whole('chaos-seconds', args['chaos-seconds'], full ? 60 : 20),
    killEvery: whole('kill-every', args['kill-every'], 5),
    settleSeconds: 60,
    concurrency: whole('concurrency', args.concurrency, 50),
  },
};

const started = Date.now();
const log = (message) =>
  console.error(`[bench:server ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}`);

/**
 * Every socket is a file descriptor here too: the throughput scenario's visitors and agent live in this process (the
 * idle scenario's in generator processes of their own, bench/server/scenarios/idle.mjs). When this process may open
 * fewer files than that, it starts itself again under a higher limit (withFileLimit), once; when even that cannot
 * raise it (not root and a low hard limit), it says so and goes on.
 */
function ensureFileLimit() {
  const needed =
    Math.max(
      only.has('throughput') ? Math.max(...plan.throughput.rates) : 0,
      only.has('cluster') ? Math.max(...plan.cluster.rates) + plan.cluster.consoles : 0,
      only.has('chaos') ? plan.chaos.visitors * 2 : 0,
    ) + FILES_MARGIN;
  const { soft, hard } = fileLimit();
  if (soft >= needed) return { soft, hard, needed };
  if (process.env.JIVO_BENCH_FILES_RAISED) {
    console.error(
      `bench:server: this process may open ${soft} files (ulimit -n; hard limit ${hard}) but needs ${needed}, one per ` +
        'socket. Sockets past the limit fail with EMFILE; raise the hard limit (as root: ulimit -Hn) to measure them.',
    );
    return { soft, hard, needed };
  }
  const [command, argv] = withFileLimit(needed, process.execPath, [
    fileURLToPath(import.meta.url),
    ...process.argv.slice(2),
  ]);
  const child = spawnSync(command, argv, { stdio: 'inherit', env: { ...process.env, JIVO_BENCH_FILES_RAISED: '1' } });
  process.exit(child.status ?? 1);
}

async function main() {
  const files = ensureFileLimit();
  log('building (scripts/build.mjs)');
  execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: 'inherit' });
  const meta = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: `${cpus().length} x ${cpus()[0]?.model ?? '?'}`,
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GB`,
    store: store.name,
    dataDirs: `${tmpdir()}: ${fileSystemOf(tmpdir())}`,
    benchFileLimit: files,
    loadavgAtStart: loadavg(),
    pressureAtStart: pressure(),
    full,
    plan,
  };
  log(`store: ${store.describe}; data directories in ${meta.dataDirs}`);
  // The store's own processes (a PostgreSQL cluster) live as long as the bench, and no longer: Ctrl-C removes them.
  for (const signal of ['SIGINT', 'SIGTERM'])
    process.once(signal, () => {
      store.teardown?.();
      process.exit(130);
    });
  await store.setup?.();
  const raw = {};
  try {
    if (only.has('idle')) raw.idle = await idleRuns(store, { ...plan.idle, log });
    if (only.has('throughput')) raw.throughput = await throughputRuns(store, { ...plan.throughput, log });
    if (only.has('startup')) raw.startup = await startupRuns(store, { ...plan.startup, log });
    if (only.has('cluster')) raw.cluster = await clusterRuns(store, { ...plan.cluster, log });
    if (only.has('chaos')) raw.chaos = await chaosRuns(store, { ...plan.chaos, log });
  } finally {
    store.teardown?.();
  }

  meta.loadavgAtEnd = loadavg();
  meta.pressureAtEnd = pressure();
  meta.seconds = Math.round((Date.now() - started) / 1000);
  const rows = buildRows(raw, plan);
  const avg = (l) => l.map((x) => x.toFixed(1)).join(' ');
  console.log(
    `\njivo-widget server bench (${full ? 'full' : 'quick'}), store ${store.name}, ${meta.date}, Node ${meta.node}, ` +
      `${meta.cpus}, ${meta.memory}`,
  );
  console.log(
    `load average ${avg(meta.loadavgAtStart)} at start, ${avg(meta.loadavgAtEnd)} at end; CPU pressure (PSI some ` +
      `avg10) ${meta.pressureAtStart.cpu}% at start, ${meta.pressureAtEnd.cpu}% at end; ${meta.seconds} s; ` +
      `data directories on ${meta.dataDirs}\n`,
  );
  console.log(formatTable(rows));
  if (args.markdown) console.log(`\n${formatMarkdown(rows)}`);
  const out = resolve(args.json);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify({ meta, rows, raw }, null, 2)}\n`);
  console.log(`\nResults: ${out}`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
