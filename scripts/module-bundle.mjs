// The module bundle: dist/jivo-widget.js, everything the launcher needs in one file, and
// dist/chunks/window-chunk-<hash>.js, the rest, which it loads once the page is idle. esbuild's code splitting would put
// the code both use (Lit, RxJS, the store, ...) in a third file that jivo-widget.js imports statically: a second
// request before the launcher, made only once the first has arrived and been parsed (an extra round trip on a first
// visit, and a second module to fetch from the cache and instantiate on every later one). Measured at 4× CPU, one file
// showed the launcher as soon on a first visit on localhost and 7% sooner on a return visit, and 14% and 16% sooner with
// 50 ms of latency (docs/bench.md); the launcher path is 623 B smaller in brotli, the whole build 132 B larger (each
// value the chunk takes is named twice, once a file).
//
// So the window chunk does not import the shared code; jivo-widget.js hands it over:
// 1. A split build, not written, tells which modules both use: those of the shared chunk.
// 2. The window chunk is built alone with each of those modules external (`import {a as b} from "jwshared:3"`); those
//    imports are then replaced by reads of a table, `b = table[7]`, one slot a value the chunk takes, which the entry
//    leaves on the global object under `Symbol.for(<the chunk's file name>)` when it first loads the chunk. The chunk's
//    name carries the hash of its content, so a page with two builds of the widget keeps their tables apart, and a page
//    that loads one build twice (a CMS plugin and a theme, or with `?ver=` query strings) binds the chunk to the copy
//    that loads it, the one whose elements are defined (the other copy's widget class was never defined, so it has no
//    widget to load it). No module is evaluated twice: the chunk never imports jivo-widget.js, whose address with a
//    query string would be another module.
// 3. The entry is built with `components/widget/load-window-chunk.ts` replaced by a module that imports exactly the
//    values the chunk takes, fills the table and imports the chunk.
// A slot holds the value its export has when the chunk is first loaded, long after the shared modules were evaluated;
// none of them reassigns an export after its own evaluation (checked: the build fails on an `export let` or
// `export var` among them, but for the ones listed in REASSIGNED_NEVER, whose values are set while their module runs).
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { build } from 'esbuild';

/** Shared modules with an `export let`/`export var` whose value never changes once the module has been evaluated. */
const REASSIGNED_NEVER = new Set([
  // Set while lit-html's policy is created, which is during the evaluation of the entry's own modules.
  'src/entry/lit-policy.ts',
  // An enum-like object, assigned once at the module's top level.
  'node_modules/rxjs/dist/esm/internal/Notification.js',
]);

const SHARED = 'jwshared:';
const HASH_PLACEHOLDER = 'JWHASHXX';

/** The key of the entry's table: the chunk's file name, as both files know it. */
const tableKey = (chunkName) => `Symbol.for(${JSON.stringify(`jivo-widget ${chunkName}`)})`;

/**
 * Builds jivo-widget.js and chunks/window-chunk-<hash>.js into `outdir`. `options` are esbuild's for both (target,
 * plugins, ...); `root` the repository root.
 */
