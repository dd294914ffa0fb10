/**
 * The package's side-effect entry (`import 'jivo-widget/jivo-widget.js'` in an app with a bundler): defines every
 * element at once and installs `window.jivo_api`, `jivo_init` and `jivo_destroy`, and exports what `src/index.ts` does.
 * Loading it twice is harmless. The `<script>` bundles start from `src/entry/script.ts` instead.
 */
import { installJivoApi } from './api/jivo-api.js';
import { defineJivoElements } from './entry/define.js';

defineJivoElements();
installJivoApi(window);

export * from './index.js';
