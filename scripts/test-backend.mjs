// Runs the backend tests (test/backend/*.test.ts) with `node --test`. Node 20 cannot run TypeScript, so each test file
// is bundled first with esbuild, as the build bundles the server (npm packages stay imports), into
// node_modules/.cache/jivo-backend-tests/, and run beside a throwaway PostgreSQL cluster (scripts/postgres.mjs). Type checking is tsc's job (`tsc -p tsconfig.server.json`, in npm run verify).
//   node scripts/test-backend.mjs                                  every file
//   node scripts/test-backend.mjs test/backend/agent.test.ts       one file (or several)
import { spawn } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { startPostgres } from './postgres.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const testDir = join(root, 'test/backend');
// One folder per run: two runs at once (a whole suite and one file) must not delete each other's files.
const outdir = join(root, 'node_modules/.cache/jivo-backend-tests', String(process.pid));

const args = process.argv.slice(2);
const files = args.length
  ? args.map((f) => resolve(f))
  : readdirSync(testDir)
      .filter((f) => f.endsWith('.test.ts'))
      .sort()
      .map((f) => join(testDir, f));
for (const file of files) {
  if (!file.startsWith(testDir) || !file.endsWith('.test.ts')) {
    console.error(`not a backend test file: ${file}`);
    process.exit(2);
  }
}

rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: files,
  outdir,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  tsconfig: join(root, 'tsconfig.server.json'),
  sourcemap: 'inline',
  logLevel: 'warning',
});

// One throwaway PostgreSQL cluster for the run: the store tests run against it as well as the journal, each in a
// database of its own (test/backend/helpers.ts freshDatabase).
const postgres = await startPostgres();
const compiled = files.map((f) => join(outdir, basename(f).replace(/\.ts$/, '.mjs')));
// --test-force-exit: a test file whose tests have all reported ends even if a handle is still open. A run once stopped
// for good after the last security test passed, with one chat server of that file still listening; the results
// stand, and a failing test still fails the run.
const child = spawn(process.execPath, ['--enable-source-maps', '--test', '--test-force-exit', ...compiled], {
  stdio: 'inherit',
  env: { ...process.env, JIVO_TEST_POSTGRES: postgres.url },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  postgres.stop();
  rmSync(outdir, { recursive: true, force: true });
  process.exit(code ?? (signal ? 1 : 0));
});
