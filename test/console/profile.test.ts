import { expect, fixture, fixtureCleanup, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../console/index.js';
import type { JivoAgentConsole } from '../../console/agent-console.js';
import { backend, signIn, type BackendInfo } from '../helpers/agent-client.js';

// The agent sets their photo in the console, against the real reference backend: the server refuses anything but an
// https address (the console shows why), keeps a good one with the account, and the console shows it.

describe('<jivo-agent-console> Your photo', function () {
  this.timeout(15000);
  let info: BackendInfo;

  before(async () => {
    info = await backend.info();
    if (!info.running) info = await backend.start();
  });

  afterEach(() => fixtureCleanup());

  it('refuses an address that is not https, saves one that is, and removes it, all by keyboard', async () => {
    const name = `Photographer ${Date.now().toString(36)}`;
    await signIn(info.agentUrl, name);
    const el = await fixture<JivoAgentConsole>(
      html`<jivo-agent-console endpoint=${info.agentUrl}></jivo-agent-console>`,
    );
    await waitUntil(() => el.store.state.connection === 'open', 'the console is connected');
    const root = el.shadowRoot!;
    const summary = root.querySelector<HTMLElement>('details.profile summary')!;
    expect(summary.textContent!.trim()).to.equal('Your photo');
    summary.focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    const input = root.querySelector<HTMLInputElement>('#photo')!;
    expect(root.querySelector('label[for="photo"]')!.textContent).to.equal('Photo address (https)');
    await expect(el).to.be.accessible();

    input.focus();
    await sendKeys({ type: 'http://cdn.example/me.png' });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => root.querySelector('[role="alert"]'), 'the refusal is shown');
    expect(root.querySelector('[role="alert"]')!.textContent).to.contain('photo must be an https address');
    expect(el.store.state.photo).to.equal(null);

    input.value = '';
    input.focus();
    await sendKeys({ type: 'https://cdn.example/me.png' });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => el.store.state.photo === 'https://cdn.example/me.png', 'saved');
    await el.updateComplete;
    expect(root.querySelector('img.own-photo')!.getAttribute('src')).to.equal('https://cdn.example/me.png');

    // Kept with the account: a new console of the same agent starts with it.
    fixtureCleanup();
    const again = await fixture<JivoAgentConsole>(
      html`<jivo-agent-console endpoint=${info.agentUrl}></jivo-agent-console>`,
    );
    await waitUntil(() => again.store.state.connection === 'open', 'connected again');
    expect(again.store.state.photo).to.equal('https://cdn.example/me.png');
    const field = again.shadowRoot!.querySelector<HTMLInputElement>('#photo')!;
    field.value = '';
    again.shadowRoot!.querySelector<HTMLButtonElement>('details.profile button[type="submit"]')!.click();
    await waitUntil(() => again.store.state.photo === null, 'removed');
  });
});
