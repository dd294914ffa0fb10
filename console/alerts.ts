/**
 * So that an agent with the console in a background tab does not miss the visitor who finally writes: for a new
 * visitor, a visitor's message, a call-back request and an offline message the console
 *
 * - counts them in the page's title while the console is hidden or not focused (`(3) Agent console`), and gives the
 *   title back exactly when the agent returns;
 * - chimes (Web Audio: no file to fetch), unless it is a message in the chat on screen while the agent looks at it —
 *   one console tab only, when the agent has several (a short Web Lock per event), and at most once a second;
 * - shows a desktop notification while the console is hidden or not focused, once the agent turned them on with the
 *   button (the browser's permission is asked only then); clicking it brings the console forward on that chat.
 *
 * What a (re)connection's snapshot or a page of older items brings is not news, as for the status region
 * (announcer.ts). Sound and notifications are the agent's choice, kept in this browser.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Subscription } from 'rxjs';
import type { ConsoleState, ConsoleStore } from './store.js';
import { visitorLabel } from './strings.js';

/** At most one chime in this long. */
const CHIME_GAP_MS = 1000;
/** How long the console tab that alerts holds the event's lock, so that the agent's other tabs stay quiet. */
const HOLD_MS = 10_000;
const MAX_BODY = 200;
const SOUND_KEY = 'jivo-console:sound';
const NOTIFY_KEY = 'jivo-console:notifications';

export interface AlertEvent {
  /** Unique per event: the lock's name, the notification's tag. */
  key: string;
  title: string;
  body: string;
  /** The chat to open from the notification, if any. */
  visitorId: string | null;
  /** A message in the chat on screen (no chime while the agent looks at it). */
  onScreen: boolean;
}

const clip = (text: string) => (text.length > MAX_BODY ? `${text.slice(0, MAX_BODY - 1)}…` : text);

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** What happened between two states that an agent must not miss. */
export function alertEvents(prev: ConsoleState, next: ConsoleState): AlertEvent[] {
  if (prev.auth !== 'signed-in' || next.auth !== 'signed-in') return [];
  if (prev.connection !== 'open' || next.connection !== 'open') return [];
  const events: AlertEvent[] = [];
  // A page of older visitors is not new visitors.
  const paged = next.pageLoaded !== prev.pageLoaded ? new Set(next.pageLoaded?.ids ?? []) : new Set<string>();
  // Earlier messages of a chat that the agent asked for are not new either.
  const earlier =
    next.pageLoaded !== prev.pageLoaded && next.pageLoaded?.list === 'messages' ? next.pageLoaded.visitorId : null;
  if (next.chats !== prev.chats) {
    for (const [id, chat] of next.chats) {
      const before = prev.chats.get(id);
      if (chat === before) continue;
      const label = visitorLabel(chat);
      if (!before && !paged.has(id))
        events.push({
          key: `visitor:${id}`,
          title: `New visitor: ${label}`,
          body: chat.page?.title.trim() || chat.widgetId,
          visitorId: id,
          onScreen: false,
        });
      if (before?.messages === chat.messages || id === earlier || (!before && paged.has(id))) continue;
      const known = new Set(before?.messages.map((m) => m.id));
      const onScreen = next.view === 'chats' && next.selected === id;
      for (const m of chat.messages)
        if (!known.has(m.id) && m.from === 'visitor')
          events.push({ key: `message:${id}:${m.id}`, title: label, body: clip(m.text), visitorId: id, onScreen });
    }
  }
  if (next.offlineMessages !== prev.offlineMessages) {
    const known = new Set(prev.offlineMessages.map((o) => o.id));
    for (const o of next.offlineMessages)
      if (!known.has(o.id) && !paged.has(o.id))
        events.push({
          key: `offline:${o.id}`,
          title: `Offline message from ${o.name.trim() || `Visitor ${o.visitorNumber}`}`,
          body: clip(o.message),
          visitorId: null,
          onScreen: false,
        });
  }
  if (next.calls !== prev.calls) {
    const known = new Set(prev.calls.map((c) => `${c.visitorId}.${c.id}`));
    for (const c of next.calls)
      if (!known.has(`${c.visitorId}.${c.id}`) && !paged.has(`${c.visitorId}.${c.id}`) && c.status === 'requested')
        events.push({
          key: `call:${c.visitorId}.${c.id}`,
          title: `Call back requested: Visitor ${c.visitorNumber}`,
          body: c.phone,
          visitorId: c.visitorId,
          onScreen: false,
        });
  }
  return events;
}

let audio: AudioContext | undefined;

/** A short two-tone chime. */
function chime(): void {
  const Ctor = window.AudioContext;
  if (!Ctor) return;
  try {
    audio ??= new Ctor();
    void audio.resume?.();
    const now = audio.currentTime;
    const gain = audio.createGain();
    gain.gain.setValueAtTime(0.0001, now);
    gain.gain.exponentialRampToValueAtTime(0.25, now + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, now + 0.5);
    gain.connect(audio.destination);
    for (const [frequency, start] of [
      [660, 0],
      [990, 0.14],
    ]) {
      const tone = audio.createOscillator();
      tone.frequency.value = frequency;
      tone.connect(gain);
      tone.start(now + start);
      tone.stop(now + 0.5);
    }
  } catch {
    // No sound is no reason to fail.
  }
}

