import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { JivoApi } from '../../src/api/types.js';
import type { JivoWidget } from '../../src/components/widget/widget.js';
import { useBackend, type TestAgent } from '../helpers/agent-client.js';

/*
 * test/fixtures/reference-examples.html: a page that declares the Widget API document's callbacks as plain global
 * functions and runs its method examples VERBATIM (test/backend/reference-verbatim.test.mjs checks they are), with the
 * widget connected to the real reference backend and an agent on the other side. Every result and callback is read
 * from what the page's examples logged, and compared with what the document says they log.
 */

const ref = useBackend('ref-');

interface ExamplePage extends Window {
  logs: unknown[][];
  calls: string[];
  errors: string[];
  examples: Record<string, (arg?: unknown) => void>;
  jivo_api: JivoApi;
}

const frames: HTMLIFrameElement[] = [];
afterEach(() => frames.splice(0).forEach((f) => f.remove()));

const UTM = 'utm_source=newsletter&utm_medium=email&utm_campaign=spring&utm_content=banner&utm_term=boots';

async function openPage(id: string, query = ''): Promise<{ w: ExamplePage; widget: () => JivoWidget }> {
  const frame = document.createElement('iframe');
  frame.style.cssText = 'width: 800px; height: 700px; border: 0;';
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  frame.src = `/test/fixtures/reference-examples.html?id=${id}&endpoint=${encodeURIComponent(ref.info().visitorUrl)}${query}`;
  document.body.append(frame);
  frames.push(frame);
  await loaded;
  const w = frame.contentWindow as ExamplePage;
  const widget = () => frame.contentDocument!.querySelector('jivo-widget') as JivoWidget;
  await waitUntil(() => w.logs?.some((l) => l[0] === 'Widget fully loaded'), 'jivo_onLoadCallback ran', {
    timeout: 8000,
  });
  await waitUntil(() => widget().store!.state.connection === 'open', 'the widget is connected', { timeout: 8000 });
  return { w, widget };
}

/** The logs written since `from`, and a way to wait for one. */
function logsSince(w: ExamplePage, from: number): unknown[][] {
  return w.logs.slice(from);
}

async function waitForLog(w: ExamplePage, what: string, match: (l: unknown[]) => boolean): Promise<void> {
  await waitUntil(() => w.logs.some(match), `the page logged ${what}`, { timeout: 8000 });
}

/** An element inside the widget's window, through the shadow roots. */
function inWindow(widget: JivoWidget, ...path: string[]): HTMLElement | null {
  let node: Element | null | undefined = widget.shadowRoot!.querySelector('jivo-chat-window');
  for (const selector of path) node = node?.shadowRoot?.querySelector(selector);
  return (node as HTMLElement) ?? null;
}

async function agentSeesVisitor(
  a: TestAgent,
  id: string,
  what: string,
  check: (v: NonNullable<ReturnType<TestAgent['visitors']['get']>>) => boolean,
) {
  await waitUntil(
    () => {
      const v = a.visitors.get(id);
      return !!v && check(v);
    },
    `the agent sees ${what}`,
    { timeout: 8000 },
  );
}

