import { aTimeout, expect, waitUntil } from '@open-wc/testing';
import type { JivoWidget } from '../../src/components/widget/widget.js';

/**
 * The built bundles under Trusted Types, on pages served with a real Content-Security-Policy header (the test runner
 * sets it from the query string, see web-test-runner.config.mjs). Lit, inside each bundle, creates the Trusted Types
 * policy `lit-html` as it loads: where the page's policy allows it, the widget works as anywhere else; where it
 * refuses it, the widget cannot render, but `jivo_api` is still there and answers every call with the reason, the
 * page's queued calls get that answer, nothing throws into the page, and the console says which line the site's policy
 * needs. The pages are test/fixtures/bundle-*.html with test/fixtures/site-page.js; `npm test` builds dist/ first.
 */

interface PageWindow extends Window {
  calls: string[];
  errors: string[];
  warnings: string[];
  violations: string[];
}

const REASON = "The widget could not start under this page's Trusted Types policy";
const REFUSED = { result: 'fail', reason: REASON };
const TT = "require-trusted-types-for 'script'";

const BUNDLES = [
  ['module bundle', 'bundle-module.html'],
  ['classic script', 'bundle-classic.html'],
] as const;

const frames: HTMLIFrameElement[] = [];
const ids: string[] = [];
let counter = 0;

async function openPage(page: string, csp: string, sitePolicy = false): Promise<PageWindow> {
  const id = `tt-${Date.now().toString(36)}-${++counter}`;
  ids.push(id);
  const query = new URLSearchParams({ id, csp });
  if (sitePolicy) query.set('site-policy', '');
  const frame = document.createElement('iframe');
  frame.style.cssText = 'width: 800px; height: 700px; border: 0;';
  frame.src = `/test/fixtures/${page}?${query}`;
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  document.body.append(frame);
  frames.push(frame);
  await loaded;
  return frame.contentWindow as PageWindow;
}

const widgetOf = (w: PageWindow) => w.document.querySelector('jivo-widget') as JivoWidget;

describe('the built bundles under Trusted Types (a Content-Security-Policy header)', function () {
  this.timeout(20000);

  afterEach(() => {
    frames.splice(0).forEach((frame) => frame.remove());
    for (const id of ids.splice(0))
      for (const key of Object.keys(localStorage))
        if (key.startsWith(`jivo-widget:${id}:`)) localStorage.removeItem(key);
  });

  for (const [bundle, page] of BUNDLES) {
    describe(`the ${bundle}`, () => {
      const refusing = [
        [`${TT}; trusted-types 'none'`, 'a policy that allows no Trusted Types policy at all', false],
        [
          `${TT}; trusted-types lit-html site`,
          'a page that made its own lit-html policy, without allow-duplicates',
          true,
        ],
      ] as const;
      for (const [csp, what, sitePolicy] of refusing) {
        it(`${what}: jivo_api answers with the reason, queued calls too, nothing throws, the console names the CSP line`, async () => {
          const w = await openPage(page, csp, sitePolicy);
          await waitUntil(() => w.calls.length > 0, 'the queued call was not answered', { timeout: 8000 });
          // Time for anything that would go wrong later (a render, a lazy chunk) to do so.
          await aTimeout(300);
          expect(w.calls).to.deep.equal([`queued open: ${JSON.stringify(REFUSED)}`]);
          expect(w.errors, 'nothing thrown into the page').to.deep.equal([]);
          expect(w.customElements.get('jivo-widget')).to.equal(undefined);
          const api = w.jivo_api!;
          expect(api.open()).to.deep.equal(REFUSED);
          expect(api.setContactInfo({ name: 'Ann' })).to.deep.equal(REFUSED);
          expect(api.sendOfflineMessage({ message: 'Hi', email: 'a@b.example' })).to.deep.equal({
            result: 'fail',
            error: REASON,
          });
          expect(api.chatMode().result).to.equal('offline');
          expect(api.getUnreadMessagesCount()).to.equal(0);
          expect(w.jivo_init!()).to.deep.equal(REFUSED);
          expect(api.jivoDestroy()).to.deep.equal(REFUSED);
          const number = await new Promise((resolve) => api.getVisitorNumber((error) => resolve(error)));
          expect(number).to.equal(REASON);
          const warning = w.warnings.find((m) => m.includes('jivo-widget'));
          expect(warning).to.contain(REASON);
          expect(warning).to.contain("trusted-types lit-html 'allow-duplicates'");
          // The only violation is the browser's report of the refused policy name.
          expect(w.violations.length).to.be.greaterThan(0);
          for (const violation of w.violations) expect(violation).to.match(/^trusted-types /);
          expect(w.errors).to.deep.equal([]);
        });
      }

      const allowing = [
        [`${TT}; trusted-types lit-html`, 'a policy that allows lit-html', false],
        [TT, 'Trusted Types required, any policy name allowed', false],
        [
          `${TT}; trusted-types lit-html site 'allow-duplicates'`,
          "a page with its own lit-html policy and 'allow-duplicates'",
          true,
        ],
      ] as const;
      for (const [csp, what, sitePolicy] of allowing) {
        it(`${what}: the widget loads, opens the chat and renders it, without a violation`, async () => {
          const w = await openPage(page, csp, sitePolicy);
          await waitUntil(() => w.calls.includes('load'), 'the widget did not load', { timeout: 8000 });
          expect(w.calls).to.deep.equal(['queued open: {"result":"ok"}', 'load']);
          const widget = widgetOf(w);
          await waitUntil(
            () =>
              widget
                .shadowRoot!.querySelector('jivo-chat-window')
                ?.shadowRoot?.querySelector('jivo-composer')
                ?.shadowRoot?.querySelector('textarea'),
            'the chat window did not render',
            { timeout: 8000 },
          );
          expect(w.jivo_api!.close()).to.deep.equal({ result: 'ok' });
          await widget.updateComplete;
          expect(widget.shadowRoot!.querySelector('jivo-launcher')).to.exist;
          expect(w.violations).to.deep.equal([]);
          expect(w.errors).to.deep.equal([]);
          expect(w.warnings.filter((m) => m.includes('Trusted Types'))).to.deep.equal([]);
          // The page does enforce Trusted Types: a plain string into an HTML sink is refused.
          expect(() => (w.document.createElement('div').innerHTML = '<b>text</b>')).to.throw(/TrustedHTML/);
        });
      }
    });
  }

  it("both bundles on one page under trusted-types lit-html: the first runs the widget, the second's Lit stays out of the way", async () => {
    const w = await openPage('bundle-both.html', `${TT}; trusted-types lit-html`);
    await waitUntil(() => w.calls.includes('load'), 'the widget did not load', { timeout: 8000 });
    await aTimeout(300);
    expect(w.calls).to.deep.equal(['queued open: {"result":"ok"}', 'load']);
    expect(w.jivo_api!.close()).to.deep.equal({ result: 'ok' });
    expect(w.errors).to.deep.equal([]);
    expect(w.warnings.filter((m) => m.includes('Trusted Types'))).to.deep.equal([]);
    // The browser still reports the second copy's refused policy name to the site.
    for (const violation of w.violations) expect(violation).to.match(/^trusted-types /);
  });
});
