import { executeServerCommand } from '@web/test-runner-commands';
import { fixture, fixtureCleanup, html, oneEvent, waitUntil } from '@open-wc/testing';
import type { JivoWidget } from '../../src/components/widget/widget.js';
import type { AgentServerFrame, AgentVisitorInfo } from '../../server/agent-protocol.js';
import type { WireMessage } from '../../src/transport/protocol.js';

export interface BackendInfo {
  running: boolean;
  url: string;
  visitorUrl: string;
  agentUrl: string;
}

export const backend = {
  info: () => executeServerCommand('backend-info') as Promise<BackendInfo>,
  stop: () => executeServerCommand('backend-stop') as Promise<BackendInfo>,
  start: () => executeServerCommand('backend-start') as Promise<BackendInfo>,
};

/**
 * Signs this browser in as the agent `name` (the test runner creates the account on first use), as the console's
 * sign-in form does: POST /api/login with credentials, which sets the session cookie for the backend's host. A socket
 * opened afterwards carries that session; one browser holds one session cookie at a time.
 */
export async function signIn(agentUrl: string, name: string, role: 'agent' | 'admin' = 'agent'): Promise<void> {
  const { login, password } = (await executeServerCommand('backend-agent', { name, role })) as {
    login: string;
    password: string;
  };
  const base = agentUrl.replace(/^ws/, 'http').replace(/\/ws\/agent$/, '');
  const res = await fetch(`${base}/api/login`, {
    method: 'POST',
    credentials: 'include',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login, password }),
  });
  if (res.status !== 200) throw new Error(`${name} could not sign in: ${res.status}`);
}

let agentSeq = 0;

/**
 * An agent, as the agent console is one: a real WebSocket to the reference backend speaking the agent protocol. It
 * keeps what it was told, resends unacknowledged messages after a reconnect (as the console does), and offers waits.
 */
export class TestAgent {
  readonly name: string;
  frames: AgentServerFrame[] = [];
  visitors = new Map<string, AgentVisitorInfo>();
  messages = new Map<string, WireMessage[]>();
  /** Messages sent and not yet acknowledged, by our id. */
  outbox = new Map<string, { visitorId: string; text: string }>();
  #socket: WebSocket | null = null;
  #url = '';
  #online = false;

  readonly role: 'agent' | 'admin';

  // Names are unique among accounts, and each test file counts from 1: an admin is "Admin N", so that it never asks
  // for the name of another file's agent.
  constructor(name?: string, role: 'agent' | 'admin' = 'agent') {
    this.name = name ?? `${role === 'admin' ? 'Admin' : 'Agent'} ${++agentSeq}`;
    this.role = role;
  }

  async connect(url: string, online = true): Promise<void> {
    this.#url = url;
    this.#online = online;
    await signIn(url, this.name, this.role);
    const socket = new WebSocket(url);
    this.#socket = socket;
    socket.onmessage = (event) => this.#receive(JSON.parse(event.data as string) as AgentServerFrame);
    await new Promise<void>((resolve, reject) => {
      socket.onopen = () => resolve();
      socket.onerror = () => reject(new Error(`agent could not connect to ${url}`));
    });
    const welcomes = this.frames.filter((f) => f.type === 'welcome').length;
    this.send({ type: 'hello', v: 1, online });
    await waitUntil(() => this.frames.filter((f) => f.type === 'welcome').length > welcomes, 'the agent is welcomed');
    for (const [id, { visitorId, text }] of this.outbox) this.send({ type: 'message', visitorId, id, text });
  }

