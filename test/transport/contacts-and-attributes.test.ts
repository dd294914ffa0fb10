import { expect } from '@open-wc/testing';
import { WidgetStore, type StoreEvent } from '../../src/state/store.js';
import { parseBackendFrame, parseVisitorFrame } from '../../src/transport/frames.js';
import { ChatSession } from '../../src/transport/session.js';
import { FakeTransport as SharedFakeTransport } from '../helpers/fake-transport.js';
import { contactsFormReason } from '../../src/state/selectors.js';

// The contacts form and client attributes below the UI: the frames, the store's actions and what the session sends and
// when (their validators are tested in test/model/validate.test.ts).

const json = (value: unknown) => JSON.stringify(value);

describe('the frames', () => {
  it('client_attributes: a whole set, validated', () => {
    expect(parseVisitorFrame(json({ type: 'client_attributes', attributes: { plan: 'gold', n: 1 } }))).to.deep.equal({
      ok: true,
      frame: { type: 'client_attributes', attributes: { plan: 'gold', n: 1 } },
    });
    for (const attributes of [null, [], { plan: null }, { plan: {} }, 'x']) {
      const parsed = parseVisitorFrame(json({ type: 'client_attributes', attributes }));
      expect(parsed.ok === false && parsed.code, json(attributes)).to.equal('invalid_field');
    }
  });

  it('contacts_answer: a request id and given', () => {
    expect(parseVisitorFrame(json({ type: 'contacts_answer', request: 'r-1', given: true }))).to.deep.equal({
      ok: true,
      frame: { type: 'contacts_answer', request: 'r-1', given: true },
    });
    for (const f of [
      { request: 'r-1' },
      { request: 'r 1', given: true },
      { given: false },
      { request: 'r-1', given: 'yes' },
    ]) {
      const parsed = parseVisitorFrame(json({ type: 'contacts_answer', ...f }));
      expect(parsed.ok === false && parsed.code, json(f)).to.equal('bad_frame');
    }
  });

  it('contacts_request and the welcome carry a request id, or none', () => {
    expect(parseBackendFrame(json({ type: 'contacts_request', request: 'r-1' }))).to.deep.equal({
      ok: true,
      frame: { type: 'contacts_request', request: 'r-1' },
    });
    expect(parseBackendFrame(json({ type: 'contacts_request', request: null }))).to.deep.equal({
      ok: true,
      frame: { type: 'contacts_request', request: null },
    });
    expect(parseBackendFrame(json({ type: 'contacts_request' })).ok).to.equal(false);
    expect(parseBackendFrame(json({ type: 'contacts_request', request: 42 })).ok).to.equal(false);
    const welcome = { type: 'welcome', visitorNumber: 1, chatMode: 'online', agent: null, messages: [], readSeq: 0 };
    const parsed = parseBackendFrame(json({ ...welcome, contactsRequest: 'r-1' }));
    expect(parsed.ok && parsed.frame.type === 'welcome' && parsed.frame.contactsRequest).to.equal('r-1');
    expect(parseBackendFrame(json({ ...welcome, contactsRequest: null })).ok).to.equal(true);
    expect(parseBackendFrame(json({ ...welcome, contactsRequest: '<b>' })).ok).to.equal(false);
  });
});

describe('the store', () => {
  it('shows the form for a pending request, else for the site before the first message without known contacts', () => {
    const store = new WidgetStore();
    expect(contactsFormReason(store.state)).to.equal(null);
    store.setContactsForm('required');
    expect(contactsFormReason(store.state)).to.equal('required');
    store.setContact({ name: 'Ann' });
    expect(contactsFormReason(store.state), 'a name alone is not enough').to.equal('required');
    store.setContact({ phone: '+4755501020' });
    expect(contactsFormReason(store.state)).to.equal(null);
    store.receiveContactsRequest('r-1');
    expect(contactsFormReason(store.state), 'an agent asks anyway').to.equal('request');

    const other = new WidgetStore();
    other.setContactsForm('optional');
    other.sendMessage('Hi');
    expect(contactsFormReason(other.state), 'not once the chat has begun').to.equal(null);
    const skipped = new WidgetStore();
    skipped.setContactsForm('optional');
    skipped.skipContactsForm();
    expect(contactsFormReason(skipped.state)).to.equal(null);
  });

  it('introduce sets the contact, answers the pending request and emits one introduction event', () => {
    const store = new WidgetStore();
    const events: StoreEvent[] = [];
    store.events$.subscribe((e) => events.push(e));
    store.setContact({ description: 'VIP' });
    store.receiveContactsRequest('r-1');
    store.introduce({ name: 'Ann', email: 'ann@example.com', phone: '' });
    expect(store.state.contact).to.deep.equal({ name: 'Ann', email: 'ann@example.com', phone: '', description: 'VIP' });
    expect(store.state.contactsRequest).to.deep.equal({ id: 'r-1', state: 'given' });
    expect(events).to.deep.equal([{ type: 'introduction' }]);
    // An answered request stays answered when the backend repeats it; a new one replaces it; none clears it.
    store.receiveContactsRequest('r-1');
    expect(store.state.contactsRequest?.state).to.equal('given');
    store.receiveContactsRequest('r-2');
    expect(store.state.contactsRequest).to.deep.equal({ id: 'r-2', state: 'pending' });
    store.declineContacts();
    expect(store.state.contactsRequest).to.deep.equal({ id: 'r-2', state: 'declined' });
    store.receiveContactsRequest(null);
    expect(store.state.contactsRequest).to.equal(null);
    // setContact (what setContactInfo calls) is no introduction.
    store.setContact({ name: 'Bob' });
    expect(events).to.have.length(1);
  });

  it('clearHistory forgets the attributes, the request and the skip', () => {
    const store = new WidgetStore();
    store.setClientAttributes({ plan: 'gold' });
    store.receiveContactsRequest('r-1');
    store.skipContactsForm();
    store.setContactsForm('optional');
    store.clearHistory();
    expect(store.state.clientAttributes).to.equal(null);
    expect(store.state.contactsRequest).to.equal(null);
    expect(store.state.contactsSkipped).to.equal(false);
    expect(store.state.contactsForm, 'the attribute stays').to.equal('optional');
  });
});

/** The shared hand-driven transport, opened with a welcome that may carry a contacts request. */
class FakeTransport extends SharedFakeTransport {
  override open(contactsRequest?: string): void {
    super.open();
    this.welcome({ visitorNumber: 1, contactsRequest });
  }
  /** What was sent, without hellos and the frames that every welcome brings (utm). */
  types(): string[] {
    return this.sent.filter((f) => f.type !== 'hello' && f.type !== 'utm').map((f) => f.type);
  }
}

describe('ChatSession: client attributes and the contacts request', () => {
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
