import { expect, fixture, fixtureCleanup, html, waitUntil } from '@open-wc/testing';
import '../../console/index.js';
import type { JivoAgentConsole } from '../../console/agent-console.js';
import { backend, signIn, TestAgent, type BackendInfo } from '../helpers/agent-client.js';

// The agent console's "Finish chat" against the real reference backend: the button is there for a chat the agent has,
// finishing ends the chat for every console (nobody has it, a "Chat finished" line in the log), and the visitor's next
// message belongs to a new chat that can be accepted again.

/** A widget's side of the protocol, spoken directly: hello, then messages. */
async function visitorSocket(url: string, widgetId: string): Promise<WebSocket> {
  const ws = new WebSocket(url);
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = () => reject(new Error('the visitor could not connect'));
  });
  const page = { url: 'https://shop.example/', title: 'Shop' };
  ws.send(
    JSON.stringify({
      type: 'hello',
      v: 1,
      widgetId,
      visitorId: `${widgetId}-visitor`,
      after: 0,
      page,
      department: null,
      lang: 'en',
    }),
  );
  return ws;
}

const button = (el: JivoAgentConsole, name: string) =>
  [...el.shadowRoot!.querySelectorAll('button')].find((b) =>
    b.textContent!.trim().replace(/\s+/g, ' ').startsWith(name),
  );

describe('<jivo-agent-console> Finish chat', function () {
  this.timeout(15000);
  let info: BackendInfo;
  const sockets: WebSocket[] = [];
  let observer: TestAgent;

  before(async () => {
    info = await backend.info();
    if (!info.running) info = await backend.start();
  });

  afterEach(() => {
    fixtureCleanup();
    for (const ws of sockets.splice(0)) ws.close();
    observer?.close();
  });

  it("ends the chat the agent has; the visitor's next message starts a new one", async () => {
    const widgetId = `finish-${Date.now().toString(36)}`;
    const name = `Finisher ${widgetId}`;
    const ws = await visitorSocket(info.visitorUrl, widgetId);
    sockets.push(ws);
    ws.send(JSON.stringify({ type: 'message', id: `${widgetId}-m1`, text: 'Hello?' }));
    observer = new TestAgent();
    await observer.connect(info.agentUrl, false);
    const visitorId = await observer.visitorOf(widgetId);

    // The console signs in as its own agent (the observer's socket keeps the observer's session).
    await signIn(info.agentUrl, name);
    const el = await fixture<JivoAgentConsole>(
      html`<jivo-agent-console endpoint=${info.agentUrl}></jivo-agent-console>`,
    );
    await waitUntil(() => el.store.state.connection === 'open', 'the console is connected');
    button(el, 'Online')!.click();
    await waitUntil(() => el.store.state.online, 'the agent is online');
    el.store.openChat(visitorId);
    await el.updateComplete;
    expect(button(el, 'Finish chat'), 'no Finish button before the chat is taken').to.equal(undefined);
    button(el, 'Accept chat')!.click();
    await waitUntil(() => button(el, 'Finish chat'), 'the Finish button appears for the agent who has the chat');
    await expect(el).to.be.accessible();

    button(el, 'Finish chat')!.click();
    await waitUntil(
      () => observer.visitors.get(visitorId)?.finishedSeq === 1,
      'every console learns the chat is finished',
    );
    expect(observer.visitors.get(visitorId)!.acceptedBy).to.equal(null);
    await waitUntil(() => !button(el, 'Finish chat') && button(el, 'Accept chat'), 'the chat can be accepted again');
    const log = el.shadowRoot!.querySelector('[role="log"]')!;
    expect([...log.querySelectorAll('li')].map((li) => li.textContent!.replace(/\s+/g, ' ').trim())).to.deep.equal([
      `Visitor ${observer.visitors.get(visitorId)!.number} · ${log.querySelector('.state')!.textContent} Hello?`,
      'Chat finished',
    ]);
    expect(el.shadowRoot!.activeElement?.id, 'the focus stays in the conversation').to.equal('reply');

    ws.send(JSON.stringify({ type: 'message', id: `${widgetId}-m2`, text: 'One more thing' }));
    await waitUntil(() => log.querySelectorAll('li').length === 3, 'the new message shows after the line');
    expect(log.querySelectorAll('li')[1].textContent).to.equal('Chat finished');
    await expect(el).to.be.accessible();
  });
});

describe('<jivo-agent-console> a chat the visitor ended and rated', function () {
  this.timeout(15000);
  let info: BackendInfo;
  const sockets: WebSocket[] = [];

  before(async () => {
    info = await backend.info();
    if (!info.running) info = await backend.start();
  });

  afterEach(() => {
    fixtureCleanup();
    for (const ws of sockets.splice(0)) ws.close();
  });

  it('says who ended it and shows the rating in the log and the visitor panel, and says it once', async () => {
    const widgetId = `rated-${Date.now().toString(36)}`;
    const ws = await visitorSocket(info.visitorUrl, widgetId);
    sockets.push(ws);
    ws.send(JSON.stringify({ type: 'message', id: `${widgetId}-m1`, text: 'Thanks, that is all' }));
    await signIn(info.agentUrl, `Rater ${widgetId}`);
    const el = await fixture<JivoAgentConsole>(
      html`<jivo-agent-console endpoint=${info.agentUrl}></jivo-agent-console>`,
    );
    await waitUntil(() => el.store.state.connection === 'open', 'the console is connected');
    await waitUntil(() => [...el.store.state.chats.values()].some((c) => c.widgetId === widgetId), 'the visitor');
    const chat = [...el.store.state.chats.values()].find((c) => c.widgetId === widgetId)!;
    el.store.openChat(chat.id);
    await el.updateComplete;
    ws.send(JSON.stringify({ type: 'end' }));
    const region = el.shadowRoot!.querySelector('.announcer')!;
    await waitUntil(() => region.textContent!.includes(`Visitor ${chat.number} ended the chat.`), 'said');
    ws.send(JSON.stringify({ type: 'rating', chat: 1, rate: 'good', comment: 'Very helpful' }));
    await waitUntil(
      () => region.textContent!.includes(`Visitor ${chat.number} rated the chat good: Very helpful`),
      'the rating is said',
    );
    await el.updateComplete;
    const end = el.shadowRoot!.querySelector('[role="log"] .chat-end')!;
    expect(end.textContent!.replace(/\s+/g, ' ').trim()).to.equal(
      'Chat finished by the visitor · Rated good: “Very helpful”',
    );
    const ratings = el.shadowRoot!.querySelector('ul.ratings')!;
    expect(ratings.getAttribute('aria-labelledby')).to.equal('ratings-title');
    expect(ratings.textContent!.replace(/\s+/g, ' ')).to.contain('Chat 1: Good').and.contain('Very helpful');
    await expect(el).to.be.accessible();
  });
});
