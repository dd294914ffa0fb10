import { aTimeout, expect, fixtureCleanup } from '@open-wc/testing';
import type { JivoWidget } from '../../../../src/components/widget/widget.js';
import type { ChatMessage } from '../../../../src/state/types.js';
import { clearStored, inWindow, mountWidget, settled } from '../../../helpers/widget-page.js';

// The widget's one polite status region: what changes in it, recorded with a MutationObserver as a screen reader
// would see it, for the states that showed nothing in any live region before.

const PREFIX = 'status';
let seq = 0;

const agentMessage = (text: string): ChatMessage => ({
  id: `agent-${++seq}`,
  from: 'agent',
  text,
  at: Date.now(),
  agentName: 'Alice',
});

/** The root's status region (outside the window, so it is there whether the window is open or not). */
const region = (el: JivoWidget) => el.shadowRoot!.querySelector<HTMLElement>('.root > [role="status"]');

/** Records each text the status region shows. */
function record(el: JivoWidget): string[] {
  const live = region(el);
  expect(live, 'the widget has a status region').to.exist;
  expect(live!.getAttribute('aria-live') ?? 'polite').to.equal('polite');
  const seen: string[] = [];
  new MutationObserver(() => {
    const text = live!.textContent!.trim();
    if (text) seen.push(text);
  }).observe(live!, { childList: true, characterData: true, subtree: true });
  return seen;
}

/** Lets the region's (short, batched) updates happen. */
const flush = async (el: JivoWidget) => {
  await settled(el);
  await aTimeout(150);
};

describe('status announcements (widget controllers/status)', () => {
  afterEach(() => {
    fixtureCleanup();
    clearStored(PREFIX);
  });

  it('announces agent messages that arrive while the window is closed, once each, and not while it is open', async () => {
    const el = await mountWidget(PREFIX);
    el.open();
    el.store!.sendMessage('Where is my order?');
    el.close();
    await flush(el);
    const seen = record(el);
    el.store!.receiveMessage(agentMessage('Sure, what is the order number?'));
    await flush(el);
    el.store!.receiveMessage(agentMessage('It left yesterday.'));
    await flush(el);
    expect(seen).to.deep.equal([
      'New message from Alice: Sure, what is the order number?',
      'New message from Alice: It left yesterday.',
    ]);
    await expect(el).to.be.accessible();
    el.open();
    await flush(el);
    el.store!.receiveMessage(agentMessage('Anything else?'));
    el.close();
    await flush(el);
    expect(seen, 'the log announces messages while the window is open').to.have.length(2);
  });

  it('speaks the widget’s language', async () => {
    const el = await mountWidget(PREFIX, { lang: 'ru' });
    el.open();
    el.store!.sendMessage('Где мой заказ?');
    el.close();
    await flush(el);
    const seen = record(el);
    el.store!.receiveMessage(agentMessage('Уже в пути.'));
    await flush(el);
    expect(seen).to.deep.equal(['Новое сообщение от Alice: Уже в пути.']);
  });

  it('announces the invitation once', async () => {
    const el = await mountWidget(PREFIX);
    const seen = record(el);
    el.showProactiveInvitation('Can I help you choose a size?');
    await flush(el);
    el.store!.setDraft('Yes, ');
    await flush(el);
    expect(seen).to.deep.equal(['Message from the team: Can I help you choose a size?']);
    await expect(el).to.be.accessible();
  });

  it('announces the agent’s request for contact details', async () => {
    const el = await mountWidget(PREFIX);
    el.open();
    el.store!.sendMessage('Hello');
    await flush(el);
    const seen = record(el);
    el.store!.receiveContactsRequest('req-1');
    await flush(el);
    expect(inWindow(el, 'jivo-contacts-form')).to.exist;
    expect(seen).to.deep.equal(['Our agent asks how to reach you: leave your name and an email or a phone number.']);
  });

  it('says who answers, once, and the agent typing once per burst while the window is open', async () => {
    const el = await mountWidget(PREFIX);
    el.open();
    el.store!.sendMessage('Hello');
    await flush(el);
    const seen = record(el);
    el.store!.accept({ name: 'Alice' });
    await flush(el);
    el.store!.setAgent({ name: 'Alice' });
    await flush(el);
    // On and off four times, as an agent's console sends it while the agent pauses and goes on.
    for (let i = 0; i < 4; i++) {
      el.store!.setAgentTyping(true);
      await flush(el);
      el.store!.setAgentTyping(false);
      await flush(el);
    }
    expect(inWindow(el, '.typing'), 'the typing line is gone with the typing').not.to.exist;
    el.store!.setAgentTyping(true);
    await flush(el);
    expect(inWindow(el, '.typing').textContent).to.equal('Alice is typing…');
    // The agent's message ends the burst (the log announces the message itself).
    el.store!.receiveMessage(agentMessage('How can I help?'));
    el.store!.setAgentTyping(false);
    await flush(el);
    el.store!.setAgentTyping(true);
    await flush(el);
    expect(seen).to.deep.equal(['Alice is answering', 'Alice is typing…', 'Alice is typing…']);
    await expect(el).to.be.accessible();
    // While the window is closed, typing is not said.
    el.store!.setAgentTyping(false);
    el.close();
    await flush(el);
    el.store!.receiveMessage(agentMessage('Are you there?'));
    await flush(el);
    el.store!.setAgentTyping(true);
    await flush(el);
    expect(seen.slice(3)).to.deep.equal(['New message from Alice: Are you there?']);
  });

  it('says when the connection is lost and when it is back, once it has been gone a while', async function () {
    this.timeout(10000);
    const el = await mountWidget(PREFIX);
    el.open();
    el.store!.setConnection('open');
    await flush(el);
    const seen = record(el);
    // A drop that the widget recovers from at once is not worth a word.
    el.store!.setConnection('connecting');
    await flush(el);
    el.store!.setConnection('open');
    await aTimeout(2500);
    expect(seen).to.deep.equal([]);
    el.store!.setConnection('connecting');
    await aTimeout(2500);
    el.store!.setConnection('open');
    await flush(el);
    expect(seen).to.deep.equal([
      'Connection lost. Your messages will be sent when we are connected again.',
      'Connected again.',
    ]);
    await expect(el).to.be.accessible();
  });

  it('announces a message that was not sent, once', async () => {
    const el = await mountWidget(PREFIX);
    el.open();
    const message = el.store!.sendMessage('Is it in stock?');
    await flush(el);
    const seen = record(el);
    el.store!.setMessageStatus(message.id, 'failed');
    await flush(el);
    el.store!.setDraft('x');
    await flush(el);
    expect(seen).to.deep.equal(['Message not sent: Is it in stock? Use Send again to retry.']);
    await expect(el).to.be.accessible();
  });
});
