import { aTimeout, expect, fixture, html, waitUntil } from '@open-wc/testing';
import { LitElement } from 'lit';
import sinon from 'sinon';
import type { JivoWidget } from '../../src/components/widget/widget.js';
import '../../src/jivo-widget.js';
import type { JivoApi, JivoCallbacks } from '../../src/api/types.js';
import { visible } from '../helpers/visible.js';

/**
 * The "window half" of `window.jivo_api`: open, close, showProactiveInvitation, setWidgetColor, chatMode,
 * getUnreadMessagesCount, clearHistory, jivoInit/jivoDestroy and the global jivo_init/jivo_destroy, with the jivo_on*
 * callbacks and the DOM events that mirror them.
 */

const CALLBACKS = [
  'jivo_onLoadCallback',
  'jivo_onOpen',
  'jivo_onClose',
  'jivo_onChangeState',
  'jivo_onResizeCallback',
  'jivo_onWidgetDestroy',
] as const satisfies ReadonlyArray<keyof JivoCallbacks>;

const EVENTS = [
  'jivo-load',
  'jivo-open',
  'jivo-close',
  'jivo-change-state',
  'jivo-resize',
  'jivo-widget-destroy',
] as const;

type Spies = Record<(typeof CALLBACKS)[number], sinon.SinonSpy>;

const api = (): JivoApi => window.jivo_api!;

/** Every callback as a spy that also writes into `calls`, so tests can check the order across callbacks. */
let calls: string[];
let spies: Spies;
function defineCallbacks(): Spies {
  calls = [];
  const made = {} as Spies;
  for (const name of CALLBACKS) {
    const spy = sinon.spy((...args: unknown[]) => {
      calls.push(args.length ? `${name}(${args.map(String).join(',')})` : name);
    });
    made[name] = spy;
    (window as unknown as Record<string, unknown>)[name] = spy;
  }
  return made;
}

const usedIds = new Set<string>();
let counter = 0;
function uniqueId(): string {
  const id = `api-test-${Date.now().toString(36)}-${++counter}`;
  usedIds.add(id);
  return id;
}

function storageKeys(prefix: string): string[] {
  const keys: string[] = [];
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i);
    if (key?.startsWith(prefix)) keys.push(key);
  }
  return keys;
}

/** Records the widget's public DOM events, in order. */
function recordEvents(el: Element): string[] {
  const seen: string[] = [];
  for (const type of EVENTS) {
    el.addEventListener(type, (event) => {
      const state = type === 'jivo-change-state' ? `(${(event as CustomEvent<{ state: string }>).detail.state})` : '';
      seen.push(type + state);
    });
  }
  return seen;
}

/** Mounts a widget and waits for its load announcement (which the bridge turns into jivo_onLoadCallback). */
async function mount(id = uniqueId()): Promise<JivoWidget> {
  let loaded = false;
  const el = await fixture<JivoWidget>(
    html`<jivo-widget widget-id=${id} @jivo-load=${() => (loaded = true)}></jivo-widget>`,
  );
  await waitUntil(() => loaded, 'the widget did not fire jivo-load');
  return el;
}

/** What is on screen, read from the shadow DOM. */
function shown(el: JivoWidget): 'window' | 'menu' | 'launcher' | 'nothing' {
  const root = el.shadowRoot!;
  if (visible(root.querySelector('jivo-chat-window'))) return 'window';
  if (root.querySelector('jivo-mobile-menu')) return 'menu';
  if (root.querySelector('jivo-launcher')) return 'launcher';
  return 'nothing';
}

function attributes(el: Element): Record<string, string | null> {
  return Object.fromEntries(el.getAttributeNames().map((name) => [name, el.getAttribute(name)]));
}

/** A snapshot of everything a bad call must leave alone. */
async function snapshot(el: JivoWidget) {
  await el.updateComplete;
  return {
    view: el.store!.state.view,
    shown: shown(el),
    attributes: attributes(el),
    chatMode: String(api().chatMode()),
    unread: api().getUnreadMessagesCount(),
    invitation: el.store!.state.invitation,
    department: el.store!.state.department,
    messages: el.store!.state.messages.length,
  };
}

function expectFail(result: unknown, reason?: string): void {
  expect(result).to.be.an('object');
  const r = result as { result: string; reason: unknown };
  expect(r.result).to.equal('fail');
  expect(r.reason).to.be.a('string').and.not.equal('');
  if (reason !== undefined) expect(r.reason).to.equal(reason);
}

/** Adds a conversation (a visitor message) the way the composer does. */
function startConversation(el: JivoWidget): void {
  el.store!.sendMessage('Hello');
}

function agentMessage(el: JivoWidget, text = 'Hi there'): void {
  el.store!.receiveMessage({ id: `agent-${Math.random()}`, from: 'agent', text, at: Date.now(), agentName: 'Ann' });
}