  /** Reconnects to the same backend (after a restart), restoring the online status and resending the outbox. */
  reconnect(): Promise<void> {
    return this.connect(this.#url, this.#online);
  }

  get connected(): boolean {
    return this.#socket?.readyState === WebSocket.OPEN;
  }

  send(frame: object): boolean {
    if (!this.connected) return false;
    this.#socket!.send(JSON.stringify(frame));
    return true;
  }

  close(): void {
    this.#socket?.close();
    this.#socket = null;
  }

  /** The backend's public id of the visitor of widget `widgetId` (each test uses its own widget id). */
  async visitorOf(widgetId: string): Promise<string> {
    await waitUntil(
      () => [...this.visitors.values()].some((v) => v.widgetId === widgetId),
      `the agent sees ${widgetId}`,
    );
    return [...this.visitors.values()].find((v) => v.widgetId === widgetId)!.id;
  }

  accept(visitorId: string): void {
    this.send({ type: 'accept', visitorId });
  }

  typing(visitorId: string, typing: boolean): void {
    this.send({ type: 'typing', visitorId, typing });
  }

  /** Sends a message now, or when reconnected: it stays in the outbox until acknowledged. */
  say(visitorId: string, text: string): string {
    const id = `agent-msg-${++agentSeq}-${Date.now()}`;
    this.outbox.set(id, { visitorId, text });
    this.send({ type: 'message', visitorId, id, text });
    return id;
  }

  /** Sends a message with quick replies (the outbox does not keep it). */
  offer(visitorId: string, text: string, replies: string[]): string {
    const id = `agent-msg-${++agentSeq}-${Date.now()}`;
    this.send({ type: 'message', visitorId, id, text, replies });
    return id;
  }

  /** An admin's: replaces a site's settings and waits for the backend's answer. */
  async siteSettings(widgetId: string, settings: object): Promise<void> {
    const id = `settings-${++agentSeq}-${Date.now()}`;
    this.send({ type: 'site_settings', id, widgetId, settings });
    await waitUntil(
      () => this.frames.some((f) => (f.type === 'site_settings' || f.type === 'error') && 'id' in f && f.id === id),
      'the backend answers site_settings',
    );
    const answer = this.frames.find((f) => 'id' in f && f.id === id)!;
    if (answer.type === 'error') throw new Error(`site_settings refused: ${answer.message}`);
  }

  conversation(visitorId: string): WireMessage[] {
    return this.messages.get(visitorId) ?? [];
  }

  async waitForText(visitorId: string, text: string): Promise<WireMessage> {
    await waitUntil(() => this.conversation(visitorId).some((m) => m.text === text), `the agent receives "${text}"`, {
      timeout: 4000,
    });
    return this.conversation(visitorId).find((m) => m.text === text)!;
  }

  #receive(frame: AgentServerFrame): void {
    this.frames.push(frame);
    switch (frame.type) {
      case 'welcome':
        this.visitors.clear();
        this.messages.clear();
        for (const { messages, ...info } of frame.visitors) {
          this.visitors.set(info.id, info);
          this.messages.set(info.id, messages);
        }
        break;
      case 'visitor':
        this.visitors.set(frame.visitor.id, frame.visitor);
        break;
      case 'message': {
        const list = this.messages.get(frame.visitorId) ?? [];
        if (!list.some((m) => m.id === frame.message.id)) list.push(frame.message);
        this.messages.set(frame.visitorId, list);
        break;
      }
      case 'ack':
        this.outbox.delete(frame.id);
        break;
      case 'typing': {
        const visitor = this.visitors.get(frame.visitorId);
        if (visitor) this.visitors.set(frame.visitorId, { ...visitor, typing: frame.typing });
        break;
      }
    }
  }
}

/**
 * Registers the mocha hooks an integration suite needs (the backend running before, every agent closed, every widget
 * removed and every key under `jivo-widget:<prefix>` cleared after each test) and returns helpers bound to them.
 */
export function useBackend(prefix: string) {
  let info: BackendInfo;
  let seq = 0;
  const agents: TestAgent[] = [];

  before(async () => {
    info = await backend.info();
    if (!info.running) info = await backend.start();
  });

  afterEach(async () => {
    fixtureCleanup();
    for (const a of agents.splice(0)) a.close();
    for (const key of Object.keys(localStorage))
      if (key.startsWith(`jivo-widget:${prefix}`)) localStorage.removeItem(key);
    info = await backend.start();
  });

  return {
    info: () => info,
    uniqueId: () => `${prefix}${Date.now().toString(36)}-${++seq}`,
    /** Puts a widget connected to the backend on the page and waits for its jivo-load. */
    async mount(id: string, attrs: Record<string, string> = {}): Promise<JivoWidget> {
      const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
      const el = document.createElement('jivo-widget');
      el.setAttribute('widget-id', id);
      el.setAttribute('endpoint', info.visitorUrl);
      for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
      const loaded = oneEvent(el, 'jivo-load');
      wrapper.append(el);
      await loaded;
      return el;
    },
    /** An agent connected to the backend (online unless told), closed after the test. */
    async agent(online = true, role: 'agent' | 'admin' = 'agent'): Promise<TestAgent> {
      const a = new TestAgent(undefined, role);
      agents.push(a);
      await a.connect(info.agentUrl, online);
      return a;
    },
  };
}
