/**
 * The agent console's state: one immutable snapshot in a BehaviorSubject, changed only by the named actions below
 * (server frames arrive through `receive`). Plain TypeScript and rxjs: no DOM, no socket.
 */
import { BehaviorSubject, distinctUntilChanged, map, type Observable } from 'rxjs';
import type { ChatModeWire, WireMessage } from '../src/transport/protocol.js';
import type {
  AgentCall,
  AgentOfflineMessage,
  AgentPresence,
  AgentServerFrame,
  AgentVisitorInfo,
} from '../server/agent-protocol.js';

export type ConnectionState = 'connecting' | 'open' | 'waiting';
/** Whether the browser has a session: asked at start (`checking`), then known. */
export type AuthState = 'checking' | 'signed-out' | 'signed-in';
export type ConsoleView = 'chats' | 'offline' | 'calls';

/** An agent message on its way: shown at once, stored when the backend acks it, resent after a reconnect. */
export interface PendingMessage {
  id: string;
  visitorId: string;
  text: string;
  /** Why the backend refused it, if it did; a refused message is not resent until the agent retries. */
  error: string | null;
}

export interface ChatView extends AgentVisitorInfo {
  messages: readonly WireMessage[];
}

export interface ConsoleState {
  auth: AuthState;
  /** The signed-in agent's name (from the session, then from the welcome). */
  name: string | null;
  connection: ConnectionState;
  /** When the next connection attempt happens (ms since the epoch) while waiting. */
  retryAt: number | null;
  /** What the backend confirmed for this console. */
  online: boolean;
  /** What the agent asked for: restored on every reconnect. */
  wantOnline: boolean;
  chatMode: ChatModeWire;
  agents: readonly AgentPresence[];
  chats: ReadonlyMap<string, ChatView>;
  pending: readonly PendingMessage[];
  /**
   * The console's own id of each reply it sent, by the backend's id for the stored message: the log keeps one element
   * per reply from "sending…" to sent, so that a screen reader hears the reply once.
   */
  replyIds: ReadonlyMap<string, string>;
  offlineMessages: readonly AgentOfflineMessage[];
  /** Call-back requests, oldest first. */
  calls: readonly AgentCall[];
  selected: string | null;
  view: ConsoleView;
  /** The last error the backend reported that is not tied to a message. */
  notice: string | null;
}

const initial: ConsoleState = {
  auth: 'checking',
  name: null,
  connection: 'waiting',
  retryAt: null,
  online: false,
  wantOnline: false,
  chatMode: 'offline',
  agents: [],
  chats: new Map(),
  pending: [],
  replyIds: new Map(),
  offlineMessages: [],
  calls: [],
  selected: null,
  view: 'chats',
  notice: null,
};

export class ConsoleStore {
  readonly #state = new BehaviorSubject<ConsoleState>(initial);
  readonly state$: Observable<ConsoleState> = this.#state.asObservable();

  get state(): ConsoleState {
    return this.#state.value;
  }

  select<T>(fn: (s: ConsoleState) => T): Observable<T> {
    return this.state$.pipe(map(fn), distinctUntilChanged());
  }

