import { expect } from '@open-wc/testing';
import type { StoreEvent } from '../../src/state/store.js';
import { WidgetStore } from '../../src/state/chat.js';
import { contactsFormReason } from '../../src/state/selectors.js';

// The visitor's contact details, the contacts form and client attributes in the store (state/visitor.ts): the
// validators are tested in test/model/validate.test.ts, the frames in test/transport/frames.test.ts, what the session
// sends in test/transport/session.test.ts.

describe('the store: contacts and client attributes', () => {
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
