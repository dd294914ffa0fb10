import { isId } from '../../../model/guards.js';
import { storageKey } from '../../../state/persisted.js';
import type { WidgetStore } from '../../../state/store.js';
import { ChatSession } from '../../../transport/session.js';
import { WebSocketTransport } from '../../../transport/websocket-transport.js';
import type { WidgetHost } from './host.js';
import { siteTitle } from './attention.js';

/**
 * The WebSocket address for an `endpoint` attribute: `ws:`/`wss:` as given, `http(s):` and page-relative paths
 * turned into the matching WebSocket scheme. Null for anything else.
 */
export function resolveEndpoint(endpoint: string, base: string): string | null {
  let url: URL;
  try {
    url = new URL(endpoint, base);
  } catch {
    return null;
  }
  if (url.protocol === 'http:' || url.protocol === 'https:') url.protocol = url.protocol === 'http:' ? 'ws:' : 'wss:';
  return url.protocol === 'ws:' || url.protocol === 'wss:' ? url.href : null;
}

/**
 * Starts a session on the host's backend: the site's `transport`, else a WebSocket to `endpoint`; none without either,
 * or for an endpoint that is no WebSocket address. Loaded with the window chunk: the launcher does not wait for it.
 */
export function connect(host: WidgetHost, store: WidgetStore): ChatSession | undefined {
  let transport = host.transport;
  /** Our own backend issues visitor ids: a first visit waits its turn among the site's tabs. */
  let issues = false;
  if (!transport && host.endpoint) {
    const url = resolveEndpoint(host.endpoint, location.href);
    if (!url) {
      console.warn(
        `jivo-widget: endpoint ${JSON.stringify(host.endpoint)} is not a ws:, wss:, http: or https: address`,
      );
      return;
    }
    transport = new WebSocketTransport(url);
    issues = true;
  }
  if (!transport) return;
  const locks = issues ? (navigator.locks as LockManager | undefined) : undefined;
  const session = new ChatSession(store, transport, {
    widgetId: host.namespace,
    page: () => ({ url: location.href.slice(0, 2048), title: siteTitle().slice(0, 300) }),
    // One first visit at a time across the site's tabs (the lock is per origin, like the storage).
    exclusive: locks && ((hello) => void locks.request(storageKey(host.namespace, 'new-visitor'), hello)),
    // Another tab's first visit ended while this one waited: this one does not become a visitor of its own. The
    // storage event of that tab's id (tabs.ts) moves it to that visitor, if it has not already.
    taken: () => {
      try {
        return isId(JSON.parse(localStorage.getItem(storageKey(host.namespace, 'visitorId')) ?? 'null'));
      } catch {
        // Storage blocked (no other tab to follow) or a value that is not ours.
        return false;
      }
    },
  });
  session.start();
  return session;
}
