/**
 * The package's side-effect entry (`import 'jivo-widget/jivo-widget.js'` in an app with a bundler): defines every
 * element at once and installs `window.jivo_api`, `jivo_init` and `jivo_destroy`, and exports what `src/index.ts` does.
 * Loading it twice is harmless, and so is importing it in Node. The `<script>` bundles start from
 * `src/entry/script.ts` instead.
 */
import { installJivoApi } from './api/jivo-api.js';
import { defineJivoElements } from './entry/define.js';

// Imported on a server (server rendering), there is no page: the elements are defined where a custom element registry
// exists (Lit's server build provides one), and jivo_api only where there is a window.
if (typeof customElements !== 'undefined') defineJivoElements();
if (typeof window !== 'undefined') installJivoApi(window);

export * from './index.js';
