import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import type { TransportStatus } from '../../src/transport/transport.js';
import type { BackendFrame } from '../../src/transport/protocol.js';
import { backoffDelay, WebSocketTransport, type BackoffOptions } from '../../src/transport/websocket-transport.js';

/** Stands in for the browser's WebSocket: records every instance and lets the test play the server. */
class FakeWebSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  static instances: FakeWebSocket[] = [];

  readonly url: string;
  readyState = FakeWebSocket.CONNECTING;
  readonly sent: string[] = [];
  closeCalls: Array<[number | undefined, string | undefined]> = [];
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;

  constructor(url: string) {
    this.url = url;
    FakeWebSocket.instances.push(this);
  }

  send(data: string): void {
    if (this.readyState !== FakeWebSocket.OPEN) throw new Error('InvalidStateError: not open');
    this.sent.push(data);
  }

  close(code?: number, reason?: string): void {
    this.closeCalls.push([code, reason]);
    this.readyState = FakeWebSocket.CLOSING;
  }

  // --- the server's side ---

  simulateOpen(): void {
    this.readyState = FakeWebSocket.OPEN;
    this.onopen?.(new Event('open'));
  }

  simulateMessage(data: unknown): void {
    this.onmessage?.(new MessageEvent('message', { data }));
  }

  simulateClose(code = 1006): void {
    this.readyState = FakeWebSocket.CLOSED;
    this.onerror?.(new Event('error'));
    this.onclose?.(new CloseEvent('close', { code }));
  }
}

const sockets = () => FakeWebSocket.instances;
const last = () => {
  const s = FakeWebSocket.instances.at(-1);
  if (!s) throw new Error('no socket was created');
  return s;
};

const ENDPOINT = 'wss://chat.example.com/ws';

