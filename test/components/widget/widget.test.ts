import { aTimeout, expect, fixture, fixtureCleanup, html, oneEvent, waitUntil } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import sinon from 'sinon';
import { BehaviorSubject, Subject } from 'rxjs';
import '../../../src/jivo-widget.js';
import type { JivoWidget } from '../../../src/components/widget/widget.js';
import { asVisitor } from '../../helpers/widget-page.js';

let seq = 0;
const uniqueId = () => `widget-test-${Date.now()}-${++seq}`;

/** Puts a widget on the page and waits for its jivo-load (listening before it is connected, so none is missed). */
async function mount(attrs: Record<string, string> = {}, id = uniqueId()): Promise<JivoWidget> {
  const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
  const el = document.createElement('jivo-widget');
  el.setAttribute('widget-id', id);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
  const loaded = oneEvent(el, 'jivo-load');
  wrapper.append(el);
  await loaded;
  await settle(el);
  return el;
}

const shadow = (el: Element) => el.shadowRoot!;
const launcher = (el: JivoWidget) => shadow(el).querySelector('jivo-launcher');
const launcherButton = (el: JivoWidget) => launcher(el)?.shadowRoot!.querySelector('button') ?? null;
const chatWindow = (el: JivoWidget) => shadow(el).querySelector('jivo-chat-window');
const menu = (el: JivoWidget) => shadow(el).querySelector('jivo-mobile-menu');