describe('every example of the Widget API document, verbatim, against the reference backend', function () {
  this.timeout(60_000);

  it('with an agent online: callbacks, visitor data, the chat, a call back, the contacts form, offline message, clear', async () => {
    const anna = await ref.agent();
    const id = ref.uniqueId();
    const { w, widget } = await openPage(id, `&${UTM}`);
    const el = widget();

    // jivo_onLoadCallback's own example shows an invitation, which opens the window.
    await waitForLog(w, "'Widget opened'", (l) => l[0] === 'Widget opened');
    expect(w.logs.slice(0, 2)).to.deep.equal([['Widget fully loaded'], ['Widget opened']]);
    expect(w.calls).to.include('state:chat');

    let mark = w.logs.length;
    w.examples.chatMode();
    expect(logsSince(w, mark)).to.deep.equal([['The widget is online']]);

    mark = w.logs.length;
    w.examples.getVisitorNumber();
    await waitForLog(w, 'the visitor number', (l) => l[0] === 'Visitor number: ');
    const [, number] = logsSince(w, mark)[0];
    expect(number).to.be.a('number').and.be.greaterThan(0);

    // The agent asks for contacts; the visitor fills the form by keyboard: jivo_onIntroduction.
    const visitorId = await anna.visitorOf(id);
    anna.send({ type: 'request_contacts', visitorId });
    await waitUntil(() => inWindow(el, 'jivo-contacts-form', 'input[name="name"]'), 'the contacts form shows', {
      timeout: 8000,
    });
    inWindow(el, 'jivo-contacts-form', 'input[name="name"]')!.focus();
    await sendKeys({ type: 'Ann Lee' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ type: 'ann@example.com' });
    await sendKeys({ press: 'Enter' });
    await waitForLog(w, "'Client entered contact details'", (l) => l[0] === 'Client entered contact details');
    await agentSeesVisitor(anna, visitorId, 'the contacts', (v) => v.contact.email === 'ann@example.com');

    mark = w.logs.length;
    w.examples.setContactInfo();
    w.examples.getContactInfo();
    expect(logsSince(w, mark)).to.deep.equal([
      ['Name: ', 'John Smith'],
      ['Email: ', 'email@example.com'],
      ['Phone: ', '+14084987855'],
      ['Description: ', 'Description text'],
    ]);
    await agentSeesVisitor(
      anna,
      visitorId,
      'setContactInfo',
      (v) => v.contact.name === 'John Smith' && v.contact.description === 'Description text',
    );

    // The visitor answers the invitation: the first message, not a chat the client started (an invitation was shown).
    mark = w.logs.length;
    inWindow(el, 'jivo-composer', 'textarea')!.focus();
    await sendKeys({ type: 'Hello, I need help' });
    await sendKeys({ press: 'Enter' });
    await waitForLog(w, "'Client sent the first message'", (l) => l[0] === 'Client sent the first message');
    await anna.waitForText(visitorId, 'Hello, I need help');
    expect(logsSince(w, mark)).to.deep.equal([['Client sent the first message']]);

    anna.accept(visitorId);
    await waitUntil(() => w.calls.includes('accept'), 'jivo_onAccept', { timeout: 8000 });
    anna.say(visitorId, 'Hi! How can I help?');
    await waitUntil(() => w.calls.includes('message-received'), 'jivo_onMessageReceived', { timeout: 8000 });

    mark = w.logs.length;
    w.examples.close();
    expect(logsSince(w, mark)).to.deep.equal([['Widget closed'], ['Widget successfully close']]);
    anna.say(visitorId, 'Are you still there?');
    await waitUntil(() => el.getUnreadMessagesCount() === 1, 'the message arrives unread', { timeout: 8000 });
    mark = w.logs.length;
    w.examples.getUnreadMessagesCount();
    expect(logsSince(w, mark)).to.deep.equal([['Unread messages count:', 1]]);

    // What the site tells about the visitor reaches the agent.
    w.examples.setCustomData();
    w.examples.setUserToken();
    w.examples.sendPageTitle();
    await agentSeesVisitor(
      anna,
      visitorId,
      'the custom data and the page',
      (v) => v.customData.length === 3 && v.page?.title === 'This is custom page title',
    );
    // Stored as origin + path (F13): the query is not kept.
    expect(anna.visitors.get(visitorId)!.page!.url).to.equal('https://site.com/url_to_page');
    expect(anna.visitors.get(visitorId)!.customData.map((f) => f.content)).to.deep.equal([
      'User balance: $56',
      'Open customer profile',
      'Add contact',
    ]);
    expect(JSON.stringify(anna.visitors.get(visitorId))).not.to.contain('site-user-7f3a9c');

    w.examples.setWidgetColor();
    expect(el.getAttribute('color')).to.equal('#ffffff');
    expect(el.getAttribute('color2')).to.equal('#000000');

    mark = w.logs.length;
    w.examples.getUtm();
    expect(logsSince(w, mark)).to.deep.equal([
      ['Utm content: ', 'banner'],
      ['Utm campaign: ', 'spring'],
      ['Utm source: ', 'newsletter'],
      ['Utm medium: ', 'email'],
      ['Utm term: ', 'boots'],
    ]);

    w.examples.setRules({ version: 1, rules: [] });
    expect(w.jivo_api.setRules({ version: 1, rules: [] })).to.deep.equal({ result: 'ok' });

    // A call back: open({start: 'call'}), isCallbackEnabled, startCall, and the agent's "No answer".
    mark = w.logs.length;
    w.examples.open();
    expect(logsSince(w, mark)).to.deep.equal([['Widget opened'], ['Widget open successfully']]);
    expect(w.calls.at(-1)).to.equal('state:call');
    mark = w.logs.length;
    w.examples.isCallbackEnabled();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(logsSince(w, mark), 'available: it opens the form, logging nothing').to.deep.equal([]);
    expect(el.store!.state.view).to.equal('call');

    mark = w.logs.length;
    w.examples.startCall();
    expect(logsSince(w, mark)).to.deep.equal([['Call started, phone: ', '+14084987855']]);
    await waitUntil(() => w.calls.includes('call-start'), 'jivo_onCallStart', { timeout: 8000 });
    await waitUntil(
      () => anna.frames.some((f) => f.type === 'call' && f.call.visitorId === visitorId),
      'the agent sees the call',
      { timeout: 8000 },
    );
    const call = anna.frames
      .flatMap((f) => (f.type === 'call' && f.call.visitorId === visitorId ? [f.call] : []))
      .at(-1)!;
    mark = w.logs.length;
    anna.send({ type: 'call_status', visitorId, id: call.id, status: 'failed', reason: 'No answer' });
    await waitForLog(w, "jivo_onCallEnd's reason", (l) => l[0] === 'No answer');
    expect(logsSince(w, mark)).to.deep.equal([['No answer']]);

    // A conversation is in progress: the document's invitation example is refused quietly, without throwing.
    mark = w.logs.length;
    w.examples.showProactiveInvitation();
    expect(logsSince(w, mark)).to.deep.equal([]);

    mark = w.logs.length;
    w.examples.sendOfflineMessage();
    expect(logsSince(w, mark)).to.deep.equal([['Message sent successfully']]);
    await waitUntil(
      () =>
        anna.frames.some(
          (f) =>
            f.type === 'offline_message' &&
            f.offlineMessage.message === 'Offline message' &&
            f.offlineMessage.name === 'John Smith',
        ),
      'the agent gets the offline message',
      { timeout: 8000 },
    );

    mark = w.logs.length;
    w.examples.clearHistory();
    w.examples.getContactInfo();
    expect(logsSince(w, mark)).to.deep.equal([
      ['All client data deleted'],
      ['Name: ', null],
      ['Email: ', null],
      ['Phone: ', null],
      ['Description: ', null],
    ]);

    expect(w.calls).to.include('resize');
    expect(w.jivo_api.jivoDestroy()).to.deep.equal({ result: 'ok' });
    expect(w.calls.at(-1)).to.equal('destroy');
    expect(w.errors).to.deep.equal([]);
  });

  it('with nobody online, from the built bundle: the offline answers of chatMode, startCall, isCallbackEnabled and open', async () => {
    const id = ref.uniqueId();
    const { w } = await openPage(id, '&bundle=dist');
    let mark = w.logs.length;
    w.examples.chatMode();
    expect(logsSince(w, mark)).to.deep.equal([['Widget offline']]);

    mark = w.logs.length;
    w.examples.startCall();
    expect(logsSince(w, mark)).to.deep.equal([['Failed to start the call, reason: ', 'Callback disabled']]);

    mark = w.logs.length;
    w.examples.isCallbackEnabled();
    await waitForLog(w, 'the isCallbackEnabled answer', (l) => l[0] === 'Callback is not available, reason: ');
    expect(logsSince(w, mark)).to.deep.equal([['Callback is not available, reason: ', 'Callback disabled']]);

    mark = w.logs.length;
    w.examples.open();
    expect(logsSince(w, mark)).to.deep.equal([['Widget failed to open']]);

    mark = w.logs.length;
    w.examples.getUtm();
    expect(logsSince(w, mark)).to.deep.equal([
      ['Utm content: ', null],
      ['Utm campaign: ', null],
      ['Utm source: ', null],
      ['Utm medium: ', null],
      ['Utm term: ', null],
    ]);
    expect(w.errors).to.deep.equal([]);
  });
});
