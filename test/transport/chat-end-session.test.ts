import { expect } from '@open-wc/testing';
import { WidgetStore } from '../../src/state/chat.js';
import { chatEndOf } from '../../src/state/chat-end.js';
import { siteOf } from '../../src/state/site.js';
import { ChatSession } from '../../src/transport/session.js';
import { parseBackendFrame, parseVisitorFrame } from '../../src/transport/frames.js';
import { FakeTransport } from '../helpers/fake-transport.js';

// Ending and rating a chat on the wire (docs/protocol.md#end, #rating, #chat_ended): what the visitor asked for waits
// until the backend answers, goes out once per connection, and again after a reconnect; the backend's word wins.

describe('ChatSession: ending and rating a chat', () => {
  let store: WidgetStore;
  let transport: FakeTransport;
  let session: ChatSession;

  beforeEach(() => {
    store = new WidgetStore();
    transport = new FakeTransport();
    session = new ChatSession(store, transport, {
      widgetId: 'site',
      page: () => ({ url: 'https://shop.example/', title: 'Shop' }),
    });
    session.start();
  });

  afterEach(() => session.stop());

  it('an end asked for while disconnected goes out after the welcome, once, and again after a reconnect until answered', () => {
    const end = chatEndOf(store);
    end.askToEnd();
    expect(end.state.confirming).to.equal(true);
    end.endChat();
    expect(transport.ofType('end')).to.have.length(0);
    transport.open();
    transport.welcome();
    expect(transport.ofType('end')).to.have.length(1);
    store.setDraft('x');
    expect(transport.ofType('end'), 'once per connection').to.have.length(1);
    transport.drop();
    transport.open();
    transport.welcome();
    expect(transport.ofType('end'), 'again on the new connection').to.have.length(2);
    transport.receive({ type: 'chat_ended', ended: { chat: 1, seq: 3, by: 'visitor', rating: null } });
    expect(end.state.ending).to.equal(false);
    expect(end.state.ended).to.deep.equal({ chat: 1, seq: 3, by: 'visitor', rating: null });
    transport.drop();
    transport.open();
    transport.welcome({ ended: { chat: 1, seq: 3, by: 'visitor', rating: null } });
    expect(transport.ofType('end'), 'answered: not again').to.have.length(2);
  });

  it('a rating waits for the backend: resent after a reconnect, dropped once the backend has it', () => {
    const end = chatEndOf(store);
    transport.open();
    transport.welcome({ ended: { chat: 2, seq: 7, by: 'agent', rating: null } });
    end.rate('bad', 'Too slow');
    expect(transport.ofType('rating')).to.deep.equal([{ type: 'rating', chat: 2, rate: 'bad', comment: 'Too slow' }]);
    transport.drop();
    transport.open();
    transport.welcome({ ended: { chat: 2, seq: 7, by: 'agent', rating: null } });
    expect(transport.ofType('rating'), 'resent').to.have.length(2);
    transport.receive({
      type: 'chat_ended',
      ended: { chat: 2, seq: 7, by: 'agent', rating: { rate: 'bad', comment: 'Too slow' } },
    });
    expect(end.state.rating).to.equal(null);
    transport.drop();
    transport.open();
    transport.welcome({ ended: { chat: 2, seq: 7, by: 'agent', rating: { rate: 'bad', comment: 'Too slow' } } });
    expect(transport.ofType('rating'), 'stored: not again').to.have.length(2);
  });

  it('a decline goes out once; a chat already rated is not rated again', () => {
    const end = chatEndOf(store);
    transport.open();
    transport.welcome({ ended: { chat: 1, seq: 2, by: 'agent', rating: null } });
    end.decline();
    end.decline();
    expect(transport.ofType('rating')).to.deep.equal([{ type: 'rating', chat: 1, rate: null, comment: '' }]);
    expect(end.state.declined).to.deep.equal([1]);
    transport.receive({
      type: 'chat_ended',
      ended: { chat: 1, seq: 2, by: 'agent', rating: { rate: 'good', comment: '' } },
    });
    end.rate('bad', '');
    expect(end.state.rating, 'the backend has a rating already').to.equal(null);
  });

  it("the welcome's site profile and the agent's photo reach the window's stores; a new visitor forgets the last end", () => {
    const end = chatEndOf(store);
    transport.open();
    transport.welcome({
      agent: { name: 'Alice', photo: 'https://cdn.example/alice.png' },
      ended: { chat: 1, seq: 2, by: 'agent', rating: null },
      site: { team: 'Acme', greeting: 'Hi', channels: [] },
    });
    expect(siteOf(store).profile).to.deep.equal({ team: 'Acme', greeting: 'Hi', channels: [] });
    expect(siteOf(store).photos.get('Alice')).to.equal('https://cdn.example/alice.png');
    expect(store.state.agent).to.deep.equal({ name: 'Alice' });
    transport.receive({ type: 'agent', agent: { name: 'Alice' } });
    expect(siteOf(store).photos.has('Alice'), 'the photo removed').to.equal(false);
    transport.drop();
    transport.open();
    transport.welcome({});
    expect(end.state.ended).to.equal(null);
    expect(siteOf(store).profile).to.equal(null);
  });
});

