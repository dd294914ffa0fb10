import { aTimeout, expect, fixture, fixtureCleanup, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { JivoAgentConsole } from '../../console/agent-console.js';
import { backend, type BackendInfo } from '../helpers/agent-client.js';
import {
  account,
  chatOf,
  consoleButton,
  focused,
  mountConsole,
  signOut,
  VisitorSocket,
} from '../helpers/console-page.js';
import { shiftTab } from '../helpers/widget-page.js';

// The agent console with the keyboard alone: where focus goes when the screen changes under it, and whether the
// focus ring of every stop is drawn whole (a scrolling box clips what is drawn outside it).

const describe_ = (e: Element) =>
  `${e.localName}${e.id ? `#${e.id}` : ''}${typeof e.className === 'string' && e.className ? `.${e.className.trim().split(/\s+/).join('.')}` : ''} "${(e.getAttribute('aria-label') ?? e.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 24)}"`;

/** The sides of `target`'s focus outline that a clipping ancestor (overflow other than visible) cuts off. */
function clippedSides(target: Element): string[] {
  const style = getComputedStyle(target);
  if (style.outlineStyle === 'none' || parseFloat(style.outlineWidth) === 0) return ['no outline'];
  const reach = parseFloat(style.outlineOffset) + parseFloat(style.outlineWidth);
  const r = target.getBoundingClientRect();
  const ring = { left: r.left - reach, top: r.top - reach, right: r.right + reach, bottom: r.bottom + reach };
  const sides = new Set<string>();
  const up = (e: Element) => e.parentElement ?? ((e.getRootNode() as ShadowRoot).host || null);
  for (let a = up(target); a; a = up(a)) {
    const s = getComputedStyle(a);
    if (s.overflowX === 'visible' && s.overflowY === 'visible') continue;
    const b = a.getBoundingClientRect();
    const left = b.left + a.clientLeft;
    const top = b.top + a.clientTop;
    if (ring.left < left - 0.5) sides.add('left');
    if (ring.top < top - 0.5) sides.add('top');
    if (ring.right > left + a.clientWidth + 0.5) sides.add('right');
    if (ring.bottom > top + a.clientHeight + 0.5) sides.add('bottom');
  }
  return [...sides];
}

describe('<jivo-agent-console> with the keyboard', function () {
  this.timeout(30000);
  let info: BackendInfo;
  const visitors: VisitorSocket[] = [];

  before(async () => {
    info = await backend.info();
    if (!info.running) info = await backend.start();
  });

  afterEach(() => {
    fixtureCleanup();
    for (const v of visitors.splice(0)) v.close();
  });

  it('signing in puts the focus on Online, signing out on Login', async () => {
    await signOut(info);
    const { login, password } = await account('Keys Kim');
    const el = await fixture<JivoAgentConsole>(
      html`<jivo-agent-console endpoint=${info.agentUrl}></jivo-agent-console>`,
    );
    await waitUntil(() => el.store.state.auth === 'signed-out', 'the sign-in form shows');
    await el.updateComplete;
    await expect(el).to.be.accessible();
    el.shadowRoot!.querySelector<HTMLInputElement>('#login')!.focus();
    await sendKeys({ type: login });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ type: password });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => el.store.state.connection === 'open', 'signed in and connected');
    await el.updateComplete;
    await aTimeout(50);
    const after = focused(el);
    expect(after && describe_(after), 'focus after Sign in').to.equal('button#online "Online"');
    await expect(el).to.be.accessible();

    await sendKeys({ press: 'Enter' });
    await waitUntil(() => el.store.state.online, 'Enter on the focused button goes online');
    consoleButton(el, 'Sign out')!.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => el.store.state.auth === 'signed-out', 'signed out');
    await el.updateComplete;
    await aTimeout(50);
    expect(focused(el)?.id, 'focus after Sign out').to.equal('login');
  });

  it('draws every focus ring whole, in the visitor list, the conversation and the rest', async () => {
    const el = await mountConsole(info, 'Keys Kai', { online: true });
    for (const name of ['ring-a', 'ring-b']) {
      const v = await VisitorSocket.open(info.visitorUrl, `${name}-${Date.now().toString(36)}`);
      visitors.push(v);
      v.say('Hello');
      await chatOf(el, v.widgetId);
    }
    await el.updateComplete;

    // From the tab row (Sites is its last) into the list: the first visitors, then open one with Enter.
    consoleButton(el, 'Sites')!.focus();
    const cut: string[] = [];
    const check = () => {
      const f = focused(el);
      if (!f) return;
      const sides = clippedSides(f);
      if (sides.length) cut.push(`${describe_(f)}: ${sides.join('+')}`);
    };
    await sendKeys({ press: 'Tab' });
    check();
    expect(focused(el)?.classList.contains('chat-item'), 'Tab goes on to the visitor list').to.equal(true);
    await sendKeys({ press: 'Tab' });
    check();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => focused(el)?.id === 'reply', 'Enter opens the chat and focus goes to the reply');
    await shiftTab();
    check();
    expect(focused(el)?.getAttribute('role'), 'Shift+Tab from the reply reaches the log').to.equal('log');
    await expect(el).to.be.accessible();

    // Every other stop, from the top.
    consoleButton(el, 'Online')!.focus();
    check();
    const stops = new Set<Element>();
    for (let i = 0; i < 120 && focused(el); i++) {
      stops.add(focused(el)!);
      await sendKeys({ press: 'Tab' });
      check();
    }
    expect(stops.size, 'the stops from Online to the end of the console').to.be.greaterThan(10);
    expect(cut).to.deep.equal([]);
  });
});
