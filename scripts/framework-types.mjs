// Writes, from custom-elements.json, what frameworks and editors need to know about the public elements:
//   dist/types/elements.d.ts                 each element's attributes, attribute-less properties and events
//   dist/types/{react,preact,solid,vue,svelte}.d.ts   the package's `jivo-widget/<framework>` type entries: each adds
//                                            the elements to that framework's JSX or template types
//   dist/vscode.html-custom-data.json, dist/vscode.css-custom-data.json   VS Code's HTML and CSS custom data
//   dist/web-types.json                      JetBrains IDEs' web-types (package.json "web-types")
//   dist/types/none.js                       what those type entries are at run time: an empty module
// `node scripts/build.mjs` runs it; `node scripts/framework-types.mjs` runs it alone. The typings import the element
// and event classes from dist/esm/index.d.ts, which `tsc -p tsconfig.build.json` writes.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const HEADER = '// Generated from custom-elements.json by scripts/framework-types.mjs; do not edit.';

/** The custom elements of a manifest, each with its module's path. */
export function elementsOf(manifest) {
  return manifest.modules.flatMap((mod) =>
    (mod.declarations ?? []).filter((d) => d.customElement && d.tagName).map((d) => ({ ...d, modulePath: mod.path })),
  );
}

const oneLine = (text = '') => text.replace(/\s+/g, ' ').trim();
/** A JSDoc block at `indent`, or nothing for no text. `*\/` in the text would end the comment early. */
function jsdoc(text, indent = '') {
  const lines = String(text ?? '')
    .trim()
    .replace(/\*\//g, '*\\/')
    .split('\n');
  if (!lines[0]) return '';
  if (lines.length === 1) return `${indent}/** ${lines[0]} */\n`;
  return `${indent}/**\n${lines.map((l) => `${indent} *${l ? ` ${l}` : ''}`).join('\n')}\n${indent} */\n`;
}
const key = (name) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : `'${name}'`);

