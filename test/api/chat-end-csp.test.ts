import { expect, waitUntil } from '@open-wc/testing';
import type { JivoWidget } from '../../src/components/widget/widget.js';
import { FakeTransport } from '../helpers/fake-transport.js';

/**
 * The end of a chat under a strict Content-Security-Policy header (as the demo server sends, with Trusted Types): the
 * built module bundle on test/fixtures/bundle-module.html, connected to a transport the test plays. The rating panel
 * renders, the rating goes out, and the transcript is made in the page and handed to a download from a `blob:` URL,
 * with no violation reported. `npm test` builds dist/ first.
 */

interface PageWindow extends Window {
  calls: string[];
  errors: string[];
  violations: string[];
}

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "require-trusted-types-for 'script'",
  'trusted-types lit-html',
].join('; ');

describe('ending a chat under a strict CSP (the built bundle)', function () {
  this.timeout(20000);
  let frame: HTMLIFrameElement | undefined;
  const id = `csp-end-${Date.now().toString(36)}`;

  afterEach(() => {
    frame?.remove();
    for (const key of Object.keys(localStorage)) if (key.startsWith(`jivo-widget:${id}:`)) localStorage.removeItem(key);
  });

  it('rates the chat and saves the transcript with no violation', async () => {
    frame = document.createElement('iframe');
    frame.style.cssText = 'width: 800px; height: 700px; border: 0;';
    frame.src = `/test/fixtures/bundle-module.html?${new URLSearchParams({ id, csp: CSP })}`;
    const loaded = new Promise((resolve) => frame!.addEventListener('load', resolve, { once: true }));
    document.body.append(frame);
    await loaded;
    const w = frame.contentWindow as PageWindow & typeof globalThis;
    await waitUntil(() => w.calls.includes('load'), 'the widget loads', { timeout: 8000 });
    const widget = w.document.querySelector('jivo-widget') as JivoWidget;
    const transport = new FakeTransport();
    widget.transport = transport;
    await waitUntil(() => transport.connects > 0, 'the widget connects');
    transport.open();
    const at = Date.now();
    transport.welcome({
      agent: null,
      messages: [
        { id: 'm1', seq: 1, from: 'visitor', text: 'Do you ship to Norway?', at },
        { id: 'a1', seq: 2, from: 'agent', text: 'We do.', at: at + 1000, agentName: 'Alice' },
      ],
      readSeq: 2,
      ended: { chat: 1, seq: 2, by: 'agent', rating: null },
    });
    const end = () =>
      widget.shadowRoot!.querySelector('jivo-chat-window')?.shadowRoot?.querySelector('jivo-chat-end')?.shadowRoot;
    const button = (name: string) =>
      [...(end()?.querySelectorAll('button') ?? [])].find((b) => b.textContent!.trim() === name);
    await waitUntil(() => button('Good'), 'the rating form renders', { timeout: 8000 });
    button('Good')!.click();
    await waitUntil(() => button('Good')!.getAttribute('aria-pressed') === 'true', 'chosen');
    button('Send rating')!.click();
    await waitUntil(() => transport.ofType('rating').length === 1, 'the rating goes out');
    expect(transport.ofType('rating')[0]).to.deep.equal({ type: 'rating', chat: 1, rate: 'good', comment: '' });
    transport.receive({
      type: 'chat_ended',
      ended: { chat: 1, seq: 2, by: 'agent', rating: { rate: 'good', comment: '' } },
    });

    // The transcript: a Blob made in the page, downloaded through a link to its blob: URL.
    const blobs: Blob[] = [];
    const links: HTMLAnchorElement[] = [];
    const create = w.URL.createObjectURL;
    const click = w.HTMLAnchorElement.prototype.click;
    w.URL.createObjectURL = (blob: Blob) => (blobs.push(blob), create.call(w.URL, blob));
    w.HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      links.push(this);
    };
    try {
      await waitUntil(() => button('Save transcript'), 'the thanks panel');
      button('Save transcript')!.click();
    } finally {
      w.URL.createObjectURL = create;
      w.HTMLAnchorElement.prototype.click = click;
    }
    expect(links).to.have.length(1);
    expect(links[0].href).to.match(/^blob:/);
    expect(blobs[0].type).to.equal('text/plain;charset=utf-8');
    const text = await blobs[0].text();
    expect(text).to.contain('You: Do you ship to Norway?');
    expect(text).to.contain('Alice: We do.');
    expect(w.violations, 'no CSP or Trusted Types violation').to.deep.equal([]);
    expect(w.errors).to.deep.equal([]);
  });
});
