import { aTimeout, expect, fixtureCleanup, html, waitUntil } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import type { JivoWidget } from '../../../../src/components/widget/widget.js';
import {
  chatWindow,
  clearStored,
  deepActive,
  inWindow,
  launcherButton,
  mountWidget,
  settled,
  shiftTab,
} from '../../../helpers/widget-page.js';

// Where focus goes when the window opens and closes, and the window as a modal dialog on a small screen: with real key
// presses, on a page with its own controls before and after the widget.

const PREFIX = 'focus';

/** A page with a field and a button before the widget, and a link after it. */
async function mountOnPage(): Promise<{ el: JivoWidget; field: HTMLInputElement; button: HTMLButtonElement }> {
  const el = await mountWidget(
    PREFIX,
    {},
    {
      before: html`<input id="page-field" aria-label="Page field" /><button id="page-button">Talk to us</button>`,
      after: html`<a id="page-link" href="#somewhere">Page link</a>`,
    },
  );
  const field = document.getElementById('page-field') as HTMLInputElement;
  const button = document.getElementById('page-button') as HTMLButtonElement;
  return { el, field, button };
}

/** What has focus, by id ("widget" for the widget; comparing elements would have chai print the whole widget). */
const activeId = () => (document.activeElement?.localName === 'jivo-widget' ? 'widget' : document.activeElement?.id);

/** Where focus is: "widget" inside it, "document" on nothing, else the page element's id. */
const stop = (el: JivoWidget) =>
  document.activeElement === el
    ? 'widget'
    : !document.activeElement || document.activeElement === document.body
      ? 'document'
      : document.activeElement.id || document.activeElement.localName;

