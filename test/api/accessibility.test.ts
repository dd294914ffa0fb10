import { expect, fixtureCleanup, waitUntil } from '@open-wc/testing';
import { emulateMedia, sendKeys, setViewport } from '@web/test-runner-commands';
import type { JivoWidget } from '../../src/components/widget/widget.js';
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

// --- colour arithmetic on computed values ---

type Rgb = [number, number, number];

/** Every `rgb()`/`rgba()` colour in a computed value, in order (a gradient's stops, or one colour). */
function colorsIn(value: string): Rgb[] {
  return [...value.matchAll(/rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)/g)].map((m) => [+m[1], +m[2], +m[3]]);
}

function luminance([r, g, b]: Rgb): number {
  const c = (v: number) => ((v /= 255) <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
  return 0.2126 * c(r) + 0.7152 * c(g) + 0.0722 * c(b);
}

function ratio(a: Rgb, b: Rgb): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

/** The colours an element is painted with: its gradient's stops, or its background colour. */
function backgroundsOf(element: Element): Rgb[] {
  const style = getComputedStyle(element);
  const stops = colorsIn(style.backgroundImage);
  return stops.length ? stops : colorsIn(style.backgroundColor);
}

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
    await emulateMedia({ forcedColors: 'none' });
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
});
