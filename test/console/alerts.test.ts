import { expect, fixture, fixtureCleanup, html, waitUntil } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import sinon from 'sinon';
import '../../console/index.js';
import type { JivoAgentConsole } from '../../console/agent-console.js';
import { WAIT_ANNOUNCE_MS, WAIT_TICK_MS } from '../../console/waiting.js';
import { backend, signIn, type BackendInfo } from '../helpers/agent-client.js';

// What keeps an agent from missing a visitor, against the real reference backend: while the console is hidden, its
// title counts new visitors, messages, call-back requests and offline messages, each chimes (once, in one tab), and
// with the agent's consent a desktop notification shows; the list shows each chat's last message and how long the
// visitor has waited, kept current, said once when it grows long.
//
// The console's visibility and focus are emulated (one test page cannot be hidden for real). Headless Chromium cannot
// show the notification permission prompt: the origin is granted notifications through the DevTools protocol, and
// only the prompt is stubbed (Notification.permission reads "default" until the stubbed requestPermission answers);
// the notifications are real, seen through a wrapper of the constructor.

/** A widget's side of the protocol, spoken directly. */
async function visitorSocket(url: string, widgetId: string): Promise<WebSocket> {
  const ws = new WebSocket(url);
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = () => reject(new Error('the visitor could not connect'));
  });
  ws.send(
    JSON.stringify({
      type: 'hello',
      v: 1,
      widgetId,
      visitorId: `${widgetId}-visitor`,
      after: 0,
      page: { url: 'https://shop.example/', title: 'Shop' },
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

describe('<jivo-agent-console> alerts', function () {
  this.timeout(20000);
  let info: BackendInfo;
  const sockets: WebSocket[] = [];
  const sandbox = sinon.createSandbox();
  let visible = true;
  let permission: NotificationPermission;
  let requested = 0;
  const shown: Array<{ title: string; options: NotificationOptions }> = [];
  let title: string;

  const setAway = (away: boolean) => {
    visible = !away;
    document.dispatchEvent(new Event('visibilitychange'));
    if (!away) window.dispatchEvent(new Event('focus'));
  };

  before(async () => {
    info = await backend.info();
    if (!info.running) info = await backend.start();
    await executeServerCommand('grant-notifications');
  });

  beforeEach(() => {
    title = document.title = 'Agent console';
    visible = true;
    permission = 'default';
    requested = 0;
    shown.length = 0;
    localStorage.removeItem('jivo-console:sound');
    localStorage.removeItem('jivo-console:notifications');
    sandbox.stub(document, 'visibilityState').get(() => (visible ? 'visible' : 'hidden'));
    sandbox.stub(document, 'hasFocus').callsFake(() => visible);
    const Real = window.Notification;
    sandbox.stub(Real, 'permission').get(() => permission);
    sandbox.stub(Real, 'requestPermission').callsFake(async () => {
      requested++;
      return (permission = 'granted');
    });
    sandbox.replace(
      window,
      'Notification',
      new Proxy(Real, {
        construct(target, args: [string, NotificationOptions]) {
          shown.push({ title: args[0], options: args[1] });
          return Reflect.construct(target, args);
        },
      }),
    );
  });

  afterEach(() => {
    fixtureCleanup();
    for (const ws of sockets.splice(0)) ws.close();
    sandbox.restore();
    document.title = title;
  });

  async function signedIn(name: string): Promise<JivoAgentConsole> {
    await signIn(info.agentUrl, name);
    const el = await fixture<JivoAgentConsole>(
      html`<jivo-agent-console endpoint=${info.agentUrl}></jivo-agent-console>`,
    );
    await waitUntil(() => el.store.state.connection === 'open', 'the console is connected');
    button(el, 'Online')!.click();
    await waitUntil(() => el.store.state.online, 'the agent is online');
    return el;
  }

  it('counts what arrives in the title, chimes, and notifies once the agent turned notifications on', async () => {
    const oscillators = sandbox.spy(AudioContext.prototype, 'createOscillator');
    const widgetId = `alerts-${Date.now().toString(36)}`;
    const el = await signedIn(`Alerter ${widgetId}`);
    expect(requested, 'no permission asked on load').to.equal(0);
    const notifications = button(el, 'Desktop notifications')!;
    expect(notifications.getAttribute('aria-pressed')).to.equal('false');
    expect(button(el, 'Sound')!.getAttribute('aria-pressed'), 'sound is on by default').to.equal('true');
    notifications.click();
    await waitUntil(() => button(el, 'Desktop notifications')!.getAttribute('aria-pressed') === 'true', 'on');
    expect(requested).to.equal(1);
    await expect(el).to.be.accessible();

    setAway(true);
    // A new visitor.
    const ws = await visitorSocket(info.visitorUrl, widgetId);
    sockets.push(ws);
    await waitUntil(() => document.title === '(1) Agent console', 'the title counts the new visitor');
    await waitUntil(() => shown.length === 1, 'a notification for the new visitor');
    expect(shown[0].title).to.match(/^New visitor: Visitor \d+$/);
    await waitUntil(() => oscillators.callCount >= 2, 'a chime');
    const visitorId = [...el.store.state.chats.values()].find((c) => c.widgetId === widgetId)!.id;

    // A message.
    await new Promise((r) => setTimeout(r, 1100));
    ws.send(JSON.stringify({ type: 'message', id: `${widgetId}-m1`, text: 'Is anyone there?' }));
    await waitUntil(() => document.title === '(2) Agent console', 'the title counts the message');
    await waitUntil(() => shown.length === 2, 'a notification for the message');
    expect(shown[1].title).to.match(/^Visitor \d+$/);
    expect(shown[1].options.body).to.equal('Is anyone there?');
    await waitUntil(() => oscillators.callCount >= 4, 'a second chime');

    // A call-back request.
    ws.send(JSON.stringify({ type: 'call_request', id: `${widgetId}-c1`, phone: '+14084987855' }));
    await waitUntil(() => document.title === '(3) Agent console', 'the title counts the call back');
    await waitUntil(() => shown.some((n) => n.title.startsWith('Call back requested')), 'a notification for the call');

    // An offline message.
    ws.send(
      JSON.stringify({
        type: 'offline_message',
        id: `${widgetId}-o1`,
        name: 'Ann',
        email: 'ann@example.com',
        phone: '',
        description: '',
        message: 'Please call me tomorrow',
      }),
    );
    await waitUntil(() => document.title === '(4) Agent console', 'the title counts the offline message');
    await waitUntil(() => shown.some((n) => n.title === 'Offline message from Ann'), 'a notification for it');

    // Back: the title is the console's again, exactly.
    setAway(false);
    expect(document.title).to.equal('Agent console');
    // Looking at the console, a message in another chat chimes but neither counts nor notifies.
    const count = shown.length;
    await new Promise((r) => setTimeout(r, 1100));
    const chimes = oscillators.callCount;
    ws.send(JSON.stringify({ type: 'message', id: `${widgetId}-m2`, text: 'Hello again' }));
    await waitUntil(() => el.store.state.chats.get(visitorId)?.messages.length === 2, 'the message came');
    await waitUntil(() => oscillators.callCount > chimes, 'a chime');
    expect(document.title).to.equal('Agent console');
    expect(shown.length).to.equal(count);
  });

  it('shows each chat’s last message and how long the visitor has waited, kept current and said once', async () => {
    const clock = sinon.useFakeTimers({
      now: Date.now(),
      toFake: ['setInterval', 'clearInterval', 'Date'],
      shouldAdvanceTime: true,
    });
    try {
      const widgetId = `waiting-${Date.now().toString(36)}`;
      const el = await signedIn(`Waiter ${widgetId}`);
      const ws = await visitorSocket(info.visitorUrl, widgetId);
      sockets.push(ws);
      ws.send(JSON.stringify({ type: 'message', id: `${widgetId}-m1`, text: 'I need help with   my order #42' }));
      const item = () =>
        [...el.shadowRoot!.querySelectorAll<HTMLElement>('.chat-item')].find((b) =>
          [...el.store.state.chats.values()].some((c) => c.widgetId === widgetId && b.dataset.pageId === c.id),
        );
      await waitUntil(() => item()?.querySelector('.last-message'), 'the item shows the last message');
      const chat = [...el.store.state.chats.values()].find((c) => c.widgetId === widgetId)!;
      expect(item()!.querySelector('.last-message')!.textContent).to.equal(
        `Visitor ${chat.number}: I need help with my order #42`,
      );
      expect(item()!.querySelector('.waiting')!.textContent).to.equal('waiting under a minute');
      await expect(el).to.be.accessible();

      clock.tick(WAIT_ANNOUNCE_MS + WAIT_TICK_MS);
      await el.updateComplete;
      expect(item()!.querySelector('.waiting')!.textContent).to.match(/^waiting [23] min$/);
      const region = el.shadowRoot!.querySelector('.announcer')!;
      await waitUntil(() => /has been waiting [23] min for an answer/.test(region.textContent!), 'said once');
      const said = region.textContent;
      clock.tick(WAIT_TICK_MS * 2);
      await el.updateComplete;
      expect(region.textContent === said || region.textContent === '', 'not said again').to.equal(true);

      // The agent answers: not waiting any more; the last message is the reply.
      el.store.openChat(chat.id);
      await el.updateComplete;
      button(el, 'Accept chat')!.click();
      await waitUntil(() => el.store.state.chats.get(chat.id)?.acceptedBy !== null, 'accepted');
      const reply = el.shadowRoot!.querySelector<HTMLTextAreaElement>('#reply')!;
      reply.value = 'Looking at it now';
      reply.dispatchEvent(new InputEvent('input'));
      await el.updateComplete;
      button(el, 'Send')!.click();
      await waitUntil(
        () => item()?.querySelector('.last-message')?.textContent?.endsWith('Looking at it now'),
        'reply',
      );
      expect(item()!.querySelector('.waiting')).to.equal(null);
    } finally {
      clock.restore();
    }
  });
});
