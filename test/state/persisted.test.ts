import { expect } from '@open-wc/testing';
import {
  clearPersisted,
  loadPersisted,
  persistChanges,
  persistFreshVisitor,
  storageKey,
  takeCall,
  type StorageLike,
} from '../../src/state/persisted.js';
import { WidgetStore } from '../../src/state/chat.js';

class MemoryStorage implements StorageLike {
  data = new Map<string, string>();
  writes: string[] = [];
  get length() {
    return this.data.size;
  }
  key(index: number) {
    return [...this.data.keys()][index] ?? null;
  }
  getItem(key: string) {
    return this.data.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.writes.push(key);
    this.data.set(key, value);
  }
  removeItem(key: string) {
    this.data.delete(key);
  }
}

describe('persistence', () => {
  it('round-trips the view, messages, unread count, draft and invitation under the widget id', () => {
    const storage = new MemoryStorage();
    const store = new WidgetStore();
    const sub = persistChanges(store, storage, 'site-a');
    store.open('chat', 'visitor');
    store.sendMessage('Hello');
    store.setDraft('half a thought');
    store.showInvitation('Hi!', null);
    sub.unsubscribe();
    expect([...storage.data.keys()].every((k) => k.startsWith('jivo-widget:site-a:'))).to.equal(true);
    const saved = loadPersisted(storage, 'site-a');
    expect(saved.view).to.equal('chat');
    expect(saved.messages?.map((m) => m.text)).to.deep.equal(['Hello']);
    expect(saved.draft).to.equal('half a thought');
    expect(saved.invitation?.text).to.equal('Hi!');
    expect(loadPersisted(storage, 'site-b')).to.deep.equal({});
  });

  it('typing a draft rewrites only the draft key', () => {
    const storage = new MemoryStorage();
    const store = new WidgetStore();
    const sub = persistChanges(store, storage, 'x');
    store.sendMessage('Hello');
    storage.writes = [];
    store.setDraft('a');
    store.setDraft('ab');
    sub.unsubscribe();
    expect(storage.writes).to.deep.equal(['jivo-widget:x:draft', 'jivo-widget:x:draft']);
  });

  it('writes at the start only what the last load lacked, and stops writing when unsubscribed', () => {
    const storage = new MemoryStorage();
    const store = new WidgetStore();
    store.setDraft('Hello');
    const first = persistChanges(store, storage, 'x');
    expect(
      storage.writes,
      'a new visitor: what differs from a fresh state, no id before the backend issues one',
    ).to.deep.equal(['jivo-widget:x:draft']);
    store.welcome({
      visitorId: 'issued-id-0123456789abc',
      visitorNumber: 1,
      chatMode: 'online',
      agent: null,
      messages: [],
      readSeq: 0,
    });
    expect(storage.writes).to.include('jivo-widget:x:visitorId');
    first.unsubscribe();
    storage.writes = [];
    const saved = loadPersisted(storage, 'x');
    expect(saved.visitorId).to.equal(store.state.visitorId);
    const second = persistChanges(store, storage, 'x', saved);
    expect(storage.writes).to.deep.equal([]);
    second.unsubscribe();
    store.open('chat', 'visitor');
    expect(storage.writes).to.deep.equal([]);
  });

  it('writes no default that nothing is stored under, and writes over what is stored but unusable', () => {
    const storage = new MemoryStorage();
    // Another version's, or another script's, values the load cannot use: they go, replaced by the defaults.
    storage.data.set('jivo-widget:x:unread', '"many"');
    storage.data.set('jivo-widget:x:messages', '{"not": "a list"}');
    const store = new WidgetStore();
    const saved = loadPersisted(storage, 'x');
    expect(saved).to.deep.equal({});
    const sub = persistChanges(store, storage, 'x', saved);
    expect([...storage.writes].sort()).to.deep.equal(['jivo-widget:x:messages', 'jivo-widget:x:unread']);
    expect(storage.data.get('jivo-widget:x:unread')).to.equal('0');
    expect(storage.data.get('jivo-widget:x:messages')).to.equal('[]');
    storage.writes = [];
    // A default written later, once something changed, is written as any change is.
    store.setDraft('a');
    store.setDraft('');
    expect(storage.writes).to.deep.equal(['jivo-widget:x:draft', 'jivo-widget:x:draft']);
    sub.unsubscribe();
  });

  it('after clearing, keeps nothing until the backend issues the new visitor its id', () => {
    const storage = new MemoryStorage();
    const store = new WidgetStore();
    const welcome = { visitorNumber: 1, chatMode: 'online', agent: null, messages: [], readSeq: 0 } as const;
    store.welcome({ ...welcome, visitorId: 'old-visitor-id-0123456789' });
    persistChanges(store, storage, 'x').unsubscribe();
    store.clearHistory();
    expect(store.state).to.include({ visitorId: '', revoke: 'old-visitor-id-0123456789' });
    const sub = persistFreshVisitor(store, storage, 'x');
    expect([...storage.data.keys()]).to.deep.equal([]);
    store.welcome({ ...welcome, visitorId: 'new-visitor-id-0123456789' });
    expect([...storage.data.keys()]).to.include('jivo-widget:x:visitorId');
    expect(JSON.parse(storage.data.get('jivo-widget:x:visitorId')!)).to.equal('new-visitor-id-0123456789');
    store.sendMessage('Hi');
    sub.unsubscribe();
    expect(loadPersisted(storage, 'x').messages?.length).to.equal(1);
  });

  it('saves a menu as closed and restores only label, chat and chat/min', () => {
    const storage = new MemoryStorage();
    const store = new WidgetStore();
    const sub = persistChanges(store, storage, 'x');
    store.open('menu', 'api');
    sub.unsubscribe();
    expect(loadPersisted(storage, 'x').view).to.equal('label');
    storage.setItem('jivo-widget:x:view', '"call"');
    expect(loadPersisted(storage, 'x').view).to.equal(undefined);
  });

  it('restores chat/min only with a conversation to continue', () => {
    const storage = new MemoryStorage();
    storage.setItem('jivo-widget:x:view', '"chat/min"');
    expect(loadPersisted(storage, 'x').view).to.equal('label');
  });

  it('ignores malformed values instead of throwing', () => {
    const storage = new MemoryStorage();
    storage.setItem('jivo-widget:x:view', '{not json');
    storage.setItem('jivo-widget:x:unread', '-3');
    storage.setItem('jivo-widget:x:draft', '42');
    storage.setItem('jivo-widget:x:invitation', '{"text": 1}');
    storage.setItem(
      'jivo-widget:x:messages',
      JSON.stringify([
        { id: 'ok', from: 'agent', text: 'fine', at: 1, seq: 1 },
        { id: 'unnumbered-agent', from: 'agent', text: 'no agent message comes without a seq', at: 1 },
        { id: 'bad-from', from: 'system', text: 'x', at: 1 },
        { id: 'bad-status', from: 'visitor', text: 'x', at: 1, status: 'weird' },
        { id: 'bad-time', from: 'agent', text: 'x', at: 1e20 },
        { id: 'nan-time', from: 'agent', text: 'x', at: null },
        null,
        'text',
      ]),
    );
    const saved = loadPersisted(storage, 'x');
    expect(saved).to.deep.equal({ messages: [{ id: 'ok', from: 'agent', text: 'fine', at: 1, seq: 1 }] });
  });

  it('keeps the queue of unsent message ids, written before the messages themselves', () => {
    const storage = new MemoryStorage();
    const store = new WidgetStore();
    const sub = persistChanges(store, storage, 'x');
    storage.writes = [];
    const message = store.sendMessage('Hello');
    expect(storage.writes).to.deep.equal(['jivo-widget:x:queued', 'jivo-widget:x:messages']);
    expect(loadPersisted(storage, 'x').queued).to.deep.equal([message.id]);
    store.acknowledge(message.id, 1, 2);
    sub.unsubscribe();
    expect(loadPersisted(storage, 'x').queued).to.deep.equal([]);
    storage.setItem('jivo-widget:x:queued', JSON.stringify([message.id, 'not an id!', 7]));
    expect(loadPersisted(storage, 'x').queued).to.deep.equal([message.id]);
  });

  it('survives a storage that throws on every call', () => {
    const hostile: StorageLike = {
      get length(): number {
        throw new DOMException('denied', 'SecurityError');
      },
      key: () => {
        throw new DOMException('denied', 'SecurityError');
      },
      getItem: () => {
        throw new DOMException('denied', 'SecurityError');
      },
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError');
      },
      removeItem: () => {
        throw new DOMException('denied', 'SecurityError');
      },
    };
    const store = new WidgetStore();
    const warn = console.warn;
    const warnings: unknown[] = [];
    console.warn = (...args: unknown[]) => warnings.push(args);
    try {
      expect(loadPersisted(hostile, 'x')).to.deep.equal({});
      const sub = persistChanges(store, hostile, 'x', loadPersisted(hostile, 'x'));
      store.open('chat', 'visitor');
      sub.unsubscribe();
      clearPersisted(hostile, 'x');
    } finally {
      console.warn = warn;
    }
    expect(store.state.view).to.equal('chat');
    expect(warnings.length).to.equal(1);
  });

  it('clearPersisted removes every key of that widget id and no other', () => {
    const storage = new MemoryStorage();
    const store = new WidgetStore();
    const sub = persistChanges(store, storage, 'x');
    store.open('chat', 'visitor');
    store.sendMessage('Hi');
    sub.unsubscribe();
    storage.setItem('jivo-widget:y:view', '"chat"');
    storage.setItem('jivo-widget:x:from-a-later-version', '1');
    storage.setItem('jivo-widget:xy:view', '"chat"');
    storage.setItem('unrelated', '1');
    clearPersisted(storage, 'x');
    expect([...storage.data.keys()].sort()).to.deep.equal(['jivo-widget:xy:view', 'jivo-widget:y:view', 'unrelated']);
  });
});

