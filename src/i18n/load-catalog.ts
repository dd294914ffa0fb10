import type { Catalog } from './catalog.js';
import { fetchCatalog } from './fetch-catalog.js';
import type { Locale } from './languages.js';

/** How long a language's chunk may take before the widget goes on in English, ms. */
export const CATALOG_TIMEOUT = 10_000;

const loading = new Map<Locale, Promise<Catalog | null>>();

/**
 * Loads a language's catalogue, once: null for English (built into the window), and null, with a warning, when the
 * chunk fails or takes longer than CATALOG_TIMEOUT; a failed language is tried again on the next call.
 */
export function loadCatalog(locale: Locale): Promise<Catalog | null> {
  if (locale === 'en') return Promise.resolve(null);
  let promise = loading.get(locale);
  if (!promise) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer in ${CATALOG_TIMEOUT / 1000} s`)), CATALOG_TIMEOUT);
    });
    promise = Promise.race([fetchCatalog(locale), late]).then(
      (module) => {
        clearTimeout(timer);
        return module.default;
      },
      (error: unknown) => {
        clearTimeout(timer);
        loading.delete(locale);
        console.warn(`jivo-widget: the ${locale} texts could not be loaded; showing English`, error);
        return null;
      },
    );
    loading.set(locale, promise);
  }
  return promise;
}