  #set(patch: Partial<ConsoleState>): void {
    this.#state.next({ ...this.#state.value, ...patch });
  }

  #patchChat(id: string, patch: Partial<ChatView>): void {
    const chat = this.state.chats.get(id);
    if (!chat) return;
    const chats = new Map(this.state.chats);
    chats.set(id, { ...chat, ...patch });
    this.#set({ chats });
  }

  // --- actions ---

  /** Signed in as `name`, or signed out (null): signing out forgets the chats this browser was shown. */
  setSignedIn(name: string | null): void {
    this.#state.next(name === null ? { ...initial, auth: 'signed-out' } : { ...this.state, auth: 'signed-in', name });
  }

  setConnection(connection: ConnectionState, retryAt: number | null = null): void {
    this.#set(connection === 'open' ? { connection, retryAt } : { connection, retryAt, online: false });
  }

  setWantOnline(wantOnline: boolean): void {
    this.#set({ wantOnline });
  }

  openChat(id: string | null): void {
    this.#set({ selected: id, view: 'chats' });
  }

  setView(view: ConsoleView): void {
    this.#set({ view });
  }

  dismissNotice(): void {
    this.#set({ notice: null });
  }

  addPending(message: PendingMessage): void {
    this.#set({ pending: [...this.state.pending, message] });
  }

  retryPending(id: string): void {
    this.#set({ pending: this.state.pending.map((p) => (p.id === id ? { ...p, error: null } : p)) });
  }

  discardPending(id: string): void {
    this.#set({ pending: this.state.pending.filter((p) => p.id !== id) });
  }

  /** Applies one frame from the backend. */
  receive(frame: AgentServerFrame): void {
    switch (frame.type) {
      case 'welcome': {
        const chats = new Map<string, ChatView>();
        for (const v of frame.visitors) chats.set(v.id, v);
        const selected = this.state.selected !== null && chats.has(this.state.selected) ? this.state.selected : null;
        this.#set({
          name: frame.name,
          online: frame.online,
          chatMode: frame.chatMode,
          agents: frame.agents,
          chats,
          offlineMessages: frame.offlineMessages,
          calls: frame.calls,
          selected,
          notice: null,
        });
        return;
      }
      case 'visitor': {
        const chats = new Map(this.state.chats);
        chats.set(frame.visitor.id, {
          ...frame.visitor,
          messages: this.state.chats.get(frame.visitor.id)?.messages ?? [],
        });
        this.#set({ chats });
        return;
      }
      case 'message': {
        const chat = this.state.chats.get(frame.visitorId);
        if (!chat || chat.messages.some((m) => m.id === frame.message.id)) return;
        const messages = [...chat.messages, frame.message].sort((a, b) => a.seq - b.seq);
        this.#patchChat(frame.visitorId, { messages, lastSeq: Math.max(chat.lastSeq, frame.message.seq) });
        return;
      }
      case 'typing':
        this.#patchChat(frame.visitorId, { typing: frame.typing });
        return;
      case 'offline_message':
        if (this.state.offlineMessages.some((o) => o.id === frame.offlineMessage.id)) return;
        this.#set({ offlineMessages: [...this.state.offlineMessages, frame.offlineMessage] });
        return;
      case 'call': {
        const { call } = frame;
        const same = (c: AgentCall) => c.visitorId === call.visitorId && c.id === call.id;
        this.#set({
          calls: this.state.calls.some(same)
            ? this.state.calls.map((c) => (same(c) ? call : c))
            : [...this.state.calls, call],
        });
        return;
      }
      case 'agents':
        this.#set({ agents: frame.agents });
        return;
      case 'chat_mode':
        this.#set({ chatMode: frame.chatMode });
        return;
      case 'status':
        this.#set({ online: frame.online });
        return;
      case 'ack': {
        // The reply is stored: it joins the conversation now, in the place of its pending copy (the backend's
        // `message` frame with it follows and changes nothing).
        const pending = this.state.pending.find((p) => p.id === frame.id);
        const chat = this.state.chats.get(frame.visitorId);
        const rest = this.state.pending.filter((p) => p.id !== frame.id);
        if (!pending || !chat || chat.messages.some((m) => m.id === frame.messageId)) {
          this.#set({ pending: rest });
          return;
        }
        const message: WireMessage = {
          id: frame.messageId,
          seq: frame.seq,
          from: 'agent',
          text: pending.text,
          at: frame.at,
          ...(this.state.name === null ? {} : { agentName: this.state.name }),
        };
        const chats = new Map(this.state.chats);
        chats.set(chat.id, {
          ...chat,
          messages: [...chat.messages, message].sort((a, b) => a.seq - b.seq),
          lastSeq: Math.max(chat.lastSeq, frame.seq),
        });
        this.#set({ pending: rest, chats, replyIds: new Map(this.state.replyIds).set(frame.messageId, frame.id) });
        return;
      }
      case 'error': {
        const pending = frame.id === undefined ? undefined : this.state.pending.find((p) => p.id === frame.id);
        if (pending) {
          this.#set({ pending: this.state.pending.map((p) => (p === pending ? { ...p, error: frame.message } : p)) });
        } else {
          this.#set({ notice: frame.message });
        }
        return;
      }
    }
  }

  destroy(): void {
    this.#state.complete();
  }
}
