import { fixture, html, waitUntil } from '@open-wc/testing';
import { BehaviorSubject, Subject } from 'rxjs';
import type { JivoWidget } from '../../src/components/widget/widget.js';
import type { BackendFrame, VisitorFrame } from '../../src/transport/protocol.js';
import type { CallStatus } from '../../src/model/types.js';
import type { ChatTransport, TransportStatus } from '../../src/transport/transport.js';

/**
 * A backend in the page, as a ChatTransport: it answers hello with a welcome saying whether call backs are on (or
 * holds the welcome back until `welcome()`), takes call requests as the reference backend does (or refuses them while
 * call backs are off), and lets a test play the agent with `report()`.
 */
export class FakeBackend implements ChatTransport {
  readonly frames = new Subject<BackendFrame>();
  readonly status = new BehaviorSubject<TransportStatus>('closed');
  readonly frames$ = this.frames.asObservable();
  readonly status$ = this.status.asObservable();
  readonly sent: VisitorFrame[] = [];
  /** Whether call backs are offered; null: the welcome is held back (the backend has not answered yet). */
  callbacks: boolean | null;
  #helloPending = false;

  constructor(callbacks: boolean | null = true) {
    this.callbacks = callbacks;
  }

  connect(): void {
    this.status.next('connecting');
    this.status.next('open');
  }

  retryNow(): void {}

  disconnect(): void {
    this.status.next('closed');
  }

  send(frame: VisitorFrame): boolean {
    if (this.status.value !== 'open') return false;
    this.sent.push(frame);
    if (frame.type === 'hello') {
      this.#helloPending = true;
      if (this.callbacks !== null) this.welcome(this.callbacks);
    } else if (frame.type === 'call_request') {
      if (this.callbacks) this.report('requested', undefined, frame.id, frame.phone);
      else this.frames.next({ type: 'error', code: 'callback_disabled', message: 'Callback disabled', id: frame.id });
    }
    return true;
  }

  /** Answers the hello, now. */
  welcome(callbacks: boolean): void {
    this.callbacks = callbacks;
    if (!this.#helloPending) return;
    this.#helloPending = false;
    this.frames.next({
      type: 'welcome',
      visitorNumber: 1,
      chatMode: 'online',
      agent: null,
      messages: [],
      readSeq: 0,
      callbackEnabled: callbacks,
    });
  }

  /** Reports a status of the last requested call (or of `id`). */
  report(status: CallStatus, reason?: string, id = this.lastRequest()!.id, phone = this.lastRequest()!.phone): void {
    this.frames.next({ type: 'call', call: { id, phone, status, at: Date.now(), ...(reason ? { reason } : {}) } });
  }

  lastRequest(): Extract<VisitorFrame, { type: 'call_request' }> | undefined {
    return this.sent
      .filter((f): f is Extract<VisitorFrame, { type: 'call_request' }> => f.type === 'call_request')
      .at(-1);
  }

  requests(): number {
    return this.sent.filter((f) => f.type === 'call_request').length;
  }
}

let counter = 0;
export const usedIds = new Set<string>();

/** Mounts a widget on `backend` (none: no backend at all) and waits for its load announcement. */
export async function mountWidget(backend?: FakeBackend): Promise<JivoWidget> {
  const id = `calls-test-${Date.now().toString(36)}-${++counter}`;
  usedIds.add(id);
  let loaded = false;
  const el = await fixture<JivoWidget>(
    html`<jivo-widget widget-id=${id} .transport=${backend} @jivo-load=${() => (loaded = true)}></jivo-widget>`,
  );
  await waitUntil(() => loaded, 'the widget did not fire jivo-load');
  return el;
}

export function clearUsedStorage(): void {
  for (const id of usedIds) {
    for (const key of Object.keys(localStorage)) if (key.startsWith(`jivo-widget:${id}:`)) localStorage.removeItem(key);
  }
  usedIds.clear();
}
