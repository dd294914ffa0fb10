import type { ReactiveController } from 'lit';
import { isRtl, resolveLocale, type Locale } from '../../../i18n/languages.js';
import { loadCatalog } from '../../../i18n/load-catalog.js';
import type { WidgetStore } from '../../../state/store.js';
import type { WidgetHost } from './host.js';

type Carried = Pick<WidgetHost, 'lang'> & { readonly texts?: unknown };

/** How long the launcher waits at start-up for its language's chunk before it shows in English meanwhile, ms. */
export const LAUNCHER_WAIT = 3_000;

/**
 * The widget's language and direction, kept in the store. The language is the element's `lang` if the widget speaks
 * it, else the page's `<html lang>`, else the browser's languages in order (`pt-BR` speaks `pt`), else English; the
 * direction is the element's `dir`, else right to left for Arabic and Hebrew, else the page's `dir`. Both follow
 * changes of these attributes while the page is open (a page switching language); the browser's languages are read
 * again then.
 *
 * Any language but English has its catalogue, the launcher's strings included, in a chunk of its own, fetched as the
 * widget connects. At start-up the launcher waits for it, so that it never shows in English first; if it takes longer
 * than LAUNCHER_WAIT the widget speaks English meanwhile. Later changes switch once the new chunk is there. A chunk
 * that fails or takes longer than CATALOG_TIMEOUT leaves the widget in English.
 */
export class LanguageController implements ReactiveController {
  readonly #host: WidgetHost & Carried;
  readonly #store: WidgetStore;
  #observer?: MutationObserver;
  #wanted?: Locale;
  /** Counts the switches asked for, so that a chunk arriving late does not undo a newer switch. */
  #switches = 0;
  #lastTexts?: unknown;
  /** Set while the launcher waits at start-up for its language's chunk: shows it in English after LAUNCHER_WAIT. */
  #meanwhile?: ReturnType<typeof setTimeout>;

  constructor(host: WidgetHost & Carried, store: WidgetStore) {
    this.#host = host;
    this.#store = store;
    host.addController(this);
  }

  hostConnected(): void {
    const attributeFilter = ['lang', 'dir'];
    this.#observer = new MutationObserver(this.#follow);
    this.#observer.observe(this.#host, { attributeFilter });
    this.#observer.observe(document.documentElement, { attributeFilter });
    this.#follow();
  }

  hostDisconnected(): void {
    clearTimeout(this.#meanwhile);
    this.#meanwhile = undefined;
    this.#observer?.disconnect();
    this.#wanted = undefined;
    this.#switches++;
  }

  hostUpdate(): void {
    const { texts } = this.#host;
    if (texts !== this.#lastTexts) this.#store.setTexts((this.#lastTexts = texts) ?? null);
  }

  readonly #follow = (): void => {
    const wanted = resolveLocale(this.#host.lang, document.documentElement.lang, ...navigator.languages);
    if (wanted !== this.#wanted) {
      const store = this.#store;
      const switchNo = ++this.#switches;
      if (wanted === 'en') store.setLocale(wanted);
      else {
        // At start-up nothing shows until the chunk is there (or English after LAUNCHER_WAIT); later the switch waits.
        if (!this.#wanted) {
          store.setLocale(wanted, null, true);
          this.#meanwhile = setTimeout(() => {
            this.#meanwhile = undefined;
            if (switchNo !== this.#switches || !store.state.catalogLoading) return;
            store.setLocale('en');
            this.#direct();
          }, LAUNCHER_WAIT);
        }
        void loadCatalog(wanted).then((loaded) => {
          if (switchNo !== this.#switches) return;
          clearTimeout(this.#meanwhile);
          this.#meanwhile = undefined;
          store.setLocale(loaded ? wanted : 'en', loaded);
          this.#direct();
        });
      }
      this.#wanted = wanted;
    }
    this.#direct();
  };

  /**
   * Sets the direction: the element's `dir`, else right to left for a language written so, or on a page whose `dir`
   * says so, else none (the page's, inherited, which its CSS may set too).
   */
  #direct(): void {
    const own = this.#host.dir;
    const rtl = isRtl(this.#store.state.locale) || document.documentElement.dir === 'rtl';
    this.#store.setDir(own === 'rtl' || own === 'ltr' ? own : rtl ? 'rtl' : null);
  }
}
