// From rxjs's own modules, not its index: the launcher's bundle would otherwise take in every operator the window's
// code imports from the index (scripts/module-bundle.mjs shares what both files reach), though only the window uses them.
import { BehaviorSubject } from 'rxjs/internal/BehaviorSubject';
import { Observable } from 'rxjs/internal/Observable';
import { Subject } from 'rxjs/internal/Subject';
import type { Catalog } from '../i18n/catalog.js';
import type { Locale } from '../i18n/languages.js';
import { randomId } from '../model/id.js';
import type { CallReport, ClientAttributes, CustomField, PageInfo, Utm } from '../model/types.js';
import type { ChatUpdates } from './chat.js';
import type { Outcome, StoreEvent, Welcome } from './events.js';
import { restore, type SavedState } from './stored.js';
import {
  initialState,
  type Agent,
  type CallRequest,
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
} from './types.js';
import * as windowView from './window.js';

export type { StoreEvent, Welcome };

let chatUpdates: ChatUpdates | undefined;

/**
 * Gives every store the conversation's updates (`chat.ts`, which calls this as it loads): messages, offline messages,
 * call backs, the visitor's details. They come with the window chunk; the launcher's store only opens and closes,
 * restores, and follows the language and the attributes.
 */
export function provideChatUpdates(updates: ChatUpdates): void {
  chatUpdates = updates;
}

export interface StoreOptions {
  locale?: Locale;
  /** `locale`'s catalogue, when it is not English. */
  catalog?: Catalog | null;
  /** Clock, injectable for tests. */
  now?: () => number;
  /** Id generator (messages, visitors), injectable for tests. */
  id?: () => string;
}

