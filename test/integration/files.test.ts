import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/jivo-widget.js';
import { blobs } from '../../src/state/attach.js';
import type { JivoWidget } from '../../src/components/widget/widget.js';
import { backend, useBackend } from '../helpers/agent-client.js';

// Files both ways through the real server: the visitor's picker, paste and drop; the agent's upload; a file written
// while the server is down and the page reloaded, delivered once; refused files that store nothing; nobody else's URL.

const b = useBackend('files-');
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4, 5, 6, 7, 8]);
const PDF = new TextEncoder().encode('%PDF-1.4\n% test document\n');

const connected = (el: JivoWidget) =>
  waitUntil(() => el.store!.state.connection === 'open', 'the widget is connected', { timeout: 8000 });
const win = (el: JivoWidget) => el.shadowRoot!.querySelector('jivo-chat-window')?.shadowRoot as ShadowRoot;
const composer = (el: JivoWidget) => win(el)?.querySelector('jivo-composer')?.shadowRoot as ShadowRoot;
const list = (el: JivoWidget) => win(el)?.querySelector('jivo-message-list')?.shadowRoot as ShadowRoot;
const attachments = (el: JivoWidget) =>
  [...list(el).querySelectorAll('jivo-attachment')].map((a) => a.shadowRoot!) as ShadowRoot[];
const httpBase = () =>
  b
    .info()
    .visitorUrl.replace(/^ws/, 'http')
    .replace(/\/ws\/visitor$/, '');

/** Picks files with the composer's attach button's input, as the browser's file dialog would. */
function pick(el: JivoWidget, files: File[]): void {
  const input = composer(el).querySelector<HTMLInputElement>('input[type=file]')!;
  const dt = new DataTransfer();
  for (const f of files) dt.items.add(f);
  input.files = dt.files;
  input.dispatchEvent(new Event('change'));
}

async function ready(id = b.uniqueId()) {
  const el = await b.mount(id);
  await connected(el);
  el.open();
  await waitUntil(() => composer(el)?.querySelector('.attach'), 'the attach button shows');
  return el;
}