describe('frames: end, rating, chat_ended, the site profile and photos', () => {
  it('parses the visitor frames and refuses bad ones', () => {
    expect(parseVisitorFrame('{"type":"end"}')).to.deep.equal({ ok: true, frame: { type: 'end' } });
    expect(parseVisitorFrame('{"type":"rating","chat":1,"rate":"good","comment":" ok "}')).to.deep.equal({
      ok: true,
      frame: { type: 'rating', chat: 1, rate: 'good', comment: 'ok' },
    });
    expect(parseVisitorFrame('{"type":"rating","chat":1,"rate":null}')).to.deep.equal({
      ok: true,
      frame: { type: 'rating', chat: 1, rate: null, comment: '' },
    });
    const code = (raw: string) => {
      const parsed = parseVisitorFrame(raw);
      return parsed.ok ? 'ok' : parsed.code;
    };
    expect(code('{"type":"rating","chat":0,"rate":"good"}')).to.equal('bad_frame');
    expect(code('{"type":"rating","chat":1.5,"rate":"good"}')).to.equal('bad_frame');
    expect(code('{"type":"rating","chat":1,"rate":"meh"}')).to.equal('invalid_field');
    expect(code(JSON.stringify({ type: 'rating', chat: 1, rate: 'bad', comment: 'x'.repeat(1001) }))).to.equal(
      'invalid_field',
    );
  });

  it('trusts no backend: a malformed chat_ended or site is refused, a photo that is not https is dropped', () => {
    const welcome = { type: 'welcome', visitorNumber: 1, chatMode: 'online', messages: [], readSeq: 0 };
    const agentOf = (photo: unknown) => {
      const parsed = parseBackendFrame(JSON.stringify({ ...welcome, agent: { name: 'Alice', photo } }));
      return parsed.ok && parsed.frame.type === 'welcome' ? parsed.frame.agent : 'refused';
    };
    expect(agentOf('https://cdn.example/a.png')).to.deep.equal({ name: 'Alice', photo: 'https://cdn.example/a.png' });
    expect(agentOf('javascript:alert(1)')).to.deep.equal({ name: 'Alice' });
    expect(agentOf('http://cdn.example/a.png')).to.deep.equal({ name: 'Alice' });
    const ok = (frame: object) => parseBackendFrame(JSON.stringify(frame)).ok;
    expect(ok({ ...welcome, agent: null, site: { team: 'A', greeting: '', channels: [] } })).to.equal(true);
    expect(
      ok({
        ...welcome,
        agent: null,
        site: { team: 'A', greeting: '', channels: [{ kind: 'telegram', url: 'javascript:1' }] },
      }),
    ).to.equal(false);
    expect(ok({ type: 'chat_ended', ended: { chat: 1, seq: 2, by: 'agent', rating: null } })).to.equal(true);
    expect(ok({ type: 'chat_ended', ended: { chat: 1, seq: 2, by: 'robot', rating: null } })).to.equal(false);
    expect(
      ok({ type: 'chat_ended', ended: { chat: 1, seq: 2, by: 'agent', rating: { rate: 'great', comment: '' } } }),
    ).to.equal(false);
  });
});
