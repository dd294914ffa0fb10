import { BehaviorSubject, Subject } from 'rxjs';
import { type BackendFrame, type VisitorFrame } from './protocol.js';
import { parseBackendFrame } from './frames.js';
import type { ChatTransport, TransportStatus } from './transport.js';

export interface BackoffOptions {
  /** First retry delay's upper bound, ms. */
  baseDelay?: number;
  /** Largest retry delay, ms. */
  maxDelay?: number;
  /** Random source in [0, 1), injectable for tests. */
  random?: () => number;
  /** The WebSocket constructor, injectable for tests. */
  WebSocket?: typeof WebSocket;
}

/**
 * The delay before reconnect attempt `attempt` (0-based): "full jitter" exponential backoff, a random delay between 0
 * and min(maxDelay, baseDelay·2^attempt), so that many widgets cut off together do not come back together.
 */
export function backoffDelay(attempt: number, baseDelay: number, maxDelay: number, random: () => number): number {
  return Math.floor(random() * Math.min(maxDelay, baseDelay * 2 ** Math.min(attempt, 30)));
}

/**
 * A ChatTransport over one WebSocket, reconnecting with jittered exponential backoff. While it is open it runs no
 * timer of its own (the server's pings keep the connection alive); while it is closed it has one pending retry.
 */
export class WebSocketTransport implements ChatTransport {
  readonly #url: string;
  readonly #baseDelay: number;
  readonly #maxDelay: number;
  readonly #random: () => number;
  readonly #WebSocket: typeof WebSocket;
  readonly #frames$ = new Subject<BackendFrame>();
  readonly #status$ = new BehaviorSubject<TransportStatus>('closed');
  #socket: WebSocket | null = null;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #attempt = 0;
  #running = false;

  readonly frames$ = this.#frames$.asObservable();
  readonly status$ = this.#status$.asObservable();

  constructor(url: string, options: BackoffOptions = {}) {
    this.#url = url;
    this.#baseDelay = options.baseDelay ?? 1000;
    this.#maxDelay = options.maxDelay ?? 30_000;
    this.#random = options.random ?? Math.random;
    this.#WebSocket = options.WebSocket ?? WebSocket;
  }

  connect(): void {
    if (this.#running) return;
    this.#running = true;
    this.#attempt = 0;
    this.#open();
  }

  send(frame: VisitorFrame): boolean {
    const socket = this.#socket;
    if (!socket || socket.readyState !== this.#WebSocket.OPEN) return false;
    socket.send(JSON.stringify(frame));
    return true;
  }

  retryNow(): void {
    if (!this.#running || this.#socket) return;
    clearTimeout(this.#retry);
    this.#open();
  }

  disconnect(): void {
    if (!this.#running && !this.#socket) return;
    this.#running = false;
    clearTimeout(this.#retry);
    this.#retry = undefined;
    const socket = this.#socket;
    this.#socket = null;
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
      socket.close(1000, 'widget closed');
    }
    this.#status$.next('closed');
  }

  #open(): void {
    this.#retry = undefined;
    this.#status$.next('connecting');
    let socket: WebSocket;
    try {
      socket = new this.#WebSocket(this.#url);
    } catch (error) {
      // A URL the browser refuses (mixed content, bad syntax) will not get better by retrying quickly.
      console.error('jivo-widget: cannot open the chat connection', error);
      this.#scheduleRetry();
      return;
    }
    this.#socket = socket;
    socket.onopen = () => {
      this.#attempt = 0;
      this.#status$.next('open');
    };
    socket.onmessage = (event: MessageEvent) => {
      if (typeof event.data !== 'string') return;
      const parsed = parseBackendFrame(event.data);
      if (parsed.ok) this.#frames$.next(parsed.frame);
      else console.warn(`jivo-widget: ignored a frame from the chat server (${parsed.message})`);
    };
    socket.onclose = () => {
      this.#socket = null;
      if (!this.#running) return;
      this.#status$.next('connecting');
      this.#scheduleRetry();
    };
  }

  #scheduleRetry(): void {
    const delay = backoffDelay(this.#attempt++, this.#baseDelay, this.#maxDelay, this.#random);
    this.#retry = setTimeout(() => this.#open(), delay);
  }
}
