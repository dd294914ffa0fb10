import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import type { StoreEvent } from '../../src/state/store.js';
import { WidgetStore } from '../../src/state/chat.js';
import type { ChatMessage } from '../../src/state/types.js';
import type { BackendFrame, WireMessage } from '../../src/transport/protocol.js';
import type { PageInfo } from '../../src/model/types.js';
import { ChatSession, type SessionOptions } from '../../src/transport/session.js';
import { FakeTransport } from '../helpers/fake-transport.js';
import { siteSettingsOf } from '../../src/state/site-settings.js';

const PAGE: PageInfo = { url: 'https://shop.example/cart', title: 'Cart' };

const agentWire = (id: string, seq: number, text = `text ${id}`): WireMessage => ({
  id,
  seq,
  from: 'agent',
  text,
  at: 5000 + seq,
  agentName: 'Anna',
});
const agentMessage = (id: string, seq: number): ChatMessage => ({ ...agentWire(id, seq) });

describe('ChatSession', () => {
  let store: WidgetStore;
  let transport: FakeTransport;
  let session: ChatSession;
  let events: StoreEvent[];
  let pageCalls: number;

  /** A store whose ids are predictable: m1, m2, ... (the visitor's id is the backend's: visitor-1 in the welcome). */
  function setup(options: Partial<SessionOptions> = {}, locale: 'en' | 'ru' = 'en') {
    let n = 0;
    store = new WidgetStore({ locale, now: () => 1000 + n, id: () => `m${++n}` });
    transport = new FakeTransport();
    events = [];
    store.events$.subscribe((e) => events.push(e));
    pageCalls = 0;
    session = new ChatSession(store, transport, {
      widgetId: 'site-42',
      page: () => {
        pageCalls++;
        return PAGE;
      },
      ...options,
    });
  }

  /** Started, connected and welcomed. */
  function online(w: Partial<Extract<BackendFrame, { type: 'welcome' }>> = {}) {
    session.start();
    transport.open();
    transport.welcome(w);
    transport.sent.length = 0;
  }

  afterEach(() => {
    session?.stop();
    sinon.restore();
  });

  describe('connecting', () => {
    beforeEach(() => setup());

    it('connects once on start, and sends nothing until the transport is open', () => {
      session.start();
      expect(transport.connects).to.equal(1);
      expect(store.state.connection).to.equal('none');
      transport.status.next('connecting');
      expect(store.state.connection).to.equal('connecting');
      expect(transport.sent).to.deep.equal([]);
    });

    it('says hello on open with the widget, no visitor id on a first visit, after 0, the page, department and language', () => {
      setup({}, 'ru');
      store.setDepartment('sales');
      session.start();
      transport.open();
      expect(transport.sent).to.deep.equal([
        {
          type: 'hello',
          v: 1,
          widgetId: 'site-42',
          after: 0,
          page: PAGE,
          department: 'sales',
          lang: 'ru',
        },
      ]);
    });

    it('F14: keeps the id the welcome issues and says it in every later hello', () => {
      session.start();
      transport.open();
      expect(transport.ofType('hello')[0]).not.to.have.property('visitorId');
      transport.welcome({ visitorId: 'issued-by-the-backend-01' });
      expect(store.state.visitorId).to.equal('issued-by-the-backend-01');
      transport.drop();
      transport.open();
      expect(transport.ofType('hello')[1]).to.include({ visitorId: 'issued-by-the-backend-01' });
    });

    it('F14: a backend that issues no id leaves the widget to make one and keep it', () => {
      session.start();
      transport.open();
      transport.welcome({ visitorId: undefined });
      const made = store.state.visitorId;
      expect(made, 'a UUID (or 32 hex digits)').to.match(/^[\da-f-]{32,36}$/);
      transport.drop();
      transport.open();
      transport.welcome({ visitorId: undefined });
      expect(store.state.visitorId).to.equal(made);
      expect(transport.ofType('hello')[1]).to.include({ visitorId: made });
    });

    it('F14: after clearHistory the next hello has no id and revokes the old one; the welcome ends the revoke', () => {
      online({ visitorId: 'old-visitor-id-0123456789' });
      store.clearHistory();
      expect(store.state).to.include({ visitorId: '', revoke: 'old-visitor-id-0123456789' });
      transport.drop();
      transport.open();
      const hello = transport.ofType('hello').at(-1)!;
      expect(hello).not.to.have.property('visitorId');
      expect(hello).to.include({ revoke: 'old-visitor-id-0123456789' });
      transport.welcome({ visitorId: 'new-visitor-id-0123456789' });
      expect(store.state.visitorId).to.equal('new-visitor-id-0123456789');
      transport.drop();
      transport.open();
      expect(transport.ofType('hello').at(-1)).not.to.have.property('revoke');
    });

    it("F14: a welcome with another visitor's id drops the conversation held here; what is unsent goes to the new one", () => {
      online({ visitorId: 'first-visitor-id-0123456', messages: [agentWire('a1', 1)] });
      const typed = store.sendMessage('sent before the switch');
      transport.receive({ type: 'ack', id: typed.id, seq: 2, at: 5 });
      transport.drop();
      const pending = store.sendMessage('typed while away');
      transport.open();
      transport.welcome({ visitorId: 'second-visitor-id-012345', messages: [agentWire('b1', 1)], readSeq: 0 });
      expect(store.state.messages.map((m) => m.id)).to.deep.equal(['b1', pending.id]);
      expect(store.state.visitorId).to.equal('second-visitor-id-012345');
      expect(transport.ofType('message').map((f) => f.id)).to.include(pending.id);
      // On an open socket (an identity change): sent again, to the visitor the socket now serves.
      transport.sent.length = 0;
      const more = store.sendMessage('and one more');
      transport.welcome({ visitorId: 'third-visitor-id-0123456', messages: [] });
      expect(store.state.messages.map((m) => m.id)).to.deep.equal([pending.id, more.id]);
      expect(transport.outbox().filter((f) => f.startsWith('message:'))).to.deep.equal([
        `message:${more.id}`,
        `message:${pending.id}`,
        `message:${more.id}`,
      ]);
    });

    it('F14: a first visit says hello inside `exclusive`, and holds it until the backend has issued the id', async () => {
      let hold: Promise<void> | undefined;
      setup({ exclusive: (hello) => void (hold = hello()) });
      session.start();
      expect(hold, 'the hello ran inside').to.be.ok;
      transport.open();
      let released = false;
      void hold!.then(() => (released = true));
      await Promise.resolve();
      expect(released, 'held until the welcome').to.equal(false);
      transport.welcome({ visitorId: 'issued-by-the-backend-01' });
      await hold;
      expect(released).to.equal(true);
    });

    it('F14: a visit with an id, or one whose id another tab stored meanwhile, does not wait or connect as new', () => {
      let calls = 0;
      setup({ exclusive: (hello) => void (calls++, hello()), taken: () => true });
      session.start();
      expect([calls, transport.connects], 'another tab has the id: this session does not connect').to.deep.equal([
        1, 0,
      ]);
      session.stop();
      setup({ exclusive: () => calls++ });
      store.restore({ visitorId: 'kept-visitor-id-0123456' });
      session.start();
      expect([calls, transport.connects]).to.deep.equal([1, 1]);
    });

    it('F14: a user token that is cleared is sent as "" (the identity ended), once', () => {
      online();
      store.setUserToken('signed.token.one');
      store.setUserToken('');
      store.setUserToken('');
      expect(transport.ofType('user_token').map((f) => f.token)).to.deep.equal(['signed.token.one', '']);
    });

    it('says hello with after = the highest seq it has, of any author', () => {
      store.restore({
        messages: [
          agentMessage('a1', 3),
          { id: 'v1', from: 'visitor', text: 'hi', at: 1, status: 'sent', seq: 9 },
          agentMessage('a2', 5),
          { id: 'v2', from: 'visitor', text: 'pending', at: 2, status: 'pending' },
        ],
        queued: ['v2'],
      });
      session.start();
      transport.open();
      const [hello] = transport.ofType('hello');
      expect(hello.after).to.equal(9);
      expect(hello.department).to.equal(null);
      expect(hello.lang).to.equal('en');
    });

    it('reads the page at every connection', () => {
      let url = 'https://shop.example/a';
      setup({ page: () => ({ url, title: 't' }) });
      session.start();
      transport.open();
      url = 'https://shop.example/b';
      transport.drop();
      transport.status.next('open');
      expect(transport.ofType('hello').map((h) => h.page.url)).to.deep.equal([
        'https://shop.example/a',
        'https://shop.example/b',
      ]);
    });

    it('is connecting until the welcome, open after it, connecting again on a drop', () => {
      const seen: string[] = [];
      store.select((s) => s.connection).subscribe((c) => seen.push(c));
      session.start();
      transport.open();
      expect(store.state.connection).to.equal('connecting');
      transport.welcome();
      expect(store.state.connection).to.equal('open');
      transport.drop();
      expect(store.state.connection).to.equal('connecting');
      transport.status.next('closed');
      expect(store.state.connection).to.equal('none');
      expect(seen).to.deep.equal(['none', 'connecting', 'open', 'connecting', 'none']);
    });

    it('retryNow asks the transport to retry', () => {
      session.start();
      session.retryNow();
      expect(transport.retries).to.equal(1);
    });

    it('does not lose a welcome that an open transport gives synchronously in answer to hello', () => {
      // A site's own transport may already be open (status$ starts with the current status) and answer in-process.
      transport.status.next('open');
      const send = transport.send.bind(transport);
      transport.send = (frame) => {
        const ok = send(frame);
        if (frame.type === 'hello') transport.welcome({ visitorNumber: 12 });
        return ok;
      };
      session.start();
      expect(transport.ofType('hello')).to.have.length(1);
      expect(store.state.visitorNumber).to.equal(12);
      expect(store.state.connection).to.equal('open');
    });
  });

  describe('the outbox', () => {
    beforeEach(() => setup());

    it('sends nothing from the outbox before the welcome, then every pending message once, oldest first', () => {
      const m1 = store.sendMessage('first');
      const o1 = store.queueOfflineMessage({
        name: 'Ann',
        email: 'ann@example.com',
        phone: '',
        description: '',
        message: 'call me',
      });
      const m2 = store.sendMessage('second');
      const o2 = store.queueOfflineMessage({
        name: '',
        email: '',
        phone: '+1 555 0100',
        description: 'd',
        message: 'again',
      });
      session.start();
      transport.open();
      expect(
        transport.sent.map((f) => f.type),
        'only hello before welcome',
      ).to.deep.equal(['hello']);
      store.sendMessage('third, still before welcome');
      expect(transport.sent.map((f) => f.type)).to.deep.equal(['hello']);
      transport.welcome();
      expect(transport.outbox()).to.deep.equal([
        `message:${m1.id}`,
        `message:${m2.id}`,
        'message:m5',
        `offline_message:${o1.id}`,
        `offline_message:${o2.id}`,
      ]);
      expect(transport.ofType('message')[0]).to.deep.equal({ type: 'message', id: 'm1', text: 'first' });
      expect(transport.ofType('offline_message')).to.deep.equal([
        {
          type: 'offline_message',
          id: 'm2',
          name: 'Ann',
          email: 'ann@example.com',
          phone: '',
          description: '',
          message: 'call me',
        },
        {
          type: 'offline_message',
          id: 'm4',
          name: '',
          email: '',
          phone: '+1 555 0100',
          description: 'd',
          message: 'again',
        },
      ]);
      // More state changes on the same connection send nothing again.
      store.receiveMessage(agentMessage('a1', 1));
      store.setChatMode('offline');
      transport.welcome();
      expect(transport.outbox()).to.have.length(5);
    });

    it('sends neither sent nor failed messages, nor agent messages', () => {
      store.restore({
        messages: [
          { id: 'done', from: 'visitor', text: 'x', at: 1, status: 'sent', seq: 1 },
          { id: 'bad', from: 'visitor', text: 'y', at: 2, status: 'failed' },
          agentMessage('a1', 2),
          { id: 'wait', from: 'visitor', text: 'z', at: 3, status: 'pending' },
        ],
        queued: ['bad', 'wait'],
        offlineMessages: [
          { id: 'o-sent', name: '', email: 'a@b.cd', phone: '', description: '', message: 'm', at: 1, status: 'sent' },
          {
            id: 'o-failed',
            name: '',
            email: 'a@b.cd',
            phone: '',
            description: '',
            message: 'm',
            at: 1,
            status: 'failed',
          },
          {
            id: 'o-wait',
            name: '',
            email: 'a@b.cd',
            phone: '',
            description: '',
            message: 'm',
            at: 1,
            status: 'pending',
          },
        ],
      });
      session.start();
      transport.open();
      transport.welcome();
      expect(transport.outbox()).to.deep.equal(['message:wait', 'offline_message:o-wait']);
      expect(transport.ofType('message')).to.deep.equal([{ type: 'message', id: 'wait', text: 'z' }]);
      const now = store.sendMessage('now');
      expect(transport.outbox()).to.deep.equal(['message:wait', 'offline_message:o-wait', `message:${now.id}`]);
      transport.sent.length = 0;
      transport.drop();
      transport.status.next('open');
      transport.welcome();
      expect(transport.outbox(), 'after a reconnect').to.deep.equal([
        'message:wait',
        `message:${now.id}`,
        'offline_message:o-wait',
      ]);
    });

    it('delivers the pending outbox on welcome', () => {
      store.restore({
        messages: [{ id: 'wait', from: 'visitor', text: 'z', at: 3, status: 'pending' }],
        queued: ['wait'],
      });
      session.start();
      transport.open();
      transport.welcome();
      expect(transport.ofType('message')).to.deep.equal([{ type: 'message', id: 'wait', text: 'z' }]);
    });

    it('sends a message typed while open at once, and once', () => {
      online();
      const m = store.sendMessage('hello there');
      expect(transport.ofType('message')).to.deep.equal([{ type: 'message', id: m.id, text: 'hello there' }]);
      store.sendMessage('and more');
      store.setDraft('x');
      store.open('chat', 'visitor');
      expect(transport.outbox()).to.deep.equal([`message:${m.id}`, 'message:m2']);
      const o = store.queueOfflineMessage({ name: '', email: 'a@b.cd', phone: '', description: '', message: 'm' });
      store.queueOfflineMessage({ name: '', email: 'a@b.cd', phone: '', description: '', message: 'n' });
      expect(transport.outbox()).to.deep.equal([
        `message:${m.id}`,
        'message:m2',
        `offline_message:${o.id}`,
        'offline_message:m4',
      ]);
    });

    it('resends still-pending messages after a reconnect, but not acknowledged ones', () => {
      online();
      const acked = store.sendMessage('acked');
      const pending = store.sendMessage('pending');
      const offline = store.queueOfflineMessage({
        name: '',
        email: 'a@b.cd',
        phone: '',
        description: '',
        message: 'o',
      });
      transport.receive({ type: 'ack', id: acked.id, seq: 1, at: 2000 });
      transport.sent.length = 0;

      transport.drop();
      transport.status.next('open');
      expect(
        transport.sent.map((f) => f.type),
        'nothing but hello before the welcome',
      ).to.deep.equal(['hello']);
      expect(transport.ofType('hello')[0].after).to.equal(1);
      transport.welcome();
      expect(transport.outbox()).to.deep.equal([`message:${pending.id}`, `offline_message:${offline.id}`]);
    });

    it('keeps a message pending when the transport cannot send it, and sends it in order with the next one', () => {
      online();
      transport.accept = false;
      const a = store.sendMessage('a');
      expect(transport.sent).to.deep.equal([]);
      expect(store.state.messages[0].status).to.equal('pending');
      transport.accept = true;
      const b = store.sendMessage('b');
      expect(transport.outbox()).to.deep.equal([`message:${a.id}`, `message:${b.id}`]);
    });

    it('retries a message the transport refused before a later offline message', () => {
      online();
      transport.accept = false;
      const a = store.sendMessage('a');
      transport.accept = true;
      const o = store.queueOfflineMessage({ name: '', email: 'a@b.cd', phone: '', description: '', message: 'o' });
      expect(transport.outbox()).to.deep.equal([`message:${a.id}`, `offline_message:${o.id}`]);
    });

    it('sends nothing when the welcome comes while the transport refuses frames, and everything after a reconnect', () => {
      const m = store.sendMessage('queued');
      session.start();
      transport.open();
      transport.accept = false;
      transport.welcome();
      expect(transport.outbox()).to.deep.equal([]);
      expect(store.state.messages[0].status).to.equal('pending');
      transport.accept = true;
      transport.drop();
      transport.status.next('open');
      transport.welcome();
      expect(transport.outbox()).to.deep.equal([`message:${m.id}`]);
    });
  });

  describe('frames from the backend', () => {
    beforeEach(() => setup());

    it('ack marks the message sent with its seq and time', () => {
      online();
      const m = store.sendMessage('hi');
      const other = store.sendMessage('there');
      transport.receive({ type: 'ack', id: m.id, seq: 4, at: 2500 });
      expect(store.state.messages[0]).to.deep.equal({
        id: m.id,
        from: 'visitor',
        text: 'hi',
        at: 2500,
        status: 'sent',
        seq: 4,
      });
      expect(store.state.messages[1]).to.deep.equal(other);
      expect(transport.outbox(), 'an ack sends nothing again').to.deep.equal([
        `message:${m.id}`,
        `message:${other.id}`,
      ]);
    });

    it('ack for an offline message marks it sent', () => {
      online();
      const o = store.queueOfflineMessage({ name: '', email: 'a@b.cd', phone: '', description: '', message: 'o' });
      expect(store.state.offlineMessages[0].status).to.equal('pending');
      transport.receive({ type: 'ack', id: o.id, seq: 0, at: 2500 });
      expect(store.state.offlineMessages[0]).to.deep.equal({ ...o, status: 'sent' });
      expect(store.state.messages).to.deep.equal([]);
    });

    it('ack for an unknown id changes nothing', () => {
      online();
      const before = store.state;
      transport.receive({ type: 'ack', id: 'nobody', seq: 3, at: 1 });
      expect(store.state).to.equal(before);
    });

    it('welcome merges missed messages in seq order and adopts visitor number, mode, agent and read position', () => {
      store.restore({
        messages: [
          agentMessage('a1', 1),
          { id: 'v1', from: 'visitor', text: 'mine, stored', at: 10, status: 'pending' },
          { id: 'v2', from: 'visitor', text: 'mine, not stored', at: 11, status: 'pending' },
        ],
        queued: ['v1', 'v2'],
        readSeq: 0,
        unread: 1,
      });
      session.start();
      transport.open();
      expect(transport.ofType('hello')[0].after).to.equal(1);
      transport.welcome({
        visitorNumber: 31,
        chatMode: 'online',
        agent: { name: 'Anna' },
        messages: [
          agentWire('a2', 2),
          { id: 'v1', seq: 3, from: 'visitor', text: 'mine, stored', at: 3000 },
          agentWire('a3', 4),
          agentWire('a4', 5),
        ],
        readSeq: 2,
      });
      const s = store.state;
      expect(s.messages.map((m) => `${m.id}:${m.seq ?? '-'}:${m.status ?? ''}`)).to.deep.equal([
        'a1:1:',
        'a2:2:',
        'v1:3:sent',
        'a3:4:',
        'a4:5:',
        'v2:-:pending',
      ]);
      expect(s.messages[1]).to.deep.equal(agentWire('a2', 2));
      expect(s.visitorNumber).to.equal(31);
      expect(s.chatMode).to.equal('online');
      expect(s.agent).to.deep.equal({ name: 'Anna' });
      expect(s.readSeq).to.equal(2);
      expect(s.unread, 'a3 and a4 are above readSeq 2').to.equal(2);
      expect(s.connection).to.equal('open');
      expect(transport.outbox(), 'only the message the backend did not have is sent').to.deep.equal(['message:v2']);
      expect(
        events.filter((e) => e.type === 'accepted'),
        'a restored agent is no live acceptance',
      ).to.deep.equal([]);
    });

    it('a welcome while the chat is open reads everything and tells the backend', () => {
      store.open('chat', 'visitor');
      session.start();
      transport.open();
      transport.welcome({ messages: [agentWire('a1', 1), agentWire('a2', 2)], readSeq: 1 });
      expect(store.state.unread).to.equal(0);
      expect(store.state.readSeq).to.equal(2);
      expect(transport.outbox()).to.deep.equal(['read:2']);
    });

    it('a live agent message while the window is closed counts as unread and emits agent-message', () => {
      online();
      store.setAgentTyping(true);
      transport.receive({ type: 'message', message: agentWire('a1', 1, 'Hello!') });
      transport.receive({ type: 'message', message: agentWire('a2', 2, 'Anyone?') });
      expect(store.state.unread).to.equal(2);
      expect(store.state.agentTyping).to.equal(false);
      expect(store.state.messages).to.deep.equal([agentWire('a1', 1, 'Hello!'), agentWire('a2', 2, 'Anyone?')]);
      expect(events).to.deep.equal([
        { type: 'agent-message', message: agentWire('a1', 1, 'Hello!') },
        { type: 'agent-message', message: agentWire('a2', 2, 'Anyone?') },
      ]);
      expect(transport.outbox(), 'nothing read yet').to.deep.equal([]);
    });

    it('a live agent message while the chat is open is read at once, and the read is sent', () => {
      online();
      store.open('chat', 'visitor');
      transport.receive({ type: 'message', message: agentWire('a1', 1) });
      expect(store.state.unread).to.equal(0);
      expect(transport.outbox()).to.deep.equal(['read:1']);
      expect(events.map((e) => e.type)).to.deep.equal(['agent-message']);
    });

    it('a visitor message from another tab is added as sent, and not sent again', () => {
      online();
      transport.receive({
        type: 'message',
        message: { id: 'other-tab', seq: 1, from: 'visitor', text: 'from tab 2', at: 3000 },
      });
      expect(store.state.messages).to.deep.equal([
        { id: 'other-tab', seq: 1, from: 'visitor', text: 'from tab 2', at: 3000, status: 'sent' },
      ]);
      expect(store.state.unread).to.equal(0);
      expect(transport.outbox()).to.deep.equal([]);
    });

    it('read from another tab lowers unread, and is not echoed back', () => {
      online({ messages: [agentWire('a1', 1), agentWire('a2', 2), agentWire('a3', 3)] });
      expect(store.state.unread).to.equal(3);
      transport.receive({ type: 'read', seq: 2 });
      expect(store.state.unread).to.equal(1);
      expect(store.state.readSeq).to.equal(2);
      transport.receive({ type: 'read', seq: 1 });
      expect(store.state.unread, 'an older read changes nothing').to.equal(1);
      expect(transport.sent).to.deep.equal([]);
    });

    it('opening the chat sends read with the last agent seq, once', () => {
      online({
        messages: [agentWire('a1', 1), { id: 'v1', seq: 2, from: 'visitor', text: 'x', at: 1 }, agentWire('a3', 3)],
      });
      expect(transport.sent).to.deep.equal([]);
      store.open('chat', 'visitor');
      expect(transport.sent).to.deep.equal([{ type: 'read', seq: 3 }]);
      store.minimize();
      store.open('chat', 'visitor');
      expect(transport.sent).to.have.length(1);
    });

    it('a read made while disconnected is sent after the next welcome', () => {
      online({ messages: [agentWire('a1', 1), agentWire('a2', 2)] });
      transport.drop();
      store.open('chat', 'visitor');
      expect(store.state.readSeq).to.equal(2);
      transport.status.next('open');
      transport.welcome({ readSeq: 0 });
      expect(transport.outbox()).to.deep.equal(['read:2']);
    });

    it('typing frames set agentTyping', () => {
      online();
      transport.receive({ type: 'typing', typing: true });
      expect(store.state.agentTyping).to.equal(true);
      transport.receive({ type: 'typing', typing: false });
      expect(store.state.agentTyping).to.equal(false);
    });

    it('an agent frame fires accepted once, and a null agent clears it without an event', () => {
      online();
      transport.receive({ type: 'agent', agent: { name: 'Anna' } });
      transport.receive({ type: 'agent', agent: { name: 'Anna' } });
      expect(store.state.agent).to.deep.equal({ name: 'Anna' });
      expect(events).to.deep.equal([{ type: 'accepted', agent: { name: 'Anna' } }]);
      transport.receive({ type: 'agent', agent: null });
      expect(store.state.agent).to.equal(null);
      transport.receive({ type: 'agent', agent: { name: 'Boris' } });
      expect(events.map((e) => e.type === 'accepted' && e.agent.name)).to.deep.equal(['Anna', 'Boris']);
    });

    it('chat_mode updates the store', () => {
      online({ chatMode: 'online' });
      transport.receive({ type: 'chat_mode', chatMode: 'offline' });
      expect(store.state.chatMode).to.equal('offline');
      transport.receive({ type: 'chat_mode', chatMode: 'online' });
      expect(store.state.chatMode).to.equal('online');
    });

    it('error with an id marks that message failed, and a retry sends it again on the same connection', () => {
      const warn = sinon.stub(console, 'warn');
      online();
      const m = store.sendMessage('too fast');
      const other = store.sendMessage('fine');
      transport.receive({ type: 'error', code: 'rate_limited', message: 'Slow down', id: m.id });
      expect(warn.firstCall.args[0]).to.equal('jivo-widget: the chat server refused a frame (rate_limited: Slow down)');
      expect(store.state.messages.map((x) => x.status)).to.deep.equal(['failed', 'pending']);
      expect(transport.outbox()).to.deep.equal([`message:${m.id}`, `message:${other.id}`]);
      store.setMessageStatus(m.id, 'pending');
      expect(transport.outbox()).to.deep.equal([`message:${m.id}`, `message:${other.id}`, `message:${m.id}`]);
      transport.receive({ type: 'ack', id: m.id, seq: 1, at: 3000 });
      expect(store.state.messages[0]).to.include({ status: 'sent', seq: 1 });
    });

    it('error with an offline message id marks it failed, and a retry sends it again', () => {
      sinon.stub(console, 'warn');
      online();
      const o = store.queueOfflineMessage({ name: '', email: 'a@b.cd', phone: '', description: '', message: 'o' });
      transport.receive({ type: 'error', code: 'invalid_field', message: 'email is not a valid address', id: o.id });
      expect(store.state.offlineMessages[0].status).to.equal('failed');
      store.setOfflineMessageStatus(o.id, 'pending');
      expect(transport.outbox()).to.deep.equal([`offline_message:${o.id}`, `offline_message:${o.id}`]);
    });

    it('error without an id only warns', () => {
      const warn = sinon.stub(console, 'warn');
      online();
      store.sendMessage('hi');
      const before = store.state;
      transport.receive({ type: 'error', code: 'bad_frame', message: 'Not JSON' });
      expect(store.state).to.equal(before);
      expect(warn.callCount).to.equal(1);
    });

    it('a message frame the rate limit dropped without its id fails once the frames sent with it are answered', () => {
      const clock = sinon.useFakeTimers();
      sinon.stub(console, 'warn');
      online();
      const a = store.sendMessage('one');
      const b = store.sendMessage('two');
      const c = store.sendMessage('three');
      transport.receive({ type: 'ack', id: a.id, seq: 1, at: 3000 });
      transport.receive({ type: 'error', code: 'rate_limited', message: 'Too many frames; this one was dropped' });
      transport.receive({ type: 'ack', id: c.id, seq: 2, at: 3001 });
      const statuses = () => store.state.messages.map((x) => x.status);
      expect(statuses()).to.deep.equal(['sent', 'pending', 'sent']);
      clock.tick(1999);
      expect(statuses(), 'answers may still be on their way').to.deep.equal(['sent', 'pending', 'sent']);
      clock.tick(1);
      expect(statuses(), 'no 30 s of "Sending": the visitor can send it again').to.deep.equal([
        'sent',
        'failed',
        'sent',
      ]);
      transport.sent.length = 0;
      store.retryMessage(b.id);
      expect(transport.outbox()).to.deep.equal([`message:${b.id}`]);
    });

    it('a rate-limit error without an id leaves alone messages sent after it', () => {
      const clock = sinon.useFakeTimers();
      sinon.stub(console, 'warn');
      online();
      store.sendMessage('one');
      transport.receive({ type: 'error', code: 'rate_limited', message: 'Too many frames; this one was dropped' });
      const later = store.sendMessage('two');
      clock.tick(2000);
      expect(store.state.messages.map((x) => x.status)).to.deep.equal(['failed', 'pending']);
      expect(transport.outbox().at(-1)).to.equal(`message:${later.id}`);
    });

    it('a failed message stays failed across reconnects until retried', () => {
      sinon.stub(console, 'warn');
      online();
      const m = store.sendMessage('x');
      transport.receive({ type: 'error', code: 'invalid_field', message: 'no', id: m.id });
      transport.sent.length = 0;
      transport.drop();
      transport.status.next('open');
      transport.welcome();
      expect(transport.outbox()).to.deep.equal([]);
    });
  });

  describe('typing', () => {
    let clock: sinon.SinonFakeTimers;

    beforeEach(() => {
      clock = sinon.useFakeTimers();
      setup();
    });

    afterEach(() => clock.restore());

    const typing = () => transport.ofType('typing').map((f) => f.typing);

    it('sends typing true once while the visitor types, and false after the idle delay', () => {
      online();
      store.setDraft('H');
      store.setDraft('He');
      clock.tick(3000);
      store.setDraft('Hel');
      expect(typing()).to.deep.equal([true]);
      clock.tick(3999);
      expect(typing(), 'each keystroke restarts the idle delay').to.deep.equal([true]);
      clock.tick(1);
      expect(typing()).to.deep.equal([true, false]);
      expect(clock.countTimers()).to.equal(0);
      store.setDraft('Hell');
      expect(typing(), 'typing again').to.deep.equal([true, false, true]);
    });

    it('uses the typingIdle option', () => {
      setup({ typingIdle: 500 });
      online();
      store.setDraft('a');
      clock.tick(499);
      expect(typing()).to.deep.equal([true]);
      clock.tick(1);
      expect(typing()).to.deep.equal([true, false]);
    });

    it('sends typing false when the message is sent, and not again after the delay', () => {
      online();
      store.setDraft('Hello');
      const m = store.sendMessage('Hello');
      expect(transport.sent).to.deep.equal([
        { type: 'typing', typing: true },
        { type: 'message', id: m.id, text: 'Hello' },
        { type: 'typing', typing: false },
      ]);
      clock.tick(10_000);
      expect(transport.sent).to.have.length(3);
      expect(clock.countTimers()).to.equal(0);
    });

    it('sends typing false when the draft is cleared', () => {
      online();
      store.setDraft('abc');
      store.setDraft('   ');
      expect(typing()).to.deep.equal([true, false]);
      store.setDraft('');
      clock.tick(10_000);
      expect(typing()).to.deep.equal([true, false]);
    });

    it('sends no typing before the welcome', () => {
      session.start();
      transport.open();
      store.setDraft('abc');
      clock.tick(10_000);
      expect(typing()).to.deep.equal([]);
    });

    it('stop() cancels the idle timer', () => {
      online();
      store.setDraft('abc');
      expect(clock.countTimers()).to.equal(1);
      session.stop();
      expect(clock.countTimers()).to.equal(0);
    });
  });

  describe('stop', () => {
    beforeEach(() => setup());

    it('disconnects, sets the connection to none and leaves nothing subscribed', () => {
      online();
      expect(transport.frames.observed).to.equal(true);
      expect(transport.status.observed).to.equal(true);
      session.stop();
      expect(transport.disconnects).to.equal(1);
      expect(store.state.connection).to.equal('none');
      expect(transport.frames.observed, 'frames$').to.equal(false);
      expect(transport.status.observed, 'status$').to.equal(false);
    });

    it('ignores the store and the transport after stop', () => {
      online();
      session.stop();
      transport.status.next('open');
      transport.receive({ type: 'chat_mode', chatMode: 'offline' });
      store.sendMessage('after stop');
      store.setDraft('typing after stop');
      expect(transport.sent).to.deep.equal([]);
      expect(store.state.chatMode).to.equal('online');
      expect(store.state.connection).to.equal('none');
    });

    it('leaves no subscription on the store either', () => {
      online();
      session.stop();
      let calls = 0;
      // If the session still listened, a state change would call send() through its flush.
      transport.send = () => {
        calls++;
        return true;
      };
      transport.status.next('open');
      store.sendMessage('x');
      store.open('chat', 'visitor');
      expect(calls).to.equal(0);
    });
  });

  describe('visitor data', () => {
    beforeEach(() => setup());

    it('sends nothing about the visitor before the welcome, then what it has, after each welcome', () => {
      store.setContact({ name: 'Ann', email: 'ann@example.com' });
      store.setCustomData([{ content: 'Plan: gold', key: 'Plan' }]);
      store.setUserToken('tok-1');
      store.setUtm({ source: 'google', medium: 'cpc', campaign: '', content: '', term: '' });
      session.start();
      transport.open();
      expect(transport.sent.map((f) => f.type)).to.deep.equal(['hello']);
      transport.welcome({});
      expect(transport.sent.slice(1)).to.deep.equal([
        { type: 'contact', name: 'Ann', email: 'ann@example.com', phone: '', description: '' },
        { type: 'custom_data', fields: [{ content: 'Plan: gold', key: 'Plan' }] },
        { type: 'user_token', token: 'tok-1' },
        { type: 'utm', utm: { source: 'google', medium: 'cpc', campaign: '', content: '', term: '' } },
      ]);
    });

    it('sends nothing for what is empty', () => {
      store.setUtm({ source: '', medium: '', campaign: '', content: '', term: '' });
      online();
      store.setCustomData([]);
      expect(transport.sent).to.deep.equal([]);
    });

    it('sends each change while connected, once', () => {
      online();
      store.setContact({ phone: '+1 408 498 7855' });
      store.setUserToken('tok-2');
      store.setUserToken('tok-2');
      store.setPage({ title: 'Checkout', url: 'https://shop.example/checkout' });
      expect(transport.sent).to.deep.equal([
        { type: 'contact', name: '', email: '', phone: '+1 408 498 7855', description: '' },
        { type: 'user_token', token: 'tok-2' },
        { type: 'page', page: { title: 'Checkout', url: 'https://shop.example/checkout' } },
      ]);
    });

    it('the hello carries the page the site reported, instead of the document', () => {
      store.setPage({ title: 'Product 7', url: 'https://shop.example/p/7' });
      session.start();
      transport.open();
      expect((transport.sent[0] as { page: PageInfo }).page).to.deep.equal({
        title: 'Product 7',
        url: 'https://shop.example/p/7',
      });
      expect(pageCalls).to.equal(0);
    });
  });

  describe('agent typing across connections', () => {
    beforeEach(() => setup());

    it('a dropped connection and a welcome both clear "agent is typing"', () => {
      online();
      transport.receive({ type: 'typing', typing: true });
      expect(store.state.agentTyping).to.equal(true);
      transport.drop();
      expect(store.state.agentTyping, 'cleared when the connection drops').to.equal(false);
      transport.status.next('open');
      store.setAgentTyping(true);
      transport.welcome({});
      expect(store.state.agentTyping, 'the welcome starts afresh').to.equal(false);
    });
  });
});

