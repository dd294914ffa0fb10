/**
 * Makes the manifest stable and true: modules in path order, and only the documented `jivo-*` events (the analyzer
 * also guesses event names from `new SomeEvent(arg)` arguments).
 */
function tidyManifest() {
  return {
    name: 'jivo-manifest-tidy',
    packageLinkPhase({ customElementsManifest }) {
      // The analyzer reads files concurrently, so module order varies between runs; sort it for a stable manifest.
      customElementsManifest.modules.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      for (const mod of customElementsManifest.modules) {
        for (const declaration of mod.declarations ?? []) {
          if (declaration.events) declaration.events = declaration.events.filter((e) => e.name?.startsWith('jivo-'));
        }
      }
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
  plugins: [tidyManifest()],
};
