// Bundles each example for the browser with esbuild, in memory, the way an app's bundler would: `jivo-widget`
// resolves through the package's own `exports` (the repository is the package), so the examples use the local build
// in dist/ (`npm run build`). .vue files go through vue/compiler-sfc and .svelte files through svelte/compiler, each
// in a few lines of esbuild plugin; a real app would use its framework's Vite or Rollup plugin instead.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');

/** Each example's browser entry. */
export const EXAMPLES = {
  react: 'react/main.tsx',
  vue: 'vue/main.ts',
  svelte: 'svelte/main.ts',
  ssr: 'ssr/client.tsx',
};

/** Vue is told which tags are custom elements, or it warns that it cannot resolve a component `jivo-widget`. */
export const isCustomElement = (tag) => tag.startsWith('jivo-');

/** `<script setup>` single-file components: the template compiled into the script (no <style> in the examples). */
const vuePlugin = {
  name: 'vue-sfc',
  setup(build) {
    build.onLoad({ filter: /\.vue$/ }, async ({ path }) => {
      const { parse, compileScript } = await import('vue/compiler-sfc');
      const { descriptor, errors } = parse(await readFile(path, 'utf8'), { filename: path });
      if (errors.length) return { errors: errors.map((e) => ({ text: String(e.message ?? e) })) };
      const script = compileScript(descriptor, {
        id: createHash('sha256').update(path).digest('hex').slice(0, 8),
        inlineTemplate: true,
        templateOptions: { compilerOptions: { isCustomElement } },
      });
      return { contents: script.content, loader: script.lang === 'ts' ? 'ts' : 'js', resolveDir: dirname(path) };
    });
  },
};

/** Svelte 5 components, TypeScript in their script included. */
const sveltePlugin = {
  name: 'svelte',
  setup(build) {
    build.onLoad({ filter: /\.svelte$/ }, async ({ path }) => {
      const { compile } = await import('svelte/compiler');
      const { js, warnings } = compile(await readFile(path, 'utf8'), { filename: path, generate: 'client' });
      return { contents: js.code, loader: 'js', warnings: warnings.map((w) => ({ text: w.message })) };
    });
  },
};

function requireBuild() {
  if (!existsSync(join(root, 'dist/esm/index.js'))) throw new Error('no dist/esm/index.js: run `npm run build` first');
}

/** The bundle of one example, as JavaScript text. */
export async function buildExample(name) {
  requireBuild();
  const result = await build({
    entryPoints: [join(here, EXAMPLES[name])],
    bundle: true,
    write: false,
    outdir: join(here, name),
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    define: {
      'process.env.NODE_ENV': '"production"',
      __VUE_OPTIONS_API__: 'false',
      __VUE_PROD_DEVTOOLS__: 'false',
      __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    },
    plugins: [vuePlugin, sveltePlugin],
    logLevel: 'warning',
  });
  return result.outputFiles.find((f) => f.path.endsWith('.js')).text;
}

/** The server half of the SSR example, bundled for Node (React's server renderer is CommonJS) and loaded. */
export async function loadSsrServer() {
  requireBuild();
  const outfile = join(root, 'node_modules/.cache/jivo-examples/ssr-server.cjs');
  await build({
    entryPoints: [join(here, 'ssr/server.tsx')],
    outfile,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  });
  const require = createRequire(import.meta.url);
  delete require.cache[outfile];
  return require(outfile);
}
