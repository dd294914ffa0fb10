// The manifest describes what a user of the package uses, where the package ships it: `<jivo-widget>`, its event
// classes and `defineJivoElements`, declared in `dist/esm/index.js` (the `jivo-widget` import), with the modules that
// register the tag (`jivo-widget/jivo-widget.js` and the script bundle). The widget's inner elements, the store and
// the sources under src/ (not in the package) stay out.

/** Tags a page uses; the other elements are the widget's insides. */
export const PUBLIC_TAGS = ['jivo-widget'];
/** The package's entry, where the public declarations are documented. */
const INDEX = 'dist/esm/index.js';
/** Modules that define the public tags when loaded: the npm side-effect entry and the `<script type="module">` bundle. */
const DEFINING_MODULES = [
  { path: 'dist/esm/jivo-widget.js', reexports: true },
  { path: 'dist/jivo-widget.js', reexports: false },
];
/** Exports of src/index.ts that are the widget's own machinery, not API: the store and the window.jivo_api bridge. */
const INTERNAL_EXPORTS = new Set(['WidgetStore', 'JivoApiBridge']);

const posix = (parts) => {
  const out = [];
  for (const part of parts.join('/').split('/')) {
    if (part === '..') out.pop();
    else if (part && part !== '.') out.push(part);
  }
  return out.join('/');
};

/** `src/a/b.ts` or `/src/a/b.js` → `dist/esm/a/b.js`; a relative re-export path is taken from `from`'s folder. */
function toDist(path, from = 'src/index.ts') {
  const resolved = path.startsWith('.') ? posix([from.split('/').slice(0, -1).join('/'), path]) : posix([path]);
  return resolved.replace(/^src\//, 'dist/esm/').replace(/\.ts$/, '.js');
}

/** The analyzed source module a re-export names. */
const toSource = (path, from) =>
  toDist(path, from)
    .replace(/^dist\/esm\//, 'src/')
    .replace(/\.js$/, '.ts');

/** Every `module` reference inside a declaration, pointed at where the package ships it. */
function relink(value, publicNames) {
  if (Array.isArray(value)) return value.forEach((v) => relink(v, publicNames));
  if (!value || typeof value !== 'object') return;
  if (typeof value.module === 'string' && !value.package) {
    value.module = publicNames.has(value.name) ? INDEX : toDist(value.module);
  }
  for (const v of Object.values(value)) relink(v, publicNames);
}

/** The public declarations: elements with a public tag, the event classes and the functions of src/entry/define.ts. */
function isPublic(mod, declaration) {
  if (declaration.customElement) return PUBLIC_TAGS.includes(declaration.tagName);
  if (mod.path.startsWith('src/events/')) return declaration.kind === 'class';
  return mod.path === 'src/entry/define.ts' && declaration.kind === 'function';
}

function publicManifest() {
  return {
    name: 'jivo-manifest-public',
    packageLinkPhase({ customElementsManifest: manifest }) {
      const modules = new Map(manifest.modules.map((m) => [m.path, m]));
      const internalElements = new Set();
      // The analyzer reads files concurrently; sorting keeps the declarations' order stable.
      const declarations = [];
      for (const mod of [...manifest.modules].sort((a, b) => (a.path < b.path ? -1 : 1))) {
        for (const declaration of mod.declarations ?? []) {
          if (declaration.customElement && !PUBLIC_TAGS.includes(declaration.tagName))
            internalElements.add(declaration.name);
          if (isPublic(mod, declaration)) declarations.push(declaration);
        }
      }
      const publicNames = new Set(declarations.map((d) => d.name));
      for (const declaration of declarations) {
        // Only the documented jivo-* events (the analyzer also guesses names from `new SomeEvent(arg)` arguments).
        if (declaration.events) declaration.events = declaration.events.filter((e) => e.name?.startsWith('jivo-'));
        // #private fields are no API.
        if (declaration.members)
          declaration.members = declaration.members.filter((m) => m.privacy !== 'private' && !m.name.startsWith('#'));
        relink(declaration, publicNames);
      }

      // src/index.ts's exports, each `export *` spelled out, less the inner elements and the internal machinery.
      const expand = (mod) =>
        (mod?.exports ?? []).flatMap((e) => {
          if (e.name !== '*') return [{ ...e, from: mod.path }];
          return expand(modules.get(toSource(e.declaration.module, mod.path)));
        });
      const exports = [];
      const seen = new Set();
      for (const e of expand(modules.get('src/index.ts'))) {
        if (seen.has(e.name) || internalElements.has(e.name) || INTERNAL_EXPORTS.has(e.name)) continue;
        seen.add(e.name);
        const module = publicNames.has(e.name) ? INDEX : toDist(e.declaration.module, e.from);
        exports.push({ kind: 'js', name: e.name, declaration: { name: e.declaration.name, module } });
      }

      const definitions = declarations
        .filter((d) => d.customElement)
        .map((d) => ({
          kind: 'custom-element-definition',
          name: d.tagName,
          declaration: { name: d.name, module: INDEX },
        }));
      // The analyzer labels its output schema 1.0.0 but writes 2.x fields (a field's `attribute`, `reflects`); the
      // result validates against schema 2.1.0, the version tools check for.
      manifest.schemaVersion = '2.1.0';
      manifest.modules = [
        { kind: 'javascript-module', path: INDEX, declarations, exports },
        ...DEFINING_MODULES.map(({ path, reexports }) => ({
          kind: 'javascript-module',
          path,
          declarations: [],
          exports: [
            ...(reexports ? [{ kind: 'js', name: '*', declaration: { name: '*', module: INDEX } }] : []),
            ...definitions,
          ],
        })),
      ];
    },
  };
}

export default {
  // The elements and their public events; the store, transport and helpers are not part of the elements' API.
  globs: ['src/components/**/*.ts', 'src/events/*.ts', 'src/index.ts', 'src/entry/define.ts', 'src/jivo-widget.ts'],
  // The root's controllers and the window-chunk loader are its implementation, not API.
  exclude: ['src/**/*.styles.ts', 'src/components/widget/controllers/**', 'src/components/widget/load-window-chunk.ts'],
  outdir: '.',
  // package.json names the manifest itself; the analyzer would otherwise rewrite that field to wherever it last
  // wrote (the freshness check writes to a temporary folder).
  packagejson: false,
  litelement: true,
  plugins: [publicManifest()],
};
