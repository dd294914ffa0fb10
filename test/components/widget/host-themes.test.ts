import { aTimeout, expect, fixtureCleanup, nextFrame } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import type { JivoWidget } from '../../../src/components/widget/widget.js';
import { clearStored, mountWidget, settled } from '../../helpers/widget-page.js';

/**
 * The widget on pages with hostile themes: rules a site's theme sets on html, body or `*`, and real reset sheets
 * (test/fixtures/themes/: Bootstrap's reboot, Tailwind's preflight, normalize.css, a WordPress block theme). Inherited
 * properties cross the shadow boundary, so without the root's reset these spaced, upper-cased and re-sized the
 * widget's text and grew its boxes. For each theme and each state (closed, the open window, the contacts, offline and
 * call-back forms, the channel menu on a phone), every element in the widget's shadow trees must have the same box and
 * the same computed text styles as on the clean page.
 */

const TEXT_STYLES = [
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
  'font-variant-caps',
  'font-stretch',
  'font-kerning',
  'font-feature-settings',
  'letter-spacing',
  'word-spacing',
  'line-height',
  'text-transform',
  'text-align',
  'text-indent',
  'text-shadow',
  'text-decoration-line',
  'text-underline-offset',
  'white-space',
  'word-break',
  'overflow-wrap',
  'hyphens',
  'tab-size',
  'quotes',
  'list-style-type',
  'color',
  '-webkit-text-fill-color',
  'visibility',
  'cursor',
  'box-sizing',
  'direction',
] as const;

/** Rules that real themes set, each alone, then everything inherited at once. */
const RULES: Record<string, string> = {
  'letter-spacing and upper case on body': 'body { letter-spacing: 4px; text-transform: uppercase; }',
  'html { font-size: 62.5% }': 'html { font-size: 62.5%; }',
  '* { line-height: 3 }': '* { line-height: 3; }',
  '* { box-sizing: content-box }': '*, *::before, *::after { box-sizing: content-box; }',
  'every inherited text property on html': `html {
    font: italic small-caps 700 30px/2.5 serif; font-stretch: condensed; font-feature-settings: 'smcp';
    font-kerning: none; letter-spacing: 0.3em; word-spacing: 12px; text-transform: capitalize; text-align: right;
    text-indent: 40px; text-shadow: 2px 2px 2px red; white-space: pre; word-break: break-all; overflow-wrap: anywhere;
    hyphens: auto; tab-size: 20; quotes: '<' '>'; list-style: square inside; color: red;
    -webkit-text-fill-color: green; cursor: wait; text-underline-offset: 9px; }`,
};
const SHEETS = [
  'bootstrap-5.3.3-reboot.css',
  'tailwind-3.4.17-preflight.css',
  'normalize-8.0.1.css',
  'wordpress-block-theme.css',
];

interface Measure {
  path: string;
  box: string;
  styles: string;
}

/** Every element in the widget's shadow trees: where it is, its box, and its computed text styles. */
function measure(widget: JivoWidget): Measure[] {
  const out: Measure[] = [];
  const visit = (root: ShadowRoot, path: string) => {
    root.querySelectorAll('*').forEach((element, index) => {
      if (element instanceof HTMLStyleElement) return;
      const here = `${path} > ${element.localName}${element.className && typeof element.className === 'string' ? `.${element.className.trim().replace(/\s+/g, '.')}` : ''}#${index}`;
      const r = element.getBoundingClientRect();
      const style = getComputedStyle(element);
      out.push({
        path: here,
        box: [r.x, r.y, r.width, r.height].map((v) => v.toFixed(2)).join(' '),
        styles: TEXT_STYLES.map((name) => `${name}: ${style.getPropertyValue(name)}`).join('; '),
      });
      if (element.shadowRoot) visit(element.shadowRoot, here);
    });
  };
  visit(widget.shadowRoot!, 'jivo-widget');
  return out;
}

/** The differences between two measures, for a readable failure. */
function differences(clean: Measure[], themed: Measure[]): string[] {
  const diffs: string[] = [];
  if (clean.length !== themed.length) diffs.push(`${clean.length} elements on the clean page, ${themed.length} themed`);
  clean.forEach((c, i) => {
    const t = themed[i];
    if (!t) return;
    if (c.box !== t.box) diffs.push(`${c.path}: box ${c.box} became ${t.box}`);
    if (c.styles !== t.styles) {
      const a = c.styles.split('; ');
      const b = t.styles.split('; ');
      diffs.push(
        `${c.path}: ${a.filter((s, j) => s !== b[j]).join('; ')} became ${b.filter((s, j) => s !== a[j]).join('; ')}`,
      );
    }
  });
  return diffs;
}

