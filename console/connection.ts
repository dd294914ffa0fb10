/**
 * The console's socket to `/ws/agent`: says hello, feeds every valid frame to the store, and reconnects with
 * exponential backoff (0.5 s doubling to 15 s, with jitter) when the backend goes away. After a reconnect it restores
 * the agent's status and resends messages that were never acknowledged (the backend stores each id once).
 *
 * The browser sends the session cookie with the upgrade (the console signed in first, agent-console.ts); a socket
 * that closes before its welcome may mean the session ended, so `onRefused` is told and decides whether to retry.
 */
import { shownText } from '../src/internal/url.js';
import { randomId } from '../src/model/id.js';
import { AGENT_PROTOCOL_VERSION, parseAgentServerFrame, type AgentFrame } from '../server/agent-protocol.js';
import type { SiteSettings } from '../src/model/site-settings.js';
import type { WireFile } from '../src/transport/protocol.js';
import type { ConsoleStore, PagedList, PendingMessage } from './store.js';

const FIRST_DELAY = 500;
const MAX_DELAY = 15_000;

export class AgentConnection {
  readonly #store: ConsoleStore;
  readonly #url: string;
  #ws: WebSocket | null = null;
  #attempt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running = false;
  #ready = false;

  /** Called when a socket closed before its welcome; resolves true to keep retrying, false to stop. */
  readonly #onRefused: () => Promise<boolean>;

  constructor(store: ConsoleStore, url: string, onRefused: () => Promise<boolean> = async () => true) {
    this.#store = store;
    this.#url = url;
    this.#onRefused = onRefused;
  }

  /** Connects (again) with the browser's session. */
  start(): void {
    this.stop();
    this.#running = true;
    this.#connect();
  }

  stop(): void {
    this.#running = false;
    clearTimeout(this.#timer);
    const ws = this.#ws;
    this.#ws = null;
    this.#ready = false;
    ws?.close(1000, 'Bye');
  }

  /** Sends now if the backend is ready; false when not (the caller's frame is lost unless it is a pending message). */
  #send(frame: AgentFrame): boolean {
    if (!this.#ready || this.#ws?.readyState !== WebSocket.OPEN) return false;
    this.#ws.send(JSON.stringify(frame));
    return true;
  }

  setOnline(online: boolean): void {
    this.#store.setWantOnline(online);
    this.#send({ type: 'status', online });
  }

  /** Moves a call-back request on; not resent after a reconnect (the agent sees the call's status and acts again). */
  callStatus(visitorId: string, id: string, status: 'connected' | 'finished' | 'failed', reason?: string): void {
    this.#send(
      reason === undefined
        ? { type: 'call_status', visitorId, id, status }
        : { type: 'call_status', visitorId, id, status, reason },
    );
  }

  /** Sets (an https address) or removes (null) the agent's photo. False when not connected. */
  setPhoto(photo: string | null): boolean {
    return this.#send({ type: 'profile', photo });
  }

  accept(visitorId: string): void {
    this.#send({ type: 'accept', visitorId });
  }

  /** Ends the chat this agent has (the backend sends its messages out as a `chat_finished` webhook). */
  finish(visitorId: string): void {
    this.#send({ type: 'finish', visitorId });
  }

  typing(visitorId: string, typing: boolean): void {
    this.#send({ type: 'typing', visitorId, typing });
  }

  read(visitorId: string, seq: number): void {
    this.#send({ type: 'read', visitorId, seq });
  }

  /** Asks the visitor for contact details (the widget shows its contacts form). */
  requestContacts(visitorId: string): void {
    this.#send({ type: 'request_contacts', visitorId });
  }

