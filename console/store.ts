/**
 * The agent console's state: one immutable snapshot in a BehaviorSubject, changed only by the named actions below
 * (server frames arrive through `receive`). Plain TypeScript and rxjs: no DOM, no socket.
 */
import { BehaviorSubject, distinctUntilChanged, map, type Observable } from 'rxjs';
import type { SiteSettings } from '../src/model/site-settings.js';
import type { ChatModeWire, WireFile, WireMessage } from '../src/transport/protocol.js';
import {
  NO_CURSORS,
  type AgentCall,
  type AgentOfflineMessage,
  type AgentPresence,
  type AgentServerFrame,
  type AgentVisitor,
  type AgentVisitorInfo,
  type WelcomeCursors,
} from '../server/agent-protocol.js';

export type ConnectionState = 'connecting' | 'open' | 'waiting';
/** Whether the browser has a session: asked at start (`checking`), then known. */
export type AuthState = 'checking' | 'signed-out' | 'signed-in';
export type ConsoleView = 'chats' | 'offline' | 'calls' | 'sites';

/** An agent message on its way: shown at once, stored when the backend acks it, resent after a reconnect. */
export interface PendingMessage {
  id: string;
  visitorId: string;
  text: string;
  /** Quick replies offered with it. */
  replies?: string[];
  /** The file it carries, uploaded already (the frame names it by id). */
  file?: WireFile;
  /** Why the backend refused it, if it did; a refused message is not resent until the agent retries. */
  error: string | null;
}

export interface ChatView extends AgentVisitorInfo {
  /** The messages the console has: a run without gaps, oldest first, up to the newest. */
  messages: readonly WireMessage[];
  /** The backend has messages before the first of `messages` (`older_messages` fetches them). */
  olderMessages: boolean;
}

/** The lists the backend sends a page at a time (docs/protocol.md, "Pages"), each with its cursor. */
export type PagedList = keyof WelcomeCursors;

/** What the last page brought: for the status region, and to put the focus on the first new item. */
export interface PageLoaded {
  list: PagedList | 'messages';
  /** The chat, for earlier messages. */
  visitorId: string | null;
  /** The ids of what came (visitor ids, offline message ids, `visitorId.callId` for calls; none for messages). */
  ids: readonly string[];
  count: number;
  /** More remain on the backend. */
  more: boolean;
}

export interface ConsoleState {
  auth: AuthState;
  /** The signed-in agent's name (from the session, then from the welcome). */
  name: string | null;
  /** The signed-in agent's photo (an https URL), or null. */
  photo: string | null;
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
  /** Where each paged list goes on: the welcome's cursors, then each reply's; null when the console has all of it. */
  cursors: WelcomeCursors;
  /** The `older_*` request in flight per list (its id). */
  loading: Readonly<Partial<Record<PagedList, string>>>;
  /** The `older_messages` request in flight per chat (its id). */
  loadingMessages: ReadonlyMap<string, string>;
  /** What the last reply brought. */
  pageLoaded: PageLoaded | null;
  selected: string | null;
  view: ConsoleView;
  /** The last error the backend reported that is not tied to a message. */
  notice: string | null;
  /** Whether the signed-in account is an admin (may change sites' settings). */
  admin: boolean;
  /** Each site's business hours and pre-chat form, by widget id (what the backend said). */
  sites: ReadonlyMap<string, SiteSettings>;
  /** This console's change of a site's settings: on its way, saved, or refused (with why). */
  settingsSave: { id: string; widgetId: string; state: 'saving' | 'saved' | 'refused'; error: string } | null;
}

const initial: ConsoleState = {
  auth: 'checking',
  name: null,
  photo: null,
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
  cursors: NO_CURSORS,
  loading: {},
  loadingMessages: new Map(),
  pageLoaded: null,
  selected: null,
  view: 'chats',
  notice: null,
  admin: false,
  sites: new Map(),
  settingsSave: null,
};

const bySeq = (a: WireMessage, b: WireMessage) => a.seq - b.seq;
const byTime = (a: { at: number; id: string }, b: { at: number; id: string }) =>
  a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const callKey = (c: AgentCall) => `${c.visitorId}.${c.id}`;

/**
 * A chat as a page or a welcome shows it, joined with what the console had: the two runs of messages make one when
 * they meet (earlier ones fetched before a reconnect, live ones that came after the page); otherwise the page's run,
 * the newer one, stands alone.
 */
