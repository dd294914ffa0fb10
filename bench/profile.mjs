#!/usr/bin/env node
// Where the main thread's time goes while a bench page loads: `npm run bench:profile`. docs/bench.md has examples.
//
//   npm run bench:profile                          the widget page at 4x CPU, 3 fresh visitors, each loading it cold
//                                                  then warm, profiled until it has settled (as `npm run bench` loads)
//   npm run bench:profile -- --page floor          the floor page (or none: the host page without a widget)
//   npm run bench:profile -- --until visible       only until the launcher is visible and the load event has passed
//   npm run bench:profile -- --rate 1 --runs 5 --top 40
//   npm run bench:profile -- --json /tmp/profile.json   also write the whole tables
//
// Each sample is mapped through the built files' source maps to its source module (src/…, node_modules/…), so the
// tables read as the code does. Sampling slows the page a little: the times are for comparing parts, not for targets
// (those are `npm run bench`'s).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadSettled, PAGES, toBlank } from './figures/load.mjs';
import { freshPage } from './lib/browser.mjs';
import { buildFloor, prepare, startBenchEnv } from './lib/env.mjs';
import { meanOf, profileLoad, sourceResolver, summarize } from './lib/profile.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values: args } = parseArgs({
  options: {
    page: { type: 'string', default: 'widget' },
    rate: { type: 'string', default: '4' },
    runs: { type: 'string', default: '3' },
    until: { type: 'string', default: 'settled' },
    top: { type: 'string', default: '25' },
    json: { type: 'string' },
  },
});
const rate = Number(args.rate);
const runs = Number(args.runs);
const top = Number(args.top);
if (!['widget', 'floor', 'none'].includes(args.page))
  throw new Error(`--page: widget, floor or none, not ${args.page}`);
if (!['settled', 'visible'].includes(args.until)) throw new Error(`--until: settled or visible, not ${args.until}`);
for (const [name, value] of Object.entries({ rate, runs, top }))
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} takes a whole number, not ${args[name]}`);

const started = Date.now();
const log = (message) =>
  console.error(`[profile ${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${message}`);

const ms = (x) => `${x.toFixed(1)} ms`.padStart(10);

function print(kind, mean) {
  console.log(
    `\n${kind}, ${rate}x CPU, mean of ${mean.loads} loads until ${args.until}: main thread busy ${mean.busy.toFixed(0)} ms, idle ${mean.idle.toFixed(0)} ms`,
  );
  for (const [title, table] of [
    ['by source module', mean.bySource],
    ['by function', mean.byFunction],
  ]) {
    console.log(`  ${title}:`);
    for (const [key, value] of table.slice(0, top))
      console.log(`${ms(value)} ${((100 * value) / mean.busy).toFixed(1).padStart(5)}%  ${key}`);
  }
}

async function main() {
  prepare(root, log);
  const floorDir = join(root, 'node_modules/.cache/jivo-bench');
  await buildFloor(root, floorDir);
  const env = await startBenchEnv({ root, floorDir, log });
  const resolveSource = sourceResolver(env.origin, { '/dist/': join(root, 'dist'), '/floor/': floorDir }, root);
  const { url, target } = PAGES[args.page];
  const summaries = { cold: [], warm: [] };
  try {
    for (let run = 0; run < runs; run++) {
      const p = await freshPage(env.browser, env.origin, { rate, target });
      try {
        for (const kind of ['cold', 'warm']) {
          await toBlank(p, env.origin);
          const profile = await profileLoad(p, () => loadSettled(p, args.page, env.origin, url, { until: args.until }));
          summaries[kind].push(summarize(profile, resolveSource));
        }
      } finally {
        await p.close();
      }
      log(`load ${run + 1} of ${runs}`);
    }
  } finally {
    await env.close();
  }
  const result = {
    page: args.page,
    rate,
    until: args.until,
    cold: meanOf(summaries.cold),
    warm: meanOf(summaries.warm),
  };
  print('cold', result.cold);
  print('warm', result.warm);
  if (args.json) {
    const out = resolve(args.json);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`\nResults: ${out}`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
