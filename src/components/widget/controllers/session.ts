import type { ReactiveController } from 'lit';
import type { WidgetStore } from '../../../state/store.js';
import type { ChatSession } from '../../../transport/session.js';
import type { ChatTransport } from '../../../transport/transport.js';
import { withParts } from '../parts.js';
import type { WidgetHost } from './host.js';

/**
 * Connects the store to the backend while the widget is on the page: the site's `transport`, else a WebSocket to
 * `endpoint`, else nothing. Also holds the API's waits for the backend's answers, which end when the widget leaves.
 */
export class SessionController implements ReactiveController {
  readonly #host: WidgetHost;
  readonly #store: WidgetStore;
  #session?: ChatSession;
  /** What the latest start() was given; it also tells a start still waiting for the parts that a newer one ran. */
  #of?: { transport?: ChatTransport; endpoint?: string; namespace: string };
  /**
   * The API's pending waits for the backend (getVisitorNumber, isCallbackEnabled: `methods.ts`); leaving the page ends
   * each with "no answer".
   */
  readonly waits = new Set<() => void>();

  constructor(host: WidgetHost, store: WidgetStore) {
    this.#host = host;
    this.#store = store;
    host.addController(this);
  }

  hostConnected(): void {
    window.addEventListener('online', this.#onOnline);
    this.start();
  }

  hostDisconnected(): void {
    window.removeEventListener('online', this.#onOnline);
    this.stop();
    for (const abandon of [...this.waits]) abandon();
  }

  /** A backend connection runs. */
  get running(): boolean {
    return !!this.#session;
  }

  /** The `transport` or `endpoint` changed since the session started. */
  get outdated(): boolean {
    const of = this.#of;
    return of?.transport !== this.#host.transport || of?.endpoint !== this.#host.endpoint;
  }

  /** (Re)starts the session with the host's current configuration. */
  start(): void {
    this.stop();
    const host = this.#host;
    const of = (this.#of = { transport: host.transport, endpoint: host.endpoint, namespace: host.namespace });
    withParts(
      host,
      () => this.#of === of,
      ({ connect }) => (this.#session = connect(host, this.#store)),
    );
  }

  stop(): void {
    this.#session?.stop();
    this.#session = undefined;
  }

  readonly #onOnline = (): void => {
    // The network is back: reconnect now rather than at the end of a long backoff.
    this.#session?.retryNow();
  };
}
