import { expect, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { JivoChatWindow } from '../../../src/components/chat-window/chat-window.js';
import type { JivoComposer } from '../../../src/components/composer/composer.js';
import type { WidgetStore } from '../../../src/state/store.js';
import {
  agentMessage,
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

const template = () => html`<jivo-chat-window></jivo-chat-window>`;

/** Mounts the window as the root shows it: with the chat open. */
async function mountWindow(store: WidgetStore = createStore()) {
  store.open('chat', 'visitor');
  const mounted = await mount<JivoChatWindow>(template(), store);
  await settled(mounted.el);
  return mounted;
}

const dialog = (el: JivoChatWindow) => shadow(el, '[role="dialog"]');
const status = (el: JivoChatWindow) => shadow(el, '.status');
const minimizeButton = (el: JivoChatWindow) => shadow<HTMLButtonElement>(el, 'header button');
const composer = (el: JivoChatWindow) => shadow<JivoComposer>(el, 'jivo-composer');
const textarea = (el: JivoChatWindow) => shadow<HTMLTextAreaElement>(composer(el), 'textarea');

function keydown(target: Element, key: string, init: KeyboardEventInit = {}) {
  const event = new KeyboardEvent('keydown', { key, bubbles: true, composed: true, cancelable: true, ...init });
  target.dispatchEvent(event);
  return event;
}

describe('<jivo-chat-window>', () => {
  it('is accessible', async () => {
    const { el } = await mountWindow();
    await expect(el).to.be.accessible();
  });

  it('is accessible with an agent, messages, a failed message and an invitation, in English and Russian', async () => {
    const store = createStore();
    store.showInvitation('Hello! Can we help?', null);
    const { el } = await mountWindow(store);
    store.setChatMode('online');
    store.setAgent({ name: 'Anna' });
    store.receiveMessage(agentMessage('See https://example.com/help for details'));
    const sent = store.sendMessage('Thanks <b>a lot</b>');
    store.setMessageStatus(sent.id, 'failed');
    store.setDraft('half-written');
    await settled(el);
    expect(shadowAll(shadow(el, 'jivo-message-list'), 'li')).to.have.length(2);
    await expect(el).to.be.accessible();

    await speak(store, 'ru');
    await settled(el);
    expect(text(shadow(el, 'h2'))).to.equal('Чат');
    await expect(el).to.be.accessible();
  });

  it('is a dialog labelled by its visible title', async () => {
    const { el } = await mountWindow();
    const labelledBy = dialog(el).getAttribute('aria-labelledby');
    expect(labelledBy).to.be.a('string').and.not.be.empty;
    const title = el.shadowRoot!.getElementById(labelledBy!);
    expect(title, 'the element the dialog is labelled by').to.exist;
    expect(title!.localName).to.equal('h2');
    expect(text(title)).to.equal('Chat');
  });

  it('contains the conversation and the composer, re-exporting their parts', async () => {
    const { el } = await mountWindow();
    const list = shadow(el, 'jivo-message-list');
    expect(list.getAttribute('exportparts')).to.contain('messages');
    expect(composer(el).getAttribute('exportparts')).to.contain('input');
    expect(dialog(el).contains(list)).to.be.true;
    expect(dialog(el).contains(composer(el))).to.be.true;
    expect(shadow(list, '[role="log"]')).to.exist;
    expect(textarea(el)).to.exist;
  });

  describe('header status', () => {
    it('says the team is offline by default', async () => {
      const { el } = await mountWindow();
      expect(text(status(el))).to.equal('We are offline, leave a message');
      expect(status(el).classList.contains('online')).to.be.false;
    });

    it('says the team is online when the chat mode is online', async () => {
      const { el, store } = await mountWindow();
      store.setChatMode('online');
      await el.updateComplete;
      expect(text(status(el))).to.equal('We are online');
      expect(status(el).classList.contains('online')).to.be.true;

      store.setChatMode('offline');
      await el.updateComplete;
      expect(text(status(el))).to.equal('We are offline, leave a message');
      expect(status(el).classList.contains('online')).to.be.false;
    });

    it('names the agent who is answering, and forgets them when they leave', async () => {
      const { el, store } = await mountWindow();
      store.setChatMode('online');
      store.setAgent({ name: 'Anna' });
      await el.updateComplete;
      expect(text(status(el))).to.equal('Anna is answering');

      store.setAgent({ name: 'Boris' });
      await el.updateComplete;
      expect(text(status(el))).to.equal('Boris is answering');

      store.setAgent(null);
      await el.updateComplete;
      expect(text(status(el))).to.equal('We are online');
    });

    it('keeps the agent name in its own direction inside the sentence, in the status and the typing line', async () => {
      const { el, store } = await mountWindow();
      await speak(store, 'ar');
      store.setChatMode('online');
      store.setAgent({ name: 'Anna (support)' });
      store.setAgentTyping(true);
      await el.updateComplete;
      for (const line of [status(el), shadow(el, '.typing')]) {
        const name = line.querySelector('bdi');
        expect(name, line.className).to.exist;
        expect(name!.textContent).to.equal('Anna (support)');
        // The sentence around it is Arabic, and the name is not all there is.
        expect(text(line)).to.match(/[\u0600-\u06ff]/);
        expect(text(line)).to.include('Anna (support)');
      }
    });

    it('renders an agent name with markup as text', async () => {
      const { el, store } = await mountWindow();
      store.setAgent({ name: '<img src=x onerror="window.__jivoPwned=1">' });
      await el.updateComplete;
      expect(text(status(el))).to.equal('<img src=x onerror="window.__jivoPwned=1"> is answering');
      expect(el.shadowRoot!.querySelector('header img')).to.be.null;
      expect((window as { __jivoPwned?: number }).__jivoPwned).to.be.undefined;
    });

    it('is in Russian when the locale is ru', async () => {
      const { el, store } = await mountWindow();
      await speak(store, 'ru');
      await el.updateComplete;
      expect(text(shadow(el, 'h2'))).to.equal('Чат');
      expect(text(status(el))).to.equal('Мы не в сети, оставьте сообщение');
      expect(minimizeButton(el).getAttribute('aria-label')).to.equal('Свернуть чат');
      store.setChatMode('online');
      await el.updateComplete;
      expect(text(status(el))).to.equal('Мы на связи');
      store.setAgent({ name: 'Анна' });
      await el.updateComplete;
      expect(text(status(el))).to.equal('Отвечает Анна');
    });
  });

  describe('minimizing', () => {
    it('has a named minimize button that closes the window to the launcher before a conversation', async () => {
      const { el, store } = await mountWindow();
      expect(minimizeButton(el).getAttribute('aria-label')).to.equal('Minimize the chat');
      expect(minimizeButton(el).type).to.equal('button');
      minimizeButton(el).click();
      expect(store.state.view).to.equal('label');
      expect(store.state.openedBy).to.be.null;
    });

    it('minimizes to chat/min once a conversation exists', async () => {
      const { el, store } = await mountWindow();
      store.sendMessage('Hello');
      minimizeButton(el).click();
      expect(store.state.view).to.equal('chat/min');
    });

    it('minimizes on Escape pressed in the message input, keeping the draft', async () => {
      const { el, store } = await mountWindow();
      el.focus();
      await sendKeys({ type: 'not finished' });
      expect(store.state.draft).to.equal('not finished');
      await sendKeys({ press: 'Escape' });
      expect(store.state.view).to.equal('label');
      expect(store.state.draft).to.equal('not finished');
      expect(store.state.messages).to.have.length(0);
    });

    it('minimizes on Escape from anywhere in the window', async () => {
      const { el, store } = await mountWindow();
      const event = keydown(minimizeButton(el), 'Escape');
      expect(store.state.view).to.equal('label');
      expect(event.defaultPrevented, 'Escape is consumed').to.be.true;
    });

    it('ignores other keys and an Escape that something inside already handled', async () => {
      const { el, store } = await mountWindow();
      keydown(textarea(el), 'a');
      keydown(textarea(el), 'Esc');
      expect(store.state.view).to.equal('chat');

      const inner = shadow(el, 'h2');
      inner.addEventListener('keydown', (e) => e.preventDefault(), { once: true });
      keydown(inner, 'Escape');
      expect(store.state.view).to.equal('chat');
    });
  });

  it('leaves an Escape that cancels an input method composition to the input method', async () => {
    const { el, store } = await mountWindow();
    const event = keydown(textarea(el), 'Escape', { isComposing: true });
    expect(store.state.view).to.equal('chat');
    expect(event.defaultPrevented).to.be.false;
  });

  it('moves focus to the message input as soon as it has rendered, as the root does on open', async () => {
    const store = createStore();
    store.open('chat', 'visitor');
    const { el } = await mount<JivoChatWindow>(template(), store);
    await el.updateComplete;
    el.focus();
    expect(composer(el).shadowRoot!.activeElement).to.equal(textarea(el));
  });

  it('moves focus to the message input when focused', async () => {
    const { el } = await mountWindow();
    el.focus();
    expect(el.shadowRoot!.activeElement).to.equal(composer(el));
    expect(composer(el).shadowRoot!.activeElement).to.equal(textarea(el));
  });

  it('shows the conversation from the store', async () => {
    const { el, store } = await mountWindow();
    store.receiveMessage(agentMessage('How can I help?'));
    store.receiveMessage(visitorMessage('My order is late'));
    await settled(el);
    const items = shadowAll(shadow(el, 'jivo-message-list'), 'li');
    expect(items.map((li) => text(li.querySelector('.bubble')))).to.deep.equal(['How can I help?', 'My order is late']);
  });

  it('sends what is typed with Enter', async () => {
    const { el, store } = await mountWindow();
    el.focus();
    await sendKeys({ type: 'Where is my parcel?' });
    await sendKeys({ press: 'Enter' });
    expect(store.state.messages.map((m) => m.text)).to.deep.equal(['Where is my parcel?']);
    expect(store.state.view).to.equal('chat');
  });

  it('leaves nothing subscribed, its children included, after being mounted and removed many times', async () => {
    const store = createStore();
    store.open('chat', 'visitor');
    store.showInvitation('Hi!', null);
    const result = await mountUnmountCycles(template, store);
    // The window, its message list, invitation and composer all select from the store.
    expect(result.whileMounted[0]).to.be.greaterThan(4);
    expect(
      result.whileMounted.every((n) => n === result.whileMounted[0]),
      `live while mounted: ${result.whileMounted}`,
    ).to.be.true;
    expect(result.afterReattach).to.equal(result.once);
    expect(result.afterRemoval).to.equal(0);
    expect(result.subscribed).to.equal(result.unsubscribed);
  });
});
