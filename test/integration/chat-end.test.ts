import { expect, waitUntil } from '@open-wc/testing';
import { executeServerCommand, sendKeys } from '@web/test-runner-commands';
import '../../src/jivo-widget.js';
import type { JivoWidget } from '../../src/components/widget/widget.js';
import { useBackend } from '../helpers/agent-client.js';
import { deepActive, settled } from '../helpers/widget-page.js';

// Ending a chat from either side, rating it and saving its transcript, through the real reference backend over real
// WebSockets, into the real chat_finished webhook (a receiver in the test runner's process records what it is sent).

const it_ = useBackend('end-');
type Body = Record<string, any>;

const windowRoot = (el: JivoWidget) => el.shadowRoot!.querySelector('jivo-chat-window')!.shadowRoot!;
const endRoot = (el: JivoWidget) => windowRoot(el).querySelector('jivo-chat-end')!.shadowRoot!;
const panel = (el: JivoWidget) => endRoot(el).querySelector<HTMLElement>('.panel');
const endButton = (el: JivoWidget) => windowRoot(el).querySelector<HTMLButtonElement>('button.end-chat');
const button = (el: JivoWidget, name: string) =>
  [...endRoot(el).querySelectorAll('button')].find((b) => b.textContent!.trim() === name) ?? null;

async function type(el: JivoWidget, text: string): Promise<void> {
  const composer = windowRoot(el).querySelector('jivo-composer')!;
  await composer.updateComplete;
  const input = composer.shadowRoot!.querySelector('textarea')!;
  input.focus();
  await sendKeys({ type: text });
  await sendKeys({ press: 'Enter' });
}

/** What the widget's one status region says now. */
const announced = (el: JivoWidget) => el.shadowRoot!.querySelector('.announcer')?.textContent ?? '';

const bodies = () => executeServerCommand('webhook-bodies') as Promise<Body[]>;
async function finishedOf(chatId: string): Promise<Body> {
  let found: Body | undefined;
  await waitUntil(
    async () => (found = (await bodies()).find((b) => b.event_name === 'chat_finished' && b.chat_id === chatId)),
    `chat_finished of ${chatId}`,
    { timeout: 5000 },
  );
  return found!;
}

