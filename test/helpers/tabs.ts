import { waitUntil } from '@open-wc/testing';
import type { JivoWidget } from '../../src/components/widget/widget.js';

// Other "tabs" of the site for a test: same-origin iframes, each a document of its own, sharing the test page's
// localStorage as tabs of one site do. Each is removed by closeTabs() (call it after each test).

const frames: HTMLIFrameElement[] = [];

export interface SiteTab {
  frame: HTMLIFrameElement;
  widget: JivoWidget;
  /** What test/fixtures/chat-tab.html records: 'message-received' for each jivo_onMessageReceived. */
  win: Window & { calls: string[] };
}

function addFrame(setup: (frame: HTMLIFrameElement) => void): Promise<HTMLIFrameElement> {
  const frame = document.createElement('iframe');
  frame.title = `tab ${frames.length + 1}`;
  setup(frame);
  frames.push(frame);
  const loaded = new Promise<HTMLIFrameElement>((resolve) =>
    frame.addEventListener('load', () => resolve(frame), { once: true }),
  );
  document.body.append(frame);
  return loaded;
}

/** Opens a page of the site with the widget (widget id `id`, backend `endpoint`) and waits until it is connected. */
export async function openSiteTab(id: string, endpoint: string): Promise<SiteTab> {
  const frame = await addFrame(
    (f) =>
      (f.src = `/test/fixtures/chat-tab.html?id=${encodeURIComponent(id)}&endpoint=${encodeURIComponent(endpoint)}`),
  );
  const win = frame.contentWindow as SiteTab['win'];
  const widget = () => win.document.querySelector('jivo-widget') as JivoWidget | null;
  await waitUntil(() => widget()?.store?.state.connection === 'open', 'the tab connects', { timeout: 8000 });
  return { frame, widget: widget()!, win };
}

/** Opens a page of the site without the widget, whose own script is `script`, and waits until it has run. */
export async function otherPageRuns(script: string): Promise<void> {
  await addFrame((f) => (f.srcdoc = `<!doctype html><title>another page</title><script>${script}</script>`));
}

/** Removes every tab and page opened since the last call. */
export function closeTabs(): void {
  for (const frame of frames.splice(0)) frame.remove();
}
