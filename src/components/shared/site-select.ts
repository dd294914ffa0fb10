import type { ReactiveController } from 'lit';
import type { Subscription } from 'rxjs';
import { siteSettingsOf, type SiteState } from '../../state/site-settings.js';
import type { WidgetStore } from '../../state/store.js';
import type { StoreHost } from './select-controller.js';

/**
 * Mirrors a slice of the site's state (state/site.ts: business hours, the pre-chat form) into `value`, as
 * SelectController does for the store: subscribed while the host is connected, following it to a new store.
 */
export class SiteSelectController<T> implements ReactiveController {
  readonly #host: StoreHost;
  readonly #selector: (state: SiteState) => T;
  #store?: WidgetStore;
  #subscription?: Subscription;
  value: T;

  constructor(host: StoreHost, selector: (state: SiteState) => T, initial: T) {
    this.#host = host;
    this.#selector = selector;
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
    // Operators by hand: rxjs's, imported here, would reorder the chunk the launcher shares with the window.
    this.#subscription = siteSettingsOf(store).state$.subscribe((state) => {
      const value = this.#selector(state);
      if (!subscribing && value === this.value) return;
      this.value = value;
      if (!subscribing) this.#host.requestUpdate();
    });
    subscribing = false;
  }
}
