import type { WidgetStore } from '../../../state/store.js';
import { FocusKeeper } from './focus.js';
import type { WidgetHost } from './host.js';
import { StatusAnnouncer } from './status.js';
import { startAttention } from './attention.js';

/**
 * What the window chunk adds for keyboard and screen-reader visitors: where focus goes (focus.ts) and the status
 * region (status.ts); and for every visitor, the page title's count and the desktop notifications of replies that
 * arrive while the page is hidden (attention.ts). Returns what stops them.
 */
export function startAccessibility(host: WidgetHost, store: WidgetStore): () => void {
  const focus = new FocusKeeper(host, store);
  const status = new StatusAnnouncer(host, store);
  const attention = startAttention(host, store);
  return () => {
    attention();
    focus.stop();
    status.stop();
  };
}
