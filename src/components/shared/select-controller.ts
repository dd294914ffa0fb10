import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Observable, Subscription } from 'rxjs';
import type { WidgetStore } from '../../state/store.js';
import type { WidgetState } from '../../state/types.js';

export interface StoreHost extends ReactiveControllerHost {
  /** Filled by `@consume({context: storeContext, subscribe: true})`; absent until the provider answers. */
  store?: WidgetStore;
}

/**
 * Mirrors one selected slice of the store into `value` and re-renders the host when it changes. It subscribes while
 * the host is connected and a store is there, and follows the host to a new store if the context provides one.
 */
export class SelectController<T> implements ReactiveController {
  readonly #host: StoreHost;
  readonly #selector: (state: WidgetState) => T;
  #store?: WidgetStore;
  #subscription?: Subscription;
  readonly #initial: T;
  #value: T;
  /** The host's first update hydrates a server render (Lit SSR), which knew nothing of the store. */
  #hydrating = false;

  constructor(host: StoreHost, selector: (state: WidgetState) => T, initial: T) {
    this.#host = host;
    this.#selector = selector;
    this.#value = this.#initial = initial;
    host.addController(this);
  }

  /**
   * The selected slice; while the host hydrates a server render, the initial value, which is what the server rendered
   * (the store is the browser's alone), so that hydration finds what it expects. The store's value follows at once.
   */
  get value(): T {
    return this.#hydrating ? this.#initial : this.#value;
  }

  hostConnected(): void {
    this.#follow();
  }

  hostUpdate(): void {
    // A first update that finds its render root filled hydrates a server render (with @lit-labs/ssr-client's hydrate
    // support; without it, the browser empties a server-rendered shadow root when the element attaches its own).
    const host = this.#host as StoreHost & { hasUpdated?: boolean; renderRoot?: Node };
    this.#hydrating = !host.hasUpdated && !!host.renderRoot?.firstChild;
    // The context value may have arrived (or changed) since the last update.
    this.#follow();
  }

  hostUpdated(): void {
    if (!this.#hydrating) return;
    this.#hydrating = false;
    if (this.#value !== this.#initial) this.#host.requestUpdate();
  }

  /** What the controller follows in `store`; SideController follows one of the window chunk's stores beside it. */
  protected observe(store: WidgetStore): Observable<T> {
    return store.select(this.#selector);
  }

  hostDisconnected(): void {
    this.#subscription?.unsubscribe();
    this.#subscription = undefined;
    this.#store = undefined;
  }

  #follow(): void {
    const store = this.#host.store;
    if (store === this.#store) return;
    this.hostDisconnected();
    if (!store) return;
    this.#store = store;
    let subscribing = true;
    this.#subscription = this.observe(store).subscribe((value) => {
      this.#value = value;
      if (!subscribing) this.#host.requestUpdate();
    });
    subscribing = false;
  }
}
