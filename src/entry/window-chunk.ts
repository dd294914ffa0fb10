/**
 * Everything the widget needs beyond its launcher: the window's elements, the backend connection and the trigger
 * engine. The root element loads this module right after its first render, so the launcher never waits for it; in the
 * script bundle it is a separate chunk, fetched while the page is still loading. (On a page whose Trusted Types policy
 * keeps the widget from starting, the entry loads it only for `reportLitPolicyRefusal`.)
 */
import { provideMirror } from '../api/jivo-api.js';
import { mirrorCallbacks } from '../api/mirror.js';
import { drainQueue } from '../api/queue.js';
import { defineWindowElements } from './define-window.js';

defineWindowElements();
provideMirror(mirrorCallbacks);
// The page's early calls (window.jivo_queue) run when a widget has loaded, which is after this chunk has, and before
// jivo_onLoadCallback: this listener captures on the window, the bridge's listens on the document.
window.addEventListener('jivo-load', () => drainQueue(window), { capture: true });

export { reportLitPolicyRefusal } from './lit-policy-refused.js';
export { persistFreshVisitor, restorePersisted, takeCall } from '../state/persisted.js';
export { connect } from '../components/widget/controllers/connect.js';
export { startTriggerEngine } from '../components/widget/controllers/trigger-engine.js';
export { parseRules } from '../triggers/parse.js';
export { followTabs } from '../components/widget/controllers/tabs.js';
export { startAccessibility } from '../components/widget/controllers/accessibility.js';
export { announceStoreEvents } from '../components/widget/controllers/store-events.js';
export { WidgetApi } from '../api/methods.js';
