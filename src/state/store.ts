import { BehaviorSubject, type Observable } from 'rxjs';
import { distinctUntilChanged, map } from 'rxjs/operators';
import type { Locale } from '../i18n/index.js';
import { randomId } from '../internal/id.js';
import {
  initialState,
  OPEN_VIEWS,
  type Agent,
  type ChatMessage,
  type ChatMode,
  type MessageStatus,
  type OpenSource,
  type WidgetState,
} from './types.js';

export interface StoreOptions {
  locale?: Locale;
  /** Clock, injectable for tests. */
  now?: () => number;
  /** Message id generator, injectable for tests. */
  id?: () => string;
}

/**
 * One widget's whole state. Read it through `select`, change it through the named actions; every action makes an
 * immutable update and emits synchronously, so a caller sees its effects (and the events they cause) on return.
 * Actions trust their arguments: the element's public methods validate what comes from outside.
 */
export class WidgetStore {
  readonly #state$: BehaviorSubject<WidgetState>;
  readonly #now: () => number;
  readonly #id: () => string;

  /** Every state, starting with the current one. */
  readonly state$: Observable<WidgetState>;

  constructor(options: StoreOptions = {}) {
    this.#state$ = new BehaviorSubject(initialState(options.locale));
    this.state$ = this.#state$.asObservable();
    this.#now = options.now ?? Date.now;
    this.#id = options.id ?? randomId;
  }

  get state(): WidgetState {
    return this.#state$.value;
  }

  /** The selected value, now and on every change of it (by identity). */
  select<T>(selector: (state: WidgetState) => T): Observable<T> {
    return this.#state$.pipe(map(selector), distinctUntilChanged());
  }

  /** Completes the stream; subscribers are released. */
  destroy(): void {
    this.#state$.complete();
  }

  // --- window ---

  /** Opens the window, or the channel menu. Opening the chat reads the unread messages. */
  open(view: 'chat' | 'menu', by: OpenSource): void {
    const s = this.state;
    if (s.view === view) return;
    this.#set({ ...s, view, openedBy: by, unread: view === 'chat' ? 0 : s.unread });
  }

  /** Closes whatever is open: to `chat/min` once a conversation exists, else to `label`. */
  minimize(): void {
    const s = this.state;
    if (!OPEN_VIEWS.has(s.view)) return;
    this.#set({ ...s, view: s.messages.length > 0 ? 'chat/min' : 'label', openedBy: null });
  }

  /** Shows a proactive invitation: the window opens with the text as the team's greeting. */
  showInvitation(text: string, department: string | null): void {
    const s = this.state;
    const invitation = { text, department, at: this.#now() };
    this.#set({
      ...s,
      invitation,
      department: department ?? s.department,
      view: 'chat',
      openedBy: s.view === 'chat' ? s.openedBy : 'invitation',
      unread: 0,
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
    this.#set({ ...s, messages: [...s.messages, message], draft: '' });
    return message;
  }

  /** Adds a message from the backend; an agent message counts as unread unless the chat is on screen. Known ids are ignored. */
  receiveMessage(message: ChatMessage): void {
    const s = this.state;
    if (s.messages.some((m) => m.id === message.id)) return;
    const unread = message.from === 'agent' && s.view !== 'chat' ? s.unread + 1 : s.unread;
    this.#set({ ...s, messages: [...s.messages, message], unread });
  }

  setMessageStatus(id: string, status: MessageStatus): void {
    const s = this.state;
    const index = s.messages.findIndex((m) => m.id === id);
    if (index < 0 || s.messages[index].status === status) return;
    const messages = s.messages.slice();
    messages[index] = { ...messages[index], status };
    this.#set({ ...s, messages });
  }

  setDraft(draft: string): void {
    if (draft !== this.state.draft) this.#set({ ...this.state, draft });
  }

  /** Forgets the conversation: messages, unread count, invitation, agent and draft. The window stays as it is. */
  clearHistory(): void {
    const s = this.state;
    this.#set({
      ...s,
      messages: [],
      unread: 0,
      invitation: null,
      agent: null,
      draft: '',
      view: s.view === 'chat/min' ? 'label' : s.view,
    });
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

  /** Replaces the parts of the state kept in the browser (see persistence.ts) with what was restored. */
  restore(saved: Partial<Pick<WidgetState, 'view' | 'messages' | 'unread' | 'draft' | 'invitation'>>): void {
    const s = this.state;
    this.#set({ ...s, ...saved, openedBy: null });
  }

  #set(next: WidgetState): void {
    this.#state$.next(next);
  }
}
