import type { ReactiveController } from 'lit';
import type { Subscription } from 'rxjs';
import { utmOf } from '../../../model/validate.js';
import {
  loadPersisted,
  parsePersistedEntry,
  persistChanges,
  persistFreshVisitor,
  storageKey,
  takeCall,
  type StorageLike,
} from '../../../state/persisted.js';
import type { WidgetStore } from '../../../state/store.js';
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
 * as the store changes, and followed across the site's tabs.
 */
export class StorageController implements ReactiveController {
  readonly #host: WidgetHost;
  readonly #store: WidgetStore;
  /** The session, which a visitor switch restarts (the root makes it after this controller, which starts first). */
  readonly #session: () => SessionController;
  readonly storage: StorageLike = pageStorage();
  #persistence?: Subscription;
  /** The namespace restore() last loaded. */
  #restored?: string;

  constructor(host: WidgetHost, store: WidgetStore, session: () => SessionController) {
    this.#host = host;
    this.#store = store;
    this.#session = session;
    host.addController(this);
  }

  hostConnected(): void {
    this.restore();
    window.addEventListener('storage', this.#onStorage);
  }

  hostDisconnected(): void {
    this.#persistence?.unsubscribe();
    window.removeEventListener('storage', this.#onStorage);
  }

  /** The widget id changed since the last restore(): what is in the store belongs to another visitor. */
  get switched(): boolean {
    return this.#host.namespace !== this.#restored;
  }

  /** The storage key of one of this widget id's entries. */
  key(name: string): string {
    return storageKey(this.#host.namespace, name);
  }

  /** Loads what this widget id stored, and saves its changes from now on. */
  restore(): void {
    this.#persistence?.unsubscribe();
    const namespace = (this.#restored = this.#host.namespace);
    const saved = loadPersisted(this.storage, namespace);
    this.#store.restore(saved);
    // The first visit's utm tags are kept for good; later visits do not replace them.
    if (!saved.utm) this.#store.setUtm(utmOf(location.href));
    this.#persistence = persistChanges(this.#store, this.storage, namespace, saved);
  }

  /**
   * After the store cleared its history: replaces everything stored with the new visitor's state, and tells the
   * backend of the new visitor on a fresh connection.
   */
  startNewVisitor(): void {
    this.#persistence?.unsubscribe();
    this.#persistence = persistFreshVisitor(this.#store, this.storage, this.#host.namespace);
    const session = this.#session();
    if (session.running) session.start();
  }

  /** Counts a call of a method limited per visitor across tabs and reloads; the wait in ms when over, else 0. */
  takeCall(name: string, limit: number, windowMs: number): number {
    return takeCall(this.storage, this.#host.namespace, name, limit, windowMs);
  }

  /**
   * Other tabs of the site share the storage: when one starts a new visitor (`clearHistory` on logout), this one follows
   * instead of writing the old visitor back; messages another tab stored are taken in, so whichever tab stays open
   * delivers them.
   */
  readonly #onStorage = (event: StorageEvent): void => {
    const namespace = this.#host.namespace;
    const patch = parsePersistedEntry(namespace, event.key, event.newValue);
    if (!patch) return;
    const store = this.#store;
    if (patch.visitorId !== undefined) {
      if (patch.visitorId === store.state.visitorId) return;
      this.#session().stop();
      this.restore();
      this.#session().start();
    } else if (loadPersisted(this.storage, namespace).visitorId === store.state.visitorId) {
      if (patch.messages) store.adoptMessages(patch.messages);
      // What the visitor or the site did in another tab: contacts given, the form skipped, attributes set. (An agent's
      // request, and its answer, every tab hears from the backend.)
      if (patch.contact) store.setContact(patch.contact);
      if (patch.contactsSkipped) store.skipContactsForm();
      if (patch.clientAttributes) store.setClientAttributes(patch.clientAttributes);
    }
  };
}
