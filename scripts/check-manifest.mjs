// Fails when custom-elements.json is not what `npm run analyze` makes from the sources today.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
// The analyzer resolves --outdir against the working directory, so it gets a relative path.
const cache = join(root, 'node_modules/.cache');
mkdirSync(cache, { recursive: true });
const out = mkdtempSync(join(cache, 'jivo-cem-'));
try {
  execFileSync(join(root, 'node_modules/.bin/cem'), ['analyze', '--outdir', relative(root, out)], {
    cwd: root,
    stdio: 'pipe',
  });
  const fresh = readFileSync(join(out, 'custom-elements.json'), 'utf8');
  const committed = readFileSync(join(root, 'custom-elements.json'), 'utf8');
  if (fresh !== committed) {
    console.error('custom-elements.json is stale: run `npm run analyze` and commit the result.');
    process.exitCode = 1;
  } else {
    console.log('custom-elements.json is up to date.');
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
