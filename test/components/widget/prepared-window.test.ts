import { aTimeout, expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { JivoWidget } from '../../../src/components/widget/widget.js';
import sinon from 'sinon';
import { JivoMessageList } from '../../../src/components/message-list/message-list.js';
import { setFileAccess } from '../../../src/state/attach.js';
import { FakeTransport } from '../../helpers/fake-transport.js';
import { recordLiveRegions } from '../../helpers/live-regions.js';
import { agentMessage, createStore, mount } from '../../helpers/store-provider.js';
import {
  chatWindow,
  clearStored,
  deepActive,
  launcherButton,
  mountWidget,
  settled,
  uniqueId,
  visible,
} from '../../helpers/widget-page.js';

// The window prepared ahead of opening: once the page is idle after the window chunk arrived, <jivo-widget> renders
// its window, hidden, so that opening it is one frame of work whatever the history. Nobody may notice it before then.

const PREFIX = 'prepared';

/** The window element, shown or not. */
const windowElement = (el: JivoWidget) => el.shadowRoot!.querySelector('jivo-chat-window');

/** Mounts a widget between two page controls and waits until its window is prepared and rendered. */
async function mountPrepared(): Promise<JivoWidget> {
  const el = await mountWidget(
    PREFIX,
    {},
    { before: html`<button id="before">Before</button>`, after: html`<a id="after" href="#after">After</a>` },
  );
  await waitUntil(() => windowElement(el), 'the window is prepared once the page is idle', { timeout: 5000 });
  await settled(el);
  await settled(windowElement(el)!);
  return el;
}

describe('the chat window prepared ahead of opening', () => {
  afterEach(() => clearStored(PREFIX));

  it('is on the page, hidden: nothing to see, to point at, to tab to or to hear, and the widget keeps its size', async () => {
    const el = await mountPrepared();
    const prepared = windowElement(el)!;
    const input = prepared.shadowRoot!.querySelector('jivo-composer')!.shadowRoot!.querySelector('textarea')!;
    expect(input, 'its elements have rendered').to.exist;
    expect(visible(prepared), 'seen').to.equal(false);
    expect(!!chatWindow(el), 'shown').to.equal(false);
    expect(getComputedStyle(prepared).visibility).to.equal('hidden');

    // The widget's box is the launcher's: the window neither grows it nor covers the page.
    const root = el.shadowRoot!.querySelector('.root')!.getBoundingClientRect();
    const launcher = launcherButton(el)!.getBoundingClientRect();
    expect(Math.round(root.height), 'the widget is as tall as its launcher').to.equal(Math.round(launcher.height));
    const box = prepared.getBoundingClientRect();
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    expect(hit === el, 'the pointer stops at the widget').to.equal(false);

    // Neither the keyboard nor a script reaches its controls.
    input.focus();
    expect(deepActive()?.tagName, 'focus() on its message input').to.not.equal('TEXTAREA');
    document.getElementById('before')!.focus();
    await sendKeys({ press: 'Tab' });
    expect(deepActive() === launcherButton(el), 'Tab from the page goes to the launcher').to.equal(true);
    await sendKeys({ press: 'Tab' });
    expect(document.activeElement?.id, 'and from the launcher on to the page').to.equal('after');

    // A reply that arrives meanwhile changes the hidden conversation, which no screen reader is told of.
    const live = recordLiveRegions(el.shadowRoot!);
    el.store!.receiveMessage(agentMessage('Hello, can I help?'));
    await settled(el);
    await settled(prepared);
    await aTimeout(0);
    live.stop();
    expect(
      live.announced().filter((change) => change.region.startsWith('log')),
      'announced from the hidden conversation',
    ).to.deep.equal([]);
    expect(prepared.shadowRoot!.querySelector('jivo-message-list')!.shadowRoot!.textContent).to.contain(
      'Hello, can I help?',
    );
  });

  it('opens as that same element, shown, with focus in the message input; closing hides it again with the draft', async () => {
    const el = await mountPrepared();
    const prepared = windowElement(el)!;
    launcherButton(el)!.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => deepActive()?.tagName === 'TEXTAREA', 'focus moves to the message input');
    expect(chatWindow(el) === prepared, 'the window shown is the one prepared').to.equal(true);
    await sendKeys({ type: 'Half a question' });
    await sendKeys({ press: 'Escape' });
    await settled(el);
    expect(!!chatWindow(el), 'shown once closed').to.equal(false);
    expect(windowElement(el) === prepared, 'still on the page').to.equal(true);
    expect(deepActive() === launcherButton(el), 'focus is back on the launcher').to.equal(true);
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => deepActive()?.tagName === 'TEXTAREA', 'focus moves to the message input again');
    expect((deepActive() as HTMLTextAreaElement).value, 'the draft is kept').to.equal('Half a question');
  });

  it('opens a long conversation on its newest message', async () => {
    const el = await mountPrepared();
    for (let i = 1; i <= 80; i++) el.store!.receiveMessage(agentMessage(`Reply number ${i}`));
    await settled(el);
    await settled(windowElement(el)!);
    el.open();
    await waitUntil(() => chatWindow(el), 'the window shows');
    await settled(el);
    const list = chatWindow(el)!.shadowRoot!.querySelector('jivo-message-list')!.shadowRoot!;
    const log = list.querySelector<HTMLElement>('[role="log"]')!;
    const last = [...list.querySelectorAll('li')].at(-1)!;
    expect(last.textContent).to.contain('Reply number 80');
    expect(log.scrollHeight, 'the conversation scrolls').to.be.greaterThan(log.clientHeight);
    expect(log.scrollHeight - log.scrollTop - log.clientHeight, 'scrolled to the bottom').to.be.below(2);
    const { bottom } = last.getBoundingClientRect();
    expect(bottom, 'the newest message is in view').to.be.at.most(log.getBoundingClientRect().bottom + 1);
  });

  it('waits for the backend’s welcome and renders the window as it leaves it: nobody online, the offline form alone', async () => {
    const transport = new FakeTransport();
    const wrapper = await fixture(html`<div></div>`);
    const el = document.createElement('jivo-widget');
    el.setAttribute('widget-id', uniqueId(PREFIX));
    el.transport = transport;
    // Connecting, as a WebSocket is from the start, then open, and no welcome yet.
    transport.drop();
    const loaded = oneEvent(el, 'jivo-load');
    wrapper.append(el);
    await loaded;
    transport.open();
    await aTimeout(300);
    expect(!!windowElement(el), 'prepared before the welcome').to.equal(false);
    const lists = sinon.spy(JivoMessageList.prototype, 'connectedCallback');
    try {
      transport.welcome({ chatMode: 'offline' });
      await waitUntil(() => windowElement(el), 'the window is prepared once welcomed and idle', { timeout: 5000 });
      await settled(el);
      await settled(windowElement(el)!);
      expect(windowElement(el)!.shadowRoot!.querySelector('jivo-offline-form'), 'the offline form').to.exist;
      expect(lists.callCount, 'no conversation rendered first, to be replaced').to.equal(0);
    } finally {
      lists.restore();
    }
  });

  it('is not prepared by a widget that left the page before the page was idle', async () => {
    const el = document.createElement('jivo-widget');
    el.setAttribute('widget-id', `${PREFIX}-gone`);
    document.body.append(el);
    el.remove();
    await aTimeout(2500);
    expect(!!windowElement(el)).to.equal(false);
  });
});

