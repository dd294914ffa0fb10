// @ts-nocheck -- the examples in this file are the document's JavaScript, copied verbatim (the global `jivo_api`,
// untyped parameters), so the file is JavaScript in a .ts file.
import { expect, waitUntil } from '@open-wc/testing';
import sinon from 'sinon';
import '../../src/jivo-widget.js';
import { clearUsedStorage, FakeBackend, mountWidget } from '../helpers/fake-backend.js';

/*
 * The call-back examples of jivo-widget-api.txt, run VERBATIM: each snippet between the "verbatim" markers is copied
 * character for character from the document (startCall, jivo_onCallEnd, isCallbackEnabled). console.log is stubbed, so
 * the tests read which message an example logged. The backend is played in the page (FakeBackend).
 */

function startCallExample() {
  // ---- verbatim: startCall ----
  let phone = '+14084987855';
  let apiResult = jivo_api.startCall(phone);

  if (apiResult.result === 'ok') {
    console.log('Call started, phone: ', phone);
  } else {
    console.log('Failed to start the call, reason: ', apiResult.reason);
  }
  // ---- end of verbatim ----
}

function documentedOnCallEnd() {
  // ---- verbatim: jivo_onCallEnd ----
  function jivo_onCallEnd(res) {
    if (res.result == 'ok') {
      // call finished successfully
    }
    if (res.result == 'fail') {
      // call finished with errors or can not started
      console.log(res.reason); // reason for the unsuccessfull call
    }
  }
  // ---- end of verbatim ----
  return jivo_onCallEnd;
}

function isCallbackEnabledExample() {
  // ---- verbatim: isCallbackEnabled ----
  jivo_api.isCallbackEnabled(function (apiResult) {
    if (apiResult.result === 'ok') {
      jivo_api.open({ start: 'call' });
    } else {
      console.log('Callback is not available, reason: ', apiResult.reason);
    }
  });
  // ---- end of verbatim ----
}

describe('jivo-widget-api.txt call-back examples, run verbatim', () => {
  let log;
  const logged = () => log.getCalls().map((call) => call.args);

  beforeEach(() => {
    log = sinon.stub(console, 'log');
    sinon.stub(console, 'warn');
  });

  afterEach(() => {
    sinon.restore();
    delete window.jivo_onCallEnd;
    delete window.jivo_onChangeState;
    clearUsedStorage();
  });

  it('startCall logs "Call started, phone: " with the number while call backs are available', async () => {
    const backend = new FakeBackend(true);
    await mountWidget(backend);
    startCallExample();
    expect(logged()).to.deep.equal([['Call started, phone: ', '+14084987855']]);
    expect(backend.lastRequest().phone).to.equal('+14084987855');
  });

  it('startCall logs "Failed to start the call, reason: Callback disabled" while they are not', async () => {
    const el = await mountWidget(new FakeBackend(false));
    await waitUntil(() => el.store.state.callbackEnabled === false);
    startCallExample();
    expect(logged()).to.deep.equal([['Failed to start the call, reason: ', 'Callback disabled']]);
  });

  it('jivo_onCallEnd logs nothing for a finished call and the reason for a failed one', async () => {
    window.jivo_onCallEnd = sinon.spy(documentedOnCallEnd());
    const backend = new FakeBackend(true);
    await mountWidget(backend);
    startCallExample();
    backend.report('connected');
    backend.report('finished');
    expect(window.jivo_onCallEnd.args).to.deep.equal([[{ result: 'ok' }]]);
    expect(logged()).to.deep.equal([['Call started, phone: ', '+14084987855']]);
    startCallExample();
    backend.report('failed', 'No answer');
    expect(window.jivo_onCallEnd.args[1]).to.deep.equal([{ result: 'fail', reason: 'No answer' }]);
    expect(logged().at(-1)).to.deep.equal(['No answer']);
  });

  it('jivo_onCallEnd logs "Callback disabled" for a call the backend refused', async () => {
    window.jivo_onCallEnd = documentedOnCallEnd();
    const backend = new FakeBackend(null);
    await mountWidget(backend);
    startCallExample();
    backend.welcome(false);
    expect(logged()).to.deep.equal([['Call started, phone: ', '+14084987855'], ['Callback disabled']]);
  });

  it('isCallbackEnabled opens the callback form while call backs are available (state "call")', async () => {
    const states = [];
    window.jivo_onChangeState = (state) => states.push(state);
    const el = await mountWidget(new FakeBackend(true));
    isCallbackEnabledExample();
    await waitUntil(() => el.store.state.view === 'call', 'the callback form opens');
    expect(states).to.deep.equal(['call']);
    expect(logged()).to.deep.equal([]);
  });

  it('isCallbackEnabled logs "Callback is not available, reason: Callback disabled" while they are not', async () => {
    const el = await mountWidget(new FakeBackend(false));
    isCallbackEnabledExample();
    await waitUntil(() => log.called, 'the example logs');
    expect(logged()).to.deep.equal([['Callback is not available, reason: ', 'Callback disabled']]);
    expect(el.store.state.view).to.equal('label');
  });

  it('the open example logs "Widget open successfully" while call backs are available', async () => {
    const el = await mountWidget(new FakeBackend(true));
    await waitUntil(() => el.store.state.callbackEnabled === true);
    // ---- verbatim: open ----
    let params = { start: 'call' };
    let apiResult = jivo_api.open(params);

    if (apiResult.result === 'fail') {
      console.log('Widget failed to open');
    } else {
      console.log('Widget open successfully');
    }
    // ---- end of verbatim ----
    expect(logged()).to.deep.equal([['Widget open successfully']]);
    expect(el.store.state.view).to.equal('call');
  });
});
