// The groups of shipped files that byte budgets and the bench measure. The module bundle is split:
// dist/jivo-widget.js and the chunks it imports statically are what a page loads before the launcher shows
// ("launcher"); the chunks it imports dynamically follow after the first render ("all" is every file of it).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The file and every file it imports statically (`import … from "./x.js"`, `import "./x.js"`), transitively. */
function staticGraph(file, seen = new Set()) {
  if (seen.has(file)) return seen;
  seen.add(file);
  const code = readFileSync(file, 'utf8');
  for (const [, spec] of code.matchAll(/(?:\bfrom|\bimport)\s*"(\.\.?\/[^"]+)"/g))
    staticGraph(join(dirname(file), spec), seen);
  return seen;
}

/** `{launcher, all, iife}`: absolute paths of the files in each group. */
export function bundleGroups(root) {
  const chunkDir = join(root, 'dist/chunks');
  const chunks = readdirSync(chunkDir)
    .filter((f) => f.endsWith('.js'))
    .map((f) => join(chunkDir, f));
  const entry = join(root, 'dist/jivo-widget.js');
  return {
    launcher: [...staticGraph(entry)],
    all: [entry, ...chunks],
    iife: [join(root, 'dist/jivo-widget.iife.js')],
  };
}
