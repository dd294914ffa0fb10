// Runs the tests of one file or one folder: `npm run test:one -- test/components/launcher` (or a .test.ts file).
// Browser tests (test/**/*.test.ts) go to web-test-runner, the server's Node tests (test/backend/*.test.ts) to
// scripts/test-backend.mjs, the scripts' Node tests (*.test.mjs) to node --test. A folder runs every kind it holds.
// wtr's own `groups` are not used for this: with groups defined, a plain `wtr` runs each test twice (once in the
// default group, once in its own), and `--files` does not narrow a group.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const target = process.argv[2]?.replace(/\/$/, '');
if (!target || !existsSync(target)) {
  console.error('usage: npm run test:one -- <test file or folder>   e.g. test/components/launcher');
  process.exit(2);
}
const files = statSync(target).isDirectory()
  ? readdirSync(target, { recursive: true }).map((f) => join(target, String(f)))
  : [target];
const isNode = (f) => /(^|\/)test\/backend\//.test(f);
const browser = files.filter((f) => f.endsWith('.test.ts') && !isNode(f));
const node = files.filter((f) => f.endsWith('.test.ts') && isNode(f));
const scripts = files.filter((f) => f.endsWith('.test.mjs'));
if (!browser.length && !node.length && !scripts.length) {
  console.error(`no test files in ${target}`);
  process.exit(2);
}
const run = (command, args) => spawnSync(command, args, { stdio: 'inherit' }).status ?? 1;
let status = 0;
if (node.length) status ||= run(process.execPath, ['scripts/test-backend.mjs', ...node]);
if (scripts.length) status ||= run(process.execPath, ['--test', ...scripts]);
if (browser.length) status ||= run('npx', ['wtr', '--files', ...browser]);
process.exit(status);
