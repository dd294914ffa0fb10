import { expect, fixture, fixtureCleanup, html, oneEvent } from '@open-wc/testing';
import sinon from 'sinon';
import '../../src/jivo-widget.js';
import type { JivoWidget } from '../../src/components/widget/widget.js';
import { FakeTransport } from '../helpers/fake-transport.js';
import { chatWindow } from '../helpers/widget-page.js';

// jivo_api.setRules wired into <jivo-widget>: what a visitor sees when a rule fires (the trigger engine's own timing
// rules are tested in test/triggers under a fake clock too). Timers and Date are faked; the page's real start time
// (performance.timeOrigin) stays, so time_on_page counts from when this test page loaded.

let seq = 0;
const uniqueId = () => `sr-${Date.now().toString(36)}-${++seq}`;

async function mount(setup: (el: JivoWidget) => void = () => {}): Promise<JivoWidget> {
  const wrapper = await fixture(html`<div></div>`);
  const el = document.createElement('jivo-widget');
  el.setAttribute('widget-id', uniqueId());
  setup(el);
  const loaded = oneEvent(el, 'jivo-load');
  wrapper.append(el);
  await loaded;
  return el;
}

/** Seconds from now to when this page view will be `extra` seconds older than it is now. */
const pageAgePlus = (extra: number) => Math.ceil((Date.now() - performance.timeOrigin) / 1000) + extra;

function rules(...list: Array<Record<string, unknown>>) {
  return { version: 1, rules: list.map((r, i) => ({ id: `rule-${i}`, match: 'all', ...r })) };
}

const invite = (text: string, seconds: number, extra: Record<string, unknown> = {}) => ({
  conditions: [{ type: 'time_on_page', seconds: seconds && pageAgePlus(seconds) }],
  actions: [{ type: 'show_invitation', text, ...extra }],
});

const inner = (el: Element, selector: string): Element | null => {
  const chat = chatWindow(el);
  if (selector === 'jivo-chat-window') return chat;
  return chat?.shadowRoot?.querySelector(selector) ?? null;
};

const launcher = (el: Element) => el.shadowRoot!.querySelector('jivo-launcher');

/** Waits until the widget and every element inside it have rendered. */
async function settled(el: Element): Promise<void> {
  for (let pass = 0; pass < 3; pass++) {
    const pending: Promise<unknown>[] = [];
    const visit = (root: Element | ShadowRoot) => {
      for (const child of root.querySelectorAll('*')) {
        if ('updateComplete' in child) pending.push((child as JivoWidget).updateComplete);
        if (child.shadowRoot) visit(child.shadowRoot);
      }
    };
    pending.push((el as JivoWidget).updateComplete);
    visit(el.shadowRoot!);
    await Promise.all(pending);
  }
}

/** Everything the visitor can read in the chat window, through the nested shadow roots. */
function windowText(el: Element): string {
  const walk = (node: Node): string =>
    node instanceof Element && node.shadowRoot
      ? walk(node.shadowRoot)
      : node.nodeType === Node.TEXT_NODE
        ? (node.textContent ?? '')
        : [...node.childNodes].map(walk).join(' ');
  const chat = inner(el, 'jivo-chat-window');
  return chat ? walk(chat).replace(/\s+/g, ' ') : '';
}

