import { expect, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { JivoInvitation } from '../../../src/components/invitation/invitation.js';
import type { WidgetStore } from '../../../src/state/store.js';
import { createStore, mount, mountUnmountCycles, shadow, shadowAll, text } from '../../helpers/store-provider.js';
import { speak } from '../../helpers/languages.js';

const template = () => html`<jivo-invitation></jivo-invitation>`;

async function mountInvitation(
  invitationText: string | null = 'Hi! Can we help you choose?',
  store: WidgetStore = createStore(),
) {
  if (invitationText !== null) store.showInvitation(invitationText, null);
  return mount<JivoInvitation>(template(), store);
}

const bubble = (el: JivoInvitation) => shadow(el, '[part="invitation"]');
const message = (el: JivoInvitation) => shadow(el, 'p');
const dismissButton = (el: JivoInvitation) => shadow<HTMLButtonElement>(el, 'button');

describe('<jivo-invitation>', () => {
  it('is accessible', async () => {
    const { el } = await mountInvitation();
    await expect(el).to.be.accessible();
  });

  it('is accessible with a link, without an invitation, and in Russian', async () => {
    const { el, store } = await mountInvitation('See our offers at https://example.com/offers');
    await expect(el).to.be.accessible();
    await speak(store, 'ru');
    await el.updateComplete;
    expect(text(shadow(el, '.from'))).to.equal('Сообщение от команды');
    await expect(el).to.be.accessible();
    store.dismissInvitation();
    await el.updateComplete;
    await expect(el).to.be.accessible();
  });

  it('shows the invitation text from the team, with no live role of its own (the log around it announces it)', async () => {
    const { el } = await mountInvitation();
    expect(bubble(el).hasAttribute('role'), 'a status inside the log would be announced twice').to.equal(false);
    expect(text(shadow(el, '.from'))).to.equal('Message from the team');
    expect(text(message(el))).to.equal('Hi! Can we help you choose?');
  });

  it('renders nothing while there is no invitation, and appears when one is shown', async () => {
    const { el, store } = await mountInvitation(null);
    expect(el.shadowRoot!.querySelector('[part="invitation"]')).to.be.null;
    expect(text(el.shadowRoot)).to.equal('');
    store.showInvitation('Welcome back!', '7');
    await el.updateComplete;
    expect(text(message(el))).to.equal('Welcome back!');
  });

  it('shows the newest invitation text', async () => {
    const { el, store } = await mountInvitation('First');
    store.showInvitation('Second', null);
    await el.updateComplete;
    expect(text(message(el))).to.equal('Second');
  });

  it('renders markup in the text as text and never creates elements from it', async () => {
    const payload =
      '<img src=x onerror="window.__jivoPwned=1"><script>window.__jivoPwned=2</script><a href="javascript:alert(1)">win</a>';
    const { el } = await mountInvitation(payload);
    expect(message(el).textContent).to.equal(payload);
    expect(message(el).children).to.have.length(0);
    expect(el.shadowRoot!.querySelector('img, script, a')).to.be.null;
    expect((window as { __jivoPwned?: number }).__jivoPwned).to.be.undefined;
  });

  it('keeps line breaks as written', async () => {
    const { el } = await mountInvitation('Hello!\nWe have a sale today.');
    expect(message(el).textContent).to.equal('Hello!\nWe have a sale today.');
    expect(getComputedStyle(message(el)).whiteSpace).to.equal('pre-wrap');
  });

  it('links only http and https addresses, which open safely in a new tab', async () => {
    const { el } = await mountInvitation(
      'Offers: www.example.com/sale, javascript:alert(1) and data:text/html,<b>x</b>',
    );
    const links = shadowAll<HTMLAnchorElement>(el, 'a');
    expect(links.map((a) => a.href)).to.deep.equal(['https://www.example.com/sale']);
    expect(links[0].target).to.equal('_blank');
    expect(links[0].rel.split(/\s+/)).to.include.members(['noopener', 'noreferrer']);
    expect(message(el).textContent).to.equal(
      'Offers: www.example.com/sale, javascript:alert(1) and data:text/html,<b>x</b>',
    );
  });

  describe('dismissing', () => {
    it('has a named dismiss button that clears the invitation from the store and the screen', async () => {
      const { el, store } = await mountInvitation();
      expect(dismissButton(el).getAttribute('aria-label')).to.equal('Dismiss the invitation');
      expect(dismissButton(el).type).to.equal('button');
      dismissButton(el).click();
      expect(store.state.invitation).to.be.null;
      await el.updateComplete;
      expect(el.shadowRoot!.querySelector('[part="invitation"]')).to.be.null;
      expect(el.shadowRoot!.querySelector('button')).to.be.null;
    });

    it('dismisses from the keyboard and leaves the chat open', async () => {
      const { el, store } = await mountInvitation();
      expect(store.state.view).to.equal('chat');
      dismissButton(el).focus();
      await sendKeys({ press: 'Enter' });
      expect(store.state.invitation).to.be.null;
      expect(store.state.view).to.equal('chat');
    });

    it('is named in Russian when the locale is ru', async () => {
      const { el, store } = await mountInvitation();
      await speak(store, 'ru');
      await el.updateComplete;
      expect(dismissButton(el).getAttribute('aria-label')).to.equal('Закрыть приглашение');
    });
  });

  it('leaves nothing subscribed after being mounted and removed many times', async () => {
    const store = createStore();
    store.showInvitation('Hello', null);
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
