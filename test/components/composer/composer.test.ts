import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { JivoComposer } from '../../../src/components/composer/composer.js';
import type { WidgetStore } from '../../../src/state/store.js';
import { LIMITS } from '../../../src/model/limits.js';
import { borderContrast } from '../../helpers/contrast.js';
import { createStore, mount, mountUnmountCycles, shadow, text } from '../../helpers/store-provider.js';
import { speak } from '../../helpers/languages.js';

const MAX_MESSAGE_LENGTH = LIMITS.text;

const template = () => html`<jivo-composer></jivo-composer>`;

async function mountComposer(store: WidgetStore = createStore()) {
  return mount<JivoComposer>(template(), store);
}

const input = (el: JivoComposer) => shadow<HTMLTextAreaElement>(el, 'textarea');
const sendButton = (el: JivoComposer) => shadow<HTMLButtonElement>(el, 'button');

/** Focuses the composer and types `keys` with the real keyboard. */
async function type(el: JivoComposer, keys: string) {
  el.focus();
  await sendKeys({ type: keys });
  await el.updateComplete;
}

/** Shift+Enter on the real keyboard (puppeteer presses one key at a time). */
async function shiftEnter() {
  await sendKeys({ down: 'Shift' });
  await sendKeys({ press: 'Enter' });
  await sendKeys({ up: 'Shift' });
}

const sentTexts = (store: WidgetStore) => store.state.messages.map((m) => m.text);

