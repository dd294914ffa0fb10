import { consume } from '@lit/context';
import { LitElement } from 'lit';
import { state } from 'lit/decorators/state.js';
import type { Catalog } from '../../i18n/catalog.js';
import type { Locale } from '../../i18n/languages.js';
import type { WidgetStore } from '../../state/store.js';
import type { WidgetState } from '../../state/types.js';
import { storeContext } from './context.js';
import { SelectController } from './select-controller.js';

/**
 * Base of the subcomponents: receives the widget's store from `<jivo-widget>` through context and offers `select()`
 * to mirror a slice of it into a plain field, plus the widget's language. The launcher builds on this alone; the
 * window's elements on `StoreElement`, which adds their strings.
 */
export class StoreBase extends LitElement {
  /** @internal */
  @consume({ context: storeContext, subscribe: true })
  @state()
  store?: WidgetStore;

  readonly #locale = this.select((s) => s.locale, 'en' as Locale);
  readonly #catalog = this.select((s) => s.catalog, null as Catalog | null);
  readonly #texts = this.select((s) => s.texts, null as unknown);

  /** @internal */
  protected get locale(): Locale {
    return this.#locale.value;
  }

  /** The language, its catalogue and the site's texts. @internal */
  protected get language() {
    return { locale: this.#locale.value, catalog: this.#catalog.value, texts: this.#texts.value };
  }

  /** Mirrors a slice of the store into a controller's `value`. @internal */
  protected select<T>(selector: (state: WidgetState) => T, initial: T): SelectController<T> {
    return new SelectController(this, selector, initial);
  }
}
