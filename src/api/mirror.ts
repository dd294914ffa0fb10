import { callPage } from './callbacks.js';
import type { JivoCallbacks, JivoApiTarget } from './types.js';

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
 * Mirrors the widget's events to the page's `jivo_on*` callbacks until the returned function is called; `forget` runs
 * when the widget announces its removal. The bridge (`jivo-api.ts`) asks for this when its widget has loaded, which is
 * after the window chunk, where this lives, has.
 */
export function mirrorCallbacks(win: Window, widget: JivoApiTarget, forget: () => void): () => void {
  const handlers = CALLBACKS.map(([type, name, args]) => {
    const handler = (event: Event) => {
      if (event.target !== widget) return;
      if (type === 'jivo-widget-destroy') forget();
      callPage(win, name, args?.(event));
    };
    widget.addEventListener(type, handler);
    return [type, handler] as const;
  });
  return () => handlers.forEach(([type, handler]) => widget.removeEventListener(type, handler));
}
