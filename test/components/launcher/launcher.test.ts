import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { JivoLauncher } from '../../../src/components/launcher/launcher.js';
import { WidgetStore } from '../../../src/state/chat.js';
import {
  agentMessage,
  countSubscriptions,
  createStore,
  mount,
  mountUnmountCycles,
  receiveUnread,
  shadow,
  shadowAll,
  text,
} from '../../helpers/store-provider.js';
import { speak } from '../../helpers/languages.js';
import { loadCatalog } from '../../../src/i18n/load-catalog.js';

const template = () => html`<jivo-launcher></jivo-launcher>`;

async function mountLauncher(store?: WidgetStore) {
  return mount<JivoLauncher>(template(), store);
}

const button = (el: JivoLauncher) => shadow<HTMLButtonElement>(el, 'button');
const badge = (el: JivoLauncher) => el.shadowRoot!.querySelector<HTMLElement>('[part="badge"]');

describe('<jivo-launcher>', () => {
  it('is accessible', async () => {
    const { el } = await mountLauncher();
    await expect(el).to.be.accessible();
  });

  it('is accessible with an unread badge, while continuing, and in Russian', async () => {
    const { el, store } = await mountLauncher();
    receiveUnread(store, 3);
    await el.updateComplete;
    expect(badge(el)).to.exist;
    await expect(el).to.be.accessible();

    store.open('chat', 'visitor');
    store.minimize();
    receiveUnread(store, 120);
    await el.updateComplete;
    expect(text(badge(el))).to.equal('99+');
    await expect(el).to.be.accessible();

    await speak(store, 'ru');
    await el.updateComplete;
    expect(text(button(el))).to.contain('Продолжить чат');
    await expect(el).to.be.accessible();
  });

  it('is one native button named by its text, with decorative icon', async () => {
    const { el } = await mountLauncher();
    const buttons = shadowAll(el, 'button, [role="button"]');
    expect(buttons).to.have.length(1);
    expect(button(el).type).to.equal('button');
    expect(button(el).getAttribute('aria-label')).to.equal('Chat with us');
    expect(text(button(el))).to.equal('Chat with us');
    expect(shadow(el, 'svg').getAttribute('aria-hidden')).to.equal('true');
    expect(badge(el)).to.be.null;
  });

  it('opens the chat for the visitor when clicked', async () => {
    const { el, store } = await mountLauncher();
    expect(store.state.view).to.equal('label');
    button(el).click();
    expect(store.state.view).to.equal('chat');
    expect(store.state.openedBy).to.equal('visitor');
  });

  it('opens the chat from the keyboard (Enter and Space)', async () => {
    const { el, store } = await mountLauncher();
    el.focus();
    expect(el.shadowRoot!.activeElement, 'focus() is delegated to the button').to.equal(button(el));
    await sendKeys({ press: 'Enter' });
    expect(store.state.view).to.equal('chat');
    expect(store.state.openedBy).to.equal('visitor');

    store.minimize();
    expect(store.state.view).to.equal('label');
    el.focus();
    await sendKeys({ press: 'Space' });
    expect(store.state.view).to.equal('chat');
  });

  it('clears the unread count when it opens the chat', async () => {
    const { el, store } = await mountLauncher();
    receiveUnread(store, 2);
    await el.updateComplete;
    expect(text(badge(el))).to.equal('2');
    button(el).click();
    expect(store.state.unread).to.equal(0);
    await el.updateComplete;
    expect(badge(el)).to.be.null;
    expect(button(el).getAttribute('aria-label')).to.equal('Chat with us');
  });

  it('shows the unread count in a badge hidden from screen readers, and says it in the name', async () => {
    const { el, store } = await mountLauncher();
    store.receiveMessage(agentMessage('Hello'));
    await el.updateComplete;
    expect(text(badge(el))).to.equal('1');
    expect(badge(el)!.getAttribute('aria-hidden')).to.equal('true');
    expect(button(el).getAttribute('aria-label')).to.equal('Chat with us, 1 unread message');

    receiveUnread(store, 2);
    await el.updateComplete;
    expect(text(badge(el))).to.equal('3');
    expect(button(el).getAttribute('aria-label')).to.equal('Chat with us, 3 unread messages');
  });

  it('does not count visitor messages or agent messages read in the open chat', async () => {
    const { el, store } = await mountLauncher();
    store.sendMessage('Hi');
    await el.updateComplete;
    expect(badge(el)).to.be.null;
    store.open('chat', 'visitor');
    store.receiveMessage(agentMessage('Seen at once'));
    await el.updateComplete;
    expect(badge(el)).to.be.null;
    expect(button(el).getAttribute('aria-label')).to.equal('Chat with us');
  });

  it('caps the badge at 99+ and says the count in the name as the badge shows it', async () => {
    const { el, store } = await mountLauncher();
    receiveUnread(store, 99);
    await el.updateComplete;
    expect(text(badge(el))).to.equal('99');
    store.receiveMessage(agentMessage('one more'));
    await el.updateComplete;
    expect(text(badge(el))).to.equal('99+');
    expect(button(el).getAttribute('aria-label')).to.equal('Chat with us, 99+ unread messages');
    await expect(el).to.be.accessible();
  });

  it('invites to continue once the chat has been minimized with a conversation', async () => {
    const { el, store } = await mountLauncher();
    store.open('chat', 'visitor');
    store.sendMessage('Hello');
    store.minimize();
    expect(store.state.view).to.equal('chat/min');
    await el.updateComplete;
    expect(text(button(el))).to.equal('Continue the chat');
    store.receiveMessage(agentMessage('Answer'));
    await el.updateComplete;
    expect(button(el).getAttribute('aria-label')).to.equal('Continue the chat, 1 unread message');

    button(el).click();
    expect(store.state.view).to.equal('chat');
    expect(store.state.openedBy).to.equal('visitor');
  });

  describe('in Russian', () => {
    const cases: Array<[number, string]> = [
      [1, 'Напишите нам, 1 непрочитанное сообщение'],
      [2, 'Напишите нам, 2 непрочитанных сообщения'],
      [3, 'Напишите нам, 3 непрочитанных сообщения'],
      [5, 'Напишите нам, 5 непрочитанных сообщений'],
      [11, 'Напишите нам, 11 непрочитанных сообщений'],
      [21, 'Напишите нам, 21 непрочитанное сообщение'],
      [22, 'Напишите нам, 22 непрочитанных сообщения'],
      [25, 'Напишите нам, 25 непрочитанных сообщений'],
    ];
    for (const [count, name] of cases) {
      it(`names ${count} unread with the right plural form`, async () => {
        const { el } = await mountLauncher(createStore({ locale: 'ru', catalog: await loadCatalog('ru') }));
        receiveUnread(el.store!, count);
        await el.updateComplete;
        expect(button(el).getAttribute('aria-label')).to.equal(name);
        expect(text(badge(el))).to.equal(String(count));
      });
    }

    it('shows Russian text and is accessible', async () => {
      const { el, store } = await mountLauncher();
      await speak(store, 'ru');
      receiveUnread(store, 5);
      await el.updateComplete;
      expect(text(button(el))).to.equal('Напишите нам 5');
      expect(button(el).getAttribute('aria-label')).to.equal('Напишите нам, 5 непрочитанных сообщений');
      await expect(el).to.be.accessible();

      store.setLocale('en');
      await el.updateComplete;
      expect(button(el).getAttribute('aria-label')).to.equal('Chat with us, 5 unread messages');
    });
  });

  it('renders without a provider and does nothing when clicked', async () => {
    const el = await fixture<JivoLauncher>(template());
    expect(el.store).to.be.undefined;
    expect(text(button(el))).to.equal('Chat with us');
    expect(() => button(el).click()).not.to.throw();
    await expect(el).to.be.accessible();
  });

  it('shows the current state after being detached while the state changed', async () => {
    const { el, store, provider } = await mountLauncher();
    el.remove();
    receiveUnread(store, 4);
    provider.append(el);
    await el.updateComplete;
    expect(text(badge(el))).to.equal('4');
    expect(button(el).getAttribute('aria-label')).to.equal('Chat with us, 4 unread messages');
  });

  it('follows a new store from the provider and lets go of the old one', async () => {
    const first = createStore();
    const second = createStore({ locale: 'ru', catalog: await loadCatalog('ru') });
    const counter = countSubscriptions(first);
    try {
      const { el, provider } = await mountLauncher(first);
      expect(counter.active).to.be.greaterThan(0);
      provider.store = second;
      await provider.updateComplete;
      await el.updateComplete;
      expect(el.store).to.equal(second);
      expect(counter.active, 'subscriptions to the old store').to.equal(0);
      receiveUnread(first, 2);
      receiveUnread(second, 1);
      await el.updateComplete;
      expect(button(el).getAttribute('aria-label')).to.equal('Напишите нам, 1 непрочитанное сообщение');
      button(el).click();
      expect(second.state.view).to.equal('chat');
      expect(first.state.view).to.equal('label');
    } finally {
      counter.restore();
    }
  });

  it('leaves nothing subscribed after being mounted and removed many times', async () => {
    const store = createStore();
    const result = await mountUnmountCycles(template, store);
    expect(
      result.whileMounted.every((n) => n > 0 && n === result.whileMounted[0]),
      `live while mounted: ${result.whileMounted}`,
    ).to.be.true;
    expect(result.afterReattach).to.equal(result.once);
    expect(result.afterRemoval).to.equal(0);
    expect(result.subscribed).to.equal(result.unsubscribed);
  });
});
