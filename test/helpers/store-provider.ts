import { provide } from '@lit/context';
import { fixture, html } from '@open-wc/testing';
import { css, LitElement, type TemplateResult } from 'lit';
import { defer, finalize, type Observable } from 'rxjs';
import sinon from 'sinon';
import { storeContext } from '../../src/components/shared/context.js';
import { tokens } from '../../src/styles/tokens.js';
import { defineJivoElements } from '../../src/entry/define.js';
import type { StoreOptions } from '../../src/state/store.js';
import { WidgetStore } from '../../src/state/chat.js';
import type { ChatMessage, WidgetState } from '../../src/state/types.js';

defineJivoElements();

/**
 * Stands in for `<jivo-widget>` in subcomponent tests: provides a real store through context and sets the design
 * tokens that the root element normally sets (styles/tokens.ts), so that axe checks colours as a page would show them. Children are
 * rendered in its light DOM (slotted), so context requests from them reach it.
 */
export class TestStoreProvider extends LitElement {
  static override styles = css`
    :host {
      display: block;
      ${tokens}
      font-family: var(--jivo-_font);
      font-size: 14px;
      color: var(--jivo-_text);
      background: #ffffff;
    }
  `;

  @provide({ context: storeContext })
  store: WidgetStore | undefined = new WidgetStore();

  override render() {
    return html`<slot></slot>`;
  }
}

if (!customElements.get('test-store-provider')) customElements.define('test-store-provider', TestStoreProvider);

declare global {
  interface HTMLElementTagNameMap {
    'test-store-provider': TestStoreProvider;
  }
}

/** A store with a fixed clock and predictable message ids. */
export function createStore(options: StoreOptions = {}): WidgetStore {
  let n = 0;
  return new WidgetStore({ now: () => Date.UTC(2024, 0, 15, 10, 30), id: () => `m${++n}`, ...options });
}

export interface Mounted<T extends HTMLElement> {
  el: T;
  store: WidgetStore;
  provider: TestStoreProvider;
}

/**
 * Renders `template` (one subcomponent) inside a provider holding `store`, and waits for both to render.
 */
export async function mount<T extends HTMLElement & { updateComplete: Promise<boolean> }>(
  template: TemplateResult,
  store: WidgetStore = createStore(),
): Promise<Mounted<T>> {
  const provider = await fixture<TestStoreProvider>(
    html`<test-store-provider .store=${store}>${template}</test-store-provider>`,
  );
  const el = provider.querySelector(':scope > *') as T | null;
  if (!el) throw new Error('mount(): the template rendered no element');
  await el.updateComplete;
  return { el, store, provider };
}

/** Waits until `el` and every Lit element in its shadow tree have finished updating. */
export async function settled(el: Element): Promise<void> {
  for (let i = 0; i < 3; i++) {
    const pending: Array<Promise<unknown>> = [];
    const visit = (node: Element) => {
      if ('updateComplete' in node) pending.push((node as unknown as LitElement).updateComplete);
      node.shadowRoot?.querySelectorAll('*').forEach(visit);
    };
    visit(el);
    await Promise.all(pending);
  }
}

/** The first match of `selector` in `el`'s shadow root; throws when there is none, so tests fail with a clear message. */
export function shadow<T extends Element = HTMLElement>(el: Element, selector: string): T {
  const found = el.shadowRoot?.querySelector<T>(selector);
  if (!found) throw new Error(`No ${selector} in the shadow root of <${el.localName}>`);
  return found;
}

/** Every match of `selector` in `el`'s shadow root. */
export function shadowAll<T extends Element = HTMLElement>(el: Element, selector: string): T[] {
  return [...(el.shadowRoot?.querySelectorAll<T>(selector) ?? [])];
}

/** Visible text with whitespace collapsed. */
export function text(node: Node | null | undefined): string {
  return (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/**
 * Counts the live subscriptions to observables returned by `store.select`. Wraps `select` with a sinon stub, so
 * restore it with `counter.restore()` (or `sinon.restore()`).
 */
export function countSubscriptions(store: WidgetStore) {
  const original = store.select.bind(store);
  const counter = { active: 0, subscribed: 0, unsubscribed: 0, restore: () => stub.restore() };
  const stub = sinon.stub(store, 'select').callsFake(<T>(selector: (state: WidgetState) => T): Observable<T> =>
    defer(() => {
      counter.active++;
      counter.subscribed++;
      return original(selector).pipe(
        finalize(() => {
          counter.active--;
          counter.unsubscribed++;
        }),
      );
    }),
  );
  return counter;
}

let seq = 0;

/** An agent message as the transport would deliver it. */
export function agentMessage(text: string, extra: Partial<ChatMessage> = {}): ChatMessage {
  return { id: `a${++seq}`, from: 'agent', text, at: Date.UTC(2024, 0, 15, 10, 31), agentName: 'Anna', ...extra };
}

/** A visitor message as restored from storage or echoed by the backend. */
export function visitorMessage(text: string, extra: Partial<ChatMessage> = {}): ChatMessage {
  return { id: `v${++seq}`, from: 'visitor', text, at: Date.UTC(2024, 0, 15, 10, 32), status: 'sent', ...extra };
}

/** Delivers `count` agent messages while the chat is not on screen, so the unread count grows by `count`. */
export function receiveUnread(store: WidgetStore, count: number): void {
  for (let i = 0; i < count; i++) store.receiveMessage(agentMessage(`Message ${i + 1}`));
}

/**
 * Mounts `template` inside a provider and removes it again, `times` times, and reports how many `store.select`
 * subscriptions were live while it was mounted and after the last removal.
 */
export async function mountUnmountCycles(template: () => TemplateResult, store: WidgetStore, times = 25) {
  const counter = countSubscriptions(store);
  const whileMounted: number[] = [];
  try {
    for (let i = 0; i < times; i++) {
      const { provider } = await mount(template(), store);
      await settled(provider.querySelector(':scope > *')!);
      whileMounted.push(counter.active);
      provider.remove();
    }
    // Reattaching the same element must not leave a second subscription behind either.
    const { provider, el } = await mount(template(), store);
    await settled(el);
    const once = counter.active;
    el.remove();
    provider.append(el);
    await settled(el);
    const afterReattach = counter.active;
    provider.remove();
    return {
      whileMounted,
      once,
      afterReattach,
      afterRemoval: counter.active,
      subscribed: counter.subscribed,
      unsubscribed: counter.unsubscribed,
    };
  } finally {
    counter.restore();
  }
}
