import { BehaviorSubject, Subject } from 'rxjs';
import type { BackendFrame, VisitorFrame } from '../../src/transport/protocol.js';
import type { ChatTransport, TransportStatus } from '../../src/transport/transport.js';

/** A transport the test drives by hand: it plays the network and records what the session sends. */
export class FakeTransport implements ChatTransport {
  readonly frames = new Subject<BackendFrame>();
  readonly status = new BehaviorSubject<TransportStatus>('closed');
  readonly frames$ = this.frames.asObservable();
  readonly status$ = this.status.asObservable();
  readonly sent: VisitorFrame[] = [];
  /** Set to false to make send() fail as a dropping connection would. */
  accept = true;
  connects = 0;
  disconnects = 0;
  retries = 0;

  connect(): void {
    this.connects++;
  }

  send(frame: VisitorFrame): boolean {
    if (!this.accept || this.status.value !== 'open') return false;
    this.sent.push(frame);
    return true;
  }

  retryNow(): void {
    this.retries++;
  }

  disconnect(): void {
    this.disconnects++;
    this.status.next('closed');
  }

  // --- the test's side ---

  open(): void {
    this.status.next('connecting');
    this.status.next('open');
  }

  drop(): void {
    this.status.next('connecting');
  }

  receive(frame: BackendFrame): void {
    this.frames.next(frame);
  }

  welcome(w: Partial<Extract<BackendFrame, { type: 'welcome' }>> = {}): void {
    this.receive({
      type: 'welcome',
      visitorId: 'visitor-1',
      visitorNumber: 7,
      chatMode: 'online',
      agent: null,
      messages: [],
      readSeq: 0,
      ...w,
    });
  }

  ofType<T extends VisitorFrame['type']>(type: T): Array<Extract<VisitorFrame, { type: T }>> {
    return this.sent.filter((f): f is Extract<VisitorFrame, { type: T }> => f.type === type);
  }

  /** Sent frames without hellos and typing, as `type:id` (or `read:seq`) strings. */
  outbox(): string[] {
    return this.sent.flatMap((f) =>
      f.type === 'message' || f.type === 'offline_message'
        ? [`${f.type}:${f.id}`]
        : f.type === 'read'
          ? [`read:${f.seq}`]
          : [],
    );
  }
}
