import type { ReactiveController } from 'lit';
import { normalizeHex, readableBackground, readableTextOn } from '../../../internal/color.js';
import { loadedParts } from '../parts.js';
import type { WidgetHost } from './host.js';

/**
 * What the widget sets on its root from outside its styles: the colours of the `color`/`color2` attributes, and, while
 * the window fills a small screen, the visual viewport (which shrinks when the on-screen keyboard opens). They go
 * through the CSSOM, which a strict Content-Security-Policy allows; a `style` attribute in markup would be blocked.
 */
export class ViewportController implements ReactiveController {
  readonly #host: WidgetHost;
  /** The colour attributes last applied. */
  #colors = '';
  /** Stops following the visual viewport; set while following. */
  #unfollow?: () => void;

  constructor(host: WidgetHost) {
    this.#host = host;
    host.addController(this);
  }

  get #root(): HTMLElement | null {
    return this.#host.renderRoot.querySelector<HTMLElement>('.root');
  }

  hostUpdated(): void {
    const colors = `${this.#host.color ?? ''} ${this.#host.color2 ?? ''}`;
    if (colors !== this.#colors) {
      this.#colors = colors;
      this.#applyColors();
    }
  }

  hostDisconnected(): void {
    this.follow(false);
  }

  /**
   * Starts or stops following the visual viewport (the window chunk's `followViewport`: only an open window, which
   * comes with that chunk, follows it).
   */
  follow(on: boolean): void {
    this.#unfollow?.();
    this.#unfollow = undefined;
    const root = this.#root;
    if (on && root) this.#unfollow = loadedParts()?.followViewport(root);
  }

  /**
   * Sets the custom properties that the colour attributes supply (invalid colours supply nothing). Text on the accent
   * is black or white, whichever reads better on both ends of a gradient; where neither reaches 4.5:1 on an end (a
   * yellow-to-navy gradient), that end is lightened or darkened just enough, and the page's console says so.
   */
  #applyColors(): void {
    const root = this.#root!;
    const color = normalizeHex(this.#host.color);
    const color2 = color && normalizeHex(this.#host.color2);
    const text = color && (color2 ? readableTextOn(color, color2) : readableTextOn(color));
    const from = color && readableBackground(color, text!);
    const to = color2 && readableBackground(color2, text!);
    if (from !== color || to !== color2) {
      console.warn(`jivo-widget: gradient ${color}→${color2} shown as ${from}→${to} so that its text reaches 4.5:1`);
    }
    const tokens: Record<string, string | null> = {
      '--jivo-_attr-accent': color,
      '--jivo-_attr-accent-bg': to ? `linear-gradient(135deg, ${from}, ${to})` : color,
      '--jivo-_attr-on-accent': text,
    };
    for (const [name, value] of Object.entries(tokens)) {
      if (value) root.style.setProperty(name, value);
      else root.style.removeProperty(name);
    }
  }
}
