import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Subscription } from 'rxjs';
import { alertsOf, type AlertsState, type AlertsStore } from '../../state/alerts.js';
import type { WidgetStore } from '../../state/store.js';

interface AlertsHost extends ReactiveControllerHost {
  store?: WidgetStore;
}

/** Mirrors the desktop-notification state that goes with the host's widget store into `value`. */
export class AlertsController implements ReactiveController {
  readonly #host: AlertsHost;
  #of?: object;
  #subscription?: Subscription;
  value: AlertsState | null = null;

  constructor(host: AlertsHost) {
    this.#host = host;
    host.addController(this);
  }

  get store(): AlertsStore | undefined {
    return this.#host.store && alertsOf(this.#host.store);
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
    this.#of = undefined;
  }

  #follow(): void {
    const store = this.#host.store;
    if (store === this.#of) return;
    this.hostDisconnected();
    if (!store) return;
    this.#of = store;
    let subscribing = true;
    this.#subscription = alertsOf(store).state$.subscribe((value) => {
      this.value = value;
      if (!subscribing) this.#host.requestUpdate();
    });
    subscribing = false;
  }
}
