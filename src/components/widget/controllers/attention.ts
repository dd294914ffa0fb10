import type { Subscription } from 'rxjs';
import { format } from '../../../i18n/languages.js';
import { stringsOf } from '../../../i18n/strings.js';
import { alertsOf, type AlertsStore } from '../../../state/alerts.js';
import { storageKey } from '../../../state/persisted.js';
import type { WidgetStore } from '../../../state/store.js';
import type { WidgetHost } from './host.js';

/** The page's title changes at most this often while it counts replies (WCAG 2.2.2 asks for calm; ~1.5 s at least). */
export const TITLE_BLINK_MS = 2000;
/** How long the tab that shows a notification holds its lock, so that tabs receiving the message later stay quiet. */
const HOLD_MS = 10_000;
/** Longer texts are cut in a notification. */
const MAX_BODY = 200;

/** The site's title while the widget holds the page's title (null when it does not). */
let heldSiteTitle: string | null = null;
/** The widget whose replies the title counts: the first on the page (several widgets must not fight over it). */
let titleOwner: object | null = null;

/**
 * The page's own title: the site's, also while the widget shows its unread count there (what the backend is told of
 * the page must not be the count).
 */
export const siteTitle = (): string => heldSiteTitle ?? document.title;

/**
 * The page's title while the page is hidden and agents' replies arrive: it alternates, every TITLE_BLINK_MS, between
 * `(n) <the site's title>` and `(n) New message`, and is given back exactly when the page is shown again. A title the
 * site sets meanwhile (a single-page app navigating) becomes the site's title: it is the one counted on, and the one
 * left on return.
 */
class TitleCounter {
  #count = 0;
  #ours: string | null = null;
  #phase = 0;
  #timer?: ReturnType<typeof setInterval>;
  readonly #unreadTitle: () => string;

  constructor(unreadTitle: () => string) {
    this.#unreadTitle = unreadTitle;
  }

  show(count: number): void {
    this.#count = count;
    if (!count) return this.restore();
    if (this.#timer === undefined) {
      this.#phase = 0;
      this.#tick();
      this.#timer = setInterval(() => this.#tick(), TITLE_BLINK_MS);
    }
  }

  restore(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    if (this.#ours !== null && document.title === this.#ours && heldSiteTitle !== null) document.title = heldSiteTitle;
    this.#ours = null;
    heldSiteTitle = null;
  }

  #tick(): void {
    const current = document.title;
    // First change, or the site changed its title since ours: that is the site's title now.
    if (this.#ours === null || current !== this.#ours) heldSiteTitle = current;
    const count = this.#count;
    const text = this.#phase === 0 ? `(${count}) ${heldSiteTitle}` : format(this.#unreadTitle(), { count });
    this.#phase ^= 1;
    document.title = this.#ours = text;
  }
}

/**
 * Never missing a reply while the page is hidden: the title counts the agents' replies that arrived (TitleCounter),
 * and with the visitor's consent a desktop notification shows each, in one tab only. Permission is asked only when the
 * visitor presses the window's toggle (alertsOf(store).toggle), never on load; the consent is kept per widget id.
 * Clicking a notification brings the page forward and opens the chat. Returns what stops it all.
 */
export function startAttention(host: WidgetHost, store: WidgetStore): () => void {
  const alerts: AlertsStore = alertsOf(store);
  const title = new TitleCounter(() => stringsOf(store.state).chatEnd.titleUnread);
  if (titleOwner === null) titleOwner = title;
  const key = () => storageKey(host.namespace, 'notifications');
  const storage = (): Storage | null => {
    try {
      return window.localStorage;
    } catch {
      return null;
    }
  };
  const Api = typeof Notification === 'function' ? Notification : undefined;
  const wanted = () => storage()?.getItem(key()) === '1';
  const sync = () =>
    alerts.set({
      available: !!Api,
      enabled: !!Api && Api.permission === 'granted' && wanted(),
      blocked: !!Api && Api.permission === 'denied',
    });
  sync();
  alerts.onToggle = () => {
    if (!Api) return;
    if (alerts.state.enabled) {
      storage()?.removeItem(key());
      return sync();
    }
    const decide = (permission: NotificationPermission) => {
      if (permission === 'granted') storage()?.setItem(key(), '1');
      sync();
    };
    if (Api.permission !== 'default') return decide(Api.permission);
    // Within the visitor's click: browsers ask only then.
    void Api.requestPermission().then(decide, () => sync());
  };

  let arrived = 0;
  const hidden = () => document.visibilityState === 'hidden';
  const onVisibility = () => {
    if (hidden()) return;
    arrived = 0;
    if (titleOwner === title) title.restore();
  };
  document.addEventListener('visibilitychange', onVisibility);

  const subscription: Subscription = store.events$.subscribe((event) => {
    if (event.type !== 'agent-message' || !hidden()) return;
    if (titleOwner === title) title.show(++arrived);
    if (alerts.state.enabled) notify(event.message.id, event.message.agentName, event.message.text);
  });

  function notify(id: string, agentName: string | undefined, text: string): void {
    if (!Api || Api.permission !== 'granted') return;
    const show = () => {
      const locale = store.state.locale;
      const t = stringsOf(store.state);
      try {
        const n = new Api(format(t.chatEnd.notificationTitle, { name: agentName || t.agentSaid }), {
          body: text.length > MAX_BODY ? `${text.slice(0, MAX_BODY - 1)}…` : text,
          tag: `jivo-widget:${host.namespace}:${id}`,
          lang: locale,
        });
        n.onclick = () => {
          window.focus();
          host.open({ start: 'chat' });
          n.close();
        };
      } catch (error) {
        // Some browsers allow notifications only from a service worker.
        console.warn('jivo-widget: could not show a notification', error);
      }
    };
    const locks = navigator.locks;
    if (!locks) return show();
    void locks
      .request(`jivo-widget:${host.namespace}:notify:${id}`, { ifAvailable: true }, async (lock) => {
        if (!lock) return;
        show();
        await new Promise((resolve) => setTimeout(resolve, HOLD_MS));
      })
      .catch(() => undefined);
  }

  return () => {
    subscription.unsubscribe();
    document.removeEventListener('visibilitychange', onVisibility);
    if (titleOwner === title) {
      title.restore();
      titleOwner = null;
    }
    alerts.onToggle = undefined;
  };
}