/** The string values a type text allows, when it is a union of string literals (and undefined). */
export function literalValues(typeText = '') {
  const parts = typeText.split('|').map((p) => p.trim());
  const values = [];
  for (const part of parts) {
    const m = /^(['"])(.*)\1$/.exec(part);
    if (m) values.push(m[2]);
    else if (part !== 'undefined' && part !== 'null') return [];
  }
  return values;
}
const isBoolean = (typeText = '') => typeText.split('|').every((p) => ['boolean', 'undefined'].includes(p.trim()));

/** What the element's public API says, reduced to what the generators need. */
function describe(element) {
  const fields = (element.members ?? []).filter(
    (m) => m.kind === 'field' && !m.static && m.privacy !== 'private' && m.privacy !== 'protected',
  );
  const attributes = (element.attributes ?? []).map((a) => ({
    name: a.name,
    field: a.fieldName,
    type: a.type?.text ?? 'string',
    description: a.description ?? '',
    default: a.default,
  }));
  const withAttribute = new Set(attributes.map((a) => a.field).filter(Boolean));
  const properties = fields
    .filter((f) => !f.readonly && !withAttribute.has(f.name))
    .map((f) => ({ name: f.name, type: f.type?.text ?? 'unknown', description: f.description ?? '' }));
  const events = (element.events ?? []).map((e) => ({
    name: e.name,
    type: e.type?.text && /^[A-Za-z_$][\w$]*$/.test(e.type.text) ? e.type.text : null,
    description: e.description ?? '',
  }));
  return { ...element, fields, attributes, properties, events };
}

/** The hover text for a tag: its summary and description, then its events, parts and CSS properties. */
function tagDoc(el, homepage) {
  const out = [el.summary, el.description].filter(Boolean).map((t) => t.trim());
  if (el.events.length) out.push(`Events: ${el.events.map((e) => `\`${e.name}\``).join(', ')}.`);
  if (el.cssParts?.length) out.push(`CSS parts: ${el.cssParts.map((p) => `\`${p.name}\``).join(', ')}.`);
  if (el.cssProperties?.length)
    out.push(`CSS custom properties: ${el.cssProperties.map((p) => `\`${p.name}\``).join(', ')}.`);
  if (homepage) out.push(`@see ${homepage}`);
  return out.join('\n\n');
}

const pascal = (tag) => tag.replace(/(^|-)([a-z0-9])/g, (_, __, c) => c.toUpperCase());
const fieldType = (el, a) => (a.field ? `${el.name}['${a.field}']` : 'string');

function elementsDts(elements) {
  const classes = new Set(elements.map((el) => el.name));
  for (const el of elements) for (const e of el.events) if (e.type) classes.add(e.type);
  let out = `${HEADER}\n// The public elements' attributes, their properties without an attribute, and their events, for the typings of each\n// framework beside this file.\nimport type { ${[...classes].sort().join(', ')} } from '../esm/index.js';\n`;
  for (const el of elements) {
    const P = pascal(el.tagName);
    out += `\n/** \`<${el.tagName}>\`'s attributes, by attribute name, typed as the properties they set. */\n`;
    out += `export interface ${P}Attributes {\n`;
    for (const a of el.attributes) out += `${jsdoc(a.description, '  ')}  ${key(a.name)}?: ${fieldType(el, a)};\n`;
    out += `}\n\n/** \`<${el.tagName}>\`'s properties that no attribute sets (objects): frameworks set them as properties. */\n`;
    out += `export interface ${P}Properties {\n`;
    for (const p of el.properties) out += `${jsdoc(p.description, '  ')}  ${key(p.name)}?: ${el.name}['${p.name}'];\n`;
    out += `}\n\n/** \`<${el.tagName}>\`'s events, by name: each bubbles and crosses shadow roots. */\n`;
    out += `export interface ${P}Events {\n`;
    for (const e of el.events) out += `${jsdoc(e.description, '  ')}  ${key(e.name)}: ${e.type ?? 'CustomEvent'};\n`;
    out += `}\n`;
  }
  return out;
}

/** Handler props for each event: `${prefix}${event name}`, called with the event's class. */
function handlers(el, prefix, indent = '  ', extra = '') {
  return el.events
    .map(
      (e) =>
        `${jsdoc(e.description, indent)}${indent}${key(prefix + e.name)}?: (event: ${e.type ?? 'CustomEvent'}${extra}) => void;\n`,
    )
    .join('');
}

function importsFor(elements) {
  const classes = new Set(elements.map((el) => el.name));
  for (const el of elements) for (const e of el.events) if (e.type) classes.add(e.type);
  const shared = elements.flatMap((el) => {
    const P = pascal(el.tagName);
    return [`${P}Attributes`, `${P}Properties`, `${P}Events`];
  });
  return (
    `import type { ${[...classes].sort().join(', ')} } from '../esm/index.js';\n` +
    `import type { ${shared.join(', ')} } from './elements.js';\n\n` +
    `export type { ${shared.join(', ')} } from './elements.js';\n`
  );
}

const FRAMEWORKS = {
  react(elements, homepage) {
    let out = `${HEADER}\n// \`import type {} from 'jivo-widget/react'\` (or a reference in a .d.ts) adds the elements to React 19's JSX: attributes\n// and properties by name, and each event as \`on\` + its exact name (\`onjivo-open\`), which React 19 listens to.\nimport type { DetailedHTMLProps, HTMLAttributes } from 'react';\n${importsFor(elements)}`;
    for (const el of elements) {
      const P = pascal(el.tagName);
      out += `\n/** \`<${el.tagName}>\`'s events as React 19 props: \`on\` + the event's name. */\nexport interface ${P}ReactEvents {\n${handlers(el, 'on')}}\n`;
      out += `\n/** \`<${el.tagName}>\`'s props in React 19 JSX. */\nexport type ${P}ReactProps = DetailedHTMLProps<HTMLAttributes<${el.name}>, ${el.name}> &\n  ${P}Attributes &\n  ${P}Properties &\n  ${P}ReactEvents;\n`;
    }
    out += `\ndeclare module 'react' {\n  namespace JSX {\n    interface IntrinsicElements {\n`;
    for (const el of elements)
      out += `${jsdoc(tagDoc(el, homepage), '      ')}      '${el.tagName}': ${pascal(el.tagName)}ReactProps;\n`;
    return `${out}    }\n  }\n}\n`;
  },
  preact(elements, homepage) {
    let out = `${HEADER}\n// \`import type {} from 'jivo-widget/preact'\` adds the elements to Preact's JSX: attributes and properties by name, and\n// each event as \`on\` + its exact name (\`onjivo-open\`).\n// (HTMLAttributes is imported by name: importing preact's JSX here would keep the augmentation below from applying.)\nimport type { HTMLAttributes } from 'preact';\n${importsFor(elements)}`;
    for (const el of elements) {
      const P = pascal(el.tagName);
      out += `\n/** \`<${el.tagName}>\`'s events as Preact props: \`on\` + the event's name. */\nexport interface ${P}PreactEvents {\n${handlers(el, 'on')}}\n`;
      out += `\n/** \`<${el.tagName}>\`'s props in Preact JSX. */\nexport type ${P}PreactProps = HTMLAttributes<${el.name}> & ${P}Attributes & ${P}Properties & ${P}PreactEvents;\n`;
    }
    out += `\ndeclare module 'preact' {\n  namespace JSX {\n    interface IntrinsicElements {\n`;
    for (const el of elements)
      out += `${jsdoc(tagDoc(el, homepage), '      ')}      '${el.tagName}': ${pascal(el.tagName)}PreactProps;\n`;
    return `${out}    }\n  }\n}\n`;
  },
  solid(elements, homepage) {
    let out = `${HEADER}\n// \`import type {} from 'jivo-widget/solid'\` adds the elements to Solid's JSX: attributes by name, object properties as\n// \`prop:name\`, and each event as \`on:\` + its exact name (\`on:jivo-open\`).\nimport type { JSX } from 'solid-js';\n${importsFor(elements)}`;
    for (const el of elements) {
      const P = pascal(el.tagName);
      out += `\n/** \`<${el.tagName}>\`'s events and object properties in Solid's namespaced form. */\nexport interface ${P}SolidExtras {\n${handlers(el, 'on:')}`;
      for (const p of el.properties)
        out += `${jsdoc(p.description, '  ')}  ${key(`prop:${p.name}`)}?: ${el.name}['${p.name}'];\n`;
      out += `}\n\n/** \`<${el.tagName}>\`'s props in Solid JSX. */\nexport type ${P}SolidProps = JSX.HTMLAttributes<${el.name}> & ${P}Attributes & ${P}Properties & ${P}SolidExtras;\n`;
    }
    out += `\ndeclare module 'solid-js' {\n  namespace JSX {\n    interface IntrinsicElements {\n`;
    for (const el of elements)
      out += `${jsdoc(tagDoc(el, homepage), '      ')}      '${el.tagName}': ${pascal(el.tagName)}SolidProps;\n`;
    return `${out}    }\n  }\n}\n`;
  },
  vue(elements, homepage) {
    let out = `${HEADER}\n// \`import type {} from 'jivo-widget/vue'\` registers the elements in Vue's GlobalComponents, so that vue-tsc and Volar\n// check their attributes (\`widget-id\` or \`widgetId\`) and events (\`@jivo-open\`). Vue must also be told they are custom\n// elements: \`compilerOptions.isCustomElement: (tag) => tag.startsWith('jivo-')\`.\nimport type { EmitFn, HTMLAttributes, PublicProps } from 'vue';\n${importsFor(elements)}`;
    for (const el of elements) {
      const P = pascal(el.tagName);
      const props = [...el.attributes.map((a) => a.field).filter(Boolean), ...el.properties.map((p) => p.name)];
      out += `\n/** \`<${el.tagName}>\`'s props in Vue templates. */\nexport type ${P}VueProps = HTMLAttributes & Partial<Pick<${el.name}, ${props.map((p) => `'${p}'`).join(' | ')}>>;\n`;
      out += `\n/** \`<${el.tagName}>\`'s events in Vue templates (\`@jivo-open\`). */\nexport type ${P}VueEmits = {\n`;
      for (const e of el.events)
        out += `${jsdoc(e.description, '  ')}  ${key(e.name)}: (event: ${e.type ?? 'CustomEvent'}) => void;\n`;
      out += `};\n`;
    }
    out += `\ndeclare module 'vue' {\n  interface GlobalComponents {\n`;
    for (const el of elements) {
      const P = pascal(el.tagName);
      out += `${jsdoc(tagDoc(el, homepage), '    ')}    '${el.tagName}': new () => ${el.name} & {\n      /** For template type checks only: the element has no \`$props\`. */\n      $props: ${P}VueProps & PublicProps;\n      /** For template type checks only: the element has no \`$emit\`. */\n      $emit: EmitFn<${P}VueEmits>;\n    };\n`;
    }
    return `${out}  }\n}\n`;
  },
  svelte(elements, homepage) {
    let out = `${HEADER}\n// \`import type {} from 'jivo-widget/svelte'\` adds the elements to Svelte's element types (svelte-check, the Svelte\n// language server): attributes and properties by name, and each event as \`on\` + its exact name (\`onjivo-open\`, Svelte\n// 5) or \`on:\` + its name (\`on:jivo-open\`, Svelte 4).\nimport type { HTMLAttributes } from 'svelte/elements';\n${importsFor(elements)}`;
    for (const el of elements) {
      const P = pascal(el.tagName);
      out += `\n/** \`<${el.tagName}>\`'s events as Svelte 5 event attributes and Svelte 4 \`on:\` directives. */\nexport interface ${P}SvelteEvents {\n${handlers(el, 'on')}${handlers(el, 'on:')}}\n`;
      out += `\n/** \`<${el.tagName}>\`'s attributes in Svelte markup. */\nexport type ${P}SvelteProps = HTMLAttributes<${el.name}> & ${P}Attributes & ${P}Properties & ${P}SvelteEvents;\n`;
    }
    out += `\ndeclare module 'svelte/elements' {\n  export interface SvelteHTMLElements {\n`;
    for (const el of elements)
      out += `${jsdoc(tagDoc(el, homepage), '    ')}    '${el.tagName}': ${pascal(el.tagName)}SvelteProps;\n`;
    return `${out}  }\n}\n`;
  },
};

const markdown = (value) => ({ kind: 'markdown', value });

function vscodeHtml(elements, homepage) {
  return {
    $schema: 'https://raw.githubusercontent.com/microsoft/vscode-html-languageservice/main/docs/customData.schema.json',
    version: 1.1,
    tags: elements.map((el) => ({
      name: el.tagName,
      description: markdown(tagDoc(el).trim()),
      attributes: el.attributes.map((a) => {
        const values = literalValues(a.type);
        return {
          name: a.name,
          description: markdown(oneLine(a.description)),
          ...(isBoolean(a.type) ? { valueSet: 'v' } : {}),
          ...(values.length ? { values: values.map((name) => ({ name })) } : {}),
        };
      }),
      ...(homepage ? { references: [{ name: 'README', url: homepage }] } : {}),
    })),
  };
}

function vscodeCss(elements) {
  return {
    $schema: 'https://raw.githubusercontent.com/microsoft/vscode-css-languageservice/main/docs/customData.schema.json',
    version: 1.1,
    properties: elements.flatMap((el) =>
      (el.cssProperties ?? []).map((p) => ({
        name: p.name,
        description: markdown(
          `${oneLine(p.description)}${p.default ? ` Default: \`${p.default}\`.` : ''} (\`<${el.tagName}>\`)`,
        ),
      })),
    ),
    pseudoElements: elements.flatMap((el) =>
      (el.cssParts ?? []).map((p) => ({
        name: `::part(${p.name})`,
        description: markdown(`${oneLine(p.description)} (\`<${el.tagName}>\`)`),
      })),
    ),
  };
}

function webTypes(elements, pkg) {
  return {
    $schema: 'https://json.schemastore.org/web-types',
    name: pkg.name,
    version: pkg.version,
    'description-markup': 'markdown',
    'js-types-syntax': 'typescript',
    contributions: {
      html: {
        elements: elements.map((el) => ({
          name: el.tagName,
          description: [el.summary, el.description].filter(Boolean).join('\n\n'),
          ...(pkg.homepage ? { 'doc-url': pkg.homepage } : {}),
          source: { module: `./${el.modulePath}`, symbol: el.name },
          attributes: el.attributes.map((a) => ({
            name: a.name,
            description: oneLine(a.description),
            ...(a.default ? { default: a.default } : {}),
            value: isBoolean(a.type)
              ? { type: 'boolean', required: false }
              : { type: a.type.replace(/\s*\|\s*undefined/g, ''), required: false },
          })),
          events: el.events.map((e) => ({ name: e.name, description: oneLine(e.description) })),
          js: {
            properties: el.fields.map((f) => ({
              name: f.name,
              description: oneLine(f.description),
              type: f.type?.text ?? 'unknown',
            })),
            events: el.events.map((e) => ({ name: e.name, description: oneLine(e.description) })),
          },
          css: {
            properties: (el.cssProperties ?? []).map((p) => ({ name: p.name, description: oneLine(p.description) })),
            parts: (el.cssParts ?? []).map((p) => ({ name: p.name, description: oneLine(p.description) })),
          },
        })),
      },
    },
  };
}

/** Every generated file, by path relative to dist/. */
export function frameworkFiles(manifest, pkg) {
  const elements = elementsOf(manifest).map(describe);
  const files = { 'types/elements.d.ts': elementsDts(elements) };
  for (const [name, make] of Object.entries(FRAMEWORKS)) files[`types/${name}.d.ts`] = make(elements, pkg.homepage);
  // The type entries are types only; an `import 'jivo-widget/react'` that a build keeps (verbatimModuleSyntax) loads
  // this empty module instead of failing to resolve.
  files['types/none.js'] =
    `${HEADER}\n// The jivo-widget/<framework> entries are types only: at run time they are this empty module.\nexport {};\n`;
  const json = (value) => `${JSON.stringify(value, null, 2)}\n`;
  files['vscode.html-custom-data.json'] = json(vscodeHtml(elements, pkg.homepage));
  files['vscode.css-custom-data.json'] = json(vscodeCss(elements));
  files['web-types.json'] = json(webTypes(elements, pkg));
  return files;
}

/** Writes the files into `dist` of `root`. */
export function writeFrameworkTypes(root) {
  const read = (file) => JSON.parse(readFileSync(join(root, file), 'utf8'));
  const files = frameworkFiles(read('custom-elements.json'), read('package.json'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, 'dist', path, '..'), { recursive: true });
    writeFileSync(join(root, 'dist', path), text);
  }
  return Object.keys(files);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFrameworkTypes(new URL('..', import.meta.url).pathname);
}
