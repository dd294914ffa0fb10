// Byte budgets for what the package ships. Bytes are deterministic, so CI fails when a bundle grows past its budget.
// Budgets only go down: lower one when a change makes a bundle smaller. Prints a table; `--json` prints JSON.
//
// The groups are those of bundle-groups.mjs (the launcher path, the whole module build, the largest language chunk, the
// classic script); each is measured as the sum of its files compressed one by one, which is what goes over the wire.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { bundleGroups } from './bundle-groups.mjs';

const root = new URL('..', import.meta.url).pathname;
const budgets = JSON.parse(readFileSync(join(root, 'size-budget.json'), 'utf8'));

const groups = bundleGroups(root);

/**
 * A file's bytes with every chunk name's content hash (`chunk-7KRYQHL7.js`) replaced by the same placeholder. The hashes
 * change with any edit anywhere, and brotli's output moves by up to 50 bytes a file with them alone: measured as
 * shipped, a budget would fail or pass on the luck of the hash. The placeholder has the hash's length, so raw sizes are
 * exact.
 */
const withoutHashes = (file) =>
  Buffer.from(readFileSync(file, 'latin1').replace(/-[A-Z0-9]{8}(?=\.js\b)/g, '-HASHHASH'), 'latin1');

function measure(files) {
  let raw = 0;
  let gzip = 0;
  let brotli = 0;
  for (const file of files) {
    const bytes = withoutHashes(file);
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
    brotli += brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  }
  return { raw, gzip, brotli };
}

const rows = Object.entries(budgets.groups).map(([name, { budget, description }]) => {
  const files = groups[name];
  if (!files) throw new Error(`size-budget.json names an unknown group ${name}`);
  const size = measure(files);
  return { name, description, files: files.map((f) => relative(root, f)), ...size, budget, ok: size.brotli <= budget };
});

if (process.argv.includes('--json')) {
  console.log(JSON.stringify(rows, null, 2));
} else {
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  for (const r of rows) {
    console.log(
      `${r.ok ? 'ok  ' : 'OVER'} ${r.name.padEnd(8)} raw ${kb(r.raw)}  gzip ${kb(r.gzip)}  brotli ${kb(r.brotli)}  (budget ${kb(r.budget)} brotli)  ${r.description}`,
    );
    console.log(`       ${r.files.join(', ')}`);
  }
}
const over = rows.filter((r) => !r.ok);
if (over.length) {
  console.error(`Over budget: ${over.map((r) => `${r.name} by ${r.brotli - r.budget} bytes`).join(', ')}.`);
  process.exitCode = 1;
}
