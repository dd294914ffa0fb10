// @ts-nocheck -- the examples in this file are the document's JavaScript, copied verbatim (the global `jivo_api`,
// untyped parameters), so the file is JavaScript in a .ts file.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import sinon from 'sinon';
import '../../src/jivo-widget.js';

/*
 * The examples of jivo-widget-api.txt for the window half of the API, run VERBATIM: each snippet between the
 * "verbatim" markers is copied character for character from the document. Snippets that declare `let` variables are
 * wrapped in a function of their own; the callback examples keep their `function jivo_onX() {...}` declarations and
 * are assigned to `window` by the tests. console.log is stubbed, so the tests read which message an example logged.
 */

/** The document's callback examples. */
function documentedCallbacks() {
  // ---- verbatim: onLoadCallback ----
  function jivo_onLoadCallback() {
    console.log('Widget fully loaded');
    jivo_api.showProactiveInvitation('How can I help you?');
  }
  // ---- verbatim: onOpen ----
  function jivo_onOpen() {
    console.log('Widget opened');
  }
  // ---- verbatim: onClose ----
  function jivo_onClose() {
    console.log('Widget closed');
  }
  // ---- verbatim: onChangeState ----
  function jivo_onChangeState(state) {
    if (state == 'chat') {
      // widget is in the chat state
    }
    if (state == 'call' || state == 'chat/call') {
      // callback form is opened
    }
    if (state == 'label' || state == 'chat/min') {
      // widget is minimized
    }
  }
  // ---- end of verbatim ----
  return { jivo_onLoadCallback, jivo_onOpen, jivo_onClose, jivo_onChangeState };
}

const examples = {
  open() {
    // ---- verbatim: open ----
    let params = { start: 'call' };
    let apiResult = jivo_api.open(params);

    if (apiResult.result === 'fail') {
      console.log('Widget failed to open');
    } else {
      console.log('Widget open successfully');
    }
    // ---- end of verbatim ----
  },
  close() {
    // ---- verbatim: close ----
    let apiResult = jivo_api.close();

    if (apiResult.result === 'fail') {
      console.log('Failed to close widget');
    } else {
      console.log('Widget successfully close');
    }
    // ---- end of verbatim ----
  },
  showProactiveInvitation() {
    // ---- verbatim: showProactiveInvitation ----
    jivo_api.showProactiveInvitation('How can I help you?', 3);
    // ---- end of verbatim ----
  },
  setWidgetColor() {
    // ---- verbatim: setWidgetColor ----
    jivo_api.setWidgetColor('#ffffff', '#000000');
    // ---- end of verbatim ----
  },
  chatMode() {
    // ---- verbatim: chatMode ----
    let apiResult = jivo_api.chatMode();

    if (apiResult.result === 'online') {
      console.log('The widget is online');
    } else {
      console.log('Widget offline');
    }
    // ---- end of verbatim ----
  },
  getUnreadMessagesCount() {
    // ---- verbatim: getUnreadMessagesCount ----
    let count = jivo_api.getUnreadMessagesCount();
    console.log('Unread messages count:', count);
    // ---- end of verbatim ----
  },
  clearHistory() {
    // ---- verbatim: clearHistory ----
    jivo_api.clearHistory();
    console.log('All client data deleted');
    // ---- end of verbatim ----
  },
};

const CALLBACKS = [
  'jivo_onLoadCallback',
  'jivo_onOpen',
  'jivo_onClose',
  'jivo_onChangeState',
  'jivo_onResizeCallback',
  'jivo_onWidgetDestroy',
];

let counter = 0;
const usedIds = new Set();
function uniqueId() {
  const id = `doc-example-${Date.now().toString(36)}-${++counter}`;
  usedIds.add(id);
  return id;
}

function storageKeys(prefix) {
  const keys = [];
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i);
    if (key?.startsWith(prefix)) keys.push(key);
  }
  return keys;
}

async function mount(id = uniqueId()) {
  let loaded = false;
  const el = await fixture(html`<jivo-widget widget-id=${id} @jivo-load=${() => (loaded = true)}></jivo-widget>`);
  await waitUntil(() => loaded, 'the widget did not fire jivo-load');
  return el;
}

function agentMessage(el, text) {
  el.store.receiveMessage({ id: `agent-${Math.random()}`, from: 'agent', text, at: Date.now(), agentName: 'Ann' });
}

