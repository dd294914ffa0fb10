import { BehaviorSubject, Subject, type Observable } from 'rxjs';
import { distinctUntilChanged, map } from 'rxjs/operators';
import type { Locale } from '../i18n/index.js';
import { randomId } from '../internal/id.js';
import type { CallReport, ClientAttributes, CustomField, PageInfo, Utm } from '../model/types.js';
import { persistedPart, type SavedState } from './persisted.js';
import {
  CALL_OVER,
  EMPTY_CONTACT,
  initialState,
  OPEN_VIEWS,
  type Agent,
  type CallRequest,
  type CallStatus,
  type ChatMessage,
  type ChatMode,
  type ConnectionStatus,
  type Contact,
  type ContactsFormMode,
  type MessageStatus,
  type OfflineMessage,
  type OpenSource,
  type StartView,
  type WidgetState,
  type WidgetView,
} from './types.js';

export interface StoreOptions {
  locale?: Locale;
  /** Clock, injectable for tests. */
  now?: () => number;
  /** Id generator (messages, visitors), injectable for tests. */
  id?: () => string;
}

/** Things that happen, as opposed to state: the root element turns them into public events. */
export type StoreEvent =
  | { type: 'visitor-message'; message: ChatMessage; first: boolean; invited: boolean }
  | { type: 'agent-message'; message: ChatMessage }
  | { type: 'accepted'; agent: Agent }
  /** The backend took a call-back request (or this page learnt of one it took): the call has started. */
  | { type: 'call-start'; call: CallRequest }
  /** A call ended: finished, or failed (refused, no answer…) with a reason. */
  | { type: 'call-end'; call: CallRequest }
  /** The visitor sent the contacts form. */
  | { type: 'introduction' };

/** What the backend's welcome tells a (re)connecting widget. */
export interface Welcome {
  visitorNumber: number;
  chatMode: ChatMode;
  agent: Agent | null;
  messages: readonly ChatMessage[];
  readSeq: number;
}

/** The views that show the conversation: agent messages there are read at once. */
const chatShown = (view: WidgetView) => view === 'chat' || view === 'chat/call';

/** How far along a call is: a report never moves a call back. */
const CALL_RANK: Record<CallStatus, number> = { pending: 0, requested: 1, connected: 2, finished: 3, failed: 3 };

const bySeq = (a: ChatMessage, b: ChatMessage) => (a.seq ?? Infinity) - (b.seq ?? Infinity);

/** Agent messages above `readSeq`: what the visitor has not seen. */
function countUnread(messages: readonly ChatMessage[], readSeq: number): number {
  let unread = 0;
  for (const m of messages) if (m.from === 'agent' && m.seq !== undefined && m.seq > readSeq) unread++;
  return unread;
}

function lastAgentSeq(messages: readonly ChatMessage[], readSeq: number): number {
  let seq = readSeq;
  for (const m of messages) if (m.from === 'agent' && m.seq !== undefined && m.seq > seq) seq = m.seq;
  return seq;
}

/**
 * One widget's whole state. Read it through `select`, change it through the named actions; every action makes an
 * immutable update and emits synchronously, so a caller sees its effects (and the events they cause) on return.
 * Actions trust their arguments: the element's public methods and the transport validate what comes from outside.
 */
export class WidgetStore {
  readonly #state$: BehaviorSubject<WidgetState>;
  /** The latest state; ahead of what subscribers have seen while an emission is under way. */
  #current: WidgetState;
  #emitting = false;
  #pending = false;
  readonly #events$ = new Subject<StoreEvent>();
  readonly #now: () => number;
  readonly #id: () => string;

  /** Every state, starting with the current one. */
  readonly state$: Observable<WidgetState>;
  /** Discrete happenings (a message sent or received, a chat accepted); no replay. */
  readonly events$: Observable<StoreEvent> = this.#events$.asObservable();

  constructor(options: StoreOptions = {}) {
    // Read at each call, so that a page (or a test) that swaps the clock is followed.
    this.#now = options.now ?? (() => Date.now());
    this.#id = options.id ?? randomId;
    this.#current = initialState(options.locale, this.#id());
    this.#state$ = new BehaviorSubject(this.#current);
    this.state$ = this.#state$.asObservable();
  }

