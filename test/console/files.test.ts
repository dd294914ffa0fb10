import { expect, fixtureCleanup, waitUntil } from '@open-wc/testing';
import { backend, type BackendInfo } from '../helpers/agent-client.js';
import { chatOf, mountConsole, VisitorSocket } from '../helpers/console-page.js';

// A visitor's files in the agent console, against the real reference backend: an image as a thumbnail (its name as alt
// text) that the server serves to the signed-in agent, a document as a download link with its name and size.

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const PDF = new TextEncoder().encode('%PDF-1.4\n% a document\n');

describe('<jivo-agent-console> files', function () {
  this.timeout(15000);
  let info: BackendInfo;

  before(async () => {
    info = await backend.info();
    if (!info.running) info = await backend.start();
  });
  afterEach(() => fixtureCleanup());

  it('shows an image as a thumbnail and a document as a named link with its size', async () => {
    const widgetId = `console-files-${Date.now().toString(36)}`;
    const visitor = await VisitorSocket.open(info.visitorUrl, widgetId);
    const base = info.visitorUrl.replace(/^ws/, 'http').replace(/\/ws\/visitor$/, '');
    // The visitor's id is the one the backend issued in its welcome.
    const visitorId = String(visitor.frames.find((f) => f.type === 'welcome')!.visitorId);
    const headers = { 'X-Jivo-Widget': widgetId, 'X-Jivo-Visitor': visitorId };
    for (const [name, bytes, id] of [
      ['shot.png', PNG, 'm-img'],
      ['terms.pdf', PDF, 'm-doc'],
    ] as const) {
      const res = await fetch(`${base}/files?name=${name}&upload=${id}`, { method: 'POST', headers, body: bytes });
      const { file } = (await res.json()) as { file: { id: string } };
      visitor.send({ type: 'message', id, text: '', file: file.id });
    }
    const el = await mountConsole(info, 'Files agent', { online: true });
    const chat = await chatOf(el, widgetId);
    el.store.openChat(chat.id);
    await waitUntil(() => el.shadowRoot!.querySelector('a.file[download]'), 'the files show');
    const img = el.shadowRoot!.querySelector<HTMLImageElement>('img.thumbnail')!;
    expect(img.alt).to.equal('shot.png');
    await waitUntil(() => img.complete && img.naturalWidth >= 0, 'the image request settled');
    const link = el.shadowRoot!.querySelector<HTMLAnchorElement>('a.file[download]')!;
    expect(link.textContent).to.equal(`terms.pdf (${PDF.length} B)`);
    const served = await fetch(link.href, { credentials: 'include' });
    expect(served.status).to.equal(200);
    expect(served.headers.get('content-type')).to.equal('application/pdf');
    await expect(el).to.be.accessible();
    visitor.close();
  });
});
