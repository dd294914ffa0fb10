// What `npm pack` puts in the tarball: prepack builds everything first, so the types are there whatever was built
// before (npm start rebuilds dist/ without them), and so are the licence and the docs the README links to.
// It rebuilds dist/, so npm test runs it last, on its own.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';

describe('npm pack', () => {
  it('ships the bundles, the npm build with its .d.ts files, the manifest, the licence and the docs', () => {
    const root = new URL('../..', import.meta.url).pathname;
    const output = execFileSync('npm', ['pack', '--dry-run', '--json'], { cwd: root, encoding: 'utf8' });
    const files = new Set(JSON.parse(output)[0].files.map((f) => f.path));
    for (const path of [
      'dist/jivo-widget.js',
      'dist/jivo-widget.iife.js',
      'dist/esm/index.js',
      'dist/esm/index.d.ts',
      'dist/esm/jivo-widget.d.ts',
      'dist/esm/api/types.d.ts',
      'custom-elements.json',
      'README.md',
      'LICENSE',
      'docs/protocol.md',
    ]) {
      assert.ok(files.has(path), `${path} is in the tarball`);
    }
  });
});