describe('WebSocketTransport', () => {
  let clock: sinon.SinonFakeTimers;
  let transport: WebSocketTransport;
  let statuses: TransportStatus[];
  let frames: BackendFrame[];

  function create(options: BackoffOptions = {}, WebSocketClass: unknown = FakeWebSocket) {
    transport = new WebSocketTransport(ENDPOINT, {
      random: () => 0.5,
      ...options,
      WebSocket: WebSocketClass as typeof WebSocket,
    });
    statuses = [];
    frames = [];
    transport.status$.subscribe((s) => statuses.push(s));
    transport.frames$.subscribe((f) => frames.push(f));
    return transport;
  }

  /** Moves the clock to one ms before `delay`, checks nothing was opened, then to `delay` and checks one socket was. */
  function expectRetryAfter(delay: number) {
    const count = sockets().length;
    expect(clock.countTimers(), 'one pending retry').to.equal(1);
    if (delay > 0) {
      clock.tick(delay - 1);
      expect(sockets().length, `no new socket before ${delay} ms`).to.equal(count);
    }
    clock.tick(1);
    expect(sockets().length, `a new socket at ${delay} ms`).to.equal(count + 1);
  }

  beforeEach(() => {
    FakeWebSocket.instances = [];
    clock = sinon.useFakeTimers();
  });

  afterEach(() => {
    transport?.disconnect();
    clock.restore();
    sinon.restore();
  });

  it('is closed until connect(), then connecting, then open', () => {
    create();
    expect(statuses).to.deep.equal(['closed']);
    expect(sockets()).to.have.length(0);
    transport.connect();
    expect(statuses).to.deep.equal(['closed', 'connecting']);
    expect(sockets()).to.have.length(1);
    expect(last().url).to.equal(ENDPOINT);
    last().simulateOpen();
    expect(statuses).to.deep.equal(['closed', 'connecting', 'open']);
  });

  it('status$ gives a late subscriber the current status', () => {
    create().connect();
    last().simulateOpen();
    const seen: TransportStatus[] = [];
    transport.status$.subscribe((s) => seen.push(s)).unsubscribe();
    expect(seen).to.deep.equal(['open']);
  });

  it('connect() twice opens one socket', () => {
    create().connect();
    transport.connect();
    expect(sockets()).to.have.length(1);
  });

  it('passes valid frames to frames$, normalised', () => {
    create().connect();
    last().simulateOpen();
    last().simulateMessage(JSON.stringify({ type: 'typing', typing: true }));
    last().simulateMessage(JSON.stringify({ type: 'agent', agent: { name: 'Anna', extra: 1 } }));
    last().simulateMessage(JSON.stringify({ type: 'ack', id: 'm1', seq: 4, at: 1000 }));
    expect(frames).to.deep.equal([
      { type: 'typing', typing: true },
      { type: 'agent', agent: { name: 'Anna' } },
      { type: 'ack', id: 'm1', seq: 4, at: 1000 },
    ]);
  });

  it('drops invalid frames with a warning, and keeps going', () => {
    const warn = sinon.stub(console, 'warn');
    create().connect();
    last().simulateOpen();
    last().simulateMessage('not json');
    last().simulateMessage(JSON.stringify({ type: 'read', seq: -1 }));
    last().simulateMessage(JSON.stringify({ type: 'nope' }));
    expect(frames).to.deep.equal([]);
    expect(warn.callCount).to.equal(3);
    expect(warn.firstCall.args[0]).to.equal('jivo-widget: ignored a frame from the chat server (Not JSON)');
    expect(warn.secondCall.args[0]).to.equal('jivo-widget: ignored a frame from the chat server (read is malformed)');
    expect(warn.thirdCall.args[0]).to.equal('jivo-widget: ignored a frame from the chat server (Unknown frame type)');
    last().simulateMessage(JSON.stringify({ type: 'read', seq: 1 }));
    expect(frames).to.deep.equal([{ type: 'read', seq: 1 }]);
    expect(statuses.at(-1), 'a bad frame does not close the connection').to.equal('open');
  });

  it('ignores binary messages silently', () => {
    const warn = sinon.stub(console, 'warn');
    create().connect();
    last().simulateOpen();
    last().simulateMessage(new ArrayBuffer(8));
    last().simulateMessage(new Blob(['{"type":"typing","typing":true}']));
    expect(frames).to.deep.equal([]);
    expect(warn.callCount).to.equal(0);
  });

  it('sends JSON only while open, and says whether it sent', () => {
    create();
    expect(transport.send({ type: 'typing', typing: true }), 'before connect').to.equal(false);
    transport.connect();
    expect(transport.send({ type: 'typing', typing: true }), 'while connecting').to.equal(false);
    last().simulateOpen();
    expect(transport.send({ type: 'read', seq: 3 })).to.equal(true);
    expect(last().sent).to.deep.equal([JSON.stringify({ type: 'read', seq: 3 })]);
    const socket = last();
    socket.simulateClose();
    expect(transport.send({ type: 'read', seq: 4 }), 'after a drop').to.equal(false);
    expect(socket.sent).to.have.length(1);
  });

  it('sends false on a socket that is closing though not yet closed', () => {
    create().connect();
    last().simulateOpen();
    last().readyState = FakeWebSocket.CLOSING;
    expect(transport.send({ type: 'typing', typing: false })).to.equal(false);
  });

  it('reconnects after a drop, after a delay within the full-jitter bound', () => {
    const random = sinon.stub().returns(0.999);
    create({ baseDelay: 1000, random }).connect();
    last().simulateOpen();
    last().simulateClose();
    expect(statuses).to.deep.equal(['closed', 'connecting', 'open', 'connecting']);
    expect(random.callCount).to.equal(1);
    expectRetryAfter(999);
    expect(statuses.at(-1)).to.equal('connecting');
    last().simulateOpen();
    expect(statuses.at(-1)).to.equal('open');
  });

  it('picks the delay with the injected random source: 0 retries at once, 0.25 at a quarter of the bound', () => {
    const random = sinon.stub();
    random.onCall(0).returns(0);
    random.onCall(1).returns(0.25);
    create({ baseDelay: 1000, maxDelay: 60_000, random }).connect();
    last().simulateClose();
    expectRetryAfter(0);
    last().simulateClose();
    expectRetryAfter(500);
  });

  it('grows the delay bound exponentially up to maxDelay', () => {
    create({ baseDelay: 100, maxDelay: 1000, random: () => 0.9999 }).connect();
    for (const delay of [99, 199, 399, 799, 999, 999, 999]) {
      last().simulateClose();
      expectRetryAfter(delay);
    }
    expect(sockets()).to.have.length(8);
  });

  it('starts again from the base delay after a successful open', () => {
    create({ baseDelay: 100, maxDelay: 10_000, random: () => 0.9999 }).connect();
    last().simulateClose();
    expectRetryAfter(99);
    last().simulateClose();
    expectRetryAfter(199);
    last().simulateClose();
    expectRetryAfter(399);
    last().simulateOpen();
    last().simulateClose();
    expectRetryAfter(99);
  });

  it('runs no timer while open, and one while waiting', () => {
    create().connect();
    expect(clock.countTimers(), 'connecting').to.equal(0);
    last().simulateOpen();
    expect(clock.countTimers(), 'open').to.equal(0);
    last().simulateClose();
    expect(clock.countTimers(), 'waiting').to.equal(1);
    clock.tick(100_000);
    expect(clock.countTimers(), 'connecting again').to.equal(0);
    last().simulateOpen();
    expect(clock.countTimers(), 'open again').to.equal(0);
    expect(sockets()).to.have.length(2);
  });

  it('retryNow reconnects at once while waiting, and cancels the pending retry', () => {
    create({ baseDelay: 10_000, random: () => 0.9 }).connect();
    last().simulateClose();
    expect(sockets()).to.have.length(1);
    transport.retryNow();
    expect(sockets()).to.have.length(2);
    expect(clock.countTimers()).to.equal(0);
    clock.tick(60_000);
    expect(sockets(), 'the cancelled retry does not fire').to.have.length(2);
    last().simulateOpen();
    expect(statuses.at(-1)).to.equal('open');
  });

  it('retryNow does nothing while open, while connecting, or before connect()', () => {
    create();
    transport.retryNow();
    expect(sockets(), 'before connect').to.have.length(0);
    expect(statuses).to.deep.equal(['closed']);
    transport.connect();
    transport.retryNow();
    expect(sockets(), 'while connecting').to.have.length(1);
    last().simulateOpen();
    transport.retryNow();
    expect(sockets(), 'while open').to.have.length(1);
    expect(last().closeCalls).to.deep.equal([]);
    expect(statuses).to.deep.equal(['closed', 'connecting', 'open']);
  });

  it('disconnect closes the open socket, says closed, and does not reconnect', () => {
    create().connect();
    const socket = last();
    socket.simulateOpen();
    transport.disconnect();
    expect(socket.closeCalls).to.deep.equal([[1000, 'widget closed']]);
    expect(statuses.at(-1)).to.equal('closed');
    expect(socket.onclose, 'handlers are detached').to.equal(null);
    expect(socket.onmessage).to.equal(null);
    socket.simulateClose(1000);
    socket.simulateMessage(JSON.stringify({ type: 'typing', typing: true }));
    clock.tick(120_000);
    expect(sockets()).to.have.length(1);
    expect(frames).to.deep.equal([]);
    expect(statuses.at(-1)).to.equal('closed');
    expect(clock.countTimers()).to.equal(0);
    expect(transport.send({ type: 'typing', typing: true })).to.equal(false);
  });

  it('disconnect while waiting cancels the pending retry', () => {
    create().connect();
    last().simulateClose();
    expect(clock.countTimers()).to.equal(1);
    transport.disconnect();
    expect(clock.countTimers()).to.equal(0);
    expect(statuses.at(-1)).to.equal('closed');
    clock.tick(120_000);
    expect(sockets()).to.have.length(1);
    transport.retryNow();
    expect(sockets(), 'retryNow after disconnect').to.have.length(1);
  });

  it('disconnect while connecting closes the half-open socket', () => {
    create().connect();
    const socket = last();
    transport.disconnect();
    expect(socket.closeCalls).to.deep.equal([[1000, 'widget closed']]);
    socket.simulateOpen();
    expect(statuses.at(-1), 'a late open is ignored').to.equal('closed');
  });

  it('can connect again after disconnect', () => {
    create().connect();
    last().simulateOpen();
    transport.disconnect();
    transport.connect();
    expect(sockets()).to.have.length(2);
    last().simulateOpen();
    expect(statuses.slice(-3)).to.deep.equal(['closed', 'connecting', 'open']);
  });

  it('a second disconnect says nothing more', () => {
    create().connect();
    last().simulateOpen();
    transport.disconnect();
    const count = statuses.length;
    transport.disconnect();
    expect(statuses.length).to.equal(count);
  });

  it('connecting again after a disconnect starts the backoff from the beginning', () => {
    create().connect();
    for (let i = 0; i < 4; i++) {
      last().simulateClose();
      clock.tick(120_000);
    }
    transport.disconnect();
    transport.connect();
    last().simulateClose();
    const before = sockets().length;
    clock.tick(499);
    expect(sockets().length).to.equal(before);
    clock.tick(1);
    expect(sockets().length, 'the first delay (0.5 × 1000 ms) again, not the fifth').to.equal(before + 1);
  });

  it('schedules a retry instead of throwing when the WebSocket constructor throws', () => {
    const error = sinon.stub(console, 'error');
    let throws = 2;
    class Refusing extends FakeWebSocket {
      constructor(url: string) {
        if (throws > 0) {
          throws--;
          throw new DOMException(`The ENDPOINT '${url}' is invalid.`, 'SyntaxError');
        }
        super(url);
      }
    }
    create({ baseDelay: 1000, random: () => 0.5 }, Refusing);
    expect(() => transport.connect()).not.to.throw();
    expect(statuses).to.deep.equal(['closed', 'connecting']);
    expect(error.callCount).to.equal(1);
    expect(error.firstCall.args[0]).to.equal('jivo-widget: cannot open the chat connection');
    expect(error.firstCall.args[1]).to.be.instanceOf(DOMException);
    expect(clock.countTimers()).to.equal(1);
    clock.tick(499);
    expect(error.callCount).to.equal(1);
    clock.tick(1);
    expect(error.callCount, 'tried again after 500 ms').to.equal(2);
    expect(clock.countTimers(), 'and scheduled another try').to.equal(1);
    clock.tick(999);
    expect(sockets(), 'the second delay is 1000 ms').to.have.length(0);
    clock.tick(1);
    expect(sockets()).to.have.length(1);
    last().simulateOpen();
    expect(statuses.at(-1)).to.equal('open');
  });
});

