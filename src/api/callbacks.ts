import { safeCall } from '../internal/safe-call.js';
import type { JivoCallbacks } from './types.js';

/** Which page function mirrors which event, and the arguments it gets. */
export const CALLBACKS: ReadonlyArray<
  readonly [event: string, callback: keyof JivoCallbacks, args?: (event: Event) => unknown[]]
> = [
  ['jivo-open', 'jivo_onOpen'],
  ['jivo-close', 'jivo_onClose'],
  ['jivo-change-state', 'jivo_onChangeState', (event) => [(event as CustomEvent<{ state: string }>).detail.state]],
  ['jivo-resize', 'jivo_onResizeCallback'],
  ['jivo-widget-destroy', 'jivo_onWidgetDestroy'],
  ['jivo-message-sent', 'jivo_onMessageSent'],
  ['jivo-client-start-chat', 'jivo_onClientStartChat'],
  ['jivo-accept', 'jivo_onAccept'],
  ['jivo-message-received', 'jivo_onMessageReceived'],
  ['jivo-call-start', 'jivo_onCallStart'],
  ['jivo-call-end', 'jivo_onCallEnd', (event) => [{ ...(event as CustomEvent<object>).detail }]],
  ['jivo-introduction', 'jivo_onIntroduction'],
];

/**
 * Calls `window[name]` if the page defined it. A page callback that throws is logged and does not stop the widget or
 * the code that caused the event.
 */
export function callPage(win: Window, name: keyof JivoCallbacks, args: unknown[] = []): void {
  const callback: unknown = win[name];
  if (typeof callback === 'function') safeCall(callback as () => unknown, args, `window.${name}`, win);
}
