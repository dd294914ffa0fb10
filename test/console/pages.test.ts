import { expect, fixture, fixtureCleanup, html, waitUntil as waitFor } from '@open-wc/testing';
import { executeServerCommand, sendKeys } from '@web/test-runner-commands';
import '../../console/index.js';
import type { JivoAgentConsole } from '../../console/agent-console.js';
import { signIn, TestAgent, type BackendInfo } from '../helpers/agent-client.js';

/** Waits as the rest of the console's tests do: a round trip to the server under load can take more than a second. */
const waitUntil = (check: () => boolean, message?: string) => waitFor(check, message, { timeout: 5000 });

// The agent console's pages against the real reference backend, with small pages so that a few visitors and messages
// span several: the console shows what the welcome gave, loads earlier messages (button, keyboard, scrolling up) and
// more of each list ("Show more"), keeps the focus sensible and says what came; a visitor it was not sent joins the
// list when it writes.

const PAGES = { visitors: 2, visitorMessages: 5, messages: 10, items: 2, rate: { burst: 1000, windowMs: 1000 } };

/** A widget's side of the protocol, spoken directly: hello, then whatever the test sends. */
class VisitorSocket {
  readonly ws: WebSocket;
  readonly frames: Array<Record<string, unknown>> = [];
  constructor(url: string) {
    this.ws = new WebSocket(url);
    this.ws.onmessage = (e) => this.frames.push(JSON.parse(e.data as string) as Record<string, unknown>);
  }
  /** `visitorId`: the id an earlier welcome issued (none: a first visit). */
  static async open(url: string, widgetId: string, visitorId?: string): Promise<VisitorSocket> {
    const v = new VisitorSocket(url);
    await new Promise((resolve, reject) => {
      v.ws.onopen = resolve;
      v.ws.onerror = () => reject(new Error('the visitor could not connect'));
    });
    const page = { url: 'https://shop.example/', title: 'Shop' };
    const id = visitorId ? { visitorId } : {};
    v.send({ type: 'hello', v: 1, widgetId, ...id, after: 0, page, department: null, lang: 'en' });
    await waitUntil(() => v.frames.some((f) => f.type === 'welcome'), 'the visitor is welcomed');
    return v;
  }
  /** The id the backend issued this visitor. */
  get visitorId(): string {
    return this.frames.find((f) => f.type === 'welcome')!.visitorId as string;
  }
  send(frame: object): void {
    this.ws.send(JSON.stringify(frame));
  }
  /** Sends and waits for the ack of this id. */
  async stored(frame: { id: string; [field: string]: unknown }): Promise<void> {
    this.send(frame);
    await waitUntil(() => this.frames.some((f) => f.type === 'ack' && f.id === frame.id), `${frame.id} is stored`);
  }
  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    const closed = new Promise((resolve) => this.ws.addEventListener('close', resolve));
    this.ws.close();
    await closed;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const text = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const buttonNamed = (root: ParentNode, name: string | RegExp) =>
  [...root.querySelectorAll('button')].find((b) =>
    typeof name === 'string' ? text(b).startsWith(name) : name.test(text(b)),
  );

describe('<jivo-agent-console> pages', function () {
  this.timeout(30000);
  let info: BackendInfo;
  let sockets: VisitorSocket[] = [];
  let agents: TestAgent[] = [];
  let run = 0;

  before(async () => {
    // An empty backend: the lists it pages through hold this file's visitors and messages alone.
    info = (await executeServerCommand('backend-options', {
      fresh: true,
      visitorRates: { messages: { burst: 100, windowMs: 1000 }, frames: { burst: 200, windowMs: 1000 } },
      limits: { consolePages: PAGES },
    })) as BackendInfo;
  });

  after(async () => {
    await executeServerCommand('backend-options', {});
  });

  afterEach(async () => {
    fixtureCleanup();
    for (const s of sockets) await s.close();
    for (const a of agents) a.close();
    sockets = [];
    agents = [];
  });

  const widget = () => `pages-${Date.now().toString(36)}-${++run}`;
  /** The ids the backend issued, by widget id and visitor: the same visitor comes back with its id. */
  const issued = new Map<string, string>();
  const visitor = async (widgetId: string, n: number) => {
    const key = `${widgetId}-v${n}`;
    const v = await VisitorSocket.open(info.visitorUrl, widgetId, issued.get(key));
    issued.set(key, v.visitorId);
    sockets.push(v);
    return v;
  };
  const observer = async (online = true) => {
    const a = new TestAgent();
    agents.push(a);
    await a.connect(info.agentUrl, online);
    return a;
  };
  const mountConsole = async (name: string) => {
    await signIn(info.agentUrl, name);
    const el = await fixture<JivoAgentConsole>(
      html`<jivo-agent-console endpoint=${info.agentUrl}></jivo-agent-console>`,
    );
    await waitUntil(() => el.store.state.connection === 'open', 'the console is connected');
    return el;
  };
  const focused = (el: JivoAgentConsole) => el.shadowRoot!.activeElement as HTMLElement | null;
  /** What has the focus, as words (elements themselves make assertion messages that take minutes to print). */
  const focusName = (el: JivoAgentConsole) => {
    const f = focused(el);
    return f
      ? `${f.localName}${f.getAttribute('role') ? `[${f.getAttribute('role')}]` : ''} ${text(f).slice(0, 40)}`
      : 'nothing';
  };
  const status = (el: JivoAgentConsole) => text(el.shadowRoot!.querySelector('p.visually-hidden[role="status"]'));

  it('shows the newest messages of a chat and loads earlier ones with the button, by keyboard, focus kept', async () => {
    const widgetId = widget();
    const v = await visitor(widgetId, 1);
    for (let seq = 1; seq <= 27; seq++)
      await v.stored({ type: 'message', id: `${widgetId}-m${seq}`, text: `Line ${seq}` });
    const el = await mountConsole(`Reader ${widgetId}`);
    const chat = [...el.store.state.chats.values()].find((c) => c.widgetId === widgetId)!;
    expect(
      chat.messages.map((m) => m.seq),
      'the welcome carries the 5 newest',
    ).to.deep.equal([23, 24, 25, 26, 27]);
    el.store.openChat(chat.id);
    await el.updateComplete;
    const root = el.shadowRoot!;
    const seqs = () => [...root.querySelectorAll('.log .message .text')].map((t) => Number(text(t).slice(5)));
    expect(seqs()).to.deep.equal([23, 24, 25, 26, 27]);
    const earlier = buttonNamed(root, 'Load earlier messages')!;
    expect(earlier, 'a button above the conversation').to.exist;
    await expect(el).to.be.accessible();

    // By keyboard: focus the button, press Enter; the button stays, with the focus, while there is more.
    earlier.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => seqs().length === 15, 'ten earlier messages come in above');
    expect(seqs()).to.deep.equal(Array.from({ length: 15 }, (_, i) => i + 13));
    expect(focusName(el), 'the focus stays on the button').to.equal('button Load earlier messages');
    expect(status(el)).to.equal('Loaded 10 earlier messages.');
    await sendKeys({ press: 'Space' });
    await waitUntil(() => seqs().length === 25, 'ten more');
    await sendKeys({ press: 'Enter' });
    // The last two: the button goes, and the focus moves to the conversation rather than to the page's start.
    await waitUntil(() => seqs().length === 27, 'the first two');
    expect(seqs()[0]).to.equal(1);
    expect(Boolean(buttonNamed(root, 'Load earlier messages')), 'the button is gone').to.equal(false);
    expect(focusName(el)).to.match(/^div\[log\] /);
    expect(status(el)).to.equal('Loaded 2 earlier messages. This is the start of the conversation.');
    await expect(el).to.be.accessible();
  });

  it('scrolling to the top of a conversation loads earlier messages and keeps the reader where they were', async () => {
    const widgetId = widget();
    const v = await visitor(widgetId, 1);
    const long = 'A line long enough to wrap and to make the conversation taller than its box. '.repeat(3);
    for (let seq = 1; seq <= 30; seq++)
      await v.stored({ type: 'message', id: `${widgetId}-m${seq}`, text: `${seq} ${long}` });
    const el = await mountConsole(`Scroller ${widgetId}`);
    const chat = [...el.store.state.chats.values()].find((c) => c.widgetId === widgetId)!;
    el.store.openChat(chat.id);
    await el.updateComplete;
    const log = el.shadowRoot!.querySelector<HTMLElement>('[role="log"]')!;
    // Five long messages overflow the log; it starts at the bottom.
    await waitUntil(() => log.scrollHeight > log.clientHeight, 'the conversation overflows its box');
    const top = log.querySelector('.message')!;
    expect(text(top.querySelector('.text'))).to.match(/^26 /);
    log.scrollTop = 0;
    log.dispatchEvent(new Event('scroll'));
    await waitUntil(() => el.store.state.chats.get(chat.id)!.messages.length === 15, 'ten earlier messages come');
    await el.updateComplete;
    // The messages came in above the one that was at the top, which stays where the reader had it.
    expect(text(log.querySelector('.message .text'))).to.match(/^16 /);
    expect(top.isConnected, 'the element stays').to.equal(true);
    const offset = top.getBoundingClientRect().top - log.getBoundingClientRect().top;
    expect(Math.abs(offset), `${offset}px from the top`).to.be.below(40);
    expect(log.scrollTop).to.be.above(0);
  });

  it('"Show more" loads older visitors and offline messages, says so, and keeps the focus on the list', async () => {
    const widgetId = widget();
    // Five visitors of this widget, one after another, gone again: not active, so only the newest two are in the
    // welcome. Each leaves an offline message.
    for (let n = 1; n <= 5; n++) {
      await sleep(5);
      const v = await visitor(widgetId, n);
      await v.stored({
        type: 'offline_message',
        id: `${widgetId}-o${n}`,
        name: `Visitor number ${n}`,
        email: 'ann@example.com',
        phone: '',
        description: '',
        message: `Offline ${n}`,
      });
      await v.close();
    }
    const el = await mountConsole(`Pager ${widgetId}`);
    const root = el.shadowRoot!;
    const mine = () =>
      [...el.store.state.chats.values()]
        .filter((c) => c.widgetId === widgetId)
        .map((c) => c.number)
        .sort();
    expect(mine()).to.have.length(2);
    expect(buttonNamed(root, /^Visitors \(\d+\+\)$/), 'the count says more exist').to.exist;
    const more = buttonNamed(root, 'Show more visitors')!;
    more.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => mine().length === 4, 'two more visitors');
    expect(focusName(el)).to.equal('button Show more visitors');
    expect(status(el)).to.equal('Loaded 2 more visitors.');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => mine().length === 5, 'the fifth');
    await expect(el).to.be.accessible();

    // Offline messages: 2 in the welcome; then 2, then the last one, after which the button goes and the focus moves
    // to the first message that came.
    buttonNamed(root, 'Offline messages')!.click();
    await el.updateComplete;
    const offline = () => [...root.querySelectorAll('li.offline')].map((li) => text(li.querySelector('dd.text')));
    expect(offline()).to.deep.equal(['Offline 5', 'Offline 4']);
    buttonNamed(root, 'Show more offline messages')!.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => offline().length === 4, 'two more');
    expect(offline()).to.deep.equal(['Offline 5', 'Offline 4', 'Offline 3', 'Offline 2']);
    expect(focusName(el)).to.equal('button Show more offline messages');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => offline().length === 5, 'the last');
    expect(Boolean(buttonNamed(root, 'Show more offline messages')), 'the button is gone').to.equal(false);
    expect(text(focused(el)?.querySelector('dd.text'))).to.equal('Offline 1');
    expect(status(el)).to.equal('Loaded 1 more offline message. All offline messages are shown.');
    expect(buttonNamed(root, /^Offline messages \(5\)$/)).to.exist;
    await expect(el).to.be.accessible();
  });

  it('a visitor older than the pages joins the list when it writes; its earlier messages load on demand', async () => {
    const widgetId = widget();
    const reader = await observer();
    const first = await visitor(widgetId, 1);
    await first.stored({ type: 'message', id: `${widgetId}-m1`, text: 'An old question' });
    const id = await reader.visitorOf(widgetId);
    // Read, and gone: nothing makes it active. Two newer visitors push it out of the welcome's page.
    reader.send({ type: 'read', visitorId: id, seq: 1 });
    await waitUntil(() => reader.visitors.get(id)?.unread === 0, 'the observer read it');
    await first.close();
    for (const n of [2, 3]) {
      await sleep(5);
      await (await visitor(widgetId, n)).close();
    }
    const el = await mountConsole(`Joiner ${widgetId}`);
    expect(el.store.state.chats.has(id), 'not in the welcome').to.equal(false);

    const back = await visitor(widgetId, 1);
    await back.stored({ type: 'message', id: `${widgetId}-m2`, text: 'Me again' });
    await waitUntil(() => el.store.state.chats.has(id), 'the visitor joins the list');
    const chat = el.store.state.chats.get(id)!;
    expect(chat.messages.map((m) => m.text)).to.deep.equal(['Me again']);
    expect(chat.olderMessages).to.equal(true);
    // The store has the visitor before the list has rendered it.
    const listed = () => el.shadowRoot!.querySelector<HTMLElement>(`[data-page-id="${id}"]`);
    await waitUntil(() => Boolean(listed()), 'the list shows the visitor');
    const item = listed()!;
    await waitUntil(() => text(item).includes('1 unread'), 'its unread count');
    item.click();
    await el.updateComplete;
    const root = el.shadowRoot!;
    buttonNamed(root, 'Load earlier messages')!.click();
    await waitUntil(() => el.store.state.chats.get(id)!.messages.length === 2, 'the earlier message comes');
    expect([...root.querySelectorAll('.log .message .text')].map((t) => text(t))).to.deep.equal([
      'An old question',
      'Me again',
    ]);
    await expect(el).to.be.accessible();
  });

  it('"Show more call backs" loads older calls; the open ones are there from the start', async () => {
    const widgetId = widget();
    // An online agent, so that call backs are offered; it fails the first two calls.
    const caller = await observer(true);
    const calls = () =>
      caller.frames.flatMap((f) => (f.type === 'call' && f.call.widgetId === widgetId ? [f.call] : []));
    for (let n = 1; n <= 3; n++) {
      await sleep(5);
      const v = await visitor(widgetId, n);
      expect(v.frames.find((f) => f.type === 'welcome')!.callbackEnabled).to.equal(true);
      v.send({ type: 'call_request', id: `${widgetId}-c${n}`, phone: '+14084987855' });
      await waitUntil(() => calls().some((c) => c.id === `${widgetId}-c${n}`), 'the agents hear of the call');
    }
    for (const n of [1, 2]) {
      const call = calls().find((c) => c.id === `${widgetId}-c${n}`)!;
      caller.send({ type: 'call_status', visitorId: call.visitorId, id: call.id, status: 'failed', reason: 'Busy' });
      await waitUntil(() => calls().some((c) => c.id === call.id && c.status === 'failed'), 'the call failed');
    }

    const el = await mountConsole(`Caller ${widgetId}`);
    const root = el.shadowRoot!;
    const mine = () =>
      el.store.state.calls
        .filter((c) => c.widgetId === widgetId)
        .map((c) => `${c.id.slice(-2)} ${c.status}`)
        .sort();
    // The two newest (one of them open); the first, failed, is older than the page.
    expect(mine()).to.deep.equal(['c2 failed', 'c3 requested']);
    buttonNamed(root, /^Call backs/)!.click();
    await el.updateComplete;
    const more = buttonNamed(root, 'Show more call backs')!;
    more.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => mine().length === 3, 'the older call comes');
    expect(mine()).to.deep.equal(['c1 failed', 'c2 failed', 'c3 requested']);
    const shown = [...root.querySelectorAll('li.call')].filter((li) => text(li).includes(widgetId));
    expect(shown.map((li) => text(li.querySelector('dd strong')))).to.deep.equal([
      'Waiting for a call',
      'Failed',
      'Failed',
    ]);
    await expect(el).to.be.accessible();
  });
});
