import type { JivoCallbacks } from './types.js';

/** Which page function mirrors which event, and the arguments it gets. */
export const CALLBACKS: ReadonlyArray<readonly [event: string, callback: keyof JivoCallbacks, args?: (event: Event) => unknown[]]> = [
  ['jivo-open', 'jivo_onOpen'],
  ['jivo-close', 'jivo_onClose'],
  ['jivo-change-state', 'jivo_onChangeState', (event) => [(event as CustomEvent<{ state: string }>).detail.state]],
  ['jivo-resize', 'jivo_onResizeCallback'],
  ['jivo-widget-destroy', 'jivo_onWidgetDestroy'],
];

/**
 * Calls `window[name]` if the page defined it. A page callback that throws is logged and does not stop the widget or
 * the code that caused the event.
 */
export function callPage(win: Window, name: keyof JivoCallbacks, args: unknown[] = []): void {
  const callback: unknown = win[name];
  if (typeof callback !== 'function') return;
  try {
    callback.apply(win, args);
  } catch (error) {
    console.error(`jivo-widget: window.${name} threw; the widget goes on.`, error);
  }
}
