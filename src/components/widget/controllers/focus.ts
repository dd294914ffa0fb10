import type { LitElement } from 'lit';
import { pairwise, type Subscription } from 'rxjs';
import type { WidgetStore } from '../../../state/store.js';
import { FULL_VIEWS, OPEN_VIEWS, type WidgetView } from '../../../state/types.js';
import type { WidgetHost } from './host.js';

/** Where the window fills the screen (widget.styles.ts): there it is a modal dialog. */
const SMALL_SCREEN = '(max-width: 479.98px)';

/**
 * True while the page handles the visitor's own click or key press: a site's "Chat with us" button that calls
 * `jivo_api.open()`. A timer, a trigger rule or a script on its own has no such event.
 */
function visitorGesture(): boolean {
  // window.event is the event being dispatched to a listener in the document, undefined outside one.
  const event = (window as { event?: Event }).event;
  return !!event?.isTrusted && /^(click|key|pointer|mouse|touch)/.test(event.type);
}

/**
 * The control of the visitor's click or key press that runs now, if any: what opened the window from the page when it
 * took no focus (Safari and Firefox on macOS do not focus a button on click), so that focus can go back to it.
 */
function gestureControl(): HTMLElement | null {
  const target = visitorGesture() && (window as { event?: Event }).event!.composedPath()[0];
  const control = target instanceof Element && target.closest('button, a[href], input, select, summary, [tabindex]');
  return control instanceof HTMLElement ? control : null;
}

/** The element that has focus, looking through shadow roots; null for none (the body). */
function deepActiveElement(): HTMLElement | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active instanceof HTMLElement && active !== document.body ? active : null;
}

/**
 * Where focus goes as the window opens and closes, and the window as a modal dialog where it fills the screen.
 *
 * - Focus moves into the window only when the visitor asked: the launcher, a control of the widget, or a page control
 *   the visitor clicked or pressed. An invitation, a trigger rule or a script leaves focus where it is, so nothing
 *   typed into the page goes into the widget.
 * - Closing with focus inside returns it to what opened the window (what had focus, or the page control the visitor
 *   clicked), when that is still on the page and focusable, else to the launcher (with `launcher="none"`, the site's
 *   own button is what opened it). A page control that opens the window (or the menu) again while it is open moves
 *   focus back into it, and becomes what focus returns to.
 * - Under 480 px, once focus is in the window, the rest of the page is `inert` and the dialog `aria-modal`, so Tab
 *   cannot reach page controls hidden behind it; closing, or a wider screen, gives the page back.
 * - Wider, the window is not modal and may cover page controls: Escape on a page control under it minimizes it, and
 *   focus stays on the control, now in view (unless the page handled that Escape itself).
 *
 * Loaded with the window chunk; `stop()` undoes everything.
 */
export class FocusKeeper {
  readonly #host: WidgetHost;
  readonly #store: WidgetStore;
  readonly #subscription: Subscription;
  // Not in every DOM (jsdom has no matchMedia): without it the screen counts as wide, and the window is never modal.
  readonly #media = window.matchMedia?.(SMALL_SCREEN);
  /** What had focus on the page when the window opened. */
  #opener: HTMLElement | null = null;
  #modal = false;
  /** The page elements made inert (and only those: the page may have inert elements of its own). */
  #inerted: Element[] = [];

