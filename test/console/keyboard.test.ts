import { aTimeout, expect, fixture, fixtureCleanup, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { JivoAgentConsole } from '../../console/agent-console.js';
import { backend, type BackendInfo } from '../helpers/agent-client.js';
import { account, consoleButton, focused, signOut, VisitorSocket } from '../helpers/console-page.js';

// The agent console with the keyboard alone: where focus goes when the screen changes under it.

const describe_ = (e: Element) =>
  `${e.localName}${e.id ? `#${e.id}` : ''}${typeof e.className === 'string' && e.className ? `.${e.className.trim().split(/\s+/).join('.')}` : ''} "${(e.getAttribute('aria-label') ?? e.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 24)}"`;

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
});
