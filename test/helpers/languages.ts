import { loadCatalog } from '../../src/i18n/load-catalog.js';
import type { Locale } from '../../src/i18n/languages.js';
import type { WidgetStore } from '../../src/state/store.js';

/** Makes the store speak `locale`, with its catalogue loaded as the widget loads it (its own chunk). */
export async function speak(store: WidgetStore, locale: Locale): Promise<void> {
  store.setLocale(locale, await loadCatalog(locale));
}