const launcherButton = async (el: JivoWidget): Promise<HTMLButtonElement> => {
  const launcher = el.shadowRoot!.querySelector('jivo-launcher') as LitElement;
  await launcher.updateComplete;
  return launcher.shadowRoot!.querySelector('button')!;
};

describe('window.jivo_api — the window half', () => {
  beforeEach(() => {
    spies = defineCallbacks();
  });

  afterEach(() => {
    for (const name of CALLBACKS) delete (window as unknown as Record<string, unknown>)[name];
    sinon.restore();
    // Widgets that jivo_init put outside the fixture container.
    document.querySelectorAll('jivo-widget').forEach((w) => w.remove());
    for (const id of usedIds) storageKeys(`jivo-widget:${id}:`).forEach((key) => localStorage.removeItem(key));
    usedIds.clear();
  });

  it('installs jivo_api with the methods and the global jivo_init/jivo_destroy', () => {
    for (const method of [
      'open',
      'close',
      'showProactiveInvitation',
      'setWidgetColor',
      'chatMode',
      'getUnreadMessagesCount',
      'clearHistory',
      'jivoInit',
      'jivoDestroy',
    ] as const) {
      expect(api()[method], method).to.be.a('function');
    }
    expect(window.jivo_init).to.be.a('function');
    expect(window.jivo_destroy).to.be.a('function');
  });

  describe('open()', () => {
    it('opens the chat: jivo_onChangeState("chat") then jivo_onOpen, and the matching DOM events', async () => {
      const el = await mount();
      const events = recordEvents(el);
      calls.length = 0;
      expect(api().open()).to.deep.equal({ result: 'ok' });
      expect(calls).to.deep.equal(['jivo_onChangeState(chat)', 'jivo_onOpen']);
      expect(spies.jivo_onChangeState.firstCall.args).to.deep.equal(['chat']);
      expect(events).to.deep.equal(['jivo-change-state(chat)', 'jivo-open']);
      await el.updateComplete;
      expect(shown(el)).to.equal('window');
    });

    it('accepts {start: "chat"}, {} and null as the chat window', async () => {
      for (const params of [{ start: 'chat' as const }, {}, null, { start: undefined }]) {
        const el = await mount();
        calls.length = 0;
        expect(api().open(params), JSON.stringify(params)).to.deep.equal({ result: 'ok' });
        expect(calls).to.deep.equal(['jivo_onChangeState(chat)', 'jivo_onOpen']);
        expect(el.store!.state.view).to.equal('chat');
        el.remove();
      }
    });

    it('opens the channel menu with {start: "menu"}; switching to the chat then fires no second jivo_onOpen', async () => {
      const el = await mount();
      calls.length = 0;
      expect(api().open({ start: 'menu' })).to.deep.equal({ result: 'ok' });
      expect(calls).to.deep.equal(['jivo_onChangeState(menu)', 'jivo_onOpen']);
      await el.updateComplete;
      expect(shown(el)).to.equal('menu');

      calls.length = 0;
      expect(api().open({ start: 'chat' })).to.deep.equal({ result: 'ok' });
      expect(calls).to.deep.equal(['jivo_onChangeState(chat)']);
      await el.updateComplete;
      expect(shown(el)).to.equal('window');
    });

    it('returns {result: "fail", reason: "Callback disabled"} for {start: "call"} and changes nothing', async () => {
      const el = await mount();
      const before = await snapshot(el);
      calls.length = 0;
      expect(api().open({ start: 'call' })).to.deep.equal({ result: 'fail', reason: 'Callback disabled' });
      expect(await snapshot(el)).to.deep.equal(before);
      expect(calls).to.deep.equal([]);
    });

    it('fails on bad arguments and changes nothing', async () => {
      const el = await mount();
      const before = await snapshot(el);
      const bad: unknown[] = [
        'chat',
        'call',
        42,
        true,
        { start: 'foo' },
        { start: 123 },
        { start: '' },
        { start: 'CHAT' },
        { start: {} },
      ];
      calls.length = 0;
      for (const params of bad) {
        const result = (api().open as (p: unknown) => unknown)(params);
        expectFail(result);
      }
      expect(await snapshot(el)).to.deep.equal(before);
      expect(before.shown).to.equal('launcher');
      expect(spies.jivo_onChangeState.callCount).to.equal(0);
      expect(spies.jivo_onOpen.callCount).to.equal(0);
    });

    // `typeof [] === 'object'`: an array once passed the check and, having no `start`, opened the chat.
    it('fails on an array and changes nothing', async () => {
      const el = await mount();
      const before = await snapshot(el);
      expectFail((api().open as (p: unknown) => unknown)(['call']));
      expectFail((api().open as (p: unknown) => unknown)([]));
      expect(await snapshot(el)).to.deep.equal(before);
      expect(calls).to.deep.equal(['jivo_onLoadCallback']);
    });

    it('fires nothing when the window is already open', async () => {
      const el = await mount();
      api().open();
      const events = recordEvents(el);
      calls.length = 0;
      expect(api().open()).to.deep.equal({ result: 'ok' });
      expect(api().open({ start: 'chat' })).to.deep.equal({ result: 'ok' });
      expect(calls).to.deep.equal([]);
      expect(events).to.deep.equal([]);
    });

    it('reopens a minimized conversation from "chat/min"', async () => {
      const el = await mount();
      api().open();
      startConversation(el);
      api().close();
      calls.length = 0;
      expect(api().open()).to.deep.equal({ result: 'ok' });
      expect(calls).to.deep.equal(['jivo_onChangeState(chat)', 'jivo_onOpen']);
    });
  });

  describe('close()', () => {
    it('with no conversation: jivo_onChangeState("label") then jivo_onClose', async () => {
      const el = await mount();
      api().open();
      const events = recordEvents(el);
      calls.length = 0;
      expect(api().close()).to.deep.equal({ result: 'ok' });
      expect(calls).to.deep.equal(['jivo_onChangeState(label)', 'jivo_onClose']);
      expect(events).to.deep.equal(['jivo-change-state(label)', 'jivo-close']);
      await el.updateComplete;
      expect(shown(el)).to.equal('launcher');
    });

    it('after a conversation: jivo_onChangeState("chat/min") then jivo_onClose', async () => {
      const el = await mount();
      api().open();
      startConversation(el);
      calls.length = 0;
      expect(api().close()).to.deep.equal({ result: 'ok' });
      expect(calls).to.deep.equal(['jivo_onChangeState(chat/min)', 'jivo_onClose']);
      expect(el.store!.state.view).to.equal('chat/min');
    });

    it('closes the channel menu', async () => {
      const el = await mount();
      api().open({ start: 'menu' });
      calls.length = 0;
      expect(api().close()).to.deep.equal({ result: 'ok' });
      expect(calls).to.deep.equal(['jivo_onChangeState(label)', 'jivo_onClose']);
      await el.updateComplete;
      expect(shown(el)).to.equal('launcher');
    });

    it('fires nothing when the window is already closed', async () => {
      const el = await mount();
      const events = recordEvents(el);
      calls.length = 0;
      expect(api().close()).to.deep.equal({ result: 'ok' });
      expect(calls).to.deep.equal([]);
      expect(events).to.deep.equal([]);
      expect(shown(el)).to.equal('launcher');
    });
  });

  describe('showProactiveInvitation()', () => {
    it('opens the window with the text: jivo_onChangeState("chat") then jivo_onOpen', async () => {
      const el = await mount();
      calls.length = 0;
      expect(api().showProactiveInvitation('How can I help you?')).to.deep.equal({ result: 'ok' });
      expect(calls).to.deep.equal(['jivo_onChangeState(chat)', 'jivo_onOpen']);
      expect(el.store!.state.invitation?.text).to.equal('How can I help you?');
      await el.updateComplete;
      expect(shown(el)).to.equal('window');
      // The text reaches the screen, inside the chat window's message list.
      await waitUntil(() => {
        const list = el.shadowRoot!.querySelector('jivo-chat-window')?.shadowRoot?.querySelector('jivo-message-list');
        const bubble = list?.shadowRoot
          ?.querySelector('jivo-invitation')
          ?.shadowRoot?.querySelector('[part="invitation"]');
        return bubble?.textContent?.includes('How can I help you?');
      }, 'the invitation text is not shown');
    });

    it('routes the chat to a department given as a number or a numeric string', async () => {
      const el = await mount();
      expect(api().showProactiveInvitation('Hello!', 3)).to.deep.equal({ result: 'ok' });
      expect(el.store!.state.department).to.equal('3');
      expect(el.store!.state.invitation).to.include({ text: 'Hello!', department: '3' });
      expect(api().showProactiveInvitation('Hello again', '7')).to.deep.equal({ result: 'ok' });
      expect(el.store!.state.department).to.equal('7');
    });

    it('keeps the department when none is given (undefined or null)', async () => {
      const el = await mount();
      expect(api().showProactiveInvitation('One', 5)).to.deep.equal({ result: 'ok' });
      expect(api().showProactiveInvitation('Two')).to.deep.equal({ result: 'ok' });
      expect(el.store!.state.department).to.equal('5');
      expect(api().showProactiveInvitation('Three', null)).to.deep.equal({ result: 'ok' });
      expect(el.store!.state.department).to.equal('5');
      expect(el.store!.state.invitation?.text).to.equal('Three');
    });

    it('accepts a text of exactly 1000 characters', async () => {
      const el = await mount();
      expect(api().showProactiveInvitation('x'.repeat(1000))).to.deep.equal({ result: 'ok' });
      expect(el.store!.state.invitation?.text).to.have.length(1000);
    });

    it('fails on a bad text and changes nothing', async () => {
      const el = await mount();
      const before = await snapshot(el);
      const bad: unknown[] = [null, undefined, '', '   ', 123, {}, ['Hi'], 'x'.repeat(1001)];
      calls.length = 0;
      for (const text of bad) {
        expectFail((api().showProactiveInvitation as (t: unknown) => unknown)(text));
      }
      expect(await snapshot(el)).to.deep.equal(before);
      expect(before.shown).to.equal('launcher');
      expect(spies.jivo_onChangeState.callCount).to.equal(0);
      expect(spies.jivo_onOpen.callCount).to.equal(0);
    });

    it('fails on a bad department id and changes nothing', async () => {
      const el = await mount();
      const before = await snapshot(el);
      const bad: unknown[] = [NaN, Infinity, '', '  ', {}, [3], true];
      calls.length = 0;
      for (const department of bad) {
        expectFail((api().showProactiveInvitation as (t: unknown, d: unknown) => unknown)('Hello', department));
      }
      expect(await snapshot(el)).to.deep.equal(before);
      expect(calls).to.deep.equal([]);
    });

    it('fails while a conversation is in progress and leaves the window as it is', async () => {
      const el = await mount();
      api().open();
      startConversation(el);
      api().close();
      const before = await snapshot(el);
      calls.length = 0;
      expectFail(api().showProactiveInvitation('Need help?'));
      expect(await snapshot(el)).to.deep.equal(before);
      expect(calls).to.deep.equal([]);
    });
  });

  describe('setWidgetColor()', () => {
    it('sets a gradient from color to color2: attributes and the launcher on screen', async () => {
      const el = await mount();
      expect(api().setWidgetColor('#ffffff', '#000000')).to.deep.equal({ result: 'ok' });
      await el.updateComplete;
      expect(el.getAttribute('color')).to.equal('#ffffff');
      expect(el.getAttribute('color2')).to.equal('#000000');
      const button = await launcherButton(el);
      // The white end darkened to #767676, where white text reaches 4.5:1 (test/api/accessibility.test.ts).
      expect(getComputedStyle(button).backgroundImage).to.equal(
        'linear-gradient(135deg, rgb(118, 118, 118), rgb(0, 0, 0))',
      );
    });

    it('sets a plain colour, dropping an earlier color2; short and upper-case hex codes work', async () => {
      const el = await mount();
      api().setWidgetColor('#ffffff', '#000000');
      expect(api().setWidgetColor('#123456')).to.deep.equal({ result: 'ok' });
      await el.updateComplete;
      expect(el.getAttribute('color')).to.equal('#123456');
      expect(el.hasAttribute('color2')).to.equal(false);
      const button = await launcherButton(el);
      expect(getComputedStyle(button).backgroundColor).to.equal('rgb(18, 52, 86)');
      expect(getComputedStyle(button).backgroundImage).to.equal('none');

      expect(api().setWidgetColor('#ABC')).to.deep.equal({ result: 'ok' });
      await el.updateComplete;
      await (el.shadowRoot!.querySelector('jivo-launcher') as LitElement).updateComplete;
      expect(getComputedStyle(button).backgroundColor).to.equal('rgb(170, 187, 204)');
    });

    it('fails on non-hex colours and changes nothing', async () => {
      const el = await mount();
      api().setWidgetColor('#2a5bd7', '#102030');
      const before = await snapshot(el);
      const button = await launcherButton(el);
      const backgroundBefore = getComputedStyle(button).backgroundImage;
      const bad: unknown[][] = [
        ['red'],
        [123],
        [null],
        [undefined],
        [''],
        ['ffffff'],
        ['#ggg'],
        ['#12345'],
        ['#1234567'],
        ['rgb(0, 0, 0)'],
        ['#fff', 'blue'],
        ['#fff', 5],
        ['#fff', '#12'],
        [{ toString: () => '#ffffff' }],
      ];
      calls.length = 0;
      for (const args of bad) {
        const result = (api().setWidgetColor as (...a: unknown[]) => unknown)(...args);
        expect(result, JSON.stringify(args)).to.include({ result: 'fail' });
        expectFail(result);
      }
      expect(await snapshot(el)).to.deep.equal(before);
      expect(el.getAttribute('color')).to.equal('#2a5bd7');
      expect(el.getAttribute('color2')).to.equal('#102030');
      expect(getComputedStyle(button).backgroundImage).to.equal(backgroundBefore);
      expect(calls).to.deep.equal([]);
    });
  });

  describe('chatMode()', () => {
    it('returns {result: "offline"} that also reads as the word', async () => {
      await mount();
      const mode = api().chatMode();
      expect(mode).to.deep.equal({ result: 'offline' });
      expect(mode.result).to.equal('offline');
      expect(String(api().chatMode()) === 'offline').to.equal(true);
      // eslint-disable-next-line eqeqeq
      expect((api().chatMode() as unknown) == 'offline').to.equal(true);
      expect(`${api().chatMode()}`).to.equal('offline');
      expect(JSON.stringify(mode)).to.equal('{"result":"offline"}');
    });

    it('follows the widget: online once an agent is online', async () => {
      const el = await mount();
      el.store!.setChatMode('online');
      expect(api().chatMode()).to.deep.equal({ result: 'online' });
      expect(String(api().chatMode())).to.equal('online');
      // eslint-disable-next-line eqeqeq
      expect((api().chatMode() as unknown) == 'online').to.equal(true);
      // eslint-disable-next-line eqeqeq
      expect((api().chatMode() as unknown) == 'offline').to.equal(false);
    });
  });

  describe('getUnreadMessagesCount()', () => {
    it('counts agent messages that arrived while the window was closed, and reads them on open', async () => {
      const el = await mount();
      expect(api().getUnreadMessagesCount()).to.equal(0);
      agentMessage(el);
      agentMessage(el, 'Are you there?');
      expect(api().getUnreadMessagesCount()).to.equal(2);
      api().open();
      expect(api().getUnreadMessagesCount()).to.equal(0);
      agentMessage(el, 'Seen at once');
      expect(api().getUnreadMessagesCount()).to.equal(0);
    });
  });

  describe('clearHistory()', () => {
    it('removes the conversation and every stored key of this widget id, and no other', async () => {
      const id = uniqueId();
      const otherId = uniqueId();
      const el = await mount(id);
      localStorage.setItem(`jivo-widget:${otherId}:messages`, '[]');
      api().showProactiveInvitation('Hello');
      startConversation(el);
      el.store!.setDraft('half a sentence');
      api().close();
      agentMessage(el);
      expect(storageKeys(`jivo-widget:${id}:`)).to.have.length.greaterThan(2);

      calls.length = 0;
      expect(api().clearHistory()).to.deep.equal({ result: 'ok' });
      // Nothing remains: the next visitor's id is the one the backend's next welcome issues.
      expect(storageKeys(`jivo-widget:${id}:`)).to.deep.equal([]);
      expect(el.store!.state.visitorId).to.equal('');
      expect(localStorage.getItem(`jivo-widget:${otherId}:messages`)).to.equal('[]');
      expect(el.store!.state.messages).to.deep.equal([]);
      expect(el.store!.state.invitation).to.equal(null);
      expect(el.store!.state.draft).to.equal('');
      expect(api().getUnreadMessagesCount()).to.equal(0);
      // A minimized conversation no longer exists, so the widget shows the plain launcher again.
      expect(calls).to.deep.equal(['jivo_onChangeState(label)']);
    });

    // A key left by an older version or by another module (e.g. a visitor id) must not survive a logout's clearHistory().
    it('removes keys under the widget id that this version does not write itself', async () => {
      const id = uniqueId();
      await mount(id);
      localStorage.setItem(`jivo-widget:${id}:visitor`, '"abc"');
      localStorage.setItem(`jivo-widget:${id}:old-format-history`, '[]');
      expect(api().clearHistory()).to.deep.equal({ result: 'ok' });
      expect(storageKeys(`jivo-widget:${id}:`)).to.deep.equal([]);
    });

    it('after a reload (a new element with the same id) nothing comes back', async () => {
      const id = uniqueId();
      const first = await mount(id);
      api().open();
      startConversation(first);
      api().clearHistory();
      first.remove();
      const second = await mount(id);
      expect(second.store!.state.messages).to.deep.equal([]);
    });
  });

  describe('callbacks', () => {
    it('jivo_onLoadCallback fires once per load, after the jivo-load event, and methods work inside it', async () => {
      const results: unknown[] = [];
      const onLoad = sinon.spy(() => {
        results.push(api().showProactiveInvitation('How can I help you?'));
        results.push(api().setWidgetColor('#ff0000'));
        results.push(String(api().chatMode()));
      });
      window.jivo_onLoadCallback = onLoad;
      const el = await mount();
      expect(onLoad.callCount).to.equal(1);
      expect(results).to.deep.equal([{ result: 'ok' }, { result: 'ok' }, 'offline']);
      expect(el.store!.state.view).to.equal('chat');
      await el.updateComplete;
      expect(el.getAttribute('color')).to.equal('#ff0000');
      expect(shown(el)).to.equal('window');
      await aTimeout(50);
      expect(onLoad.callCount).to.equal(1);
    });

    it('reads the callbacks when the event happens, so a function defined after load is called', async () => {
      await mount();
      const late = sinon.spy();
      window.jivo_onOpen = late;
      api().open();
      expect(late.callCount).to.equal(1);
      expect(spies.jivo_onOpen.callCount).to.equal(0);
    });

    it('a throwing jivo_onOpen is logged; the state still changes and later callbacks fire', async () => {
      const error = sinon.stub(console, 'error');
      const boom = new Error('page bug');
      const el = await mount();
      window.jivo_onOpen = sinon.spy(() => {
        calls.push('jivo_onOpen');
        throw boom;
      });
      calls.length = 0;
      expect(() => api().open()).not.to.throw();
      expect(el.store!.state.view).to.equal('chat');
      expect(calls).to.deep.equal(['jivo_onChangeState(chat)', 'jivo_onOpen']);
      expect(error.callCount).to.equal(1);
      expect(error.firstCall.args.join(' ')).to.contain('jivo_onOpen');
      expect(error.firstCall.args).to.include(boom);

      calls.length = 0;
      expect(api().close()).to.deep.equal({ result: 'ok' });
      expect(calls).to.deep.equal(['jivo_onChangeState(label)', 'jivo_onClose']);
      await el.updateComplete;
      expect(shown(el)).to.equal('launcher');
    });

    it('a throwing jivo_onChangeState does not stop the jivo_onOpen that follows it', async () => {
      const error = sinon.stub(console, 'error');
      await mount();
      window.jivo_onChangeState = () => {
        throw new TypeError('oops');
      };
      expect(api().open()).to.deep.equal({ result: 'ok' });
      expect(spies.jivo_onOpen.callCount).to.equal(1);
      expect(error.callCount).to.equal(1);
      expect(error.firstCall.args.join(' ')).to.contain('jivo_onChangeState');
    });

    it('a throwing jivo_onLoadCallback is logged and the widget works', async () => {
      const error = sinon.stub(console, 'error');
      window.jivo_onLoadCallback = () => {
        throw new Error('load bug');
      };
      const el = await mount();
      expect(error.callCount).to.equal(1);
      expect(error.firstCall.args.join(' ')).to.contain('jivo_onLoadCallback');
      expect(api().open()).to.deep.equal({ result: 'ok' });
      expect(el.store!.state.view).to.equal('chat');
      expect(spies.jivo_onOpen.callCount).to.equal(1);
    });

    it('ignores jivo_on* values that are not functions', async () => {
      const error = sinon.stub(console, 'error');
      (window as unknown as Record<string, unknown>).jivo_onOpen = 'not a function';
      (window as unknown as Record<string, unknown>).jivo_onChangeState = { handleEvent() {} };
      const el = await mount();
      expect(api().open()).to.deep.equal({ result: 'ok' });
      expect(el.store!.state.view).to.equal('chat');
      expect(error.callCount).to.equal(0);
    });

    it('jivo_onResizeCallback and jivo-resize fire when the window opens and closes, not at load', async () => {
      const el = await mount();
      const resized: Array<{ width: number; height: number }> = [];
      el.addEventListener('jivo-resize', (e) => resized.push(e.detail));
      await aTimeout(100);
      expect(spies.jivo_onResizeCallback.callCount).to.equal(0);

      api().open();
      await waitUntil(() => spies.jivo_onResizeCallback.called, 'jivo_onResizeCallback did not fire after open');
      expect(resized).to.have.length.greaterThan(0);
      const opened = resized.at(-1)!;
      expect(opened.width).to.be.greaterThan(0);
      expect(opened.height).to.be.greaterThan(0);
      expect(spies.jivo_onResizeCallback.firstCall.args).to.deep.equal([]);

      const count = spies.jivo_onResizeCallback.callCount;
      api().close();
      await waitUntil(
        () => spies.jivo_onResizeCallback.callCount > count,
        'jivo_onResizeCallback did not fire after close',
      );
      expect(resized.at(-1)!.height).to.be.lessThan(opened.height);
    });
  });

  describe('jivo_destroy / jivo_init', () => {
    it('jivo_destroy removes the widget, fires jivo_onWidgetDestroy and jivo-widget-destroy; methods then fail', async () => {
      const el = await mount();
      const events = recordEvents(el);
      calls.length = 0;
      expect(window.jivo_destroy!()).to.deep.equal({ result: 'ok' });
      expect(el.isConnected).to.equal(false);
      expect(document.querySelector('jivo-widget') === null, 'no widget on the page').to.equal(true);
      expect(calls).to.deep.equal(['jivo_onWidgetDestroy']);
      expect(events).to.deep.equal(['jivo-widget-destroy']);

      expectFail(api().open());
      expectFail(api().close());
      expectFail(api().showProactiveInvitation('Hello'));
      expectFail(api().setWidgetColor('#ffffff'));
      expectFail(api().clearHistory());
      expect(api().chatMode()).to.deep.equal({ result: 'offline' });
      expect(api().getUnreadMessagesCount()).to.equal(0);
      expectFail(window.jivo_destroy!());
      expectFail(api().jivoDestroy());
      expect(calls).to.deep.equal(['jivo_onWidgetDestroy']);
      // The removed element's own methods no longer reach the page's callbacks.
      el.open();
      expect(spies.jivo_onOpen.callCount).to.equal(0);
    });

    it('jivo_api.jivoDestroy() does the same', async () => {
      const el = await mount();
      calls.length = 0;
      expect(api().jivoDestroy()).to.deep.equal({ result: 'ok' });
      expect(el.isConnected).to.equal(false);
      expect(calls).to.deep.equal(['jivo_onWidgetDestroy']);
    });

    it('jivo_init brings the widget back with the same attributes at the same place, and jivo_onLoadCallback fires again', async () => {
      const id = uniqueId();
      let loaded = 0;
      const container = await fixture(html`<div>
        <p id="before"></p>
        <jivo-widget widget-id=${id} color="#336699" color2="#993366" position="left" lang="ru" department="sales"></jivo-widget>
        <p id="after"></p>
      </div>`);
      await waitUntil(() => spies.jivo_onLoadCallback.calledOnce);
      const original = container.querySelector('jivo-widget')!;
      const attrs = attributes(original);
      const after = container.querySelector('#after');

      expect(window.jivo_destroy!()).to.deep.equal({ result: 'ok' });
      expect(container.querySelector('jivo-widget') === null, 'the widget is gone').to.equal(true);
      document.addEventListener('jivo-load', () => loaded++);
      calls.length = 0;

      expect(window.jivo_init!()).to.deep.equal({ result: 'ok' });
      const revived = container.querySelector('jivo-widget')!;
      expect(revived).to.exist;
      expect(revived !== original, 'a new element').to.equal(true);
      expect(revived.nextElementSibling === after, 'before the same sibling').to.equal(true);
      expect(revived.previousElementSibling?.id).to.equal('before');
      expect(attributes(revived)).to.deep.equal(attrs);
      await waitUntil(() => spies.jivo_onLoadCallback.calledTwice, 'jivo_onLoadCallback did not fire again');
      expect(loaded).to.equal(1);
      expect(calls).to.deep.equal(['jivo_onLoadCallback']);

      calls.length = 0;
      expect(api().open()).to.deep.equal({ result: 'ok' });
      expect(calls).to.deep.equal(['jivo_onChangeState(chat)', 'jivo_onOpen']);
      expect((revived as JivoWidget).store!.state.view).to.equal('chat');
    });

    it('jivo_init keeps a colour that setWidgetColor set just before jivo_destroy', async () => {
      const container = await fixture(html`<div><jivo-widget widget-id=${uniqueId()}></jivo-widget></div>`);
      await waitUntil(() => spies.jivo_onLoadCallback.calledOnce);
      api().setWidgetColor('#123456', '#654321');
      window.jivo_destroy!();
      window.jivo_init!();
      const revived = container.querySelector('jivo-widget')!;
      expect(revived.getAttribute('color')).to.equal('#123456');
      expect(revived.getAttribute('color2')).to.equal('#654321');
    });

    it('jivo_api.jivoInit() on a live widget fires jivo_onWidgetDestroy, then jivo_onLoadCallback for the new one', async () => {
      const id = uniqueId();
      const container = await fixture(html`<div><jivo-widget widget-id=${id}></jivo-widget><span></span></div>`);
      await waitUntil(() => spies.jivo_onLoadCallback.calledOnce);
      const original = container.querySelector('jivo-widget')!;
      calls.length = 0;
      expect(api().jivoInit()).to.deep.equal({ result: 'ok' });
      expect(original.isConnected).to.equal(false);
      expect(calls).to.deep.equal(['jivo_onWidgetDestroy']);
      await waitUntil(() => calls.length === 2, 'jivo_onLoadCallback did not follow');
      expect(calls).to.deep.equal(['jivo_onWidgetDestroy', 'jivo_onLoadCallback']);
      const widgets = container.querySelectorAll('jivo-widget');
      expect(widgets).to.have.length(1);
      expect(widgets[0] !== original, 'a new element').to.equal(true);
      expect(widgets[0].getAttribute('widget-id')).to.equal(id);
      expect(widgets[0].nextElementSibling?.localName).to.equal('span');
    });

    it('a widget brought back by jivo_init can be destroyed and brought back again', async () => {
      const container = await fixture(html`<div><jivo-widget widget-id=${uniqueId()}></jivo-widget></div>`);
      await waitUntil(() => spies.jivo_onLoadCallback.calledOnce);
      for (let round = 2; round <= 3; round++) {
        expect(window.jivo_destroy!()).to.deep.equal({ result: 'ok' });
        expect(window.jivo_init!()).to.deep.equal({ result: 'ok' });
        await waitUntil(() => spies.jivo_onLoadCallback.callCount === round);
      }
      expect(spies.jivo_onWidgetDestroy.callCount).to.equal(2);
      expect(container.querySelectorAll('jivo-widget')).to.have.length(1);
      expect(api().open()).to.deep.equal({ result: 'ok' });
      expect(spies.jivo_onOpen.callCount).to.equal(1);
    });
  });

  describe('two widgets on a page', () => {
    it("only the first one's events call the globals; jivo_api acts on the first", async () => {
      const [idA, idB] = [uniqueId(), uniqueId()];
      const container = await fixture(html`<div>
        <jivo-widget id="a" widget-id=${idA}></jivo-widget>
        <jivo-widget id="b" widget-id=${idB}></jivo-widget>
      </div>`);
      const a = container.querySelector<JivoWidget>('#a')!;
      const b = container.querySelector<JivoWidget>('#b')!;
      const eventsB = recordEvents(b);
      await waitUntil(() => spies.jivo_onLoadCallback.called);
      await aTimeout(50);
      expect(spies.jivo_onLoadCallback.callCount).to.equal(1);

      calls.length = 0;
      expect(b.open()).to.deep.equal({ result: 'ok' });
      expect(eventsB).to.deep.equal(['jivo-change-state(chat)', 'jivo-open']);
      expect(calls).to.deep.equal([]);
      b.close();
      expect(calls).to.deep.equal([]);

      expect(api().open()).to.deep.equal({ result: 'ok' });
      expect(a.store!.state.view).to.equal('chat');
      expect(calls).to.deep.equal(['jivo_onChangeState(chat)', 'jivo_onOpen']);
      expect(api().setWidgetColor('#ff0000')).to.deep.equal({ result: 'ok' });
      await a.updateComplete;
      expect(a.getAttribute('color')).to.equal('#ff0000');
      expect(b.hasAttribute('color')).to.equal(false);
    });

    it('jivo_destroy removes the first one only, and jivo_init brings it back without touching the second', async () => {
      const [idA, idB] = [uniqueId(), uniqueId()];
      const container = await fixture(html`<div>
        <jivo-widget id="a" widget-id=${idA}></jivo-widget>
        <jivo-widget id="b" widget-id=${idB}></jivo-widget>
      </div>`);
      const b = container.querySelector<JivoWidget>('#b')!;
      await waitUntil(() => spies.jivo_onLoadCallback.called);
      await aTimeout(50);

      expect(window.jivo_destroy!()).to.deep.equal({ result: 'ok' });
      expect(container.querySelector('#a') === null, 'the first widget is gone').to.equal(true);
      expect(b.isConnected).to.equal(true);
      // The page's widget is gone: the API does not quietly move on to the other one.
      expectFail(api().open());
      expectFail(window.jivo_destroy!());
      expect(b.isConnected).to.equal(true);
      expect(b.store!.state.view).to.equal('label');

      expect(window.jivo_init!()).to.deep.equal({ result: 'ok' });
      expect(b.isConnected).to.equal(true);
      const widgets = container.querySelectorAll('jivo-widget');
      expect(widgets).to.have.length(2);
      expect(widgets[0].id).to.equal('a');
      expect(widgets[0].getAttribute('widget-id')).to.equal(idA);
      expect(widgets[1] === b, 'the second widget is the same element').to.equal(true);
      await waitUntil(() => spies.jivo_onLoadCallback.calledTwice);
      expect(api().open()).to.deep.equal({ result: 'ok' });
      expect((widgets[0] as JivoWidget).store!.state.view).to.equal('chat');
      expect(b.store!.state.view).to.equal('label');
    });

    it('a widget inside another element’s shadow root is served by jivo_api too', async () => {
      const host = await fixture(html`<div></div>`);
      const root = host.attachShadow({ mode: 'open' });
      const id = uniqueId();
      const el = document.createElement('jivo-widget');
      el.setAttribute('widget-id', id);
      root.append(el);
      await waitUntil(() => spies.jivo_onLoadCallback.called, 'jivo_onLoadCallback did not fire');
      calls.length = 0;
      expect(api().open()).to.deep.equal({ result: 'ok' });
      expect(el.store!.state.view).to.equal('chat');
      expect(calls).to.deep.equal(['jivo_onChangeState(chat)', 'jivo_onOpen']);
    });
  });
});