/** Runs `fn` in one console tab only for `key` (the first to take its lock), or here when there are no Web Locks. */
function once(key: string, fn: () => void): void {
  const locks = navigator.locks;
  if (!locks) return fn();
  void locks
    .request(`jivo-console:${key}`, { ifAvailable: true }, async (lock) => {
      if (!lock) return;
      fn();
      await new Promise((resolve) => setTimeout(resolve, HOLD_MS));
    })
    .catch(() => undefined);
}

export class ConsoleAlerts implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #store: ConsoleStore;
  readonly #open: (visitorId: string) => void;
  #subscription?: Subscription;
  #previous: ConsoleState;
  #count = 0;
  /** The page's title as the console had it before the count (null while no count shows). */
  #title: string | null = null;
  #ours: string | null = null;
  #lastChime = 0;
  /** The agent's choices. */
  sound: boolean;
  notify: boolean;

  constructor(host: ReactiveControllerHost, store: ConsoleStore, open: (visitorId: string) => void) {
    this.#host = host;
    this.#store = store;
    this.#open = open;
    this.#previous = store.state;
    this.sound = storage()?.getItem(SOUND_KEY) !== '0';
    this.notify =
      storage()?.getItem(NOTIFY_KEY) === '1' &&
      typeof Notification === 'function' &&
      Notification.permission === 'granted';
    host.addController(this);
  }

  /** The browser offers desktop notifications. */
  get notificationsAvailable(): boolean {
    return typeof Notification === 'function';
  }

  /** The browser refuses them. */
  get notificationsBlocked(): boolean {
    return typeof Notification === 'function' && Notification.permission === 'denied';
  }

  hostConnected(): void {
    this.#previous = this.#store.state;
    this.#subscription = this.#store.state$.subscribe((next) => {
      const prev = this.#previous;
      this.#previous = next;
      if (next !== prev) for (const event of alertEvents(prev, next)) this.#alert(event);
    });
    document.addEventListener('visibilitychange', this.#onReturn);
    window.addEventListener('focus', this.#onReturn);
  }

  hostDisconnected(): void {
    this.#subscription?.unsubscribe();
    document.removeEventListener('visibilitychange', this.#onReturn);
    window.removeEventListener('focus', this.#onReturn);
    this.#restoreTitle();
  }

  toggleSound(): void {
    this.sound = !this.sound;
    storage()?.setItem(SOUND_KEY, this.sound ? '1' : '0');
    this.#host.requestUpdate();
  }

  /** The agent's button: turns notifications off, or asks the browser (only now, in the agent's click) and turns them on. */
  toggleNotifications(): void {
    if (typeof Notification !== 'function') return;
    if (this.notify) {
      this.notify = false;
      storage()?.removeItem(NOTIFY_KEY);
      this.#host.requestUpdate();
      return;
    }
    const decide = (permission: NotificationPermission) => {
      this.notify = permission === 'granted';
      if (this.notify) storage()?.setItem(NOTIFY_KEY, '1');
      this.#host.requestUpdate();
    };
    if (Notification.permission !== 'default') return decide(Notification.permission);
    void Notification.requestPermission().then(decide, () => this.#host.requestUpdate());
  }

  readonly #onReturn = (): void => {
    if (!this.#away()) this.#restoreTitle();
  };

  #away(): boolean {
    return document.visibilityState === 'hidden' || !document.hasFocus();
  }

  #alert(event: AlertEvent): void {
    const away = this.#away();
    if (away) this.#countInTitle();
    if (this.sound && !(event.onScreen && !away)) {
      once(`chime:${event.key}`, () => {
        const now = Date.now();
        if (now - this.#lastChime < CHIME_GAP_MS) return;
        this.#lastChime = now;
        chime();
      });
    }
    if (this.notify && away && typeof Notification === 'function' && Notification.permission === 'granted') {
      once(`notify:${event.key}`, () => {
        try {
          const n = new Notification(event.title, { body: event.body, tag: `jivo-console:${event.key}` });
          n.onclick = () => {
            window.focus();
            if (event.visitorId) this.#open(event.visitorId);
            n.close();
          };
        } catch {
          // Some browsers allow notifications only from a service worker.
        }
      });
    }
  }

  #countInTitle(): void {
    this.#count++;
    const current = document.title;
    // The console's own title, or one the page set since the count showed.
    if (this.#ours === null || current !== this.#ours) this.#title = current;
    document.title = this.#ours = `(${this.#count}) ${this.#title}`;
  }

  #restoreTitle(): void {
    if (this.#ours !== null && document.title === this.#ours && this.#title !== null) document.title = this.#title;
    this.#count = 0;
    this.#ours = null;
    this.#title = null;
  }
}
