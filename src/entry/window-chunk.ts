/**
 * Everything the widget needs beyond its launcher: the window's elements, the backend connection, the trigger engine,
 * the API's method bodies and the store's conversation updates. The root element loads this module once the page has
 * loaded and is idle, or at once when the visitor reaches for the widget or the page calls the API
 * (`components/widget/parts.ts`), so the launcher never waits for it and it never competes with the page's own
 * loading. (On a page whose Trusted Types policy keeps the widget from starting, the entry loads it only for
 * `reportLitPolicyRefusal`.)
 */
import { provideMirror } from '../api/jivo-api.js';
import { mirrorCallbacks } from '../api/mirror.js';
import { drainQueue } from '../api/queue.js';
import { defineWindowElements } from './define-window.js';
// The store's conversation updates, before anything here can call them.
import '../state/chat.js';

defineWindowElements();
provideMirror(mirrorCallbacks);
// The page's early calls (window.jivo_queue) run when a widget has loaded, which is after this chunk has, and before
// jivo_onLoadCallback: this listener captures on the window, the bridge's listens on the document.
window.addEventListener('jivo-load', () => drainQueue(window), { capture: true });

export { reportLitPolicyRefusal } from './lit-policy-refused.js';
export { persistFreshVisitor, restorePersisted, takeCall } from '../state/persisted.js';
export { connect } from '../components/widget/controllers/connect.js';
export { TriggersController } from '../components/widget/controllers/triggers.js';
export { followTabs } from '../components/widget/controllers/tabs.js';
export { startAccessibility } from '../components/widget/controllers/accessibility.js';
export { announceStoreEvents } from '../components/widget/controllers/store-events.js';
export { WidgetApi } from '../api/methods.js';
export { documentParsed, observeResize, prepareWindow } from '../components/widget/controllers/page-ready.js';
export { followViewport } from '../components/widget/controllers/follow-viewport.js';
export { nextTask } from '../internal/next-task.js';
