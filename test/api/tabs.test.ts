import { expect, waitUntil } from '@open-wc/testing';
import type { JivoWidget } from '../../src/components/widget/widget.js';

// Several tabs of one site share the browser's storage. Each tab here is a same-origin iframe: its own document and
// its own copy of the widget, as a tab has. No backend: what tabs agree on goes through storage alone.

let seq = 0;
const frames: HTMLIFrameElement[] = [];

async function openTab(id: string): Promise<JivoWidget> {
  const frame = document.createElement('iframe');
  frame.title = `tab ${frames.length + 1}`;
  frame.src = `/test/fixtures/chat-tab.html?id=${encodeURIComponent(id)}&endpoint=`;
  frames.push(frame);
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  document.body.append(frame);
  await loaded;
  const widget = () => frame.contentDocument!.querySelector('jivo-widget') as JivoWidget | null;
  await waitUntil(() => widget()?.store, 'the tab has its widget');
  return widget()!;
}

describe('tabs of one site', function () {
  this.timeout(20000);
  let id: string;

  beforeEach(() => {
    id = `tabs-${Date.now().toString(36)}-${++seq}`;
  });

  afterEach(() => {
    frames.splice(0).forEach((f) => f.remove());
    for (const key of Object.keys(localStorage)) if (key.startsWith(`jivo-widget:${id}:`)) localStorage.removeItem(key);
  });

  it('a message written in one tab while there is no connection is kept by the other too', async () => {
    const tab1 = await openTab(id);
    const tab2 = await openTab(id);
    tab1.store!.sendMessage('written in tab 1');
    await waitUntil(() => tab2.store!.state.messages.some((m) => m.text === 'written in tab 1'), 'tab 2 takes it in');
    tab2.store!.sendMessage('written in tab 2');
    await waitUntil(() => tab1.store!.state.messages.length === 2, 'tab 1 takes that in');
    // Whichever tab stays open has both to deliver, and storage holds both.
    frames[0].remove();
    const stored = JSON.parse(localStorage.getItem(`jivo-widget:${id}:messages`)!) as Array<{ text: string }>;
    expect(stored.map((m) => m.text)).to.deep.equal(['written in tab 1', 'written in tab 2']);
  });

  it('clearHistory (logout) in one tab starts the new visitor in every tab, and no tab writes the old one back', async () => {
    const tab1 = await openTab(id);
    const tab2 = await openTab(id);
    tab1.store!.sendMessage('private');
    tab1.setContactInfo({ name: 'Alice' });
    await waitUntil(() => tab2.store!.state.messages.length === 1);
    tab1.clearHistory();
    // No backend here, so no id: the new visitor has none until a backend's welcome issues one.
    expect(tab1.store!.state.visitorId).to.equal('');
    await waitUntil(() => tab2.store!.state.messages.length === 0, 'tab 2 follows the new visitor');
    expect(tab2.getContactInfo().client_name).to.equal(null);
    // Tab 2 goes on working and writes only the new visitor's state.
    tab2.store!.setDraft('new person typing');
    await waitUntil(() => localStorage.getItem(`jivo-widget:${id}:draft`) === '"new person typing"');
    expect(JSON.parse(localStorage.getItem(`jivo-widget:${id}:messages`) ?? '[]')).to.deep.equal([]);
    expect(localStorage.getItem(`jivo-widget:${id}:visitorId`)).to.equal(null);
    expect(tab1.store!.state.messages, 'and tab 1 is not pulled back').to.deep.equal([]);
  });
});
