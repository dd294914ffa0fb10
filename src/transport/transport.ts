import type { Observable } from 'rxjs';
import type { BackendFrame, VisitorFrame } from './protocol.js';

/** `open`: frames can be sent. `connecting`: trying, or waiting to try again. `closed`: stopped by `disconnect()`. */
export type TransportStatus = 'connecting' | 'open' | 'closed';

/**
 * How the widget reaches a chat backend: streams in, commands out. The widget ships a WebSocket implementation
 * (`WebSocketTransport`); a site with its own backend can give `<jivo-widget>` any object of this shape through its
 * `transport` property, as long as it speaks the frames of protocol.ts.
 */
export interface ChatTransport {
  /** Frames from the backend, already validated. */
  readonly frames$: Observable<BackendFrame>;
  /** The connection's status, starting with the current one. */
  readonly status$: Observable<TransportStatus>;
  /** Starts connecting, and keeps reconnecting until `disconnect()`. */
  connect(): void;
  /** Sends a frame if the connection is open; returns whether it went out. */
  send(frame: VisitorFrame): boolean;
  /** Tries to reconnect now instead of waiting for the next attempt (e.g. the network came back). */
  retryNow(): void;
  /** Closes the connection and stops reconnecting. */
  disconnect(): void;
}
