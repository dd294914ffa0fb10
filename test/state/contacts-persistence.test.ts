import { expect } from '@open-wc/testing';
import {
  clearPersisted,
  loadPersisted,
  persistChanges,
  takeCall,
  type StorageLike,
} from '../../src/state/persisted.js';
import { WidgetStore } from '../../src/state/store.js';

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
