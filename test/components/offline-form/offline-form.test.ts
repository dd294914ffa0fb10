import { expect, html } from '@open-wc/testing';
import type { JivoOfflineForm } from '../../../src/components/offline-form/offline-form.js';
import { borderContrast } from '../../helpers/contrast.js';
import { createStore, mount, shadow, shadowAll, text } from '../../helpers/store-provider.js';
import { speak } from '../../helpers/languages.js';

const template = () => html`<jivo-offline-form></jivo-offline-form>`;

describe('<jivo-offline-form>', () => {
  it('is accessible', async () => {
    const { el } = await mount<JivoOfflineForm>(template());
    await expect(el).to.be.accessible();
  });

  it('says which fields are required before the first submit', async () => {
    const { el } = await mount<JivoOfflineForm>(template());
    const message = shadow<HTMLTextAreaElement>(el, '[name="message"]');
    expect(message.required, 'the message is required').to.equal(true);
    expect(text(shadow(el, 'label[for="message"]'))).to.equal('Message (required)');
    for (const name of ['email', 'phone']) {
      const input = shadow<HTMLInputElement>(el, `[name="${name}"]`);
      const ids = (input.getAttribute('aria-describedby') ?? '').split(' ');
      const hint = ids.map((id) => el.shadowRoot!.getElementById(id)).find((node) => node?.classList.contains('hint'));
      expect(text(hint), `${name} is described by the email-or-phone rule`).to.equal(
        'Leave an email or a phone number so that we can answer.',
      );
    }
    expect(shadow<HTMLInputElement>(el, '[name="name"]').required).to.equal(false);
  });

  it('draws every field’s border at 3:1 or more against the backgrounds', async () => {
    const { el, provider } = await mount<JivoOfflineForm>(template());
    for (const field of shadowAll(el, 'input, textarea')) {
      const contrast = borderContrast(field, provider);
      expect(contrast, `${field.getAttribute('name')}: ${contrast.toFixed(2)}:1`).to.be.at.least(3);
    }
  });

  it('says it in Russian too', async () => {
    const store = createStore();
    await speak(store, 'ru');
    const { el } = await mount<JivoOfflineForm>(template(), store);
    expect(text(shadow(el, 'label[for="message"]'))).to.match(/\(обязательно\)$/);
    await expect(el).to.be.accessible();
  });

  it('shows every error of a submit at once, each on its field, and focuses the first', async () => {
    const { el } = await mount<JivoOfflineForm>(template());
    const field = (name: string) => shadow<HTMLInputElement>(el, `[name="${name}"]`);
    field('email').value = 'ann@';
    field('email').dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
    field('phone').value = '12';
    field('phone').dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
    shadow<HTMLFormElement>(el, 'form').requestSubmit();
    await el.updateComplete;
    const errors = () =>
      Object.fromEntries(
        ['name', 'email', 'phone', 'message'].map((name) => [
          name,
          field(name).getAttribute('aria-invalid') === 'true'
            ? text(el.shadowRoot!.getElementById(`${name}-error`))
            : null,
        ]),
      );
    expect(errors()).to.deep.equal({
      name: null,
      email: 'This email address does not look right.',
      phone: 'This phone number does not look right.',
      message: 'Please write your message.',
    });
    expect(el.shadowRoot!.activeElement, 'the first field in error has focus').to.equal(field('email'));
    await expect(el).to.be.accessible();

    // Fixing a field clears its error only; an empty submit shows both rules.
    field('phone').value = '';
    field('phone').dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
    await el.updateComplete;
    expect(errors()).to.deep.equal({
      name: null,
      email: 'This email address does not look right.',
      phone: null,
      message: 'Please write your message.',
    });
    field('email').value = '';
    field('email').dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
    shadow<HTMLFormElement>(el, 'form').requestSubmit();
    await el.updateComplete;
    expect(errors()).to.deep.equal({
      name: null,
      email: 'Leave an email or a phone number so that we can answer.',
      phone: null,
      message: 'Please write your message.',
    });
  });

  it('keeps the rule in the description while the contact error shows', async () => {
    const { el } = await mount<JivoOfflineForm>(template());
    const message = shadow<HTMLTextAreaElement>(el, '[name="message"]');
    message.value = 'Do you ship to Norway?';
    message.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
    shadow<HTMLFormElement>(el, 'form').requestSubmit();
    await el.updateComplete;
    const email = shadow<HTMLInputElement>(el, '[name="email"]');
    expect(email.getAttribute('aria-invalid')).to.equal('true');
    expect(email.getAttribute('aria-describedby')!.split(' ')).to.include('email-error');
    await expect(el).to.be.accessible();
  });
});
