import type { Subscription } from 'rxjs';
import { format } from '../../../i18n/languages.js';
import { formatSize, stringsOf } from '../../../i18n/strings.js';
import { chatEndOf } from '../../../state/chat-end.js';
import { contactsFormReason } from '../../../state/selectors.js';
import type { WidgetStore } from '../../../state/store.js';
import { OPEN_VIEWS, type WidgetState } from '../../../state/types.js';
import type { WidgetHost } from './host.js';

/** Announcements of one burst are said together, after this many milliseconds. */
const BATCH_MS = 50;
/** What was said is cleared after this long, so that reading the page later does not meet it again. */
const CLEAR_MS = 5000;
/** Longer message texts are cut to this many characters in an announcement. */
const MAX_TEXT = 200;
/** A connection that comes back within this long was not worth a word. */
const LOST_AFTER_MS = 2000;
/** The agent's typing that starts again within this long of stopping, with no message between, is the same burst. */
const TYPING_QUIET_MS = 15_000;

/**
 * Visually hidden, read by screen readers. Set through the CSSOM, which a strict Content-Security-Policy allows and
 * every DOM has (jsdom included), rather than a stylesheet adopted into the root's shadow root.
 */
const HIDDEN: Record<string, string> = {
  position: 'absolute',
  width: '1px',
  height: '1px',
  margin: '-1px',
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  'white-space': 'nowrap',
};

const clip = (text: string) => (text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text);

/**
 * The widget's one polite status region, outside the window so that it is there open or closed. It says, once each,
 * in the widget's language, what would otherwise change silently:
 *
 * - an agent's message that arrives while the window is closed (while it is open, the message log announces it);
 * - a proactive invitation (its own log is inserted together with its text, which is not announced);
 * - the agent's request for contact details (the form appears while focus stays in the composer);
 * - a message that was not sent ("Sending" → "Not sent" is a text change the log does not announce);
 * - who answers ("Alice is answering", the header's status line);
 * - a chat that ended (either side ended it), and the visitor's rating of it once stored;
 * - while the window is open, the agent starting to type, once per burst (typing goes on and off while the agent
 *   pauses; a message or 15 s of quiet ends a burst), and a connection that has been lost for 2 s, then its return.
 *
 * What the page had when this started (restored history, a pending request, the agent) is not announced.
 */
export class StatusAnnouncer {
  readonly #region = document.createElement('div');
  readonly #subscription: Subscription;
  #queue: string[] = [];
  #flushTimer?: ReturnType<typeof setTimeout>;
  #clearTimer?: ReturnType<typeof setTimeout>;
  #invitationAt: number | null;
  #contactsAsked: boolean;
  /** Visitor messages whose failure was announced; a retried one that fails again is announced again. */
  #failed = new Set<string>();
  /** The messages last looked through: the store keeps the same array until a message changes. */
  #messages: WidgetState['messages'];
  readonly #store: WidgetStore;
  #agentName: string | null;
  #agentTyping: boolean;
  /** While a typing burst lasts: null while the agent types, else when they stopped; undefined between bursts. */
  #typingStopped: number | null | undefined;
  #connection: WidgetState['connection'];
  #lostTimer?: ReturnType<typeof setTimeout>;
  #lostSaid = false;

