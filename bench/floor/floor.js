// The floor: the least an element built on the widget's stack (lit + @lit/context + rxjs) can be. A root element owns
// a store (BehaviorSubject, read through map + distinctUntilChanged) and provides it through context; a launcher
// consumes it and renders one button; clicking it swaps the launcher for a list that renders the stored messages as
// plain rows (text and time). Everything the widget does beyond this is its own cost. bench/run.mjs bundles it with
// the widget's esbuild settings, and the page loads it as <script type="module">, as a site loads the widget.
import { ContextConsumer, ContextProvider, createContext } from '@lit/context';
import { css, html, LitElement } from 'lit';
import { BehaviorSubject } from 'rxjs';
import { distinctUntilChanged, map } from 'rxjs/operators';

const storeContext = createContext(Symbol('floor-store'));

class Store {
  #state$ = new BehaviorSubject({ open: false, messages: [] });
  get state() {
    return this.#state$.value;
  }
  select(fn) {
    return this.#state$.pipe(map(fn), distinctUntilChanged());
  }
  set(patch) {
    this.#state$.next({ ...this.state, ...patch });
  }
}

/** Mirrors a slice of a store into `value` while the host is connected; `store()` may answer later (context). */
class Select {
  #subscription;
  #store;
  constructor(host, store, fn, initial) {
    this.host = host;
    this.store = store;
    this.fn = fn;
    this.value = initial;
    host.addController(this);
  }
  hostConnected() {
    this.follow();
  }
  hostUpdate() {
    this.follow();
  }
  hostDisconnected() {
    this.#subscription?.unsubscribe();
    this.#subscription = this.#store = undefined;
  }
  follow() {
    const store = this.store();
    if (!store || store === this.#store) return;
    this.hostDisconnected();
    this.#store = store;
    this.#subscription = store.select(this.fn).subscribe((value) => {
      this.value = value;
      this.host.requestUpdate();
    });
  }
}

/** Base of the subcomponents: the store through context, as the widget's StoreElement has it. */
class StoreElement extends LitElement {
  #consumer = new ContextConsumer(this, {
    context: storeContext,
    subscribe: true,
    callback: () => this.requestUpdate(),
  });
  get store() {
    return this.#consumer.value;
  }
  select(fn, initial) {
    return new Select(this, () => this.store, fn, initial);
  }
}

// Made on first use, as the widget makes its formatters: the first Intl object in a renderer loads the locale data,
// which a page that shows only the launcher never needs (about 400 ms of a first load at 4x CPU).
let time;
const formatTime = (at) => (time ??= new Intl.DateTimeFormat('en', { hour: '2-digit', minute: '2-digit' })).format(at);

class FloorWidget extends LitElement {
  static styles = css`
    :host { position: fixed; right: 20px; bottom: 20px; z-index: 10; font: 15px system-ui; }
  `;
  store = new Store();
  // Registers itself with the element; nothing reads the field.
  // eslint-disable-next-line no-unused-private-class-members
  #provider = new ContextProvider(this, { context: storeContext, initialValue: this.store });
  #open = new Select(
    this,
    () => this.store,
    (s) => s.open,
    false,
  );

  connectedCallback() {
    try {
      const messages = JSON.parse(localStorage.getItem('floor:messages') ?? '[]');
      if (Array.isArray(messages)) this.store.set({ messages });
    } catch {
      // nothing usable stored
    }
    super.connectedCallback();
  }

  render() {
    return this.#open.value ? html`<floor-list></floor-list>` : html`<floor-launcher></floor-launcher>`;
  }
}

class FloorLauncher extends StoreElement {
  static styles = css`
    button { padding: 12px 18px; border: 0; border-radius: 24px; background: #2a5bd7; color: #fff; font: inherit; }
  `;
  render() {
    return html`<button type="button" @click=${() => this.store?.set({ open: true })}>Chat with us</button>`;
  }
}

class FloorList extends StoreElement {
  static styles = css`
    section { width: 370px; height: 560px; overflow: auto; background: #fff; border-radius: 16px; box-shadow: 0 4px 24px #0003; }
    ol { list-style: none; margin: 0; padding: 12px; }
    li { margin: 6px 0; }
    p { margin: 0; padding: 8px 12px; border-radius: 12px; background: #eef1f5; }
    .visitor p { background: #2a5bd7; color: #fff; }
  `;
  #messages = this.select((s) => s.messages, []);
  updated() {
    const section = this.renderRoot.querySelector('section');
    section.scrollTop = section.scrollHeight;
  }
  render() {
    return html`<section>
      <ol>
        ${this.#messages.value.map((m) => html`<li class=${m.from}><p>${m.text}</p><time>${formatTime(m.at)}</time></li>`)}
      </ol>
    </section>`;
  }
}

customElements.define('floor-widget', FloorWidget);
customElements.define('floor-launcher', FloorLauncher);
customElements.define('floor-list', FloorList);
