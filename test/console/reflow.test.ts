import { expect, fixture, fixtureCleanup, html, waitUntil } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import type { JivoAgentConsole } from '../../console/agent-console.js';
import { backend, type BackendInfo } from '../helpers/agent-client.js';
import { chatOf, consoleButton, mountConsole, signOut, VisitorSocket } from '../helpers/console-page.js';

// WCAG 1.4.10 Reflow: the agent console in a 320 px wide viewport (400% zoom of a 1280 px screen) scrolls only
// vertically, and every control lies within the width, in every view.

const WIDTH = 320;

/** How the console fits the width: the document's scroll width, controls outside it, and sideways-scrolling boxes. */
function fit(el: JivoAgentConsole) {
  const describe = (e: Element) =>
    `${e.localName}${e.id ? `#${e.id}` : ''}${e.className && typeof e.className === 'string' ? `.${e.className.trim().split(/\s+/).join('.')}` : ''} "${(e.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 30)}"`;
  const outside: string[] = [];
  for (const c of el.shadowRoot!.querySelectorAll('button, a[href], input, select, textarea, [tabindex]')) {
    const r = c.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.left < -0.5 || r.right > WIDTH + 0.5)
      outside.push(`${describe(c)} at x ${Math.round(r.left)}–${Math.round(r.right)}`);
  }
  const sideways: string[] = [];
  for (const e of el.shadowRoot!.querySelectorAll('*')) {
    const overflowX = getComputedStyle(e).overflowX;
    if ((overflowX === 'auto' || overflowX === 'scroll') && e.scrollWidth > e.clientWidth + 1)
      sideways.push(`${describe(e)} ${e.scrollWidth} > ${e.clientWidth}`);
  }
  return { scrollWidth: document.documentElement.scrollWidth, outside, sideways };
}

const fits = { scrollWidth: WIDTH, outside: [], sideways: [] };

/** Less than this much of a scrolling box on screen cannot show one line of it, let alone a control. */
const MIN_PANE = 40;

/** Scrolling boxes that hold a control but are squeezed under MIN_PANE pixels high. */
function squeezed(el: JivoAgentConsole): string[] {
  const found = new Set<string>();
  for (const c of el.shadowRoot!.querySelectorAll('button, a[href], input, select, textarea, [tabindex]')) {
    for (let a = c.parentElement; a; a = a.parentElement) {
      const overflowY = getComputedStyle(a).overflowY;
      if (overflowY !== 'auto' && overflowY !== 'scroll') continue;
      if (a.clientHeight < MIN_PANE) found.add(`${a.localName}.${a.className} ${a.clientHeight} px high`);
      break;
    }
  }
  return [...found];
}

describe('<jivo-agent-console> at 320 px wide', function () {
  this.timeout(20000);
  let info: BackendInfo;
  const visitors: VisitorSocket[] = [];

  before(async () => {
    info = await backend.info();
    if (!info.running) info = await backend.start();
    // As on agent.html: the console fills a page without margins.
    document.body.style.margin = '0';
    await setViewport({ width: WIDTH, height: 568 });
  });

  after(async () => {
    document.body.style.margin = '';
    await setViewport({ width: 800, height: 600 });
  });

  afterEach(() => {
    fixtureCleanup();
    for (const v of visitors.splice(0)) v.close();
  });

  it('the sign-in form fits', async () => {
    await signOut(info);
    const el = await fixture<JivoAgentConsole>(
      html`<jivo-agent-console endpoint=${info.agentUrl}></jivo-agent-console>`,
    );
    await waitUntil(() => el.store.state.auth === 'signed-out', 'the sign-in form shows');
    await el.updateComplete;
    expect(fit(el)).to.deep.equal(fits);
    await expect(el).to.be.accessible();
  });

  it('the visitor list, an open chat, the offline messages and the call backs fit', async () => {
    const el = await mountConsole(info, 'Narrow Nadia', { online: true });
    el.style.height = '100vh';
    const widgetId = `reflow-${Date.now().toString(36)}`;
    const v = await VisitorSocket.open(info.visitorUrl, widgetId, {
      url: `https://shop.example/catalog/outdoor/tents/${'ultralight-'.repeat(8)}two-person?colour=green`,
      title: 'Ultralight two-person tent, green — Outdoor equipment — Shop',
    });
    visitors.push(v);
    v.send({
      type: 'contact',
      name: 'Annabelle Featherstonehaugh',
      email: 'annabelle@example.com',
      phone: '+47 555 01 02',
    });
    v.send({
      type: 'custom_data',
      fields: [{ title: 'Order', key: 'Number', content: '#42', link: 'https://shop.example/orders/42' }],
    });
    v.say('Hello! Does this tent fit two people with their backpacks inside?');
    v.send({
      type: 'offline_message',
      id: `${widgetId}-offline`,
      name: 'Annabelle Featherstonehaugh',
      email: 'annabelle@example.com',
      phone: '',
      description: 'Order 42',
      message: 'Please write back about my order.',
    });
    v.send({ type: 'call_request', id: `${widgetId}-call`, phone: '+14084987855' });
    const chat = await chatOf(el, widgetId);
    await waitUntil(
      () =>
        el.store.state.calls.some((c) => c.visitorId === chat.id) && el.store.state.chats.get(chat.id)!.contact.name,
      'the call and the contact arrive',
    );
    await el.updateComplete;
    expect(fit(el), 'the visitor list').to.deep.equal(fits);
    await expect(el).to.be.accessible();

    consoleButton(el, `Visitor ${chat.number}`)!.click();
    await el.updateComplete;
    consoleButton(el, 'Accept chat')!.click();
    await waitUntil(() => consoleButton(el, 'Finish chat'), 'the chat is taken');
    expect(fit(el), 'an open chat').to.deep.equal(fits);
    await expect(el).to.be.accessible();

    // 400% of a 1280×1024 screen: the console scrolls as one page instead of squeezing its panes to nothing.
    await setViewport({ width: WIDTH, height: 256 });
    await el.updateComplete;
    expect({ ...fit(el), squeezed: squeezed(el) }, 'an open chat at 320×256').to.deep.equal({ ...fits, squeezed: [] });
    await setViewport({ width: WIDTH, height: 568 });

    consoleButton(el, 'Offline messages')!.click();
    await el.updateComplete;
    expect(fit(el), 'the offline messages').to.deep.equal(fits);
    await expect(el).to.be.accessible();

    consoleButton(el, 'Call backs')!.click();
    await el.updateComplete;
    expect(fit(el), 'the call backs').to.deep.equal(fits);
    await expect(el).to.be.accessible();
  });
});