  constructor(host: WidgetHost, store: WidgetStore) {
    const region = this.#region;
    region.className = 'announcer';
    region.setAttribute('role', 'status');
    region.setAttribute('aria-live', 'polite');
    for (const [name, value] of Object.entries(HIDDEN)) region.style.setProperty(name, value);
    host.renderRoot.querySelector('.root')!.prepend(region);

    const state = store.state;
    this.#invitationAt = state.invitation?.at ?? null;
    this.#contactsAsked = contactsFormReason(state) === 'request';
    for (const m of state.messages) if (m.status === 'failed') this.#failed.add(m.id);
    this.#messages = state.messages;
    this.#store = store;
    this.#agentName = state.agent?.name ?? null;
    this.#agentTyping = state.agentTyping;
    this.#connection = state.connection;

    this.#subscription = store.state$.subscribe((s) => this.#onState(s));
    // What the welcome says of a chat that ended before this page is not news: only the backend's later word is said.
    const end = chatEndOf(store);
    let known = end.state;
    this.#subscription.add(
      end.state$.subscribe((next) => {
        const was = known;
        known = next;
        const ended = next.ended;
        if (next.news === was.news || !ended) return;
        const t = stringsOf(store.state).chatEnd;
        if (!was.ended || ended.chat > was.ended.chat) this.#say(t.ended);
        else if (ended.chat === was.ended.chat && ended.rating && !was.ended.rating) this.#say(t.thanks);
      }),
    );
    this.#subscription.add(
      store.events$.subscribe((event) => {
        if (event.type !== 'agent-message') return;
        this.#typingStopped = undefined;
        if (OPEN_VIEWS.has(store.state.view)) return;
        const { agentName, text } = event.message;
        this.#say(
          format(stringsOf(store.state).window.newMessage, {
            name: agentName || stringsOf(store.state).agentSaid,
            text: clip(text),
          }),
        );
      }),
    );
  }

  stop(): void {
    this.#subscription.unsubscribe();
    clearTimeout(this.#flushTimer);
    clearTimeout(this.#clearTimer);
    clearTimeout(this.#lostTimer);
    this.#region.remove();
  }

  #onState(s: WidgetState): void {
    const t = stringsOf(s);
    const invitationAt = s.invitation?.at ?? null;
    if (invitationAt !== this.#invitationAt) {
      this.#invitationAt = invitationAt;
      if (s.invitation) this.#say(`${t.invitationFrom}: ${clip(s.invitation.text)}`);
    }
    const name = s.agent?.name ?? null;
    if (name !== this.#agentName) {
      this.#agentName = name;
      if (name) this.#say(format(t.statusAgent, { name }));
    }
    if (s.agentTyping !== this.#agentTyping) this.#onTyping(s, name ?? t.agentSaid);
    if (s.connection !== this.#connection) this.#onConnection(s.connection);
    const contactsAsked = contactsFormReason(s) === 'request';
    if (contactsAsked && !this.#contactsAsked) this.#say(t.contactsRequested);
    this.#contactsAsked = contactsAsked;
    // Every keystroke of a draft emits a state; a long history is looked through only when a message changed.
    if (s.messages === this.#messages) return;
    this.#messages = s.messages;
    for (const m of s.messages) {
      if (m.from !== 'visitor') continue;
      if (m.status !== 'failed') this.#failed.delete(m.id);
      else if (!this.#failed.has(m.id)) {
        this.#failed.add(m.id);
        const ws = stringsOf(s).window;
        if (m.file && m.error) {
          const reason = format(ws.files.errors[m.error] ?? ws.files.errors.lost, {
            size: formatSize(s.locale, s.fileLimits?.maxBytes ?? 0),
          });
          this.#say(format(ws.files.notSent, { name: clip(m.file.name), reason }));
        } else this.#say(format(ws.notSent, { text: clip(m.text || m.file?.name || '') }));
      }
    }
  }

  #onTyping(s: WidgetState, name: string): void {
    this.#agentTyping = s.agentTyping;
    const now = Date.now();
    if (!s.agentTyping) {
      if (this.#typingStopped !== undefined) this.#typingStopped = now;
      return;
    }
    const stopped = this.#typingStopped;
    this.#typingStopped = null;
    const sameBurst = stopped !== undefined && (stopped === null || now - stopped < TYPING_QUIET_MS);
    if (!sameBurst && OPEN_VIEWS.has(s.view)) this.#say(format(stringsOf(s).agentTyping, { name }));
  }

  #onConnection(connection: WidgetState['connection']): void {
    const was = this.#connection;
    this.#connection = connection;
    clearTimeout(this.#lostTimer);
    if (connection === 'connecting' && was === 'open') {
      this.#lostTimer = setTimeout(() => {
        const s = this.#store.state;
        if (s.connection === 'open' || !OPEN_VIEWS.has(s.view)) return;
        this.#lostSaid = true;
        this.#say(stringsOf(s).window.connectionLost);
      }, LOST_AFTER_MS);
    } else if (connection === 'open' && this.#lostSaid) {
      this.#lostSaid = false;
      this.#say(stringsOf(this.#store.state).window.connectionBack);
    }
  }

  /** Queues a sentence; a burst is said as one text, so that none replaces another before it is read. */
  #say(text: string): void {
    this.#queue.push(text);
    this.#flushTimer ??= setTimeout(() => {
      this.#flushTimer = undefined;
      clearTimeout(this.#clearTimer);
      this.#region.textContent = this.#queue.join(' ');
      this.#queue = [];
      this.#clearTimer = setTimeout(() => (this.#region.textContent = ''), CLEAR_MS);
    }, BATCH_MS);
  }
}
