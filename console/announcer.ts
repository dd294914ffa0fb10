import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Subscription } from 'rxjs';
import { connectionAnnouncement, DISCONNECTED, say, visitorLabel } from './strings.js';
import type { ChatView, ConsoleState, ConsoleStore } from './store.js';

/** What changes within this many milliseconds is said together (going online changes the status line twice in 3 ms). */
const BATCH_MS = 100;
/** What was said is cleared after this long, so that reading the page later does not meet it again. */
const CLEAR_MS = 5000;
/** A visitor's typing that starts again within this long of stopping, with no message between, is the same burst. */
export const TYPING_QUIET_MS = 15_000;

/**
 * The console's one polite status region: it says, once each and in the console's language, what changes where the
 * agent is not looking, and what would otherwise be said twice or in pieces:
 *
 * - a new visitor, and a visitor's message in a chat that is not on screen (the open chat's log announces its own);
 * - the open chat's visitor starting to type, once per burst (typing goes on and off while a visitor pauses);
 * - a reply the backend refused (the log shows it as a change of text, which the log does not announce);
 * - a new offline message, a new call-back request, and what became of this agent's request for contact details;
 * - whether a site's settings this console saved were stored or refused;
 * - the connection line, once per change: going online changes it twice within milliseconds (status, then chat mode).
 *
 * What a (re)connection's snapshot brings is not announced: only frames that arrive while connected are.
 */
export class ConsoleAnnouncer implements ReactiveController {
  readonly #store: ConsoleStore;
  readonly #region: () => HTMLElement | null;
  #subscription?: Subscription;
  #previous: ConsoleState;
  #queue: string[] = [];
  #flushTimer?: ReturnType<typeof setTimeout>;
  #clearTimer?: ReturnType<typeof setTimeout>;
  /** The connection line last said (or on screen when the agent signed in). */
  #connectionSaid = DISCONNECTED;
  /** Per chat, while a typing burst lasts: null while the visitor types, else when they stopped. */
  readonly #typing = new Map<string, number | null>();

  constructor(host: ReactiveControllerHost, store: ConsoleStore, region: () => HTMLElement | null) {
    this.#store = store;
    this.#region = region;
    this.#previous = store.state;
    host.addController(this);
  }

