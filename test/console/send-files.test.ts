import { expect, fixtureCleanup, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { JivoAgentConsole } from '../../console/agent-console.js';
import { backend, type BackendInfo } from '../helpers/agent-client.js';
import { chatOf, focused, mountConsole, VisitorSocket } from '../helpers/console-page.js';

// The agent sends a file from the console, against the real reference backend: by the picker, by pasting, by dropping
// it on the conversation. The visitor receives one message with the file; the server's refusals are said and shown.

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const PDF = new TextEncoder().encode('%PDF-1.4\n% the price list\n');

const $ = <T extends Element>(el: JivoAgentConsole, selector: string) => el.shadowRoot!.querySelector<T>(selector);

/** The visitor's `message` frames that carry a file named `name`. */
const filesTo = (visitor: VisitorSocket, name: string) =>
  visitor.frames.filter((f) => {
    const m = f.message as { file?: { name?: string }; from?: string } | undefined;
    return f.type === 'message' && m?.from === 'agent' && m.file?.name === name;
  });

const transfer = (...files: File[]) => {
  const dt = new DataTransfer();
  for (const f of files) dt.items.add(f);
  return dt;
};

describe('<jivo-agent-console> sending files', function () {
  this.timeout(20000);
  let info: BackendInfo;
  let visitor: VisitorSocket | undefined;
  let restore: (() => void) | undefined;

  before(async () => {
    info = await backend.info();
    if (!info.running) info = await backend.start();
  });
  afterEach(() => {
    restore?.();
    restore = undefined;
    visitor?.close();
    visitor = undefined;
    fixtureCleanup();
  });

  /** A console, online, with the chat of a new visitor open. */
  async function openChat(agent: string): Promise<JivoAgentConsole> {
    const widgetId = `console-send-${Math.random().toString(36).slice(2, 10)}`;
    visitor = await VisitorSocket.open(info.visitorUrl, widgetId);
    visitor.say('Can you send me the price list?');
    const el = await mountConsole(info, agent, { online: true });
    const chat = await chatOf(el, widgetId);
    el.store.openChat(chat.id);
    await el.updateComplete;
    await waitUntil(() => $(el, '#attach'), 'the chat is open');
    return el;
  }

  it('sends an image picked with the Attach button: a named progress bar, then the file in the log once', async () => {
    const el = await openChat('Files sender');
    const attach = $<HTMLButtonElement>(el, '#attach')!;
    expect(attach.textContent!.trim()).to.equal('Attach a file');
    expect(attach.getBoundingClientRect().height).to.be.at.least(24);
    // The picker is the browser's: what it would give is set on the input.
    const seen: string[] = [];
    const observer = new MutationObserver(() => {
      const bar = $(el, '.upload progress');
      const label = bar && $(el, `#${bar.getAttribute('aria-labelledby')}`);
      if (label) seen.push(label.textContent!.trim());
    });
    observer.observe(el.shadowRoot!, { childList: true, subtree: true });
    const input = $<HTMLInputElement>(el, '#attach-input')!;
    input.files = transfer(new File([PNG], 'shot.png', { type: 'image/png' })).files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
    await waitUntil(() => filesTo(visitor!, 'shot.png').length === 1, 'the visitor receives the image');
    observer.disconnect();
    expect(seen[0]).to.equal('Uploading shot.png');
    await waitUntil(() => $(el, '.message.agent:not(.pending) img.thumbnail'), 'the image is in the log, stored');
    expect([...el.shadowRoot!.querySelectorAll('img.thumbnail')].map((i) => (i as HTMLImageElement).alt)).to.deep.equal(
      ['shot.png'],
    );
    expect($(el, '.upload')).to.equal(null);
    const frame = filesTo(visitor!, 'shot.png')[0].message as { file: { type: string; size: number } };
    expect(frame.file).to.include({ type: 'image/png', size: PNG.length });
    await new Promise((r) => setTimeout(r, 300));
    expect(filesTo(visitor!, 'shot.png')).to.have.length(1);
    await expect(el).to.be.accessible();
  });

  it('says why the server refused a file, and sends nothing', async () => {
    const el = await openChat('Files refused');
    const input = $<HTMLInputElement>(el, '#attach-input')!;
    const exe = new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0]);
    input.files = transfer(new File([exe], 'setup.exe', { type: 'application/octet-stream' })).files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
    const said = 'setup.exe was not sent: this type of file is not accepted.';
    await waitUntil(() => $(el, '#file-error')?.textContent === said, 'the refusal shows');
    await waitUntil(() => $(el, '.announcer')!.textContent!.includes(said), 'the refusal is announced');
    expect($(el, '#attach')!.getAttribute('aria-describedby')).to.equal('file-error');
    expect(el.store.state.pending).to.deep.equal([]);
    await new Promise((r) => setTimeout(r, 300));
    expect(visitor!.frames.filter((f) => f.type === 'message' && (f.message as { from?: string }).from === 'agent')).to
      .be.empty;
    expect(el.shadowRoot!.querySelectorAll('.message .file')).to.have.length(0);
    await expect(el).to.be.accessible();
  });

  it('sends a file pasted into the reply box, and one dropped on the conversation', async () => {
    const el = await openChat('Files paster');
    const reply = $<HTMLTextAreaElement>(el, '#reply')!;
    reply.focus();
    const paste = new ClipboardEvent('paste', {
      clipboardData: transfer(new File([PNG], 'pasted.png', { type: 'image/png' })),
      bubbles: true,
      composed: true,
      cancelable: true,
    });
    reply.dispatchEvent(paste);
    expect(paste.defaultPrevented).to.equal(true);
    await waitUntil(() => filesTo(visitor!, 'pasted.png').length === 1, 'the pasted image reaches the visitor');

    const log = $<HTMLElement>(el, '.log')!;
    const files = transfer(new File([PDF], 'prices.pdf', { type: 'application/pdf' }));
    const over = new DragEvent('dragover', { dataTransfer: files, bubbles: true, cancelable: true, composed: true });
    log.dispatchEvent(over);
    expect(over.defaultPrevented, 'a file may be dropped here').to.equal(true);
    const drop = new DragEvent('drop', { dataTransfer: files, bubbles: true, cancelable: true, composed: true });
    log.dispatchEvent(drop);
    expect(drop.defaultPrevented).to.equal(true);
    await waitUntil(() => filesTo(visitor!, 'prices.pdf').length === 1, 'the dropped document reaches the visitor');
    await waitUntil(() => $(el, '.message a.file[download]'), 'the document is in the log');
    expect($(el, '.message a.file[download]')!.textContent).to.equal(`prices.pdf (${PDF.length} B)`);
    expect(filesTo(visitor!, 'pasted.png')).to.have.length(1);

    // Pasting text is still typing.
    const text = new ClipboardEvent('paste', { clipboardData: new DataTransfer(), bubbles: true, cancelable: true });
    text.clipboardData!.setData('text/plain', 'hello');
    reply.dispatchEvent(text);
    expect(text.defaultPrevented).to.equal(false);
  });

  it('retries an upload whose answer was lost under the same id, by keyboard: the file is stored and sent once', async () => {
    const el = await openChat('Files retrier');
    // The first upload reaches the server, which stores it, but its answer never reaches the console.
    const uploads: string[] = [];
    const open = XMLHttpRequest.prototype.open;
    const onload = Object.getOwnPropertyDescriptor(XMLHttpRequestEventTarget.prototype, 'onload')!;
    XMLHttpRequest.prototype.open = function (this: XMLHttpRequest, method: string, url: string | URL) {
      if (method === 'POST' && String(url).includes('/files?')) {
        uploads.push(new URL(String(url)).searchParams.get('upload')!);
        if (uploads.length === 1) {
          Object.defineProperty(this, 'onload', {
            configurable: true,
            set: () => onload.set!.call(this, () => this.onerror!(new ProgressEvent('error'))),
          });
        }
      }
      return open.call(this, method, url, true);
    } as typeof open;
    restore = () => (XMLHttpRequest.prototype.open = open);

    const input = $<HTMLInputElement>(el, '#attach-input')!;
    $<HTMLButtonElement>(el, '#attach')!.focus();
    input.files = transfer(new File([PNG], 'again.png', { type: 'image/png' })).files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
    await waitUntil(() => $(el, '.retry-upload'), 'the failure shows Retry');
    expect($(el, '#upload-label')!.textContent).to.equal('again.png could not be uploaded.');
    await waitUntil(
      () => $(el, '.announcer')!.textContent!.includes('again.png could not be uploaded. Retry, or cancel it.'),
      'the failure is announced',
    );
    await expect(el).to.be.accessible();
    for (const b of el.shadowRoot!.querySelectorAll('.upload button'))
      expect(b.getBoundingClientRect().height).to.be.at.least(24);

    $<HTMLButtonElement>(el, '.retry-upload')!.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => filesTo(visitor!, 'again.png').length === 1, 'the visitor receives the file');
    expect(uploads).to.have.length(2);
    expect(uploads[1]).to.equal(uploads[0]);
    await waitUntil(() => focused(el)?.id === 'attach', 'the focus returns to Attach');
    await new Promise((r) => setTimeout(r, 300));
    expect(filesTo(visitor!, 'again.png')).to.have.length(1);
    expect(el.shadowRoot!.querySelectorAll('img.thumbnail')).to.have.length(1);
  });

  it('cancels a failed upload by keyboard, saying so', async () => {
    const el = await openChat('Files canceller');
    const open = XMLHttpRequest.prototype.open;
    XMLHttpRequest.prototype.open = function (this: XMLHttpRequest, method: string, url: string | URL) {
      // Offline: the request never reaches the server.
      return open.call(this, method, String(url).includes('/files?') ? 'http://127.0.0.1:9/files' : url, true);
    } as typeof open;
    restore = () => (XMLHttpRequest.prototype.open = open);
    const input = $<HTMLInputElement>(el, '#attach-input')!;
    input.files = transfer(new File([PNG], 'later.png', { type: 'image/png' })).files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
    await waitUntil(() => $(el, '.cancel-upload') && $(el, '.retry-upload'), 'the failure shows');
    $<HTMLButtonElement>(el, '.cancel-upload')!.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => $(el, '.upload') === null, 'the upload is gone');
    await waitUntil(() => $(el, '.announcer')!.textContent!.includes('Sending later.png was cancelled.'), 'said');
    expect(focused(el)?.id).to.equal('attach');
    expect(el.store.state.pending).to.deep.equal([]);
  });
});
