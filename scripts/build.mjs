// Builds what the package ships:
//   dist/jivo-widget.js       the minified ES module for <script type="module">: the launcher in one file, then
//                             dist/chunks/window-chunk-<hash>.js lazily, which takes the code they share from it
//                             (scripts/module-bundle.mjs)
//   dist/jivo-widget.iife.js  the same as a classic script for <script src> (CMS themes)
//   dist/chunks/lang-<code>-<hash>.js  each language's catalogue but English's (src/i18n/locales/), which both script
//                             bundles import from chunks/ beside them, only on pages in that language
//   dist/esm/**               the npm build: one ES module per source file, lit/rxjs/@lit/context left as imports
//   dist/server/main.mjs      the chat server with the demo page (Node; npm packages stay imports)
//   dist/console/index.js     the agent console (browser, minified)
//   dist/types/*.d.ts, dist/vscode.*.json, dist/web-types.json   framework typings and editor data, made from
//                             custom-elements.json by scripts/framework-types.mjs
// Types for dist/esm come from `tsc -p tsconfig.build.json` (npm run build runs it after this script).
import { build } from 'esbuild';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { minify } from 'terser';
import { writeFrameworkTypes } from './framework-types.mjs';
import { litPolicyGuardPlugin } from './lit-policy-guard.mjs';
import { minifyTemplatesPlugin } from './minify-templates.mjs';
import { buildModuleBundle } from './module-bundle.mjs';

const root = new URL('..', import.meta.url).pathname;
const tsconfig = join(root, 'tsconfig.json');

async function sources(dir) {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => join(e.parentPath, e.name));
}

/** For the classic script: the window chunk's loader becomes src/entry/window-chunk-static.ts (its comment says why). */
const windowChunkInline = {
  name: 'window-chunk-inline',
  setup(build) {
    build.onResolve({ filter: /[\\/]load-window-chunk\.js$/ }, () => ({
      path: join(root, 'src/entry/window-chunk-static.ts'),
    }));
  },
};

/**
 * For the script bundles: `src/i18n/fetch-catalog.ts`, which the module build leaves to an app's bundler, becomes a
 * table of the language chunks built below, imported from the address the entry gives (`setChunkBase`): the module
 * bundle's own, or the classic script's `src`. Each is an ES module, which a classic script may import too.
 */
const languageChunks = (files) => ({
  name: 'language-chunks',
  setup(build) {
    build.onResolve({ filter: /[\\/]fetch-catalog\.js$/ }, () => ({
      path: 'fetch-catalog',
      namespace: 'language-chunks',
    }));
    build.onLoad({ filter: /.*/, namespace: 'language-chunks' }, () => ({
      loader: 'js',
      contents: `const files = ${JSON.stringify(files)};
let base;
export const setChunkBase = (url) => { base = url; };
export const fetchCatalog = async (code) => import(new URL(files[code] ?? '', base).href);`,
    }));
  },
});

// Both script bundles carry their own Lit: its Trusted Types policy call is guarded (scripts/lit-policy-guard.mjs).
const litPolicyGuard = litPolicyGuardPlugin(root);

const shared = {
  tsconfig,
  target: 'es2022',
  // rxjs publishes a smaller ES2015 build under this condition.
  conditions: ['es2015'],
  legalComments: 'none',
  logLevel: 'warning',
};

/**
 * A second pass over what esbuild minified, for the files a browser downloads: terser's compressor (two passes) finds
 * what esbuild's single pass leaves (inlined constants, joined statements, shorter conditionals), about 3% of the
 * brotli bytes. Each file's source map is carried through, so stack traces still name the TypeScript sources.
 */
async function compress(files) {
  await Promise.all(
    files.map(async (file) => {
      const [code, map] = await Promise.all([readFile(file, 'utf8'), readFile(`${file}.map`, 'utf8')]);
      const name = basename(file);
      const out = await minify(
        { [name]: code },
        {
          module: file.endsWith('.js') && !file.endsWith('.iife.js'),
          ecma: 2020,
          compress: { passes: 2 },
          format: { comments: false },
          sourceMap: { content: map, url: `${name}.map` },
        },
      );
      await Promise.all([writeFile(file, out.code), writeFile(`${file}.map`, out.map)]);
    }),
  );
}

await rm(join(root, 'dist'), { recursive: true, force: true });

