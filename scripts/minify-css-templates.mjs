// An esbuild plugin for the bundles: minifies the text of Lit's css`` templates, which esbuild keeps as written
// (whitespace and comments are about a tenth of the styles' bytes). Only the static text between interpolations
// changes; `${…}` parts are kept as they are. What it removes carries no meaning in CSS: comments, runs of whitespace,
// and whitespace around { } ; , > and after : (never before a :, nor inside calc(), where it can matter).
import { readFile } from 'node:fs/promises';

/** Minifies one static piece of CSS text. */
export function minifyCss(text) {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};,>])\s*/g, '$1')
    .replace(/:\s+/g, ':')
    .replace(/;}/g, '}');
}

/** The source with every css`` template's static text minified. */
export function minifyCssTemplates(source) {
  let out = '';
  let at = 0;
  for (;;) {
    const start = source.indexOf('css`', at);
    if (start < 0) return out + source.slice(at);
    out += source.slice(at, start + 4);
    let i = start + 4;
    let text = '';
    // Up to the closing backtick; interpolations are copied through, balancing their braces.
    while (source[i] !== '`') {
      if (source[i] === '\\') {
        text += source.slice(i, i + 2);
        i += 2;
      } else if (source[i] === '$' && source[i + 1] === '{') {
        out += minifyCss(text);
        text = '';
        let depth = 0;
        const from = i;
        do {
          if (source[i] === '{') depth++;
          else if (source[i] === '}') depth--;
          i++;
        } while (depth > 0);
        out += source.slice(from, i);
      } else {
        text += source[i++];
      }
      if (i >= source.length) throw new Error('unterminated css`` template');
    }
    out += minifyCss(text) + '`';
    at = i + 1;
  }
}

export const minifyCssTemplatesPlugin = {
  name: 'minify-css-templates',
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, async ({ path }) => {
      const source = await readFile(path, 'utf8');
      return source.includes('css`') ? { contents: minifyCssTemplates(source), loader: 'ts' } : undefined;
    });
  },
};
