import type { ReactiveController } from 'lit';
import type { Subscription } from 'rxjs';
import { JivoChangeStateEvent } from '../../../events/change-state-event.js';
import { JivoCloseEvent } from '../../../events/close-event.js';
import { JivoLoadEvent } from '../../../events/load-event.js';
import { JivoOpenEvent } from '../../../events/open-event.js';
import { JivoWidgetDestroyEvent } from '../../../events/widget-destroy-event.js';
import type { WidgetStore } from '../../../state/store.js';
import { FULL_VIEWS, OPEN_VIEWS, type WidgetView } from '../../../state/types.js';
import { loadPartsWhenIdle, withParts } from '../parts.js';
import type { WidgetHost } from './host.js';
import type { ViewportController } from './viewport.js';

/**
 * Tells the page what happens: store events and view changes become the public `jivo-*` events (which the bridge
 * mirrors to `jivo_on*`), with the load announcement, size changes and the removal; once the window chunk is there,
 * its chime, focus keeper and status announcer (controllers/accessibility.ts).
 */
export class AnnouncerController implements ReactiveController {
  readonly #host: WidgetHost;
  readonly #store: WidgetStore;
  readonly #viewport: ViewportController;
  #subscriptions?: Subscription;
  #resizeObserver?: ResizeObserver;
  #loaded = false;
  /** Stops what the window chunk watches for focus and announcements. */
  #accessibility?: () => void;
  /** Counts connections, so that a load announcement still pending from an earlier connection is dropped. */
  #connections = 0;

  constructor(host: WidgetHost, store: WidgetStore, viewport: ViewportController) {
    this.#host = host;
    this.#store = store;
    this.#viewport = viewport;
    host.addController(this);
  }

  hostConnected(): void {
    const store = this.#store;
    // Each change of view, with the one before (the view at the start is none).
    let previous: WidgetView | undefined;
    this.#subscriptions = store
      .select((s) => s.view)
      .subscribe((next) => {
        if (previous !== undefined) this.#onViewChange(previous, next);
        previous = next;
      });
    // What the store tells of the conversation comes from the window chunk's code (the connection, the forms), and so
    // does what turns it into events: the chunk's handler subscribes as soon as it is there, before the connection.
    const subscriptions = this.#subscriptions;
    withParts(
      this.#host,
      () => this.#subscriptions === subscriptions && !subscriptions.closed,
      (parts) => subscriptions.add(parts.announceStoreEvents(this.#host, store)),
    );
    void this.#announceLoad(++this.#connections);
  }

  hostDisconnected(): void {
    this.#accessibility?.();
    this.#accessibility = undefined;
    this.#connections++;
    this.#subscriptions?.unsubscribe();
    this.#resizeObserver?.disconnect();
    this.#resizeObserver = undefined;
  }

  /** Fires `jivo-widget-destroy` when the widget had announced its load; the root calls it once it left the page. */
  announceRemoval(): void {
    if (!this.#loaded) return;
    this.#loaded = false;
    this.#host.dispatchEvent(new JivoWidgetDestroyEvent());
  }

  async #announceLoad(connection: number): Promise<void> {
    const host = this.#host;
    await host.updateComplete;
    // The launcher is on screen; the rest of the widget follows once the page is idle (or the visitor reaches for it),
    // and the page hears "loaded" once all of it works.
    const parts = await loadPartsWhenIdle().catch((error: unknown) =>
      console.warn('jivo-widget: could not load the chat window', error),
    );
    // Focus and status announcements: the window chunk's; they start once it is there, each in a task of its own.
    if (parts && connection === this.#connections) {
      const accessibility = parts.startAccessibility(host, this.#store);
      this.#accessibility = accessibility.stop;
      await accessibility.started;
    }
    // Page scripts that define jivo_onLoadCallback after the widget's tag or module must see the event too; and the
    // widget speaks its language by then (the launcher waits for the language's chunk at start-up).
    await Promise.all([parts?.documentParsed(), this.#spoken()]);
    // The page's load callbacks (and its early calls, window.jivo_queue) run in a task of their own, not after ours.
    await parts?.nextTask();
    if (connection !== this.#connections) return;
    this.#resizeObserver = parts?.observeResize(host);
    // A window restored open on a small screen follows the on-screen keyboard as one opened now does.
    if (FULL_VIEWS.has(this.#store.state.view)) this.#viewport.follow(true);
    this.#loaded = true;
    host.dispatchEvent(new JivoLoadEvent());
  }

  /** Resolves once no language's chunk is on its way. */
  #spoken(): Promise<void> {
    return new Promise((resolve) => {
      const subscription = this.#store
        .select((s) => s.catalogLoading)
        .subscribe((loading) => {
          if (loading) return;
          resolve();
          queueMicrotask(() => subscription.unsubscribe());
        });
    });
  }

  #onViewChange(prev: WidgetView, next: WidgetView): void {
    const host = this.#host;
    const wasOpen = OPEN_VIEWS.has(prev);
    const isOpen = OPEN_VIEWS.has(next);
    host.dispatchEvent(new JivoChangeStateEvent(next));
    if (!wasOpen && isOpen) host.dispatchEvent(new JivoOpenEvent());
    if (wasOpen && !isOpen) host.dispatchEvent(new JivoCloseEvent());
    this.#viewport.follow(FULL_VIEWS.has(next));
  }
}