describe('<jivo-composer>', () => {
  it('is accessible', async () => {
    const { el } = await mountComposer();
    await expect(el).to.be.accessible();
  });

  it('is accessible with a draft and in Russian', async () => {
    const store = createStore();
    store.setDraft('Hello there');
    const { el } = await mountComposer(store);
    await expect(el).to.be.accessible();
    await speak(store, 'ru');
    await el.updateComplete;
    await expect(el).to.be.accessible();
  });

  it('draws the input’s border at 3:1 or more against the backgrounds', async () => {
    const { el } = await mountComposer();
    const contrast = borderContrast(input(el), shadow(el, 'form'));
    expect(contrast, `border contrast ${contrast.toFixed(2)}:1`).to.be.at.least(3);
  });

  it('has a labelled multi-line input and a named send button', async () => {
    const { el } = await mountComposer();
    const textarea = input(el);
    expect(textarea.labels).to.have.length(1);
    expect(text(textarea.labels![0])).to.equal('Your message');
    expect(textarea.placeholder).to.equal('Type a message…');
    expect(textarea.maxLength).to.equal(MAX_MESSAGE_LENGTH);
    expect(textarea.getAttribute('enterkeyhint')).to.equal('send');
    expect(sendButton(el).type).to.equal('submit');
    expect(sendButton(el).getAttribute('aria-label')).to.equal('Send');
    expect(sendButton(el).form, 'the send button submits the composer form').to.equal(textarea.form);
  });

  it('is in Russian when the locale is ru', async () => {
    const { el, store } = await mountComposer();
    await speak(store, 'ru');
    await el.updateComplete;
    expect(text(input(el).labels![0])).to.equal('Ваше сообщение');
    expect(input(el).placeholder).to.equal('Введите сообщение…');
    expect(sendButton(el).getAttribute('aria-label')).to.equal('Отправить');
  });

  it('moves focus to the input when focused', async () => {
    const { el } = await mountComposer();
    el.focus();
    expect(el.shadowRoot!.activeElement).to.equal(input(el));
  });

  describe('typing', () => {
    it('keeps what is typed as the draft in the store', async () => {
      const { el, store } = await mountComposer();
      await type(el, 'Hel');
      expect(store.state.draft).to.equal('Hel');
      await type(el, 'lo');
      expect(store.state.draft).to.equal('Hello');
      await sendKeys({ press: 'Backspace' });
      expect(store.state.draft).to.equal('Hell');
      expect(store.state.messages).to.have.length(0);
    });

    it('shows the stored draft, also when it is restored later', async () => {
      const store = createStore();
      store.setDraft('from last time');
      const { el } = await mountComposer(store);
      expect(input(el).value).to.equal('from last time');
      store.restore({ draft: 'from another tab' });
      await el.updateComplete;
      expect(input(el).value).to.equal('from another tab');
    });

    it('keeps the draft when it is removed and shown again (window minimized and reopened)', async () => {
      const store = createStore();
      const first = await mountComposer(store);
      await type(first.el, 'half a thought');
      first.provider.remove();
      const second = await mountComposer(store);
      expect(input(second.el).value).to.equal('half a thought');
      await type(second.el, ', finished');
      await sendKeys({ press: 'Enter' });
      expect(sentTexts(store)).to.deep.equal(['half a thought, finished']);
    });
  });

  describe('sending', () => {
    it('sends with Enter: one pending visitor message, trimmed, and the input and draft emptied', async () => {
      const { el, store } = await mountComposer();
      await type(el, '  Where is my order?  ');
      await sendKeys({ press: 'Enter' });
      await el.updateComplete;
      expect(store.state.messages).to.have.length(1);
      const [message] = store.state.messages;
      expect(message).to.include({ from: 'visitor', text: 'Where is my order?', status: 'pending' });
      expect(input(el).value).to.equal('');
      expect(store.state.draft).to.equal('');
    });

    it('starts a new line with Shift+Enter instead of sending', async () => {
      const { el, store } = await mountComposer();
      await type(el, 'line one');
      await shiftEnter();
      await el.updateComplete;
      expect(store.state.messages).to.have.length(0);
      expect(input(el).value).to.equal('line one\n');
      expect(store.state.draft).to.equal('line one\n');
      await sendKeys({ type: 'line two' });
      await sendKeys({ press: 'Enter' });
      expect(sentTexts(store)).to.deep.equal(['line one\nline two']);
    });

    it('does not send an empty or whitespace-only message, and keeps the whitespace', async () => {
      const { el, store } = await mountComposer();
      el.focus();
      await sendKeys({ press: 'Enter' });
      expect(store.state.messages).to.have.length(0);

      await type(el, '   ');
      await shiftEnter();
      await sendKeys({ press: 'Enter' });
      sendButton(el).click();
      expect(store.state.messages).to.have.length(0);
      expect(input(el).value).to.equal('   \n');
    });

    it('sends with the send button', async () => {
      const { el, store } = await mountComposer();
      await type(el, 'Clicked');
      sendButton(el).click();
      await el.updateComplete;
      expect(sentTexts(store)).to.deep.equal(['Clicked']);
      expect(input(el).value).to.equal('');
    });

    it('sends each message once and the next one separately', async () => {
      const { el, store } = await mountComposer();
      await type(el, 'one');
      await sendKeys({ press: 'Enter' });
      await sendKeys({ press: 'Enter' });
      await type(el, 'two');
      await sendKeys({ press: 'Enter' });
      expect(sentTexts(store)).to.deep.equal(['one', 'two']);
      expect(new Set(store.state.messages.map((m) => m.id)).size).to.equal(2);
    });

    it('does not send while an input method is composing', async () => {
      const { el, store } = await mountComposer();
      await type(el, 'にほん');
      const event = new KeyboardEvent('keydown', {
        key: 'Enter',
        isComposing: true,
        bubbles: true,
        composed: true,
        cancelable: true,
      });
      input(el).dispatchEvent(event);
      expect(store.state.messages).to.have.length(0);
      expect(event.defaultPrevented, 'Enter is left to the input method').to.be.false;
    });

    it('cuts a message to the longest allowed length', async () => {
      const { el, store } = await mountComposer();
      input(el).value = 'x'.repeat(MAX_MESSAGE_LENGTH + 100);
      input(el).dispatchEvent(new Event('input'));
      sendButton(el).click();
      expect(store.state.messages).to.have.length(1);
      expect(store.state.messages[0].text).to.have.length(MAX_MESSAGE_LENGTH);
    });

    it('does not reload the page or navigate when the form is submitted', async () => {
      const { el } = await mountComposer();
      const form = shadow<HTMLFormElement>(el, 'form');
      await type(el, 'hi');
      const event = new SubmitEvent('submit', { cancelable: true, submitter: sendButton(el) });
      form.dispatchEvent(event);
      expect(event.defaultPrevented).to.be.true;
    });
  });

  it('works without a provider: typing and sending change nothing and throw nothing', async () => {
    const el = await fixture<JivoComposer>(template());
    expect(el.store).to.be.undefined;
    await type(el, 'lonely');
    await sendKeys({ press: 'Enter' });
    expect(input(el).value).to.equal('lonely');
  });

  it('leaves nothing subscribed after being mounted and removed many times', async () => {
    const store = createStore();
    store.setDraft('draft');
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
