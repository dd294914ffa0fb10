import type { WidgetStore } from '../../../state/store.js';
import { FocusKeeper } from './focus.js';
import type { WidgetHost } from './host.js';
import { StatusAnnouncer } from './status.js';

/**
 * What the window chunk adds for keyboard and screen-reader visitors: where focus goes (focus.ts) and the status
 * region (status.ts). Returns what stops both.
 */
export function startAccessibility(host: WidgetHost, store: WidgetStore): () => void {
  const focus = new FocusKeeper(host, store);
  const status = new StatusAnnouncer(host, store);
  return () => {
    focus.stop();
    status.stop();
  };
}
