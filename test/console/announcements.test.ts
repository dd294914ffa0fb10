import { aTimeout, expect, fixtureCleanup, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import sinon from 'sinon';
import type { JivoAgentConsole } from '../../console/agent-console.js';
import { backend, type BackendInfo } from '../helpers/agent-client.js';
import { chatOf, consoleButton, mountConsole, VisitorSocket } from '../helpers/console-page.js';
import { recordLiveRegions, type LiveRecorder } from '../helpers/live-regions.js';

// What the agent console tells a screen reader, recorded in the browser with a MutationObserver on every live region
// (test/helpers/live-regions.ts): which text goes into which region, and how many times. The console has one polite
// status region for what changes out of sight; the open chat's log announces that chat's messages.

let seq = 0;
const uniqueId = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++seq}`;

/** The texts the console's status region announced, in order. */
const statusSaid = (live: LiveRecorder) =>
  live
    .announced()
    .filter((c) => c.region === 'status' && c.kind !== 'removed')
    .map((c) => c.regionText);

/** Waits until the status region has said something that contains `part`. */
const untilSaid = (live: LiveRecorder, part: string) =>
  waitUntil(() => statusSaid(live).some((t) => t.includes(part)), `the console says "${part}"`, { timeout: 3000 });

/** Lets batched announcements and late frames happen. */
const settle = async (el: JivoAgentConsole) => {
  await el.updateComplete;
  await aTimeout(250);
  await el.updateComplete;
};

describe('<jivo-agent-console> announcements', function () {
  this.timeout(20000);
  let info: BackendInfo;
  const visitors: VisitorSocket[] = [];
  let live: LiveRecorder | undefined;

  before(async () => {
    info = await backend.info();
    if (!info.running) info = await backend.start();
  });

  afterEach(() => {
    live?.stop();
    live = undefined;
    fixtureCleanup();
    for (const v of visitors.splice(0)) v.close();
  });

  const visitor = async (prefix: string) => {
    const v = await VisitorSocket.open(info.visitorUrl, uniqueId(prefix));
    visitors.push(v);
    return v;
  };

  it('announces a new visitor and messages in chats that are not open, once each', async () => {
    const el = await mountConsole(info, 'Announce Ann');
    const first = await visitor('c1-first');
    first.say('Hello');
    const firstChat = await chatOf(el, first.widgetId);
    consoleButton(el, `Visitor ${firstChat.number}`)!.click();
    await settle(el);
    live = recordLiveRegions(el.shadowRoot!);

    const second = await visitor('c1-second');
    const n = (await chatOf(el, second.widgetId)).number;
    await untilSaid(live, `Visitor ${n}`);
    second.say('Is anyone there?');
    await untilSaid(live, 'Is anyone there?');
    // A message in the open chat: its log announces it, the status region does not repeat it.
    first.say('Great, how long does it take?');
    await waitUntil(() => live!.announced().some((c) => c.text.includes('how long')), 'the log announces it');
    await settle(el);

    expect(statusSaid(live)).to.deep.equal([
      `New visitor: Visitor ${n} (${second.widgetId}), on Shop.`,
      `Visitor ${n}: Is anyone there?`,
    ]);
    const inLog = live.announced().filter((c) => c.text.includes('how long'));
    expect(inLog.map((c) => [c.region, c.kind])).to.deep.equal([
      [`log "Conversation with Visitor ${firstChat.number}"`, 'added'],
    ]);
    await expect(el).to.be.accessible();

    // While the agent reads the offline messages, the open chat's log is not on screen: its messages are said.
    consoleButton(el, 'Offline messages')!.click();
    await settle(el);
    first.say('Are you still there?');
    await untilSaid(live, 'Are you still there?');
    expect(statusSaid(live).at(-1)).to.equal(`Visitor ${firstChat.number}: Are you still there?`);
    await expect(el).to.be.accessible();
  });

  it('announces the visitor typing once per burst, not on every toggle', async () => {
    const el = await mountConsole(info, 'Announce Tim');
    const v = await visitor('c3');
    v.say('Hi');
    const chat = await chatOf(el, v.widgetId);
    consoleButton(el, `Visitor ${chat.number}`)!.click();
    await settle(el);
    live = recordLiveRegions(el.shadowRoot!);
    const typingSaid = () => live!.announced().filter((c) => c.regionText.includes('is typing'));

    // On and off four times, as a widget does while the visitor pauses and goes on.
    for (let i = 0; i < 4; i++) {
      v.typing(true);
      await waitUntil(() => el.store.state.chats.get(chat.id)?.typing, 'typing shows');
      await aTimeout(150);
      v.typing(false);
      await waitUntil(() => !el.store.state.chats.get(chat.id)?.typing, 'typing ends');
      await aTimeout(150);
    }
    await settle(el);
    expect(typingSaid().map((c) => [c.region, c.regionText])).to.deep.equal([
      ['status', `Visitor ${chat.number} is typing…`],
    ]);
    const line = el.shadowRoot!.querySelector('.typing')!;
    v.typing(true);
    await waitUntil(() => line.textContent!.includes('is typing'), 'the typing line still shows it');
    await expect(el).to.be.accessible();
    v.typing(false);

    // A message ends the burst: the next start is said again.
    v.say('Do you ship to Norway?');
    await waitUntil(() => el.store.state.chats.get(chat.id)!.messages.length === 2, 'the message arrives');
    v.typing(true);
    await waitUntil(() => typingSaid().length === 2, 'typing after a message is said again', { timeout: 3000 });
    v.typing(false);
    await settle(el);

    // So is a start after a long quiet.
    const clock = sinon.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    try {
      clock.tick(20_000);
      v.typing(true);
      await waitUntil(() => typingSaid().length === 3, 'typing after a quiet is said again', { timeout: 3000 });
    } finally {
      clock.restore();
    }
    v.typing(false);
  });

  it("adds the agent's own reply to the log once, and says a reply that was not sent", async () => {
    const el = await mountConsole(info, 'Announce Bob', { online: true });
    const v = await visitor('c4');
    v.say('Do you ship to Norway?');
    const chat = await chatOf(el, v.widgetId);
    consoleButton(el, `Visitor ${chat.number}`)!.click();
    await settle(el);
    live = recordLiveRegions(el.shadowRoot!);

    const reply = el.shadowRoot!.querySelector<HTMLTextAreaElement>('#reply')!;
    expect(el.shadowRoot!.activeElement, 'opening the chat puts the focus in the reply').to.equal(reply);
    await sendKeys({ type: 'Yes, we ship to Norway.' });
    await sendKeys({ press: 'Enter' });
    await waitUntil(
      () => el.store.state.chats.get(chat.id)!.messages.some((m) => m.text === 'Yes, we ship to Norway.'),
      'the reply is stored',
    );
    await waitUntil(() => v.frames.some((f) => f.type === 'message'), 'the visitor receives it');
    await settle(el);
    const log = `log "Conversation with Visitor ${chat.number}"`;
    const said = live.announced().filter((c) => c.text.includes('Norway.') || c.regionText.includes('Norway.'));
    expect(said.map((c) => [c.region, c.kind, c.text])).to.deep.equal([
      [log, 'added', `Announce Bob · sending… Yes, we ship to Norway.`],
    ]);
    const items = [...el.shadowRoot!.querySelectorAll('.log li')];
    expect(items.at(-1)!.textContent!.replace(/\s+/g, ' ').trim()).to.match(
      /^Announce Bob · \S.* Yes, we ship to Norway\.$/,
    );
    expect(items.at(-1)!.textContent).not.to.include('sending');
    await expect(el).to.be.accessible();

    // A reply the backend refused: the log shows why, and the status region says it once.
    el.store.addPending({ id: 'refused-1', visitorId: chat.id, text: 'See you', error: null });
    await settle(el);
    el.store.receive({ type: 'error', code: 'rate_limited', message: 'Too many messages', id: 'refused-1' });
    await untilSaid(live, 'See you');
    await settle(el);
    expect(statusSaid(live)).to.deep.equal([
      `Your reply to Visitor ${chat.number} was not sent (Too many messages): See you`,
    ]);
    await expect(el).to.be.accessible();
  });

  it('says the new status once when the agent goes online', async () => {
    const el = await mountConsole(info, 'Announce Olga');
    expect(el.store.state.chatMode, 'no other agent is online').to.equal('offline');
    await settle(el);
    live = recordLiveRegions(el.shadowRoot!);
    consoleButton(el, 'Online')!.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => el.store.state.online && el.store.state.chatMode === 'online', 'online, and the chat too');
    await settle(el);
    const said = live.announced().filter((c) => /online|offline/.test(c.regionText));
    expect(said.map((c) => [c.region, c.regionText])).to.deep.equal([
      ['status', 'Connected · you are online · chat online'],
    ]);
    await expect(el).to.be.accessible();
  });

  it('announces offline messages, call-back requests and answers to a request for contacts', async () => {
    const el = await mountConsole(info, 'Announce Cleo', { online: true });
    const v = await visitor('c1-more');
    const chat = await chatOf(el, v.widgetId);
    await settle(el);
    live = recordLiveRegions(el.shadowRoot!);

    v.send({
      type: 'offline_message',
      id: `${v.widgetId}-offline`,
      name: 'Ann',
      email: 'ann@example.com',
      phone: '',
      description: '',
      message: 'Please write back about my order.',
    });
    await untilSaid(live, 'Please write back');
    v.send({ type: 'call_request', id: `${v.widgetId}-call`, phone: '+14084987855' });
    await untilSaid(live, '+14084987855');

    consoleButton(el, `Visitor ${chat.number}`)!.click();
    await settle(el);
    consoleButton(el, 'Ask for contacts')!.click();
    await untilSaid(live, 'requested');
    await waitUntil(() => v.frames.some((f) => f.type === 'contacts_request' && f.request), 'the visitor is asked');
    const request = v.frames.find((f) => f.type === 'contacts_request' && f.request)!.request;
    v.send({ type: 'contact', name: 'Ann', email: 'ann@example.com', phone: '', description: '' });
    v.send({ type: 'contacts_answer', request, given: true });
    await untilSaid(live, 'gave');
    await settle(el);

    expect(statusSaid(live)).to.deep.equal([
      `New offline message from Ann (Visitor ${chat.number}): Please write back about my order.`,
      `Visitor ${chat.number} asks to be called back at +14084987855.`,
      `Contact details requested from Visitor ${chat.number}.`,
      `Visitor ${chat.number} gave their contact details.`,
    ]);
    await expect(el).to.be.accessible();
  });
});
