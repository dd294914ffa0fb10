import { expect } from '@open-wc/testing';
import { WidgetStore } from '../../src/state/chat.js';
import type { ChatMessage, WidgetView } from '../../src/state/types.js';

const agentMessage = (id: string, text = 'Hello'): ChatMessage => ({
  id,
  from: 'agent',
  text,
  at: 1,
  agentName: 'Anna',
});

function newStore() {
  let n = 0;
  return new WidgetStore({ now: () => 1000, id: () => `m${++n}` });
}

describe('WidgetStore', () => {
  it('starts closed, offline, with nothing stored', () => {
    const s = newStore().state;
    expect(s.view).to.equal('label');
    expect(s.chatMode).to.equal('offline');
    expect(s.messages).to.deep.equal([]);
    expect(s.unread).to.equal(0);
  });

  it('select emits the current value, then only real changes', () => {
    const store = newStore();
    const seen: WidgetView[] = [];
    const sub = store.select((s) => s.view).subscribe((v) => seen.push(v));
    store.setDraft('typing');
    store.open('chat', 'visitor');
    store.open('chat', 'visitor');
    store.minimize();
    sub.unsubscribe();
    expect(seen).to.deep.equal(['label', 'chat', 'label']);
  });

  it('minimizes to label before a conversation and to chat/min after one', () => {
    const store = newStore();
    store.open('chat', 'api');
    store.minimize();
    expect(store.state.view).to.equal('label');
    store.open('chat', 'api');
    store.sendMessage('Hi');
    store.minimize();
    expect(store.state.view).to.equal('chat/min');
    expect(store.state.openedBy).to.equal(null);
  });

  it('minimize does nothing while closed', () => {
    const store = newStore();
    const before = store.state;
    store.minimize();
    expect(store.state).to.equal(before);
  });

  it('counts agent messages as unread only while the chat is not on screen, and opening reads them', () => {
    const store = newStore();
    store.receiveMessage(agentMessage('a1'));
    store.receiveMessage(agentMessage('a2'));
    expect(store.state.unread).to.equal(2);
    store.open('menu', 'api');
    expect(store.state.unread, 'the menu does not show messages').to.equal(2);
    store.open('chat', 'visitor');
    expect(store.state.unread).to.equal(0);
    store.receiveMessage(agentMessage('a3'));
    expect(store.state.unread).to.equal(0);
  });

  it('stores a message id once', () => {
    const store = newStore();
    store.receiveMessage(agentMessage('a1'));
    store.receiveMessage(agentMessage('a1', 'again'));
    expect(store.state.messages.map((m) => m.text)).to.deep.equal(['Hello']);
    expect(store.state.unread).to.equal(1);
  });

  it('sendMessage appends a pending visitor message with a fresh id and clears the draft', () => {
    const store = newStore();
    store.setDraft('Hi there');
    const m = store.sendMessage('Hi there');
    // The visitor's id is the backend's to give: the store makes none of its own.
    expect(m).to.deep.equal({ id: 'm1', from: 'visitor', text: 'Hi there', at: 1000, status: 'pending' });
    expect(store.state.visitorId).to.equal('');
    expect(store.state.messages).to.deep.equal([m]);
    expect(store.state.draft).to.equal('');
    expect(store.sendMessage('again').id).to.equal('m2');
  });

  it('setMessageStatus changes one message immutably and ignores unknown ids', () => {
    const store = newStore();
    const m = store.sendMessage('Hi');
    const before = store.state.messages;
    store.setMessageStatus(m.id, 'failed');
    expect(store.state.messages[0].status).to.equal('failed');
    expect(before[0].status, 'the old array is untouched').to.equal('pending');
    const after = store.state;
    store.setMessageStatus('nope', 'sent');
    expect(store.state).to.equal(after);
  });

  it('an invitation opens the chat, routes the department and is not a visitor opening', () => {
    const store = newStore();
    store.receiveMessage(agentMessage('a1'));
    store.showInvitation('Need help?', '3');
    expect(store.state.view).to.equal('chat');
    expect(store.state.openedBy).to.equal('invitation');
    expect(store.state.invitation).to.deep.equal({ text: 'Need help?', department: '3', at: 1000 });
    expect(store.state.department).to.equal('3');
    expect(store.state.unread).to.equal(0);
    store.dismissInvitation();
    expect(store.state.invitation).to.equal(null);
  });

  it('an invitation while the visitor has the chat open keeps who opened it', () => {
    const store = newStore();
    store.open('chat', 'visitor');
    store.showInvitation('Need help?', null);
    expect(store.state.openedBy).to.equal('visitor');
    expect(store.state.department).to.equal(null);
  });

  it('clearHistory forgets the conversation and leaves chat/min for label', () => {
    const store = newStore();
    store.open('chat', 'visitor');
    store.sendMessage('Hi');
    store.setAgent({ name: 'Anna' });
    store.setDraft('more');
    store.minimize();
    store.clearHistory();
    const s = store.state;
    expect([s.view, s.messages.length, s.queued.length, s.unread, s.agent, s.draft, s.invitation]).to.deep.equal([
      'label',
      0,
      0,
      0,
      null,
      '',
      null,
    ]);
  });

  it('clearHistory keeps an open window open', () => {
    const store = newStore();
    store.open('chat', 'visitor');
    store.sendMessage('Hi');
    store.clearHistory();
    expect(store.state.view).to.equal('chat');
  });

  it('setters emit only on change', () => {
    const store = newStore();
    let emissions = 0;
    const sub = store.state$.subscribe(() => emissions++);
    store.setLocale('en');
    store.setChatMode('offline');
    store.setAgent(null);
    store.setDepartment(null);
    store.setDraft('');
    expect(emissions).to.equal(1);
    store.setLocale('ru');
    store.setChatMode('online');
    store.setAgent({ name: 'Anna' });
    store.setAgent({ name: 'Anna' });
    expect(emissions).to.equal(4);
    sub.unsubscribe();
  });

  it('select stops at unsubscribe, and completes with the store', () => {
    const store = newStore();
    const kept: string[] = [];
    let completed = false;
    store.select((s) => s.draft).subscribe({ next: (d) => kept.push(d), complete: () => (completed = true) });
    const left: string[] = [];
    const sub = store.select((s) => s.draft).subscribe((d) => left.push(d));
    store.setDraft('a');
    sub.unsubscribe();
    store.setDraft('b');
    store.destroy();
    expect(kept).to.deep.equal(['', 'a', 'b']);
    expect(left).to.deep.equal(['', 'a']);
    expect(completed, 'completed').to.equal(true);
  });

  it('destroy completes the state stream', () => {
    const store = newStore();
    let completed = false;
    store.state$.subscribe({ complete: () => (completed = true) });
    store.destroy();
    expect(completed).to.equal(true);
  });

  it('adoptMessages takes in another tab’s queued messages; numbered ones only while not connected; reports nothing', () => {
    const store = newStore();
    const events: string[] = [];
    store.events$.subscribe((e) => events.push(e.type));
    const pending = (id: string, text = 'Hi'): ChatMessage => ({ id, from: 'visitor', text, at: 2, status: 'pending' });

    // Not connected: what the backend numbered, another tab heard for this one.
    store.adoptMessages([{ ...agentMessage('a1'), seq: 1 }], []);
    expect(store.state.messages.map((m) => m.id)).to.deep.equal(['a1']);
    expect(store.state.unread).to.equal(1);
    // An unsent message is another tab's only if a tab queued it; without that, other code of the site wrote it.
    store.adoptMessages([pending('p1', 'made up'), pending('v1')], ['v1']);
    expect(store.state.messages.map((m) => m.id)).to.deep.equal(['a1', 'v1']);
    expect(store.state.queued).to.deep.equal(['v1']);
    // The same write again (another tab's echo) changes nothing, not even the objects.
    const before = store.state;
    store.adoptMessages([{ ...agentMessage('a1'), seq: 1 }, pending('v1')], ['v1']);
    expect(store.state).to.equal(before);

    // Connected: the tab's own connection brings every numbered message, so storage brings none of them.
    store.setConnection('open');
    store.adoptMessages(
      [
        { ...agentMessage('a2'), seq: 2 },
        { ...pending('v1'), seq: 3, status: 'sent' },
      ],
      ['v1'],
    );
    expect(store.state.messages.map((m) => [m.id, m.seq])).to.deep.equal([
      ['a1', 1],
      ['v1', undefined],
    ]);
    store.receiveMessage({ ...agentMessage('a2'), seq: 2 });
    store.acknowledge('v1', 3, 5);
    expect(store.state.queued).to.deep.equal([]);
    expect(events, 'an agent message is reported by the connection that brings it').to.deep.equal(['agent-message']);
  });

  it('adoptMessages takes a queued id before its message, in either order of the two writes', () => {
    const store = newStore();
    store.adoptMessages([], ['v1']);
    expect(store.state.queued).to.deep.equal(['v1']);
    store.adoptMessages([{ id: 'v1', from: 'visitor', text: 'Hi', at: 2, status: 'pending' }], []);
    expect(store.state.messages.map((m) => m.id)).to.deep.equal(['v1']);
    // Another tab saw it stored (this tab is not connected): done here too.
    store.adoptMessages([{ id: 'v1', from: 'visitor', text: 'Hi', at: 3, status: 'sent', seq: 1 }], ['v1']);
    expect(store.state.messages[0]).to.include({ seq: 1, status: 'sent' });
  });

  it('restore keeps of the unnumbered messages only those queued; a store from before the queue keeps all of them', () => {
    const pending = { from: 'visitor' as const, text: 'Hi', at: 2, status: 'pending' as const };
    const messages: ChatMessage[] = [
      { ...agentMessage('a1'), seq: 1 },
      { ...pending, id: 'v1' },
      { ...pending, id: 'made-up' },
    ];
    const store = newStore();
    store.restore({ visitorId: 'visitor-1', messages, queued: ['v1'] });
    expect(store.state.messages.map((m) => m.id)).to.deep.equal(['a1', 'v1']);
    expect(store.state.queued).to.deep.equal(['v1']);
    store.restore({ visitorId: 'visitor-1', messages });
    expect(store.state.messages.map((m) => m.id)).to.deep.equal(['a1', 'v1', 'made-up']);
    expect(store.state.queued).to.deep.equal(['v1', 'made-up']);
    // Without a visitor stored, nothing was the widget's.
    store.restore({ messages });
    expect(store.state.messages.map((m) => m.id)).to.deep.equal(['a1']);
  });

  it('a welcome that brings nothing new keeps the same messages, so storage and the log are not redone on reconnect', () => {
    const store = newStore();
    const wire = { id: 'a1', from: 'agent' as const, text: 'Hi', at: 5, seq: 1, agentName: 'Anna' };
    const welcome = {
      visitorId: 'issued-visitor-id-0123456',
      visitorNumber: 1,
      chatMode: 'online' as const,
      agent: null,
      readSeq: 0,
    };
    store.welcome({ ...welcome, messages: [wire] });
    store.sendMessage('Hello');
    const sent = store.state.messages[1];
    store.acknowledge(sent.id, 2, 6);
    const before = store.state.messages;
    let emissions = 0;
    const sub = store.select((s) => s.messages).subscribe(() => emissions++);
    store.welcome({ ...welcome, messages: [wire, { id: sent.id, from: 'visitor', text: 'Hello', at: 6, seq: 2 }] });
    store.welcome({ ...welcome, messages: [] });
    sub.unsubscribe();
    expect(store.state.messages).to.equal(before);
    expect(emissions, 'only the current value on subscribe').to.equal(1);

    // A message the backend stored meanwhile does change them.
    store.sendMessage('Again');
    const pending = store.state.messages[2];
    store.welcome({ ...welcome, messages: [{ id: pending.id, from: 'visitor', text: 'Again', at: 7, seq: 3 }] });
    expect(store.state.messages[2]).to.include({ seq: 3, status: 'sent' });
  });
});