  /**
   * Asks for the chat's messages before the first one the console has (docs/protocol.md, "Pages"). False when there
   * are none, one such request is on its way already, or the backend is not ready.
   */
  loadOlderMessages(visitorId: string): boolean {
    const { chats, loadingMessages } = this.#store.state;
    const chat = chats.get(visitorId);
    if (!chat?.olderMessages || loadingMessages.has(visitorId)) return false;
    const id = randomId();
    const before = chat.messages[0]?.seq ?? chat.lastSeq + 1;
    if (!this.#send({ type: 'older_messages', id, visitorId, before })) return false;
    this.#store.startLoadingMessages(visitorId, id);
    return true;
  }

  /** Asks for the next page of a list, from where the last one ended. False when nothing is left or it is asking. */
  loadMore(list: PagedList): boolean {
    const { cursors, loading } = this.#store.state;
    const cursor = cursors[list];
    if (cursor === null || loading[list] !== undefined) return false;
    const id = randomId();
    const frame: AgentFrame =
      list === 'visitors' || list === 'activeVisitors'
        ? { type: 'older_visitors', id, cursor, active: list === 'activeVisitors' }
        : list === 'offlineMessages'
          ? { type: 'older_offline_messages', id, cursor }
          : { type: 'older_calls', id, cursor, open: list === 'openCalls' };
    if (!this.#send(frame)) return false;
    this.#store.startLoading(list, id);
    return true;
  }

  /**
   * A reply, with quick replies for the visitor to choose from when `replies` has any, or a file the agent uploaded
   * (then `id` is the upload's client id, so that the message is stored once however often it is sent).
   */
  sendMessage(visitorId: string, text: string, replies: string[] = [], file?: WireFile, id = randomId()): void {
    if (this.#store.state.pending.some((p) => p.id === id)) return;
    const pending = {
      id,
      visitorId,
      text,
      error: null,
      ...(replies.length ? { replies } : {}),
      ...(file ? { file } : {}),
    };
    this.#store.addPending(pending);
    this.#send(messageFrame(pending));
  }

  retry(id: string): void {
    const pending = this.#store.state.pending.find((p) => p.id === id);
    if (!pending) return;
    this.#store.retryPending(id);
    this.#send(messageFrame(pending));
  }

  /** An admin's: replaces a site's business hours and pre-chat form. */
  saveSiteSettings(widgetId: string, settings: SiteSettings): void {
    const id = randomId();
    this.#store.savingSettings(id, widgetId);
    if (!this.#send({ type: 'site_settings', id, widgetId, settings }))
      this.#store.receive({ type: 'error', code: 'not_ready', message: 'Not connected: try again in a moment.', id });
  }

  #connect(): void {
    this.#store.setConnection('connecting');
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.#url);
    } catch {
      this.#scheduleRetry();
      return;
    }
    this.#ws = ws;
    ws.addEventListener('open', () => {
      const { wantOnline } = this.#store.state;
      ws.send(JSON.stringify({ type: 'hello', v: AGENT_PROTOCOL_VERSION, online: wantOnline } satisfies AgentFrame));
    });
    ws.addEventListener('message', (event) => {
      if (ws !== this.#ws || typeof event.data !== 'string') return;
      const parsed = parseAgentServerFrame(event.data);
      if (!parsed.ok) {
        console.warn(`agent console: ignored a frame from the backend: ${parsed.message}`);
        return;
      }
      // What visitors and sites wrote is shown as it reads: without bidi controls or zero-width characters (F18).
      this.#store.receive(shown(parsed.frame));
      if (parsed.frame.type === 'welcome') {
        this.#attempt = 0;
        this.#ready = true;
        this.#store.setConnection('open');
        for (const p of this.#store.state.pending) {
          if (p.error === null) this.#send(messageFrame(p));
        }
      }
    });
    ws.addEventListener('close', () => {
      if (ws !== this.#ws) return;
      const welcomed = this.#ready;
      this.#ws = null;
      this.#ready = false;
      if (!this.#running) return;
      if (welcomed) return this.#scheduleRetry();
      void this.#onRefused().then((retry) => {
        if (retry && this.#running && this.#ws === null) this.#scheduleRetry();
      });
    });
  }

  #scheduleRetry(): void {
    const base = Math.min(MAX_DELAY, FIRST_DELAY * 2 ** this.#attempt++);
    const delay = Math.round(base * (0.5 + Math.random() / 2));
    this.#store.setConnection('waiting', Date.now() + delay);
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#connect(), delay);
  }
}

/** A frame with every string in it as shown (`shownText`): the console then displays and announces nothing hidden. */
function shown<T>(value: T): T {
  if (typeof value === 'string') return shownText(value) as T;
  if (Array.isArray(value)) return value.map(shown) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shown(v)])) as T;
  return value;
}

/** The `message` frame of a reply (with its quick replies, if any). */
function messageFrame(p: PendingMessage) {
  const { id, visitorId, text, replies, file } = p;
  return {
    type: 'message',
    visitorId,
    id,
    text,
    ...(replies ? { replies } : {}),
    ...(file ? { file: file.id } : {}),
  } as const;
}
