import { fixture, html, waitUntil } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import '../../console/index.js';
import type { JivoAgentConsole } from '../../console/agent-console.js';
import type { ChatView } from '../../console/store.js';
import { signIn, type BackendInfo } from './agent-client.js';

// The agent console on the test page, signed in against the real reference backend, and visitors that speak the
// widget's side of the protocol directly (docs/protocol.md), for tests of what an agent meets in the console.

/** A widget's socket, spoken by hand: hello on open, then whatever the test sends. Keeps every frame it receives. */
export class VisitorSocket {
  readonly frames: Array<Record<string, unknown>> = [];
  #seq = 0;
  private constructor(
    readonly ws: WebSocket,
    readonly widgetId: string,
  ) {
    ws.addEventListener('message', (e) => this.frames.push(JSON.parse(e.data as string) as Record<string, unknown>));
  }

  static async open(
    url: string,
    widgetId: string,
    page = { url: 'https://shop.example/', title: 'Shop' },
  ): Promise<VisitorSocket> {
    const ws = new WebSocket(url);
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = () => reject(new Error('the visitor could not connect'));
    });
    const socket = new VisitorSocket(ws, widgetId);
    // A first visit: the backend issues the visitor's id in its welcome.
    const hello = { type: 'hello', v: 1, widgetId, after: 0, page };
    socket.send({ ...hello, department: null, lang: 'en' });
    await waitUntil(() => socket.frames.some((f) => f.type === 'welcome'), `${widgetId} is welcomed`);
    return socket;
  }

  send(frame: object): void {
    this.ws.send(JSON.stringify(frame));
  }

  say(text: string): void {
    this.send({ type: 'message', id: `${this.widgetId}-m${++this.#seq}`, text });
  }

  typing(typing: boolean): void {
    this.send({ type: 'typing', typing });
  }

  close(): void {
    this.ws.close();
  }
}

/** Signs in as `name` and puts a console on the page, connected (and online when asked). */
export async function mountConsole(
  info: BackendInfo,
  name: string,
  { online = false, role = 'agent' }: { online?: boolean; role?: 'agent' | 'admin' } = {},
): Promise<JivoAgentConsole> {
  await signIn(info.agentUrl, name, role);
  const el = await fixture<JivoAgentConsole>(html`<jivo-agent-console endpoint=${info.agentUrl}></jivo-agent-console>`);
  await waitUntil(() => el.store.state.connection === 'open', 'the console is connected');
  if (online) {
    consoleButton(el, 'Online')!.click();
    await waitUntil(() => el.store.state.online, 'the agent is online');
  }
  await el.updateComplete;
  return el;
}

/** Ends this browser's agent session, so that a console shows its sign-in form. */
export async function signOut(info: BackendInfo): Promise<void> {
  const base = info.agentUrl.replace(/^ws/, 'http').replace(/\/ws\/agent$/, '');
  await fetch(`${base}/api/logout`, { method: 'POST', credentials: 'include' });
}

/** The login and password of the test account named `name` (made on first use). */
export const account = (name: string) =>
  executeServerCommand('backend-agent', { name }) as Promise<{ login: string; password: string }>;

/** The console's button whose text starts with `name`. */
export const consoleButton = (el: JivoAgentConsole, name: string) =>
  [...el.shadowRoot!.querySelectorAll('button')].find((b) =>
    b.textContent!.trim().replace(/\s+/g, ' ').startsWith(name),
  );

/** The console's chat with the visitor of `widgetId`, once the console knows it. */
export async function chatOf(el: JivoAgentConsole, widgetId: string): Promise<ChatView> {
  const find = () => [...el.store.state.chats.values()].find((c) => c.widgetId === widgetId);
  await waitUntil(find, `the console sees ${widgetId}`);
  return find()!;
}

/** The element that has focus inside the console. */
export const focused = (el: JivoAgentConsole) => el.shadowRoot!.activeElement;
