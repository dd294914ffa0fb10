#!/usr/bin/env node
// The performance bench (issue 5): `npm run bench`. docs/bench.md explains every figure.
//
//   npm run bench                       all figures, 7 runs each (slow figures stop early, see `rounds`)
//   npm run bench -- --runs 3           fewer runs (load and opening do exactly these, whatever their time budgets)
//   npm run bench -- --quick            a smoke run: 1 run, small sizes, short idle (a minute or two)
//   npm run bench -- --only load,idle   some sections: bytes, load, open, idle, throughput, memory
//   npm run bench -- --json out.json    where the results go (default bench/results/latest.json)
//   npm run bench -- --markdown         also print the table as Markdown (for docs/bench.md)
//   npm run bench -- --only load --against ../other/dist
//                                       also loads another build of the widget (a dist/ folder) in the same rounds,
//                                       interleaved with this one: a change measured against what it changes
//
// Drives the machine's Chromium (CHROME_PATH or /usr/bin/chromium) with puppeteer-core against pages served from
// localhost, with the reference backend (dist/server/main.mjs) in a child process. Builds dist/ first if it is missing.
// Timings are reported, never asserted: the exit code is 0 whatever the figures are.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildFloor, prepare, startBenchEnv } from './lib/env.mjs';
import { formatMarkdown, formatTable } from './lib/report.mjs';
import { bundleSizes, groupSizes, sizes } from './figures/bytes.mjs';
import { loadRuns } from './figures/load.mjs';
import { openRuns } from './figures/open.mjs';
import { idleRuns } from './figures/idle.mjs';
import { throughputRuns } from './figures/throughput.mjs';
import { memoryRuns } from './figures/memory.mjs';
import { buildRows } from './rows.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const SECTIONS = ['bytes', 'load', 'open', 'idle', 'throughput', 'memory'];

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string' },
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    json: { type: 'string', default: join(root, 'bench/results/latest.json') },
    markdown: { type: 'boolean', default: false },
    against: { type: 'string' },
  },
});
const runs = Number(args.runs ?? (args.quick ? 1 : 7));
const against = args.against ? resolve(args.against) : undefined;
if (against && !existsSync(join(against, 'jivo-widget.js')))
  throw new Error(`--against: ${against} has no jivo-widget.js (give a built dist/ folder)`);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs takes a whole number, not ${args.runs}`);
const only = new Set(args.only ? args.only.split(',').map((s) => s.trim()) : SECTIONS);
for (const s of only)
  if (!SECTIONS.includes(s)) throw new Error(`--only: unknown section ${s} (${SECTIONS.join(', ')})`);

// How much each section does. The quick settings exercise every path; the full ones are the issue's.
const plan = args.quick
  ? {
      load: { runs, min: 1 },
      open: { runs, min: 1, sizes: [0, 100], big: 500, bigRuns: 1 },
      idleSeconds: 2,
      idleRuns: 1,
      burst: 50,
      burstRuns: 1,
      burstCutoffMs: 20_000,
      cycles: 10,
      warmup: 20,
      memoryRuns: 1,
    }
  : {
      // The budgets keep the default run within minutes; a number of runs asked for is what load and opening do, so
      // that an A/B run (--against) gets the rounds it needs to separate two builds.
      load: { runs, min: args.runs ? runs : Math.min(runs, 3), budgetMs: 50_000 },
      open: {
        runs,
        min: args.runs ? runs : Math.min(runs, 3),
        budgetMs: 60_000,
        sizes: [0, 1000],
        big: 10_000,
        bigRuns: Math.min(runs, 3),
        bigBudgetMs: 30_000,
      },
      idleSeconds: 10,
      idleRuns: Math.min(runs, 2),
      burst: 1000,
      burstRuns: Math.min(runs, 3),
      burstBudgetMs: 60_000,
      burstCutoffMs: 45_000,
      cycles: 100,
      warmup: 20,
      memoryRuns: Math.min(runs, 3),
      memoryBudgetMs: 20_000,
    };

const log = (message) =>
  console.error(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${message}`);
const started = Date.now();

async function main() {
  prepare(root, log);
  const cache = join(root, 'node_modules/.cache/jivo-bench');
  const floorFile = await buildFloor(root, cache);
  const raw = { bytes: { bundles: bundleSizes(root), groups: groupSizes(root), floor: sizes(floorFile) } };
  const meta = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: `${cpus().length} x ${cpus()[0]?.model ?? '?'}`,
    loadavgAtStart: loadavg(),
    runs,
    quick: args.quick,
    plan,
  };

  const env = await startBenchEnv({ root, floorDir: cache, against, log });
  try {
    meta.chromium = await env.browser.version();

    if (only.has('load')) {
      raw.load = {};
      for (const rate of [1, 4]) raw.load[rate] = await loadRuns(env, { rate, ...plan.load, against: !!against, log });
    }
    if (only.has('open')) {
      raw.open = {};
      for (const rate of [1, 4]) raw.open[rate] = await openRuns(env, { rate, ...plan.open, log });
      // The big history at 1x only (its target is at 1x), and as many runs as fit its budget.
      raw.openBig = await openRuns(env, {
        rate: 1,
        runs: plan.open.bigRuns,
        budgetMs: plan.open.bigBudgetMs,
        sizes: [plan.open.big],
        log,
      });
    }
    if (only.has('idle')) raw.idle = await idleRuns(env, { runs: plan.idleRuns, seconds: plan.idleSeconds, log });
    if (only.has('throughput'))
      raw.throughput = await throughputRuns(env, {
        runs: plan.burstRuns,
        budgetMs: plan.burstBudgetMs,
        count: plan.burst,
        cutoffMs: plan.burstCutoffMs,
        log,
      });
    if (only.has('memory'))
      raw.memory = await memoryRuns(env, {
        runs: plan.memoryRuns,
        budgetMs: plan.memoryBudgetMs,
        cycles: plan.cycles,
        warmup: plan.warmup,
        log,
      });
  } finally {
    await env.close();
  }

  meta.loadavgAtEnd = loadavg();
  meta.seconds = Math.round((Date.now() - started) / 1000);
  const rows = buildRows(raw, plan, only);
  console.log(`\njivo-widget bench, ${meta.date}, ${meta.chromium}, Node ${meta.node}, ${meta.cpus}`);
  console.log(
    `load average ${meta.loadavgAtStart.map((l) => l.toFixed(1)).join(' ')} at start, ${meta.loadavgAtEnd.map((l) => l.toFixed(1)).join(' ')} at end; ${meta.seconds} s\n`,
  );
  console.log(formatTable(rows));
  if (args.markdown) console.log(`\n${formatMarkdown(rows)}`);
  const idleSources = Object.entries(raw.idle ?? {}).flatMap(([scenario, sessions]) =>
    sessions.flatMap((s) => Object.entries(s.sources).map(([where, n]) => `  ${scenario}: ${n} x ${where}`)),
  );
  if (idleSources.length) console.log(`\nWhat ran while idle:\n${[...new Set(idleSources)].join('\n')}`);

  const out = resolve(args.json);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify({ meta, rows, raw }, null, 2)}\n`);
  console.log(`\nResults: ${out}`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