  hostConnected(): void {
    this.#previous = this.#store.state;
    this.#subscription = this.#store.state$.subscribe((next) => {
      const previous = this.#previous;
      this.#previous = next;
      if (next !== previous) this.#onState(previous, next);
    });
  }

  hostDisconnected(): void {
    this.#subscription?.unsubscribe();
    clearTimeout(this.#flushTimer);
    clearTimeout(this.#clearTimer);
    this.#flushTimer = undefined;
    this.#queue = [];
    this.#typing.clear();
    const region = this.#region();
    if (region) region.textContent = '';
  }

  #onState(prev: ConsoleState, next: ConsoleState): void {
    if (next.auth !== 'signed-in' || prev.auth !== 'signed-in') {
      this.#queue = [];
      this.#typing.clear();
      this.#connectionSaid = DISCONNECTED;
      return;
    }
    if (connectionAnnouncement(next) !== this.#connectionSaid) this.#schedule();
    // A welcome arrives while still connecting: its snapshot is what the agent sees on screen, not news.
    if (prev.connection !== 'open' || next.connection !== 'open') return;

    const now = Date.now();
    for (const [id, chat] of next.chats) {
      const before = prev.chats.get(id);
      if (chat === before) continue;
      const label = visitorLabel(chat);
      const onScreen = next.view === 'chats' && next.selected === id;
      if (!before) this.#say(say.newVisitor(label, chat.widgetId, chat.page?.title ?? ''));
      this.#messages(before, chat, label, onScreen);
      this.#typingChange(before?.typing ?? false, chat, label, onScreen, now);
      this.#contacts(before, chat, label, next.name);
      this.#ended(before, chat, label);
    }
    if (next.pending !== prev.pending) {
      for (const p of next.pending) {
        if (!p.error || prev.pending.some((q) => q.id === p.id && q.error)) continue;
        const chat = next.chats.get(p.visitorId);
        this.#say(say.notSent(chat ? visitorLabel(chat) : 'the visitor', p.error, p.text));
      }
    }
    if (next.offlineMessages !== prev.offlineMessages) {
      const known = new Set(prev.offlineMessages.map((o) => o.id));
      for (const o of next.offlineMessages)
        if (!known.has(o.id)) this.#say(say.offlineMessage(o.name, `Visitor ${o.visitorNumber}`, o.message));
    }
    const save = next.settingsSave;
    if (save && save.state !== 'saving' && save !== prev.settingsSave)
      this.#say(
        save.state === 'saved' ? say.settingsSaved(save.widgetId) : say.settingsRefused(save.widgetId, save.error),
      );
    if (next.calls !== prev.calls) {
      const known = new Set(prev.calls.map((c) => `${c.visitorId} ${c.id}`));
      for (const c of next.calls)
        if (!known.has(`${c.visitorId} ${c.id}`)) this.#say(say.callRequest(`Visitor ${c.visitorNumber}`, c.phone));
    }
  }

  /** A visitor's new messages, said when their chat is not on screen; a message ends the visitor's typing burst. */
  #messages(before: ChatView | undefined, chat: ChatView, label: string, onScreen: boolean): void {
    if (before?.messages === chat.messages) return;
    const known = new Set(before?.messages.map((m) => m.id));
    for (const m of chat.messages) {
      if (known.has(m.id) || m.from !== 'visitor') continue;
      this.#typing.delete(chat.id);
      if (!onScreen) this.#say(say.visitorMessage(label, m.text));
    }
  }

  #typingChange(was: boolean, chat: ChatView, label: string, onScreen: boolean, now: number): void {
    if (was === chat.typing) return;
    const stoppedAt = this.#typing.get(chat.id);
    if (!chat.typing) {
      if (stoppedAt !== undefined) this.#typing.set(chat.id, now);
      return;
    }
    const sameBurst = stoppedAt !== undefined && (stoppedAt === null || now - stoppedAt < TYPING_QUIET_MS);
    this.#typing.set(chat.id, null);
    if (!sameBurst && onScreen) this.#say(say.typing(label));
  }

  /** A chat the visitor ended, and a rating the visitor gave. */
  #ended(before: ChatView | undefined, chat: ChatView, label: string): void {
    if (!before) return;
    if (chat.finishedChats > before.finishedChats && chat.endedBy === 'visitor') this.#say(say.visitorEnded(label));
    if (chat.ratings.length > before.ratings.length) {
      const r = chat.ratings[chat.ratings.length - 1];
      this.#say(say.rated(label, r.rate, r.comment));
    }
  }

  /** What became of this agent's own request for the visitor's contact details. */
  #contacts(before: ChatView | undefined, chat: ChatView, label: string, me: string | null): void {
    const r = chat.contactsRequest;
    const was = before?.contactsRequest;
    if (!before || !r || r.by !== me || (was?.at === r.at && was.state === r.state)) return;
    if (r.state === 'pending') this.#say(say.contactsRequested(label));
    else if (r.state === 'given') this.#say(say.contactsGiven(label));
    else this.#say(say.contactsDeclined(label));
  }

  /** Says `text` with what else is said now (the console's other parts speak through here too). */
  announce(text: string): void {
    if (this.#store.state.auth === 'signed-in') this.#say(text);
  }

  #say(text: string): void {
    this.#queue.push(text);
    this.#schedule();
  }

  #schedule(): void {
    this.#flushTimer ??= setTimeout(() => this.#flush(), BATCH_MS);
  }

  /** Says what gathered since the last time, as one text, so that no sentence replaces another before it is read. */
  #flush(): void {
    this.#flushTimer = undefined;
    const s = this.#store.state;
    const parts: string[] = [];
    if (s.auth === 'signed-in' && connectionAnnouncement(s) !== this.#connectionSaid) {
      this.#connectionSaid = connectionAnnouncement(s);
      parts.push(this.#connectionSaid);
    }
    parts.push(...this.#queue);
    this.#queue = [];
    const region = this.#region();
    if (!parts.length || !region) return;
    clearTimeout(this.#clearTimer);
    region.textContent = parts.join(' ');
    this.#clearTimer = setTimeout(() => (region.textContent = ''), CLEAR_MS);
  }
}
