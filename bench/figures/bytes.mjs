// Bytes: raw, gzip (level 9) and brotli (quality 11) of every bundle the package ships for <script> use — dist/*.js
// and any lazy chunks under dist/ (everything but the npm build dist/esm/ the server dist/server/ and the console dist/console/) — and of the floor.
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { bundleGroups } from '../../scripts/bundle-groups.mjs';

export function sizes(file) {
  const bytes = readFileSync(file);
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

/**
 * The groups of scripts/bundle-groups.mjs, each the sum of its files compressed one by one (what goes over the wire):
 * `launcher` (dist/jivo-widget.js and the chunks it imports statically), `all` (every file of the module build but the
 * language chunks, of which a page loads one at most).
 */
export function groupSizes(root) {
  const groups = bundleGroups(root);
  const sum = (files) =>
    files.map(sizes).reduce((a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli }));
  return { launcher: sum(groups.launcher), all: sum(groups.all) };
}

/** The shipped bundles: `{ 'dist/jivo-widget.js': {raw, gzip, brotli}, ... }`, the entry first. */
export function bundleSizes(root) {
  const dist = join(root, 'dist');
  const files = readdirSync(dist, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.m?js$/.test(e.name))
    .map((e) => relative(root, join(e.parentPath, e.name)))
    .filter((file) => !/^dist\/(esm|server|console)\//.test(file))
    .sort((a, b) => (a === 'dist/jivo-widget.js' ? -1 : b === 'dist/jivo-widget.js' ? 1 : a.localeCompare(b)));
  return Object.fromEntries(files.map((file) => [file, sizes(join(root, file))]));
}