describe('ChatSession and call backs', () => {
  /** The shared hand-driven transport, plus the call requests it was sent. */
  class CallsTransport extends FakeTransport {
    requests(): string[] {
      return this.sent.flatMap((f) => (f.type === 'call_request' ? [`${f.id}:${f.phone}`] : []));
    }
  }

  let store: WidgetStore;
  let transport: CallsTransport;
  let session: ChatSession;

  beforeEach(() => {
    let n = 0;
    store = new WidgetStore({ now: () => 1000, id: () => `id${++n}` });
    transport = new CallsTransport();
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

describe('ChatSession: client attributes and the contacts request', () => {
  /** The shared hand-driven transport, opened with a welcome that may carry a contacts request. */
  class ContactsTransport extends FakeTransport {
    override open(contactsRequest?: string): void {
      super.open();
      this.welcome({ visitorNumber: 1, contactsRequest });
    }
    /** What was sent, without hellos and the frames that every welcome brings (utm). */
    types(): string[] {
      return this.sent.filter((f) => f.type !== 'hello' && f.type !== 'utm').map((f) => f.type);
    }
  }

  let store: WidgetStore;
  let transport: ContactsTransport;
  let session: ChatSession;

  beforeEach(() => {
    store = new WidgetStore();
    transport = new ContactsTransport();
    session = new ChatSession(store, transport, {
      widgetId: 'site',
      page: () => ({ url: 'https://shop.example/', title: 'Shop' }),
    });
    session.start();
  });
  afterEach(() => session.stop());

  it('sends client attributes after every welcome once there are any, and on every change', () => {
    transport.open();
    expect(transport.types()).to.deep.equal([]);
    store.setClientAttributes({ plan: 'gold' });
    expect(transport.sent.at(-1)).to.deep.equal({ type: 'client_attributes', attributes: { plan: 'gold' } });
    transport.sent.length = 0;
    transport.open();
    expect(transport.sent.filter((f) => f.type === 'client_attributes')).to.deep.equal([
      { type: 'client_attributes', attributes: { plan: 'gold' } },
    ]);
    // All deleted: the empty set still goes out, so that the backend forgets them too.
    store.setClientAttributes({});
    expect(transport.sent.at(-1)).to.deep.equal({ type: 'client_attributes', attributes: {} });
  });

  it('takes a request from the welcome or a frame; the answer follows the contact, once per connection', () => {
    transport.open('r-1');
    expect(store.state.contactsRequest).to.deep.equal({ id: 'r-1', state: 'pending' });
    transport.sent.length = 0;
    store.introduce({ name: 'Ann', email: 'ann@example.com', phone: '' });
    expect(transport.types()).to.deep.equal(['contact', 'contacts_answer']);
    expect(transport.sent.at(-1)).to.deep.equal({ type: 'contacts_answer', request: 'r-1', given: true });
    transport.frames.next({ type: 'contacts_request', request: null });
    expect(store.state.contactsRequest).to.equal(null);

    transport.frames.next({ type: 'contacts_request', request: 'r-2' });
    expect(store.state.contactsRequest).to.deep.equal({ id: 'r-2', state: 'pending' });
    transport.sent.length = 0;
    store.declineContacts();
    expect(transport.sent).to.deep.equal([{ type: 'contacts_answer', request: 'r-2', given: false }]);
  });

  it('an answer given while disconnected goes out after the next welcome that still has the request', () => {
    transport.open('r-1');
    transport.status.next('connecting');
    store.introduce({ name: 'Ann', email: '', phone: '+4755501020' });
    transport.sent.length = 0;
    transport.open('r-1');
    expect(transport.types()).to.deep.equal(['contact', 'contacts_answer']);
    expect(store.state.contactsRequest?.state, 'not shown again meanwhile').to.equal('given');
  });
});

describe('ChatSession: business hours and the pre-chat form', () => {
  let store: WidgetStore;
  let transport: FakeTransport;
  let session: ChatSession;
  const types = () => transport.sent.filter((f) => f.type !== 'hello' && f.type !== 'utm').map((f) => f.type);

  function setup() {
    store = new WidgetStore();
    transport = new FakeTransport();
    session = new ChatSession(store, transport, {
      widgetId: 'site',
      page: () => ({ url: 'https://shop.example/', title: 'Shop' }),
    });
  }

  function online(w: Partial<Extract<BackendFrame, { type: 'welcome' }>> = {}) {
    session.start();
    transport.open();
    transport.welcome(w);
    transport.sent.length = 0;
  }

  afterEach(() => session.stop());

  const PRECHAT = {
    name: 'required' as const,
    email: 'off' as const,
    phone: 'off' as const,
    department: { mode: 'required' as const, options: ['Sales'] },
    question: { mode: 'off' as const, label: '' },
    consent: { text: 'I agree', url: 'https://shop.example/privacy', version: 'v1' },
  };

  it('follows the hours and the form as the backend says them, and sends the answers after the contact and department until acked', () => {
    setup();
    online({ hours: { open: false, next: 9000 }, prechat: { ...PRECHAT, answered: false } });
    const site = siteSettingsOf(store);
    expect(site.state.hours).to.deep.equal({ open: false, next: 9000 });
    transport.receive({ type: 'hours', hours: { open: true, next: 12000 } });
    expect(site.state.hours).to.deep.equal({ open: true, next: 12000 });

    store.introduce({ name: 'Ann', email: '', phone: '' });
    store.setDepartment('Sales');
    site.sendPrechat({ id: 'p-1', answer: '', department: 'Sales', consent: 'v1' });
    expect(types()).to.deep.equal(['contact', 'department', 'prechat']);
    expect(transport.sent.at(-1)).to.deep.equal({
      type: 'prechat',
      id: 'p-1',
      answer: '',
      department: 'Sales',
      consent: 'v1',
    });
    // Not acked before the connection dropped: sent again after the next welcome.
    transport.drop();
    transport.sent.length = 0;
    transport.open();
    transport.welcome({ prechat: { ...PRECHAT, answered: false } });
    expect(types()).to.include('prechat');
    transport.receive({ type: 'ack', id: 'p-1', seq: 0, at: 5000 });
    expect(site.state.answer).to.equal(null);
    expect(site.state.prechat?.answered).to.equal(true);
  });

  it('a form sent in another tab, or changed by the site, is what the widget shows', () => {
    setup();
    online({ prechat: { ...PRECHAT, answered: false } });
    const site = siteSettingsOf(store);
    transport.receive({ type: 'prechat', prechat: { ...PRECHAT, answered: true } });
    expect(site.state.prechat?.answered).to.equal(true);
    transport.receive({ type: 'prechat', prechat: null });
    expect(site.state.prechat).to.equal(null);
  });

  it('answers the backend refuses bring the form back, saying so', () => {
    setup();
    online({ prechat: { ...PRECHAT, answered: false } });
    const site = siteSettingsOf(store);
    site.sendPrechat({ id: 'p-2', answer: '', department: null, consent: 'v1' });
    transport.receive({ type: 'error', code: 'invalid_field', message: 'needs a department', id: 'p-2' });
    expect(site.state.answer).to.equal(null);
    expect(site.state.refused).to.equal(true);
    expect(site.state.prechat?.answered).to.equal(false);
  });
});