describe('jivo-widget-api.txt examples, run verbatim', () => {
  /** console.log, stubbed: what the examples logged. */
  let log;
  const logged = () => log.getCalls().map((call) => call.args);
  let documented;

  beforeEach(() => {
    documented = documentedCallbacks();
    log = sinon.stub(console, 'log');
  });

  afterEach(() => {
    sinon.restore();
    for (const name of CALLBACKS) delete window[name];
    for (const id of usedIds) storageKeys(`jivo-widget:${id}:`).forEach((key) => localStorage.removeItem(key));
    usedIds.clear();
  });

  describe('callbacks', () => {
    it('jivo_onLoadCallback logs "Widget fully loaded" and its showProactiveInvitation opens the window with the text', async () => {
      window.jivo_onLoadCallback = documented.jivo_onLoadCallback;
      window.jivo_onOpen = documented.jivo_onOpen;
      const el = await mount();
      await waitUntil(() => log.called, 'jivo_onLoadCallback was not called');
      expect(logged()).to.deep.equal([['Widget fully loaded'], ['Widget opened']]);
      expect(el.store.state.view).to.equal('chat');
      expect(el.store.state.invitation.text).to.equal('How can I help you?');
      await el.updateComplete;
      expect(el.shadowRoot.querySelector('jivo-chat-window')).to.exist;
    });

    it('jivo_onOpen and jivo_onClose log when the visitor opens the window and the page closes it', async () => {
      window.jivo_onOpen = documented.jivo_onOpen;
      window.jivo_onClose = documented.jivo_onClose;
      const el = await mount();
      const launcher = el.shadowRoot.querySelector('jivo-launcher');
      await launcher.updateComplete;
      launcher.shadowRoot.querySelector('button').click();
      expect(logged()).to.deep.equal([['Widget opened']]);
      jivo_api.close();
      expect(logged()).to.deep.equal([['Widget opened'], ['Widget closed']]);
    });

    it('jivo_onChangeState gets the state strings its branches test', async () => {
      const error = sinon.stub(console, 'error');
      window.jivo_onChangeState = sinon.spy(documented.jivo_onChangeState);
      const el = await mount();
      jivo_api.open();
      jivo_api.close();
      jivo_api.open();
      el.store.sendMessage('Hello');
      jivo_api.close();
      const states = window.jivo_onChangeState.getCalls().map((call) => call.args);
      expect(states).to.deep.equal([['chat'], ['label'], ['chat'], ['chat/min']]);
      const handled = ['chat', 'call', 'chat/call', 'label', 'chat/min'];
      for (const [state] of states) expect(handled).to.include(state);
      expect(window.jivo_onChangeState.alwaysReturned(undefined)).to.equal(true);
      expect(error).not.to.have.been.called;
    });
  });

  describe('methods', () => {
    it('open({start: "call"}) logs "Widget failed to open" (callbacks are disabled) and opens nothing', async () => {
      window.jivo_onOpen = documented.jivo_onOpen;
      const el = await mount();
      examples.open();
      expect(logged()).to.deep.equal([['Widget failed to open']]);
      expect(el.store.state.view).to.equal('label');
    });

    it('close() logs "Widget successfully close", after jivo_onClose has run', async () => {
      window.jivo_onClose = documented.jivo_onClose;
      await mount();
      jivo_api.open();
      examples.close();
      expect(logged()).to.deep.equal([['Widget closed'], ['Widget successfully close']]);
    });

    it('close() logs "Failed to close widget" once the widget is destroyed', async () => {
      await mount();
      jivo_destroy();
      examples.close();
      expect(logged()).to.deep.equal([['Failed to close widget']]);
    });

    it('showProactiveInvitation("How can I help you?", 3) opens the window with the text for department 3', async () => {
      window.jivo_onOpen = documented.jivo_onOpen;
      const el = await mount();
      examples.showProactiveInvitation();
      expect(logged()).to.deep.equal([['Widget opened']]);
      expect(el.store.state.view).to.equal('chat');
      expect(el.store.state.invitation).to.include({ text: 'How can I help you?', department: '3' });
      expect(el.store.state.department).to.equal('3');
    });

    // White text on the white end, or black on the black end, would read at 1:1: the white end is darkened just enough
    // for white text to reach 4.5:1 (WCAG 1.4.3), and the page's console says so.
    it("setWidgetColor('#ffffff', '#000000') colours the widget with a gradient to black, readable at both ends", async () => {
      const el = await mount();
      examples.setWidgetColor();
      await el.updateComplete;
      expect(el.getAttribute('color')).to.equal('#ffffff');
      expect(el.getAttribute('color2')).to.equal('#000000');
      const launcher = el.shadowRoot.querySelector('jivo-launcher');
      await launcher.updateComplete;
      const button = launcher.shadowRoot.querySelector('button');
      expect(getComputedStyle(button).backgroundImage).to.equal(
        'linear-gradient(135deg, rgb(118, 118, 118), rgb(0, 0, 0))',
      );
      expect(getComputedStyle(button).color).to.equal('rgb(255, 255, 255)');
    });

    it('chatMode() logs "Widget offline" with no agent online, and "The widget is online" with one', async () => {
      const el = await mount();
      examples.chatMode();
      expect(logged()).to.deep.equal([['Widget offline']]);
      el.store.setChatMode('online');
      examples.chatMode();
      expect(logged()).to.deep.equal([['Widget offline'], ['The widget is online']]);
    });

    it('getUnreadMessagesCount() logs the count as a number', async () => {
      const el = await mount();
      examples.getUnreadMessagesCount();
      agentMessage(el, 'Hello');
      agentMessage(el, 'Are you still there?');
      examples.getUnreadMessagesCount();
      expect(logged()).to.deep.equal([
        ['Unread messages count:', 0],
        ['Unread messages count:', 2],
      ]);
    });

    it('clearHistory() deletes the chat and what the widget stored, then logs "All client data deleted"', async () => {
      const id = uniqueId();
      const el = await mount(id);
      jivo_api.open();
      el.store.sendMessage('My order number is 1234');
      jivo_api.close();
      expect(storageKeys(`jivo-widget:${id}:`)).not.to.be.empty;
      examples.clearHistory();
      expect(logged()).to.deep.equal([['All client data deleted']]);
      // Nothing remains: the next visitor's id comes with the backend's next welcome.
      expect(storageKeys(`jivo-widget:${id}:`)).to.deep.equal([]);
      expect(el.store.state.messages).to.deep.equal([]);
    });
  });
});