  constructor(host: WidgetHost, store: WidgetStore) {
    this.#host = host;
    this.#store = store;
    this.#subscription = store
      .select((s) => s.view)
      .pipe(pairwise())
      .subscribe(([prev, next]) => this.#onViewChange(prev, next));
    this.#subscription.add(
      store.events$.subscribe((event) => {
        // A page button that opens the chat, pressed again while it is open: focus goes back into the window.
        if (event.type === 'reopen' && event.by === 'api' && visitorGesture() && !host.matches(':focus-within')) {
          this.#opener = deepActiveElement();
          void this.#moveFocus(store.state.view, true);
        }
      }),
    );
    this.#media?.addEventListener('change', this.#updateModal);
    host.addEventListener('focusin', this.#updateModal);
    document.addEventListener('keydown', this.#onPageKeyDown);
    // The visitor may have pressed the launcher before this module loaded.
    const state = store.state;
    if (OPEN_VIEWS.has(state.view) && state.openedBy === 'visitor') void this.#moveFocus(state.view, true);
  }

  stop(): void {
    this.#subscription.unsubscribe();
    this.#media?.removeEventListener('change', this.#updateModal);
    this.#host.removeEventListener('focusin', this.#updateModal);
    document.removeEventListener('keydown', this.#onPageKeyDown);
    this.#setModal(false);
  }

  #onViewChange(prev: WidgetView, next: WidgetView): void {
    const host = this.#host;
    const wasOpen = OPEN_VIEWS.has(prev);
    const isOpen = OPEN_VIEWS.has(next);
    const focusInside = host.matches(':focus-within');
    if (!wasOpen && isOpen) this.#opener = focusInside ? null : (deepActiveElement() ?? gestureControl());
    const openedBy = this.#store.state.openedBy;
    const requested = openedBy === 'visitor' || (openedBy === 'api' && visitorGesture());
    if (!isOpen) this.#setModal(false);
    if (isOpen && requested) void this.#moveFocus(next, true);
    else if (!isOpen && focusInside) void this.#moveFocus(next, false);
    else this.#updateModal();
  }

  async #moveFocus(view: WidgetView, into: boolean): Promise<void> {
    const host = this.#host;
    await host.updateComplete;
    if (this.#store.state.view !== view) return;
    const opener = this.#opener;
    const target = into
      ? host.renderRoot.querySelector<HTMLElement>(FULL_VIEWS.has(view) ? 'jivo-chat-window' : 'jivo-mobile-menu')
      : opener?.isConnected && !opener.closest('[inert]')
        ? opener
        : host.renderRoot.querySelector<HTMLElement>('jivo-launcher');
    if (target && 'updateComplete' in target) await (target as unknown as LitElement).updateComplete;
    target?.focus();
    if (!into) this.#opener = null;
    this.#updateModal();
  }

  readonly #onPageKeyDown = (event: KeyboardEvent): void => {
    // The window's own Escape has been handled by the time the key press reaches the document.
    if (event.key !== 'Escape' || event.defaultPrevented || event.isComposing) return;
    const host = this.#host;
    const active = deepActiveElement();
    if (!active || !OPEN_VIEWS.has(this.#store.state.view) || event.composedPath().includes(host)) return;
    const a = active.getBoundingClientRect();
    const w = host.renderRoot.querySelector('.root')!.getBoundingClientRect();
    if (a.right > w.left && a.left < w.right && a.bottom > w.top && a.top < w.bottom) this.#store.minimize();
  };

  /** Modal while the window fills a small screen and focus is in it (or it already was modal). */
  readonly #updateModal = (): void => {
    const host = this.#host;
    const full = FULL_VIEWS.has(this.#store.state.view);
    this.#setModal(full && !!this.#media?.matches && (this.#modal || host.matches(':focus-within')));
  };

  #setModal(on: boolean): void {
    const dialog = this.#host.renderRoot.querySelector('jivo-chat-window');
    if (on) dialog?.setAttribute('modal', '');
    else dialog?.removeAttribute('modal');
    if (on === this.#modal) return;
    this.#modal = on;
    if (!on) {
      for (const element of this.#inerted) element.removeAttribute('inert');
      this.#inerted = [];
      return;
    }
    // Every sibling of the widget and of each of its ancestors up to <body>, across shadow roots the widget is in.
    for (let node: Element = this.#host; node !== document.body;) {
      const parent = node.parentElement ?? ((node.getRootNode() as ShadowRoot).host as Element | undefined);
      if (!parent) break;
      for (const sibling of (node.parentNode as ParentNode).children) {
        if (sibling === node || sibling.hasAttribute('inert') || /^(SCRIPT|STYLE|LINK)$/.test(sibling.tagName))
          continue;
        sibling.setAttribute('inert', '');
        this.#inerted.push(sibling);
      }
      node = parent;
    }
  }
}
