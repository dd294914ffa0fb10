import { aTimeout, expect, waitUntil } from '@open-wc/testing';
import sinon from 'sinon';
import type { JivoApi, JivoCallbacks } from '../../src/api/types.js';
import '../../src/jivo-widget.js';
import { clearUsedStorage, FakeBackend, mountWidget } from '../helpers/fake-backend.js';

/**
 * The call-back half of `window.jivo_api`: startCall, isCallbackEnabled and open({start: 'call'}), with
 * jivo_onCallStart, jivo_onCallEnd(res) and jivo_onChangeState, against a backend played in the page (FakeBackend).
 */

const api = (): JivoApi => window.jivo_api!;
const CALLBACKS = [
  'jivo_onCallStart',
  'jivo_onCallEnd',
  'jivo_onChangeState',
  'jivo_onOpen',
] as const satisfies ReadonlyArray<keyof JivoCallbacks>;

/** What the page's callbacks were called with, in order. */
let calls: string[];

function defineCallbacks(): void {
  calls = [];
  for (const name of CALLBACKS) {
    (window as unknown as Record<string, unknown>)[name] = (...args: unknown[]) =>
      calls.push(args.length ? `${name}(${JSON.stringify(args[0])})` : name);
  }
}

describe('jivo_api call backs', () => {
  beforeEach(defineCallbacks);

  afterEach(() => {
    for (const name of CALLBACKS) delete (window as unknown as Record<string, unknown>)[name];
    sinon.restore();
    clearUsedStorage();
  });

  describe('startCall', () => {
    it('accepts a number in a valid format, queues one request with the number normalised, and returns ok', async () => {
      const backend = new FakeBackend(true);
      const el = await mountWidget(backend);
      expect(api().startCall('+1 (408) 498-7855')).to.deep.equal({ result: 'ok' });
      expect(backend.lastRequest()).to.include({ phone: '+14084987855' });
      expect(backend.requests()).to.equal(1);
      expect(el.store!.state.call).to.include({ phone: '+14084987855', status: 'requested' });
    });

    for (const phone of [
      '+14084987855',
      '84084987855',
      '+7 (495) 123-45-67',
      '1234567',
      '+123456789012345',
      '555.010.2030',
    ]) {
      it(`accepts ${JSON.stringify(phone)}`, async () => {
        const backend = new FakeBackend(true);
        await mountWidget(backend);
        expect(api().startCall(phone)).to.deep.equal({ result: 'ok' });
      });
    }

    it('refuses what is not a phone number, with a reason, and requests nothing; never throws', async () => {
      const backend = new FakeBackend(true);
      const el = await mountWidget(backend);
      const bad: unknown[] = [
        '',
        '   ',
        '123456',
        '+1234567890123456',
        'call me',
        '+1 408 CALL',
        '++14084987855',
        '1'.repeat(40),
        14084987855,
        null,
        undefined,
        {},
        [],
        () => '+14084987855',
        Symbol('x'),
      ];
      for (const phone of bad) {
        const result = (api().startCall as (p: unknown) => unknown)(phone) as { result: string; reason: string };
        expect(result.result, String(typeof phone === 'symbol' ? 'symbol' : phone)).to.equal('fail');
        expect(result.reason).to.be.a('string').and.contain('not a phone number');
      }
      expect(backend.requests()).to.equal(0);
      expect(el.store!.state.call).to.equal(null);
    });

    it('returns exactly {result: "fail", reason: "Callback disabled"} when the backend says call backs are off', async () => {
      const backend = new FakeBackend(false);
      const el = await mountWidget(backend);
      await waitUntil(() => el.store!.state.callbackEnabled === false);
      expect(api().startCall('+14084987855')).to.deep.equal({ result: 'fail', reason: 'Callback disabled' });
      expect(backend.requests()).to.equal(0);
      expect(calls, 'no callback for a refusal the caller already has').to.deep.equal([]);
    });

    it('returns "Callback disabled" with no backend at all', async () => {
      await mountWidget();
      expect(api().startCall('+14084987855')).to.deep.equal({ result: 'fail', reason: 'Callback disabled' });
    });

    it('refuses a second call while one is going, and takes a new one once it is over', async () => {
      const backend = new FakeBackend(true);
      await mountWidget(backend);
      expect(api().startCall('+14084987855').result).to.equal('ok');
      expect(api().startCall('+14084987856')).to.deep.equal({
        result: 'fail',
        reason: 'A call is already in progress',
      });
      backend.report('failed', 'No answer');
      expect(api().startCall('+14084987856')).to.deep.equal({ result: 'ok' });
      expect(backend.requests()).to.equal(2);
    });

    it('before the backend has answered, queues the request; a refusal then ends the call with "Callback disabled"', async () => {
      sinon.stub(console, 'warn');
      const backend = new FakeBackend(null);
      const el = await mountWidget(backend);
      expect(el.store!.state.callbackEnabled).to.equal(null);
      expect(api().startCall('+14084987855')).to.deep.equal({ result: 'ok' });
      expect(backend.requests(), 'not sent before the welcome').to.equal(0);
      backend.welcome(false);
      expect(backend.requests(), 'sent once welcomed').to.equal(1);
      expect(calls).to.deep.equal(['jivo_onCallEnd({"result":"fail","reason":"Callback disabled"})']);
    });
  });

  describe('jivo_onCallStart and jivo_onCallEnd', () => {
    it('start when the backend takes the request, end with {result: "ok"} when the call finished; once each', async () => {
      const backend = new FakeBackend(true);
      const el = await mountWidget(backend);
      const events: Array<[string, unknown]> = [];
      el.addEventListener('jivo-call-start', (e) => events.push([e.type, e.detail]));
      el.addEventListener('jivo-call-end', (e) => events.push([e.type, e.detail]));
      api().startCall('+14084987855');
      expect(calls).to.deep.equal(['jivo_onCallStart']);
      backend.report('connected');
      backend.report('connected');
      backend.report('finished');
      backend.report('finished');
      expect(calls).to.deep.equal(['jivo_onCallStart', 'jivo_onCallEnd({"result":"ok"})']);
      expect(events).to.deep.equal([
        ['jivo-call-start', { phone: '+14084987855' }],
        ['jivo-call-end', { result: 'ok' }],
      ]);
    });

    it('end with {result: "fail", reason} when the call failed', async () => {
      const backend = new FakeBackend(true);
      await mountWidget(backend);
      let res: unknown;
      window.jivo_onCallEnd = (r) => (res = r);
      api().startCall('+14084987855');
      backend.report('failed', 'No answer');
      expect(res).to.deep.equal({ result: 'fail', reason: 'No answer' });
    });

    it('a callback that throws is logged; the widget goes on', async () => {
      const backend = new FakeBackend(true);
      const el = await mountWidget(backend);
      const error = sinon.stub(console, 'error');
      window.jivo_onCallStart = () => {
        throw new Error('page bug');
      };
      expect(api().startCall('+14084987855')).to.deep.equal({ result: 'ok' });
      expect(error.called).to.equal(true);
      backend.report('finished');
      expect(el.store!.state.call!.status).to.equal('finished');
    });
  });

  describe('isCallbackEnabled', () => {
    it('calls back asynchronously with {result: "ok"} when call backs are on', async () => {
      const backend = new FakeBackend(true);
      await mountWidget(backend);
      const cb = sinon.spy();
      expect(api().isCallbackEnabled(cb)).to.deep.equal({ result: 'ok' });
      expect(cb.called, 'not synchronously').to.equal(false);
      await waitUntil(() => cb.called);
      expect(cb.args).to.deep.equal([[{ result: 'ok' }]]);
    });

    it('calls back asynchronously with {result: "fail", reason: "Callback disabled"} when they are off, or with no backend', async () => {
      const cb = sinon.spy();
      const el = await mountWidget(new FakeBackend(false));
      api().isCallbackEnabled(cb);
      expect(cb.called).to.equal(false);
      await waitUntil(() => cb.called);
      expect(cb.args).to.deep.equal([[{ result: 'fail', reason: 'Callback disabled' }]]);
      el.remove();
      const none = sinon.spy();
      await mountWidget();
      api().isCallbackEnabled(none);
      expect(none.called).to.equal(false);
      await waitUntil(() => none.called);
      expect(none.args).to.deep.equal([[{ result: 'fail', reason: 'Callback disabled' }]]);
    });

    it("waits for the backend's first answer", async () => {
      const backend = new FakeBackend(null);
      await mountWidget(backend);
      const cb = sinon.spy();
      api().isCallbackEnabled(cb);
      await aTimeout(50);
      expect(cb.called).to.equal(false);
      backend.welcome(true);
      await waitUntil(() => cb.called);
      expect(cb.args).to.deep.equal([[{ result: 'ok' }]]);
    });

    it('gives up after 15 s without an answer, with a reason', async () => {
      await mountWidget(new FakeBackend(null));
      const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      const cb = sinon.spy();
      api().isCallbackEnabled(cb);
      clock.tick(14_999);
      expect(cb.called).to.equal(false);
      clock.tick(1);
      expect(cb.args).to.deep.equal([[{ result: 'fail', reason: 'The chat server did not answer in time' }]]);
    });

    it('fails, without throwing, on anything but a function; a callback that throws is logged', async () => {
      await mountWidget(new FakeBackend(true));
      for (const bad of [undefined, null, 'cb', 42, {}, []]) {
        const result = (api().isCallbackEnabled as (cb: unknown) => unknown)(bad) as { result: string; reason: string };
        expect(result.result).to.equal('fail');
        expect(result.reason).to.contain('callback function');
      }
      const error = sinon.stub(console, 'error');
      expect(
        api().isCallbackEnabled(() => {
          throw new Error('page bug');
        }),
      ).to.deep.equal({ result: 'ok' });
      await waitUntil(() => error.called, 'the error is logged');
    });

    it('with no widget on the page, calls back with a failure too', async () => {
      const el = await mountWidget(new FakeBackend(true));
      window.jivo_destroy!();
      const cb = sinon.spy();
      expect(api().isCallbackEnabled(cb).result).to.equal('fail');
      await waitUntil(() => cb.called);
      expect(cb.args[0][0].result).to.equal('fail');
      expect(api().startCall('+14084987855').result).to.equal('fail');
      expect(el.isConnected).to.equal(false);
      window.jivo_init!();
    });
  });

  describe('open({start: "call"})', () => {
    it('opens the callback form: state "call", jivo_onChangeState("call") and jivo_onOpen', async () => {
      const el = await mountWidget(new FakeBackend(true));
      await waitUntil(() => el.store!.state.callbackEnabled === true);
      calls.length = 0;
      expect(api().open({ start: 'call' })).to.deep.equal({ result: 'ok' });
      expect(calls).to.deep.equal(['jivo_onChangeState("call")', 'jivo_onOpen']);
      await el.updateComplete;
      const win = el.shadowRoot!.querySelector('jivo-chat-window')!;
      await win.updateComplete;
      expect(win.shadowRoot!.querySelector('jivo-callback-form')).to.exist;
      // Back to the chat, the documented default.
      expect(api().open({ start: 'chat' })).to.deep.equal({ result: 'ok' });
      expect(el.store!.state.view).to.equal('chat');
    });

    it('over an open chat it is state "chat/call"; closing it from there minimizes', async () => {
      const el = await mountWidget(new FakeBackend(true));
      api().open();
      el.store!.sendMessage('Hello');
      calls.length = 0;
      expect(api().open({ start: 'call' })).to.deep.equal({ result: 'ok' });
      expect(calls).to.deep.equal(['jivo_onChangeState("chat/call")']);
      api().close();
      expect(el.store!.state.view).to.equal('chat/min');
    });

    it('fails with "Callback disabled" and changes nothing when call backs are off', async () => {
      const el = await mountWidget(new FakeBackend(false));
      await waitUntil(() => el.store!.state.callbackEnabled === false);
      calls.length = 0;
      expect(api().open({ start: 'call' })).to.deep.equal({ result: 'fail', reason: 'Callback disabled' });
      expect(el.store!.state.view).to.equal('label');
      expect(calls).to.deep.equal([]);
    });

    it('opens the form before the backend has answered (the form says so if call backs turn out off)', async () => {
      const backend = new FakeBackend(null);
      const el = await mountWidget(backend);
      expect(api().open({ start: 'call' })).to.deep.equal({ result: 'ok' });
      backend.welcome(false);
      await el.updateComplete;
      const win = el.shadowRoot!.querySelector('jivo-chat-window')!;
      await win.updateComplete;
      const form = win.shadowRoot!.querySelector('jivo-callback-form')!;
      await form.updateComplete;
      expect(form.shadowRoot!.querySelector('[role="status"]')!.textContent).to.contain(
        'We cannot call back right now',
      );
    });
  });
});