  get state(): WidgetState {
    return this.#current;
  }

  /** The selected value, now and on every change of it (by identity). */
  select<T>(selector: (state: WidgetState) => T): Observable<T> {
    return this.#state$.pipe(map(selector), distinctUntilChanged());
  }

  /** Completes the streams; subscribers are released. */
  destroy(): void {
    this.#state$.complete();
    this.#events$.complete();
  }

  // --- window ---

  /**
   * Opens the window, the channel menu or the callback form: over the chat (`chat/call`) while the chat is open, on its
   * own (`call`) otherwise. Showing the chat reads the unread messages.
   */
  open(start: StartView, by: OpenSource): void {
    const s = this.state;
    const view: WidgetView = start === 'call' && chatShown(s.view) ? 'chat/call' : start;
    if (s.view === view && !s.hidden) return;
    const next = { ...s, view, openedBy: by, hidden: false };
    this.#set(chatShown(view) ? { ...next, ...this.#read(s) } : next);
  }

  /** Closes whatever is open: to `chat/min` once a conversation exists, else to `label`. */
  minimize(): void {
    const s = this.state;
    if (!OPEN_VIEWS.has(s.view)) return;
    this.#set({
      ...s,
      view: s.messages.length > 0 ? 'chat/min' : 'label',
      openedBy: null,
      windowClosedAt: this.#now(),
      offlineFormOpen: false,
    });
  }

  /** Opens the window on the offline form (a trigger rule's action), whether or not an agent is online. */
  openOfflineForm(): void {
    const s = this.state;
    this.#set({
      ...s,
      ...this.#read(s),
      view: 'chat',
      openedBy: s.view === 'chat' ? s.openedBy : 'trigger',
      hidden: false,
      offlineFormOpen: true,
    });
  }

  /** Hides the whole widget for this page view (a trigger rule's action); `open` shows it again. */
  hide(): void {
    if (!this.state.hidden) this.#set({ ...this.state, hidden: true });
  }

  /** Shows a proactive invitation: the window opens with the text as the team's greeting. */
  showInvitation(text: string, department: string | null): void {
    const s = this.state;
    this.#set({
      ...s,
      ...this.#read(s),
      invitation: { text, department, at: this.#now() },
      invited: true,
      department: department ?? s.department,
      view: 'chat',
      openedBy: s.view === 'chat' ? s.openedBy : 'invitation',
      hidden: false,
    });
  }

  dismissInvitation(): void {
    if (this.state.invitation) this.#set({ ...this.state, invitation: null });
  }

  // --- conversation ---

  /** Adds a visitor message to the conversation with status `pending`; the transport delivers it. */
  sendMessage(text: string): ChatMessage {
    const message: ChatMessage = { id: this.#id(), from: 'visitor', text, at: this.#now(), status: 'pending' };
    const s = this.state;
    const first = s.messages.length === 0;
    this.#set({ ...s, messages: [...s.messages, message], draft: '' });
    this.#events$.next({ type: 'visitor-message', message, first, invited: s.invited });
    return message;
  }

  /**
   * Adds a message from the backend, or completes one we have (the same id: our own message stored by the backend,
   * or sent from another tab). An agent message counts as unread unless the chat is on screen.
   */
  receiveMessage(message: ChatMessage): void {
    const s = this.state;
    const index = s.messages.findIndex((m) => m.id === message.id);
    if (index >= 0) {
      const known = s.messages[index];
      if (message.seq === undefined || known.seq === message.seq) return;
      const messages = s.messages.slice();
      messages[index] = {
        ...known,
        seq: message.seq,
        at: message.at,
        status: known.from === 'visitor' ? 'sent' : known.status,
      };
      this.#set({ ...s, messages });
      return;
    }
    const messages = [...s.messages, message];
    if (message.seq !== undefined && s.messages.length && (s.messages[s.messages.length - 1].seq ?? -1) > message.seq)
      messages.sort(bySeq);
    let next: WidgetState = { ...s, messages };
    if (message.from === 'agent') {
      next = chatShown(s.view) ? { ...next, ...this.#read(next) } : { ...next, unread: s.unread + 1 };
      next = { ...next, agentTyping: false };
    }
    this.#set(next);
    if (message.from === 'agent') this.#events$.next({ type: 'agent-message', message });
  }

  /** The backend stored our message `id` as `seq`. */
  acknowledge(id: string, seq: number, at: number): void {
    const s = this.state;
    const index = s.messages.findIndex((m) => m.id === id);
    if (index < 0) return;
    const messages = s.messages.slice();
    messages[index] = { ...messages[index], seq, at, status: 'sent' };
    this.#set({ ...s, messages });
  }

  setMessageStatus(id: string, status: MessageStatus): void {
    const s = this.state;
    const index = s.messages.findIndex((m) => m.id === id);
    if (index < 0 || s.messages[index].status === status) return;
    const messages = s.messages.slice();
    messages[index] = { ...messages[index], status };
    this.#set({ ...s, messages });
  }

  /**
   * Merges what the backend has (missed messages, our stored ones) into the conversation, oldest first, and takes
   * over its visitor number, chat mode, agent and read position.
   */
  welcome(w: Welcome): void {
    const s = this.state;
    const byId = new Map(s.messages.map((m) => [m.id, m]));
    let added = false;
    let changed = false;
    for (const m of w.messages) {
      const known = byId.get(m.id);
      if (!known) added = true;
      const status = known && known.from === 'visitor' ? 'sent' : known?.status;
      // A message the widget already has as the backend has it stays as it is.
      if (known && known.seq === m.seq && known.at === m.at && known.status === status) continue;
      changed = true;
      byId.set(m.id, known ? { ...known, seq: m.seq, at: m.at, status } : m);
    }
    // Nothing new: the same array, so that nothing downstream (storage, the log) redoes its work on a reconnect.
    const messages = added
      ? [...byId.values()].sort(bySeq)
      : changed
        ? s.messages.map((m) => byId.get(m.id)!)
        : s.messages;
    const readSeq = Math.max(s.readSeq, w.readSeq);
    let next: WidgetState = {
      ...s,
      messages,
      visitorNumber: w.visitorNumber,
      chatMode: w.chatMode,
      agent: w.agent,
      readSeq,
      agentTyping: false,
    };
    next = chatShown(s.view) ? { ...next, ...this.#read(next) } : { ...next, unread: countUnread(messages, readSeq) };
    this.#set(next);
  }

  /** Another tab (or an earlier page) read agent messages up to `seq`. */
  markRead(seq: number): void {
    const s = this.state;
    if (seq <= s.readSeq) return;
    this.#set({ ...s, readSeq: seq, unread: countUnread(s.messages, seq) });
  }

  /** An agent took the chat (a live event, unlike the agent a welcome restores). */
  accept(agent: Agent): void {
    const s = this.state;
    if (s.agent?.name === agent.name) return;
    this.#set({ ...s, agent });
    this.#events$.next({ type: 'accepted', agent });
  }

  // --- call backs ---

  /** Asks for a call back on `phone` (normalised): `pending` until the transport has delivered it. Replaces the last call. */
  requestCall(phone: string): CallRequest {
    const call: CallRequest = { id: this.#id(), phone, status: 'pending', reason: '', at: this.#now() };
    this.#set({ ...this.state, call });
    return call;
  }

  /**
   * Takes the backend's word on a call. The call we have moves forward only (a late or repeated report changes
   * nothing); another call replaces ours unless ours is still waiting to be delivered or is newer. `live` is false for
   * the call a welcome repeats: a call this page did not know of then is taken in silently, without start or end events.
   */
  updateCall(report: CallReport, live = true): void {
    const s = this.state;
    const known = s.call;
    const call: CallRequest = {
      id: report.id,
      phone: report.phone,
      status: report.status,
      reason: report.reason ?? '',
      at: report.at,
    };
    if (known?.id === call.id) {
      if (CALL_RANK[call.status] > CALL_RANK[known.status]) this.#setCall(known, call);
    } else if (!known || (known.status !== 'pending' && known.at <= call.at)) {
      this.#setCall(live ? null : call, call);
    }
  }

  /** The backend refused the request `id` (call backs disabled, rate limited…): it fails with `reason`. */
  failCall(id: string, reason: string): void {
    const known = this.state.call;
    if (known?.id === id && !CALL_OVER.has(known.status)) this.#setCall(known, { ...known, status: 'failed', reason });
  }

  setCallbackEnabled(callbackEnabled: boolean): void {
    if (callbackEnabled !== this.state.callbackEnabled) this.#set({ ...this.state, callbackEnabled });
  }

  /** Stores `call` and reports what this page saw happen to it: started (taken by the backend), then ended. */
  #setCall(before: CallRequest | null, call: CallRequest): void {
    this.#set({ ...this.state, call });
    const was = before ? CALL_RANK[before.status] : 0;
    if (was === 0 && call.status !== 'failed') this.#events$.next({ type: 'call-start', call });
    if (was < 3 && CALL_OVER.has(call.status)) this.#events$.next({ type: 'call-end', call });
  }

  setContact(contact: Partial<Contact>): void {
    const current = this.state.contact;
    const next = { ...current, ...contact };
    const changed = (Object.keys(next) as Array<keyof Contact>).some((key) => next[key] !== current[key]);
    if (changed) this.#set({ ...this.state, contact: next });
  }

  setCustomData(customData: readonly CustomField[]): void {
    this.#set({ ...this.state, customData });
  }

  setUserToken(userToken: string): void {
    if (userToken !== this.state.userToken) this.#set({ ...this.state, userToken });
  }

  setPage(page: PageInfo | null): void {
    this.#set({ ...this.state, page });
  }

  setUtm(utm: Utm): void {
    this.#set({ ...this.state, utm });
  }

  setClientAttributes(clientAttributes: ClientAttributes | null): void {
    if (clientAttributes !== this.state.clientAttributes) this.#set({ ...this.state, clientAttributes });
  }

  // --- the contacts form ---

  setContactsForm(contactsForm: ContactsFormMode): void {
    if (contactsForm !== this.state.contactsForm) this.#set({ ...this.state, contactsForm });
  }

  /**
   * What the backend says of the agent's request: its id while it waits for an answer, null when none does. A request
   * the visitor already answered here stays answered (the session sends the answer).
   */
  receiveContactsRequest(id: string | null): void {
    const current = this.state.contactsRequest;
    if (id === null ? current !== null : current?.id !== id) {
      this.#set({ ...this.state, contactsRequest: id === null ? null : { id, state: 'pending' } });
    }
  }

  /** The visitor sent the contacts form: their details, and the answer to a pending agent request. */
  introduce(contact: Pick<Contact, 'name' | 'email' | 'phone'>): void {
    const s = this.state;
    const request =
      s.contactsRequest?.state === 'pending' ? { ...s.contactsRequest, state: 'given' as const } : s.contactsRequest;
    this.#set({ ...s, contact: { ...s.contact, ...contact }, contactsRequest: request });
    this.#events$.next({ type: 'introduction' });
  }

  /** The visitor dismissed the agent's pending request. */
  declineContacts(): void {
    const r = this.state.contactsRequest;
    if (r?.state === 'pending') this.#set({ ...this.state, contactsRequest: { ...r, state: 'declined' } });
  }

  /** The visitor skipped the site's optional contacts form. */
  skipContactsForm(): void {
    if (!this.state.contactsSkipped) this.#set({ ...this.state, contactsSkipped: true });
  }

  setDraft(draft: string): void {
    if (draft !== this.state.draft) this.#set({ ...this.state, draft });
  }

  /**
   * Forgets the conversation and the visitor: messages, unread count, invitation, agent, draft, offline messages, and
   * the visitor id and number (the next connection is a new visitor). The window stays as it is.
   */
  clearHistory(): void {
    const s = this.state;
    this.#set({
      ...s,
      messages: [],
      unread: 0,
      readSeq: 0,
      invitation: null,
      invited: false,
      agent: null,
      agentTyping: false,
      draft: '',
      offlineMessages: [],
      contact: EMPTY_CONTACT,
      customData: [],
      userToken: '',
      call: null,
      clientAttributes: null,
      contactsSkipped: false,
      contactsRequest: null,
      visitorId: this.#id(),
      visitorNumber: null,
      view: s.view === 'chat/min' ? 'label' : s.view,
    });
  }

  // --- offline messages ---

  /** Keeps an offline message until the backend has stored it; returns it. */
  queueOfflineMessage(fields: Omit<OfflineMessage, 'id' | 'at' | 'status'>): OfflineMessage {
    const message: OfflineMessage = { ...fields, id: this.#id(), at: this.#now(), status: 'pending' };
    this.#set({ ...this.state, offlineMessages: [...this.state.offlineMessages, message] });
    return message;
  }

  setOfflineMessageStatus(id: string, status: MessageStatus): void {
    const s = this.state;
    if (!s.offlineMessages.some((m) => m.id === id && m.status !== status)) return;
    this.#set({ ...s, offlineMessages: s.offlineMessages.map((m) => (m.id === id ? { ...m, status } : m)) });
  }

  // --- settings and backend status ---

  setLocale(locale: Locale): void {
    if (locale !== this.state.locale) this.#set({ ...this.state, locale });
  }

  setDepartment(department: string | null): void {
    if (department !== this.state.department) this.#set({ ...this.state, department });
  }

  setChatMode(chatMode: ChatMode): void {
    if (chatMode !== this.state.chatMode) this.#set({ ...this.state, chatMode });
  }

  setAgent(agent: Agent | null): void {
    if (agent?.name !== this.state.agent?.name) this.#set({ ...this.state, agent });
  }

  setAgentTyping(agentTyping: boolean): void {
    if (agentTyping !== this.state.agentTyping) this.#set({ ...this.state, agentTyping });
  }

  setConnection(connection: ConnectionStatus): void {
    if (connection !== this.state.connection) this.#set({ ...this.state, connection });
  }

  /**
   * Replaces everything kept in the browser with what was restored: what `saved` lacks starts fresh (a widget id with
   * nothing stored is a new visitor, not a copy of the previous one).
   */
  restore(saved: SavedState): void {
    const s = this.state;
    const fresh = initialState(s.locale, saved.visitorId || this.#id());
    // What the backend says about call backs holds for the connection it came on: unknown until the next welcome.
    this.#set({
      ...s,
      ...persistedPart(fresh),
      ...saved,
      visitorId: fresh.visitorId,
      openedBy: null,
      agent: null,
      agentTyping: false,
      callbackEnabled: null,
      hidden: false,
      offlineFormOpen: false,
    });
  }

  /**
   * Takes in messages another tab stored: adds those this tab lacks and completes pending ones the other tab saw
   * stored, so that one tab's unsent message is delivered by whichever tab is still open. Removes nothing.
   */
  adoptMessages(stored: readonly ChatMessage[]): void {
    const s = this.state;
    const byId = new Map(s.messages.map((m) => [m.id, m]));
    const news: ChatMessage[] = [];
    let changed = false;
    for (const m of stored) {
      const known = byId.get(m.id);
      if (!known) {
        byId.set(m.id, m);
        if (m.from === 'agent') news.push(m);
        changed = true;
      } else if (known.seq === undefined && m.seq !== undefined) {
        byId.set(m.id, { ...known, seq: m.seq, at: m.at, status: 'sent' });
        changed = true;
      }
    }
    if (!changed) return;
    const messages = [...byId.values()].sort((a, b) => bySeq(a, b) || a.at - b.at);
    this.#set({ ...s, messages, unread: chatShown(s.view) ? s.unread : countUnread(messages, s.readSeq) });
    // New to this tab, however it learnt of them first (another tab's storage may beat this tab's own socket).
    for (const message of news) this.#events$.next({ type: 'agent-message', message });
  }

  /** The visitor sees the chat: everything the agent wrote is read. */
  #read(s: WidgetState): Pick<WidgetState, 'unread' | 'readSeq'> {
    return { unread: 0, readSeq: lastAgentSeq(s.messages, s.readSeq) };
  }

  /**
   * Emits a new state. An action called by a subscriber while an emission is under way (a page callback calling the
   * API, say) only records its state; the running loop emits the latest state once the current round is done, so
   * no subscriber is left holding an older state than another.
   */
  #set(next: WidgetState): void {
    this.#current = next;
    if (this.#emitting) {
      this.#pending = true;
      return;
    }
    this.#emitting = true;
    try {
      do {
        this.#pending = false;
        this.#state$.next(this.#current);
      } while (this.#pending);
    } finally {
      this.#emitting = false;
    }
  }
}