// Each language but English (built into the window chunk) on its own: a catalogue is plain data and imports nothing.
const localesDir = join(root, 'src/i18n/locales');
const languages = (await readdir(localesDir)).filter((f) => f.endsWith('.ts') && f !== 'en.ts');
const languageBuild = await build({
  ...shared,
  entryPoints: languages.map((f) => join(localesDir, f)),
  outdir: join(root, 'dist/chunks'),
  entryNames: 'lang-[name]-[hash]',
  bundle: true,
  charset: 'utf8',
  format: 'esm',
  minify: true,
  sourcemap: 'linked',
  metafile: true,
});
/** Language code → its chunk's name. */
const languageFiles = Object.fromEntries(
  Object.entries(languageBuild.metafile.outputs)
    .filter(([, output]) => output.entryPoint)
    .map(([file, output]) => [basename(output.entryPoint, '.ts'), basename(file)]),
);

await Promise.all([
  buildModuleBundle({
    root,
    outdir: join(root, 'dist'),
    entry: join(root, 'src/entry/script.ts'),
    windowChunk: join(root, 'src/entry/window-chunk.ts'),
    loader: {
      filter: /[\\/]load-window-chunk\.js$/,
      // How the entry imports a shared module that a plugin made: the language chunks' table (languageChunks) is
      // reached through fetch-catalog's path; no other plugin makes one.
      virtual: (key) => {
        if (key !== 'language-chunks:fetch-catalog') throw new Error(`build: no path for the shared module ${key}`);
        return join(root, 'src/i18n/fetch-catalog.js');
      },
    },
    options: {
      ...shared,
      // Module scripts are always decoded as UTF-8, so Cyrillic can stay as it is (escapes triple its size). The
      // classic build keeps ASCII escapes: a classic script takes the page's encoding, and many CMS pages are not UTF-8.
      charset: 'utf8',
      minify: true,
      plugins: [minifyTemplatesPlugin, litPolicyGuard, languageChunks(languageFiles)],
    },
  }).then(({ chunkName, chunkCode, chunkMap }) =>
    Promise.all([
      writeFile(join(root, 'dist/chunks', chunkName), chunkCode),
      writeFile(join(root, 'dist/chunks', `${chunkName}.map`), chunkMap),
    ]),
  ),
  build({
    ...shared,
    // One file: a classic script cannot load chunks, so the window chunk's loader is swapped for one that has it.
    entryPoints: [join(root, 'src/entry/script.ts')],
    outfile: join(root, 'dist/jivo-widget.iife.js'),
    bundle: true,
    format: 'iife',
    minify: true,
    sourcemap: 'linked',
    plugins: [minifyTemplatesPlugin, windowChunkInline, litPolicyGuard, languageChunks(languageFiles)],
    // The entry reads import.meta.url only where there is no document.currentScript, which a classic script has.
    logOverride: { 'empty-import-meta': 'silent' },
  }),
  build({
    ...shared,
    entryPoints: await sources(join(root, 'src')),
    outdir: join(root, 'dist/esm'),
    outbase: join(root, 'src'),
    bundle: false,
    charset: 'utf8',
    format: 'esm',
    sourcemap: 'linked',
  }),
  build({
    ...shared,
    tsconfig: join(root, 'tsconfig.server.json'),
    entryPoints: [join(root, 'server/main.ts')],
    outfile: join(root, 'dist/server/main.mjs'),
    // The package's `jivo-widget-server` command runs this file.
    banner: { js: '#!/usr/bin/env node' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    charset: 'utf8',
    sourcemap: 'linked',
  }),
  build({
    ...shared,
    tsconfig: join(root, 'tsconfig.server.json'),
    entryPoints: [join(root, 'console/index.ts')],
    outfile: join(root, 'dist/console/index.js'),
    bundle: true,
    platform: 'browser',
    charset: 'utf8',
    format: 'esm',
    minify: true,
    sourcemap: 'linked',
  }),
]);

const chunks = (await readdir(join(root, 'dist/chunks'))).filter((f) => f.endsWith('.js'));
await compress([
  join(root, 'dist/jivo-widget.js'),
  join(root, 'dist/jivo-widget.iife.js'),
  join(root, 'dist/console/index.js'),
  ...chunks.map((f) => join(root, 'dist/chunks', f)),
]);

writeFrameworkTypes(root);
