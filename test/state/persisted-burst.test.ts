import { expect } from '@open-wc/testing';
import { loadPersisted, MESSAGE_SEGMENT, persistChanges, type StorageLike } from '../../src/state/persisted.js';
import { WidgetStore } from '../../src/state/chat.js';

/** A storage that counts the characters written under the messages' keys. */
class CountingStorage implements StorageLike {
  readonly data = new Map<string, string>();
  messageChars = 0;
  messageWrites = 0;
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
    if (/:messages(\.\d+)?$/.test(key)) {
      this.messageChars += value.length;
      this.messageWrites++;
    }
    this.data.set(key, value);
  }
  removeItem(key: string) {
    this.data.delete(key);
  }
}

describe('persistence of a burst of messages', () => {
  it('writes a bounded amount per message however long the history: 1,000 messages after 1,000 cost as the first 1,000', () => {
    const storage = new CountingStorage();
    const store = new WidgetStore();
    const sub = persistChanges(store, storage, 'burst');
    const burst = () => {
      storage.messageChars = 0;
      storage.messageWrites = 0;
      for (let i = 0; i < 1000; i++) store.sendMessage(`message ${i % 10}`);
      return { chars: storage.messageChars, writes: storage.messageWrites };
    };
    const first = burst();
    const second = burst();
    sub.unsubscribe();
    // One write per message, each of at most one segment: a rewrite of the whole list would write ~1,500 messages'
    // worth per message in the second burst, three times the first burst's average.
    expect(second.writes).to.equal(1000);
    const perMessage = JSON.stringify(store.state.messages[0]).length + 1;
    expect(second.chars / 1000).to.be.at.most(perMessage * MESSAGE_SEGMENT);
    expect(second.chars).to.be.at.most(first.chars * 1.1);
    // And everything comes back, in order.
    expect(loadPersisted(storage, 'burst').messages?.length).to.equal(2000);
    expect(loadPersisted(storage, 'burst').messages?.map((m) => m.id)).to.deep.equal(
      store.state.messages.map((m) => m.id),
    );
    expect([...storage.data.keys()].filter((k) => k.includes(':messages')).length).to.equal(2000 / MESSAGE_SEGMENT);
  });
});
