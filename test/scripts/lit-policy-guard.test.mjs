// The build's guard around Lit's Trusted Types policy (scripts/lit-policy-guard.mjs): it finds the one call in the Lit
// the bundles ship, and refuses to build when it cannot (a Lit upgrade that moved the call would otherwise drop the
// guard without a word). What the guard does in a browser is tested in test/api/trusted-types.test.ts.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { guardLitPolicy } from '../../scripts/lit-policy-guard.mjs';

const root = resolve(dirname(new URL(import.meta.url).pathname), '../..');
const litHtml = (file) => readFileSync(join(root, 'node_modules/lit-html', file), 'utf8');

describe('the Lit policy guard', () => {
  for (const file of ['lit-html.js', 'development/lit-html.js']) {
    it(`routes the one createPolicy("lit-html") of ${file} through createLitPolicy`, () => {
      const guarded = guardLitPolicy(litHtml(file), '/src/entry/lit-policy.ts');
      assert.match(guarded, /^import\{createLitPolicy as __jivoCreateLitPolicy\}from"\/src\/entry\/lit-policy\.ts";/);
      assert.equal(guarded.match(/__jivoCreateLitPolicy\([\w$]+,"lit-html",/g)?.length, 1);
      assert.doesNotMatch(guarded, /\.createPolicy\(/);
    });
  }

  it('refuses a source with no such call, or with two', () => {
    assert.throws(
      () => guardLitPolicy('const p = 1;', '/x.ts'),
      /expected one createPolicy\("lit-html", …\) in lit-html, found 0/,
    );
    const twice = 'a=t.createPolicy("lit-html",{});b=t.createPolicy(\'lit-html\',{});';
    assert.throws(() => guardLitPolicy(twice, '/x.ts'), /found 2/);
  });
});
