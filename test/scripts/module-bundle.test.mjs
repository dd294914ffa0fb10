// The module bundle's linking of the window chunk to the entry (scripts/module-bundle.mjs): the chunk's imports of the
// modules it shares with the launcher become reads of the table that the entry fills. Evaluated here as plain code, the
// rewritten chunk must see the values the table holds under the names its imports gave them. The built bundle itself is
// tested in browsers (test/api/page-loading.test.ts, test/i18n/bundle-languages.test.ts and the CSP tests).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { takeShared } from '../../scripts/module-bundle.mjs';

/** Runs the rewritten code with `table` as the entry's table; returns what `report()` was given. */
function run(code, table) {
  const key = Symbol.for('jivo-widget window-chunk-TESTHASH.js');
  globalThis[key] = table;
  try {
    let reported;
    new Function('report', code)((value) => (reported = value));
    return reported;
  } finally {
    delete globalThis[key];
  }
}

describe('the window chunk linked to the entry', () => {
  it('reads named, renamed, default, string-named and whole-module imports from the table, one slot a value', () => {
    const chunk =
      'var helper=1;import{html as h,css}from"jwshared:0";import d,{map as m}from"jwshared:3";' +
      'import*as ns from"jwshared:5";import{html as h2,"odd-name"as o}from"jwshared:0";import"jwshared:7";' +
      'report([h(),css,d,m,ns.x,h2(),o,helper]);';
    const { code, taken } = takeShared(chunk, 'TESTHASH');
    assert.deepEqual(taken, [
      { index: 0, name: 'html' },
      { index: 0, name: 'css' },
      { index: 3, name: 'default' },
      { index: 3, name: 'map' },
      { index: 5, name: '*' },
      { index: 0, name: 'odd-name' },
    ]);
    const table = [() => 'html', 'css', 'default', 'map', { x: 'whole' }, 'odd'];
    assert.deepEqual(run(code, table), ['html', 'css', 'default', 'map', 'whole', 'html', 'odd', 1]);
  });

  it('keeps the rest of the code at its columns, one line down', () => {
    const chunk = 'var a=1;import{b as c}from"jwshared:2";report(a+c);';
    const { code } = takeShared(chunk, 'TESTHASH');
    const [, rest] = code.split('\n');
    assert.equal(rest.length, chunk.length);
    assert.equal(rest.indexOf('report'), chunk.indexOf('report'));
    assert.equal(run(code, [41]), 42);
  });

  it('refuses an import of a shared module that it does not understand', () => {
    assert.throws(() => takeShared('export*from"jwshared:1";', 'TESTHASH'), /not understood/);
  });
});
