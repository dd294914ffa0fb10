import { JivoLauncher } from '../components/launcher/launcher.js';
import { JivoWidget } from '../components/widget/widget.js';
import { defineWindowElements } from './define-window.js';
import { define } from '../internal/define.js';

/** Registers every element of the widget. Safe to call more than once, and alongside another copy of the widget. */
export function defineJivoElements(): void {
  // Subcomponents first, so the root's first render upgrades them at once.
  define('jivo-launcher', JivoLauncher);
  defineWindowElements();
  define('jivo-widget', JivoWidget);
}
