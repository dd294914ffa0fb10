import { executeServerCommand, sendKeys } from '@web/test-runner-commands';
import { expect, waitUntil } from '@open-wc/testing';
import sinon from 'sinon';
import '../../src/jivo-widget.js';
import type { JivoWidget } from '../../src/components/widget/widget.js';
import type { AgentCall } from '../../server/agent-protocol.js';
import { backend, useBackend, type TestAgent } from '../helpers/agent-client.js';
import { asVisitor } from '../helpers/widget-page.js';

// Call backs through the reference backend, over real WebSockets: the page asks (jivo_api or the callback form), the
// agent (speaking the console's protocol) sees the request and moves it on, and the page hears jivo_onCallStart and
// jivo_onCallEnd(res).

const calls = useBackend('it-call-');
const uniqueId = calls.uniqueId;
const frames: HTMLIFrameElement[] = [];

const connected = (el: JivoWidget) =>
  waitUntil(() => el.store!.state.connection === 'open', 'the widget is connected', { timeout: 8000 });

/** Every call the agent has been told about (snapshots and live frames), in order. */
function seenCalls(a: TestAgent): AgentCall[] {
  return a.frames.flatMap((f) => (f.type === 'welcome' ? f.calls : f.type === 'call' ? [f.call] : []));
}

async function agentSees(a: TestAgent, what: string, match: (c: AgentCall) => boolean): Promise<AgentCall> {
  await waitUntil(() => seenCalls(a).some(match), `the agent sees ${what}`, { timeout: 8000 });
  return seenCalls(a).find(match)!;
}

function move(a: TestAgent, call: AgentCall, status: 'connected' | 'finished' | 'failed', reason?: string): void {
  a.send({ type: 'call_status', visitorId: call.visitorId, id: call.id, status, ...(reason ? { reason } : {}) });
}

/** The page's call-back callbacks, recorded in order. */
function recordCallbacks(win: Window & { jivo_onCallStart?: unknown; jivo_onCallEnd?: unknown } = window): string[] {
  const log: string[] = [];
  win.jivo_onCallStart = () => log.push('start');
  win.jivo_onCallEnd = (res: unknown) => log.push(`end ${JSON.stringify(res)}`);
  return log;
}

async function shadowFind<T extends Element>(root: Element, ...path: string[]): Promise<T> {
  let node: Element = root;
  for (const selector of path) {
    await (node as unknown as { updateComplete?: Promise<unknown> }).updateComplete;
    const next = node.shadowRoot!.querySelector(selector);
    if (!next) throw new Error(`no ${selector}`);
    node = next;
  }
  await (node as unknown as { updateComplete?: Promise<unknown> }).updateComplete;
  return node as T;
}

