import { expect, waitUntil } from '@open-wc/testing';
import type { JivoApi } from '../../src/api/types.js';
import type { JivoWidget } from '../../src/components/widget/widget.js';
import { useBackend } from '../helpers/agent-client.js';
import { visible } from '../helpers/visible.js';

/**
 * The browser half of server rendering (test/package/ssr.test.mjs is the server half): a page whose <jivo-widget> Lit
 * SSR rendered to declarative shadow DOM (test/fixtures/ssr-render.mjs, served by the test runner), loading
 * @lit-labs/ssr-client's hydrate support and then the widget, as an app's client bundle does. Hydration must keep the
 * server's nodes and change none of them, log nothing, and leave a widget that works: open, send, an agent receives.
 */

interface SsrPage extends Window {
  calls: string[];
  errors: string[];
  warnings: string[];
  jivo_api: JivoApi;
  ssr: { root: Element; launcher: Element; button: Element; buttonHtml: string; mutations: string[]; stop(): void };
}

const it_ = useBackend('ssr-');
const frames: HTMLIFrameElement[] = [];

async function openPage(attrs: Record<string, string>): Promise<{ page: SsrPage; widget: JivoWidget }> {
  const frame = document.createElement('iframe');
  frame.style.cssText = 'width: 800px; height: 700px; border: 0;';
  frame.src = `/test/fixtures/ssr-page.html?attrs=${encodeURIComponent(JSON.stringify(attrs))}`;
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  document.body.append(frame);
  frames.push(frame);
  await loaded;
  const page = frame.contentWindow as SsrPage;
  await waitUntil(() => page.calls.includes('load') || page.errors.length, 'the widget loaded', { timeout: 10000 });
  expect(page.errors).to.deep.equal([]);
  const widget = frame.contentDocument!.querySelector('jivo-widget') as JivoWidget;
  await widget.updateComplete;
  return { page, widget };
}

const launcherButton = (widget: JivoWidget) =>
  widget.shadowRoot!.querySelector('jivo-launcher')?.shadowRoot!.querySelector('button') ?? null;

describe('a server-rendered widget in the browser', function () {
  this.timeout(30000);

  afterEach(() => frames.splice(0).forEach((frame) => frame.remove()));

  it('hydrates without an error and without touching what the server rendered, then chats with an agent', async () => {
    const agent = await it_.agent();
    const id = it_.uniqueId();
    const { page, widget } = await openPage({ 'widget-id': id, endpoint: it_.info().visitorUrl, color: '#d72a5b' });
    const root = widget.shadowRoot!;
    await waitUntil(
      () => root.querySelector('jivo-chat-window'),
      'the window is prepared, hidden, once the page is idle',
    );
    page.ssr.stop();

    // The very nodes the server sent, unchanged: hydration adopted them instead of rendering again.
    expect(root.querySelector('.root')).to.equal(page.ssr.root);
    expect(root.querySelector('jivo-launcher')).to.equal(page.ssr.launcher);
    expect(launcherButton(widget)).to.equal(page.ssr.button);
    expect(launcherButton(widget)!.outerHTML).to.equal(page.ssr.buttonHtml);
    // Nothing changed but the two things added: the widget's status region for screen readers, and the chat window,
    // hidden until it opens.
    expect([...page.ssr.mutations].sort()).to.deep.equal([
      'childList on DIV +DIV[role=status] -',
      'childList on DIV +JIVO-CHAT-WINDOW -',
    ]);
    expect(page.ssr.launcher.hasAttribute('defer-hydration')).to.equal(false);
    expect(page.errors).to.deep.equal([]);
    expect(page.warnings).to.deep.equal([]);
    // The colour attribute, which the server cannot apply (it goes through the CSSOM, for strict CSPs), is there now.
    expect(getComputedStyle(launcherButton(widget)!).backgroundColor).to.equal('rgb(215, 42, 91)');

    // It works: the launcher opens the window, the visitor writes, the agent receives it.
    launcherButton(widget)!.click();
    await waitUntil(() => page.calls.includes('open'), 'the window opened');
    await widget.updateComplete;
    const chatWindow = root.querySelector('jivo-chat-window')!;
    await chatWindow.updateComplete;
    const composer = chatWindow.shadowRoot!.querySelector('jivo-composer')!;
    await composer.updateComplete;
    const input = composer.shadowRoot!.querySelector('textarea')!;
    input.value = 'Hello from a server-rendered page';
    input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
    const visitor = await agent.visitorOf(id);
    await agent.waitForText(visitor, 'Hello from a server-rendered page');
    expect(page.errors).to.deep.equal([]);
  });

  it("a returning visitor's open window: hydration finds the server's launcher, then the window opens", async () => {
    const id = it_.uniqueId();
    const first = await openPage({ 'widget-id': id });
    expect(first.page.jivo_api.open().result).to.equal('ok');
    await waitUntil(() => first.page.calls.includes('open'), 'the window opened');
    frames.splice(0).forEach((frame) => frame.remove());

    // The server knows nothing of the browser's storage, so it renders the launcher again; the browser then restores.
    const { page, widget } = await openPage({ 'widget-id': id });
    await waitUntil(() => visible(widget.shadowRoot!.querySelector('jivo-chat-window')), 'the window is open again');
    expect(widget.shadowRoot!.querySelector('jivo-launcher')).to.equal(null);
    expect(page.errors).to.deep.equal([]);
    expect(page.warnings).to.deep.equal([]);
  });

  it('launcher="none" renders no launcher on the server, and the site\'s button opens the chat', async () => {
    const { page, widget } = await openPage({ 'widget-id': it_.uniqueId(), launcher: 'none' });
    expect(widget.shadowRoot!.querySelector('.root')).to.equal(page.ssr.root);
    expect(widget.shadowRoot!.querySelector('jivo-launcher')).to.equal(null);
    widget.open();
    await waitUntil(() => page.calls.includes('open'), 'the window opened');
    expect(page.errors).to.deep.equal([]);
  });
});
