import { expect, waitUntil } from '@open-wc/testing';
import type { JivoWidget } from '../../src/components/widget/widget.js';
import { ru } from '../../src/i18n/launcher/ru.js';

/**
 * The built script bundles (npm run build) on real pages, in iframes: each fetches the page's language chunk,
 * dist/chunks/lang-<code>-<hash>.js, and no other; an English page fetches none. The classic script finds the chunks
 * beside its own address.
 */

interface PageWindow extends Window {
  calls: string[];
  errors: string[];
}

const frames: HTMLIFrameElement[] = [];
let counter = 0;

async function openPage(bundle: 'module' | 'classic', lang: string): Promise<HTMLIFrameElement> {
  const frame = document.createElement('iframe');
  frame.style.cssText = 'width: 800px; height: 700px; border: 0;';
  frame.src = `/test/fixtures/bundle-language.html?bundle=${bundle}&lang=${lang}&id=bundle-lang-${Date.now()}-${++counter}`;
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  document.body.append(frame);
  frames.push(frame);
  await loaded;
  const win = frame.contentWindow as PageWindow;
  await waitUntil(() => win.calls?.includes('load'), 'jivo_onLoadCallback did not run', { timeout: 8000 });
  return frame;
}

/** The language chunks the page fetched: their codes. */
const languageChunks = (frame: HTMLIFrameElement) =>
  frame
    .contentWindow!.performance.getEntriesByType('resource')
    .map((e) => /\/dist\/chunks\/lang-(\w+)-\w+\.js$/.exec(e.name)?.[1])
    .filter(Boolean);

const widgetIn = (frame: HTMLIFrameElement) => frame.contentDocument!.querySelector('jivo-widget') as JivoWidget;
const windowTitle = (frame: HTMLIFrameElement) =>
  widgetIn(frame)
    .shadowRoot!.querySelector('jivo-chat-window')
    ?.shadowRoot!.querySelector('#title')
    ?.textContent?.trim();

describe('the built bundles’ languages', function () {
  this.timeout(30000);

  afterEach(() => {
    frames.splice(0).forEach((frame) => frame.remove());
    for (const key of Object.keys(localStorage))
      if (key.startsWith('jivo-widget:bundle-lang-')) localStorage.removeItem(key);
  });

  for (const bundle of ['module', 'classic'] as const) {
    describe(`the ${bundle} script`, () => {
      it('fetches the page’s language chunk and no other, and speaks it, window and all', async () => {
        const frame = await openPage(bundle, 'ru-RU');
        const widget = widgetIn(frame);
        const button = () => widget.shadowRoot!.querySelector('jivo-launcher')?.shadowRoot!.querySelector('button');
        // The page's early call (test/fixtures/site-page.js) opened the window.
        await waitUntil(() => windowTitle(frame) === 'Чат', 'the window is not Russian', { timeout: 5000 });
        widget.close();
        await waitUntil(() => [ru.launcherText, ru.launcherTextContinue].includes(button()?.textContent?.trim() ?? ''));
        expect(languageChunks(frame)).to.deep.equal(['ru']);
        expect((frame.contentWindow as PageWindow).errors).to.deep.equal([]);
      });

      it('fetches no language chunk on an English page', async () => {
        const frame = await openPage(bundle, 'en');
        widgetIn(frame).open();
        await waitUntil(() => windowTitle(frame) === 'Chat', 'the window is not English');
        expect(languageChunks(frame)).to.deep.equal([]);
      });
    });
  }
});
