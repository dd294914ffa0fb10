// `npm run bench:profile` (bench/profile.mjs, bench/lib/profile.mjs): a CPU profile's samples summed by the source
// module they ran in, through the built files' source maps. Its tables are what docs/bench.md's "where the time goes"
// figures rest on. The last test profiles the built widget page in Chromium: needs `node scripts/build.mjs`.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { transform } from 'esbuild';
import { meanOf, sourceResolver, summarize } from '../../bench/lib/profile.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const ORIGIN = 'http://127.0.0.1:9';

/** A profile: `nodes` as [id, functionName, url, line, column, children], samples as [id, µs until the next]. */
function profileOf(nodes, samples) {
  return {
    nodes: nodes.map(([id, functionName, url, lineNumber, columnNumber, children]) => ({
      id,
      callFrame: { functionName, url, lineNumber, columnNumber, scriptId: '0' },
      children,
    })),
    samples: samples.map(([id]) => id),
    // timeDeltas[i] is the time from sample i-1 to sample i: sample i lasts timeDeltas[i + 1].
    timeDeltas: [0, ...samples.map(([, us]) => us)].slice(0, samples.length),
  };
}

describe('bench profile: summing samples', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jivo-profile-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('maps a built file back to its source module through its map, and sums each sample until the next', async () => {
    // Built as scripts/build.mjs builds: dist/<file>.js with a .map whose sources are relative to it (../src/…).
    const built = await transform('export function greet(name) {\n  return `hi ${name}`;\n}\ngreet("x");\n', {
      sourcefile: '../src/greet.ts',
      sourcemap: 'external',
      loader: 'ts',
      format: 'esm',
    });
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist/greet.js'), built.code);
    writeFileSync(join(dir, 'dist/greet.js.map'), built.map);
    const line = built.code.split('\n').findIndex((l) => l.includes('return'));
    const resolve = sourceResolver(ORIGIN, { '/dist/': join(dir, 'dist') }, dir);
    assert.deepEqual(resolve(`${ORIGIN}/dist/greet.js`, line, 2), { source: 'src/greet.ts', line: 2, name: null });
    // Not under a mount, not on the origin, no map: nothing to map through.
    assert.equal(resolve(`${ORIGIN}/other/greet.js`, line, 2), null);
    assert.equal(resolve('http://elsewhere.test/dist/greet.js', line, 2), null);
    assert.equal(resolve(`${ORIGIN}/dist/missing.js`, 0, 0), null);

    const profile = profileOf(
      [
        [1, '(root)', '', -1, -1, [2, 3, 4, 5, 7]],
        [2, '(idle)', '', -1, -1, []],
        [3, '(program)', '', -1, -1, []],
        [4, 'greet', `${ORIGIN}/dist/greet.js`, line, 2, [6]],
        [5, '(anonymous)', `${ORIGIN}/other/page.js?v=1`, 3, 0, []],
        [6, 'replaceSync', '', -1, -1, []],
        [7, '', `${ORIGIN}/dist/greet.js`, 0, 0, []],
      ],
      [
        [2, 4000],
        [4, 1500],
        [4, 500],
        [3, 2000],
        [6, 250],
        [5, 1000],
        [7, 500],
        [2, 3000],
      ],
    );
    const summary = summarize(profile, resolve);
    // Idle 4 ms, the two greet samples 1.5 + 0.5, program 2, replaceSync 0.25, the page 1, greet.js's own top level
    // 0.5 (named for the file, not for what its map has at 0:0); the last sample has no end
    // (the profile stopped), so its 3 ms count nowhere.
    assert.equal(summary.idle, 4);
    assert.equal(summary.busy, 2 + 2 + 0.25 + 1 + 0.5);
    assert.deepEqual(
      [...summary.bySource],
      [
        ['src/greet.ts', 2],
        ['(program)', 2],
        ['replaceSync', 0.25],
        ['/other/page.js', 1],
        ['/dist/greet.js (top level)', 0.5],
      ],
    );
    assert.equal(summary.byFunction.get('(top level) /dist/greet.js'), 0.5);
    assert.equal(summary.byFunction.get('greet src/greet.ts:2'), 2);
    assert.equal(summary.byFunction.get('(anonymous) /other/page.js:4'), 1);
    assert.equal(summary.byFile.get('/dist/greet.js'), 2.5);
  });

  it('averages several loads, largest first', () => {
    const one = {
      busy: 10,
      idle: 2,
      byFile: new Map(),
      bySource: new Map([
        ['a', 6],
        ['b', 4],
      ]),
      byFunction: new Map(),
    };
    const two = { busy: 20, idle: 4, byFile: new Map(), bySource: new Map([['b', 20]]), byFunction: new Map() };
    const mean = meanOf([one, two]);
    assert.equal(mean.loads, 2);
    assert.equal(mean.busy, 15);
    assert.equal(mean.idle, 3);
    assert.deepEqual(mean.bySource, [
      ['b', 12],
      ['a', 3],
    ]);
  });
});

describe('bench profile: the built widget page in Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jivo-profile-run-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("names the widget's own modules and Lit's in the time it takes to show the launcher", async () => {
    const out = join(dir, 'profile.json');
    await promisify(execFile)(
      process.execPath,
      [join(root, 'bench/profile.mjs'), '--rate', '1', '--runs', '1', '--until', 'visible', '--json', out],
      { cwd: root, timeout: 120_000 },
    );
    const result = JSON.parse(readFileSync(out, 'utf8'));
    assert.equal(result.page, 'widget');
    for (const kind of ['cold', 'warm']) {
      const { loads, busy, bySource } = result[kind];
      assert.equal(loads, 1);
      const sum = bySource.reduce((a, [, ms]) => a + ms, 0);
      assert.ok(Math.abs(sum - busy) < 0.01, `${kind}: the modules' times add up to the busy time (${sum} vs ${busy})`);
    }
    // On a first visit the launcher's start-up runs code of the widget's own modules and of Lit, by their names.
    const cold = new Map(result.cold.bySource);
    const own = [...cold].filter(([source, ms]) => source.startsWith('src/') && ms > 0);
    assert.ok(own.length >= 3, `the widget's own modules: ${own.map(([s]) => s).join(', ')}`);
    assert.ok(
      [...cold.keys()].some((source) => source.startsWith('node_modules/lit-html/')),
      `lit-html among ${[...cold.keys()].join(', ')}`,
    );
  });
});