describe('persisted keys', () => {
  it('are named after the widget id', () => {
    expect(storageKey('w1', 'messages')).to.equal('jivo-widget:w1:messages');
  });
});

// What the contacts form and client attributes keep in the browser, checked when read back, and the call counter of
// setClientAttributes.

function memoryStorage(): StorageLike & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    get length() {
      return data.size;
    },
    key: (i) => [...data.keys()][i] ?? null,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
}

describe('persistence: contacts form and client attributes', () => {
  it('round-trips the attributes, the request and the skip', () => {
    const storage = memoryStorage();
    const store = new WidgetStore();
    const sub = persistChanges(store, storage, 'x');
    store.setClientAttributes({ plan: 'gold', visits: 3, vip: false });
    store.receiveContactsRequest('r-1');
    store.declineContacts();
    store.skipContactsForm();
    sub.unsubscribe();
    const saved = loadPersisted(storage, 'x');
    expect(saved.clientAttributes).to.deep.equal({ plan: 'gold', visits: 3, vip: false });
    expect(saved.contactsRequest).to.deep.equal({ id: 'r-1', state: 'declined' });
    expect(saved.contactsSkipped).to.equal(true);
    const restored = new WidgetStore();
    restored.restore(saved);
    expect(restored.state.clientAttributes).to.deep.equal({ plan: 'gold', visits: 3, vip: false });
  });

  it('ignores malformed values', () => {
    const storage = memoryStorage();
    const put = (key: string, value: unknown) => storage.setItem(`jivo-widget:x:${key}`, JSON.stringify(value));
    for (const [attributes, request, skipped] of [
      [{ plan: { nested: 1 } }, { id: 'r 1', state: 'pending' }, 'yes'],
      [['gold'], { id: 'r-1', state: 'maybe' }, 1],
      ['gold', 'r-1', null],
    ]) {
      put('clientAttributes', attributes);
      put('contactsRequest', request);
      put('contactsSkipped', skipped);
      const saved = loadPersisted(storage, 'x');
      expect(saved, JSON.stringify([attributes, request, skipped])).to.not.have.any.keys(
        'clientAttributes',
        'contactsRequest',
        'contactsSkipped',
      );
    }
    storage.setItem('jivo-widget:x:clientAttributes', '{not json');
    expect(loadPersisted(storage, 'x')).to.not.have.key('clientAttributes');
    put('clientAttributes', null);
    put('contactsRequest', null);
    expect(loadPersisted(storage, 'x')).to.include({ clientAttributes: null, contactsRequest: null });
  });

  describe('takeCall', () => {
    const HOUR = 3_600_000;

    it('allows `limit` calls in a rolling window, then says how long to wait', () => {
      const storage = memoryStorage();
      const t0 = 1_700_000_000_000;
      for (let i = 0; i < 10; i++) expect(takeCall(storage, 'x', 'calls', 10, HOUR, t0 + i * 60_000)).to.equal(0);
      expect(takeCall(storage, 'x', 'calls', 10, HOUR, t0 + 30 * 60_000)).to.equal(30 * 60_000);
      // The refused call was not counted: the first one leaves the window an hour after it was made.
      expect(takeCall(storage, 'x', 'calls', 10, HOUR, t0 + HOUR - 1)).to.equal(1);
      expect(takeCall(storage, 'x', 'calls', 10, HOUR, t0 + HOUR)).to.equal(0);
      expect(takeCall(storage, 'x', 'calls', 10, HOUR, t0 + HOUR + 1)).to.equal(60_000 - 1);
      expect(JSON.parse(storage.getItem('jivo-widget:x:calls')!)).to.have.length(10);
    });

    it('is per widget id, survives garbage and a clock set back, and is removed with the rest', () => {
      const storage = memoryStorage();
      const now = 1_700_000_000_000;
      for (let i = 0; i < 10; i++) takeCall(storage, 'x', 'calls', 10, HOUR, now);
      expect(takeCall(storage, 'y', 'calls', 10, HOUR, now), 'another widget id').to.equal(0);
      expect(
        takeCall(storage, 'x', 'calls', 10, HOUR, now - 1000),
        'the clock went back: the calls are in its future',
      ).to.equal(0);
      storage.setItem('jivo-widget:z:calls', '{"not": "a list"}');
      expect(takeCall(storage, 'z', 'calls', 10, HOUR, now)).to.equal(0);
      storage.setItem('jivo-widget:z:calls', JSON.stringify(['x', null, 1e300, now]));
      expect(takeCall(storage, 'z', 'calls', 10, HOUR, now + 1)).to.equal(0);
      expect(JSON.parse(storage.getItem('jivo-widget:z:calls')!)).to.deep.equal([now, now + 1]);
      clearPersisted(storage, 'x');
      expect(storage.getItem('jivo-widget:x:calls')).to.equal(null);
    });
  });
});
