import { expect, waitUntil } from '@open-wc/testing';
import '../../src/jivo-widget.js';
import type { JivoWidget } from '../../src/components/widget/widget.js';
import type { ChatMessage } from '../../src/state/types.js';
import { backend, useBackend } from '../helpers/agent-client.js';

// Nothing the visitor or the agent writes is lost, and nothing is delivered twice: across a backend restart, a page
// reload and several tabs. Real backend, real WebSockets, real page loads in iframes for tabs.

const rel = useBackend('rel-');
const frames: HTMLIFrameElement[] = [];
const uniqueId = rel.uniqueId;
const mount = (id: string) => rel.mount(id);
const agent = () => rel.agent();

const connected = (el: JivoWidget) =>
  waitUntil(() => el.store!.state.connection === 'open', 'the widget is connected', { timeout: 8000 });
const texts = (messages: readonly { text: string }[]) => messages.map((m) => m.text);

/** Counts of each text: every message must appear exactly once. */
function once(messages: readonly { text: string }[], expected: string[]): void {
  const counts = new Map<string, number>();
  for (const m of messages) counts.set(m.text, (counts.get(m.text) ?? 0) + 1);
  for (const text of expected) expect(counts.get(text), `"${text}" delivered exactly once`).to.equal(1);
}

/** Opens the site in a new "tab": a same-origin iframe, a separate document with its own copy of the widget. */
async function openTab(
  id: string,
): Promise<{ frame: HTMLIFrameElement; widget: JivoWidget; win: Window & { calls: string[] } }> {
  const frame = document.createElement('iframe');
  frame.title = `tab ${frames.length + 1}`;
  frame.src = `/test/fixtures/chat-tab.html?id=${encodeURIComponent(id)}&endpoint=${encodeURIComponent(rel.info().visitorUrl)}`;
  frames.push(frame);
  document.body.append(frame);
  await new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  const win = frame.contentWindow as Window & { calls: string[] };
  await waitUntil(
    () => (win.document.querySelector('jivo-widget') as JivoWidget | null)?.store?.state.connection === 'open',
    'the tab connects',
    {
      timeout: 8000,
    },
  );
  return { frame, widget: win.document.querySelector('jivo-widget') as JivoWidget, win };
}