let sheet: HTMLStyleElement | null = null;
async function applyTheme(css: string | null): Promise<void> {
  sheet?.remove();
  sheet = null;
  if (css !== null) {
    sheet = document.createElement('style');
    sheet.textContent = css;
    document.head.append(sheet);
  }
  await nextFrame();
}

/** The states a visitor meets, each set up on a fresh widget. */
const STATES: Record<string, { attrs?: Record<string, string>; phone?: boolean; setUp?: (el: JivoWidget) => unknown }> =
  {
    closed: {},
    'closed, with unread messages': {
      setUp: (el) => el.store!.receiveMessage({ id: 'a1', seq: 1, from: 'agent', text: 'Hello there', at: 0 }),
    },
    'the open window with a conversation': {
      setUp: async (el) => {
        el.open();
        await settled(el);
        el.store!.receiveMessage({
          id: 'a1',
          seq: 1,
          from: 'agent',
          text: 'How can we help?',
          at: 0,
          agentName: 'Ann',
        });
      },
    },
    'the contacts form': { attrs: { 'contacts-form': 'required' }, setUp: (el) => el.open() },
    'the offline form': { setUp: (el) => (el.open(), el.store!.openOfflineForm()) },
    'the call-back form': { setUp: (el) => (el.store!.setCallbackEnabled(true), el.open({ start: 'call' })) },
    'the channel menu on a phone': {
      phone: true,
      setUp: (el) => (el.store!.setCallbackEnabled(true), el.open({ start: 'menu' })),
    },
  };

describe('the widget under hostile host themes', function () {
  this.timeout(60000);
  const themes: [string, () => Promise<string>][] = [
    ...Object.entries(RULES).map(([name, css]) => [name, async () => css] as [string, () => Promise<string>]),
    ...SHEETS.map(
      (file) =>
        [file, () => fetch(`/test/fixtures/themes/${file}`).then((r) => r.text())] as [string, () => Promise<string>],
    ),
  ];

  afterEach(async () => {
    await applyTheme(null);
    fixtureCleanup();
    clearStored('theme');
    await setViewport({ width: 800, height: 700 });
  });

  for (const [state, { attrs, phone, setUp }] of Object.entries(STATES)) {
    it(`${state}: every part has the same box and text styles as on a clean page, under every theme`, async () => {
      await setViewport(phone ? { width: 375, height: 700 } : { width: 800, height: 700 });
      const el = await mountWidget('theme', attrs);
      await setUp?.(el);
      await settled(el);
      await aTimeout(300); // transitions and the window's entrance
      const clean = measure(el);
      expect(clean.length).to.be.greaterThan(3);
      const failures: string[] = [];
      for (const [name, css] of themes) {
        await applyTheme(await css());
        const diffs = differences(clean, measure(el));
        if (diffs.length) failures.push(`${name}:\n  ${diffs.slice(0, 8).join('\n  ')}`);
        await applyTheme(null);
      }
      expect(failures, failures.join('\n')).to.deep.equal([]);
    });
  }

  it('keeps inheriting the direction: a right-to-left page stays right-to-left in the widget', async () => {
    const el = await mountWidget('theme');
    await applyTheme('html { direction: rtl; }');
    const button = el.shadowRoot!.querySelector('jivo-launcher')!.shadowRoot!.querySelector('button')!;
    expect(getComputedStyle(button).direction).to.equal('rtl');
  });

  it('sizes nothing in rem: no stylesheet of the widget uses the page root font size', async () => {
    const el = await mountWidget('theme');
    el.store!.setCallbackEnabled(true);
    el.open();
    await settled(el);
    el.store!.openOfflineForm();
    await settled(el);
    const texts: string[] = [];
    const visit = (root: ShadowRoot) => {
      for (const s of root.adoptedStyleSheets) texts.push([...s.cssRules].map((r) => r.cssText).join('\n'));
      root.querySelectorAll('*').forEach((e) => e.shadowRoot && visit(e.shadowRoot));
    };
    visit(el.shadowRoot!);
    expect(texts.length).to.be.greaterThan(5);
    expect(texts.join('\n').match(/[\d.]rem\b/g)).to.equal(null);
  });
});