describe('a window element rendered ahead of opening', () => {
  it('renders the first time in a task of its own while the widget is closed, at once while it is open', async () => {
    const closed = createStore();
    const { el } = await mount<HTMLElement & { updateComplete: Promise<boolean> }>(
      html`<div><jivo-composer></jivo-composer></div>`,
      closed,
    );
    const composer = el.querySelector('jivo-composer')!;
    expect(composer.shadowRoot!.querySelector('textarea'), 'within the task that created it').to.equal(null);
    await composer.updateComplete;
    expect(composer.shadowRoot!.querySelector('textarea'), 'a task later').to.exist;

    const open = createStore();
    open.open('chat', 'visitor');
    const { el: shown } = await mount<HTMLElement & { updateComplete: Promise<boolean> }>(
      html`<div><jivo-composer></jivo-composer></div>`,
      open,
    );
    expect(
      shown.querySelector('jivo-composer')!.shadowRoot!.querySelector('textarea'),
      'within the task that created it',
    ).to.exist;
  });

  it('fetches no image of the conversation until the window shows', async () => {
    const store = createStore();
    const asked: string[] = [];
    setFileAccess(store, {
      url: (id) => {
        asked.push(id);
        return Promise.resolve('data:image/gif;base64,R0lGODlhAQABAAAAACw=');
      },
    });
    const message = agentMessage('', { file: { id: 'f1', name: 'photo.png', size: 100, type: 'image/png' } });
    const { el } = await mount<HTMLElement & { updateComplete: Promise<boolean> }>(
      html`<jivo-attachment .message=${message}></jivo-attachment>`,
      store,
    );
    await el.updateComplete;
    await aTimeout(0);
    expect(asked, 'while closed').to.deep.equal([]);
    store.open('chat', 'visitor');
    await waitUntil(() => asked.length, 'fetched once the window shows');
    expect(asked).to.deep.equal(['f1']);
  });
});
