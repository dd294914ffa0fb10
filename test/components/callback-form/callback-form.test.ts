import { expect, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { JivoCallbackForm } from '../../../src/components/callback-form/callback-form.js';
import type { JivoChatWindow } from '../../../src/components/chat-window/chat-window.js';
import type { JivoMobileMenu } from '../../../src/components/mobile-menu/mobile-menu.js';
import type { WidgetStore } from '../../../src/state/store.js';
import type { CallStatus } from '../../../src/model/types.js';
import {
  createStore,
  mount,
  mountUnmountCycles,
  settled,
  shadow,
  shadowAll,
  text,
} from '../../helpers/store-provider.js';
import { speak } from '../../helpers/languages.js';

const template = () => html`<jivo-callback-form></jivo-callback-form>`;

/** Mounts the form as the window shows it after `open({start: 'call'})`, with call backs available. */
async function mountForm(store: WidgetStore = createStore(), enabled: boolean | null = true) {
  if (enabled !== null) store.setCallbackEnabled(enabled);
  store.open('call', 'api');
  return mount<JivoCallbackForm>(template(), store);
}

const input = (el: JivoCallbackForm) => shadow<HTMLInputElement>(el, 'input');
const submit = (el: JivoCallbackForm) => shadow<HTMLButtonElement>(el, 'button[type="submit"]');
const liveRegion = (el: JivoCallbackForm) => shadow(el, '[role="status"]');
const button = (el: JivoCallbackForm, name: string) => {
  const found = shadowAll<HTMLButtonElement>(el, 'button').find((b) => text(b) === name);
  if (!found)
    throw new Error(
      `no "${name}" button; there are ${shadowAll(el, 'button')
        .map((b) => text(b))
        .join(', ')}`,
    );
  return found;
};
const hasForm = (el: JivoCallbackForm) => el.shadowRoot!.querySelector('form') !== null;

/** The deepest focused element, through shadow roots. */
function deepActiveElement(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

/** Focuses the form (its first field) and types with the real keyboard. */
async function type(el: JivoCallbackForm, keys: string) {
  el.focus();
  await sendKeys({ type: keys });
  await el.updateComplete;
}

/** The backend's word on the store's current call. */
function report(store: WidgetStore, status: CallStatus, reason?: string) {
  const call = store.state.call!;
  store.updateCall({ id: call.id, phone: call.phone, status, at: call.at + 1, ...(reason ? { reason } : {}) });
}

describe('<jivo-callback-form>', function () {
  // The first accessibility check loads axe, which is slow on a busy machine.
  this.timeout(15000);

  it('is accessible, in English and Russian', async () => {
    const { el, store } = await mountForm();
    await expect(el).to.be.accessible();
    await speak(store, 'ru');
    await el.updateComplete;
    expect(text(input(el).labels![0])).to.equal('Ваш номер телефона');
    await expect(el).to.be.accessible();
  });

  it('has a labelled phone input that browsers can fill, and a named submit button', async () => {
    const { el } = await mountForm();
    const field = input(el);
    expect(field.labels).to.have.length(1);
    expect(text(field.labels![0])).to.equal('Your phone number');
    expect(field.type).to.equal('tel');
    expect(field.autocomplete).to.equal('tel');
    expect(field.maxLength).to.equal(32);
    expect(field.getAttribute('aria-invalid')).to.equal('false');
    expect(text(submit(el))).to.equal('Call me');
    expect(text(shadow(el, 'form p'))).to.equal('Leave your phone number and we will call you back.');
    expect(text(liveRegion(el)), 'the live region is there, empty, before anything happens').to.equal('');
  });

  it('refuses an invalid number: the field is marked invalid, described by the error and focused', async () => {
    const { el, store } = await mountForm();
    await type(el, '12-34');
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    const field = input(el);
    expect(field.getAttribute('aria-invalid')).to.equal('true');
    const errorId = field.getAttribute('aria-describedby')!;
    const error = el.shadowRoot!.getElementById(errorId);
    expect(text(error)).to.equal('Enter a phone number of 7 to 15 digits, optionally starting with +.');
    expect(deepActiveElement(), 'focus stays on the field, so its description is read').to.equal(field);
    expect(store.state.call, 'nothing is requested').to.equal(null);
    await expect(el).to.be.accessible();

    // Typing clears the error.
    await sendKeys({ type: '5' });
    await el.updateComplete;
    expect(input(el).getAttribute('aria-invalid')).to.equal('false');
    expect(input(el).hasAttribute('aria-describedby')).to.equal(false);
  });

  it('refuses an empty number and one with letters', async () => {
    const { el, store } = await mountForm();
    submit(el).click();
    await el.updateComplete;
    expect(input(el).getAttribute('aria-invalid')).to.equal('true');
    await type(el, '+1 408 CALL ME');
    submit(el).click();
    await el.updateComplete;
    expect(input(el).getAttribute('aria-invalid')).to.equal('true');
    expect(store.state.call).to.equal(null);
  });

  it('is usable with the keyboard alone: type the number, Enter, and focus lands on what replaces the form', async () => {
    const { el, store } = await mountForm();
    await type(el, '+1 (408) 498-7855');
    await sendKeys({ press: 'Enter' });
    await settled(el);
    expect(store.state.call).to.include({ phone: '+14084987855', status: 'pending' });
    expect(hasForm(el)).to.equal(false);
    expect(text(liveRegion(el))).to.equal('Your request is saved and will be sent as soon as we are connected.');
    expect(deepActiveElement()).to.equal(button(el, 'Back to the chat'));
    await sendKeys({ press: 'Enter' });
    expect(store.state.view, 'Back to the chat, from the keyboard').to.equal('chat');
  });

  it('while connected, the request reads as calling at once: no "saved until we are connected" flash', async () => {
    const { el, store } = await mountForm();
    store.setConnection('open');
    const seen: string[] = [];
    store.requestCall('+14084987855');
    await el.updateComplete;
    const region = liveRegion(el);
    seen.push(text(region));
    new MutationObserver(() => seen.push(text(region))).observe(region, {
      childList: true,
      characterData: true,
      subtree: true,
    });
    report(store, 'requested');
    await el.updateComplete;
    report(store, 'connected');
    await el.updateComplete;
    expect(seen).to.deep.equal(['We are calling you at +14084987855…', 'You are on the phone with us (+14084987855).']);
  });

  it('follows the call in its live region: calling, connected, finished', async () => {
    const { el, store } = await mountForm();
    store.requestCall('+14084987855');
    await el.updateComplete;
    const region = liveRegion(el);
    report(store, 'requested');
    await el.updateComplete;
    expect(liveRegion(el), 'one live region throughout').to.equal(region);
    expect(text(region)).to.equal('We are calling you at +14084987855…');
    report(store, 'connected');
    await el.updateComplete;
    expect(text(region)).to.equal('You are on the phone with us (+14084987855).');
    expect(() => button(el, 'Ask for another call')).to.throw();
    report(store, 'finished');
    await el.updateComplete;
    expect(text(region)).to.equal('The call has ended. Thank you!');
    await expect(el).to.be.accessible();
  });

  it('shows why a call failed, and offers another call with the number kept', async () => {
    const { el, store } = await mountForm();
    await type(el, '+47 555 01 02');
    submit(el).click();
    await el.updateComplete;
    report(store, 'failed', 'No answer');
    await el.updateComplete;
    expect(text(liveRegion(el))).to.equal('We could not call you: No answer');
    button(el, 'Ask for another call').click();
    await el.updateComplete;
    expect(hasForm(el)).to.equal(true);
    expect(input(el).value).to.equal('+47 555 01 02');
    expect(deepActiveElement()).to.equal(input(el));
    submit(el).click();
    expect(store.state.call).to.include({ phone: '+475550102', status: 'pending' });
  });

  it("says so in the visitor's language when the backend refused because call backs are off", async () => {
    const { el, store } = await mountForm();
    const call = store.requestCall('+14084987855');
    store.failCall(call.id, 'Callback disabled');
    await el.updateComplete;
    expect(text(liveRegion(el))).to.equal('We cannot call back right now. Write to us in the chat instead.');
  });

  it('offers no form while call backs are off, only the way back to the chat', async () => {
    const { el, store } = await mountForm(createStore(), false);
    expect(hasForm(el)).to.equal(false);
    expect(text(liveRegion(el))).to.equal('We cannot call back right now. Write to us in the chat instead.');
    button(el, 'Back to the chat').click();
    expect(store.state.view).to.equal('chat');
  });

  it('shows the form while the backend has not said yet', async () => {
    const { el } = await mountForm(createStore(), null);
    expect(hasForm(el)).to.equal(true);
  });

  it('over the chat, Escape goes back to the chat; alone, it leaves Escape to the window', async () => {
    const store = createStore();
    store.setCallbackEnabled(true);
    store.open('chat', 'visitor');
    store.open('call', 'visitor');
    expect(store.state.view).to.equal('chat/call');
    const { el } = await mount<JivoCallbackForm>(template(), store);
    el.focus();
    await sendKeys({ press: 'Escape' });
    expect(store.state.view).to.equal('chat');

    store.minimize();
    store.open('call', 'api');
    await el.updateComplete;
    expect(store.state.view).to.equal('call');
    el.focus();
    await sendKeys({ press: 'Escape' });
    expect(store.state.view, 'not handled here').to.equal('call');
  });

  it('leaves no subscription behind when mounted and removed repeatedly', async () => {
    const store = createStore();
    store.setCallbackEnabled(true);
    const result = await mountUnmountCycles(template, store, 10);
    expect(result.afterRemoval).to.equal(0);
    expect(result.afterReattach).to.equal(result.once);
    expect(new Set(result.whileMounted).size).to.equal(1);
  });
});

describe('the callback form in the window and the menu', () => {
  it('state call: the window shows the form alone, titled for the call back', async () => {
    const store = createStore();
    store.setCallbackEnabled(true);
    store.open('call', 'api');
    const { el } = await mount<JivoChatWindow>(html`<jivo-chat-window></jivo-chat-window>`, store);
    await settled(el);
    expect(text(shadow(el, 'h2'))).to.equal('Call me back');
    expect(el.shadowRoot!.querySelector('jivo-callback-form')).to.exist;
    expect(el.shadowRoot!.querySelector('jivo-message-list')).to.equal(null);
    expect(el.shadowRoot!.querySelector('jivo-composer')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it("state chat/call: the conversation stays, the form takes the composer's place; the header button opens it", async () => {
    const store = createStore();
    store.sendMessage('Hello');
    store.open('chat', 'visitor');
    const { el } = await mount<JivoChatWindow>(html`<jivo-chat-window></jivo-chat-window>`, store);
    await settled(el);
    expect(
      shadowAll(el, 'header button').map((b) => b.getAttribute('aria-label')),
      'no call button before the backend offers call backs (a conversation can be ended)',
    ).to.deep.equal(['End chat', 'Minimize the chat']);
    store.setCallbackEnabled(true);
    await settled(el);
    const callButton = shadowAll<HTMLButtonElement>(el, 'header button').find(
      (b) => b.getAttribute('aria-label') === 'Call me back',
    )!;
    expect(callButton).to.exist;
    callButton.focus();
    await sendKeys({ press: 'Enter' });
    expect(store.state.view).to.equal('chat/call');
    await settled(el);
    expect(text(shadow(el, 'h2'))).to.equal('Chat');
    expect(el.shadowRoot!.querySelector('jivo-message-list')).to.exist;
    expect(el.shadowRoot!.querySelector('jivo-composer')).to.equal(null);
    expect(el.shadowRoot!.querySelector('jivo-callback-form')).to.exist;
    await expect(el).to.be.accessible();
  });

  it('the channel menu offers "Call me back" only while call backs are available', async () => {
    const store = createStore();
    store.open('menu', 'api');
    const { el } = await mount<JivoMobileMenu>(html`<jivo-mobile-menu></jivo-mobile-menu>`, store);
    const choices = () => shadowAll(el, 'ul button').map((b) => text(b));
    expect(choices()).to.deep.equal(['Chat']);
    store.setCallbackEnabled(true);
    await el.updateComplete;
    expect(choices()).to.deep.equal(['Chat', 'Call me back']);
    await expect(el).to.be.accessible();
    shadowAll<HTMLButtonElement>(el, 'ul button')[1].click();
    expect(store.state.view).to.equal('call');
    expect(store.state.openedBy).to.equal('visitor');
  });
});
