// An esbuild plugin for the script bundles: Lit's one `trustedTypes.createPolicy("lit-html", …)` call, made while
// lit-html's module is evaluated, goes through `createLitPolicy` of src/entry/lit-policy.ts, which catches what a
// page's Trusted Types policy throws there (that file says why). Only the bundles' own copy of Lit is changed; the npm
// build leaves lit as an import of the app's. The build fails if Lit no longer has exactly one such call, so that an
// upgrade of Lit cannot drop the guard unnoticed.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

const CALL = /\b([\w$]+)\.createPolicy\(\s*(["'])lit-html\2\s*,/g;

/** lit-html's source with its policy call routed through the guard module at `guardPath`. */
export function guardLitPolicy(source, guardPath) {
  const calls = [...source.matchAll(CALL)];
  if (calls.length !== 1) {
    throw new Error(
      `lit-policy-guard: expected one createPolicy("lit-html", …) in lit-html, found ${calls.length}; see scripts/lit-policy-guard.mjs`,
    );
  }
  const guarded = source.replace(CALL, (_, factory) => `__jivoCreateLitPolicy(${factory},"lit-html",`);
  return `import{createLitPolicy as __jivoCreateLitPolicy}from${JSON.stringify(guardPath)};${guarded}`;
}

/** The plugin; `root` is the repository root. */
export function litPolicyGuardPlugin(root) {
  const guardPath = join(root, 'src/entry/lit-policy.ts');
  return {
    name: 'lit-policy-guard',
    setup(build) {
      build.onLoad({ filter: /[\\/]lit-html[\\/](development[\\/])?lit-html\.js$/ }, async ({ path }) => ({
        contents: guardLitPolicy(await readFile(path, 'utf8'), guardPath),
        loader: 'js',
        resolveDir: dirname(path),
      }));
    },
  };
}
