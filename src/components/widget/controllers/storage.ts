import type { ReactiveController } from 'lit';
import type { Subscription } from 'rxjs';
import { utmOf } from '../../../model/utm.js';
import { loadLauncherState, storageKey, write, type StorageLike } from '../../../state/stored.js';
import type { WidgetStore } from '../../../state/store.js';
import { loadedParts, withParts } from '../parts.js';
import type { WidgetHost } from './host.js';
import type { SessionController } from './session.js';

/** The page's `localStorage`, or an in-memory stand-in where the browser refuses it (privacy settings, sandboxes). */
function pageStorage(): StorageLike {
  try {
    const storage = window.localStorage;
    if (storage) return storage;
  } catch {
    // SecurityError: storage is blocked for this page.
  }
  const memory = new Map<string, string>();
  return {
    get length() {
      return memory.size;
    },
    key: (index) => [...memory.keys()][index] ?? null,
    getItem: (key) => memory.get(key) ?? null,
    setItem: (key, value) => void memory.set(key, value),
    removeItem: (key) => void memory.delete(key),
  };
}

/**
 * What the widget keeps in the browser under its widget id: restored on connect (and on a switch of widget id), saved
 * as the store changes, and followed across the site's tabs (`tabs.ts`, which comes with the window chunk).
 */
export class StorageController implements ReactiveController {
  readonly #host: WidgetHost;
  readonly #store: WidgetStore;
  /** The session, which a visitor switch restarts (the root makes it after this controller, which starts first). */
  readonly #session: () => SessionController;
  readonly storage: StorageLike = pageStorage();
  #persistence?: Subscription;
  /** Set while a restore waits for the window chunk; a newer restore, or leaving the page, drops it. */
  #pending?: object;
  /** The namespace restore() last loaded. */
  #restored?: string;
  /** Stops following the other tabs; set while following. */
  #unfollow?: () => void;

  constructor(host: WidgetHost, store: WidgetStore, session: () => SessionController) {
    this.#host = host;
    this.#store = store;
    this.#session = session;
    host.addController(this);
  }

  hostConnected(): void {
    this.restore();
    // (Once, should the element come and go and come back before the window chunk is there.)
    withParts(
      this.#host,
      () => !this.#unfollow,
      ({ followTabs }) =>
        (this.#unfollow = followTabs(this.#store, this.storage, this.#host, () => {
          this.#session().stop();
          this.restore();
          this.#session().start();
        })),
    );
  }

  hostDisconnected(): void {
    this.#pending = undefined;
    this.#persistence?.unsubscribe();
    this.#unfollow?.();
    this.#unfollow = undefined;
  }

  /** The widget id changed since the last restore(): what is in the store belongs to another visitor. */
  get switched(): boolean {
    return this.#host.namespace !== this.#restored;
  }

  /** The storage key of one of this widget id's entries. */
  key(name: string): string {
    return storageKey(this.#host.namespace, name);
  }

  /**
   * Loads what this widget id stored, and saves its changes from now on. Before the window chunk is there, only what
   * the launcher shows (the view and the unread count) is read; the rest, the saving and the checks come with the chunk
   * (a history of thousands of messages is not read before the launcher shows).
   */
  restore(): void {
    this.#persistence?.unsubscribe();
    this.#persistence = undefined;
    const namespace = (this.#restored = this.#host.namespace);
    const parts = loadedParts();
    if (parts) {
      this.#persistence = parts.restorePersisted(this.#store, this.storage, namespace);
      return;
    }
    const launcherState = loadLauncherState(this.storage, namespace);
    this.#store.restore(launcherState);
    // The first visit's utm tags are kept for good: a visitor who leaves before the rest of the widget loads has them
    // stored already, and a later visit's tags (read by getUtm in the meantime) never take their place.
    this.#store.setUtm(launcherState.utm ?? utmOf(location.href));
    if (!launcherState.utm) write(this.storage, storageKey(namespace, 'utm'), this.#store.state.utm);
    const early = this.#store.state;
    const token = (this.#pending = {});
    withParts(
      this.#host,
      () => this.#pending === token && this.#restored === namespace,
      ({ restorePersisted }) => {
        this.#pending = undefined;
        this.#persistence = restorePersisted(this.#store, this.storage, namespace, early);
      },
    );
  }

  /**
   * After the store cleared its history: replaces everything stored with the new visitor's state, and tells the
   * backend of the new visitor on a fresh connection.
   */
  startNewVisitor(): void {
    this.#persistence?.unsubscribe();
    // (Only the API's clearHistory() calls this, and the API's bodies come with the window chunk.)
    this.#persistence = loadedParts()!.persistFreshVisitor(this.#store, this.storage, this.#host.namespace);
    const session = this.#session();
    if (session.running) session.start();
  }

  /** Counts a call of a method limited per visitor across tabs and reloads; the wait in ms when over, else 0. */
  takeCall(name: string, limit: number, windowMs: number): number {
    // (Only the API's setClientAttributes() calls this, once the window chunk is there.)
    return loadedParts()!.takeCall(this.storage, this.#host.namespace, name, limit, windowMs);
  }
}