describe('jivo_api.setRules', () => {
  let clock: sinon.SinonFakeTimers;
  const installClock = () => {
    clock = sinon.useFakeTimers({ now: Date.now(), toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  };

  afterEach(() => {
    sinon.restore();
    fixtureCleanup();
    for (const key of Object.keys(localStorage)) if (key.startsWith('jivo-widget:sr-')) localStorage.removeItem(key);
    for (const name of ['jivo_onOpen', 'jivo_onClientStartChat', 'jivo_onChangeState'] as const) delete window[name];
  });

  it('an invitation rule opens the window with its text when due, fires jivo_onOpen, and leaves focus alone', async () => {
    const el = await mount();
    installClock();
    const onOpen = sinon.spy();
    window.jivo_onOpen = onOpen;
    const states: string[] = [];
    window.jivo_onChangeState = (state) => void states.push(state);
    const button = document.createElement('button');
    document.body.append(button);
    button.focus();

    expect(window.jivo_api!.setRules(rules(invite('Can we help with your order?', 30)))).to.deep.equal({
      result: 'ok',
    });
    await clock.tickAsync(29_000);
    await settled(el);
    expect(!!inner(el, 'jivo-chat-window'), 'not yet due').to.equal(false);

    await clock.tickAsync(2_500);
    await settled(el);
    expect(!!inner(el, 'jivo-chat-window')).to.equal(true);
    expect(windowText(el)).to.contain('Can we help with your order?');
    expect(onOpen.callCount).to.equal(1);
    expect(states).to.deep.equal(['chat']);
    expect(document.activeElement === button, 'focus stays on the page').to.equal(true);
    button.remove();
  });

  it('rejects invalid rules with a reason, never throws, and keeps the old rules in force', async () => {
    const el = await mount();
    installClock();
    expect(el.setRules(rules(invite('Still here', 20)))).to.deep.equal({ result: 'ok' });

    const bad: unknown[] = [
      undefined,
      null,
      42,
      '{not json',
      { version: 2, rules: [] },
      { version: 1, rules: [{ id: 'x', match: 'some', conditions: [], actions: [] }] },
      {
        version: 1,
        rules: [
          {
            id: 'x',
            match: 'all',
            conditions: [{ type: 'time_on_page', seconds: -1 }],
            actions: [{ type: 'hide_widget' }],
          },
        ],
      },
      {
        version: 1,
        rules: [
          {
            id: 'x',
            match: 'all',
            conditions: [{ type: 'page_url', operator: 'regex', value: '.*' }],
            actions: [{ type: 'hide_widget' }],
          },
        ],
      },
    ];
    for (const input of bad) {
      const result = window.jivo_api!.setRules(input) as { result: string; reason?: string };
      expect(result.result, JSON.stringify(input)).to.equal('fail');
      expect(result.reason, JSON.stringify(input)).to.be.a('string').and.not.be.empty;
    }
    expect((el.setRules({ version: 2, rules: [] }) as { reason: string }).reason).to.match(/version/);

    await clock.tickAsync(21_000);
    await settled(el);
    expect(windowText(el)).to.contain('Still here');
  });

  it('takes the rules as a JSON string as well, and an empty list removes every trigger', async () => {
    const el = await mount();
    installClock();
    expect(el.setRules(JSON.stringify(rules(invite('From JSON', 5))))).to.deep.equal({ result: 'ok' });
    expect(el.setRules('{"version":1,"rules":[]}')).to.deep.equal({ result: 'ok' });
    await clock.tickAsync(10_000);
    await settled(el);
    expect(!!inner(el, 'jivo-chat-window')).to.equal(false);
  });

  it('hide_widget hides the launcher until the page opens the chat', async () => {
    const el = await mount();
    installClock();
    el.setRules(rules({ conditions: [{ type: 'time_on_page', seconds: 0 }], actions: [{ type: 'hide_widget' }] }));
    await settled(el);
    expect(!!launcher(el)).to.equal(false);
    expect(el.shadowRoot!.querySelectorAll('button').length).to.equal(0);

    expect(window.jivo_api!.open()).to.deep.equal({ result: 'ok' });
    await settled(el);
    expect(!!inner(el, 'jivo-chat-window')).to.equal(true);
    window.jivo_api!.close();
    await settled(el);
    expect(!!launcher(el)).to.equal(true);
  });

  it('open_offline_form opens the window on the offline form, and closing it returns to the chat', async () => {
    const el = await mount();
    installClock();
    el.setRules(
      rules({ conditions: [{ type: 'time_on_page', seconds: 0 }], actions: [{ type: 'open_offline_form' }] }),
    );
    await settled(el);
    expect(!!inner(el, 'jivo-offline-form')).to.equal(true);

    el.close();
    el.open();
    await settled(el);
    expect(!!inner(el, 'jivo-offline-form')).to.equal(false);
    expect(!!inner(el, 'jivo-composer')).to.equal(true);
  });

  it('since_window_closed counts from when the visitor closed the window', async () => {
    const el = await mount();
    installClock();
    el.open();
    el.setRules(
      rules({
        conditions: [{ type: 'since_window_closed', seconds: 60 }],
        actions: [{ type: 'show_invitation', text: 'Come back?' }],
      }),
    );
    await clock.tickAsync(120_000);
    await settled(el);
    expect(windowText(el), 'no rule fires while the window is open').not.to.contain('Come back?');

    el.close();
    await clock.tickAsync(59_000);
    await settled(el);
    expect(!!inner(el, 'jivo-chat-window')).to.equal(false);
    await clock.tickAsync(1_500);
    await settled(el);
    expect(windowText(el)).to.contain('Come back?');
  });

  it('with a backend, agents_online is judged only once the backend has answered', async () => {
    const transport = new FakeTransport();
    const el = await mount((w) => (w.transport = transport));
    installClock();
    transport.open();
    el.setRules(
      rules(
        { conditions: [{ type: 'agents_online', value: false }], actions: [{ type: 'open_offline_form' }] },
        { ...invite('An agent is here', 0), conditions: [{ type: 'agents_online', value: true }] },
      ),
    );
    await clock.tickAsync(5_000);
    await settled(el);
    expect(!!inner(el, 'jivo-chat-window'), 'nothing before the welcome').to.equal(false);

    transport.welcome({ chatMode: 'online' });
    await settled(el);
    expect(windowText(el)).to.contain('An agent is here');
    expect(!!inner(el, 'jivo-offline-form')).to.equal(false);
  });

  it('a trigger invitation with a department routes the chat there, and a reply does not count as started by the client', async () => {
    const transport = new FakeTransport();
    const el = await mount((w) => (w.transport = transport));
    installClock();
    transport.open();
    transport.welcome({ chatMode: 'online' });
    const started = sinon.spy();
    window.jivo_onClientStartChat = started;
    el.setRules(rules(invite('Talk to sales?', 0, { department_id: 7 })));
    await settled(el);
    expect(windowText(el)).to.contain('Talk to sales?');
    expect(transport.ofType('department')).to.deep.equal([{ type: 'department', department: '7' }]);

    const sent = oneEvent(el, 'jivo-message-sent');
    const composer = inner(el, 'jivo-composer')!;
    const input = composer.shadowRoot!.querySelector('textarea')!;
    input.value = 'Yes please';
    input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
    input.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true, cancelable: true }),
    );
    await sent;
    expect(started.callCount).to.equal(0);
    expect(transport.ofType('message').map((f) => f.text)).to.deep.equal(['Yes please']);
  });

  it('a rule that fired is not repeated when the element moves in the page, and the rules survive the move', async () => {
    const el = await mount();
    installClock();
    el.setRules(
      rules(invite('First', 0), {
        conditions: [
          { type: 'since_last_invitation', seconds: 30 },
          { type: 'since_window_closed', seconds: 0 },
        ],
        actions: [{ type: 'show_invitation', text: 'Second' }],
      }),
    );
    await settled(el);
    expect(windowText(el)).to.contain('First');
    el.close();
    const parent = el.parentElement!;
    el.remove();
    parent.append(el);
    await settled(el);
    await clock.tickAsync(10_000);
    await settled(el);
    expect(!!inner(el, 'jivo-chat-window'), 'First is not shown again').to.equal(false);
    await clock.tickAsync(25_000);
    await settled(el);
    expect(windowText(el)).to.contain('Second');
  });
});
