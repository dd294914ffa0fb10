import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Subscription } from 'rxjs';
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
  value: T;

  constructor(host: StoreHost, selector: (state: WidgetState) => T, initial: T) {
    this.#host = host;
    this.#selector = selector;
    this.value = initial;
    host.addController(this);
  }

  hostConnected(): void {
    this.#follow();
  }

  hostUpdate(): void {
    // The context value may have arrived (or changed) since the last update.
    this.#follow();
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
    this.#subscription = store.select(this.#selector).subscribe((value) => {
      this.value = value;
      if (!subscribing) this.#host.requestUpdate();
    });
    subscribing = false;
  }
}
