import { aTimeout, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/jivo-widget.js';
import type { JivoWidget } from '../../src/components/widget/widget.js';
import { visible } from './visible.js';

export { visible };

// A whole <jivo-widget> on the test page, for tests of what a visitor meets there (focus, announcements, colours).

let seq = 0;

/** A widget id of its own for each mount, under `prefix` (clearStored removes what it stored). */
export const uniqueId = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++seq}`;

/** Puts a widget on the page, in a wrapper after `before` and before `after` (page content), and waits for jivo-load. */
export async function mountWidget(
  prefix: string,
  attrs: Record<string, string> = {},
  page: { before?: ReturnType<typeof html>; after?: ReturnType<typeof html> } = {},
): Promise<JivoWidget> {
  const wrapper = await fixture(html`<div>${page.before ?? ''}<div class="slot"></div>${page.after ?? ''}</div>`);
  const el = document.createElement('jivo-widget');
  el.setAttribute('widget-id', uniqueId(prefix));
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
  const loaded = oneEvent(el, 'jivo-load');
  wrapper.querySelector('.slot')!.append(el);
  await loaded;
  await settled(el);
  return el;
}

/** Waits until the widget and every element inside it have rendered. */
export async function settled(el: Element): Promise<void> {
  for (let pass = 0; pass < 3; pass++) {
    const pending: Promise<unknown>[] = [];
    const visit = (root: Element | ShadowRoot) => {
      for (const child of root.querySelectorAll('*')) {
        if ('updateComplete' in child) pending.push((child as JivoWidget).updateComplete);
        if (child.shadowRoot) visit(child.shadowRoot);
      }
    };
    pending.push((el as JivoWidget).updateComplete);
    visit(el.shadowRoot!);
    await Promise.all(pending);
  }
  await aTimeout(0);
}

/** Removes what widgets mounted under `prefix` stored in the browser. */
export function clearStored(prefix: string): void {
  for (const key of Object.keys(localStorage))
    if (key.startsWith(`jivo-widget:${prefix}-`)) localStorage.removeItem(key);
}

/** The element that has focus, looking through shadow roots. */
export function deepActive(): Element | null {
  let active: Element | null = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

/** A real Shift+Tab key press. */
export async function shiftTab(): Promise<void> {
  await sendKeys({ down: 'Shift' });
  await sendKeys({ press: 'Tab' });
  await sendKeys({ up: 'Shift' });
}

export const launcherButton = (el: Element) =>
  el.shadowRoot!.querySelector('jivo-launcher')?.shadowRoot!.querySelector('button') ?? null;
/** The chat window as the visitor sees it: the element while it shows, else null. */
export const chatWindow = (el: Element) => {
  const shown = el.shadowRoot!.querySelector('jivo-chat-window');
  return visible(shown) ? shown : null;
};
/** Opens the widget's window and waits until it is on the page (its title rendered) and settled. */
export async function openWindow(el: Element & { open(): unknown }): Promise<void> {
  el.open();
  await waitUntil(() => chatWindow(el)?.shadowRoot?.querySelector('#title'), 'the window did not open');
  await settled(el);
}

/** An element inside the chat window's shadow root. */
export const inWindow = <T extends Element = HTMLElement>(el: Element, selector: string) =>
  chatWindow(el)!.shadowRoot!.querySelector<T>(selector)!;

/**
 * Runs `action` as the visitor's own request: from the click of a page button that the visitor presses with a real
 * Enter key (a script's call on its own does not move focus into the widget).
 */
export async function asVisitor(action: () => unknown): Promise<void> {
  const button = document.createElement('button');
  button.textContent = 'Contact us';
  button.addEventListener('click', () => action(), { once: true });
  document.body.append(button);
  button.focus();
  await sendKeys({ press: 'Enter' });
  button.remove();
}
