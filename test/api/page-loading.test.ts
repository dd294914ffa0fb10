import { aTimeout, expect, nextFrame, waitUntil } from '@open-wc/testing';
import type { JivoApi } from '../../src/api/types.js';
import type { JivoWidget } from '../../src/components/widget/widget.js';
import { visible } from '../helpers/visible.js';

/**
 * Real pages in iframes, each with its own window, module graph and `jivo_api`: the ways the widget's script meets a
 * page. The pages live in test/fixtures/ (the test runner serves the repository root and compiles `/src/*.ts`), except
 * the strict-CSP page, which is an `srcdoc`: the test runner appends an inline script to every HTML file it serves,
 * and a strict CSP would block that script and report it.
 */

/** What test/fixtures/record-page.js records, plus the page's API. */
interface PageWindow extends Window {
  calls: string[];
  errors: string[];
  warnings: string[];
  violations: string[];
  jivo_api: JivoApi;
}

const frames: HTMLIFrameElement[] = [];
const usedIds = new Set<string>();
let counter = 0;
function uniqueId(): string {
  const id = `page-test-${Date.now().toString(36)}-${++counter}`;
  usedIds.add(id);
  return id;
}

function frameLoaded(frame: HTMLIFrameElement): Promise<void> {
  return new Promise((resolve) => frame.addEventListener('load', () => resolve(), { once: true }));
}

async function openFrame(setup: (frame: HTMLIFrameElement) => void): Promise<HTMLIFrameElement> {
  const frame = document.createElement('iframe');
  frame.style.cssText = 'width: 800px; height: 700px; border: 0;';
  setup(frame);
  const loaded = frameLoaded(frame);
  document.body.append(frame);
  frames.push(frame);
  await loaded;
  return frame;
}

const win = (frame: HTMLIFrameElement) => frame.contentWindow as PageWindow;
const widgetIn = (frame: HTMLIFrameElement) => frame.contentDocument!.querySelector('jivo-widget') as JivoWidget | null;

/** Waits until the page's jivo_onLoadCallback has run. */
async function pageLoaded(frame: HTMLIFrameElement, times = 1): Promise<void> {
  await waitUntil(
    () => win(frame).calls?.filter((c) => c === 'load').length >= times,
    'jivo_onLoadCallback did not run',
    { timeout: 8000 },
  );
}

/** What the widget shows, read from its shadow DOM. */
async function shown(frame: HTMLIFrameElement): Promise<'window' | 'launcher' | 'other'> {
  const widget = widgetIn(frame)!;
  await widget.updateComplete;
  const root = widget.shadowRoot!;
  const chat = visible(root.querySelector('jivo-chat-window'));
  if (chat && !root.querySelector('jivo-launcher')) return 'window';
  if (root.querySelector('jivo-launcher') && !chat) return 'launcher';
  return 'other';
}

async function reload(frame: HTMLIFrameElement): Promise<void> {
  const loaded = frameLoaded(frame);
  win(frame).location.reload();
  await loaded;
}

