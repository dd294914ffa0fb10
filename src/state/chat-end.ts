/**
 * Ending the chat and rating it, on the visitor's side: a small store of its own next to the widget's, found through
 * `chatEndOf(store)`, so that only the window chunk (the window's controls and the connection) carries it and the
 * launcher does not grow. The connection (transport/session.ts) sends what waits here and tells what the backend said;
 * the window (components/chat-end) shows it and calls the actions.
 *
 * What the backend says wins: `ended` is its last finished chat, with the rating it stored. What the visitor asked for
 * waits here until the backend has it: `ending` until a `chat_ended` comes, a rating until one comes that carries it.
 * A declined rating goes out once and is forgotten.
 */
import { BehaviorSubject, type Observable } from 'rxjs';
import { distinctUntilChanged, map } from 'rxjs/operators';
import type { Rate } from '../model/rating.js';
import type { ChatMessage } from './types.js';

/** Whether the conversation has a message after `seq` (a message still being sent counts: it starts the next chat). */
export const messagesAfter = (messages: readonly ChatMessage[], seq: number): boolean =>
  messages.some((m) => m.seq === undefined || m.seq > seq);

/** The last finished chat as the backend reports it (the wire's `WireChatEnd`). */
export interface EndedChat {
  readonly chat: number;
  readonly seq: number;
  readonly by: 'agent' | 'visitor';
  readonly rating: { readonly rate: Rate; readonly comment: string } | null;
}

export interface ChatEndState {
  /** The backend's last finished chat; null before any (or before it has said). */
  readonly ended: EndedChat | null;
  /** The visitor opened the "End this chat?" question. */
  readonly confirming: boolean;
  /** The visitor ended the chat; the backend has not confirmed it yet. */
  readonly ending: boolean;
  /** A rating the visitor gave that the backend has not stored yet. */
  readonly rating: { readonly chat: number; readonly rate: Rate; readonly comment: string } | null;
  /** Chats whose rating the visitor declined (the question stays away for them). */
  readonly declined: readonly number[];
  /** A decline still to tell the backend. */
  readonly declining: number | null;
  /** Counts `chat_ended` frames (what happened now, as opposed to what a welcome recalls). */
  readonly news: number;
}

const INITIAL: ChatEndState = {
  ended: null,
  confirming: false,
  ending: false,
  rating: null,
  declined: [],
  declining: null,
  news: 0,
};

export class ChatEndStore {
  readonly #state$ = new BehaviorSubject<ChatEndState>(INITIAL);
  /** Every state, starting with the current one. */
  readonly state$: Observable<ChatEndState> = this.#state$.asObservable();

  get state(): ChatEndState {
    return this.#state$.value;
  }

  select<T>(selector: (state: ChatEndState) => T): Observable<T> {
    return this.#state$.pipe(map(selector), distinctUntilChanged());
  }

  /** The visitor asks to end the chat: the question shows. */
  askToEnd(): void {
    this.#set({ confirming: true });
  }

  cancelEnd(): void {
    this.#set({ confirming: false });
  }

  /** The visitor confirmed: the end waits for the connection. */
  endChat(): void {
    this.#set({ confirming: false, ending: true });
  }

  /**
   * The backend's last finished chat: `live` from a `chat_ended` frame, which answers an end the visitor asked for;
   * else from a welcome, after which an end still waiting goes out.
   */
  ended(ended: EndedChat, live: boolean): void {
    const s = this.state;
    const rating = s.rating && (s.rating.chat !== ended.chat || ended.rating) ? null : s.rating;
    this.#set({ ended, ending: s.ending && !live, rating, news: s.news + (live ? 1 : 0) });
  }

  /** A welcome without a finished chat: a new visitor (the history was cleared), or a backend without chat ends. */
  noneEnded(): void {
    if (this.state.ended || this.state.rating) this.#set({ ended: null, rating: null });
  }

  /** The visitor rated the last finished chat. */
  rate(rate: Rate, comment: string): void {
    const ended = this.state.ended;
    if (ended && !ended.rating) this.#set({ rating: { chat: ended.chat, rate, comment } });
  }

  /** The visitor declined to rate the last finished chat. */
  decline(): void {
    const ended = this.state.ended;
    if (ended && !ended.rating && !this.state.declined.includes(ended.chat))
      this.#set({ declined: [...this.state.declined, ended.chat], declining: ended.chat });
  }

  /** The decline went out. */
  declineSent(): void {
    this.#set({ declining: null });
  }

  destroy(): void {
    this.#state$.complete();
  }

  #set(change: Partial<ChatEndState>): void {
    this.#state$.next({ ...this.state, ...change });
  }
}

const stores = new WeakMap<object, ChatEndStore>();

/** The chat-end store that goes with a widget's store (made on first use). */
export function chatEndOf(widgetStore: object): ChatEndStore {
  let store = stores.get(widgetStore);
  if (!store) stores.set(widgetStore, (store = new ChatEndStore()));
  return store;
}
