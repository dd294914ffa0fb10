import { expect, fixtureCleanup, waitUntil } from '@open-wc/testing';
import { executeServerCommand, sendKeys, setViewport } from '@web/test-runner-commands';
import type { JivoWidget } from '../../src/components/widget/widget.js';
import { backgroundsOf, colorsIn, ratio, type Rgb } from '../helpers/contrast.js';
import {
  clearStored,
  deepActive,
  inWindow,
  launcherButton,
  mountWidget,
  settled,
  shiftTab,
} from '../helpers/widget-page.js';

// What a keyboard or screen-reader visitor meets on a real page, measured in the browser: focus rings against what is
// behind them, for the default accent, a light one and a gradient; the small-screen window as a modal dialog; focus
// that moves only when the visitor asks; forced colours.

const PREFIX = 'a11y';
const mount = (attrs: Record<string, string> = {}) => mountWidget(PREFIX, attrs);

/** The lowest contrast of the focused element's outline against each of the given backgrounds. */
function ringContrast(focused: Element, backgrounds: Rgb[]): number {
  const style = getComputedStyle(focused);
  expect(style.outlineStyle, 'a focus ring is drawn').to.not.equal('none');
  expect(parseFloat(style.outlineWidth)).to.be.at.least(2);
  const [ring] = colorsIn(style.outlineColor);
  return Math.min(...backgrounds.map((bg) => ratio(ring, bg)));
}

async function openByKeyboard(el: JivoWidget): Promise<void> {
  launcherButton(el)!.focus();
  await sendKeys({ press: 'Enter' });
  await settled(el);
  await waitUntil(() => deepActive()?.tagName === 'TEXTAREA', 'focus moves to the composer');
}

const accents: Array<[string, Record<string, string>]> = [
  ['the default accent', {}],
  ['a light accent', { color: '#ffeb3b' }],
  ['a gradient', { color: '#2a5bd7', color2: '#8e2de2' }],
];

