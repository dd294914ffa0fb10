/**
 * The entry of the script bundles (`dist/jivo-widget.js`, `dist/jivo-widget.iife.js`): defines the launcher and the
 * root element and installs `window.jivo_api`; the rest of the widget (`window-chunk.ts`) follows as a lazy chunk.
 * Exports nothing: modules import from the package (`src/index.ts`) instead. Loading it twice is harmless.
 */
import { installJivoApi } from '../api/jivo-api.js';
import { JivoLauncher } from '../components/launcher/launcher.js';
import { JivoWidget } from '../components/widget/widget.js';
import { define } from '../internal/define.js';

define('jivo-launcher', JivoLauncher);
define('jivo-widget', JivoWidget);
installJivoApi(window);
