// Fails when custom-elements.json is not what `npm run analyze` makes from the sources today, or when
// @wc-toolkit/cem-validator finds a fault in it or in how package.json publishes it (every rule an error).
import { validateCem } from '@wc-toolkit/cem-validator';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
process.chdir(root);
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

const error = 'error';
try {
  await validateCem(JSON.parse(readFileSync(join(root, 'custom-elements.json'), 'utf8')), {
    // Relative: the validator refuses a path with characters outside [A-Za-z0-9_-./\\], which a checkout's folder may have.
    packageJsonPath: './package.json',
    rules: {
      packageJson: {
        packageType: error,
        main: error,
        module: error,
        types: error,
        exports: error,
        customElementsProperty: error,
        publishedCem: error,
      },
      manifest: {
        schemaVersion: error,
        modulePath: error,
        definitionPath: error,
        typeDefinitionPath: error,
        exportTypes: error,
        tagName: error,
      },
    },
  });
  console.log('custom-elements.json: @wc-toolkit/cem-validator found no errors.');
} catch (e) {
  // The validator has printed each failure.
  console.error(e.message);
  process.exitCode = 1;
}
