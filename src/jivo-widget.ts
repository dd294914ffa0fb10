/**
 * The bundle entry for `<script>` use: defines every element and installs `window.jivo_api`, `jivo_init` and
 * `jivo_destroy`. Loading it twice is harmless.
 */
import { installJivoApi } from './api/jivo-api.js';
import { defineJivoElements } from './define.js';

defineJivoElements();
installJivoApi(window);

export * from './index.js';
