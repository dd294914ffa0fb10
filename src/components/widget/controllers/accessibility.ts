import { nextTask } from '../../../internal/next-task.js';
import type { WidgetStore } from '../../../state/store.js';
import { FocusKeeper } from './focus.js';
import type { WidgetHost } from './host.js';
import { StatusAnnouncer } from './status.js';
import { startAttention } from './attention.js';

/**
 * What the window chunk adds for keyboard and screen-reader visitors: where focus goes (focus.ts) and the status
 * region (status.ts); and for every visitor, the page title's count and the desktop notifications of replies that
 * arrive while the page is hidden (attention.ts). Each starts in a task of its own, so that starting them never holds
 * up the page for long; `started` resolves once all have, and `stop` stops what has started and what has not.
 */
export function startAccessibility(host: WidgetHost, store: WidgetStore): { stop: () => void; started: Promise<void> } {
  const parts: Array<() => () => void> = [
    () => {
      const focus = new FocusKeeper(host, store);
      return () => focus.stop();
    },
    () => {
      const status = new StatusAnnouncer(host, store);
      return () => status.stop();
    },
    () => startAttention(host, store),
  ];
  const stops: Array<() => void> = [];
  let stopped = false;
  const started = (async () => {
    for (const part of parts) {
      await nextTask();
      if (stopped) return;
      stops.unshift(part());
    }
  })();
  return {
    stop: () => {
      stopped = true;
      for (const stop of stops.splice(0)) stop();
    },
    started,
  };
}
