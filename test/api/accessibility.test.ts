import { aTimeout, expect, fixture, fixtureCleanup, html, oneEvent, waitUntil } from '@open-wc/testing';
import { emulateMedia, sendKeys, setViewport } from '@web/test-runner-commands';
import '../../src/jivo-widget.js';
import type { JivoWidget } from '../../src/components/widget/widget.js';

// What a keyboard or screen-reader visitor meets on a real page, measured in the browser: focus rings against what is
// behind them, for the default accent, a light one and a gradient; the small-screen window as a modal dialog; focus
// that moves only when the visitor asks; forced colours.

let seq = 0;
const uniqueId = () => `a11y-${Date.now().toString(36)}-${++seq}`;

async function mount(attrs: Record<string, string> = {}): Promise<JivoWidget> {
  const wrapper = await fixture(html`<div></div>`);
  const el = document.createElement('jivo-widget');
  el.setAttribute('widget-id', uniqueId());
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
  const loaded = oneEvent(el, 'jivo-load');
  wrapper.append(el);
  await loaded;
  await settled(el);
  return el;
}

/** Waits until the widget and every element inside it have rendered. */
async function settled(el: Element): Promise<void> {
  for (let pass = 0; pass < 3; pass++) {
    const pending: Promise<unknown>[] = [];
    const visit = (root: Element | ShadowRoot) => {
      for (const child of root.querySelectorAll('*')) {
        if ('updateComplete' in child) pending.push((child as JivoWidget).updateComplete);
        if (child.shadowRoot) visit(child.shadowRoot);
      }
    };
    pending.push((el as JivoWidget).updateComplete);
    visit(el.shadowRoot!);
    await Promise.all(pending);
  }
  await aTimeout(0);
}

/** The element that has focus, looking through shadow roots. */
function deepActive(): Element | null {
  let active: Element | null = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

const chatWindow = (el: Element) => el.shadowRoot!.querySelector('jivo-chat-window')!;
const inWindow = <T extends Element = HTMLElement>(el: Element, selector: string) =>
  chatWindow(el).shadowRoot!.querySelector<T>(selector)!;

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

async function shiftTab(): Promise<void> {
  await sendKeys({ down: 'Shift' });
  await sendKeys({ press: 'Tab' });
  await sendKeys({ up: 'Shift' });
}

async function openByKeyboard(el: JivoWidget): Promise<void> {
  el.shadowRoot!.querySelector('jivo-launcher')!.shadowRoot!.querySelector('button')!.focus();
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
    for (const key of Object.keys(localStorage)) if (key.startsWith('jivo-widget:a11y-')) localStorage.removeItem(key);
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
