import type { Observable } from 'rxjs';
import type { WidgetStore } from '../../state/store.js';
import { SelectController, type StoreHost } from './select-controller.js';

/**
 * Mirrors an observable that goes with the host's widget store (one of the window chunk's small stores beside it,
 * such as `siteOf(store).profile$`) into `value`, following the host to a new store, as SelectController does for a
 * slice of the store itself.
 */
export class SideController<T> extends SelectController<T> {
  readonly #of: (store: WidgetStore) => Observable<T>;

  constructor(host: StoreHost, of: (store: WidgetStore) => Observable<T>, initial: T) {
    super(host, () => initial, initial);
    this.#of = of;
  }

  protected override observe(store: WidgetStore): Observable<T> {
    return this.#of(store);
  }
}