describe('focus (widget controllers/focus)', () => {
  afterEach(async () => {
    fixtureCleanup();
    clearStored(PREFIX);
    await setViewport({ width: 1000, height: 800 });
  });

  describe('moves only on the visitor’s request', () => {
    it('a script’s open() leaves focus, and the keys typed, in the page field', async () => {
      const { el, field } = await mountOnPage();
      field.focus();
      setTimeout(() => el.open(), 20);
      await sendKeys({ type: 'abc' });
      await aTimeout(60);
      await settled(el);
      expect(chatWindow(el), 'the window opened').to.exist;
      await sendKeys({ type: 'def' });
      expect(activeId(), 'focus stays in the page field').to.equal('page-field');
      expect(field.value).to.equal('abcdef');
      await expect(el).to.be.accessible();
    });

    it('a script’s open() of the menu leaves focus in the page field', async () => {
      const { el, field } = await mountOnPage();
      field.focus();
      el.open({ start: 'menu' });
      await settled(el);
      await aTimeout(50);
      expect(el.shadowRoot!.querySelector('jivo-mobile-menu')).to.exist;
      expect(activeId(), 'focus stays in the page field').to.equal('page-field');
    });

    it('a page button that calls jivo_api.open() moves focus to the composer, and Escape returns it to the button', async () => {
      const { el, button } = await mountOnPage();
      button.addEventListener('click', () => window.jivo_api!.open());
      button.focus();
      await sendKeys({ press: 'Enter' });
      await settled(el);
      await waitUntil(() => deepActive()?.tagName === 'TEXTAREA', 'focus moves to the composer');
      await sendKeys({ press: 'Escape' });
      await settled(el);
      await waitUntil(() => document.activeElement === button, 'focus returns to the page button that opened it');
    });

    it('a page button that opens the menu moves focus to its first choice, and Escape returns it to the button', async () => {
      const { el, button } = await mountOnPage();
      button.addEventListener('click', () => window.jivo_api!.open({ start: 'menu' }));
      button.focus();
      await sendKeys({ press: 'Enter' });
      await settled(el);
      await waitUntil(() => deepActive()?.textContent?.trim() === 'Chat', 'focus moves to the menu’s Chat choice');
      await sendKeys({ press: 'Escape' });
      await settled(el);
      await waitUntil(() => document.activeElement === button, 'focus returns to the page button that opened it');
      expect(el.shadowRoot!.querySelector('jivo-mobile-menu'), 'the menu closed').to.not.exist;
    });

    for (const start of ['chat', 'menu'] as const) {
      it(`the page button pressed again while the ${start === 'chat' ? 'window' : 'menu'} is open moves focus back into it`, async () => {
        const { el, button } = await mountOnPage();
        button.addEventListener('click', () => window.jivo_api!.open({ start }));
        button.focus();
        await sendKeys({ press: 'Enter' });
        await settled(el);
        await waitUntil(() => stop(el) === 'widget', 'focus moves into the widget');
        button.focus();
        expect(stop(el)).to.equal('page-button');
        await sendKeys({ press: 'Enter' });
        await settled(el);
        await waitUntil(() => stop(el) === 'widget', 'focus moves back into the widget');
        await sendKeys({ press: 'Escape' });
        await settled(el);
        await waitUntil(() => document.activeElement === button, 'and Escape returns it to the button');
      });
    }

    it('a script’s open() while the window is open leaves focus in the page', async () => {
      const { el, field } = await mountOnPage();
      el.open();
      await settled(el);
      field.focus();
      el.open();
      await settled(el);
      await aTimeout(50);
      expect(stop(el)).to.equal('page-field');
    });

    it('the minimize button returns focus to the page button that opened the window', async () => {
      const { el, button } = await mountOnPage();
      button.addEventListener('click', () => el.open());
      button.focus();
      await sendKeys({ press: 'Enter' });
      await settled(el);
      await waitUntil(() => deepActive()?.tagName === 'TEXTAREA');
      await shiftTab(); // the log
      await shiftTab(); // Minimize the chat
      expect(deepActive()!.getAttribute('aria-label')).to.equal('Minimize the chat');
      await sendKeys({ press: 'Enter' });
      await settled(el);
      await waitUntil(() => document.activeElement === button, 'focus returns to the page button');
    });
  });

  describe('under 480 px the window is a modal dialog', () => {
    beforeEach(() => setViewport({ width: 375, height: 667 }));

    it('Tab and Shift+Tab stay in the window; the page is inert and the dialog modal', async () => {
      const { el, field, button } = await mountOnPage();
      launcherButton(el)!.focus();
      await sendKeys({ press: 'Enter' });
      await settled(el);
      await waitUntil(() => deepActive()?.tagName === 'TEXTAREA', 'focus moves to the composer');
      expect(inWindow(el, '[role="dialog"]').getAttribute('aria-modal')).to.equal('true');
      expect(field.closest('[inert]'), 'the page field is inert').to.exist;
      expect(button.closest('[inert]'), 'the page button is inert').to.exist;
      const stops: string[] = [];
      for (let i = 0; i < 12; i++) {
        await sendKeys({ press: 'Tab' });
        stops.push(stop(el));
      }
      for (let i = 0; i < 12; i++) {
        await shiftTab();
        stops.push(stop(el));
      }
      // As with a native modal <dialog>, Tab past the last control may visit the browser's own controls (the document
      // itself here), then comes back to the window; never to the page.
      expect(
        stops.filter((s) => s !== 'widget' && s !== 'document'),
        stops.join(' '),
      ).to.deep.equal([]);
      expect(stops.filter((s) => s === 'widget').length, stops.join(' ')).to.be.at.least(18);
      await expect(el).to.be.accessible();
    });

    it('Escape ends the modal and returns focus to the launcher; the page is back', async () => {
      const { el, field } = await mountOnPage();
      launcherButton(el)!.focus();
      await sendKeys({ press: 'Enter' });
      await settled(el);
      await waitUntil(() => deepActive()?.tagName === 'TEXTAREA');
      await sendKeys({ press: 'Escape' });
      await settled(el);
      await waitUntil(() => deepActive() === launcherButton(el), 'focus returns to the launcher');
      expect(field.closest('[inert]')).to.equal(null);
      expect(document.querySelectorAll('[inert]')).to.have.length(0);
    });

    it('a window the visitor did not open takes nothing from the page until the visitor enters it', async () => {
      const { el, field } = await mountOnPage();
      field.focus();
      el.showProactiveInvitation('Can we help?');
      await settled(el);
      await aTimeout(50);
      expect(activeId(), 'focus stays in the page field').to.equal('page-field');
      expect(document.querySelectorAll('[inert]')).to.have.length(0);
      inWindow(el, 'jivo-composer').focus();
      await settled(el);
      await waitUntil(() => field.closest('[inert]') !== null, 'entering the window makes it modal');
      el.close();
      await settled(el);
      expect(document.querySelectorAll('[inert]')).to.have.length(0);
    });

    it('on a wide screen the window stays non-modal', async () => {
      await setViewport({ width: 1000, height: 800 });
      const { el } = await mountOnPage();
      launcherButton(el)!.focus();
      await sendKeys({ press: 'Enter' });
      await settled(el);
      await waitUntil(() => deepActive()?.tagName === 'TEXTAREA');
      expect(inWindow(el, '[role="dialog"]').hasAttribute('aria-modal')).to.equal(false);
      expect(document.querySelectorAll('[inert]')).to.have.length(0);
    });
  });

  describe('on a wide screen, page controls under the open window', () => {
    /** What is drawn at the middle of `element`: the element itself, or the widget over it. */
    const onTop = (element: Element) => {
      const r = element.getBoundingClientRect();
      const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      return top === element ? 'itself' : top?.localName;
    };

    it('Escape on a page control that the window covers minimizes it, and focus stays on the control', async () => {
      await setViewport({ width: 1280, height: 800 });
      const el = await mountWidget(
        PREFIX,
        {},
        {
          after: html`<a id="under" href="#under" style="position: fixed; right: 60px; bottom: 200px">Covered</a>
            <a id="clear" href="#clear" style="position: fixed; left: 20px; top: 20px">Clear</a>`,
        },
      );
      const under = document.getElementById('under')!;
      const clear = document.getElementById('clear')!;
      launcherButton(el)!.focus();
      await sendKeys({ press: 'Enter' });
      await settled(el);
      await waitUntil(() => deepActive()?.tagName === 'TEXTAREA', 'focus moves to the composer');
      await sendKeys({ press: 'Tab' }); // Send
      await sendKeys({ press: 'Tab' }); // the page, after the widget
      expect(activeId()).to.equal('under');
      expect(onTop(under), 'the window covers the focused link').to.equal('jivo-widget');

      await sendKeys({ press: 'Escape' });
      await settled(el);
      expect(!!chatWindow(el), 'the window is minimized').to.equal(false);
      expect(activeId(), 'focus stays on the link').to.equal('under');
      expect(onTop(under), 'the link is in view').to.equal('itself');
      await expect(el).to.be.accessible();

      // Escape elsewhere on the page, or one the page handles itself, leaves the window open.
      el.open();
      await settled(el);
      clear.focus();
      await sendKeys({ press: 'Escape' });
      await settled(el);
      expect(!!chatWindow(el), 'Escape on a link the window does not cover').to.equal(true);
      under.addEventListener('keydown', (e) => e.key === 'Escape' && e.preventDefault());
      under.focus();
      await sendKeys({ press: 'Escape' });
      await settled(el);
      expect(!!chatWindow(el), 'Escape the page handled').to.equal(true);
    });
  });

  describe('a long history', () => {
    it('Shift+Tab from the composer reaches the log at its newest message, then Show earlier messages', async () => {
      const { el, button } = await mountOnPage();
      for (let i = 1; i <= 59; i++)
        el.store!.receiveMessage({ id: `h-${i}`, from: 'agent', text: `History message number ${i}`, at: Date.now() });
      button.addEventListener('click', () => el.open());
      button.focus();
      await sendKeys({ press: 'Enter' });
      await settled(el);
      await waitUntil(() => deepActive()?.tagName === 'TEXTAREA', 'focus moves to the composer');
      const list = chatWindow(el)!.shadowRoot!.querySelector('jivo-message-list')!;
      const log = list.shadowRoot!.querySelector<HTMLElement>('[role="log"]')!;
      const fromBottom = () => Math.round(log.scrollHeight - log.scrollTop - log.clientHeight);
      expect(log.scrollHeight, 'the log scrolls').to.be.above(log.clientHeight * 2);
      expect(fromBottom(), 'the log opens at its newest message').to.equal(0);

      await shiftTab();
      expect(deepActive()?.getAttribute('role'), 'Shift+Tab from the composer').to.equal('log');
      expect(fromBottom(), 'the log still shows its newest message').to.equal(0);
      await shiftTab();
      expect(deepActive()?.textContent?.trim()).to.equal('Show earlier messages (9)');
      expect(fromBottom(), 'still the newest message').to.equal(0);
      await sendKeys({ press: 'Enter' });
      await settled(el);
      expect(list.shadowRoot!.querySelectorAll('li')).to.have.length(59);
      expect(fromBottom(), 'earlier messages go above; the newest stay in view').to.equal(0);
      expect(deepActive()?.getAttribute('role'), 'with none left, focus is on the log').to.equal('log');
      await expect(el).to.be.accessible();
    });
  });
});
