// The dependency rule, checked: which folder may import which (README, "Layout"), and no import cycles.
// `node scripts/check-imports.mjs` prints every import that breaks the rule and every cycle, and exits 1 if any.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * The layers, most specific first: a file belongs to the first whose pattern matches its path (relative to the root,
 * with forward slashes). `may` lists the layers it may import besides its own; '*' is any.
 */
export const LAYERS = [
  { name: 'entry', pattern: /^src\/(entry\/|index\.ts$|jivo-widget\.ts$)/, may: ['*'] },
  {
    name: 'root',
    pattern: /^src\/components\/widget\//,
    may: ['api', 'state', 'wire', 'transport', 'triggers', 'events', 'i18n', 'styles', 'model', 'internal', 'shared'],
  },
  { name: 'shared', pattern: /^src\/components\/shared\//, may: ['state', 'model', 'i18n', 'styles', 'internal'] },
  { name: 'component', pattern: /^src\/components\//, may: ['shared', 'state', 'model', 'i18n', 'styles', 'internal'] },
  { name: 'api', pattern: /^src\/api\//, may: ['state', 'model', 'events', 'internal'] },
  // The wire format, shared with the server and the console: the frames and their parsers.
  { name: 'wire', pattern: /^src\/transport\/(protocol|frames)\.ts$/, may: ['model'] },
  { name: 'transport', pattern: /^src\/transport\//, may: ['wire', 'state', 'model', 'internal'] },
  { name: 'triggers', pattern: /^src\/triggers\//, may: ['model', 'internal'] },
  { name: 'events', pattern: /^src\/events\//, may: ['state', 'model'] },
  { name: 'state', pattern: /^src\/state\//, may: ['model', 'i18n', 'internal'] },
  { name: 'i18n', pattern: /^src\/i18n\//, may: ['model'] },
  { name: 'styles', pattern: /^src\/styles\//, may: [] },
  { name: 'internal', pattern: /^src\/internal\//, may: [] },
  { name: 'model', pattern: /^src\/model\//, may: [] },
  // The agent protocol is the server's public face: the one server file the console may import.
  { name: 'agent-protocol', pattern: /^server\/agent-protocol\.ts$/, may: ['wire', 'model'] },
  { name: 'server', pattern: /^server\//, may: ['agent-protocol', 'wire', 'model'] },
  { name: 'console', pattern: /^console\//, may: ['agent-protocol', 'wire', 'model', 'internal'] },
];

/**
 * Imports allowed across the rule, each with its reason: the root loads the window chunk lazily, and that dynamic
 * import (with the type of what it loads) is the one arrow that points up to an entry.
 */
export const EXCEPTIONS = [{ from: 'src/components/widget/load-window-chunk.ts', to: 'src/entry/window-chunk.ts' }];

const IMPORT =
  /(?:^|[^\w.])(?:import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s*)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The relative imports of a source text, each with whether it is type-only (`import type`, gone once compiled). */
export function importsWithKind(source) {
  const found = [];
  // Comments may quote import lines; they are not imports.
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  for (const m of code.matchAll(IMPORT)) {
    const spec = m[2] ?? m[3];
    if (spec.startsWith('.')) found.push({ spec, typeOnly: !!m[1] });
  }
  return found;
}

/** The relative imports of a source text, as written. */
export const importsOf = (source) => importsWithKind(source).map((i) => i.spec);

export const layerOf = (path) => LAYERS.find((l) => l.pattern.test(path));

/** The component folder of a path under src/components/, else null. */
const componentOf = (path) => /^src\/components\/([^/]+)\//.exec(path)?.[1] ?? null;

/**
 * Checks a tree: `files` maps each path (relative, forward slashes) to its source. Returns the problems found, each a
 * line of text; none when the tree keeps the rule.
 */
export function check(files) {
  const problems = [];
  const graph = new Map();
  for (const [from, source] of files) {
    const targets = [];
    for (const { spec, typeOnly } of importsWithKind(source)) {
      const to = join(dirname(from), spec).split(sep).join('/').replace(/\.js$/, '.ts');
      // A cycle is about what runs: an `import type` is gone once compiled, so it makes none (it still obeys the layers).
      if (!typeOnly) targets.push(to);
      const a = layerOf(from);
      const b = layerOf(to);
      if (!a || !b) continue;
      if (EXCEPTIONS.some((e) => e.from === from && e.to === to)) continue;
      const allowed = a.name === b.name || a.may.includes('*') || a.may.includes(b.name);
      if (!allowed) problems.push(`${from} imports ${to}: ${a.name}/ may not import ${b.name}/`);
      else if (a.name === 'component' && b.name === 'component' && componentOf(from) !== componentOf(to)) {
        problems.push(
          `${from} imports ${to}: a component imports only its own files (shared styles go to src/styles/)`,
        );
      }
    }
    graph.set(from, targets);
  }
  for (const cycle of cycles(graph)) problems.push(`import cycle: ${cycle.join(' -> ')}`);
  return problems;
}

/** Every cycle of the graph, each once (found by depth-first search). */
function cycles(graph) {
  const found = [];
  const state = new Map(); // path -> 'open' | 'done'
  const stack = [];
  const visit = (node) => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return found;
}

/** The TypeScript sources under `dirs` of `root`, read. */
export function readTree(root, dirs) {
  const files = new Map();
  for (const dir of dirs) {
    for (const entry of readdirSync(join(root, dir), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.d.ts')) continue;
      const path = relative(root, join(entry.parentPath, entry.name)).split(sep).join('/');
      files.set(path, readFileSync(join(root, path), 'utf8'));
    }
  }
  return files;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
  const problems = check(readTree(root, ['src', 'server', 'console']));
  for (const problem of problems) console.error(problem);
  if (problems.length) {
    console.error(`${problems.length} import(s) break the dependency rule (README, "Layout").`);
    process.exit(1);
  }
  console.log('imports: the dependency rule holds, no cycles');
}
