import { expect, waitUntil } from '@open-wc/testing';
import { executeServerCommand, sendKeys } from '@web/test-runner-commands';
import sinon from 'sinon';
import '../../src/jivo-widget.js';
import type { JivoWidget } from '../../src/components/widget/widget.js';
import { TITLE_BLINK_MS } from '../../src/components/widget/controllers/attention.js';
import { useBackend } from '../helpers/agent-client.js';
import { settled } from '../helpers/widget-page.js';

// Never missing a reply while the page is hidden, through the real reference backend: the page's title counts the
// agent's replies and gives the site's title back on return; a desktop notification shows each, with the visitor's
// consent, which is asked for only when they press the window's toggle.
//
// The page's visibility is emulated (document.visibilityState and its event): one test page cannot be hidden for
// real. Headless Chromium cannot show the permission prompt either: the origin is granted notifications through the
// DevTools protocol (what the visitor's "Allow" gives), and only the prompt is stubbed — Notification.permission reads
// "default" until Notification.requestPermission, stubbed, answers "granted". Notifications themselves are real; the
// constructor is wrapped only to see them.

const it_ = useBackend('att-');

let visibility: DocumentVisibilityState = 'visible';
function setVisibility(state: DocumentVisibilityState): void {
  visibility = state;
  document.dispatchEvent(new Event('visibilitychange'));
}

const windowRoot = (el: JivoWidget) => el.shadowRoot!.querySelector('jivo-chat-window')!.shadowRoot!;
const bell = (el: JivoWidget) => windowRoot(el).querySelector<HTMLButtonElement>('button.notify')!;

