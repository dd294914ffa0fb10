import { aTimeout, expect, html } from '@open-wc/testing';
import type { JivoMessageList } from '../../../src/components/message-list/message-list.js';
import type { WidgetStore } from '../../../src/state/store.js';
import {
  agentMessage,
  createStore,
  mount,
  mountUnmountCycles,
  settled,
  shadow,
  shadowAll,
  text,
  visitorMessage,
} from '../../helpers/store-provider.js';
import { speak } from '../../helpers/languages.js';

const template = () => html`<jivo-message-list></jivo-message-list>`;

async function mountList(store: WidgetStore = createStore()) {
  const mounted = await mount<JivoMessageList>(template(), store);
  await settled(mounted.el);
  return mounted;
}

const log = (el: JivoMessageList) => shadow(el, '[role="log"]');
const items = (el: JivoMessageList) => shadowAll<HTMLLIElement>(el, 'li');
const bubble = (li: Element) => li.querySelector<HTMLElement>('.bubble')!;
const links = (el: JivoMessageList) => shadowAll<HTMLAnchorElement>(el, 'a');

/** Shows `message` as the only one in a fresh list and returns its list item. */
async function renderOne(textOrMessage: string | ReturnType<typeof agentMessage>) {
  const { el, store } = await mountList();
  store.receiveMessage(typeof textOrMessage === 'string' ? agentMessage(textOrMessage) : textOrMessage);
  await el.updateComplete;
  const [li] = items(el);
  return { el, store, li };
}