describe('accessibility on a page', () => {
  afterEach(async () => {
    fixtureCleanup();
    await setViewport({ width: 1000, height: 800 });
    await executeServerCommand('emulate-forced-colors', { active: false });
    clearStored(PREFIX);
  });

  describe('focus rings reach 3:1 against what is behind them', () => {
    for (const [name, attrs] of accents) {
      it(`on the header buttons, with ${name}`, async () => {
        const el = await mount(attrs);
        await openByKeyboard(el);
        await shiftTab(); // the log
        await shiftTab(); // Minimize the chat
        const focused = deepActive()!;
        expect(focused.getAttribute('aria-label')).to.equal('Minimize the chat');
        const contrast = ringContrast(focused, backgroundsOf(inWindow(el, 'header')));
        expect(contrast, `ring contrast ${contrast.toFixed(2)}:1`).to.be.at.least(3);
        await expect(el).to.be.accessible();
      });

      it(`on a link in the visitor's own bubble, with ${name}`, async () => {
        const el = await mount(attrs);
        await openByKeyboard(el);
        el.store!.sendMessage('See https://example.com/order');
        await settled(el);
        await shiftTab();
        const focused = deepActive()!;
        expect(focused.tagName).to.equal('A');
        const bubble = focused.closest('.bubble')!;
        const contrast = ringContrast(focused, backgroundsOf(bubble));
        expect(contrast, `ring contrast ${contrast.toFixed(2)}:1`).to.be.at.least(3);
      });
    }

    it('on the message log: inset, inside the window, clear of the composer, 3:1 on the log', async () => {
      const el = await mount();
      await openByKeyboard(el);
      await shiftTab();
      const log = deepActive()!;
      expect(log.getAttribute('role')).to.equal('log');
      const style = getComputedStyle(log);
      const inset = parseFloat(style.outlineOffset) + parseFloat(style.outlineWidth);
      expect(inset, 'the ring is drawn inside the log').to.be.at.most(0);
      const ring = log.getBoundingClientRect();
      const box = inWindow(el, '.window').getBoundingClientRect();
      const composer = inWindow(el, 'jivo-composer').getBoundingClientRect();
      const header = inWindow(el, 'header').getBoundingClientRect();
      expect(ring.left >= box.left && ring.right <= box.right, 'not clipped by the window').to.equal(true);
      expect(ring.bottom, 'not under the composer').to.be.at.most(composer.top);
      expect(ring.top, 'not over the header').to.be.at.least(header.bottom);
      const contrast = ringContrast(log, backgroundsOf(log));
      expect(contrast, `ring contrast ${contrast.toFixed(2)}:1`).to.be.at.least(3);
    });
  });

  it('the open window adds no second banner landmark to the page', async () => {
    const el = await mount();
    el.open();
    await settled(el);
    const roles: string[] = await executeServerCommand('ax-roles');
    expect(roles, 'the window is in the tree').to.include('dialog');
    expect(roles.filter((role) => role === 'banner')).to.deep.equal([]);
  });

  describe('text on the accent reaches 4.5:1 on every end of a gradient', () => {
    /** The lowest contrast of the element's text colour against each colour its background is painted with. */
    function textContrast(element: Element, painted: Element = element): number {
      const [text] = colorsIn(getComputedStyle(element).color);
      return Math.min(...backgroundsOf(painted).map((bg) => ratio(text, bg)));
    }

    const cases: Array<[string, Record<string, string>, boolean]> = [
      ['yellow to navy', { color: '#ffeb3b', color2: '#1a237e' }, true],
      ["white to black (the API document's example)", { color: '#ffffff', color2: '#000000' }, true],
      ['blue to purple', { color: '#2a5bd7', color2: '#8e2de2' }, false],
      ['a single light colour', { color: '#ffeb3b' }, false],
    ];
    for (const [name, attrs, adjusted] of cases) {
      it(`${name}: the header, the launcher and the visitor's bubble`, async () => {
        const warnings: string[] = [];
        const warn = console.warn;
        console.warn = (...args: unknown[]) => void warnings.push(args.join(' '));
        try {
          const el = await mount(attrs);
          const launcher = launcherButton(el)!;
          const seen: Record<string, number> = { launcher: textContrast(launcher) };
          el.open();
          el.store!.sendMessage('Where is my order?');
          await settled(el);
          const header = inWindow(el, 'header');
          seen.header = textContrast(header);
          const bubble = inWindow(el, 'jivo-message-list').shadowRoot!.querySelector('.visitor .bubble')!;
          seen['visitor bubble'] = textContrast(bubble);
          for (const [part, value] of Object.entries(seen)) {
            expect(value, `${part}: ${value.toFixed(2)}:1`).to.be.at.least(4.5);
          }
          const said = warnings.filter((w) => w.includes('4.5:1'));
          expect(said.length, 'the page console says when a colour was adjusted').to.equal(adjusted ? 1 : 0);
          if (adjusted) expect(said[0]).to.include(attrs.color).and.include(attrs.color2);
        } finally {
          console.warn = warn;
        }
      });
    }
  });

  describe('forced colours', () => {
    /** The element's boundary in forced-colours mode: a visible border of at least 1 px, or the reason there is none. */
    function boundary(element: Element): string {
      const style = getComputedStyle(element);
      return style.borderTopStyle !== 'none' && parseFloat(style.borderTopWidth) >= 1 ? 'border' : 'none';
    }

    it('the launcher, window, bubbles, Send, menu choices and form buttons keep a visible boundary', async () => {
      await executeServerCommand('emulate-forced-colors', { active: true });
      expect(matchMedia('(forced-colors: active)').matches, 'forced colours are emulated').to.equal(true);
      const el = await mount();
      const launcher = launcherButton(el)!;
      const seen: Record<string, string> = { launcher: boundary(launcher) };
      el.open();
      el.store!.sendMessage('Hello');
      el.store!.receiveMessage({ id: 'a1', from: 'agent', text: 'Hi!', at: Date.now(), agentName: 'Alice' });
      await settled(el);
      seen.window = boundary(inWindow(el, '.window'));
      const list = inWindow(el, 'jivo-message-list').shadowRoot!;
      seen['visitor bubble'] = boundary(list.querySelector('.visitor .bubble')!);
      seen['agent bubble'] = boundary(list.querySelector('.agent .bubble')!);
      seen.send = boundary(inWindow(el, 'jivo-composer').shadowRoot!.querySelector('.send')!);
      el.open({ start: 'menu' });
      await settled(el);
      const menu = el.shadowRoot!.querySelector('jivo-mobile-menu')!.shadowRoot!;
      seen.menu = boundary(menu.querySelector('.menu')!);
      seen['menu choice'] = boundary(menu.querySelector('.choice')!);
      el.store!.receiveContactsRequest('r1');
      el.open();
      await settled(el);
      const contacts = inWindow(el, 'jivo-contacts-form').shadowRoot!;
      seen['form button'] = boundary(contacts.querySelector('.primary')!);
      expect(seen).to.deep.equal({
        launcher: 'border',
        window: 'border',
        'visitor bubble': 'border',
        'agent bubble': 'border',
        send: 'border',
        menu: 'border',
        'menu choice': 'border',
        'form button': 'border',
      });
      await expect(el).to.be.accessible();
    });
  });
});