describe('backoffDelay', () => {
  it('is 0 when random gives 0', () => {
    for (const attempt of [0, 1, 5, 40]) expect(backoffDelay(attempt, 1000, 30_000, () => 0)).to.equal(0);
  });

  it('stays below baseDelay·2^attempt', () => {
    const max = () => 0.999999;
    expect(backoffDelay(0, 1000, 30_000, max)).to.equal(999);
    expect(backoffDelay(1, 1000, 30_000, max)).to.equal(1999);
    expect(backoffDelay(2, 1000, 30_000, max)).to.equal(3999);
    expect(backoffDelay(4, 1000, 30_000, max)).to.equal(15_999);
  });

  it('is capped at maxDelay, even for huge attempt numbers', () => {
    const max = () => 0.999999;
    expect(backoffDelay(5, 1000, 30_000, max)).to.equal(29_999);
    expect(backoffDelay(1000, 1000, 30_000, max)).to.equal(29_999);
    expect(backoffDelay(Number.MAX_SAFE_INTEGER, 1000, 30_000, () => 0.5)).to.equal(15_000);
  });

  it('scales with random and returns whole milliseconds', () => {
    expect(backoffDelay(3, 1000, 30_000, () => 0.5)).to.equal(4000);
    expect(backoffDelay(0, 1000, 30_000, () => 0.3333)).to.equal(333);
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay(i % 12, 250, 10_000, Math.random);
      expect(Number.isInteger(d)).to.equal(true);
      expect(d)
        .to.be.at.least(0)
        .and.below(Math.min(10_000, 250 * 2 ** (i % 12)));
    }
  });
});
