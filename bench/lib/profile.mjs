// Where a page's main-thread time goes while it loads: a sampled CPU profile (the DevTools protocol's Profiler domain)
// of each load, every sample's script position mapped back through the served file's source map to the module it
// came from (src/…, node_modules/lit-html/…), and the samples' time summed by file, by source module and by function.
// What V8 does outside any script (parsing HTML, style, layout, paint, compiling a script before it runs) is
// `(program)`; garbage collection is `(garbage collector)`; a browser API that a script calls (replaceSync,
// importNode, …) is counted under its own name.
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { originalPositionFor, TraceMap } from '@jridgewell/trace-mapping';

/** What no script's code ran in: the browser waiting, or working outside JavaScript. */
const IDLE = '(idle)';

/**
 * A function `(url, line, column) → { source, line, name } | null` (line and column 0-based as the profile gives them,
 * the answer's line 1-based) that maps a position in a script served from `origin` under one of `mounts`
 * (`{ '/dist/': '/abs/dist' }`) back through that file's `.map`. `source` is relative to `root` (node_modules/… or
 * src/…). A file without a map, or a position the map does not cover, gives null.
 */
export function sourceResolver(origin, mounts, root) {
  const maps = new Map();
  const mapOf = (url) => {
    if (!url.startsWith(origin)) return null;
    const path = new URL(url).pathname;
    const prefix = Object.keys(mounts).find((p) => path.startsWith(p));
    if (!prefix) return null;
    const file = join(mounts[prefix], path.slice(prefix.length));
    if (!maps.has(file)) {
      let map = null;
      try {
        map = { trace: new TraceMap(readFileSync(`${file}.map`, 'utf8')), dir: dirname(file) };
      } catch {
        // No map beside it: the file's own name stands for its samples.
      }
      maps.set(file, map);
    }
    return maps.get(file);
  };
  return (url, line, column) => {
    if (line < 0 || column < 0) return null;
    const map = mapOf(url);
    if (!map) return null;
    const at = originalPositionFor(map.trace, { line: line + 1, column });
    if (!at.source) return null;
    // A module a build plugin made has a name of its own (namespace:path), not a file's.
    const source = /^[\w-]+:/.test(at.source) ? at.source : relative(root, resolve(map.dir, at.source));
    return { source, line: at.line, name: at.name };
  };
}

/** A script's path on the bench server; the bench's own scripts (the instrument, puppeteer's calls) as they are named. */
function fileOf(url) {
  if (url.startsWith('pptr:')) return '(bench: puppeteer)';
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

const add = (table, key, ms) => table.set(key, (table.get(key) ?? 0) + ms);

/**
 * Sums a CPU profile's samples (each lasts until the next one) by file, by source module and by function, with
 * `resolveSource` from sourceResolver (or `() => null`). Times in ms. Returns
 * `{ busy, idle, byFile, bySource, byFunction }` where busy is every sample but idle, and each `by…` is a Map.
 */
export function summarize(profile, resolveSource) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map();
  profile.samples.forEach((id, i) => add(selfUs, id, profile.timeDeltas[i + 1] ?? 0));
  const result = { busy: 0, idle: 0, byFile: new Map(), bySource: new Map(), byFunction: new Map() };
  for (const [id, us] of selfUs) {
    const ms = us / 1000;
    const { functionName, url, lineNumber, columnNumber } = nodes.get(id).callFrame;
    if (functionName === IDLE) {
      result.idle += ms;
      continue;
    }
    result.busy += ms;
    const name = functionName || '(anonymous)';
    if (!url) {
      // V8's own entries ((program), (garbage collector)) and the browser's functions that scripts call.
      add(result.byFile, name, ms);
      add(result.bySource, name, ms);
      add(result.byFunction, name, ms);
      continue;
    }
    const file = fileOf(url);
    add(result.byFile, file, ms);
    if (!functionName && lineNumber === 0 && columnNumber === 0) {
      // The script's own top level, which V8 names nothing, at 0:0 (whatever the map has there did not run it).
      add(result.bySource, `${file} (top level)`, ms);
      add(result.byFunction, `(top level) ${file}`, ms);
      continue;
    }
    const at = resolveSource(url, lineNumber, columnNumber);
    add(result.bySource, at?.source ?? file, ms);
    add(result.byFunction, at ? `${name} ${at.source}:${at.line}` : `${name} ${file}:${lineNumber + 1}`, ms);
  }
  return result;
}

/** Several summaries as one: each entry the mean over them, the `by…` tables as sorted `[key, ms]` lists. */
export function meanOf(summaries) {
  const n = summaries.length;
  const table = (key) => {
    const sum = new Map();
    for (const s of summaries) for (const [k, ms] of s[key]) add(sum, k, ms / n);
    return [...sum].sort((a, b) => b[1] - a[1]);
  };
  return {
    loads: n,
    busy: summaries.reduce((a, s) => a + s.busy, 0) / n,
    idle: summaries.reduce((a, s) => a + s.idle, 0) / n,
    byFile: table('byFile'),
    bySource: table('bySource'),
    byFunction: table('byFunction'),
  };
}

/**
 * Profiles the main thread of the page `p` (bench/lib/browser.mjs) while `load(p)` runs, which navigates and waits for
 * what the caller wants profiled. Resolves to the CPU profile.
 */
export async function profileLoad(p, load, { intervalUs = 250 } = {}) {
  await p.cdp.send('Profiler.enable');
  await p.cdp.send('Profiler.setSamplingInterval', { interval: intervalUs });
  await p.cdp.send('Profiler.start');
  let stopped;
  try {
    await load(p);
  } finally {
    stopped = await p.cdp.send('Profiler.stop');
    await p.cdp.send('Profiler.disable');
  }
  return stopped.profile;
}