describe('ending a chat through the reference backend', function () {
  this.timeout(30000);

  before(async () => {
    const { url } = (await executeServerCommand('webhook-receiver')) as { url: string };
    await executeServerCommand('backend-options', {
      webhooks: { urls: [url], secret: 'test-secret', retry: { base: 20, max: 200, attempts: 50 }, timeoutMs: 1000 },
    });
  });

  after(() => executeServerCommand('backend-options', {}));

  it('the visitor ends the chat and rates it with the keyboard alone; the rating reaches the agent and the webhook', async () => {
    const anna = await it_.agent(true);
    const el = await it_.mount(it_.uniqueId());
    el.open();
    await settled(el);
    expect(endButton(el), 'nothing to end before the first message').to.equal(null);
    await type(el, 'Do you ship to Norway?');
    const visitorId = await anna.visitorOf(el.widgetId!);
    await anna.waitForText(visitorId, 'Do you ship to Norway?');
    anna.accept(visitorId);
    anna.say(visitorId, 'We do, in 3 days.');
    await waitUntil(() => el.store!.state.messages.length === 2 && el.store!.state.agent, 'the reply', {
      timeout: 4000,
    });
    await settled(el);

    // The header's named control, by keyboard: Enter opens the question, focus moves to it.
    const end = endButton(el)!;
    expect(end.getAttribute('aria-label')).to.equal('End chat');
    end.focus();
    await sendKeys({ press: 'Enter' });
    await settled(el);
    expect(panel(el)!.textContent).to.contain('End this chat?');
    expect(deepActive()?.textContent?.trim()).to.equal('End chat');
    await expect(el).to.be.accessible();
    await sendKeys({ press: 'Enter' });

    // The backend ends it; the rating form takes focus (the visitor's own action led here).
    await waitUntil(() => button(el, 'Good'), 'the rating form', { timeout: 4000 });
    await settled(el);
    await waitUntil(() => deepActive()?.textContent?.trim() === 'Good', 'focus on Good');
    expect(el.store!.state.agent, 'nobody has the chat any more').to.equal(null);
    await expect(el).to.be.accessible();
    await sendKeys({ press: 'Enter' });
    await settled(el);
    expect(button(el, 'Good')!.getAttribute('aria-pressed')).to.equal('true');
    expect(button(el, 'Bad')!.getAttribute('aria-pressed')).to.equal('false');
    await sendKeys({ press: 'Tab' }); // Bad
    await sendKeys({ press: 'Tab' }); // the comment
    expect(deepActive()?.id).to.equal('comment');
    await sendKeys({ type: 'Quick and kind' });
    await sendKeys({ press: 'Tab' }); // Send rating
    expect(deepActive()?.textContent?.trim()).to.equal('Send rating');
    await sendKeys({ press: 'Enter' });

    const finished = await finishedOf(`${visitorId}.1`);
    expect(finished.rating).to.deep.equal({ rate: 'good', comment: 'Quick and kind' });
    expect(finished.ended_by).to.equal('visitor');
    expect(finished.agent.name).to.equal(anna.name);
    expect(finished.messages.map((m: Body) => m.text)).to.deep.equal(['Do you ship to Norway?', 'We do, in 3 days.']);
    await waitUntil(() => anna.visitors.get(visitorId)?.ratings.length === 1, 'the agent sees the rating');
    expect(anna.visitors.get(visitorId)!.ratings[0]).to.include({ chat: 1, rate: 'good', comment: 'Quick and kind' });
    expect(anna.visitors.get(visitorId)!.endedBy).to.equal('visitor');
    await settled(el);
    expect(panel(el)!.textContent).to.contain('Thank you for your rating.');
    await expect(el).to.be.accessible();

    // A new message after the end starts a new chat: the panel goes, the history stays, the agent has a new chat.
    await type(el, 'One more thing');
    await anna.waitForText(visitorId, 'One more thing');
    await settled(el);
    expect(panel(el)).to.equal(null);
    expect(el.store!.state.messages.map((m) => m.text)).to.deep.equal([
      'Do you ship to Norway?',
      'We do, in 3 days.',
      'One more thing',
    ]);
    await waitUntil(() => anna.visitors.get(visitorId)?.lastSeq === 3, 'the console has the message');
    const info = anna.visitors.get(visitorId)!;
    expect(info.finishedSeq, 'messages after seq 2 are a new chat').to.equal(2);
    expect(info.acceptedBy).to.equal(null);
    anna.accept(visitorId);
    await waitUntil(
      async () => (await bodies()).some((b) => b.event_name === 'chat_accepted' && b.chat_id === `${visitorId}.2`),
      'chat_accepted of the second chat',
      { timeout: 5000 },
    );
  });

  it('the agent ends the chat: the widget asks for a rating, which reaches the webhook', async () => {
    const anna = await it_.agent(true);
    const el = await it_.mount(it_.uniqueId());
    el.open();
    await settled(el);
    await type(el, 'Hi');
    const visitorId = await anna.visitorOf(el.widgetId!);
    await anna.waitForText(visitorId, 'Hi');
    anna.accept(visitorId);
    await waitUntil(() => el.store!.state.agent, 'accepted');
    anna.send({ type: 'finish', visitorId });
    await waitUntil(() => button(el, 'Bad'), 'the rating form', { timeout: 4000 });
    await waitUntil(() => announced(el).includes('The chat has ended.'), 'the end is announced');
    await settled(el);
    await expect(el).to.be.accessible();
    // Sending without a choice says what is missing, and changes nothing.
    button(el, 'Send rating')!.click();
    await settled(el);
    expect(endRoot(el).querySelector('.error')!.textContent).to.equal('Choose Good or Bad first.');
    button(el, 'Bad')!.click();
    await settled(el);
    button(el, 'Send rating')!.click();
    const finished = await finishedOf(`${visitorId}.1`);
    expect(finished.rating).to.deep.equal({ rate: 'bad', comment: '' });
    expect(finished.ended_by).to.equal('agent');
    await waitUntil(() => announced(el).includes('Thank you for your rating.'), 'the thanks are announced');
  });

  it('Escape closes the question and keeps the window open; focus returns to End chat', async () => {
    const anna = await it_.agent(true);
    const el = await it_.mount(it_.uniqueId());
    el.open();
    await settled(el);
    await type(el, 'Hello');
    await anna.visitorOf(el.widgetId!);
    await waitUntil(() => el.store!.state.messages[0]?.status === 'sent', 'sent');
    await settled(el);
    endButton(el)!.focus();
    await sendKeys({ press: 'Enter' });
    await settled(el);
    expect(panel(el)).to.not.equal(null);
    await sendKeys({ press: 'Escape' });
    await settled(el);
    expect(el.store!.state.view, 'the window stays open').to.equal('chat');
    expect(panel(el)).to.equal(null);
    expect(deepActive()).to.equal(endButton(el));
  });

  it('the visitor saves the transcript: a text file made in the page, with every message and where the chat ended', async () => {
    const anna = await it_.agent(true);
    const el = await it_.mount(it_.uniqueId());
    el.open();
    await settled(el);
    // A message with a line break and text that looks like markup (typed, it would be sent at the line break).
    el.store!.sendMessage('Line one\nline two <b>not bold</b>');
    const visitorId = await anna.visitorOf(el.widgetId!);
    anna.accept(visitorId);
    anna.say(visitorId, 'Got it');
    await waitUntil(() => el.store!.state.messages.length === 2, 'the reply', { timeout: 4000 });
    anna.send({ type: 'finish', visitorId });
    await waitUntil(() => button(el, 'Save transcript'), 'the rating form', { timeout: 4000 });
    const clicked: HTMLAnchorElement[] = [];
    const click = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      clicked.push(this);
    };
    try {
      button(el, 'Save transcript')!.click();
    } finally {
      HTMLAnchorElement.prototype.click = click;
    }
    expect(clicked).to.have.length(1);
    expect(clicked[0].download).to.match(/^chat-transcript-\d{4}-\d{2}-\d{2}\.txt$/);
    expect(clicked[0].href).to.match(/^blob:/);
    const text = await (await fetch(clicked[0].href)).text();
    expect(text.split('\n')[0]).to.equal('Chat transcript');
    expect(text).to.contain('You: Line one\n    line two <b>not bold</b>');
    expect(text).to.contain(`${anna.name}: Got it`);
    expect(text.trim().endsWith('— Chat ended —')).to.equal(true);
  });
});
