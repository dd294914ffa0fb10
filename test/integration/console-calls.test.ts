import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../src/jivo-widget.js';
import '../../console/index.js';
import type { JivoAgentConsole } from '../../console/agent-console.js';
import { signIn, useBackend } from '../helpers/agent-client.js';

// The agent console's call backs, clicked through as an agent would, against the reference backend and a real widget.

const it_ = useBackend('it-console-call-');

const buttonsOf = (root: ParentNode) => [...root.querySelectorAll('button')];
const byText = (root: ParentNode, text: string | RegExp) => {
  const found = buttonsOf(root).find((b) =>
    typeof text === 'string' ? b.textContent!.trim() === text : text.test(b.textContent!),
  );
  if (!found)
    throw new Error(
      `no button ${text}; there are ${buttonsOf(root)
        .map((b) => b.textContent!.trim())
        .join(' | ')}`,
    );
  return found;
};

describe('the agent console handles call backs', function () {
  this.timeout(30000);

  afterEach(() => {
    delete window.jivo_onCallEnd;
  });

  it('shows the request (number, visitor, page) and moves it on: Connected, then Failed with the chosen reason', async () => {
    await signIn(it_.info().agentUrl, 'Console Agent');
    const agentConsole = await fixture<JivoAgentConsole>(
      html`<jivo-agent-console endpoint=${it_.info().agentUrl}></jivo-agent-console>`,
    );
    const root = agentConsole.shadowRoot!;
    await waitUntil(() => agentConsole.store.state.connection === 'open', 'the console connects');
    byText(root, 'Online').click();
    await waitUntil(() => agentConsole.store.state.online, 'the agent is online');

    const el = await it_.mount(it_.uniqueId());
    await waitUntil(() => el.store!.state.callbackEnabled === true, 'the widget offers call backs', { timeout: 8000 });
    let res: unknown;
    window.jivo_onCallEnd = (r) => (res = r);
    expect(window.jivo_api!.startCall('+1 408 498 7855')).to.deep.equal({ result: 'ok' });

    await waitUntil(
      () => agentConsole.store.state.calls.some((c) => c.widgetId === el.widgetId),
      'the console has the request',
    );
    byText(root, /^\s*Call backs \(\d+ active\)\s*$/).click();
    await agentConsole.updateComplete;
    const item = () => [...root.querySelectorAll('li.call')].find((li) => li.textContent!.includes(el.widgetId!))!;
    expect(item().querySelector('a')!.getAttribute('href')).to.equal('tel:+14084987855');
    expect(item().textContent).to.contain('Waiting for a call');
    expect(item().textContent).to.contain(location.origin + location.pathname);
    expect(buttonsOf(item()).map((b) => b.textContent!.trim())).to.include.members(['Connected', 'Failed']);
    expect(buttonsOf(item()).map((b) => b.textContent!.trim())).not.to.include('Finished');

    byText(item(), 'Connected').click();
    await waitUntil(() => el.store!.state.call?.status === 'connected', 'the widget hears "connected"');
    await agentConsole.updateComplete;
    expect(item().textContent).to.contain('Console Agent');
    expect(buttonsOf(item()).map((b) => b.textContent!.trim())).to.include.members(['Finished', 'Failed']);

    const reason = item().querySelector('select')!;
    expect(reason.labels![0].textContent!.trim()).to.equal('Reason');
    reason.value = 'Busy';
    byText(item(), 'Failed').click();
    await waitUntil(() => res !== undefined, 'jivo_onCallEnd');
    expect(res).to.deep.equal({ result: 'fail', reason: 'Busy' });
    await agentConsole.updateComplete;
    expect(item().textContent).to.contain('Failed: Busy');
    expect(item().querySelector('select'), 'nothing more to do with it').to.equal(null);
    await expect(item()).to.be.accessible();
  });
});