/**
 * One widget's whole state. Read it through `select`, change it through the named actions; every action makes an
 * immutable update and emits synchronously, so a caller sees its effects (and the events they cause) on return.
 * Actions trust their arguments: the element's public methods and the transport validate what comes from outside.
 *
 * The updates themselves are pure functions grouped by domain (window.ts, conversation.ts, calls.ts, visitor.ts);
 * an action applies one, with the store's clock and id generator where it needs them. The conversation's (all but
 * window.ts and restoring) load with the window chunk (`chat.ts`).
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
    this.#current = { ...initialState(options.locale), catalog: options.catalog ?? null };
    this.#state$ = new BehaviorSubject(this.#current);
    this.state$ = this.#state$.asObservable();
  }

  /** The conversation's updates; only code of the window chunk, which brings them, calls the actions that use them. */
  get #chat(): ChatUpdates {
    if (!chatUpdates) throw new Error('jivo-widget: the conversation’s code is not loaded (src/state/chat.ts)');
    return chatUpdates;
  }

  get state(): WidgetState {
    return this.#current;
  }

  /**
   * The selected value, now and on every change of it (by identity). (What `map` and `distinctUntilChanged` would do,
   * in one subscriber instead of three: every element's and controller's view of the store is one of these, and each
   * state the store emits passes through all of them.)
   */
  select<T>(selector: (state: WidgetState) => T): Observable<T> {
    return new Observable<T>((subscriber) => {
      let seen = false;
      let last: T;
      return this.#state$.subscribe({
        next: (state) => {
          const value = selector(state);
          if (seen && value === last) return;
          seen = true;
          last = value;
          subscriber.next(value);
        },
        complete: () => subscriber.complete(),
      });
    });
  }

  /** Completes the streams; subscribers are released. */
  destroy(): void {
    this.#state$.complete();
    this.#events$.complete();
  }

  // --- window ---

  open(start: StartView, by: OpenSource): void {
    const next = windowView.open(this.state, start, by);
    if (next === this.state) this.#events$.next({ type: 'reopen', by });
    else this.#apply(next);
  }

  minimize(): void {
    this.#apply(windowView.minimize(this.state, this.#now));
  }

  openOfflineForm(): void {
    this.#apply(windowView.openOfflineForm(this.state));
  }

  hide(): void {
    this.#apply(windowView.hide(this.state));
  }

  showInvitation(text: string, department: string | null): void {
    this.#apply(windowView.showInvitation(this.state, text, department, this.#now()));
  }

  dismissInvitation(): void {
    this.#apply(windowView.dismissInvitation(this.state));
  }

  /**
   * Speaks `locale`, with its catalogue (null: English's, built into the window); `loading`: the catalogue is on its
   * way, and the window waits for it.
   */
  setLocale(locale: Locale, catalog: Catalog | null = null, loading = false): void {
    const s = this.#current;
    if (s.locale !== locale || s.catalog !== catalog || s.catalogLoading !== loading) {
      this.#set({ ...s, locale, catalog, catalogLoading: loading });
    }
  }

  /** The site's own wording (the `texts` property of the element). */
  setTexts(texts: unknown): void {
    this.#put('texts', texts);
  }

  setDir(dir: 'ltr' | 'rtl' | null): void {
    this.#put('dir', dir);
  }

  setDepartment(department: string | null): void {
    this.#put('department', department);
  }

  // --- conversation ---

  /** Adds a visitor message to the conversation with status `pending`; the transport delivers it. */
  sendMessage(text: string): ChatMessage {
    const message: ChatMessage = { id: this.#id(), from: 'visitor', text, at: this.#now(), status: 'pending' };
    this.#emit(this.#chat.conversation.sendMessage(this.state, message));
    return message;
  }

  receiveMessage(message: ChatMessage): void {
    this.#emit(this.#chat.conversation.receiveMessage(this.state, message));
  }

  acknowledge(id: string, seq: number, at: number): void {
    this.#apply(this.#chat.conversation.acknowledge(this.state, id, seq, at));
  }

  setMessageStatus(id: string, status: MessageStatus): void {
    this.#apply(this.#chat.conversation.setMessageStatus(this.state, id, status));
  }

  /**
   * Applies an update made elsewhere, with the events it causes: the file actions of state/attach.ts, which load with
   * the window and not with the launcher.
   */
  update(update: (s: WidgetState, now: number, id: () => string) => Outcome): void {
    this.#emit(update(this.state, this.#now(), this.#id));
  }

  /** The visitor asks to send a failed message again. */
  retryMessage(id: string): void {
    this.#apply(this.#chat.conversation.retryMessage(this.state, id));
  }

  welcome(w: Welcome): void {
    this.#apply(this.#chat.conversation.welcome(this.state, w));
  }

  markRead(seq: number): void {
    this.#apply(this.#chat.conversation.markRead(this.state, seq));
  }

  accept(agent: Agent): void {
    this.#emit(this.#chat.conversation.accept(this.state, agent));
  }

  /** Takes in what another tab stored: its messages and its queue (see conversation.ts). */
  adoptMessages(stored: readonly ChatMessage[], queued: readonly string[]): void {
    this.#apply(this.#chat.conversation.adoptMessages(this.state, stored, queued));
  }

  setDraft(draft: string): void {
    this.#put('draft', draft);
  }

  setChatMode(chatMode: ChatMode): void {
    this.#put('chatMode', chatMode);
  }

  setAgent(agent: Agent | null): void {
    this.#apply(this.#chat.conversation.setAgent(this.state, agent));
  }

  setAgentTyping(agentTyping: boolean): void {
    this.#put('agentTyping', agentTyping);
  }

  setConnection(connection: ConnectionStatus): void {
    this.#put('connection', connection);
  }

  // --- offline messages ---

  /** Keeps an offline message (`sendOfflineMessage`) until the backend has stored it; returns it. */
  queueOfflineMessage(fields: Omit<OfflineMessage, 'id' | 'at' | 'status'>): OfflineMessage {
    return this.submitOfflineForm(fields, { saveContact: false });
  }

  /**
   * Sends the offline form: with `saveContact` its name, email and phone become the visitor's contact details and the
   * draft (the form's message) is emptied; the message is kept until the backend has stored it. The contact is saved
   * first, on its own, so that the backend hears of the visitor's details before their message, as it always has.
   */
  submitOfflineForm(
    fields: Omit<OfflineMessage, 'id' | 'at' | 'status'>,
    { saveContact }: { saveContact: boolean },
  ): OfflineMessage {
    const { name, email, phone } = fields;
    if (saveContact) this.setContact({ name, email, phone });
    const message: OfflineMessage = { ...fields, id: this.#id(), at: this.#now(), status: 'pending' };
    this.#apply(this.#chat.conversation.queueOfflineMessage(this.state, message, saveContact));
    return message;
  }

  setOfflineMessageStatus(id: string, status: MessageStatus): void {
    this.#apply(this.#chat.conversation.setOfflineMessageStatus(this.state, id, status));
  }

  // --- call backs ---

  /** Asks for a call back on `phone` (normalised): `pending` until the transport has delivered it. Replaces the last call. */
  requestCall(phone: string): CallRequest {
    const call: CallRequest = { id: this.#id(), phone, status: 'pending', reason: '', at: this.#now() };
    this.#apply(this.#chat.calls.requestCall(this.state, call));
    return call;
  }

  updateCall(report: CallReport, live = true): void {
    this.#emit(this.#chat.calls.updateCall(this.state, report, live));
  }

  failCall(id: string, reason: string): void {
    this.#emit(this.#chat.calls.failCall(this.state, id, reason));
  }

  setCallbackEnabled(callbackEnabled: boolean): void {
    this.#put('callbackEnabled', callbackEnabled);
  }

  // --- the visitor ---

  setContact(contact: Partial<Contact>): void {
    this.#apply(this.#chat.visitor.setContact(this.state, contact));
  }

  setCustomData(customData: readonly CustomField[]): void {
    this.#apply(this.#chat.visitor.setCustomData(this.state, customData));
  }

  setUserToken(userToken: string): void {
    this.#put('userToken', userToken);
  }

  setPage(page: PageInfo | null): void {
    this.#apply(this.#chat.visitor.setPage(this.state, page));
  }

  setUtm(utm: Utm): void {
    this.#put('utm', utm);
  }

  setClientAttributes(clientAttributes: ClientAttributes | null): void {
    this.#put('clientAttributes', clientAttributes);
  }

  setContactsForm(contactsForm: ContactsFormMode): void {
    this.#put('contactsForm', contactsForm);
  }

  receiveContactsRequest(id: string | null): void {
    this.#apply(this.#chat.visitor.receiveContactsRequest(this.state, id));
  }

  introduce(contact: Pick<Contact, 'name' | 'email' | 'phone'>): void {
    this.#emit(this.#chat.visitor.introduce(this.state, contact));
  }

  declineContacts(): void {
    this.#apply(this.#chat.visitor.declineContacts(this.state));
  }

  skipContactsForm(): void {
    this.#apply(this.#chat.visitor.skipContactsForm(this.state));
  }

  /** Forgets the conversation and the visitor; the next connection is a new visitor. */
  clearHistory(): void {
    this.#apply(this.#chat.visitor.clearHistory(this.state));
  }

  /** Replaces everything kept in the browser with what was restored (see persisted.ts). */
  restore(saved: SavedState): void {
    this.#apply(restore(this.state, saved));
  }

  /** Sets one field of the state; nothing happens when it has that value already. */
  #put<K extends keyof WidgetState>(key: K, value: WidgetState[K]): void {
    if (value !== this.#current[key]) this.#set({ ...this.#current, [key]: value });
  }

  /** Emits `next` unless it is the current state (the update changed nothing). */
  #apply(next: WidgetState): void {
    if (next !== this.#current) this.#set(next);
  }

  /** Applies an update, then emits its events. */
  #emit([next, ...events]: Outcome): void {
    this.#apply(next);
    for (const event of events) this.#events$.next(event);
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
