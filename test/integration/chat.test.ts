import { aTimeout, expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../src/jivo-widget.js';
import type { JivoWidget } from '../../src/components/widget/widget.js';
import { useBackend } from '../helpers/agent-client.js';

// A full chat through the real reference backend, over real WebSockets: the widget on one side, an agent (speaking
// the agent console's protocol) on the other.

const it_ = useBackend('it-');
const uniqueId = it_.uniqueId;
const mount = (id = uniqueId(), attrs: Record<string, string> = {}) => it_.mount(id, attrs);
const agent = (online = true) => it_.agent(online);

const connected = (el: JivoWidget) =>
  waitUntil(() => el.store!.state.connection === 'open', 'the widget is connected', { timeout: 4000 });
const windowRoot = (el: JivoWidget) => el.shadowRoot!.querySelector('jivo-chat-window')!.shadowRoot!;
const listRoot = (el: JivoWidget) => windowRoot(el).querySelector('jivo-message-list')!.shadowRoot!;
const bubbles = (el: JivoWidget) => [...listRoot(el).querySelectorAll('li .bubble')].map((b) => b.textContent);

/** Types into the real composer and presses Enter, as a visitor would. */
async function type(el: JivoWidget, text: string): Promise<void> {
  const composer = windowRoot(el).querySelector('jivo-composer')!;
  await composer.updateComplete;
  const input = composer.shadowRoot!.querySelector('textarea')!;
  input.value = text;
  input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
  input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
}

async function settle(el: JivoWidget): Promise<void> {
  await el.updateComplete;
  await aTimeout(0);
  const visit = async (node: Element) => {
    await (node as unknown as { updateComplete?: Promise<unknown> }).updateComplete;
    for (const child of node.shadowRoot?.querySelectorAll('*') ?? []) await visit(child);
  };
  await visit(el);
}

describe('a chat through the reference backend', function () {
  this.timeout(20000);

  it('a visitor and an agent chat: message, accept, typing, reply, unread', async () => {
    const anna = await agent();
    const el = await mount();
    const id = el.widgetId!;
    const callbacks: string[] = [];
    for (const type of ['jivo-message-sent', 'jivo-client-start-chat', 'jivo-accept', 'jivo-message-received']) {
      el.addEventListener(type, () => callbacks.push(type));
    }
    await connected(el);
    expect(el.chatMode().result, 'an agent is online').to.equal('online');

    el.open();
    await settle(el);
    await type(el, 'Hello, do you ship to Norway?');
    await settle(el);
    expect(bubbles(el)).to.deep.equal(['Hello, do you ship to Norway?']);
    const visitorId = await anna.visitorOf(id);
    const received = await anna.waitForText(visitorId, 'Hello, do you ship to Norway?');
    expect(received.from).to.equal('visitor');
    await waitUntil(() => el.store!.state.messages[0].status === 'sent', 'the message is acknowledged');
    expect(el.store!.state.messages[0].seq).to.equal(received.seq);

    anna.accept(visitorId);
    await waitUntil(() => callbacks.includes('jivo-accept'), 'jivo-accept fires');
    await settle(el);
    expect(windowRoot(el).querySelector('.status')!.textContent).to.contain(`${anna.name} is answering`);

    anna.typing(visitorId, true);
    await waitUntil(() => el.store!.state.agentTyping, 'the visitor sees the agent typing');
    await settle(el);
    expect(windowRoot(el).querySelector('.typing')!.textContent).to.contain('is typing');

    anna.say(visitorId, 'Yes, in 3 days.');
    await waitUntil(() => bubbles(el).includes('Yes, in 3 days.'), 'the reply appears', { timeout: 4000 });
    expect(el.store!.state.agentTyping, 'a message ends the typing').to.equal(false);
    expect(el.getUnreadMessagesCount(), 'read at once: the window is open').to.equal(0);

    el.close();
    anna.say(visitorId, 'Anything else?');
    await waitUntil(() => el.getUnreadMessagesCount() === 1, 'unread while closed');
    await settle(el);
    const launcher = el.shadowRoot!.querySelector('jivo-launcher')!.shadowRoot!.querySelector('button')!;
    expect(launcher.getAttribute('aria-label')).to.contain('1 unread message');
    el.open();
    expect(el.getUnreadMessagesCount()).to.equal(0);
    await waitUntil(() => anna.visitors.get(visitorId)!.readSeq >= 3, 'the backend learns the visitor read it');

    expect(callbacks).to.deep.equal([
      'jivo-message-sent',
      'jivo-client-start-chat',
      'jivo-accept',
      'jivo-message-received',
      'jivo-message-received',
    ]);
  });

  it('sees the visitor typing from the widget', async () => {
    const anna = await agent();
    const el = await mount();
    await connected(el);
    el.open();
    await settle(el);
    const input = windowRoot(el).querySelector('jivo-composer')!.shadowRoot!.querySelector('textarea')!;
    input.value = 'I am wri';
    input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
    const visitorId = await anna.visitorOf(el.widgetId!);
    await waitUntil(() => anna.visitors.get(visitorId)?.typing === true, 'the agent sees the visitor typing');
  });

  it('chatMode follows the agents live, and the offline form replaces the chat while nobody is online', async () => {
    const el = await mount();
    await connected(el);
    expect(String(el.chatMode())).to.equal('offline');
    el.open();
    await settle(el);
    expect(windowRoot(el).querySelector('jivo-offline-form')).to.exist;
    await expect(el).to.be.accessible();

    const anna = await agent();
    await waitUntil(() => String(el.chatMode()) === 'online', 'online once an agent is');
    await settle(el);
    expect(windowRoot(el).querySelector('jivo-offline-form')).to.equal(null);
    expect(windowRoot(el).querySelector('jivo-composer')).to.exist;
    anna.send({ type: 'status', online: false });
    await waitUntil(() => String(el.chatMode()) === 'offline', 'offline again');
  });

  it('sendOfflineMessage validates as documented and delivers to the agents', async () => {
    const el = await mount();
    await connected(el);
    expect(el.sendOfflineMessage({ name: 'John', email: 'not-an-email', message: 'Hi' })).to.deep.equal({
      result: 'fail',
      error: 'email is not a valid address',
    });
    expect(el.sendOfflineMessage({ name: 'John', message: 'Hi' })).to.deep.equal({
      result: 'fail',
      error: 'an email or a phone is required to answer',
    });
    expect(el.store!.state.offlineMessages).to.deep.equal([]);
    const result = el.sendOfflineMessage({
      name: 'John Smith',
      email: 'email@example.com',
      phone: '+14084987855',
      description: 'Description text',
      message: 'Offline message <b>bold</b>',
    });
    expect(result).to.deep.equal({ result: 'ok' });
    await waitUntil(() => el.store!.state.offlineMessages[0]?.status === 'sent', 'the backend stores it');
    const anna = await agent();
    const welcome = anna.frames.find((f) => f.type === 'welcome')!;
    const offline =
      welcome.type === 'welcome' ? welcome.offlineMessages.find((m) => m.widgetId === el.widgetId) : undefined;
    expect(offline).to.include({
      name: 'John Smith',
      email: 'email@example.com',
      message: 'Offline message <b>bold</b>',
    });
  });

  it('the offline form sends through the UI and thanks the visitor', async () => {
    const el = await mount();
    await connected(el);
    el.open();
    await settle(el);
    const form = windowRoot(el).querySelector('jivo-offline-form')!;
    const field = (name: string) => form.shadowRoot!.querySelector<HTMLInputElement>(`[name="${name}"]`)!;
    const fill = (name: string, value: string) => {
      field(name).value = value;
      field(name).dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
    };
    fill('message', 'Call me back please');
    form.shadowRoot!.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await settle(el);
    expect(field('email').getAttribute('aria-invalid'), 'no way to answer yet').to.equal('true');
    expect(form.shadowRoot!.querySelector('.error')!.textContent).to.contain('email or a phone');
    fill('phone', '+1 408 498 7855');
    form.shadowRoot!.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitUntil(() => el.store!.state.offlineMessages[0]?.status === 'sent', 'delivered');
    await settle(el);
    expect(form.shadowRoot!.querySelector('[role="status"]')!.textContent).to.contain('Thank you');
  });

  it('numbers visitors sequentially, and clearHistory starts a new visitor', async () => {
    const widgetId = uniqueId();
    const numberOf = (el: JivoWidget) =>
      new Promise<number>((resolve, reject) =>
        el.getVisitorNumber((error, n) => (error ? reject(new Error(error)) : resolve(n!))),
      );
    const first = await mount(widgetId);
    const n1 = await numberOf(first);
    expect(n1).to.equal(1);
    expect(await numberOf(first), 'asking again gives the same number').to.equal(1);
    first.clearHistory();
    await connected(first);
    expect(await numberOf(first)).to.equal(2);
  });

  it('getVisitorNumber without a backend calls back with an error', async () => {
    const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
    const el = document.createElement('jivo-widget');
    el.widgetId = uniqueId();
    wrapper.append(el);
    await oneEvent(el, 'jivo-load');
    const error = await new Promise<string | null>((resolve) => el.getVisitorNumber((e) => resolve(e)));
    expect(error).to.contain('No chat server');
  });

  it('history survives a reload and is completed from the backend', async () => {
    const anna = await agent();
    const el = await mount();
    const id = el.widgetId!;
    await connected(el);
    el.open();
    await settle(el);
    await type(el, 'First question');
    const visitorId = await anna.visitorOf(id);
    await anna.waitForText(visitorId, 'First question');
    el.remove();
    // While the page is gone, the agent answers.
    anna.say(visitorId, 'Answer while you were away');
    await waitUntil(() => anna.outbox.size === 0, 'the backend stores the answer');
    const again = await mount(id);
    await connected(again);
    await settle(again);
    expect(bubbles(again)).to.deep.equal(['First question', 'Answer while you were away']);
    expect(again.store!.state.messages.map((m) => m.seq)).to.deep.equal([1, 2]);
  });

  it('the agent sees what the page told the widget about the visitor, but never the user token', async () => {
    const anna = await agent();
    const el = await mount();
    await connected(el);
    expect(
      el.setContactInfo({ name: 'John Smith', email: 'email@example.com', description: 'VIP <b>customer</b>' }).result,
    ).to.equal('ok');
    expect(
      el.setCustomData([{ title: 'Order', key: 'Total', content: '$56', link: 'https://crm.example.com/o/7' }]).result,
    ).to.equal('ok');
    expect(el.setUserToken('secret-token-4f9a').result).to.equal('ok');
    expect(el.sendPageTitle('Checkout', true, '/checkout?step=2').result).to.equal('ok');
    const visitorId = await anna.visitorOf(el.widgetId!);
    await waitUntil(() => anna.visitors.get(visitorId)?.contact.name === 'John Smith', 'the contact reaches the agent');
    await waitUntil(() => anna.visitors.get(visitorId)?.page?.title === 'Checkout', 'the page reaches the agent');
    await waitUntil(() => anna.visitors.get(visitorId)?.customData.length === 1, 'the custom data reaches the agent');
    const seen = anna.visitors.get(visitorId)!;
    expect(seen.contact).to.deep.equal({
      name: 'John Smith',
      email: 'email@example.com',
      phone: '',
      description: 'VIP <b>customer</b>',
    });
    expect(seen.customData).to.deep.equal([
      { content: '$56', title: 'Order', key: 'Total', link: 'https://crm.example.com/o/7' },
    ]);
    // Stored as origin + path (F13).
    expect(seen.page!.url).to.equal(new URL('/checkout', location.href).href);
    expect(JSON.stringify(anna.frames), 'the token is never shown to agents').to.not.contain('secret-token-4f9a');
    // A fresh console after the fact gets the same from the backend's snapshot.
    const bob = await agent();
    expect(bob.visitors.get(visitorId)!.contact.name).to.equal('John Smith');
  });

  it('markup and javascript: links from both sides are text, and no script runs', async () => {
    const anna = await agent();
    const el = await mount();
    await connected(el);
    el.open();
    await settle(el);
    (window as unknown as { pwned?: boolean }).pwned = false;
    await type(el, '<img src=x onerror="window.pwned=true"> javascript:window.pwned=true');
    const visitorId = await anna.visitorOf(el.widgetId!);
    await anna.waitForText(visitorId, '<img src=x onerror="window.pwned=true"> javascript:window.pwned=true');
    anna.say(visitorId, '<script>window.pwned=true</script> [x](javascript:window.pwned=true) https://example.com/ok');
    await waitUntil(() => bubbles(el).length === 2, 'the reply arrives');
    await settle(el);
    const list = listRoot(el);
    expect(list.querySelector('img, script')).to.equal(null);
    const links = [...list.querySelectorAll('a')].map((a) => a.getAttribute('href'));
    expect(links).to.deep.equal(['https://example.com/ok']);
    expect(bubbles(el)[1]).to.equal(
      '<script>window.pwned=true</script> [x](javascript:window.pwned=true) https://example.com/ok',
    );
    await aTimeout(50);
    expect((window as unknown as { pwned?: boolean }).pwned).to.equal(false);
  });

  it('F18: an agent message is shown without bidi overrides or zero-width characters, in its own direction', async () => {
    const anna = await agent();
    const el = await mount();
    await connected(el);
    el.open();
    await settle(el);
    await type(el, 'Hello');
    const visitorId = await anna.visitorOf(el.widgetId!);
    anna.say(
      visitorId,
      'Pay the invoice\u202efdp.exe\u200b at https://example.com/\u202egnp.exe — שלום 👨\u200d👩\u200d👧',
    );
    await waitUntil(() => bubbles(el).length === 2, 'the reply arrives');
    await settle(el);
    expect(bubbles(el)[1]).to.equal('Pay the invoicefdp.exe at https://example.com/gnp.exe — שלום 👨\u200d👩\u200d👧');
    const bubble = listRoot(el).querySelectorAll('li .bubble')[1];
    expect(bubble.getAttribute('dir')).to.equal('auto');
    expect(bubble.querySelector('a')!.getAttribute('href')).to.equal('https://example.com/gnp.exe');
  });

  it('an over-long message is refused by the backend with a clear error and kept for the visitor', async () => {
    const el = await mount();
    await connected(el);
    // Past the composer's own limit, straight into the store, as a buggy or hostile page could.
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args.join(' '));
    try {
      el.store!.sendMessage('x'.repeat(4001));
      await waitUntil(() => el.store!.state.messages[0].status === 'failed', 'the message is marked failed');
    } finally {
      console.warn = warn;
    }
    expect(warnings.join('\n')).to.match(/invalid_field|too_large/);
    expect(el.store!.state.messages).to.have.length(1);
  });
});