describe('replies while the page is hidden', function () {
  this.timeout(30000);
  let siteTitle: string;
  const sandbox = sinon.createSandbox();
  const shown: Array<{ title: string; options: NotificationOptions }> = [];
  let permission: NotificationPermission;
  let requested = 0;

  before(() => executeServerCommand('grant-notifications'));

  beforeEach(() => {
    siteTitle = document.title;
    shown.length = 0;
    requested = 0;
    permission = 'default';
    sandbox.stub(document, 'visibilityState').get(() => visibility);
    sandbox.stub(document, 'hidden').get(() => visibility === 'hidden');
    const Real = window.Notification;
    sandbox.stub(Real, 'permission').get(() => permission);
    sandbox.stub(Real, 'requestPermission').callsFake(async () => {
      requested++;
      return (permission = 'granted');
    });
    // Real notifications, seen on their way out.
    const Seen = new Proxy(Real, {
      construct(target, args: [string, NotificationOptions]) {
        shown.push({ title: args[0], options: args[1] });
        return Reflect.construct(target, args);
      },
    });
    sandbox.replace(window, 'Notification', Seen);
  });

  afterEach(() => {
    setVisibility('visible');
    sandbox.restore();
    document.title = siteTitle;
  });

  it('counts replies in the title, politely, follows a title the site sets meanwhile, and gives it back on return', async () => {
    const clock = sinon.useFakeTimers({ toFake: ['setInterval', 'clearInterval'], shouldAdvanceTime: false });
    try {
      const anna = await it_.agent(true);
      const el = await it_.mount(it_.uniqueId());
      el.store!.sendMessage('Hello');
      const visitorId = await anna.visitorOf(el.widgetId!);
      await anna.waitForText(visitorId, 'Hello');
      document.title = 'Catalog — Acme';
      setVisibility('hidden');
      anna.say(visitorId, 'We are here');
      await waitUntil(() => document.title !== 'Catalog — Acme', 'the title counts', { timeout: 4000 });
      expect(document.title).to.equal('(1) Catalog — Acme');
      // Not faster than TITLE_BLINK_MS (≥ 1.5 s).
      expect(TITLE_BLINK_MS).to.be.at.least(1500);
      clock.tick(TITLE_BLINK_MS - 1);
      expect(document.title).to.equal('(1) Catalog — Acme');
      clock.tick(1);
      expect(document.title).to.equal('(1) New message');
      anna.say(visitorId, 'Still there?');
      await waitUntil(() => el.store!.state.messages.length === 3, 'the second reply', { timeout: 4000 });
      clock.tick(TITLE_BLINK_MS);
      expect(document.title).to.equal('(2) Catalog — Acme');
      // A single-page app changes its title while the count shows: that is the site's title from now on.
      document.title = 'Cart — Acme';
      clock.tick(TITLE_BLINK_MS);
      expect(document.title).to.equal('(2) New message');
      clock.tick(TITLE_BLINK_MS);
      expect(document.title).to.equal('(2) Cart — Acme');
      setVisibility('visible');
      expect(document.title, 'the site title, exactly').to.equal('Cart — Acme');
      clock.tick(TITLE_BLINK_MS * 3);
      expect(document.title, 'nothing changes it after the return').to.equal('Cart — Acme');
      // The backend is told the site's title, never the count.
      await waitUntil(() => anna.visitors.get(visitorId)?.page?.title !== undefined);
      expect(anna.visitors.get(visitorId)!.page!.title).to.not.match(/^\(\d+\)/);
    } finally {
      clock.restore();
    }
  });

  it('asks for notification permission only when the visitor presses the toggle, then notifies once per reply', async () => {
    const anna = await it_.agent(true);
    const el = await it_.mount(it_.uniqueId());
    el.open();
    await settled(el);
    expect(requested, 'never on load').to.equal(0);
    const toggle = bell(el);
    expect(toggle.getAttribute('aria-label')).to.equal('Notify me of replies');
    expect(toggle.getAttribute('aria-pressed')).to.equal('false');
    await expect(el).to.be.accessible();

    // Hidden, before consent: the title counts, no notification.
    el.store!.sendMessage('Hello');
    const visitorId = await anna.visitorOf(el.widgetId!);
    await anna.waitForText(visitorId, 'Hello');
    setVisibility('hidden');
    anna.say(visitorId, 'First reply');
    await waitUntil(() => el.store!.state.messages.length === 2, 'the reply', { timeout: 4000 });
    expect(shown).to.have.length(0);
    setVisibility('visible');

    // The visitor's own key press asks, once.
    toggle.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => bell(el).getAttribute('aria-pressed') === 'true', 'turned on');
    expect(requested).to.equal(1);
    await expect(el).to.be.accessible();

    setVisibility('hidden');
    anna.say(visitorId, 'Your order has shipped');
    await waitUntil(() => shown.length === 1, 'a notification', { timeout: 4000 });
    expect(shown[0].title).to.equal(`New message from ${anna.name}`);
    expect(shown[0].options.body).to.equal('Your order has shipped');
    expect(shown[0].options.tag).to.contain(el.widgetId!);
    // While visible, no notification (the visitor sees the reply).
    setVisibility('visible');
    anna.say(visitorId, 'Anything else?');
    await waitUntil(() => el.store!.state.messages.length === 4, 'the reply', { timeout: 4000 });
    expect(shown).to.have.length(1);

    // Turned off: nothing more, and the consent is forgotten for this widget id.
    bell(el).click();
    await settled(el);
    expect(bell(el).getAttribute('aria-pressed')).to.equal('false');
    setVisibility('hidden');
    anna.say(visitorId, 'Bye');
    await waitUntil(() => el.store!.state.messages.length === 5, 'the reply', { timeout: 4000 });
    expect(shown).to.have.length(1);
  });

  it('a second tab of the same visitor does not notify the same reply again', async () => {
    const anna = await it_.agent(true);
    const id = it_.uniqueId();
    const first = await it_.mount(id);
    first.open();
    await settled(first);
    bell(first).click();
    await waitUntil(() => bell(first).getAttribute('aria-pressed') === 'true', 'turned on');
    // The other tab: a second widget of the same id in this page shares the browser's storage and Web Locks.
    const second = await it_.mount(id);
    first.store!.sendMessage('Hi');
    const visitorId = await anna.visitorOf(id);
    await anna.waitForText(visitorId, 'Hi');
    document.title = 'Shop';
    setVisibility('hidden');
    anna.say(visitorId, 'One reply');
    await waitUntil(
      () => first.store!.state.messages.length === 2 && second.store!.state.messages.some((m) => m.from === 'agent'),
      'both tabs have it',
      { timeout: 4000 },
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(shown).to.have.length(1);
    // Two widgets on one page: one of them counts in the title, so the count is not written twice.
    expect(document.title).to.equal('(1) Shop');
    setVisibility('visible');
    expect(document.title).to.equal('Shop');
  });
});
