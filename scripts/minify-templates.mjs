// An esbuild plugin for the script bundles: minifies the static text of Lit's html`` and css`` templates, which
// esbuild keeps as written (indentation and comments were about a tenth of the widget's own bytes).
// - css``: comments go, runs of white space become one space, and none is kept around { } ; , > or after a colon
//   (never before one, where `a :hover` differs from `a:hover`, nor inside calc(), where `- 2px` needs its spaces).
// - html``: a run of white space that holds a line break becomes one space. HTML collapses such runs to one space
//   anyway, except in pre-wrap text; the widget's pre-wrap elements (message and invitation text) hold nothing but
//   their interpolation, so no text the visitor sees changes.
// Interpolations are kept, and templates nested in them are minified too. Comments, strings and untagged templates
// outside are copied as they are.
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

/** Minifies one static piece of an html`` template. */
export const minifyHtml = (text) => text.replace(/\s*\n\s*/g, ' ');

const MINIFY = { css: minifyCss, html: minifyHtml };

/** The source with every html`` and css`` template's static text minified. */
export function minifyTemplates(source) {
  let i = 0;
  const end = source.length;

  /** Copies a quoted string starting at `i` (its quote). */
  const string = () => {
    const quote = source[i];
    let j = i + 1;
    while (j < end && source[j] !== quote) j += source[j] === '\\' ? 2 : 1;
    const out = source.slice(i, j + 1);
    i = j + 1;
    return out;
  };

  /** A template literal whose backtick is at `i`, minified with `minify` (or copied, for an untagged one). */
  const template = (minify) => {
    let out = '`';
    let text = '';
    i++;
    while (i < end && source[i] !== '`') {
      if (source[i] === '\\') {
        text += source.slice(i, i + 2);
        i += 2;
      } else if (source[i] === '$' && source[i + 1] === '{') {
        out += (minify ? minify(text) : text) + '${';
        text = '';
        i += 2;
        out += code('}');
        out += '}';
        i++;
      } else text += source[i++];
    }
    if (i >= end) throw new Error('unterminated template literal');
    i++;
    return out + (minify ? minify(text) : text) + '`';
  };

  /** Code up to `stop` at depth 0 (or the end), with its strings, comments and templates handled. */
  const code = (stop) => {
    let out = '';
    let depth = 0;
    while (i < end) {
      const c = source[i];
      if (stop && depth === 0 && c === stop) return out;
      if (c === '{') depth++;
      else if (c === '}') depth--;
      if (c === '"' || c === "'") out += string();
      else if (c === '/' && source[i + 1] === '/') {
        const j = source.indexOf('\n', i);
        out += source.slice(i, j < 0 ? end : j);
        i = j < 0 ? end : j;
      } else if (c === '/' && source[i + 1] === '*') {
        const j = source.indexOf('*/', i + 2) + 2;
        out += source.slice(i, j);
        i = j;
      } else if (c === '`') {
        const tag = /\b(html|css)\s*$/.exec(out)?.[1];
        out += template(tag && MINIFY[tag]);
      } else out += source[i++];
    }
    return out;
  };

  return code(null);
}

export const minifyTemplatesPlugin = {
  name: 'minify-templates',
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, async ({ path }) => {
      const source = await readFile(path, 'utf8');
      return /\b(html|css)`/.test(source) ? { contents: minifyTemplates(source), loader: 'ts' } : undefined;
    });
  },
};
