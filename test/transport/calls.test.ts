import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import { WidgetStore } from '../../src/state/store.js';
import { parseBackendFrame, parseVisitorFrame } from '../../src/transport/frames.js';
import { ChatSession } from '../../src/transport/session.js';
import { FakeTransport as SharedFakeTransport } from '../helpers/fake-transport.js';

const json = (value: unknown) => JSON.stringify(value);

describe('call-back frames', () => {
  it('call_request needs an id and a phone number, and carries the number normalised', () => {
    const parsed = parseVisitorFrame(json({ type: 'call_request', id: 'c-1', phone: '+1 (408) 498-7855' }));
    expect(parsed).to.deep.equal({ ok: true, frame: { type: 'call_request', id: 'c-1', phone: '+14084987855' } });
    expect(parseVisitorFrame(json({ type: 'call_request', phone: '+14084987855' }))).to.include({
      ok: false,
      code: 'bad_frame',
    });
    expect(parseVisitorFrame(json({ type: 'call_request', id: 'c-1', phone: 'call me' }))).to.deep.equal({
      ok: false,
      code: 'invalid_field',
      message: 'phone is not a valid number: 7-15 digits, optionally starting with +',
      id: 'c-1',
    });
  });

  it("parses callback and call frames, and the welcome's optional call-back fields", () => {
    const call = { id: 'c-1', phone: '+14084987855', status: 'failed', reason: 'No answer', at: 5 };
    expect(parseBackendFrame(json({ type: 'callback', enabled: true }))).to.deep.equal({
      ok: true,
      frame: { type: 'callback', enabled: true },
    });
    expect(parseBackendFrame(json({ type: 'call', call, extra: 1 }))).to.deep.equal({
      ok: true,
      frame: { type: 'call', call },
    });
    const welcome = { type: 'welcome', visitorNumber: 1, chatMode: 'online', agent: null, messages: [], readSeq: 0 };
    const withCall = parseBackendFrame(json({ ...welcome, callbackEnabled: false, call }));
    expect(withCall.ok && withCall.frame).to.deep.equal({ ...welcome, callbackEnabled: false, call });
    const withNull = parseBackendFrame(json({ ...welcome, call: null }));
    expect(withNull.ok && withNull.frame).to.deep.equal({ ...welcome, call: null });
    for (const bad of [
      { type: 'callback', enabled: 'yes' },
      { type: 'call', call: { ...call, status: 'ringing' } },
      { type: 'call', call: { ...call, phone: '+1 408 498 7855' } },
      { type: 'call', call: { ...call, reason: 'x'.repeat(201) } },
      { type: 'call', call: { ...call, id: 'a b' } },
      { ...welcome, callbackEnabled: 1 },
      { ...welcome, call: { ...call, at: 'now' } },
    ]) {
      expect(parseBackendFrame(json(bad)).ok, json(bad)).to.equal(false);
    }
  });
});

/** The shared hand-driven transport, plus the call requests it was sent. */
class FakeTransport extends SharedFakeTransport {
  requests(): string[] {
    return this.sent.flatMap((f) => (f.type === 'call_request' ? [`${f.id}:${f.phone}`] : []));
  }
}

describe('ChatSession and call backs', () => {
  let store: WidgetStore;
  let transport: FakeTransport;
  let session: ChatSession;

  beforeEach(() => {
    let n = 0;
    store = new WidgetStore({ now: () => 1000, id: () => `id${++n}` });
    transport = new FakeTransport();
    session = new ChatSession(store, transport, {
      widgetId: 'w',
      page: () => ({ url: 'https://shop.example/', title: 'Shop' }),
    });
    session.start();
  });

  afterEach(() => {
    session.stop();
    sinon.restore();
  });

  it('takes callbackEnabled from the welcome (absent: no call backs) and from callback frames', () => {
    expect(store.state.callbackEnabled, 'unknown before the first welcome').to.equal(null);
    transport.open();
    transport.welcome();
    expect(store.state.callbackEnabled).to.equal(false);
    transport.frames.next({ type: 'callback', enabled: true });
    expect(store.state.callbackEnabled).to.equal(true);
    transport.welcome({ callbackEnabled: false });
    expect(store.state.callbackEnabled).to.equal(false);
  });

  it('sends a request made while disconnected once, after the welcome, and again only on a new connection', () => {
    const call = store.requestCall('+14084987855');
    transport.open();
    expect(transport.requests(), 'nothing before the welcome').to.deep.equal([]);
    transport.welcome({ callbackEnabled: true });
    expect(transport.requests()).to.deep.equal([`${call.id}:+14084987855`]);
    store.setDraft('typing meanwhile');
    expect(transport.requests(), 'once per connection').to.have.length(1);
    // The connection drops before the backend answered: the request goes again (the backend stores it once).
    transport.open();
    transport.welcome({ callbackEnabled: true });
    expect(transport.requests()).to.have.length(2);
    transport.frames.next({ type: 'call', call: { id: call.id, phone: call.phone, status: 'requested', at: 5 } });
    transport.open();
    transport.welcome({ callbackEnabled: true, call: { id: call.id, phone: call.phone, status: 'requested', at: 5 } });
    expect(transport.requests(), 'not once the backend has it').to.have.length(2);
  });

  it('a welcome that already has the pending request completes it, so it is not sent again', () => {
    const call = store.requestCall('+14084987855');
    transport.open();
    transport.welcome({ callbackEnabled: true, call: { id: call.id, phone: call.phone, status: 'connected', at: 5 } });
    expect(transport.requests()).to.deep.equal([]);
    expect(store.state.call!.status).to.equal('connected');
  });

  it("a refused request fails: callback_disabled with the documented reason, others with the backend's message", () => {
    sinon.stub(console, 'warn');
    transport.open();
    transport.welcome({ callbackEnabled: true });
    const first = store.requestCall('+14084987855');
    transport.frames.next({ type: 'error', code: 'callback_disabled', message: 'Callbacks are off', id: first.id });
    expect(store.state.call).to.include({ status: 'failed', reason: 'Callback disabled' });
    const second = store.requestCall('+14084987855');
    transport.frames.next({
      type: 'error',
      code: 'rate_limited',
      message: 'Too many call requests; try again later',
      id: second.id,
    });
    expect(store.state.call).to.include({ status: 'failed', reason: 'Too many call requests; try again later' });
    expect(transport.requests(), 'a refused request is not resent').to.have.length(2);
  });
});
