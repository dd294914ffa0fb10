/**
 * How long a visitor has been waiting for an answer, for the visitor list: since their first message after the last
 * agent message of the current chat (the messages after `finishedSeq`); not waiting when an agent answered last. The
 * list shows it and keeps it current (WaitTicker); the status region says once, per wait, when it passes
 * WAIT_ANNOUNCE_MS, rather than at every change of the number.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ChatView, ConsoleStore } from './store.js';
import { visitorLabel } from './strings.js';

/** A wait this long is said once in the status region. */
export const WAIT_ANNOUNCE_MS = 120_000;
/** How often the list's waiting times are brought up to date. */
export const WAIT_TICK_MS = 15_000;

/** When the visitor started waiting (ms since the epoch, the server's clock), or null. */
export function waitingSince(chat: Pick<ChatView, 'messages' | 'finishedSeq'>): number | null {
  let since: number | null = null;
  for (const m of chat.messages) {
    if (m.seq <= chat.finishedSeq) continue;
    if (m.from === 'agent') since = null;
    else since ??= m.at;
  }
  return since;
}

/** "waiting 3 min", "waiting 1 h 5 min", "waiting under a minute". */
export function waitText(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  if (minutes < 1) return 'waiting under a minute';
  if (minutes < 60) return `waiting ${minutes} min`;
  return `waiting ${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** The last message of a chat as the list shows it: who, then the text (cut), or '' when none. */
export function lastMessageLine(chat: Pick<ChatView, 'messages' | 'number'>, max = 80): string {
  const m = chat.messages.at(-1);
  if (!m) return '';
  const who = m.from === 'visitor' ? visitorLabel(chat) : (m.agentName ?? 'Agent');
  const text = m.text.replace(/\s+/g, ' ').trim();
  return `${who}: ${text.length > max ? `${text.slice(0, max - 1)}…` : text}`;
}

/** Re-renders the list every WAIT_TICK_MS, and says once when a visitor's wait passes WAIT_ANNOUNCE_MS. */
export class WaitTicker implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #store: ConsoleStore;
  readonly #say: (text: string) => void;
  #timer?: ReturnType<typeof setInterval>;
  /** The waits already said, as `visitorId@since`. */
  readonly #said = new Set<string>();

  constructor(host: ReactiveControllerHost, store: ConsoleStore, say: (text: string) => void) {
    this.#host = host;
    this.#store = store;
    this.#say = say;
    host.addController(this);
  }

  hostConnected(): void {
    this.#timer = setInterval(() => this.tick(), WAIT_TICK_MS);
  }

  hostDisconnected(): void {
    clearInterval(this.#timer);
  }

  /** Brings the waiting times up to date now. */
  tick(now = Date.now()): void {
    const s = this.#store.state;
    if (s.auth === 'signed-in' && s.connection === 'open') {
      for (const chat of s.chats.values()) {
        const since = waitingSince(chat);
        if (since === null || !chat.online || now - since < WAIT_ANNOUNCE_MS) continue;
        const key = `${chat.id}@${since}`;
        if (this.#said.has(key)) continue;
        this.#said.add(key);
        this.#say(`${visitorLabel(chat)} has been ${waitText(now - since)} for an answer.`);
      }
    }
    this.#host.requestUpdate();
  }
}
