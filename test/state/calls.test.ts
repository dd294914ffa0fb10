import { expect } from '@open-wc/testing';
import type { StoreEvent } from '../../src/state/store.js';
import { WidgetStore } from '../../src/state/chat.js';
import { loadPersisted, persistChanges, type StorageLike } from '../../src/state/persisted.js';
import type { WireCall } from '../../src/transport/protocol.js';

class MemoryStorage implements StorageLike {
  readonly data = new Map<string, string>();
  get length() {
    return this.data.size;
  }
  key = (i: number) => [...this.data.keys()][i] ?? null;
  getItem = (k: string) => this.data.get(k) ?? null;
  setItem = (k: string, v: string) => void this.data.set(k, v);
  removeItem = (k: string) => void this.data.delete(k);
}

function setup() {
  let n = 0;
  const store = new WidgetStore({ now: () => 1000, id: () => `id${++n}` });
  const events: string[] = [];
  store.events$.subscribe((e: StoreEvent) => {
    if (e.type === 'call-start' || e.type === 'call-end')
      events.push(`${e.type}:${e.call.status}${e.call.reason ? `:${e.call.reason}` : ''}`);
  });
  return { store, events };
}

const wire = (id: string, status: WireCall['status'], extra: Partial<WireCall> = {}): WireCall => ({
  id,
  phone: '+14084987855',
  status,
  at: 5000,
  ...extra,
});

describe('call backs in the store', () => {
  it('a request is pending until the backend takes it; then start, then end with the outcome', () => {
    const { store, events } = setup();
    const call = store.requestCall('+14084987855');
    expect(store.state.call).to.deep.equal({
      id: call.id,
      phone: '+14084987855',
      status: 'pending',
      reason: '',
      at: 1000,
    });
    expect(events).to.deep.equal([]);
    store.updateCall(wire(call.id, 'requested'));
    expect(store.state.call).to.include({ status: 'requested', at: 5000 });
    store.updateCall(wire(call.id, 'connected'));
    store.updateCall(wire(call.id, 'finished'));
    expect(events).to.deep.equal(['call-start:requested', 'call-end:finished']);
  });

  it('a call never moves back, and a repeated report fires nothing', () => {
    const { store, events } = setup();
    const call = store.requestCall('+14084987855');
    store.updateCall(wire(call.id, 'connected'));
    store.updateCall(wire(call.id, 'requested'));
    store.updateCall(wire(call.id, 'connected'));
    expect(store.state.call!.status).to.equal('connected');
    store.updateCall(wire(call.id, 'failed', { reason: 'No answer' }));
    store.updateCall(wire(call.id, 'finished'));
    store.updateCall(wire(call.id, 'failed', { reason: 'Other' }));
    expect(store.state.call).to.include({ status: 'failed', reason: 'No answer' });
    expect(events).to.deep.equal(['call-start:connected', 'call-end:failed:No answer']);
  });

  it('a refused request ends without starting; a finished call reported at once both starts and ends', () => {
    const { store, events } = setup();
    const refused = store.requestCall('+14084987855');
    store.failCall(refused.id, 'Callback disabled');
    store.failCall(refused.id, 'again');
    expect(store.state.call).to.include({ status: 'failed', reason: 'Callback disabled' });
    const quick = store.requestCall('+14084987855');
    store.updateCall(wire(quick.id, 'finished'));
    expect(events).to.deep.equal(['call-end:failed:Callback disabled', 'call-start:finished', 'call-end:finished']);
  });

  it("another tab's call, live, is followed with its events; from a welcome it is taken in silently", () => {
    const { store, events } = setup();
    store.updateCall(wire('other-tab', 'requested'));
    expect(store.state.call!.id).to.equal('other-tab');
    expect(events).to.deep.equal(['call-start:requested']);
    const quiet = setup();
    quiet.store.updateCall(wire('yesterday', 'finished'), false);
    expect(quiet.store.state.call!.id).to.equal('yesterday');
    expect(quiet.events, 'a call finished before this page existed is not news').to.deep.equal([]);
  });

  it('a pending request is not replaced by another call, nor a call by an older one', () => {
    const { store } = setup();
    const mine = store.requestCall('+14084987855');
    store.updateCall(wire('other', 'requested'));
    expect(store.state.call!.id).to.equal(mine.id);
    store.updateCall(wire(mine.id, 'requested', { at: 9000 }));
    store.updateCall(wire('older', 'finished', { at: 100 }), false);
    expect(store.state.call!.id).to.equal(mine.id);
  });

  it('what the backend said about call backs is forgotten on restore (another widget id, another visitor)', () => {
    const { store } = setup();
    store.setCallbackEnabled(true);
    store.restore({});
    expect(store.state.callbackEnabled).to.equal(null);
  });

  it('clearHistory forgets the call', () => {
    const { store } = setup();
    store.requestCall('+14084987855');
    store.clearHistory();
    expect(store.state.call).to.equal(null);
  });

  it('open("call") shows the form alone, or over the chat while the chat is open; agent messages there are read', () => {
    const { store } = setup();
    store.open('call', 'api');
    expect(store.state.view).to.equal('call');
    store.receiveMessage({ id: 'a1', from: 'agent', text: 'Hi', at: 1, seq: 1 });
    expect(store.state.unread, 'the conversation is not on screen in state call').to.equal(1);
    store.open('chat', 'visitor');
    store.open('call', 'visitor');
    expect(store.state.view).to.equal('chat/call');
    store.receiveMessage({ id: 'a2', from: 'agent', text: 'Still there?', at: 2, seq: 2 });
    expect(store.state.unread, 'the conversation is on screen in chat/call').to.equal(0);
    store.minimize();
    expect(store.state.view).to.equal('chat/min');
  });
});

describe('call backs in the browser storage', () => {
  it('keeps the call across reloads, and refuses a malformed one', () => {
    const storage = new MemoryStorage();
    const { store } = setup();
    const sub = persistChanges(store, storage, 'x');
    const call = store.requestCall('+14084987855');
    sub.unsubscribe();
    expect(loadPersisted(storage, 'x').call).to.deep.equal(call);
    for (const bad of [
      '"call"',
      '{"id":"c","phone":"+1","status":"ringing","reason":"","at":1}',
      '{"id":"c","phone":"+1","status":"pending","at":1}',
    ]) {
      storage.setItem('jivo-widget:x:call', bad);
      expect(loadPersisted(storage, 'x').call, bad).to.equal(undefined);
    }
  });

  it('saves the form over the chat as the chat, and the form alone as closed', () => {
    const storage = new MemoryStorage();
    const { store } = setup();
    const sub = persistChanges(store, storage, 'x');
    store.open('chat', 'visitor');
    store.open('call', 'visitor');
    expect(storage.getItem('jivo-widget:x:view')).to.equal('"chat"');
    store.minimize();
    store.open('call', 'api');
    expect(storage.getItem('jivo-widget:x:view')).to.equal('"label"');
    sub.unsubscribe();
    storage.setItem('jivo-widget:x:view', '"chat/call"');
    expect(loadPersisted(storage, 'x').view, 'never restored as such').to.equal(undefined);
  });
});
