/**
 * The visitor's desktop notifications, as the window shows them (its header's toggle): whether the browser offers
 * them, whether the visitor turned them on, whether the browser blocks them. Next to the widget's store, found through
 * `alertsOf(store)`, so that only the window chunk carries it. The toggle only asks: the root's controller
 * (components/widget/controllers/attention.ts) answers, within the visitor's click, as browsers require of a
 * permission request.
 */
import { BehaviorSubject, type Observable } from 'rxjs';

export interface AlertsState {
  /** The browser has desktop notifications. */
  readonly available: boolean;
  /** The visitor turned them on (and the browser allows them). */
  readonly enabled: boolean;
  /** The browser refuses them (the visitor or a policy said no). */
  readonly blocked: boolean;
}

export class AlertsStore {
  readonly #state$ = new BehaviorSubject<AlertsState>({ available: false, enabled: false, blocked: false });
  readonly state$: Observable<AlertsState> = this.#state$.asObservable();
  /** Set by the controller that owns the notifications: turns them on or off. */
  onToggle?: () => void;

  get state(): AlertsState {
    return this.#state$.value;
  }

  set(change: Partial<AlertsState>): void {
    this.#state$.next({ ...this.state, ...change });
  }

  /** The visitor pressed the toggle. */
  toggle(): void {
    this.onToggle?.();
  }
}

const stores = new WeakMap<object, AlertsStore>();

/** The alerts that go with a widget's store (made on first use). */
export function alertsOf(widgetStore: object): AlertsStore {
  let store = stores.get(widgetStore);
  if (!store) stores.set(widgetStore, (store = new AlertsStore()));
  return store;
}