describe('the widget on real pages', function () {
  // Each iframe compiles and loads the whole module graph again.
  this.timeout(20000);

  afterEach(() => {
    frames.splice(0).forEach((frame) => frame.remove());
    for (const id of usedIds) {
      for (const key of Object.keys(localStorage))
        if (key.startsWith(`jivo-widget:${id}:`)) localStorage.removeItem(key);
    }
    usedIds.clear();
  });

  describe('the script loaded twice', () => {
    for (const [page, what] of [
      ['loaded-twice.html', 'from two URLs of the entry module (?copy=1, ?copy=2)'],
      ['loaded-twice-separate.html', 'as two complete copies with separate classes'],
      [
        'bundle-twice.html',
        'as the built module bundle from two URLs (?ver=1, ?ver=2), two copies that share its chunk',
      ],
    ] as const) {
      it(`${what}: no error, one load callback, and the widget works`, async () => {
        const frame = await openFrame((f) => (f.src = `/test/fixtures/${page}?id=${uniqueId()}`));
        await pageLoaded(frame);
        await aTimeout(100);
        const w = win(frame);
        expect(w.errors).to.deep.equal([]);
        expect(w.calls).to.deep.equal(['load']);
        expect(frame.contentDocument!.querySelectorAll('jivo-widget')).to.have.length(1);
        expect(w.jivo_api.open()).to.deep.equal({ result: 'ok' });
        expect(w.calls).to.deep.equal(['load', 'open']);
        expect(await shown(frame)).to.equal('window');
        if (page !== 'loaded-twice.html') {
          // Proof that the second copy really was a second set of classes, which the guarded define skipped.
          expect(w.warnings.join('\n')).to.contain('already defined');
        }
      });
    }
  });

  describe('callbacks defined after the widget tag', () => {
    it('a page defining function jivo_onLoadCallback in a classic script after the tag gets it called once', async () => {
      const frame = await openFrame((f) => (f.src = `/test/fixtures/widget-page.html?id=${uniqueId()}`));
      await pageLoaded(frame);
      await aTimeout(100);
      expect(win(frame).calls).to.deep.equal(['load']);
      expect(win(frame).errors).to.deep.equal([]);
    });

    it('a deferred site script after the widget module defines it: still called once', async () => {
      const frame = await openFrame((f) => (f.src = `/test/fixtures/deferred-callback.html?id=${uniqueId()}`));
      await pageLoaded(frame);
      await aTimeout(100);
      expect(win(frame).calls).to.deep.equal(['load']);
      expect(win(frame).errors).to.deep.equal([]);
    });

    it('also when the widget is upgraded while the page is still being parsed', async () => {
      // The parent writes the page in two parts: the widget's script (async, so it runs at once) and tag, then, once
      // the widget is upgraded and the document is still loading, the script that defines the callback.
      const id = uniqueId();
      const frame = await openFrame(() => {});
      const doc = frame.contentDocument!;
      doc.open();
      doc.write(`<!doctype html><html><head><script src="/test/fixtures/record-page.js"></script>
        <script type="module" async src="/src/jivo-widget.ts"></script></head>
        <body><jivo-widget widget-id="${id}"></jivo-widget>`);
      await waitUntil(() => widgetIn(frame)?.shadowRoot, 'the widget was not upgraded while the page was loading', {
        timeout: 8000,
      });
      await aTimeout(50);
      expect(doc.readyState).to.equal('loading');
      expect(win(frame).calls).to.deep.equal([]);
      doc.write(`<script>function jivo_onLoadCallback() { calls.push('load'); }</script></body></html>`);
      doc.close();
      await pageLoaded(frame);
      await aTimeout(100);
      expect(win(frame).calls).to.deep.equal(['load']);
      expect(win(frame).errors).to.deep.equal([]);
    });
  });

  describe('a reload', () => {
    it('brings the window back open, without jivo_onOpen or jivo_onChangeState; closed stays closed', async () => {
      const id = uniqueId();
      const frame = await openFrame((f) => (f.src = `/test/fixtures/widget-page.html?id=${id}`));
      await pageLoaded(frame);
      expect(await shown(frame)).to.equal('launcher');
      expect(win(frame).jivo_api.open()).to.deep.equal({ result: 'ok' });
      expect(win(frame).calls).to.deep.equal(['load', 'state:chat', 'open']);

      await reload(frame);
      await pageLoaded(frame);
      await aTimeout(150);
      expect(await shown(frame)).to.equal('window');
      expect(win(frame).calls).to.deep.equal(['load']);
      // Already open: opening again fires nothing; closing works.
      expect(win(frame).jivo_api.open()).to.deep.equal({ result: 'ok' });
      expect(win(frame).calls).to.deep.equal(['load']);
      expect(win(frame).jivo_api.close()).to.deep.equal({ result: 'ok' });
      expect(win(frame).calls).to.deep.equal(['load', 'state:label', 'close']);

      await reload(frame);
      await pageLoaded(frame);
      await aTimeout(150);
      expect(await shown(frame)).to.equal('launcher');
      expect(win(frame).calls).to.deep.equal(['load']);
      expect(win(frame).errors).to.deep.equal([]);
    });

    it('keeps a minimized conversation minimized ("chat/min")', async () => {
      const id = uniqueId();
      const frame = await openFrame((f) => (f.src = `/test/fixtures/widget-page.html?id=${id}`));
      await pageLoaded(frame);
      win(frame).jivo_api.open();
      widgetIn(frame)!.store!.sendMessage('Where is my parcel?');
      win(frame).jivo_api.close();
      expect(win(frame).calls).to.deep.equal(['load', 'state:chat', 'open', 'state:chat/min', 'close']);

      await reload(frame);
      await pageLoaded(frame);
      await aTimeout(150);
      expect(await shown(frame)).to.equal('launcher');
      expect(widgetIn(frame)!.store!.state.view).to.equal('chat/min');
      expect(widgetIn(frame)!.store!.state.messages.map((m) => m.text)).to.deep.equal(['Where is my parcel?']);
      expect(win(frame).calls).to.deep.equal(['load']);
    });
  });

  describe('jivo_init on a page without the tag', () => {
    it('creates the widget at the end of <body> and calls jivo_onLoadCallback', async () => {
      const frame = await openFrame((f) => (f.src = `/test/fixtures/no-widget-page.html`));
      await waitUntil(() => typeof win(frame).jivo_init === 'function', 'the script did not load', { timeout: 8000 });
      await aTimeout(100);
      expect(win(frame).calls).to.deep.equal([]);
      expect(win(frame).jivo_api.open()).to.include({ result: 'fail' });

      expect(win(frame).jivo_init!()).to.deep.equal({ result: 'ok' });
      const widget = widgetIn(frame)!;
      expect(widget).to.exist;
      expect(widget.parentElement === frame.contentDocument!.body, 'in <body>').to.equal(true);
      expect(frame.contentDocument!.body.lastElementChild === widget, 'at the end of <body>').to.equal(true);
      await pageLoaded(frame);
      expect(win(frame).jivo_api.open()).to.deep.equal({ result: 'ok' });
      // No widget-id: it keeps its state under "default"; clear that.
      usedIds.add('default');
    });
  });

  describe('setRules before and after load', () => {
    it('fails with a reason while the widget is still loading, and works from jivo_onLoadCallback', async () => {
      const id = uniqueId();
      const rules = JSON.stringify({ version: 1, rules: [] });
      const frame = await openFrame(
        (f) =>
          (f.srcdoc = `<!doctype html><html lang="en"><head>
            <script src="/test/fixtures/record-page.js"></script>
            <script type="module" src="/src/jivo-widget.ts"></script>
            <script type="module">
              window.early = jivo_api.setRules(${rules});
              window.jivo_onLoadCallback = () => { window.late = jivo_api.setRules(${rules}); window.calls.push('load'); };
            </script></head><body><jivo-widget widget-id="${id}"></jivo-widget></body></html>`),
      );
      await pageLoaded(frame);
      const w = win(frame) as PageWindow & { early: unknown; late: unknown };
      expect(w.early).to.deep.equal({
        result: 'fail',
        reason: 'The widget is still loading: call setRules from jivo_onLoadCallback',
      });
      expect(w.late).to.deep.equal({ result: 'ok' });
      expect(w.errors).to.deep.equal([]);
    });
  });

  describe('the rest of the widget (the window chunk: the window, the connection, the API’s bodies)', () => {
    /** A page whose load event waits `ms` for an image (its own: the browser keeps images); it notes when it came. */
    const slowPage = (id: string, ms: number, script = '') =>
      `<!doctype html><html lang="en"><head>
        <script src="/test/fixtures/record-page.js"></script>
        <script>addEventListener('load', () => { window.loadedAt = performance.now(); });
        performance.setResourceTimingBufferSize(5000);
        window.jivo_onLoadCallback = () => window.calls.push('load');</script>
        <script type="module" src="/src/jivo-widget.ts"></script>${script}
        </head><body><jivo-widget widget-id="${id}"></jivo-widget><img alt="" src="/test/fixtures/slow.svg?ms=${ms}&amp;for=${id}"></body></html>`;
    type SlowWindow = PageWindow & { loadedAt?: number; early?: unknown[] };
    /** Opens the page without waiting for its load event. */
    const startFrame = (srcdoc: string) => {
      const frame = document.createElement('iframe');
      frame.srcdoc = srcdoc;
      document.body.append(frame);
      frames.push(frame);
      return frame;
    };
    /** When the page asked for the window chunk (its own clock), if it has. */
    const chunkAskedAt = (frame: HTMLIFrameElement) =>
      win(frame)
        .performance.getEntriesByType('resource')
        .find((e) => /\/window-chunk\.[jt]s/.test(e.name))?.startTime;
    const launcherButton = (frame: HTMLIFrameElement) =>
      widgetIn(frame)?.shadowRoot?.querySelector('jivo-launcher')?.shadowRoot?.querySelector('button');

    it('is fetched once the page has loaded and is idle, not while the page is loading', async () => {
      const frame = startFrame(slowPage(uniqueId(), 3000));
      await waitUntil(() => launcherButton(frame), 'no launcher', { timeout: 8000 });
      const w = win(frame) as SlowWindow;
      expect(w.loadedAt, 'the page is still loading').to.equal(undefined);
      await aTimeout(300);
      expect(chunkAskedAt(frame), 'the chunk while the page loads').to.equal(undefined);
      await pageLoaded(frame);
      expect(chunkAskedAt(frame)).to.be.at.least(w.loadedAt!);
      expect(w.errors).to.deep.equal([]);
    });

    it('is fetched at once when a pointer comes over the launcher, or focus into it', async () => {
      for (const type of ['pointerover', 'focusin']) {
        const frame = startFrame(slowPage(uniqueId(), 3000));
        await waitUntil(() => launcherButton(frame), 'no launcher', { timeout: 8000 });
        const Event = (win(frame) as unknown as typeof window).Event;
        launcherButton(frame)!.dispatchEvent(new Event(type, { bubbles: true, composed: true }));
        await waitUntil(() => chunkAskedAt(frame) !== undefined, `${type}: not fetched`, { timeout: 8000 });
        expect((win(frame) as SlowWindow).loadedAt, `${type}: the page is still loading`).to.equal(undefined);
      }
    });

    it('before it is there, open() opens the window, which shows once it is; other methods say to wait for load', async () => {
      const frame = startFrame(
        slowPage(
          uniqueId(),
          3000,
          `<script type="module">
            window.early = [jivo_api.setContactInfo({ name: 'Ann' }), jivo_api.getContactInfo(), jivo_api.open()];
          </script>`,
        ),
      );
      await waitUntil(() => (win(frame) as SlowWindow).early, 'the page’s script did not run', { timeout: 8000 });
      const w = win(frame) as SlowWindow;
      expect(w.early).to.deep.equal([
        { result: 'fail', reason: 'The widget is still loading: call setContactInfo from jivo_onLoadCallback' },
        { client_name: null, email: null, phone: null, description: null },
        { result: 'ok' },
      ]);
      await waitUntil(
        () =>
          widgetIn(frame)
            ?.shadowRoot?.querySelector('jivo-chat-window')
            ?.shadowRoot?.querySelector('jivo-composer')
            ?.shadowRoot?.querySelector('textarea'),
        'the window did not show',
        { timeout: 8000 },
      );
      expect(w.loadedAt, 'the window shows while the page is still loading').to.equal(undefined);
      expect(w.errors).to.deep.equal([]);
    });
  });

  describe('calls queued before the script has loaded (window.jivo_queue)', () => {
    it('run in order once the widget has loaded, before jivo_onLoadCallback; later pushes run at once', async () => {
      const id = uniqueId();
      const frame = await openFrame(
        (f) =>
          (f.srcdoc = `<!doctype html><html lang="en"><head>
            <script src="/test/fixtures/record-page.js"></script>
            <script>
              // An inline script before the widget's module: jivo_api does not exist yet.
              window.early = typeof window.jivo_api;
              window.jivo_queue = window.jivo_queue || [];
              jivo_queue.push(function (api) {
                window.calls.push('contact set: ' + JSON.stringify(api.setContactInfo({ name: 'Ann', email: 'ann@example.com' })));
              });
              jivo_queue.push(['setCustomData', [{ title: 'Plan', content: 'Gold' }]], ['noSuchMethod', 1]);
              jivo_queue.push(function () { throw new Error('a bug in the page'); });
              jivo_queue.push(function (api) { window.calls.push('contact: ' + api.getContactInfo().client_name); });
              window.jivo_onLoadCallback = function () { window.calls.push('load'); };
            </script>
            <script type="module" src="/src/jivo-widget.ts"></script>
            </head><body><jivo-widget widget-id="${id}"></jivo-widget></body></html>`),
      );
      await pageLoaded(frame);
      const w = win(frame) as PageWindow & { early: string; jivo_queue: { push(...c: unknown[]): number } };
      expect(w.early).to.equal('undefined');
      expect(w.calls).to.deep.equal(['contact set: {"result":"ok"}', 'contact: Ann', 'load']);
      const widget = widgetIn(frame)!;
      expect(widget.store!.state.customData).to.deep.equal([{ title: 'Plan', content: 'Gold' }]);
      expect(w.warnings.some((m) => m.includes('jivo_queue takes a function or [method name, ...arguments]'))).to.equal(
        true,
      );
      expect(w.errors, 'a queued function that throws is caught').to.deep.equal([]);

      w.jivo_queue.push((api: JivoApi) => w.calls.push(`now: ${JSON.stringify(api.open())}`));
      expect(w.calls.at(-1)).to.equal('now: {"result":"ok"}');
    });
  });

  describe('a strict Content-Security-Policy', () => {
    const CSP = "default-src 'self'; script-src 'self'; style-src 'self'";

    function strictPage(body: string, script = '<script type="module" src="/src/jivo-widget.ts"></script>'): string {
      return `<!doctype html><html lang="en"><head><meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="${CSP}">
        <script src="/test/fixtures/record-page.js"></script>
        ${script}
        </head><body>${body}</body></html>`;
    }

    // The built bundles, as a site serves them: the module loads its lazy chunk (the window, the connection) after
    // the launcher shows; the classic script carries everything in one file.
    for (const script of [
      '<script type="module" src="/dist/jivo-widget.js"></script>',
      '<script src="/dist/jivo-widget.iife.js"></script>',
    ]) {
      it(`the built bundle (${script.includes('iife') ? 'classic script' : 'module and its chunk'}) loads, opens the chat and takes a message`, async () => {
        const id = uniqueId();
        const frame = await openFrame(
          (f) => (f.srcdoc = strictPage(`<jivo-widget widget-id="${id}"></jivo-widget>`, script)),
        );
        const w = win(frame);
        await waitUntil(
          () => widgetIn(frame)?.shadowRoot?.querySelector('jivo-launcher'),
          'the widget did not render',
          { timeout: 8000 },
        );
        const widget = widgetIn(frame)!;
        expect(w.jivo_api.open()).to.deep.equal({ result: 'ok' });
        await waitUntil(
          () =>
            widget
              .shadowRoot!.querySelector('jivo-chat-window')
              ?.shadowRoot?.querySelector('jivo-composer')
              ?.shadowRoot?.querySelector('textarea'),
          'the chat window did not render',
          { timeout: 8000 },
        );
        expect(w.violations).to.deep.equal([]);
        expect(w.errors).to.deep.equal([]);
      });
    }

    it('is enforced and reported in these pages (an inline style attribute is caught)', async () => {
      const frame = await openFrame((f) => (f.srcdoc = strictPage('<p style="color: red">inline style</p>')));
      await waitUntil(() => win(frame).violations?.length > 0, 'the CSP violation was not reported');
      expect(win(frame).violations.join('\n')).to.contain('style-src');
    });

    it('the widget renders, opens, shows an invitation and takes a colour without any violation', async () => {
      const id = uniqueId();
      const frame = await openFrame((f) => (f.srcdoc = strictPage(`<jivo-widget widget-id="${id}"></jivo-widget>`)));
      const w = win(frame);
      await waitUntil(() => widgetIn(frame)?.shadowRoot?.querySelector('jivo-launcher'), 'the widget did not render', {
        timeout: 8000,
      });
      const widget = widgetIn(frame)!;
      const settle = async () => {
        await widget.updateComplete;
        await nextFrame();
        await nextFrame();
      };
      await settle();
      expect(w.violations).to.deep.equal([]);
      // The API's bodies come with the rest of the widget, once the page is idle or at the first call (as this one):
      // until then, methods other than open() and close() answer "still loading".
      await waitUntil(() => w.jivo_api.setRules({ version: 1, rules: [] }).result === 'ok', 'still loading', {
        timeout: 8000,
      });

      expect(w.jivo_api.setWidgetColor('#ff8800', '#0088ff')).to.deep.equal({ result: 'ok' });
      await settle();
      const launcher = widget.shadowRoot!.querySelector('jivo-launcher')!;
      const button = launcher.shadowRoot!.querySelector('button')!;
      expect(getComputedStyle(button).backgroundImage).to.contain('rgb(255, 136, 0)');
      expect(w.violations).to.deep.equal([]);

      expect(w.jivo_api.open()).to.deep.equal({ result: 'ok' });
      await settle();
      expect(await shown(frame)).to.equal('window');
      expect(w.jivo_api.showProactiveInvitation('How can I help you?')).to.deep.equal({ result: 'ok' });
      expect(w.jivo_api.close()).to.deep.equal({ result: 'ok' });
      expect(w.jivo_api.open({ start: 'menu' })).to.deep.equal({ result: 'ok' });
      await settle();
      expect(w.jivo_api.open()).to.deep.equal({ result: 'ok' });
      await settle();
      expect(w.violations).to.deep.equal([]);
      expect(w.errors).to.deep.equal([]);
    });
  });
});