describe('reliability through the reference backend', function () {
  this.timeout(30000);

  afterEach(() => {
    for (const f of frames.splice(0)) f.remove();
  });

  it('a backend restart mid-chat, with messages queued on both sides, delivers every message exactly once', async () => {
    const anna = await agent();
    const el = await mount(uniqueId());
    await connected(el);
    el.open();
    el.store!.sendMessage('before the crash');
    const visitorId = await anna.visitorOf(el.widgetId!);
    await anna.waitForText(visitorId, 'before the crash');

    await backend.stop();
    await waitUntil(() => el.store!.state.connection === 'connecting' && !anna.connected, 'both sides notice');
    // Written while the backend is down: they wait in the outboxes (the widget's is in localStorage).
    el.store!.sendMessage('visitor, queued 1');
    el.store!.sendMessage('visitor, queued 2');
    anna.say(visitorId, 'agent, queued 1');
    anna.say(visitorId, 'agent, queued 2');
    expect(el.store!.state.messages.filter((m) => m.status === 'pending')).to.have.length(2);
    expect(
      JSON.parse(localStorage.getItem(`jivo-widget:${el.widgetId}:messages`)!).length,
      'kept in the browser',
    ).to.equal(3);

    await backend.start();
    // The network is "back": the widget reconnects at once instead of at the end of its backoff.
    window.dispatchEvent(new Event('online'));
    await anna.reconnect();
    await connected(el);

    const all = ['before the crash', 'visitor, queued 1', 'visitor, queued 2', 'agent, queued 1', 'agent, queued 2'];
    await waitUntil(
      () => el.store!.state.messages.length === 5 && el.store!.state.messages.every((m) => m.status !== 'pending'),
      'the widget has everything',
      {
        timeout: 8000,
      },
    );
    await waitUntil(() => anna.conversation(visitorId).length === 5, 'the agent has everything', { timeout: 8000 });
    once(el.store!.state.messages, all);
    once(anna.conversation(visitorId), all);
    // The backend's own record, as a fresh console sees it after the restart.
    const fresh = await agent();
    once(fresh.conversation(visitorId), all);
    expect(fresh.conversation(visitorId).map((m) => m.seq)).to.deep.equal([1, 2, 3, 4, 5]);
    expect(texts(el.store!.state.messages).slice(0, 3), 'the visitor keeps their order').to.deep.equal(all.slice(0, 3));
  });

  it('a message resent after a lost acknowledgement is stored once, with its first seq', async () => {
    const anna = await agent();
    const el = await mount(uniqueId());
    await connected(el);
    const visitorId = await anna.visitorOf(el.widgetId!);
    const message = el.store!.sendMessage('maybe twice?');
    await waitUntil(() => el.store!.state.messages[0].status === 'sent', 'stored and acknowledged');
    const firstSeq = el.store!.state.messages[0].seq;
    // As if the acknowledgement had been lost with the connection: the widget still holds the message as pending
    // and sends it again when it reconnects.
    el.store!.setMessageStatus(message.id, 'pending');
    await backend.stop();
    await backend.start();
    window.dispatchEvent(new Event('online'));
    await anna.reconnect();
    await connected(el);
    await waitUntil(() => el.store!.state.messages[0].status === 'sent', 'acknowledged again', { timeout: 8000 });
    expect(el.store!.state.messages[0].seq, 'the backend answers with the seq it stored').to.equal(firstSeq);
    const fresh = await agent();
    once(fresh.conversation(visitorId), ['maybe twice?']);
    once(el.store!.state.messages, ['maybe twice?']);
  });

  it('a page reload with unsent messages still delivers them, once', async () => {
    const anna = await agent();
    const id = uniqueId();
    const first = await mount(id);
    await connected(first);
    const visitorId = await anna.visitorOf(id);
    await backend.stop();
    await waitUntil(() => first.store!.state.connection === 'connecting', 'the widget notices');
    first.store!.sendMessage('typed while offline');
    first.store!.sendMessage('and another');
    first.remove(); // the visitor reloads, or leaves and comes back
    await backend.start();
    await anna.reconnect();
    const second = await mount(id);
    await connected(second);
    await waitUntil(() => anna.conversation(visitorId).length === 2, 'the agent gets both', { timeout: 8000 });
    once(anna.conversation(visitorId), ['typed while offline', 'and another']);
    await waitUntil(
      () => second.store!.state.messages.every((m: ChatMessage) => m.status === 'sent'),
      'and the widget knows',
    );
  });

  it('one conversation across tabs: messages, unread count and reads agree', async () => {
    const anna = await agent();
    const id = uniqueId();
    const tab1 = await openTab(id);
    const tab2 = await openTab(id);
    expect(tab2.widget.store!.state.visitorId, 'one visitor for the site').to.equal(tab1.widget.store!.state.visitorId);

    tab1.widget.open();
    tab1.widget.store!.sendMessage('from tab 1');
    await waitUntil(
      () => texts(tab2.widget.store!.state.messages).includes('from tab 1'),
      'tab 2 shows what tab 1 sent',
    );
    const visitorId = await anna.visitorOf(id);
    tab1.widget.close();

    anna.say(visitorId, 'to all tabs');
    await waitUntil(
      () => tab1.widget.getUnreadMessagesCount() === 1 && tab2.widget.getUnreadMessagesCount() === 1,
      'both tabs count the unread message',
    );
    expect(tab1.win.calls.filter((c) => c === 'message-received')).to.have.length(1);
    expect(tab2.win.calls.filter((c) => c === 'message-received')).to.have.length(1);
    tab2.widget.open();
    await waitUntil(() => tab1.widget.getUnreadMessagesCount() === 0, 'reading in tab 2 reads it in tab 1');
    once(anna.conversation(visitorId), ['from tab 1']);
  });
});
