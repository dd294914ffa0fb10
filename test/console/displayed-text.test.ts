import { aTimeout, expect, fixtureCleanup, waitUntil } from '@open-wc/testing';
import { backend, type BackendInfo } from '../helpers/agent-client.js';
import { chatOf, consoleButton, mountConsole, VisitorSocket } from '../helpers/console-page.js';

// What a visitor writes reaches the agent as text, and as it will read: without the invisible characters that
// reorder or hide it (security review F18: U+202E makes "evil‮gnp.exe" read "evilexe.png").

const RLO = '\u202e';
const ZWSP = '\u200b';
const HIDDEN = /[\u00ad\u180e\u200b\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;

describe('<jivo-agent-console> displayed text', function () {
  this.timeout(20000);
  let info: BackendInfo;
  let visitor: VisitorSocket | undefined;

  before(async () => {
    info = await backend.info();
    if (!info.running) info = await backend.start();
  });

  afterEach(() => {
    fixtureCleanup();
    visitor?.close();
  });

  it('F18: messages, contact names and page titles are shown without bidi controls or zero-width characters', async () => {
    const el = await mountConsole(info, 'Text Tess');
    const widgetId = `text-${Date.now().toString(36)}`;
    visitor = await VisitorSocket.open(info.visitorUrl, widgetId, {
      url: 'https://shop.example/',
      title: `Shop${RLO}gnp.exe`,
    });
    visitor.send({ type: 'contact', name: `Ann${ZWSP}${RLO}nimda`, email: '', phone: '', description: '' });
    visitor.say(`Open evil${RLO}gnp.exe${ZWSP} — مرحبا 👨‍👩‍👧`);
    const chat = await chatOf(el, widgetId);
    consoleButton(el, `Visitor ${chat.number}`)!.click();
    const root = el.shadowRoot!;
    await waitUntil(() => root.querySelector('.log .message .text'), 'the message is shown');
    await aTimeout(50);
    const text = root.querySelector('.log .message .text')!;
    // The joiners of the emoji and the Arabic stay; the override and the zero-width space are gone.
    expect(text.textContent).to.equal('Open evilgnp.exe — مرحبا 👨‍👩‍👧');
    expect(text.getAttribute('dir'), 'each message has its own direction').to.equal('auto');
    await waitUntil(() => root.textContent!.includes('Annnimda'), 'the contact name is shown');
    expect(HIDDEN.test(root.textContent!), 'nothing hidden anywhere in the console').to.equal(false);
    expect(root.textContent).to.include('Shopgnp.exe');
  });
});
