import { consume } from '@lit/context';
import { LitElement } from 'lit';
import { state } from 'lit/decorators/state.js';
import { strings, type Strings } from '../../i18n/index.js';
import type { WidgetStore } from '../../state/store.js';
import type { WidgetState } from '../../state/types.js';
import { storeContext } from './context.js';
import { SelectController } from './select-controller.js';

/**
 * Base of the subcomponents: receives the widget's store from `<jivo-widget>` through context and offers `select()`
 * to mirror a slice of it into a plain field, plus the strings of the current locale.
 */
export class StoreElement extends LitElement {
  /** @internal */
  @consume({ context: storeContext, subscribe: true })
  @state()
  store?: WidgetStore;

  readonly #locale = this.select((s) => s.locale, 'en');

  /** The strings of the widget's current language.
   * @internal */
  protected get t(): Strings {
    return strings(this.#locale.value);
  }

  /** @internal */
  protected get locale() {
    return this.#locale.value;
  }

  /** Mirrors a slice of the store into a controller's `value`. @internal */
  protected select<T>(selector: (state: WidgetState) => T, initial: T): SelectController<T> {
    return new SelectController(this, selector, initial);
  }
}
