import { expect } from '@open-wc/testing';
// The store as the launcher has it, before the window chunk: this page never loads src/state/chat.ts.
import { WidgetStore } from '../../src/state/store.js';
import type { ChatMessage } from '../../src/state/types.js';

const stored: ChatMessage = { id: 'a1', from: 'agent', text: 'Hello', at: 1, seq: 1, agentName: 'Anna' };

describe('the launcher’s store (before the window chunk)', () => {
  it('opens, closes and restores without the conversation’s code', () => {
    const store = new WidgetStore();
    store.restore({ view: 'chat/min', unread: 2, messages: [stored] });
    expect(store.state.unread).to.equal(2);
    store.open('chat', 'visitor');
    expect(store.state.view).to.equal('chat');
    expect(store.state.unread, 'opening reads the restored messages').to.equal(0);
    store.minimize();
    expect(store.state.view).to.equal('chat/min');
    store.setLocale('de', null, true);
    expect(store.state.catalogLoading).to.equal(true);
  });

  it('says which code is missing when a conversation action comes before it', () => {
    const store = new WidgetStore();
    expect(() => store.sendMessage('Hi')).to.throw('the conversation’s code is not loaded');
    expect(store.state.messages).to.deep.equal([]);
  });
});
