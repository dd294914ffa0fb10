// The "verbatim" blocks of test/fixtures/reference-examples.js must be the reference document's examples character for
// character (leading indentation aside), so the page really runs what users paste. The document lives outside the
// repository (../shared/reference); where it is absent this check is skipped and says so.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';

import { pathToFileURL } from 'node:url';
import { ROOT, type Frame } from './helpers.js';

const root = pathToFileURL(`${ROOT}/`);
const docUrl = new URL('../shared/reference/jivo-widget-api.txt', root);
const page = readFileSync(new URL('test/fixtures/reference-examples.js', root), 'utf8');

/** Lines with trailing blanks kept and leading indentation removed (the page indents nothing, the doc neither). */
const normalize = (text: Frame) =>
  text
    .split('\n')
    .map((line: Frame) => line.replace(/^\s+/, ''))
    .join('\n');

test(
  'every verbatim block of the reference-examples page is in the document',
  { skip: !existsSync(docUrl) && 'the reference document is not on this machine' },
  () => {
    const doc = normalize(readFileSync(docUrl, 'utf8'));
    const blocks = [...page.matchAll(/\/\/ ---- verbatim: ([^-]+?) ----\n([\s\S]*?)(?=\n\s*\/\/ ---- )/g)];
    assert.ok(blocks.length === 26, `found ${blocks.length} verbatim blocks`);
    for (const [, name, code] of blocks) {
      assert.ok(doc.includes(normalize(code).trim()), `the "${name}" block is not verbatim from the document`);
    }
  },
);
