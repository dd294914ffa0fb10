import { aTimeout, expect, fixture, fixtureCleanup, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import sinon from 'sinon';
import '../../../src/jivo-widget.js';
import type { JivoChatWindow } from '../../../src/components/chat-window/chat-window.js';
import type { JivoContactsForm } from '../../../src/components/contacts-form/contacts-form.js';
import type { JivoWidget } from '../../../src/components/widget/widget.js';
import type { WidgetStore } from '../../../src/state/store.js';
import type { StoreEvent } from '../../../src/state/store.js';
import { asVisitor } from '../../helpers/widget-page.js';
import {
  createStore,
  mount,
  mountUnmountCycles,
  settled,
  shadow,
  shadowAll,
  text,
  visitorMessage,
} from '../../helpers/store-provider.js';
import { speak } from '../../helpers/languages.js';
import { loadCatalog } from '../../../src/i18n/load-catalog.js';

const template = (reason = 'required') => html`<jivo-contacts-form reason=${reason}></jivo-contacts-form>`;

async function mountForm(reason = 'required', store: WidgetStore = createStore()) {
  const mounted = await mount<JivoContactsForm>(template(reason), store);
  const events: StoreEvent[] = [];
  store.events$.subscribe((e) => events.push(e));
  return { ...mounted, events };
}

const input = (el: Element, name: string) => shadow<HTMLInputElement>(el, `#${name}`);
const button = (el: Element, label: string) =>
  shadowAll<HTMLButtonElement>(el, 'button').find((b) => text(b) === label);

/** Types into a field as a visitor does (the input event the browser fires). */
function fill(el: Element, name: string, value: string) {
  const field = input(el, name);
  field.value = value;
  field.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
}

/** The deepest focused element, through shadow roots. */
function focused(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

/** The error announced for a field: the field is invalid and described by the visible message. */
function errorOf(el: Element, name: string): string | null {
  const field = input(el, name);
  if (field.getAttribute('aria-invalid') !== 'true') return null;
  const id = field.getAttribute('aria-describedby');
  return id ? text(el.shadowRoot!.getElementById(id)) : null;
}

describe('<jivo-contacts-form>', () => {
  it('is accessible for every reason, in English and Russian, and with errors shown', async () => {
    for (const reason of ['required', 'optional', 'request']) {
      const { el, store } = await mountForm(reason);
      await expect(el).to.be.accessible();
      await speak(store, 'ru');
      await settled(el);
      await expect(el).to.be.accessible();
    }
    const { el } = await mountForm();
    shadow<HTMLButtonElement>(el, 'button[type="submit"]').click();
    await settled(el);
    await expect(el).to.be.accessible();
  });

  it('is a named form with a labelled name, email and phone field', async () => {
    const { el } = await mountForm();
    const form = shadow(el, 'form');
    expect(form.getAttribute('part')).to.equal('contacts-form');
    expect(text(el.shadowRoot!.getElementById(form.getAttribute('aria-labelledby')!))).to.equal('Your contact details');
    const labels = ['name', 'email', 'phone'].map((n) => text(input(el, n).labels![0]));
    expect(labels).to.deep.equal(['Name', 'Email', 'Phone']);
    expect(input(el, 'email').type).to.equal('email');
    expect(input(el, 'phone').type).to.equal('tel');
    expect(input(el, 'name').required).to.equal(true);
    expect(input(el, 'name').autocomplete).to.equal('name');
  });

  it('offers Skip when optional, Not now for an agent request, and nothing else when required', async () => {
    expect(shadowAll((await mountForm('required')).el, 'button').map(text)).to.deep.equal(['Send my details']);
    expect(shadowAll((await mountForm('optional')).el, 'button').map(text)).to.deep.equal(['Send my details', 'Skip']);
    const { el } = await mountForm('request');
    expect(shadowAll(el, 'button').map(text)).to.deep.equal(['Send my details', 'Not now']);
    expect(text(shadow(el, '#intro'))).to.match(/agent asks/);
  });

  it('starts from what is known of the visitor, markup staying text', async () => {
    const store = createStore();
    store.setContact({ name: '<img src=x onerror=alert(1)>', phone: '+47 555 01 02' });
    const { el } = await mountForm('required', store);
    expect(input(el, 'name').value).to.equal('<img src=x onerror=alert(1)>');
    expect(input(el, 'phone').value).to.equal('+47 555 01 02');
    expect(input(el, 'email').value).to.equal('');
    expect(!!el.shadowRoot!.querySelector('img'), 'an img element').to.equal(false);
  });

  describe('validation', () => {
    it('announces a missing name on the field and moves focus to it; nothing is sent', async () => {
      const { el, store, events } = await mountForm();
      fill(el, 'email', 'ann@example.com');
      shadow<HTMLButtonElement>(el, 'button[type="submit"]').click();
      await settled(el);
      expect(errorOf(el, 'name')).to.equal('Please enter your name.');
      expect(focused() === input(el, 'name'), 'focus is on the name field').to.equal(true);
      expect(store.state.contact.email).to.equal('');
      expect(events).to.deep.equal([]);
    });

    it('wants an email or a phone, and checks their format; fixing the field clears its error', async () => {
      const { el, events } = await mountForm();
      fill(el, 'name', 'Ann');
      shadow<HTMLButtonElement>(el, 'button[type="submit"]').click();
      await settled(el);
      expect(errorOf(el, 'email')).to.equal('Leave an email or a phone number so that we can answer.');
      expect(focused() === input(el, 'email'), 'focus is on the email field').to.equal(true);

      fill(el, 'email', 'ann@');
      await settled(el);
      expect(errorOf(el, 'email'), 'typing in the field clears the error').to.equal(null);
      shadow<HTMLButtonElement>(el, 'button[type="submit"]').click();
      await settled(el);
      expect(errorOf(el, 'email')).to.equal('This email address does not look right.');

      fill(el, 'email', '');
      fill(el, 'phone', 'call me');
      shadow<HTMLButtonElement>(el, 'button[type="submit"]').click();
      await settled(el);
      expect(errorOf(el, 'phone')).to.equal('This phone number does not look right.');
      expect(focused() === input(el, 'phone'), 'focus is on the phone field').to.equal(true);
      expect(events).to.deep.equal([]);
    });

    it('speaks Russian in Russian', async () => {
      const store = createStore({ locale: 'ru', catalog: await loadCatalog('ru') });
      const { el } = await mountForm('required', store);
      shadow<HTMLButtonElement>(el, 'button[type="submit"]').click();
      await settled(el);
      expect(errorOf(el, 'name')).to.equal('Укажите имя.');
      expect(text(input(el, 'email').labels![0])).to.equal('Эл. почта');
    });
  });

  it('is sent with the keyboard alone: the details become the contact, one introduction, done', async () => {
    const { el, store, events } = await mountForm('required');
    const done = oneEvent(el, 'contacts-done');
    input(el, 'name').focus();
    await sendKeys({ type: '  Ann Lee ' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ type: 'ann@example.com' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ type: '+47 555 01 02' });
    await sendKeys({ press: 'Enter' });
    expect((await done).detail, 'sent').to.equal(true);
    expect(store.state.contact).to.deep.equal({
      name: 'Ann Lee',
      email: 'ann@example.com',
      phone: '+47 555 01 02',
      description: '',
    });
    expect(events).to.deep.equal([{ type: 'introduction' }]);
  });

  it('answers an agent request; Not now declines it, Skip skips the optional form, neither introduces', async () => {
    const store = createStore();
    store.receiveContactsRequest('r-1');
    const { el, events } = await mountForm('request', store);
    fill(el, 'name', 'Ann');
    fill(el, 'phone', '+4755501020');
    shadow<HTMLButtonElement>(el, 'button[type="submit"]').click();
    expect(store.state.contactsRequest).to.deep.equal({ id: 'r-1', state: 'given' });

    store.receiveContactsRequest('r-2');
    const done = oneEvent(el, 'contacts-done');
    button(el, 'Not now')!.click();
    expect((await done).detail).to.equal(false);
    expect(store.state.contactsRequest).to.deep.equal({ id: 'r-2', state: 'declined' });

    const optional = await mountForm('optional');
    button(optional.el, 'Skip')!.click();
    expect(optional.store.state.contactsSkipped).to.equal(true);
    expect(optional.events).to.deep.equal([]);
    expect(events).to.deep.equal([{ type: 'introduction' }]);
  });

  it('leaves nothing subscribed after being mounted and removed many times', async () => {
    const result = await mountUnmountCycles(() => template(), createStore());
    expect(result.afterRemoval).to.equal(0);
    expect(result.afterReattach).to.equal(result.once);
  });
});

describe('the contacts form in <jivo-chat-window>', () => {
  async function mountWindow(store: WidgetStore) {
    store.open('chat', 'visitor');
    const mounted = await mount<JivoChatWindow>(html`<jivo-chat-window></jivo-chat-window>`, store);
    await settled(mounted.el);
    return mounted;
  }
  const form = (el: JivoChatWindow) => el.shadowRoot!.querySelector('jivo-contacts-form');
  const composer = (el: JivoChatWindow) => el.shadowRoot!.querySelector('jivo-composer');

  it('shows an agent request under the conversation, the composer staying', async () => {
    const store = createStore();
    store.restore({ messages: [visitorMessage('Hi', { seq: 1 })] });
    store.setChatMode('online');
    const { el } = await mountWindow(store);
    expect(form(el)?.reason ?? null).to.equal(null);
    store.receiveContactsRequest('r-1');
    await settled(el);
    expect(form(el)?.reason).to.equal('request');
    expect(!!el.shadowRoot!.querySelector('jivo-message-list'), 'conversation shown').to.equal(true);
    expect(!!composer(el), 'composer shown').to.equal(true);
    expect(form(el)!.getAttribute('exportparts')).to.equal('contacts-form');
    await expect(el).to.be.accessible();
  });

  it('with a required form before the first message, the composer appears once it is sent, with focus and thanks', async () => {
    const store = createStore();
    store.setChatMode('online');
    store.setContactsForm('required');
    const { el } = await mountWindow(store);
    expect(form(el)?.reason).to.equal('required');
    expect(!!composer(el), 'composer shown').to.equal(false);
    el.focus();
    expect(focused() === input(form(el)!, 'name'), 'focus is on the name field').to.equal(true);
    fill(form(el)!, 'name', 'Ann');
    fill(form(el)!, 'email', 'ann@example.com');
    shadow<HTMLButtonElement>(form(el)!, 'button[type="submit"]').click();
    await settled(el);
    await aTimeout(0);
    await settled(el);
    expect(form(el)?.reason ?? null).to.equal(null);
    expect(!!composer(el), 'composer shown').to.equal(true);
    expect(focused()?.localName).to.equal('textarea');
    expect(text(shadow(el, '[role="status"]'))).to.equal('Thank you, we have your contact details.');
  });

  it('an optional form is skipped to the composer; known contacts or a begun chat show no form', async () => {
    const store = createStore();
    store.setContactsForm('optional');
    const { el } = await mountWindow(store);
    button(form(el)!, 'Skip')!.click();
    await settled(el);
    await aTimeout(0);
    expect(form(el)?.reason ?? null).to.equal(null);
    expect(focused()?.localName).to.equal('textarea');

    const known = createStore();
    known.setContactsForm('required');
    known.setContact({ name: 'Ann', email: 'ann@example.com' });
    expect(form((await mountWindow(known)).el)?.reason ?? null).to.equal(null);

    const begun = createStore();
    begun.setContactsForm('required');
    begun.restore({ messages: [visitorMessage('Hi', { seq: 1 })] });
    expect(form((await mountWindow(begun)).el)?.reason ?? null).to.equal(null);
  });
});

describe('<jivo-widget contacts-form>', () => {
  let seq = 0;
  const ids: string[] = [];
  async function mountWidget(attrs: Record<string, string> = {}, id = `cf-test-${Date.now().toString(36)}-${++seq}`) {
    ids.push(id);
    const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
    const el = document.createElement('jivo-widget');
    el.setAttribute('widget-id', id);
    for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
    const loaded = oneEvent(el, 'jivo-load');
    wrapper.append(el);
    await loaded;
    await settled(el);
    return el;
  }
  const windowOf = (el: JivoWidget) => el.shadowRoot!.querySelector('jivo-chat-window')!;
  const formOf = (el: JivoWidget) => windowOf(el)?.shadowRoot!.querySelector('jivo-contacts-form') ?? null;

  afterEach(() => {
    sinon.restore();
    fixtureCleanup();
    delete window.jivo_onIntroduction;
    for (const key of Object.keys(localStorage))
      if (ids.some((id) => key.startsWith(`jivo-widget:${id}:`))) localStorage.removeItem(key);
  });

  it('is off by default and for unknown values; reflects the property', async () => {
    const el = await mountWidget();
    el.open();
    await settled(el);
    expect(formOf(el)?.reason ?? null).to.equal(null);
    el.contactsForm = 'required';
    await settled(el);
    expect(el.getAttribute('contacts-form')).to.equal('required');
    expect(formOf(el)?.reason).to.equal('required');
    el.setAttribute('contacts-form', 'sometimes');
    await settled(el);
    expect(formOf(el)?.reason ?? null).to.equal(null);
  });

  it('required: the window opens on the form with focus in it; sending fires jivo-introduction and jivo_onIntroduction once', async () => {
    const el = await mountWidget({ 'contacts-form': 'required' });
    const introduced = sinon.spy();
    window.jivo_onIntroduction = sinon.spy(() => {
      // The page reads the details in its callback, as the vendor documents.
      introduced(window.jivo_api!.getContactInfo());
    });
    const events: Event[] = [];
    el.addEventListener('jivo-introduction', (e) => events.push(e));
    await asVisitor(() => el.open());
    await settled(el);
    await aTimeout(0);
    const form = formOf(el)!;
    expect(focused() === input(form, 'name'), 'focus is on the name field').to.equal(true);
    await sendKeys({ type: 'Ann' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ type: 'ann@example.com' });
    await sendKeys({ press: 'Enter' });
    await settled(el);
    expect(events).to.have.length(1);
    expect(events[0].bubbles && events[0].composed).to.equal(true);
    expect(
      introduced.calledOnceWithExactly({
        client_name: 'Ann',
        email: 'ann@example.com',
        phone: null,
        description: null,
      }),
    ).to.equal(true);
    expect(formOf(el)?.reason ?? null).to.equal(null);
    expect(!!windowOf(el).shadowRoot!.querySelector('jivo-composer'), 'composer shown').to.equal(true);
  });

  it('setContactInfo fills the form in for the visitor but is no introduction', async () => {
    const el = await mountWidget({ 'contacts-form': 'optional' });
    window.jivo_onIntroduction = sinon.spy();
    const events: Event[] = [];
    el.addEventListener('jivo-introduction', (e) => events.push(e));
    expect(window.jivo_api!.setContactInfo({ name: 'Ann' })).to.deep.equal({ result: 'ok' });
    el.open();
    await settled(el);
    expect(input(formOf(el)!, 'name').value).to.equal('Ann');
    expect(window.jivo_api!.setContactInfo({ name: 'Ann', email: 'ann@example.com' })).to.deep.equal({ result: 'ok' });
    await settled(el);
    expect(formOf(el)?.reason ?? null, 'the contacts are known now').to.equal(null);
    expect(events).to.deep.equal([]);
    expect((window.jivo_onIntroduction as sinon.SinonSpy).called).to.equal(false);
  });

  it('optional: a skip is remembered across a reload, and clearHistory forgets it', async () => {
    const el = await mountWidget({ 'contacts-form': 'optional' });
    const id = el.widgetId!;
    el.open();
    await settled(el);
    button(formOf(el)!, 'Skip')!.click();
    await settled(el);
    el.remove();
    const again = await mountWidget({ 'contacts-form': 'optional' }, id);
    again.open();
    await settled(again);
    expect(formOf(again)?.reason ?? null).to.equal(null);
    again.clearHistory();
    await settled(again);
    expect(formOf(again)?.reason).to.equal('optional');
  });
});
