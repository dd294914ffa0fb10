/**
 * Everything the widget needs beyond its launcher: the window's elements, the backend connection and the trigger
 * engine. The root element loads this module right after its first render, so the launcher never waits for it; in the
 * script bundle it is a separate chunk, fetched while the page is still loading.
 */
import { defineWindowElements } from './define-window.js';

defineWindowElements();

export { connect } from '../components/widget/controllers/connect.js';
export { startTriggerEngine } from '../components/widget/controllers/trigger-engine.js';
export { parseRules } from '../triggers/parse.js';
export { startAccessibility } from '../components/widget/controllers/accessibility.js';