describe('call backs through the reference backend', function () {
  this.timeout(30000);

  afterEach(() => {
    delete window.jivo_onCallStart;
    delete window.jivo_onCallEnd;
    sinon.restore();
    for (const f of frames.splice(0)) f.remove();
  });

  it('startCall → the console gets the request → connected → finished: jivo_onCallStart, then jivo_onCallEnd({result: "ok"})', async () => {
    const anna = await calls.agent();
    const el = await calls.mount(uniqueId());
    await connected(el);
    await waitUntil(() => el.store!.state.callbackEnabled === true, 'call backs are offered');
    const log = recordCallbacks();

    expect(window.jivo_api!.startCall('+1 (408) 498-7855')).to.deep.equal({ result: 'ok' });
    const call = await agentSees(anna, 'the request', (c) => c.widgetId === el.widgetId);
    expect(call).to.include({
      phone: '+14084987855',
      status: 'requested',
      visitorNumber: el.store!.state.visitorNumber,
      by: null,
    });
    // Stored as origin + path: the query (here the test runner's session id) is not kept (F13).
    expect(call.page!.url).to.equal(location.origin + location.pathname);
    await waitUntil(() => log.length === 1, 'jivo_onCallStart');
    expect(log).to.deep.equal(['start']);

    move(anna, call, 'connected');
    await waitUntil(() => el.store!.state.call?.status === 'connected', 'the widget hears the call is connected');
    expect(log, 'connecting is not another start').to.deep.equal(['start']);
    move(anna, call, 'finished');
    await waitUntil(() => log.length === 2, 'jivo_onCallEnd');
    expect(log).to.deep.equal(['start', 'end {"result":"ok"}']);
    expect((await agentSees(anna, 'it finished', (c) => c.id === call.id && c.status === 'finished')).by).to.equal(
      anna.name,
    );
  });

  it('a failed call ends with {result: "fail", reason} as the agent gave it', async () => {
    const anna = await calls.agent();
    const el = await calls.mount(uniqueId());
    await connected(el);
    await waitUntil(() => el.store!.state.callbackEnabled === true);
    let res: unknown;
    window.jivo_onCallEnd = (r) => (res = r);
    window.jivo_api!.startCall('+47 555 01 020');
    const call = await agentSees(anna, 'the request', (c) => c.widgetId === el.widgetId);
    move(anna, call, 'failed', 'No answer');
    await waitUntil(() => res !== undefined, 'jivo_onCallEnd');
    expect(res).to.deep.equal({ result: 'fail', reason: 'No answer' });
  });

  it('with call backs turned off on the backend: "Callback disabled" from startCall, isCallbackEnabled and open', async () => {
    await executeServerCommand('backend-options', { callbacks: false });
    try {
      const el = await calls.mount(uniqueId(), { endpoint: (await backend.info()).visitorUrl });
      await calls.agent();
      await connected(el);
      expect(el.store!.state.callbackEnabled).to.equal(false);
      const api = window.jivo_api!;
      expect(api.startCall('+14084987855')).to.deep.equal({ result: 'fail', reason: 'Callback disabled' });
      const answer = await new Promise((resolve) => api.isCallbackEnabled(resolve));
      expect(answer).to.deep.equal({ result: 'fail', reason: 'Callback disabled' });
      expect(api.open({ start: 'call' })).to.deep.equal({ result: 'fail', reason: 'Callback disabled' });
      expect(el.store!.state.view).to.equal('label');
    } finally {
      await executeServerCommand('backend-options', {});
    }
  });

  it('with nobody online call backs are off, and come on when an agent goes online', async () => {
    const el = await calls.mount(uniqueId());
    await connected(el);
    const api = window.jivo_api!;
    expect(await new Promise((resolve) => api.isCallbackEnabled(resolve))).to.deep.equal({
      result: 'fail',
      reason: 'Callback disabled',
    });
    expect(api.startCall('+14084987855')).to.deep.equal({ result: 'fail', reason: 'Callback disabled' });
    await calls.agent();
    await waitUntil(() => el.store!.state.callbackEnabled === true, 'the backend says call backs are on');
    expect(await new Promise((resolve) => api.isCallbackEnabled(resolve))).to.deep.equal({ result: 'ok' });
  });

  it('a request made while disconnected is delivered once after reconnecting, and starts the call once', async () => {
    const anna = await calls.agent();
    const el = await calls.mount(uniqueId());
    await connected(el);
    await waitUntil(() => el.store!.state.callbackEnabled === true);
    const log = recordCallbacks();
    const endpoint = el.getAttribute('endpoint')!;
    // The visitor's network goes (a port nothing listens on), the agent stays online.
    const drop = async () => {
      el.setAttribute('endpoint', 'ws://127.0.0.1:9/ws/visitor');
      await waitUntil(() => el.store!.state.connection === 'connecting', 'the widget is cut off');
    };

    await drop();
    expect(window.jivo_api!.startCall('+14084987855'), 'queued on the last word of the backend').to.deep.equal({
      result: 'ok',
    });
    const pending = el.store!.state.call!;
    expect(pending.status).to.equal('pending');
    expect(JSON.parse(localStorage.getItem(`jivo-widget:${el.widgetId}:call`)!).id, 'kept in the browser').to.equal(
      pending.id,
    );
    expect(log, 'nothing has started yet').to.deep.equal([]);

    el.setAttribute('endpoint', endpoint);
    await connected(el);
    await waitUntil(() => el.store!.state.call?.status === 'requested', 'the backend has it');
    await waitUntil(() => log.length === 1, 'jivo_onCallStart');
    const call = await agentSees(anna, 'the request', (c) => c.id === pending.id);
    expect(call.status).to.equal('requested');

    // Dropped and back again: the welcome carries the call, nothing is sent twice, nothing starts twice.
    await drop();
    el.setAttribute('endpoint', endpoint);
    await connected(el);
    const bob = await calls.agent();
    expect(seenCalls(bob).filter((c) => c.id === pending.id)).to.have.length(1);
    expect(seenCalls(anna).filter((c) => c.id === pending.id && c.status === 'requested')).to.have.length(1);
    expect(log).to.deep.equal(['start']);
    move(anna, call, 'connected');
    move(anna, call, 'finished');
    await waitUntil(() => log.length === 2, 'the call ends');
    expect(log).to.deep.equal(['start', 'end {"result":"ok"}']);
  });

  it('a request made while the backend is down waits; if nobody is online when it arrives, the call ends "Callback disabled"', async () => {
    sinon.stub(console, 'warn');
    const anna = await calls.agent();
    const el = await calls.mount(uniqueId());
    await connected(el);
    await waitUntil(() => el.store!.state.callbackEnabled === true);
    const log = recordCallbacks();
    // The backend goes first: closing the agent first would let it tell the widget call backs are off before it stops.
    await backend.stop();
    anna.close();
    await waitUntil(() => el.store!.state.connection === 'connecting', 'the widget notices');
    expect(window.jivo_api!.startCall('+14084987855')).to.deep.equal({ result: 'ok' });
    await backend.start();
    window.dispatchEvent(new Event('online'));
    await waitUntil(() => log.length === 1, 'jivo_onCallEnd', { timeout: 8000 });
    expect(log).to.deep.equal(['end {"result":"fail","reason":"Callback disabled"}']);
  });

  it('the visitor asks through the form, and follows the call in it', async () => {
    const anna = await calls.agent();
    const el = await calls.mount(uniqueId());
    await connected(el);
    await waitUntil(() => el.store!.state.callbackEnabled === true);
    // The visitor presses the site's own "Call me back" button.
    await asVisitor(() => expect(window.jivo_api!.open({ start: 'call' })).to.deep.equal({ result: 'ok' }));
    const form = await shadowFind<HTMLElement>(el, 'jivo-chat-window', 'jivo-callback-form');
    await waitUntil(() => form.shadowRoot!.activeElement?.tagName === 'INPUT', 'focus moves to the phone field');
    await sendKeys({ type: '+1 408 498 7855' });
    await sendKeys({ press: 'Enter' });
    const call = await agentSees(anna, 'the request', (c) => c.widgetId === el.widgetId);
    expect(call.phone).to.equal('+14084987855');
    const status = () => form.shadowRoot!.querySelector('[role="status"]')!.textContent!.trim();
    await waitUntil(() => status() === 'We are calling you at +14084987855…', 'the form says it is calling');
    move(anna, call, 'connected');
    await waitUntil(() => status() === 'You are on the phone with us (+14084987855).', 'the form says connected');
    await expect(el).to.be.accessible();
  });

  it('with the site open in two tabs, each page hears the call start and end once', async () => {
    const anna = await calls.agent();
    const id = uniqueId();
    const tabs: Array<{ win: Window & typeof globalThis; log: string[] }> = [];
    for (let i = 0; i < 2; i++) {
      const frame = document.createElement('iframe');
      frame.title = `tab ${i + 1}`;
      frame.src = `/test/fixtures/chat-tab.html?id=${encodeURIComponent(id)}&endpoint=${encodeURIComponent(calls.info().visitorUrl)}`;
      frames.push(frame);
      document.body.append(frame);
      await new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
      const win = frame.contentWindow as Window & typeof globalThis;
      const widget = () => win.document.querySelector('jivo-widget') as JivoWidget | null;
      await waitUntil(
        () => widget()?.store?.state.callbackEnabled === true,
        `tab ${i + 1} is connected, call backs on`,
        { timeout: 8000 },
      );
      tabs.push({ win, log: recordCallbacks(win) });
    }
    expect(tabs[0].win.jivo_api!.startCall('+14084987855')).to.deep.equal({ result: 'ok' });
    const call = await agentSees(anna, 'the request', (c) => c.widgetId === id);
    await waitUntil(() => tabs.every((t) => t.log.length === 1), 'both tabs hear the start');
    move(anna, call, 'connected');
    move(anna, call, 'finished');
    await waitUntil(() => tabs.every((t) => t.log.length === 2), 'both tabs hear the end');
    for (const t of tabs) expect(t.log).to.deep.equal(['start', 'end {"result":"ok"}']);
    expect(seenCalls(anna).filter((c) => c.id === call.id && c.status === 'requested')).to.have.length(1);
  });
});
