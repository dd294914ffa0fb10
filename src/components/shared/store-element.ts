import type { Strings } from '../../i18n/catalog.js';
import { stringsOf } from '../../i18n/strings.js';
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
}
