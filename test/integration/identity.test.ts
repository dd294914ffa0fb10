import { expect, waitUntil } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import '../../src/jivo-widget.js';
import type { JivoWidget } from '../../src/components/widget/widget.js';
import { useBackend } from '../helpers/agent-client.js';
import { closeTabs, openSiteTab } from '../helpers/tabs.js';

// Visitor ids the server issues (security review F14), through the real backend over real WebSockets: the widget keeps
// the id its welcome gives, drops it on clearHistory (the server revokes it), shares one between tabs opened at once,
// and a verified visitor is one conversation on two devices (two browsers' storage: pages of two origins).

const it_ = useBackend('id-');
const uniqueId = it_.uniqueId;
const ISSUED = /^[A-Za-z0-9_-]{22}$/;

const connected = (el: JivoWidget) =>
  waitUntil(() => el.store!.state.connection === 'open', 'the widget is connected', { timeout: 6000 });
const stored = (widgetId: string, key: string): unknown =>
  JSON.parse(localStorage.getItem(`jivo-widget:${widgetId}:${key}`) ?? 'null');

/** Says hello with `visitorId` on a socket of its own, as a copied id would be replayed; resolves with the welcome. */
function replay(widgetId: string, visitorId: string): Promise<{ visitorId: string; messages: unknown[] }> {
  const ws = new WebSocket(it_.info().visitorUrl!);
  return new Promise((resolve, reject) => {
    ws.onerror = () => reject(new Error('the socket failed'));
    ws.onopen = () =>
      ws.send(
        JSON.stringify({
          type: 'hello',
          v: 1,
          widgetId,
          visitorId,
          after: 0,
          page: { url: location.href, title: 'replay' },
          department: null,
          lang: 'en',
        }),
      );
    ws.onmessage = (event) => {
      const frame = JSON.parse(String(event.data));
      if (frame.type !== 'welcome') return;
      ws.close();
      resolve(frame);
    };
  });
}

/** A page of the site on another device: another origin (localhost for 127.0.0.1), so another browser's storage. */
async function otherDevice(widgetId: string) {
  const own = new URL(location.href);
  const frame = document.createElement('iframe');
  frame.title = 'another device';
  const origin = `http://localhost:${own.port}`;
  frame.src = `${origin}/test/fixtures/device.html?id=${encodeURIComponent(widgetId)}&endpoint=${encodeURIComponent(it_.info().visitorUrl!)}`;
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  document.body.append(frame);
  await loaded;
  let seq = 0;
  const call = (name: string, ...args: unknown[]) =>
    new Promise<any>((resolve) => {
      const id = ++seq;
      const onReply = (event: MessageEvent) => {
        if (event.source !== frame.contentWindow || event.data?.reply !== id) return;
        removeEventListener('message', onReply);
        resolve(event.data.result);
      };
      addEventListener('message', onReply);
      frame.contentWindow!.postMessage({ id, call: name, args }, origin);
    });
  let state: { visitorId: string; connection: string; messages: string[] } | null = null;
  const until = async (what: (s: NonNullable<typeof state>) => boolean, message: string) => {
    await waitUntil(
      async () => {
        state = await call('state');
        return state !== null && what(state);
      },
      message,
      { timeout: 8000 },
    );
    return state!;
  };
  return { frame, call, until };
}