export async function buildModuleBundle({ root, outdir, options, entry, windowChunk, loader }) {
  // 1. Which modules the launcher and the window chunk share.
  const split = await build({
    ...options,
    entryPoints: { 'jivo-widget': entry },
    outdir,
    chunkNames: 'chunks/[name]-[hash]',
    splitting: true,
    bundle: true,
    format: 'esm',
    metafile: true,
    write: false,
    sourcemap: false,
  });
  const outputs = Object.entries(split.metafile.outputs);
  const sharedOutputs = outputs.filter(([, o]) => !o.entryPoint);
  if (sharedOutputs.length !== 1)
    throw new Error(`module-bundle: expected one shared chunk, found ${sharedOutputs.length}`);
  const shared = Object.entries(sharedOutputs[0][1].inputs)
    .filter(([, input]) => input.bytesInOutput > 0)
    .map(([path]) => path);
  const sharedIndex = new Map(shared.map((path, i) => [path, i]));
  for (const path of shared) {
    if (path.includes(':') || REASSIGNED_NEVER.has(path)) continue;
    const source = await readFile(join(root, path), 'utf8');
    if (/^export (let|var)\b/m.test(source))
      throw new Error(
        `module-bundle: ${path} exports a variable the window chunk would read once; see module-bundle.mjs`,
      );
  }

  // 2. The window chunk, with the shared modules external.
  const externalShared = {
    name: 'external-shared',
    setup(b) {
      b.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData?.jwResolving || args.kind === 'entry-point') return undefined;
        const resolved = await b.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          namespace: args.namespace,
          resolveDir: args.resolveDir,
          pluginData: { jwResolving: true },
        });
        if (resolved.errors.length) return undefined;
        const key =
          resolved.namespace === 'file' ? relative(root, resolved.path) : `${resolved.namespace}:${resolved.path}`;
        const index = sharedIndex.get(key);
        return index === undefined ? resolved : { path: `${SHARED}${index}`, external: true };
      });
    },
  };
  const chunkBuild = await build({
    ...options,
    entryPoints: [windowChunk],
    outfile: join(outdir, `chunks/window-chunk-${HASH_PLACEHOLDER}.js`),
    bundle: true,
    format: 'esm',
    sourcemap: 'external',
    write: false,
    plugins: [externalShared, ...(options.plugins ?? [])],
  });
  const chunkJs = chunkBuild.outputFiles.find((f) => f.path.endsWith('.js'));
  const chunkMap = JSON.parse(chunkBuild.outputFiles.find((f) => f.path.endsWith('.js.map')).text);
  const { code, taken } = takeShared(chunkJs.text, HASH_PLACEHOLDER);
  const hash = createHash('sha256').update(code).digest('base64url').replace(/[-_]/g, '').slice(0, 8).toUpperCase();
  const chunkName = `window-chunk-${hash}.js`;
  const chunkCode = `${code.replaceAll(HASH_PLACEHOLDER, hash).replace(/\/\/# sourceMappingURL=.*\n?$/m, '')}//# sourceMappingURL=${chunkName}.map\n`;
  // The table's reads take a line of their own ahead of the chunk's first: its map moves down by one line.
  chunkMap.mappings = `;${chunkMap.mappings}`;
  chunkMap.file = chunkName;

  // 3. The entry, whose window chunk loader fills the table: slot by slot, what the chunk reads.
  const byModule = new Map();
  for (const [i, { index, name }] of taken.entries()) {
    if (!byModule.has(index)) byModule.set(index, []);
    byModule.get(index).push([name, i]);
  }
  const imports = [...byModule].map(([index, names]) => {
    const path = shared[index];
    const from = JSON.stringify(path.includes(':') ? loader.virtual(path) : join(root, path));
    const spec = (name) => (/^[\w$]+$/.test(name) ? name : JSON.stringify(name));
    const whole = names.filter(([name]) => name === '*').map(([, i]) => `import * as v${i} from ${from};`);
    const named = names.filter(([name]) => name !== '*').map(([name, i]) => `${spec(name)} as v${i}`);
    return [...whole, ...(named.length ? [`import { ${named.join(', ')} } from ${from};`] : [])].join('\n');
  });
  const table = taken.map((_, i) => `v${i}`);
  const loaderSource = `${imports.join('\n')}
const key = ${tableKey(chunkName)};
export const loadWindowChunk = () => {
  globalThis[key] ??= [${table.join(', ')}];
  return import("./chunks/${chunkName}");
};
`;
  const loaderPlugin = {
    name: 'window-chunk-loader',
    setup(b) {
      b.onResolve({ filter: loader.filter }, () => ({ path: 'loader', namespace: 'window-chunk-loader' }));
      b.onResolve({ filter: /^\.\/chunks\/window-chunk-/ }, (args) => ({ path: args.path, external: true }));
      b.onLoad({ filter: /.*/, namespace: 'window-chunk-loader' }, () => ({
        contents: loaderSource,
        loader: 'js',
        resolveDir: root,
      }));
    },
  };
  await build({
    ...options,
    entryPoints: { 'jivo-widget': entry },
    outdir,
    bundle: true,
    format: 'esm',
    sourcemap: 'linked',
    plugins: [loaderPlugin, ...(options.plugins ?? [])],
  });
  return { chunkName, chunkCode, chunkMap: JSON.stringify(chunkMap) };
}

/**
 * The window chunk's code with its imports of shared modules replaced by reads of the entry's table: the reads on a line
 * of their own ahead of the code, each import statement blanked with spaces so that the rest keeps its columns (esbuild
 * puts its helpers before the imports). Also what it takes, slot by slot: the shared module's index and the export's
 * name ('*' for the whole module).
 */
export function takeShared(code, hashPlaceholder) {
  /** One slot a value: `${index} ${name}` (name '*' for the whole module) → slot. */
  const slots = new Map();
  const slot = (index, name) => {
    const id = `${index} ${name}`;
    if (!slots.has(id)) slots.set(id, slots.size);
    return slots.get(id);
  };
  const reads = [];
  /** [shared index, name, local name] of every binding the imports made. */
  const wanted = [];
  const statement =
    /import\s*(?:([\w$]+)\s*,?\s*)?(?:\*\s*as\s*([\w$]+)|\{([^}]*)\})?\s*from\s*"jwshared:(\d+)";?|import\s*"jwshared:(\d+)";?/g;
  const blanked = code.replace(statement, (whole, defaultName, namespace, named, index, bare) => {
    if (bare === undefined) {
      const bindings = [];
      if (defaultName) bindings.push(['default', defaultName]);
      if (namespace) bindings.push(['*', namespace]);
      for (const spec of (named ?? '')
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean)) {
        const [, quoted, plain, local] = /^(?:("(?:[^"\\]|\\.)*")|([\w$]+))(?:\s*as\s+([\w$]+))?$/.exec(spec) ?? [];
        if (!quoted && !plain) throw new Error(`module-bundle: an imported name was not understood: ${spec}`);
        bindings.push([quoted ? JSON.parse(quoted) : plain, local ?? plain]);
      }
      for (const [name, local] of bindings) wanted.push([Number(index), name, local]);
    }
    return ' '.repeat(whole.length);
  });
  if (blanked.includes(`"${SHARED}`)) throw new Error('module-bundle: an import of a shared module was not understood');
  // A value imported by several modules is read once; the other names alias it. Each read is a call marked pure, so
  // that the compressor drops those whose names nothing uses (esbuild keeps a few such imports).
  const first = new Map();
  for (const [index, name, local] of wanted) {
    const n = slot(index, name);
    reads.push(`${local}=${first.get(n) ?? `/* @__PURE__ */__jwRead(${n})`}`);
    if (!first.has(n)) first.set(n, local);
  }
  const head = `const __jw=globalThis[${tableKey(`window-chunk-${hashPlaceholder}.js`)}],__jwRead=(n)=>__jw[n]${reads.length ? `,${reads.join(',')}` : ''};`;
  const taken = [...slots.keys()].map((id) => {
    const space = id.indexOf(' ');
    return { index: Number(id.slice(0, space)), name: id.slice(space + 1) };
  });
  return { code: `${head}\n${blanked}`, taken };
}
