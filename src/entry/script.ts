/**
 * The entry of the script bundles (`dist/jivo-widget.js`, `dist/jivo-widget.iife.js`): defines the launcher and the
 * root element and installs `window.jivo_api`; the rest of the widget (`window-chunk.ts`) follows as a lazy chunk.
 * Exports nothing: modules import from the package (`src/index.ts`) instead. Loading it twice is harmless.
 *
 * Where the page's Trusted Types policy refused Lit's (`lit-policy.ts`), nothing is defined, and `jivo_api` answers
 * every call with the reason instead; the console says which line the Content-Security-Policy needs. Nothing throws
 * into the page either way.
 */
import { installJivoApi } from '../api/jivo-api.js';
import { JivoLauncher } from '../components/launcher/launcher.js';
import { loadWindowChunk } from '../components/widget/load-window-chunk.js';
import { JivoWidget } from '../components/widget/widget.js';
import { setChunkBase } from '../i18n/fetch-catalog.js';
import { define } from '../internal/define.js';
import { litPolicyRefusal, TRUSTED_TYPES_REFUSED } from './lit-policy.js';

// The language chunks are in chunks/ beside the script: the classic script knows its address from its <script>
// element (only while it runs, so it is read now), the module bundle from import.meta.
// (A script run some other way, evaluated as text, has neither: its languages fall back to English.)
const from = (document.currentScript as HTMLScriptElement | null)?.src || import.meta.url;
if (from) setChunkBase(new URL('chunks/', from).href);

if (!litPolicyRefusal) {
  define('jivo-launcher', JivoLauncher);
  define('jivo-widget', JivoWidget);
  installJivoApi(window);
} else if (!customElements.get('jivo-widget')) {
  // (Were the widget defined, another copy of the script would serve the page, its Lit having made the policy that this
  // copy's could not make again: nothing to say.) The console's explanation and the answers to the page's queued calls
  // come with the window chunk, which the classic script has already.
  installJivoApi(window, TRUSTED_TYPES_REFUSED);
  void loadWindowChunk().then(({ reportLitPolicyRefusal }) => reportLitPolicyRefusal(window, litPolicyRefusal!.error));
}
