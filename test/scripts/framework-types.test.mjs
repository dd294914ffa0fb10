// The framework typings and editor data (scripts/framework-types.mjs), made from the real manifest: every attribute
// and event of <jivo-widget> reaches each of them. Whether the typings type-check in each framework is for
// `npm run examples:check` (test/types/ and examples/).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { elementsOf, frameworkFiles, literalValues } from '../../scripts/framework-types.mjs';

const read = (file) => JSON.parse(readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8'));
const manifest = read('custom-elements.json');
const pkg = read('package.json');
const files = frameworkFiles(manifest, pkg);
const [widget] = elementsOf(manifest);

describe('framework typings and editor data from custom-elements.json', () => {
  it('has one public element, <jivo-widget>, with attributes and events', () => {
    assert.deepEqual(
      elementsOf(manifest).map((el) => el.tagName),
      ['jivo-widget'],
    );
    assert.ok(widget.attributes.length >= 9 && widget.events.length >= 13);
  });

  it('types every attribute and event in elements.d.ts, and each framework file names every event its way', () => {
    const elements = files['types/elements.d.ts'];
    for (const a of widget.attributes)
      assert.match(elements, new RegExp(`'?${a.name}'?\\?: JivoWidget\\['${a.fieldName}'\\];`));
    for (const e of widget.events) assert.match(elements, new RegExp(`'${e.name}': ${e.type.text};`));
    const forms = { react: 'on', preact: 'on', solid: 'on:', svelte: 'on', vue: '' };
    for (const [framework, prefix] of Object.entries(forms)) {
      const text = files[`types/${framework}.d.ts`];
      for (const e of widget.events)
        assert.ok(text.includes(`'${prefix}${e.name}'`), `${framework}: ${prefix}${e.name}`);
    }
  });

  it('augments the module each framework reads its element types from', () => {
    assert.match(
      files['types/react.d.ts'],
      /declare module 'react' \{\n {2}namespace JSX \{\n {4}interface IntrinsicElements/,
    );
    assert.match(files['types/preact.d.ts'], /declare module 'preact' \{\n {2}namespace JSX/);
    assert.match(files['types/solid.d.ts'], /declare module 'solid-js' \{\n {2}namespace JSX/);
    assert.match(files['types/vue.d.ts'], /declare module 'vue' \{\n {2}interface GlobalComponents/);
    assert.match(
      files['types/svelte.d.ts'],
      /declare module 'svelte\/elements' \{\n {2}export interface SvelteHTMLElements/,
    );
  });

  it('gives VS Code the attributes with their values, the CSS custom properties and the parts', () => {
    const html = JSON.parse(files['vscode.html-custom-data.json']);
    const tag = html.tags.find((t) => t.name === 'jivo-widget');
    const attribute = (name) => tag.attributes.find((a) => a.name === name);
    assert.deepEqual(
      attribute('position').values.map((v) => v.name),
      ['right', 'left'],
    );
    assert.deepEqual(
      attribute('contacts-form').values.map((v) => v.name),
      ['off', 'optional', 'required'],
    );
    assert.equal(attribute('sound').valueSet, 'v');
    const css = JSON.parse(files['vscode.css-custom-data.json']);
    assert.deepEqual(
      css.properties.map((p) => p.name),
      widget.cssProperties.map((p) => p.name),
    );
    assert.ok(css.pseudoElements.some((p) => p.name === '::part(launcher)'));
  });

  it('gives JetBrains IDEs web-types for the package, with the element, its events and its CSS', () => {
    const types = JSON.parse(files['web-types.json']);
    assert.equal(types.name, pkg.name);
    assert.equal(types.version, pkg.version);
    const [element] = types.contributions.html.elements;
    assert.equal(element.name, 'jivo-widget');
    assert.deepEqual(
      element.events.map((e) => e.name),
      widget.events.map((e) => e.name),
    );
    assert.deepEqual(
      element.css.parts.map((p) => p.name),
      widget.cssParts.map((p) => p.name),
    );
  });

  it('reads the values of a union of string literals, and none of anything else', () => {
    assert.deepEqual(literalValues("'right' | 'left' | undefined"), ['right', 'left']);
    assert.deepEqual(literalValues('string | undefined'), []);
    assert.deepEqual(literalValues("'a' | number"), []);
  });
});
