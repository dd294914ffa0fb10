// The groups of shipped files that byte budgets and the bench measure. The module bundle is split:
// dist/jivo-widget.js and the chunks it imports statically are what a page loads before the launcher shows
// ("launcher"); the chunks it imports dynamically follow after the first render. A page loads at most one language
// chunk (chunks/lang-<code>-*.js, none for English): "all" is every file of the build but the language chunks (what
// an English page loads, at most), and "language" the largest language chunk (what any other page adds to it).
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';

/** The file and every file it imports statically (`import … from "./x.js"`, `import "./x.js"`), transitively. */
function staticGraph(file, seen = new Set()) {
  if (seen.has(file)) return seen;
  seen.add(file);
  const code = readFileSync(file, 'utf8');
  for (const [, spec] of code.matchAll(/(?:\bfrom|\bimport)\s*"(\.\.?\/[^"]+)"/g))
    staticGraph(join(dirname(file), spec), seen);
  return seen;
}

const brotli = (file) =>
  brotliCompressSync(readFileSync(file), { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;

/** Whether a file of dist/chunks is a language's catalogue. */
export const isLanguageChunk = (file) => /^lang-[a-z]+-/.test(basename(file));

/** `{launcher, all, language, iife}`: absolute paths of the files in each group. */
export function bundleGroups(root) {
  const chunkDir = join(root, 'dist/chunks');
  const chunks = readdirSync(chunkDir)
    .filter((f) => f.endsWith('.js'))
    .map((f) => join(chunkDir, f));
  const entry = join(root, 'dist/jivo-widget.js');
  const languages = chunks.filter(isLanguageChunk).sort((a, b) => brotli(b) - brotli(a));
  return {
    launcher: [...staticGraph(entry)],
    all: [entry, ...chunks.filter((f) => !isLanguageChunk(f))],
    language: languages.slice(0, 1),
    iife: [join(root, 'dist/jivo-widget.iife.js')],
  };
}
