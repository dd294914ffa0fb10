import type { WidgetStore } from '../../../state/store.js';
import { FocusKeeper } from './focus.js';
import type { WidgetHost } from './host.js';

/**
 * What the window chunk adds for keyboard and screen-reader visitors: where focus goes (focus.ts). Returns what
 * stops it.
 */
export function startAccessibility(host: WidgetHost, store: WidgetStore): () => void {
  const focus = new FocusKeeper(host, store);
  return () => focus.stop();
}