describe('files through the reference backend', function () {
  this.timeout(30000);

  it('a file both ways: the visitor picks an image, the agent sends a document; thumbnail and download link', async () => {
    const anna = await b.agent();
    const el = await ready();
    pick(el, [new File([PNG], 'photo.png', { type: 'image/png' })]);
    const visitorId = await anna.visitorOf(el.widgetId!);
    await waitUntil(() => anna.conversation(visitorId).some((m) => m.file?.name === 'photo.png'), 'the agent gets it');
    expect(el.store!.state.messages.filter((m) => m.file)).to.have.length(1);
    await waitUntil(() => attachments(el)[0]?.querySelector('img'), 'the thumbnail shows');
    const img = attachments(el)[0].querySelector('img')!;
    expect(img.alt).to.equal('photo.png');
    expect(img.src).to.match(/^blob:/);
    expect(img.closest('a')!.target).to.equal('_blank');

    // The agent's way: upload with the session cookie for this visitor, then a message frame naming the file.
    const res = await fetch(
      `${httpBase()}/files?visitor=${visitorId}&upload=c-doc-1&name=${encodeURIComponent('<img src=x onerror=alert(1)>.pdf')}`,
      {
        method: 'POST',
        credentials: 'include',
        body: PDF,
      },
    );
    expect(res.status).to.equal(201);
    const { file } = (await res.json()) as { file: { id: string } };
    anna.send({ type: 'message', visitorId, id: 'c-doc-1', text: '', file: file.id });
    await waitUntil(() => attachments(el).length === 2 && attachments(el)[1].querySelector('.download'), 'it shows');
    const link = attachments(el)[1].querySelector<HTMLButtonElement>('.download')!;
    // A name is text: the markup in it is shown, not made.
    expect(link.querySelector('.name')!.textContent).to.equal('<img src=x onerror=alert(1)>.pdf');
    expect(link.querySelector('img')).to.equal(null);
    expect(link.textContent!.replace(/\s+/g, ' ').trim()).to.equal(
      `Download <img src=x onerror=alert(1)>.pdf, ${PDF.length} bytes`,
    );
    await expect(win(el).querySelector('jivo-message-list')).to.be.accessible();
    await expect(win(el).querySelector('jivo-composer')).to.be.accessible();
  });

  it('a file attached while the server is down survives a reload and is delivered once after the restart', async () => {
    const anna = await b.agent();
    const id = b.uniqueId();
    let el = await ready(id);
    el.store!.sendMessage('hello first');
    const visitorId = await anna.visitorOf(id);
    await anna.waitForText(visitorId, 'hello first');
    await backend.stop();
    await waitUntil(() => el.store!.state.connection !== 'open', 'the widget notices');
    pick(el, [new File([PDF], 'offline.pdf', { type: 'application/pdf' })]);
    expect(el.store!.state.messages.at(-1)!.status).to.equal('pending');
    // Time for the bytes to reach IndexedDB, then the page goes away (a reload): only the browser's storage remains.
    await new Promise((r) => setTimeout(r, 300));
    el.remove();
    el = await b.mount(id);
    el.open();
    expect(el.store!.state.messages.at(-1)!.file!.name).to.equal('offline.pdf');
    expect(blobs(el.store!).size, 'the bytes are not in memory').to.equal(0);
    await backend.start();
    window.dispatchEvent(new Event('online'));
    await anna.reconnect();
    await waitUntil(() => el.store!.state.messages.at(-1)!.status === 'sent', 'delivered', { timeout: 10000 });
    await new Promise((r) => setTimeout(r, 500));
    expect(anna.conversation(visitorId).filter((m) => m.file?.name === 'offline.pdf')).to.have.length(1);
  });

  it('a refused type or an over-size file says why, can be removed, and the agent gets nothing', async () => {
    const anna = await b.agent();
    const el = await ready();
    pick(el, [
      new File([new Uint8Array([0x4d, 0x5a, 1, 2])], 'setup.exe'),
      new File([new Uint8Array(10 * 1024 * 1024 + 1)], 'huge.pdf', { type: 'application/pdf' }),
      // Passes the name check here; the server reads its first bytes and refuses it.
      new File([PDF], 'fake.png', { type: 'image/png' }),
    ]);
    await waitUntil(() => el.store!.state.messages.filter((m) => m.status === 'failed').length === 3, 'all refused', {
      timeout: 8000,
    });
    await waitUntil(() => attachments(el).length === 3 && attachments(el)[2].querySelector('.error'));
    const errors = attachments(el).map((a) => a.querySelector('.error')!.textContent);
    expect(errors).to.deep.equal([
      'Files of this type are not accepted.',
      'The file is larger than 10 MB.',
      'Files of this type are not accepted.',
    ]);
    const visitorId = await anna.visitorOf(el.widgetId!);
    expect(anna.conversation(visitorId)).to.have.length(0);
    await expect(win(el).querySelector('jivo-message-list')).to.be.accessible();
    // Keyboard alone: focus the first Remove button and press Enter.
    const remove = attachments(el)[0].querySelector<HTMLButtonElement>('.action')!;
    expect(remove.getAttribute('aria-label')).to.equal('Remove setup.exe');
    remove.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => attachments(el).length === 2, 'removed');
  });

  it("someone else's file URL is refused: another visitor, and no credentials", async () => {
    await b.agent();
    const el = await ready();
    pick(el, [new File([PDF], 'mine.pdf', { type: 'application/pdf' })]);
    await waitUntil(() => el.store!.state.messages.at(-1)?.status === 'sent', 'sent');
    const fileId = el.store!.state.messages.at(-1)!.file!.id!;
    const own = await fetch(`${httpBase()}/files/${fileId}`, {
      headers: { 'X-Jivo-Widget': el.widgetId!, 'X-Jivo-Visitor': el.store!.state.visitorId },
    });
    expect(own.status).to.equal(200);
    expect(own.headers.get('content-disposition')).to.match(/^attachment/);
    // Another visitor of the same site, as its widget says hello.
    const socket = new WebSocket(b.info().visitorUrl);
    const otherId = `other-${Date.now()}`;
    await new Promise((r) => (socket.onopen = r));
    const welcomed = new Promise((r) => (socket.onmessage = r));
    socket.send(
      JSON.stringify({
        type: 'hello',
        v: 1,
        widgetId: el.widgetId,
        visitorId: otherId,
        after: 0,
        page: { url: location.href, title: 'x' },
        department: null,
        lang: 'en',
      }),
    );
    await welcomed;
    socket.close();
    const stranger = await fetch(`${httpBase()}/files/${fileId}`, {
      headers: { 'X-Jivo-Widget': el.widgetId!, 'X-Jivo-Visitor': otherId },
    });
    // With server-issued visitor ids the made-up id is not this visitor's: refused either way, never served.
    expect(stranger.status).to.be.oneOf([401, 404]);
    expect((await fetch(`${httpBase()}/files/${fileId}`)).status).to.equal(401);
  });

  it('keyboard: the attach button is reached with Tab, named, and a pending file can be cancelled with Enter', async () => {
    await b.agent();
    const el = await ready();
    await backend.stop();
    await waitUntil(() => el.store!.state.connection !== 'open');
    const input = composer(el).querySelector('textarea')!;
    input.focus();
    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ up: 'Shift' });
    const attach = composer(el).activeElement as HTMLElement;
    expect(attach?.className).to.equal('attach');
    expect(attach.getAttribute('aria-label')).to.equal('Attach a file');
    pick(el, [new File([PDF], 'later.pdf', { type: 'application/pdf' })]);
    await waitUntil(() => attachments(el)[0]?.querySelector('progress'));
    const cancel = attachments(el)[0].querySelector<HTMLButtonElement>('.action')!;
    expect(cancel.getAttribute('aria-label')).to.equal('Cancel sending later.pdf');
    expect(attachments(el)[0].querySelector('progress')!.getAttribute('aria-label')).to.equal('Uploading later.pdf');
    cancel.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => el.store!.state.messages.length === 0, 'cancelled');
    await backend.start();
  });
});
