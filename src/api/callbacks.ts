import { safeCall } from '../internal/safe-call.js';
import type { JivoCallbacks } from './types.js';

/**
 * Calls `window[name]` if the page defined it. A page callback that throws is logged and does not stop the widget or
 * the code that caused the event.
 */
export function callPage(win: Window, name: keyof JivoCallbacks, args: unknown[] = []): void {
  const callback: unknown = win[name];
  if (typeof callback === 'function') safeCall(callback as () => unknown, args, `window.${name}`, win);
}