describe('visitor ids the server issues (F14)', function () {
  this.timeout(30000);
  afterEach(() => {
    closeTabs();
    for (const f of document.querySelectorAll('iframe[title="another device"]')) f.remove();
  });

  it('F14: the widget keeps the id its welcome issues and says it again after a reload', async () => {
    const widgetId = uniqueId();
    const el = await it_.mount(widgetId);
    await connected(el);
    const issued = el.store!.state.visitorId;
    expect(issued).to.match(ISSUED);
    expect(stored(widgetId, 'visitorId')).to.equal(issued);
    el.store!.sendMessage('Hello');
    await waitUntil(() => el.store!.state.messages[0]?.seq === 1, 'stored');
    el.remove();
    const again = await it_.mount(widgetId);
    await connected(again);
    expect(again.store!.state.visitorId).to.equal(issued);
    expect(again.store!.state.messages.map((m) => m.text)).to.deep.equal(['Hello']);
  });

  it('F14: an id the server never issued, in storage, is replaced; what was stored under it is dropped', async () => {
    for (const made of ['1', 'admin', '0f4c9a62-1b7e-4d3a-9c85-6e2f1a0b7d49']) {
      const widgetId = uniqueId();
      localStorage.setItem(`jivo-widget:${widgetId}:visitorId`, JSON.stringify(made));
      localStorage.setItem(
        `jivo-widget:${widgetId}:messages`,
        JSON.stringify([{ id: 'old-1', from: 'agent', text: 'Your card ends 4242', at: 1, seq: 1 }]),
      );
      const el = await it_.mount(widgetId);
      await connected(el);
      const { visitorId, messages } = el.store!.state;
      expect(visitorId, made).to.match(ISSUED);
      expect(messages, `nothing of "${made}" stays`).to.deep.equal([]);
      expect(stored(widgetId, 'visitorId')).to.equal(visitorId);
      el.remove();
    }
  });

  it('F14: clearHistory ends with a new server-issued id; the old one opens nothing any more', async () => {
    const widgetId = uniqueId();
    const el = await it_.mount(widgetId);
    await connected(el);
    el.store!.sendMessage('My card ends 4242');
    await waitUntil(() => el.store!.state.messages[0]?.seq === 1, 'stored');
    const old = el.store!.state.visitorId;
    expect(el.clearHistory()).to.deep.equal({ result: 'ok' });
    await waitUntil(() => el.store!.state.visitorId !== '' && el.store!.state.connection === 'open', 'a new visitor');
    const fresh = el.store!.state.visitorId;
    expect(fresh).to.match(ISSUED);
    expect(fresh).not.to.equal(old);
    expect(stored(widgetId, 'visitorId')).to.equal(fresh);
    expect(el.store!.state.messages).to.deep.equal([]);
    // The old id, replayed from anywhere (a copy of the storage), is a new, empty visitor.
    const welcome = await replay(widgetId, old);
    expect(welcome.visitorId).not.to.equal(old);
    expect(welcome.messages).to.deep.equal([]);
    // The new id is the widget's conversation.
    expect((await replay(widgetId, fresh)).visitorId).to.equal(fresh);
  });

  it('F14: two tabs opened at once on a fresh browser end up in one conversation, one visitor', async () => {
    const widgetId = uniqueId();
    const anna = await it_.agent();
    const [tab1, tab2] = await Promise.all([
      openSiteTab(widgetId, it_.info().visitorUrl!),
      openSiteTab(widgetId, it_.info().visitorUrl!),
    ]);
    await waitUntil(
      () => tab1.widget.store!.state.visitorId === tab2.widget.store!.state.visitorId,
      'the tabs share one visitor',
      { timeout: 8000 },
    );
    expect(tab1.widget.store!.state.visitorId).to.match(ISSUED);
    tab1.widget.store!.sendMessage('From tab 1');
    await waitUntil(
      () => tab2.widget.store!.state.messages.some((m) => m.text === 'From tab 1' && m.seq === 1),
      'tab 2 shows it',
    );
    const visitorId = await anna.visitorOf(widgetId);
    await anna.waitForText(visitorId, 'From tab 1');
    // Web Locks let one tab make the visitor while the other waits for its id: no second, empty visitor.
    expect([...anna.visitors.values()].filter((v) => v.widgetId === widgetId)).to.have.length(1);
  });

  it('F14: clearHistory in one tab moves every tab to the one new visitor', async () => {
    const widgetId = uniqueId();
    const tab1 = await openSiteTab(widgetId, it_.info().visitorUrl!);
    const tab2 = await openSiteTab(widgetId, it_.info().visitorUrl!);
    await waitUntil(() => tab2.widget.store!.state.visitorId === tab1.widget.store!.state.visitorId);
    const old = tab1.widget.store!.state.visitorId;
    tab1.widget.store!.sendMessage('private');
    await waitUntil(() => tab2.widget.store!.state.messages.some((m) => m.seq === 1), 'tab 2 has it');
    tab1.widget.clearHistory();
    await waitUntil(
      () => {
        const [a, b] = [tab1, tab2].map((t) => t.widget.store!.state);
        return a.visitorId !== '' && a.visitorId !== old && b.visitorId === a.visitorId && b.connection === 'open';
      },
      'both tabs in the new visitor',
      { timeout: 8000 },
    );
    expect(tab2.widget.store!.state.messages).to.deep.equal([]);
    expect(stored(widgetId, 'visitorId')).to.equal(tab1.widget.store!.state.visitorId);
  });

  it('F14: a verified visitor sees one conversation on two devices; another identity starts afresh', async () => {
    const widgetId = uniqueId();
    const { tokens } = (await executeServerCommand('backend-identity', {
      widgetId,
      subs: ['customer-1001', 'customer-2002'],
    })) as { tokens: Record<string, string> };
    // Device 1: this page (its storage), signed in by the site.
    const phone = await it_.mount(widgetId);
    await connected(phone);
    expect(phone.setUserToken(tokens['customer-1001'])).to.deep.equal({ result: 'ok' });
    phone.store!.sendMessage('Where is order #991?');
    await waitUntil(() => phone.store!.state.messages[0]?.seq === 1, 'stored');
    const customer = phone.store!.state.visitorId;

    // Device 2: another browser, a first visit of its own until the site signs the same customer in.
    const laptop = await otherDevice(widgetId);
    const before = await laptop.until((s) => s.connection === 'open' && s.visitorId !== '', 'device 2 connects');
    expect(before.visitorId).not.to.equal(customer);
    expect(await laptop.call('setUserToken', tokens['customer-1001'])).to.deep.equal({ result: 'ok' });
    await laptop.until(
      (s) => s.visitorId === customer && s.messages.includes('Where is order #991?'),
      "device 2 has the customer's conversation",
    );
    await laptop.call('send', 'Sent from the laptop');
    await waitUntil(
      () => phone.store!.state.messages.some((m) => m.text === 'Sent from the laptop'),
      'device 1 sees it',
    );

    // Another customer signs in on device 1: a visitor of their own; the first one's history leaves the device.
    phone.setUserToken(tokens['customer-2002']);
    await waitUntil(() => phone.store!.state.visitorId !== customer && phone.store!.state.connection === 'open');
    expect(phone.store!.state.messages).to.deep.equal([]);
    expect(stored(widgetId, 'visitorId')).to.equal(phone.store!.state.visitorId);
    expect(JSON.stringify(localStorage)).not.to.contain('order #991');
    // Device 2 still has the first customer's conversation.
    const still = await laptop.call('state');
    expect(still.visitorId).to.equal(customer);
  });
});