function joinChat(had: ChatView | undefined, page: AgentVisitor): ChatView {
  const { messages, olderMessages, ...info } = page;
  if (!had?.messages.length) return { ...info, messages, olderMessages };
  if (!messages.length) return { ...info, messages: had.messages, olderMessages: had.olderMessages };
  const first = messages[0].seq;
  const last = messages[messages.length - 1].seq;
  const hadFirst = had.messages[0].seq;
  if (hadFirst > last + 1 || had.messages[had.messages.length - 1].seq + 1 < first)
    return { ...info, messages, olderMessages };
  const known = new Set(messages.map((m) => m.seq));
  return {
    ...info,
    messages: [...messages, ...had.messages.filter((m) => !known.has(m.seq))].sort(bySeq),
    olderMessages: hadFirst < first ? had.olderMessages : olderMessages,
  };
}

/** Messages for visitors the console does not have yet, kept until the `visitor` frame that follows them. */
const ORPHAN_VISITORS = 100;

export class ConsoleStore {
  readonly #state = new BehaviorSubject<ConsoleState>(initial);
  readonly #orphans = new Map<string, WireMessage[]>();
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
  setSignedIn(name: string | null, admin = this.state.admin): void {
    this.#state.next(
      name === null ? { ...initial, auth: 'signed-out' } : { ...this.state, auth: 'signed-in', name, admin },
    );
  }

  /** This console asks to replace a site's settings (request `id`). */
  savingSettings(id: string, widgetId: string): void {
    this.#set({ settingsSave: { id, widgetId, state: 'saving', error: '' } });
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

  /** An `older_*` request for `list` went out with this id. */
  startLoading(list: PagedList, id: string): void {
    this.#set({ loading: { ...this.state.loading, [list]: id } });
  }

  /** An `older_messages` request for the chat went out with this id. */
  startLoadingMessages(visitorId: string, id: string): void {
    this.#set({ loadingMessages: new Map(this.state.loadingMessages).set(visitorId, id) });
  }

  /** The list whose request has this id. */
  #listOf(id: string): PagedList | undefined {
    return (Object.keys(this.state.loading) as PagedList[]).find((list) => this.state.loading[list] === id);
  }

  /** A reply to the list's request: its cursor is where the list goes on now. */
  #pageDone(list: PagedList, cursor: string | null, ids: string[], patch: Partial<ConsoleState>): void {
    const loading = { ...this.state.loading };
    delete loading[list];
    this.#set({
      ...patch,
      loading,
      cursors: { ...this.state.cursors, [list]: cursor },
      pageLoaded: { list, visitorId: null, ids, count: ids.length, more: cursor !== null },
    });
  }

  /** Applies one frame from the backend. */
  receive(frame: AgentServerFrame): void {
    switch (frame.type) {
      case 'welcome': {
        // A new socket: requests sent on the old one get no answer, and what came before the welcome is in it.
        this.#orphans.clear();
        const chats = new Map<string, ChatView>();
        for (const v of frame.visitors) chats.set(v.id, joinChat(this.state.chats.get(v.id), v));
        const selected = this.state.selected !== null && chats.has(this.state.selected) ? this.state.selected : null;
        this.#set({
          cursors: frame.cursors,
          loading: {},
          loadingMessages: new Map(),
          pageLoaded: null,
          name: frame.name,
          photo: frame.photo ?? null,
          online: frame.online,
          chatMode: frame.chatMode,
          agents: frame.agents,
          chats,
          offlineMessages: frame.offlineMessages,
          calls: frame.calls,
          selected,
          notice: null,
          sites: new Map((frame.sites ?? []).map((e) => [e.widgetId, e.settings])),
        });
        return;
      }
      case 'site_settings': {
        const sites = new Map(this.state.sites);
        if (frame.settings.hours === null && frame.settings.prechat === null) sites.delete(frame.widgetId);
        else sites.set(frame.widgetId, frame.settings);
        const save = this.state.settingsSave;
        this.#set({
          sites,
          settingsSave: save && frame.id === save.id ? { ...save, state: 'saved' } : save,
        });
        return;
      }
      case 'visitor': {
        const chats = new Map(this.state.chats);
        const had = this.state.chats.get(frame.visitor.id);
        // A visitor the console was not sent (older than its pages) joins the list with what came live.
        const messages = had?.messages ?? this.#orphans.get(frame.visitor.id) ?? [];
        this.#orphans.delete(frame.visitor.id);
        chats.set(frame.visitor.id, {
          ...frame.visitor,
          messages,
          olderMessages: had?.olderMessages ?? (messages[0]?.seq ?? frame.visitor.lastSeq + 1) > 1,
        });
        this.#set({ chats });
        return;
      }
      case 'message': {
        const chat = this.state.chats.get(frame.visitorId);
        if (!chat) {
          // The `visitor` frame about it follows at once.
          const list = this.#orphans.get(frame.visitorId) ?? [];
          if (!list.some((m) => m.id === frame.message.id)) list.push(frame.message);
          this.#orphans.set(frame.visitorId, list.sort(bySeq).slice(-50));
          if (this.#orphans.size > ORPHAN_VISITORS) this.#orphans.delete(this.#orphans.keys().next().value!);
          return;
        }
        if (chat.messages.some((m) => m.id === frame.message.id)) return;
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
      case 'profile':
        this.#set({ photo: frame.photo });
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
          ...(pending.replies ? { replies: pending.replies } : {}),
          ...(pending.file ? { file: pending.file } : {}),
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
      case 'older_messages': {
        const chat = this.state.chats.get(frame.visitorId);
        if (this.state.loadingMessages.get(frame.visitorId) !== frame.id) return;
        const loadingMessages = new Map(this.state.loadingMessages);
        loadingMessages.delete(frame.visitorId);
        const patch: Partial<ConsoleState> = {
          loadingMessages,
          pageLoaded: {
            list: 'messages',
            visitorId: frame.visitorId,
            ids: [],
            count: frame.messages.length,
            more: frame.more,
          },
        };
        if (chat) {
          const known = new Set(chat.messages.map((m) => m.seq));
          const earlier = frame.messages.filter((m) => !known.has(m.seq));
          const chats = new Map(this.state.chats);
          // The reply ends just before the chat's first message: the two make one run.
          chats.set(chat.id, {
            ...chat,
            messages: [...earlier, ...chat.messages].sort(bySeq),
            olderMessages: frame.more,
          });
          patch.chats = chats;
        }
        this.#set(patch);
        return;
      }
      case 'older_visitors': {
        const list = this.#listOf(frame.id);
        if (!list) return;
        const chats = new Map(this.state.chats);
        for (const v of frame.visitors) chats.set(v.id, joinChat(chats.get(v.id), v));
        this.#pageDone(
          list,
          frame.cursor,
          frame.visitors.map((v) => v.id),
          { chats },
        );
        return;
      }
      case 'older_offline_messages': {
        const list = this.#listOf(frame.id);
        if (!list) return;
        const known = new Set(this.state.offlineMessages.map((o) => o.id));
        const offlineMessages = [
          ...frame.offlineMessages.filter((o) => !known.has(o.id)),
          ...this.state.offlineMessages,
        ];
        this.#pageDone(
          list,
          frame.cursor,
          frame.offlineMessages.map((o) => o.id),
          { offlineMessages: offlineMessages.sort(byTime) },
        );
        return;
      }
      case 'older_calls': {
        const list = this.#listOf(frame.id);
        if (!list) return;
        const calls = new Map(this.state.calls.map((c) => [callKey(c), c]));
        for (const c of frame.calls) calls.set(callKey(c), c);
        this.#pageDone(list, frame.cursor, frame.calls.map(callKey), {
          calls: [...calls.values()].sort(
            (a, b) => a.at - b.at || (callKey(a) < callKey(b) ? -1 : callKey(a) > callKey(b) ? 1 : 0),
          ),
        });
        return;
      }
      case 'visitor_erased': {
        const id = frame.visitorId;
        const chats = new Map(this.state.chats);
        chats.delete(id);
        this.#orphans.delete(id);
        this.#set({
          chats,
          offlineMessages: this.state.offlineMessages.filter((o) => o.visitorId !== id),
          calls: this.state.calls.filter((c) => c.visitorId !== id),
          pending: this.state.pending.filter((p) => p.visitorId !== id),
          selected: this.state.selected === id ? null : this.state.selected,
        });
        return;
      }
      case 'error': {
        const save = this.state.settingsSave;
        if (save && frame.id === save.id) {
          this.#set({ settingsSave: { ...save, state: 'refused', error: frame.message } });
          return;
        }
        const pending = frame.id === undefined ? undefined : this.state.pending.find((p) => p.id === frame.id);
        const list = frame.id === undefined ? undefined : this.#listOf(frame.id);
        const chat = [...this.state.loadingMessages].find(([, id]) => id === frame.id)?.[0];
        if (list || chat !== undefined) {
          // A refused page request: nothing came; the agent may ask again.
          const loading = { ...this.state.loading };
          if (list) delete loading[list];
          const loadingMessages = new Map(this.state.loadingMessages);
          if (chat !== undefined) loadingMessages.delete(chat);
          this.#set({ loading, loadingMessages, notice: frame.message });
        } else if (pending) {
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
