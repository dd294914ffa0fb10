// Byte budgets for what the package ships. Bytes are deterministic, so CI fails when a bundle grows past its budget.
// Budgets only go down: lower one when a change makes a bundle smaller. Prints a table; `--json` prints JSON.
import { readFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = new URL('..', import.meta.url).pathname;
const budgets = JSON.parse(readFileSync(`${root}size-budget.json`, 'utf8'));

const rows = Object.entries(budgets.files).map(([file, budget]) => {
  const bytes = readFileSync(`${root}${file}`);
  const brotli = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  return { file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, brotli, budget, ok: brotli <= budget };
});

if (process.argv.includes('--json')) {
  console.log(JSON.stringify(rows, null, 2));
} else {
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  for (const r of rows) {
    console.log(`${r.ok ? 'ok  ' : 'OVER'} ${r.file}  raw ${kb(r.raw)}  gzip ${kb(r.gzip)}  brotli ${kb(r.brotli)}  (budget ${kb(r.budget)} brotli)`);
  }
}
const over = rows.filter((r) => !r.ok);
if (over.length) {
  console.error(`Over budget: ${over.map((r) => `${r.file} by ${r.brotli - r.budget} bytes`).join(', ')}.`);
  process.exitCode = 1;
}
