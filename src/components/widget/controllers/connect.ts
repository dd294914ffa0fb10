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
  if (!transport && host.endpoint) {
    const url = resolveEndpoint(host.endpoint, location.href);
    if (!url) {
      console.warn(
        `jivo-widget: endpoint ${JSON.stringify(host.endpoint)} is not a ws:, wss:, http: or https: address`,
      );
      return;
    }
    transport = new WebSocketTransport(url);
  }
  if (!transport) return;
  const session = new ChatSession(store, transport, {
    widgetId: host.namespace,
    page: () => ({ url: location.href.slice(0, 2048), title: siteTitle().slice(0, 300) }),
  });
  session.start();
  return session;
}