describe('<jivo-message-list>', () => {
  it('is accessible', async () => {
    const { el } = await mountList();
    await expect(el).to.be.accessible();
  });

  it('is accessible with messages, links, statuses, a failed message and an invitation, in English and Russian', async () => {
    const store = createStore();
    store.showInvitation('Need a hand? We are here.', null);
    const { el } = await mountList(store);
    store.receiveMessage(agentMessage('Our prices: https://example.com/prices and www.example.com'));
    store.sendMessage('pending one');
    const sent = store.sendMessage('sent one');
    store.setMessageStatus(sent.id, 'sent');
    const failed = store.sendMessage('failed <b>one</b>');
    store.setMessageStatus(failed.id, 'failed');
    await settled(el);
    expect(items(el)).to.have.length(4);
    expect(links(el)).to.have.length(2);
    expect(shadowAll(el, 'button.retry')).to.have.length(1);
    await expect(el).to.be.accessible();

    await speak(store, 'ru');
    await settled(el);
    expect(text(shadow(el, '.failed'))).to.equal('Не отправлено');
    await expect(el).to.be.accessible();
  });

  it('is a polite live log, named and reachable by keyboard so it can be scrolled', async () => {
    const { el } = await mountList();
    expect(log(el).getAttribute('aria-live')).to.equal('polite');
    expect(log(el).getAttribute('aria-label')).to.equal('Messages');
    expect(log(el).tabIndex).to.equal(0);
    expect(log(el).querySelector('ol'), 'the messages are a list').to.exist;
  });

  describe('empty state', () => {
    it('asks for a message while offline and for a question while online', async () => {
      const { el, store } = await mountList();
      expect(text(shadow(el, '.empty'))).to.equal('Leave us a message and we will get back to you.');
      store.setChatMode('online');
      await el.updateComplete;
      expect(text(shadow(el, '.empty'))).to.equal('Ask us anything, we will answer right here.');
    });

    it('goes away once there is a message', async () => {
      const { el, store } = await mountList();
      store.sendMessage('Hi');
      await el.updateComplete;
      expect(el.shadowRoot!.querySelector('.empty')).to.be.null;
    });

    it('gives way to an invitation, which it shows inside the log until dismissed', async () => {
      const { el, store } = await mountList();
      store.showInvitation('Can we help?', null);
      await settled(el);
      expect(el.shadowRoot!.querySelector('.empty')).to.be.null;
      const invitation = shadow(el, 'jivo-invitation');
      expect(log(el).contains(invitation)).to.be.true;
      expect(text(shadow(invitation, 'p'))).to.equal('Can we help?');

      store.dismissInvitation();
      await settled(el);
      expect(el.shadowRoot!.querySelector('jivo-invitation')).to.be.null;
      expect(el.shadowRoot!.querySelector('.empty')).to.exist;
    });

    it('is in Russian when the locale is ru', async () => {
      const { el, store } = await mountList();
      await speak(store, 'ru');
      await el.updateComplete;
      expect(text(shadow(el, '.empty'))).to.equal('Оставьте сообщение, и мы свяжемся с вами.');
      expect(log(el).getAttribute('aria-label')).to.equal('Сообщения');
    });
  });

  it('shows messages as list items in order, each saying who wrote it', async () => {
    const { el, store } = await mountList();
    store.receiveMessage(agentMessage('Hello, how can I help?', { agentName: 'Anna' }));
    store.sendMessage('Where is my order?');
    store.receiveMessage(agentMessage('Let me check.', { agentName: undefined }));
    await el.updateComplete;
    const list = items(el);
    expect(list).to.have.length(3);
    expect(list.every((li) => li.parentElement!.localName === 'ol')).to.be.true;
    expect(list.map((li) => text(bubble(li)))).to.deep.equal([
      'Hello, how can I help?',
      'Where is my order?',
      'Let me check.',
    ]);
    expect(list.map((li) => li.className)).to.deep.equal(['agent', 'visitor', 'agent']);
    expect(text(list[0].querySelector('.visually-hidden'))).to.equal('Agent:');
    expect(text(list[1].querySelector('.visually-hidden'))).to.equal('You:');
    expect(text(list[0].querySelector('.author'))).to.equal('Anna');
    expect(list[2].querySelector('.author'), 'no author line without a name').to.be.null;
    expect(list[1].querySelector('.author'), 'no author line on the visitor side').to.be.null;
  });

  it('adds messages as they arrive', async () => {
    const { el, store } = await mountList();
    store.receiveMessage(agentMessage('first'));
    await el.updateComplete;
    expect(items(el)).to.have.length(1);
    store.receiveMessage(agentMessage('second'));
    await el.updateComplete;
    expect(items(el).map((li) => text(bubble(li)))).to.deep.equal(['first', 'second']);
  });

  it('shows when each message was written, with a machine-readable time', async () => {
    const at = Date.UTC(2024, 0, 15, 10, 31);
    const { li } = await renderOne(agentMessage('Hi', { at }));
    const time = li.querySelector('time')!;
    expect(time.getAttribute('datetime')).to.equal(new Date(at).toISOString());
    expect(text(time)).to.equal(new Intl.DateTimeFormat('en', { hour: '2-digit', minute: '2-digit' }).format(at));
  });

  it('keeps rendering the conversation when a message has an impossible time', async () => {
    const { el, store } = await mountList();
    store.receiveMessage(agentMessage('from a bad clock', { at: 1e20 }));
    store.receiveMessage(agentMessage('fine'));
    await el.updateComplete;
    expect(items(el).map((li) => text(bubble(li)))).to.deep.equal(['from a bad clock', 'fine']);
    expect(items(el)[0].querySelector('time')).to.be.null;
    expect(items(el)[1].querySelector('time')).to.exist;
  });

  describe('message text', () => {
    it('renders markup as text and never creates elements from it', async () => {
      const payload = '<img src=x onerror="window.__jivoPwned=1"><script>window.__jivoPwned=2</script><b>bold</b>';
      const { el, li } = await renderOne(payload);
      expect(bubble(li).textContent).to.equal(payload);
      expect(el.shadowRoot!.querySelector('.bubble img, .bubble script, .bubble b')).to.be.null;
      expect(bubble(li).children).to.have.length(0);
      expect((window as { __jivoPwned?: number }).__jivoPwned).to.be.undefined;
    });

    it('keeps line breaks and spaces as written', async () => {
      const { li } = await renderOne('line one\nline two   spaced');
      expect(bubble(li).textContent).to.equal('line one\nline two   spaced');
      expect(getComputedStyle(bubble(li)).whiteSpace).to.equal('pre-wrap');
    });

    it('renders an agent name with markup as text', async () => {
      const { li } = await renderOne(agentMessage('hi', { agentName: '<i>Eve</i>' }));
      expect(text(li.querySelector('.author'))).to.equal('<i>Eve</i>');
      expect(li.querySelector('i')).to.be.null;
    });
  });

  describe('links', () => {
    it('turns http and https addresses into links that open safely in a new tab', async () => {
      const { el, li } = await renderOne('Docs: https://example.com/docs?a=1&b=2 or http://example.org.');
      const found = links(el);
      expect(found.map((a) => a.href)).to.deep.equal(['https://example.com/docs?a=1&b=2', 'http://example.org/']);
      expect(found.map((a) => a.textContent)).to.deep.equal(['https://example.com/docs?a=1&b=2', 'http://example.org']);
      for (const a of found) {
        expect(a.target).to.equal('_blank');
        const rel = a.rel.split(/\s+/);
        expect(rel).to.include('noopener');
        expect(rel).to.include('noreferrer');
      }
      expect(bubble(li).textContent, 'the text around the links is kept').to.equal(
        'Docs: https://example.com/docs?a=1&b=2 or http://example.org.',
      );
    });

    it('makes www. addresses https links', async () => {
      const { el } = await renderOne('Visit www.example.com, thanks');
      const [a] = links(el);
      expect(a.getAttribute('href')).to.equal('https://www.example.com/');
      expect(a.textContent).to.equal('www.example.com');
    });

    for (const unsafe of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(document.cookie)',
      'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
      'vbscript:msgbox(1)',
      'file:///etc/passwd',
      'ftp://example.com/file',
      '<a href="javascript:alert(1)">click</a>',
    ]) {
      it(`does not link ${unsafe.slice(0, 24)}`, async () => {
        const { el, li } = await renderOne(`try ${unsafe} now`);
        expect(links(el)).to.have.length(0);
        expect(bubble(li).textContent).to.equal(`try ${unsafe} now`);
      });
    }

    it('links only the https address inside a javascript: text, to where it says', async () => {
      const { el } = await renderOne("javascript:open('https://example.com/x')");
      const found = links(el);
      expect(found.every((a) => a.protocol === 'https:')).to.be.true;
      expect(found.map((a) => a.href)).to.deep.equal(['https://example.com/x']);
    });

    it('links addresses in visitor messages too', async () => {
      const { el, store } = await mountList();
      store.sendMessage('my shop is https://shop.example');
      await el.updateComplete;
      expect(links(el).map((a) => a.href)).to.deep.equal(['https://shop.example/']);
    });
  });

  describe('delivery status', () => {
    it('says Sending, then Sent, for the visitor’s messages and nothing for the agent’s', async () => {
      const { el, store } = await mountList();
      const message = store.sendMessage('Hello');
      store.receiveMessage(agentMessage('Hi'));
      await el.updateComplete;
      const [mine, theirs] = items(el);
      expect(text(mine.querySelector('.meta'))).to.contain('Sending');
      expect(text(theirs.querySelector('.meta'))).not.to.match(/Sending|Sent|Not sent/);

      store.setMessageStatus(message.id, 'sent');
      await el.updateComplete;
      expect(text(items(el)[0].querySelector('.meta'))).to.contain('Sent');
      expect(items(el)[0].querySelector('button')).to.be.null;
    });

    it('marks a failed message as Not sent with a retry button that puts it back in the outbox', async () => {
      const { el, store } = await mountList();
      store.sendMessage('first');
      const failed = store.sendMessage('second');
      store.setMessageStatus(failed.id, 'failed');
      await el.updateComplete;
      const li = items(el)[1];
      expect(text(li.querySelector('.failed'))).to.equal('Not sent');
      const retry = li.querySelector<HTMLButtonElement>('button')!;
      expect(retry.type).to.equal('button');
      expect(text(retry)).to.equal('Send again');
      expect(items(el)[0].querySelector('button'), 'only the failed message has a retry button').to.be.null;

      retry.click();
      expect(store.state.messages.find((m) => m.id === failed.id)!.status).to.equal('pending');
      expect(store.state.messages).to.have.length(2, 'retrying resends the same message rather than adding one');
      await el.updateComplete;
      expect(items(el)[1].querySelector('button')).to.be.null;
      expect(text(items(el)[1].querySelector('.meta'))).to.contain('Sending');
    });

    it('keeps keyboard focus in the conversation when the retry button goes away', async () => {
      const { el, store } = await mountList();
      const failed = store.sendMessage('lost');
      store.setMessageStatus(failed.id, 'failed');
      await el.updateComplete;
      const retry = items(el)[0].querySelector<HTMLButtonElement>('button')!;
      retry.focus();
      retry.click();
      await el.updateComplete;
      await el.updateComplete;
      expect(el.shadowRoot!.activeElement, 'focus is on the log, not lost to the page').to.equal(
        shadow(el, '[role="log"]'),
      );
    });

    it('is in Russian when the locale is ru', async () => {
      const { el, store } = await mountList();
      await speak(store, 'ru');
      const failed = store.sendMessage('привет');
      store.setMessageStatus(failed.id, 'failed');
      store.sendMessage('ещё');
      await el.updateComplete;
      expect(text(items(el)[0].querySelector('.failed'))).to.equal('Не отправлено');
      expect(text(items(el)[0].querySelector('button'))).to.equal('Отправить ещё раз');
      expect(text(items(el)[0].querySelector('.visually-hidden'))).to.equal('Вы:');
      expect(text(items(el)[1].querySelector('.meta'))).to.contain('Отправляется');
    });
  });

  describe('scrolling', () => {
    async function mountTall() {
      const store = createStore();
      for (let i = 0; i < 30; i++) store.receiveMessage(agentMessage(`message ${i}`));
      const mounted = await mount<JivoMessageList>(
        html`<jivo-message-list style="height: 200px"></jivo-message-list>`,
        store,
      );
      await settled(mounted.el);
      return mounted;
    }
    const atBottom = (el: JivoMessageList) => {
      const l = log(el);
      return l.scrollHeight - l.scrollTop - l.clientHeight < 2;
    };

    it('starts at the newest message and follows new ones while at the bottom', async () => {
      const { el, store } = await mountTall();
      expect(log(el).scrollHeight).to.be.greaterThan(log(el).clientHeight);
      expect(atBottom(el)).to.be.true;
      store.receiveMessage(agentMessage('newest'));
      await el.updateComplete;
      expect(atBottom(el)).to.be.true;
    });

    it('does not pull a visitor who scrolled up back down for an agent message, but does for their own', async () => {
      const { el, store } = await mountTall();
      log(el).scrollTop = 0;
      store.receiveMessage(agentMessage('while reading history'));
      await el.updateComplete;
      expect(log(el).scrollTop).to.equal(0);

      store.sendMessage('my reply');
      await el.updateComplete;
      expect(atBottom(el)).to.be.true;
    });
  });

  it('leaves nothing subscribed after being mounted and removed many times', async () => {
    const store = createStore();
    store.showInvitation('Hello', null);
    store.receiveMessage(agentMessage('one'));
    store.receiveMessage(visitorMessage('two'));
    const result = await mountUnmountCycles(template, store);
    expect(result.whileMounted[0]).to.be.greaterThan(2);
    expect(
      result.whileMounted.every((n) => n === result.whileMounted[0]),
      `live while mounted: ${result.whileMounted}`,
    ).to.be.true;
    expect(result.afterReattach).to.equal(result.once);
    expect(result.afterRemoval).to.equal(0);
    expect(result.subscribed).to.equal(result.unsubscribed);
  });

  describe('a long history', () => {
    /** A store restored with `count` messages, alternating agent and visitor, numbered from 1. */
    function longHistory(count: number) {
      const store = createStore();
      const messages = Array.from({ length: count }, (_, i) =>
        i % 2 ? visitorMessage(`Message ${i + 1}`, { seq: i + 1 }) : agentMessage(`Message ${i + 1}`, { seq: i + 1 }),
      );
      store.restore({ messages, readSeq: count });
      return store;
    }
    const earlier = (el: JivoMessageList) => el.shadowRoot!.querySelector<HTMLButtonElement>('button.earlier');
    /** Mounted at a window's height, so that the log scrolls. */
    async function mountTall(store: WidgetStore) {
      const mounted = await mount<JivoMessageList>(
        html`<jivo-message-list style="height: 320px"></jivo-message-list>`,
        store,
      );
      await settled(mounted.el);
      return mounted;
    }

    it('opens on the newest 50, scrolled to the bottom, with a button for the earlier ones', async () => {
      const { el } = await mountTall(longHistory(120));
      expect(items(el)).to.have.length(50);
      expect(text(bubble(items(el)[0]))).to.equal('Message 71');
      expect(text(bubble(items(el).at(-1)!))).to.equal('Message 120');
      expect(earlier(el)!.textContent!.trim()).to.equal('Show earlier messages (70)');
      const box = log(el);
      expect(box.scrollHeight).to.be.above(box.clientHeight * 2);
      expect(box.scrollHeight - box.scrollTop - box.clientHeight).to.be.below(2);
      await expect(el).to.be.accessible();
    });

    it('keeps the newest message whole when its box shrinks as the window lays out, unless the visitor scrolled up', async () => {
      const { el } = await mountTall(longHistory(60));
      const box = log(el);
      const fromBottom = () => Math.round(box.scrollHeight - box.scrollTop - box.clientHeight);
      expect(fromBottom()).to.equal(0);
      // The window's other parts (composer, forms) take room after the log first rendered.
      el.style.height = '259px';
      await aTimeout(100);
      expect(fromBottom(), 'still at the newest message').to.equal(0);
      box.scrollTop = 0;
      await aTimeout(100);
      el.style.height = '320px';
      await aTimeout(100);
      expect(box.scrollTop, 'where the visitor scrolled to').to.equal(0);
    });

    it('showing earlier messages adds only those to the live log: the ones on screen are not announced again', async () => {
      const { el } = await mountTall(longHistory(59));
      const list = log(el).querySelector('ol')!;
      const shown = items(el);
      const added: string[] = [];
      let removed = 0;
      const textChanges: string[] = [];
      new MutationObserver((records) => {
        for (const r of records) {
          for (const node of r.addedNodes) if (node instanceof HTMLLIElement) added.push(text(bubble(node)));
          removed += [...r.removedNodes].filter((node) => node instanceof HTMLLIElement).length;
          if (r.type === 'characterData') textChanges.push(r.target.textContent ?? '');
        }
      }).observe(list, { childList: true, subtree: true, characterData: true });
      earlier(el)!.click();
      await settled(el);
      expect(added).to.deep.equal(Array.from({ length: 9 }, (_, i) => `Message ${i + 1}`));
      expect(removed, 'no message left the log').to.equal(0);
      expect(textChanges, 'no message on screen changed its text').to.deep.equal([]);
      const same = items(el)
        .slice(9)
        .every((li, i) => li === shown[i]);
      expect(same, 'the messages on screen are the same elements').to.equal(true);
    });

    it('shows earlier pages by keyboard, keeping the visitor where they were, until none are left', async () => {
      const { el } = await mountTall(longHistory(120));
      const box = log(el);
      const button = earlier(el)!;
      button.focus();
      const fromBottom = box.scrollHeight - box.scrollTop;
      button.click();
      await settled(el);
      expect(items(el)).to.have.length(100);
      expect(text(bubble(items(el)[0]))).to.equal('Message 21');
      expect(box.scrollHeight - box.scrollTop).to.be.closeTo(fromBottom, 2);
      expect(el.shadowRoot!.activeElement).to.equal(earlier(el));
      expect(earlier(el)!.textContent!.trim()).to.equal('Show earlier messages (20)');

      earlier(el)!.click();
      await settled(el);
      expect(items(el)).to.have.length(120);
      expect(earlier(el)).to.equal(null);
      expect(el.shadowRoot!.activeElement === log(el), 'focus stays in the conversation').to.equal(true);
    });

    it('keeps showing new messages as they arrive, and starts afresh when the history is cleared', async () => {
      const { el, store } = await mountList(longHistory(60));
      store.receiveMessage(agentMessage('Newest'));
      await settled(el);
      expect(items(el)).to.have.length(51);
      expect(text(bubble(items(el).at(-1)!))).to.equal('Newest');
      store.clearHistory();
      await settled(el);
      expect(items(el)).to.have.length(0);
      expect(earlier(el)).to.equal(null);
      store.receiveMessage(agentMessage('After clearing'));
      await settled(el);
      expect(items(el).map((li) => text(bubble(li)))).to.deep.equal(['After clearing']);
    });
  });
});
