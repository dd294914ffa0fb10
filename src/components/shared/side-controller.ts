import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Observable, Subscription } from 'rxjs';
import type { WidgetStore } from '../../state/store.js';

interface SideHost extends ReactiveControllerHost {
  store?: WidgetStore;
}

/**
 * Mirrors an observable that goes with the host's widget store (one of the window chunk's small stores beside it,
 * such as `siteOf(store).profile$`) into `value`, following the host to a new store.
 */
export class SideController<T> implements ReactiveController {
  readonly #host: SideHost;
  readonly #of: (store: WidgetStore) => Observable<T>;
  #store?: WidgetStore;
  #subscription?: Subscription;
  value: T;

  constructor(host: SideHost, of: (store: WidgetStore) => Observable<T>, initial: T) {
    this.#host = host;
    this.#of = of;
    this.value = initial;
    host.addController(this);
  }

  hostConnected(): void {
    this.#follow();
  }

  hostUpdate(): void {
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
    this.#subscription = this.#of(store).subscribe((value) => {
      this.value = value;
      if (!subscribing) this.#host.requestUpdate();
    });
    subscribing = false;
  }
}
