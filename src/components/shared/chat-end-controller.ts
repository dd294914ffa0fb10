import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Subscription } from 'rxjs';
import { chatEndOf, type ChatEndState, type ChatEndStore } from '../../state/chat-end.js';
import type { ChatMessage } from '../../state/types.js';
import type { WidgetStore } from '../../state/store.js';

interface ChatEndHost extends ReactiveControllerHost {
  store?: WidgetStore;
}

/** Whether the conversation has a message after `seq` (a message still being sent counts: it starts the next chat). */
export const messagesAfter = (messages: readonly ChatMessage[], seq: number): boolean =>
  messages.some((m) => m.seq === undefined || m.seq > seq);

/** Mirrors the chat-end store that goes with the host's widget store into `value`. */
export class ChatEndController implements ReactiveController {
  readonly #host: ChatEndHost;
  #of?: object;
  #subscription?: Subscription;
  value: ChatEndState | null = null;

  constructor(host: ChatEndHost) {
    this.#host = host;
    host.addController(this);
  }

  get store(): ChatEndStore | undefined {
    return this.#host.store && chatEndOf(this.#host.store);
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
    this.#subscription = chatEndOf(store).state$.subscribe((value) => {
      this.value = value;
      if (!subscribing) this.#host.requestUpdate();
    });
    subscribing = false;
  }
}
