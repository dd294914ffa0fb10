import { fail, ok, type ApiResult } from './result.js';
import { callPage } from './callbacks.js';
import type { JivoApi, JivoApiMethods, JivoApiTarget } from './types.js';
import { API_METHODS, unavailable } from './unavailable.js';

const NOT_ON_PAGE = 'The widget is not on the page (it was destroyed, or has not loaded yet)';
const INSTALLED = Symbol.for('jivo-widget.api');

interface Template {
  attributes: Array<[string, string]>;
  parent: Node | null;
  next: Node | null;
}

/** How a loaded widget's events reach the page's callbacks: `mirror.ts`, which the window chunk provides. */
let mirror: typeof import('./mirror.js').mirrorCallbacks | undefined;

/** The window chunk gives the bridge its way of mirroring a widget's events to the page (see `mirror`). */
export function provideMirror(fn: NonNullable<typeof mirror>): void {
  mirror = fn;
}

/**
 * The bridge between the page and its widget: `window.jivo_api`, the global `jivo_init`/`jivo_destroy`, and the
 * `jivo_on*` callbacks. It serves one widget, the primary: the first `<jivo-widget>` that loads on the page. Other
 * widgets still fire their DOM events but do not call the page's global callbacks.
 */
export class JivoApiBridge {
  readonly #win: Window;
  /** What a call answers when there is no widget to act on. */
  readonly #reason: string;
  #primary: JivoApiTarget | null = null;
  #template: Template | null = null;
  /** Set by `destroy()` until `init()` or a new widget loads: other widgets on the page are not "the widget". */
  #destroyed = false;
  readonly #detach = new Map<JivoApiTarget, () => void>();

  constructor(win: Window, reason?: string) {
    this.#win = win;
    this.#reason = reason ?? NOT_ON_PAGE;
    win.document.addEventListener('jivo-load', this.#onLoad);
  }

  readonly #onLoad = (event: Event): void => {
    // The widget itself, not the shadow host that `event.target` is retargeted to when it lives in a shadow root.
    const widget = event.composedPath()[0] as JivoApiTarget;
    // `init()` makes its new widget the primary before it loads.
    if (this.#primary?.isConnected && this.#primary !== widget) return;
    this.#primary = widget;
    this.#destroyed = false;
    this.#listen(widget);
    callPage(this.#win, 'jivo_onLoadCallback');
  };

  #listen(widget: JivoApiTarget): void {
    this.#detach.set(widget, mirror?.(this.#win, widget, () => this.#forget(widget)) ?? (() => {}));
  }

  #forget(widget: JivoApiTarget): void {
    this.#detach.get(widget)?.();
    this.#detach.delete(widget);
    if (this.#primary === widget) this.#primary = null;
  }

  /**
   * The widget the API acts on: the primary if it is on the page, else (unless the page destroyed it and has not called
   * `init()` since) the first defined one in the document.
   */
  #target(): JivoApiTarget | null {
    if (this.#primary?.isConnected) return this.#primary;
    if (this.#destroyed) return null;
    const found = this.#win.document.querySelector('jivo-widget');
    return found && typeof (found as Partial<JivoApiTarget>).open === 'function' ? (found as JivoApiTarget) : null;
  }

  #call<T>(run: (widget: JivoApiTarget) => T, fallback: () => T): T {
    const widget = this.#target();
    if (!widget) return fallback();
    try {
      return run(widget);
    } catch (error) {
      // Never throw into the page: an unexpected failure is logged and reported as a result.
      console.error('jivo-widget: an API call failed', error);
      return fallback();
    }
  }

  /** Removes the primary widget, remembering where it was and how it was configured for `init()`. */
  destroy(): ApiResult {
    const widget = this.#target();
    if (!widget) return this.#fail();
    this.#template = {
      attributes: widget.getAttributeNames().map((name) => [name, widget.getAttribute(name) ?? '']),
      parent: widget.parentNode,
      next: widget.nextSibling,
    };
    widget.remove();
    this.#destroyed = true;
    return ok();
  }

  /** Creates the widget again: where the last one was and as it was configured, or at the end of `<body>`. */
  init(): ApiResult {
    // A widget cannot run on this page at all.
    if (this.#reason !== NOT_ON_PAGE) return this.#fail();
    if (this.#target()) this.destroy();
    const doc = this.#win.document;
    const widget = doc.createElement('jivo-widget');
    const template = this.#template;
    for (const [name, value] of template?.attributes ?? []) widget.setAttribute(name, value);
    const parent = template?.parent?.isConnected ? template.parent : doc.body;
    if (!parent) return fail('The page has no <body> yet');
    parent.insertBefore(widget, template?.next?.parentNode === parent ? template.next : null);
    this.#primary = widget;
    this.#destroyed = false;
    return ok();
  }

  readonly #fail = (): ApiResult => fail(this.#reason);

  readonly api: JivoApi = {
    // Each method forwards to the widget, or answers as `unavailable` says when there is none.
    ...(Object.fromEntries(
      API_METHODS.map((name) => [
        name,
        (...args: unknown[]) =>
          this.#call(
            (w) => (w[name] as (...a: unknown[]) => unknown)(...args),
            () => unavailable(name, this.#reason, args),
          ),
      ]),
    ) as unknown as JivoApiMethods),
    jivoInit: () => this.init(),
    jivoDestroy: () => this.destroy(),
  };
}

/**
 * Installs `window.jivo_api`, `window.jivo_init` and `window.jivo_destroy` once per page. A second copy of the script
 * finds the first one's bridge and leaves it in place, so both copies' widgets are served by one bridge. With
 * `unavailable`, the widget cannot run on this page (the bundle's entry says when): every call fails with that reason,
 * so that site code calling the API still gets an answer rather than an error.
 */
export function installJivoApi(win: Window = window, unavailable?: string): JivoApi {
  const existing = (win as unknown as Record<symbol, JivoApiBridge | undefined>)[INSTALLED];
  if (existing) return existing.api;
  const bridge = new JivoApiBridge(win, unavailable);
  Object.defineProperty(win, INSTALLED, { value: bridge });
  if (win.jivo_api)
    console.warn('jivo-widget: replacing an existing window.jivo_api (is another chat script on the page?)');
  win.jivo_api = bridge.api;
  win.jivo_init = () => bridge.init();
  win.jivo_destroy = () => bridge.destroy();
  return bridge.api;
}
