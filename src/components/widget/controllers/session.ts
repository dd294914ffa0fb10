import type { ReactiveController } from 'lit';
import type { WidgetStore } from '../../../state/store.js';
import type { WidgetState } from '../../../state/types.js';
import type { ChatSession } from '../../../transport/session.js';
import type { ChatTransport } from '../../../transport/transport.js';
import { withParts } from '../parts.js';
import type { WidgetHost } from './host.js';

/** How long `getVisitorNumber` and `isCallbackEnabled` wait for the backend before calling back with an error, ms. */
const BACKEND_TIMEOUT = 15_000;

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
  /** Pending getVisitorNumber / isCallbackEnabled waits; each ends its wait with "no answer". */
  readonly #waits = new Set<() => void>();

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
    for (const abandon of [...this.#waits]) abandon();
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

  /**
   * Calls `done` with the selected value once it is not null (asynchronously, even if it is already known), or with
   * null when the backend has not told it within BACKEND_TIMEOUT, or at once when the widget leaves the page.
   */
  whenKnown<T>(selector: (state: WidgetState) => T | null, done: (value: T | null) => void): void {
    let finished = false;
    /** `later`: from a call or an emission the caller is inside of, so `done` waits for a microtask. */
    const finish = (value: T | null, later = true) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      this.#waits.delete(abandon);
      const end = () => {
        subscription.unsubscribe();
        done(value);
      };
      if (later) queueMicrotask(end);
      else end();
    };
    // The widget left the page: nothing will answer, so say so now rather than keep a timer and the store alive.
    const abandon = () => finish(null);
    const timer = setTimeout(() => finish(null, false), BACKEND_TIMEOUT);
    this.#waits.add(abandon);
    const subscription = this.#store.select(selector).subscribe((value) => {
      if (value !== null) finish(value);
    });
  }
}
