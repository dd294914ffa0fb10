import { expect, fixtureCleanup, waitUntil } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import type { JivoWidget } from '../../../src/components/widget/widget.js';
import { backgroundsOf, borderContrast, colorsIn, ratio } from '../../helpers/contrast.js';
import { chatWindow, clearStored, deepActive, inWindow, mountWidget, settled } from '../../helpers/widget-page.js';

/** The `theme` attribute (light, dark, auto) and `launcher="none"` with the site's own button. */

const bg = (el: JivoWidget) => backgroundsOf(inWindow(el, '.window'))[0];

async function openWithConversation(el: JivoWidget): Promise<void> {
  el.open();
  await settled(el);
  el.store!.receiveMessage({ id: 'a1', seq: 1, from: 'agent', text: 'How can we help?', at: 0, agentName: 'Ann' });
  await settled(el);
}

describe('theme', function () {
  this.timeout(30000);

  afterEach(async () => {
    fixtureCleanup();
    clearStored('dark');
    await emulateMedia({ colorScheme: 'light' });
  });

  it('light by default; dark paints the window dark with every text and field border at AA, and passes axe', async () => {
    const light = await mountWidget('dark');
    await openWithConversation(light);
    expect(ratio(bg(light), [255, 255, 255])).to.equal(1);
    fixtureCleanup();

    const el = await mountWidget('dark', { theme: 'dark' });
    await openWithConversation(el);
    const background = bg(el);
    expect(ratio(background, [255, 255, 255])).to.be.greaterThan(12);
    const text = colorsIn(getComputedStyle(chatWindow(el)!).color)[0];
    expect(ratio(text, background)).to.be.greaterThan(7);
    await expect(chatWindow(el)!).to.be.accessible();
    // The composer's field border, a boundary: 3:1 at least against the dark background.
    const composer = inWindow(el, 'jivo-composer');
    const field = composer.shadowRoot!.querySelector('textarea')!;
    expect(borderContrast(field, inWindow(el, '.window'))).to.be.at.least(3);
    // The offline form: labels, fields, links.
    el.store!.openOfflineForm();
    await settled(el);
    const form = inWindow(el, 'jivo-offline-form');
    await expect(form).to.be.accessible();
    for (const input of form.shadowRoot!.querySelectorAll('input, textarea'))
      expect(borderContrast(input, form)).to.be.at.least(3);
  });

  it('auto follows prefers-color-scheme, live', async () => {
    await emulateMedia({ colorScheme: 'light' });
    const el = await mountWidget('dark', { theme: 'auto' });
    await openWithConversation(el);
    expect(ratio(bg(el), [255, 255, 255])).to.equal(1);
    await emulateMedia({ colorScheme: 'dark' });
    await waitUntil(() => ratio(bg(el), [255, 255, 255]) > 12, 'the window turned dark');
    await expect(chatWindow(el)!).to.be.accessible();
    await emulateMedia({ colorScheme: 'light' });
    await waitUntil(() => ratio(bg(el), [255, 255, 255]) === 1, 'the window turned light again');
  });

  it("keeps the site's colours in dark: the header and the visitor's bubbles take color and color2", async () => {
    const el = await mountWidget('dark', { theme: 'dark', color: '#d72a5b', color2: '#7b2ad7' });
    await openWithConversation(el);
    const header = inWindow(el, 'header');
    expect(colorsIn(getComputedStyle(header).backgroundImage)).to.deep.equal([
      [215, 42, 91],
      [123, 42, 215],
    ]);
    await expect(chatWindow(el)!).to.be.accessible();
  });

  it('the menu is dark too', async () => {
    const el = await mountWidget('dark', { theme: 'dark' });
    el.store!.setCallbackEnabled(true);
    el.open({ start: 'menu' });
    await settled(el);
    const menu = el.shadowRoot!.querySelector('jivo-mobile-menu')!;
    const surface = backgroundsOf(menu.shadowRoot!.querySelector('.menu')!)[0];
    expect(ratio(surface, [255, 255, 255])).to.be.greaterThan(12);
    await expect(menu).to.be.accessible();
  });
});

describe('launcher="none"', function () {
  this.timeout(30000);

  afterEach(() => {
    fixtureCleanup();
    clearStored('own');
  });

  it("renders no launcher; the site's button opens the chat, and focus goes back to it on close", async () => {
    const el = await mountWidget('own', { launcher: 'none' });
    expect(el.shadowRoot!.querySelector('jivo-launcher')).to.equal(null);
    const button = document.createElement('button');
    button.textContent = 'Chat with us';
    button.setAttribute('aria-expanded', 'false');
    button.addEventListener('click', () => el.open());
    el.addEventListener('jivo-open', () => button.setAttribute('aria-expanded', 'true'));
    el.addEventListener('jivo-close', () => button.setAttribute('aria-expanded', 'false'));
    document.body.append(button);
    try {
      button.focus();
      await sendKeys({ press: 'Enter' });
      await settled(el);
      expect(button.getAttribute('aria-expanded')).to.equal('true');
      await waitUntil(() => chatWindow(el)?.matches(':focus-within'), 'focus moved into the window');
      await sendKeys({ press: 'Escape' });
      await settled(el);
      expect(button.getAttribute('aria-expanded')).to.equal('false');
      expect(el.shadowRoot!.querySelector('jivo-launcher')).to.equal(null);
      await waitUntil(() => deepActive() === button, "focus is back on the site's button");
    } finally {
      button.remove();
    }
  });

  it('focus goes back to the clicked button even when the click did not focus it (Safari)', async () => {
    const el = await mountWidget('own', { launcher: 'none' });
    const button = document.createElement('button');
    button.textContent = 'Chat with us';
    // As Safari does: a click that leaves focus where it was.
    button.addEventListener('mousedown', (event) => event.preventDefault());
    button.addEventListener('click', () => el.open());
    document.body.append(button);
    try {
      const rect = button.getBoundingClientRect();
      const { sendMouse } = await import('@web/test-runner-commands');
      await sendMouse({ type: 'click', position: [Math.round(rect.x + 5), Math.round(rect.y + 5)] });
      await settled(el);
      expect(document.activeElement).to.not.equal(button);
      await waitUntil(() => chatWindow(el)?.matches(':focus-within'), 'focus moved into the window');
      await sendKeys({ press: 'Escape' });
      await waitUntil(() => deepActive() === button, "focus is back on the site's button");
    } finally {
      button.remove();
    }
  });

  it('any other value shows the launcher', async () => {
    const el = await mountWidget('own', { launcher: 'yes' });
    expect(el.shadowRoot!.querySelector('jivo-launcher')).to.not.equal(null);
    el.launcher = 'none';
    await settled(el);
    expect(el.shadowRoot!.querySelector('jivo-launcher')).to.equal(null);
  });
});
