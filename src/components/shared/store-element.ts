import type { Strings } from '../../i18n/catalog.js';
import { stringsOf } from '../../i18n/strings.js';
import { OPEN_VIEWS } from '../../state/types.js';
import { StoreBase } from './store-base.js';

/**
 * Base of the window's elements: `StoreBase` with the strings of the widget's language (English where it has no
 * catalogue loaded), with the site's texts over them. Not for the launcher: this brings the English catalogue along.
 */
export class StoreElement extends StoreBase {
  /** The strings of the widget's current language.
   * @internal */
  protected get t(): Strings {
    return stringsOf(this.language);
  }

  /**
   * While the widget is closed, its window is rendered ahead of opening, when the page is idle (`<jivo-widget>`): each
   * element's first render then waits for a task of its own, so that none of them, nor all of them together, holds up
   * the page for long. Open, they render at once.
   * @internal
   */
  protected override scheduleUpdate(): void | Promise<unknown> {
    const view = this.store?.state.view;
    if (this.hasUpdated || !view || OPEN_VIEWS.has(view)) return super.scheduleUpdate();
    return new Promise((resolve) => setTimeout(resolve)).then(() => super.scheduleUpdate());
  }
}
