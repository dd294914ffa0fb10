/** Keeps only the documented `jivo-*` events: the analyzer also guesses names from `new SomeEvent(arg)` arguments. */
function documentedEventsOnly() {
  return {
    name: 'jivo-documented-events-only',
    packageLinkPhase({ customElementsManifest }) {
      for (const mod of customElementsManifest.modules) {
        for (const declaration of mod.declarations ?? []) {
          if (declaration.events) declaration.events = declaration.events.filter((e) => e.name?.startsWith('jivo-'));
        }
      }
    },
  };
}

export default {
  globs: ['src/**/*.ts'],
  exclude: ['src/**/*.styles.ts', 'src/i18n/**', 'src/styles/**'],
  outdir: '.',
  litelement: true,
  plugins: [documentedEventsOnly()],
};