/** The element that has focus, looking through shadow roots. */
function deepActiveElement(): Element | null {
  let active: Element | null = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

async function settle(el: JivoWidget) {
  await el.updateComplete;
  await aTimeout(0);
  for (const child of shadow(el).querySelectorAll('*'))
    await (child as unknown as { updateComplete?: Promise<unknown> }).updateComplete;
}

function recordEvents(el: Element) {
  const seen: string[] = [];
  for (const type of ['jivo-change-state', 'jivo-open', 'jivo-close']) {
    el.addEventListener(type, (e) =>
      seen.push(type === 'jivo-change-state' ? `state:${(e as CustomEvent).detail.state}` : type),
    );
  }
  return seen;
}

function clearStorage() {
  for (const key of Object.keys(localStorage))
    if (key.startsWith('jivo-widget:widget-test-')) localStorage.removeItem(key);
}

describe('<jivo-widget>', () => {
  afterEach(async () => {
    sinon.restore();
    fixtureCleanup();
    clearStorage();
    await setViewport({ width: 1000, height: 800 });
  });

  it('is accessible closed, open, minimized and with the menu', async () => {
    const el = await mount();
    await expect(el).to.be.accessible();
    el.open();
    await settle(el);
    await expect(el).to.be.accessible();
    el.open({ start: 'menu' });
    await settle(el);
    await expect(el).to.be.accessible();
    el.open();
    el.store!.sendMessage('Hello');
    el.close();
    await settle(el);
    expect(launcherButton(el)!.textContent).to.contain('Continue the chat');
    await expect(el).to.be.accessible();
  });

  it('shows only the launcher when closed, a labelled dialog when open', async () => {
    const el = await mount();
    expect(launcherButton(el)!.getAttribute('aria-label')).to.equal('Chat with us');
    expect(chatWindow(el)).to.equal(null);
    el.open();
    await settle(el);
    expect(launcher(el)).to.equal(null);
    const dialog = chatWindow(el)!.shadowRoot!.querySelector('[role="dialog"]')!;
    expect(dialog.getAttribute('aria-labelledby')).to.equal('title');
    expect(chatWindow(el)!.shadowRoot!.getElementById('title')!.textContent).to.equal('Chat');
  });

  describe('keyboard and focus', () => {
    it('a launcher click opens the chat and moves focus to the message input', async () => {
      const el = await mount();
      const seen = recordEvents(el);
      launcherButton(el)!.click();
      await settle(el);
      expect(seen).to.deep.equal(['state:chat', 'jivo-open']);
      await waitUntil(() => deepActiveElement()?.tagName === 'TEXTAREA', 'focus moves to the composer');
    });

    it('Escape closes the window and focus returns to the launcher', async () => {
      const el = await mount();
      launcherButton(el)!.click();
      await settle(el);
      await waitUntil(() => deepActiveElement()?.tagName === 'TEXTAREA');
      const seen = recordEvents(el);
      deepActiveElement()!.dispatchEvent(
        new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }),
      );
      await settle(el);
      expect(seen).to.deep.equal(['state:label', 'jivo-close']);
      await waitUntil(() => deepActiveElement() === launcherButton(el), 'focus returns to the launcher');
    });

    it('the minimize button closes the window', async () => {
      const el = await mount();
      el.open();
      await settle(el);
      const minimize = chatWindow(el)!.shadowRoot!.querySelector<HTMLButtonElement>(
        'button[aria-label="Minimize the chat"]',
      )!;
      minimize.click();
      await settle(el);
      expect(chatWindow(el)).to.equal(null);
      expect(launcher(el)).to.exist;
    });

    it('a proactive invitation opens the window without taking focus from the page', async () => {
      const input = document.createElement('input');
      input.setAttribute('aria-label', 'page field');
      document.body.append(input);
      try {
        const el = await mount();
        input.focus();
        expect(el.showProactiveInvitation('Can I help?')).to.deep.equal({ result: 'ok' });
        await settle(el);
        await aTimeout(50);
        expect(document.activeElement).to.equal(input);
        expect(chatWindow(el)).to.exist;
      } finally {
        input.remove();
      }
    });

    it('closing while focus is on the page leaves focus on the page', async () => {
      const input = document.createElement('input');
      input.setAttribute('aria-label', 'page field');
      document.body.append(input);
      try {
        const el = await mount();
        el.open();
        await settle(el);
        input.focus();
        el.close();
        await settle(el);
        await aTimeout(50);
        expect(document.activeElement).to.equal(input);
      } finally {
        input.remove();
      }
    });

    it('the channel menu takes focus, offers the chat, and Escape closes it', async () => {
      const el = await mount();
      await asVisitor(() => el.open({ start: 'menu' }));
      await settle(el);
      const menuRoot = menu(el)!.shadowRoot!;
      await waitUntil(() => menuRoot.contains(deepActiveElement()), 'focus moves into the menu');
      const chat = [...menuRoot.querySelectorAll('button')].find((b) => b.textContent!.trim() === 'Chat')!;
      chat.click();
      await settle(el);
      expect(chatWindow(el)).to.exist;
      el.open({ start: 'menu' });
      await settle(el);
      menu(el)!
        .shadowRoot!.querySelector('section')!
        .dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
      await settle(el);
      expect(menu(el)).to.equal(null);
      expect(launcher(el)).to.exist;
    });
  });

  describe('attributes', () => {
    const accentOf = (el: JivoWidget) => getComputedStyle(launcherButton(el)!);

    it('color sets the accent and a readable text colour, live', async () => {
      const el = await mount({ color: '#ffd600' });
      await settle(el);
      expect(accentOf(el).backgroundColor).to.equal('rgb(255, 214, 0)');
      expect(accentOf(el).color).to.equal('rgb(0, 0, 0)');
      el.setAttribute('color', '#123456');
      await settle(el);
      expect(accentOf(el).backgroundColor).to.equal('rgb(18, 52, 86)');
      expect(accentOf(el).color).to.equal('rgb(255, 255, 255)');
    });

    it('its own text carries the language it is written in, whatever the page’s', async () => {
      const pageLang = document.documentElement.lang;
      document.documentElement.lang = 'ja';
      try {
        const el = await mount();
        expect(el.store!.state.locale, 'Japanese is not offered: English').to.equal('en');
        const button = launcherButton(el)!;
        expect(button.matches(':lang(en)'), 'the launcher is marked English').to.equal(true);
        expect(button.matches(':lang(ja)'), 'and not Japanese').to.equal(false);
        el.open();
        await settle(el);
        expect(chatWindow(el)!.shadowRoot!.getElementById('title')!.matches(':lang(en)')).to.equal(true);
        el.setAttribute('lang', 'ru');
        // Russian's chunk loads first: the window switches once it is there.
        await waitUntil(() => chatWindow(el)!.shadowRoot!.getElementById('title')!.matches(':lang(ru)'));
        await settle(el);
        await expect(el).to.be.accessible();
      } finally {
        document.documentElement.lang = pageLang;
      }
    });

    it('color with color2 makes a gradient', async () => {
      const el = await mount({ color: '#2a5bd7', color2: '#8e2de2' });
      await settle(el);
      expect(accentOf(el).backgroundImage).to.equal('linear-gradient(135deg, rgb(42, 91, 215), rgb(142, 45, 226))');
    });

    it('an end of the gradient where white text would be below 4.5:1 is darkened just enough', async () => {
      // White on #ff0000 is 4.00:1; #ee0000 gives 4.53:1.
      const el = await mount({ color: '#ff0000', color2: '#0000ff' });
      await settle(el);
      expect(accentOf(el).backgroundImage).to.equal('linear-gradient(135deg, rgb(238, 0, 0), rgb(0, 0, 255))');
    });

    it('a bad colour falls back to the default and the widget still renders', async () => {
      const el = await mount({ color: 'javascript:alert(1)', color2: '#zzz' });
      await settle(el);
      expect(accentOf(el).backgroundColor).to.equal('rgb(42, 91, 215)');
      expect(el.getAttribute('color'), 'the attribute is left as the page wrote it').to.equal('javascript:alert(1)');
      await expect(el).to.be.accessible();
    });

    it('page CSS custom properties win over the colour attribute', async () => {
      const el = await mount({ color: '#ff0000' });
      el.style.setProperty('--jivo-accent', '#00ff00');
      await settle(el);
      expect(accentOf(el).backgroundColor).to.equal('rgb(0, 255, 0)');
    });

    it('position left moves the widget to the left corner, live; a bad value keeps the right', async () => {
      const el = await mount({ position: 'left' });
      await settle(el);
      let box = launcherButton(el)!.getBoundingClientRect();
      expect(box.left).to.be.below(window.innerWidth / 2);
      el.position = 'middle' as 'left';
      await settle(el);
      box = launcherButton(el)!.getBoundingClientRect();
      expect(box.right).to.be.above(window.innerWidth / 2);
      expect(el.getAttribute('position')).to.equal('middle');
    });

    it('lang switches the language live and falls back to the page language, then English', async () => {
      const page = document.documentElement;
      const before = page.lang;
      try {
        page.lang = 'ru-RU';
        const el = await mount();
        expect(launcherButton(el)!.textContent).to.contain('Напишите нам');
        el.lang = 'en';
        await settle(el);
        expect(launcherButton(el)!.textContent).to.contain('Chat with us');
        el.setAttribute('lang', 'klingon');
        await settle(el);
        expect(launcherButton(el)!.textContent, 'unknown: the page language').to.contain('Напишите нам');
        page.lang = 'ja';
        el.setAttribute('lang', 'xx');
        await settle(el);
        expect(launcherButton(el)!.textContent, 'neither supported: English').to.contain('Chat with us');
      } finally {
        page.lang = before;
      }
    });

    it('reflects its properties to attributes', async () => {
      const el = await mount();
      el.color = '#abcdef';
      el.department = 'sales';
      el.endpoint = 'wss://chat.example.com';
      el.position = 'left';
      el.lang = 'ru';
      await el.updateComplete;
      expect(['color', 'department', 'endpoint', 'position', 'lang'].map((a) => el.getAttribute(a))).to.deep.equal([
        '#abcdef',
        'sales',
        'wss://chat.example.com',
        'left',
        'ru',
      ]);
    });

    it('adds no attributes the page did not write', async () => {
      const el = await mount();
      expect(el.getAttributeNames()).to.deep.equal(['widget-id']);
    });

    it('department routes the chat', async () => {
      const el = await mount({ department: 'support' });
      expect(el.store!.state.department).to.equal('support');
      el.department = '  ';
      await el.updateComplete;
      expect(el.store!.state.department).to.equal(null);
    });
  });

  describe('persistence', () => {
    const remount = (id: string) => mount({}, id);

    it('an open window, its messages and the draft come back after a reload, without events', async () => {
      const el = await mount();
      const id = el.widgetId!;
      el.open();
      el.store!.sendMessage('Hello');
      el.store!.setDraft('and another');
      el.remove();
      const seen: string[] = [];
      const listener = (e: Event) => seen.push(e.type);
      for (const t of ['jivo-open', 'jivo-change-state']) document.addEventListener(t, listener);
      try {
        const again = await remount(id);
        expect(chatWindow(again)).to.exist;
        expect(again.store!.state.messages.map((m) => m.text)).to.deep.equal(['Hello']);
        const textarea = chatWindow(again)!
          .shadowRoot!.querySelector('jivo-composer')!
          .shadowRoot!.querySelector('textarea')!;
        expect(textarea.value).to.equal('and another');
        expect(seen).to.deep.equal([]);
      } finally {
        for (const t of ['jivo-open', 'jivo-change-state']) document.removeEventListener(t, listener);
      }
    });

    it('a minimized chat comes back minimized, a closed one closed', async () => {
      const el = await mount();
      const id = el.widgetId!;
      el.open();
      el.store!.sendMessage('Hello');
      el.close();
      el.remove();
      let again = await remount(id);
      expect(launcherButton(again)!.textContent).to.contain('Continue the chat');
      again.clearHistory();
      again.remove();
      again = await remount(id);
      expect(chatWindow(again)).to.equal(null);
      expect(launcherButton(again)!.textContent).to.contain('Chat with us');
    });

    it('the menu is not restored', async () => {
      const el = await mount();
      const id = el.widgetId!;
      el.open({ start: 'menu' });
      el.remove();
      const again = await remount(id);
      expect(menu(again)).to.equal(null);
      expect(launcher(again)).to.exist;
    });

    it('widget-id keeps two widgets apart, and changing it switches to what that id stored', async () => {
      const a = await mount();
      a.open();
      a.store!.sendMessage('for a');
      const b = await mount();
      expect(b.store!.state.messages).to.deep.equal([]);
      b.widgetId = a.widgetId;
      await settle(b);
      expect(b.store!.state.messages.map((m) => m.text)).to.deep.equal(['for a']);
      expect(chatWindow(b)).to.exist;
    });

    it('clearHistory removes every key the widget stored', async () => {
      const el = await mount();
      el.open();
      el.store!.sendMessage('Hello');
      el.store!.setDraft('x');
      const prefix = `jivo-widget:${el.widgetId}:`;
      expect(Object.keys(localStorage).filter((k) => k.startsWith(prefix))).to.not.be.empty;
      expect(el.clearHistory()).to.deep.equal({ result: 'ok' });
      // The next visitor's id comes with the backend's next welcome.
      expect(Object.keys(localStorage).filter((k) => k.startsWith(prefix))).to.deep.equal([]);
      expect(el.store!.state.visitorId).to.equal('');
      expect(el.store!.state.messages).to.deep.equal([]);
    });

    it('ignores a corrupt stored value and renders', async () => {
      const id = uniqueId();
      localStorage.setItem(`jivo-widget:${id}:messages`, '{oops');
      localStorage.setItem(`jivo-widget:${id}:view`, '"chat"');
      const el = await remount(id);
      expect(chatWindow(el)).to.exist;
      expect(el.store!.state.messages).to.deep.equal([]);
    });
  });

  describe('events', () => {
    it('fires jivo-load once per connection, bubbling and composed', async () => {
      const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
      const el = document.createElement('jivo-widget');
      el.widgetId = uniqueId();
      const loads: Event[] = [];
      document.addEventListener('jivo-load', (e) => loads.push(e));
      wrapper.append(el);
      await waitUntil(() => loads.length === 1);
      expect(loads[0].bubbles && loads[0].composed).to.equal(true);
      const destroyed = oneEvent(el, 'jivo-widget-destroy');
      el.remove();
      await destroyed;
      wrapper.append(el);
      await waitUntil(() => loads.length === 2);
      await aTimeout(20);
      expect(loads.length).to.equal(2);
    });

    it('an element removed before it loaded neither loads nor reports a destroy', async () => {
      const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
      const el = document.createElement('jivo-widget');
      el.widgetId = uniqueId();
      const seen: string[] = [];
      el.addEventListener('jivo-load', () => seen.push('load'));
      el.addEventListener('jivo-widget-destroy', () => seen.push('destroy'));
      wrapper.append(el);
      el.remove();
      await aTimeout(30);
      expect(seen).to.deep.equal([]);
    });

    it('fires jivo-resize when the size on screen changes', async () => {
      const el = await mount();
      const resized = oneEvent(el, 'jivo-resize');
      el.open();
      const event = await resized;
      expect(event.detail.width).to.be.above(300);
      expect(event.detail.height).to.be.above(300);
    });

    it('fires jivo-resize for a window opened from the load callback, before the next frame', async () => {
      const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
      const el = document.createElement('jivo-widget');
      el.setAttribute('widget-id', uniqueId());
      el.addEventListener('jivo-load', () => el.open());
      const resized = oneEvent(el, 'jivo-resize');
      wrapper.append(el);
      const event = await resized;
      expect(event.detail.width, 'the open window’s width').to.be.above(300);
      expect(event.detail.height, 'the open window’s height').to.be.above(300);
    });

    it('destroyed widgets stop persisting and emitting', async () => {
      const el = await mount();
      const id = el.widgetId!;
      el.remove();
      const seen = recordEvents(el);
      el.store!.open('chat', 'api');
      expect(seen).to.deep.equal([]);
      // Nothing under the view: it was only ever the default (not written), and the open after removal is not kept.
      expect(localStorage.getItem(`jivo-widget:${id}:view`)).to.equal(null);
    });
  });

  describe('small screens', () => {
    it('the open window fills the viewport under 480 px', async () => {
      await setViewport({ width: 400, height: 700 });
      const el = await mount();
      el.open();
      await settle(el);
      const box = chatWindow(el)!.shadowRoot!.querySelector('[part="window"]')!.getBoundingClientRect();
      expect([box.left, box.top, box.width, box.height].map(Math.round)).to.deep.equal([0, 0, 400, 700]);
      await expect(el).to.be.accessible();
    });

    it('follows the visual viewport (the on-screen keyboard) while open', async () => {
      await setViewport({ width: 400, height: 700 });
      const el = await mount();
      el.open();
      await settle(el);
      const root = shadow(el).querySelector<HTMLElement>('[part="base"]')!;
      expect(root.style.getPropertyValue('--jivo-_viewport-height')).to.equal(`${window.visualViewport!.height}px`);
      el.close();
      await settle(el);
      expect(root.style.getPropertyValue('--jivo-_viewport-height')).to.equal('');
    });

    it('on a wide screen the window keeps its size', async () => {
      const el = await mount();
      el.open();
      await settle(el);
      const box = chatWindow(el)!.shadowRoot!.querySelector('[part="window"]')!.getBoundingClientRect();
      expect(Math.round(box.width)).to.equal(370);
    });
  });

  describe('review fixes', () => {
    /** A ChatTransport that records what the widget does with it, never connecting anywhere. */
    function fakeTransport() {
      const status$ = new BehaviorSubject<'connecting' | 'open' | 'closed'>('closed');
      const calls: string[] = [];
      return {
        calls,
        frames$: new Subject<never>(),
        status$,
        connect: () => calls.push('connect'),
        send: () => false,
        retryNow: () => calls.push('retryNow'),
        disconnect: () => calls.push('disconnect'),
      };
    }

    it('a transport set after the widget is on the page is used', async () => {
      const el = await mount();
      const transport = fakeTransport();
      el.transport = transport;
      await el.updateComplete;
      expect(transport.calls).to.deep.equal(['connect']);
      el.transport = undefined;
      await el.updateComplete;
      expect(transport.calls).to.deep.equal(['connect', 'disconnect']);
    });

    it('an endpoint set after the widget is on the page is used', async () => {
      const el = await mount();
      const warn = sinon.stub(console, 'warn');
      el.setAttribute('endpoint', 'ftp://nowhere');
      await el.updateComplete;
      expect(warn.args.join(' '), 'the new endpoint was considered').to.contain('ftp://nowhere');
      expect(el.store!.state.connection).to.equal('none');
      el.setAttribute('endpoint', 'ws://127.0.0.1:9/ws/visitor');
      await el.updateComplete;
      expect(el.store!.state.connection).to.equal('connecting');
    });

    it('switching widget-id starts a fresh visitor: nothing of the old id is kept or written under the new one', async () => {
      const el = await mount();
      const transport = fakeTransport();
      el.transport = transport;
      await el.updateComplete;
      el.store!.sendMessage('secret of A');
      el.setContactInfo({ name: 'Alice' });
      const idB = uniqueId();
      el.widgetId = idB;
      await el.updateComplete;
      expect(el.store!.state.messages).to.deep.equal([]);
      expect(el.getContactInfo().client_name).to.equal(null);
      // No id of A's under B: B's visitor has none until its backend's welcome issues one.
      expect(el.store!.state.visitorId).to.equal('');
      expect(localStorage.getItem(`jivo-widget:${idB}:visitorId`)).to.equal(null);
      // B has no messages, which is the default: nothing is written under it.
      expect(localStorage.getItem(`jivo-widget:${idB}:messages`)).to.equal(null);
      expect(transport.calls, 'the old connection is left, a new one made').to.deep.equal([
        'connect',
        'disconnect',
        'connect',
      ]);
    });

    it('an action taken by a listener while an event is being dispatched leaves every subscriber with the latest state', async () => {
      const el = await mount();
      // clearHistory re-creates the storage subscriptions, so they now come after the one that dispatches events.
      el.clearHistory();
      el.addEventListener('jivo-open', () => el.setContactInfo({ name: 'Bob' }), { once: true });
      el.open();
      expect(el.getContactInfo().client_name).to.equal('Bob');
      expect(
        JSON.parse(localStorage.getItem(`jivo-widget:${el.widgetId}:contact`)!).name,
        'storage has it too',
      ).to.equal('Bob');
    });

    it('a window restored open on a small screen follows the on-screen keyboard at once', async () => {
      await setViewport({ width: 400, height: 700 });
      const id = uniqueId();
      localStorage.setItem(`jivo-widget:${id}:view`, '"chat"');
      const el = await mount({}, id);
      const root = shadow(el).querySelector<HTMLElement>('[part="base"]')!;
      expect(root.style.getPropertyValue('--jivo-_viewport-height')).to.equal(`${window.visualViewport!.height}px`);
    });

    it('an over-long department is refused by the API and ignored as an attribute', async () => {
      const warn = sinon.stub(console, 'warn');
      const el = await mount({ department: 'd'.repeat(65) });
      expect(el.store!.state.department).to.equal(null);
      expect(warn.called).to.equal(true);
      expect(el.showProactiveInvitation('Hi', 'x'.repeat(65)).result).to.equal('fail');
      expect(el.store!.state.invitation).to.equal(null);
    });
  });

  describe('notification sound', () => {
    const agentMessage = (id: string) => ({
      id,
      from: 'agent' as const,
      text: 'Hello',
      at: Date.now(),
      seq: 1,
      agentName: 'Anna',
    });

    afterEach(() => sinon.restore());

    it('is off by default', async () => {
      const oscillators = sinon.spy(AudioContext.prototype, 'createOscillator');
      const el = await mount();
      el.store!.receiveMessage(agentMessage(`quiet-${uniqueId()}`));
      await aTimeout(50);
      expect(oscillators.callCount).to.equal(0);
    });

    it('chimes once for a message that every tab receives', async () => {
      const oscillators = sinon.spy(AudioContext.prototype, 'createOscillator');
      const id = uniqueId();
      // Two widgets with one widget id stand for two tabs of the site: each receives the agent's message.
      const first = await mount({ sound: '' }, id);
      const second = await mount({ sound: '' }, id);
      const message = agentMessage(`m-${id}`);
      first.store!.receiveMessage(message);
      second.store!.receiveMessage(message);
      await waitUntil(() => oscillators.callCount > 0, 'the chime plays');
      await aTimeout(50);
      expect(oscillators.callCount, 'one chime of two tones').to.equal(2);
      first.store!.receiveMessage(agentMessage(`m2-${id}`));
      await waitUntil(() => oscillators.callCount === 4, 'the next message chimes again');
    });
  });

  describe('theming', () => {
    it('exposes its parts through ::part()', async () => {
      const style = document.createElement('style');
      style.textContent =
        'jivo-widget::part(launcher) { border-radius: 3px } jivo-widget::part(header) { padding-top: 31px }';
      document.head.append(style);
      try {
        const el = await mount();
        expect(getComputedStyle(launcherButton(el)!).borderRadius).to.equal('3px');
        el.open();
        await settle(el);
        const header = chatWindow(el)!.shadowRoot!.querySelector('header')!;
        expect(getComputedStyle(header).paddingTop).to.equal('31px');
      } finally {
        style.remove();
      }
    });

    it('takes its z-index and offsets from custom properties', async () => {
      const el = await mount();
      el.style.setProperty('--jivo-z-index', '7');
      el.style.setProperty('--jivo-offset-y', '55px');
      await settle(el);
      const root = shadow(el).querySelector('[part="base"]')!;
      expect(getComputedStyle(root).zIndex).to.equal('7');
      expect(getComputedStyle(root).bottom).to.equal('55px');
    });
  });
});
