import { JivoResizeEvent } from '../../../events/resize-event.js';
import type { WidgetStore } from '../../../state/store.js';
import { whenIdle } from '../idle.js';

// What the root element does once the window chunk is there and before it announces its load (announcer.ts).

/**
 * Resolves once the page's own scripts have run: at DOMContentLoaded, which comes after the parser-inserted and the
 * deferred scripts (a site's `defer` script after the widget's module runs after it, yet before this event). Already
 * resolved when the event has passed. readyState alone cannot tell: it is `interactive` both before and after it.
 */
export function documentParsed(): Promise<void> {
  const navigation = performance.getEntriesByType?.('navigation')[0] as PerformanceNavigationTiming | undefined;
  const passed =
    document.readyState === 'complete' ||
    (document.readyState === 'interactive' && (!navigation || navigation.domContentLoadedEventStart > 0));
  if (passed) return Promise.resolve();
  return new Promise((resolve) => document.addEventListener('DOMContentLoaded', () => resolve(), { once: true }));
}

/**
 * Fires `jivo-resize` on `host` whenever the size of its root (`.root`) changes from now on: against its size now, so
 * that a change before the observer's first report (a page that opens the window from its load callback, before the
 * next frame) is one too. Not in every DOM (jsdom, where sites test their pages, has none): without it the widget just
 * reports no resize.
 */
export function observeResize(host: HTMLElement & { readonly renderRoot: HTMLElement | DocumentFragment }) {
  if (!window.ResizeObserver) return undefined;
  const root = host.renderRoot.querySelector('.root')!;
  // The border box, which getBoundingClientRect gives and the observer reports as borderBoxSize (the root has no
  // transform); the event gives the content box, as it always has.
  const box = root.getBoundingClientRect();
  let last = `${box.width}x${box.height}`;
  const observer = new ResizeObserver(([entry]) => {
    const [size] = entry.borderBoxSize;
    const now = `${size.inlineSize}x${size.blockSize}`;
    if (now === last) return;
    last = now;
    host.dispatchEvent(new JivoResizeEvent(entry.contentRect.width, entry.contentRect.height));
  });
  observer.observe(root, { box: 'border-box' });
  return observer;
}

/** How long the window's preparation waits for the backend's welcome before it goes ahead without it, ms. */
export const WELCOME_WAIT = 5_000;

/**
 * Calls `prepare` (which renders the window, hidden, ahead of opening) once the connection has settled (welcomed, or no
 * backend), or WELCOME_WAIT from now, and then the browser is idle: the window is rendered as the welcome leaves it
 * (the conversation, or the offline form when nobody is online), not once before it and again after. The function
 * returned cancels it.
 */
export function prepareWindow(store: WidgetStore, prepare: () => void): () => void {
  let cancel: (() => void) | undefined;
  // (Called by the timer or the subscription below, once both exist; the subscription may call it as it subscribes.)
  const settled = () => {
    if (cancel) return;
    clearTimeout(wait);
    queueMicrotask(() => subscription.unsubscribe());
    cancel = whenIdle(prepare);
  };
  const wait = setTimeout(settled, WELCOME_WAIT);
  const subscription = store.select((s) => s.connection !== 'connecting').subscribe((done) => done && settled());
  return () => {
    clearTimeout(wait);
    subscription.unsubscribe();
    cancel?.();
  };
}
