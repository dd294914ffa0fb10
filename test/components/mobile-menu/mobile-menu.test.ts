import { expect, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { JivoMobileMenu } from '../../../src/components/mobile-menu/mobile-menu.js';
import type { WidgetStore } from '../../../src/state/store.js';
import { createStore, mount, mountUnmountCycles, shadow, shadowAll, text } from '../../helpers/store-provider.js';
import { speak } from '../../helpers/languages.js';

const template = () => html`<jivo-mobile-menu></jivo-mobile-menu>`;

/** Mounts the menu as the root shows it: after `open({start: 'menu'})`. */
async function mountMenu(store: WidgetStore = createStore()) {
  store.open('menu', 'api');
  return mount<JivoMobileMenu>(template(), store);
}

const dialog = (el: JivoMobileMenu) => shadow(el, '[role="dialog"]');
const closeButton = (el: JivoMobileMenu) => shadow<HTMLButtonElement>(el, '.top button');
const chatChoice = (el: JivoMobileMenu) => {
  const found = shadowAll<HTMLButtonElement>(el, 'ul button').find((b) => /^(Chat|Чат)$/.test(text(b)));
  if (!found) throw new Error('no Chat choice in the menu');
  return found;
};

describe('<jivo-mobile-menu>', () => {
  it('is accessible', async () => {
    const { el } = await mountMenu();
    await expect(el).to.be.accessible();
  });

  it('is accessible in Russian', async () => {
    const { el, store } = await mountMenu();
    await speak(store, 'ru');
    await el.updateComplete;
    expect(text(shadow(el, 'h2'))).to.equal('Как с нами связаться?');
    await expect(el).to.be.accessible();
  });

  it('is a dialog labelled by its visible question', async () => {
    const { el } = await mountMenu();
    const id = dialog(el).getAttribute('aria-labelledby');
    const title = id ? el.shadowRoot!.getElementById(id) : null;
    expect(title, 'the element the dialog is labelled by').to.exist;
    expect(text(title)).to.equal('How would you like to contact us?');
  });

  it('offers the channels as a list of buttons named by their text', async () => {
    const { el } = await mountMenu();
    const choices = shadowAll<HTMLButtonElement>(el, 'ul > li > button');
    expect(choices.map((b) => text(b))).to.deep.equal(['Chat']);
    expect(choices[0].type).to.equal('button');
    expect(choices[0].querySelector('svg')!.getAttribute('aria-hidden')).to.equal('true');
  });

  it('opens the chat for the visitor when Chat is chosen', async () => {
    const { el, store } = await mountMenu();
    expect(store.state.openedBy).to.equal('api');
    chatChoice(el).click();
    expect(store.state.view).to.equal('chat');
    expect(store.state.openedBy).to.equal('visitor');
  });

  it('opens the chat when Chat is chosen from the keyboard', async () => {
    const { el, store } = await mountMenu();
    chatChoice(el).focus();
    await sendKeys({ press: 'Space' });
    expect(store.state.view).to.equal('chat');
  });

  describe('closing', () => {
    it('has a named close button that closes the menu to the launcher', async () => {
      const { el, store } = await mountMenu();
      expect(closeButton(el).getAttribute('aria-label')).to.equal('Close the menu');
      expect(closeButton(el).type).to.equal('button');
      closeButton(el).click();
      expect(store.state.view).to.equal('label');
      expect(store.state.openedBy).to.be.null;
    });

    it('closes to the minimized chat when a conversation exists', async () => {
      const store = createStore();
      store.sendMessage('earlier question');
      const { el } = await mountMenu(store);
      closeButton(el).click();
      expect(store.state.view).to.equal('chat/min');
    });

    it('closes on Escape', async () => {
      const { el, store } = await mountMenu();
      el.focus();
      expect(el.shadowRoot!.activeElement, 'focus goes into the menu').to.be.instanceOf(HTMLButtonElement);
      await sendKeys({ press: 'Escape' });
      expect(store.state.view).to.equal('label');
    });

    it('closes on Escape pressed on the Chat choice, and ignores other keys', async () => {
      const { el, store } = await mountMenu();
      chatChoice(el).focus();
      await sendKeys({ press: 'ArrowDown' });
      await sendKeys({ press: 'a' });
      expect(store.state.view).to.equal('menu');
      await sendKeys({ press: 'Escape' });
      expect(store.state.view).to.equal('label');
    });

    it('leaves an Escape alone that something inside already handled', async () => {
      const { el, store } = await mountMenu();
      const inner = shadow(el, 'h2');
      inner.addEventListener('keydown', (e) => e.preventDefault(), { once: true });
      inner.dispatchEvent(
        new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true, cancelable: true }),
      );
      expect(store.state.view).to.equal('menu');
    });
  });

  it('is in Russian when the locale is ru', async () => {
    const { el, store } = await mountMenu();
    await speak(store, 'ru');
    await el.updateComplete;
    expect(closeButton(el).getAttribute('aria-label')).to.equal('Закрыть меню');
    expect(text(chatChoice(el))).to.equal('Чат');
    chatChoice(el).click();
    expect(store.state.view).to.equal('chat');
  });

  it('leaves nothing subscribed after being mounted and removed many times', async () => {
    const store = createStore();
    store.open('menu', 'api');
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
