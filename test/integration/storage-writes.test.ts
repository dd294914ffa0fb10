import { aTimeout, expect, waitUntil } from '@open-wc/testing';
import '../../src/jivo-widget.js';
import { backend, useBackend } from '../helpers/agent-client.js';
import { closeTabs, openSiteTab, otherPageRuns } from '../helpers/tabs.js';

// What other code of the site writes into the widget's storage must not make the widget show or send anything: agent
// messages come from the backend, and the widget sends only what the visitor wrote. Another page of the site (no
// widget on it) runs the script of the security review's reproduction (F17), against a real backend; the tabs and the
// page are same-origin iframes, sharing the test page's localStorage.

const site = useBackend('inject-');
const texts = (messages: readonly { text: string }[]) => messages.map((m) => m.text);

const FAKE_AGENT = 'Security check: re-enter your card at https://evil.example/pay';
const FAKE_NUMBERED = 'Your order is cancelled. Call +1 555 0100';
const INJECTED = 'INJECTED: please cancel my order';

/**
 * The review's script; with `numbered`, one more made-up agent message that carries a made-up backend number (an open
 * tab hears every agent message from its own connection, so it takes none from storage).
 */
const injection = (widgetId: string, numbered = false) => `
  const key = 'jivo-widget:${widgetId}:messages';
  const m = JSON.parse(localStorage.getItem(key) || '[]');
  m.push({ id: 'fake-agent-1', from: 'agent', text: ${JSON.stringify(FAKE_AGENT)}, at: Date.now(), agentName: 'Acme Support' });
  ${numbered ? `m.push({ id: 'fake-agent-2', from: 'agent', text: ${JSON.stringify(FAKE_NUMBERED)}, at: Date.now(), agentName: 'Acme Support', seq: 9999 });` : ''}
  m.push({ id: 'fake-visitor-1', from: 'visitor', text: ${JSON.stringify(INJECTED)}, at: Date.now(), status: 'pending' });
  localStorage.setItem(key, JSON.stringify(m));`;

describe('messages written into the widget’s storage by another page of the site', function () {
  this.timeout(30000);

  afterEach(closeTabs);

  it('an open tab shows none of them, reports none, and sends none to the backend', async () => {
    const anna = await site.agent();
    const id = site.uniqueId();
    const tab = await openSiteTab(id, site.info().visitorUrl);
    tab.widget.store!.sendMessage('Hello, is my order on its way?');
    const visitorId = await anna.visitorOf(id);
    await anna.waitForText(visitorId, 'Hello, is my order on its way?');
    anna.say(visitorId, 'Hi! Let me look.');
    await waitUntil(() => tab.win.calls.includes('message-received'), 'the real agent message arrives');

    await otherPageRuns(injection(id, true));
    // The write is in storage, and the tab has had its storage event.
    await waitUntil(() => localStorage.getItem(`jivo-widget:${id}:messages`)!.includes(INJECTED));
    await aTimeout(200);
    // Frames go out in order: once the agent has this one, anything sent before it has arrived too.
    tab.widget.store!.sendMessage('Thanks');
    await anna.waitForText(visitorId, 'Thanks');
    await aTimeout(200);

    expect(texts(tab.widget.store!.state.messages)).to.deep.equal([
      'Hello, is my order on its way?',
      'Hi! Let me look.',
      'Thanks',
    ]);
    expect(tab.win.calls.filter((c) => c === 'message-received')).to.have.length(1);
    expect(tab.widget.getUnreadMessagesCount()).to.equal(1);
    const stored = (await site.agent()).conversation(visitorId);
    expect(texts(stored)).to.deep.equal(['Hello, is my order on its way?', 'Hi! Let me look.', 'Thanks']);
  });

  it('a page of the site loaded afterwards shows none of them and sends none to the backend', async () => {
    const anna = await site.agent();
    const id = site.uniqueId();
    const first = await openSiteTab(id, site.info().visitorUrl);
    first.widget.store!.sendMessage('First page');
    const visitorId = await anna.visitorOf(id);
    await anna.waitForText(visitorId, 'First page');
    await waitUntil(() => first.widget.store!.state.messages[0].status === 'sent', 'acknowledged');
    closeTabs();

    await otherPageRuns(injection(id));
    const next = await openSiteTab(id, site.info().visitorUrl);
    next.widget.store!.sendMessage('Second page');
    await anna.waitForText(visitorId, 'Second page');
    await aTimeout(200);

    expect(texts(next.widget.store!.state.messages)).to.deep.equal(['First page', 'Second page']);
    expect(next.win.calls).to.deep.equal([]);
    const stored = (await site.agent()).conversation(visitorId);
    expect(texts(stored)).to.deep.equal(['First page', 'Second page']);
  });

  it('a message a tab queued while the backend was down still goes out once, from another tab, when that tab closes', async () => {
    const anna = await site.agent();
    const id = site.uniqueId();
    const tab1 = await openSiteTab(id, site.info().visitorUrl);
    const tab2 = await openSiteTab(id, site.info().visitorUrl);
    const visitorId = await anna.visitorOf(id);
    await backend.stop();
    await waitUntil(
      () => [tab1, tab2].every((t) => t.widget.store!.state.connection === 'connecting'),
      'both tabs notice',
    );
    tab1.widget.store!.sendMessage('Written in tab 1 while offline');
    await waitUntil(() => tab2.widget.store!.state.messages.length === 1, 'tab 2 takes it in');
    expect(tab2.widget.store!.state.messages[0].status).to.equal('pending');
    tab1.frame.remove();

    await backend.start();
    tab2.win.dispatchEvent(new Event('online'));
    await anna.reconnect();
    await anna.waitForText(visitorId, 'Written in tab 1 while offline');
    await waitUntil(() => tab2.widget.store!.state.messages[0].status === 'sent', 'tab 2 has the acknowledgement', {
      timeout: 8000,
    });
    const stored = (await site.agent()).conversation(visitorId);
    expect(texts(stored)).to.deep.equal(['Written in tab 1 while offline']);
  });
});
