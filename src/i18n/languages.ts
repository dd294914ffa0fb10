import type { LauncherStrings, PluralForms } from './catalog.js';
import { ar } from './launcher/ar.js';
import { de } from './launcher/de.js';
import { en } from './launcher/en.js';
import { es } from './launcher/es.js';
import { fr } from './launcher/fr.js';
import { he } from './launcher/he.js';
import { it } from './launcher/it.js';
import { pl } from './launcher/pl.js';
import { pt } from './launcher/pt.js';
import { ru } from './launcher/ru.js';
import { tr } from './launcher/tr.js';
import { uk } from './launcher/uk.js';

/**
 * The languages the widget speaks, each with its launcher's strings, which ship with the launcher. The rest of a
 * language is `locales/<code>.ts`, its own chunk, fetched only on pages in that language. Adding a language is its two
 * files, the import of its launcher strings and its line here; the tests (test/i18n/) check every language listed.
 */
export const LAUNCHER_STRINGS = {
  en,
  ru,
  uk,
  de,
  fr,
  es,
  pt,
  it,
  pl,
  tr,
  ar,
  he,
} satisfies Record<string, LauncherStrings>;

/** A language the widget speaks: its code, lower case, without a region. */
export type Locale = keyof typeof LAUNCHER_STRINGS;

/** The languages, in the table's order. */
export const LOCALES = /* @__PURE__ */ Object.keys(LAUNCHER_STRINGS) as Locale[];

/** The language a tag names (`pt-BR` → `pt`, `iw` → `he`), if the widget speaks it. */
export function localeOf(tag: string | null | undefined): Locale | null {
  const base = tag?.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  // Java and old Android still say `iw` for Hebrew.
  const code = base === 'iw' ? 'he' : base;
  return code in LAUNCHER_STRINGS ? (code as Locale) : null;
}

/**
 * The first candidate the widget speaks (`'ru-RU'` matches `ru`), else English. Empty, null or unknown candidates are
 * skipped, so a bad `lang` attribute falls through to the page's, then to the browser's.
 */
export function resolveLocale(...candidates: Array<string | null | undefined>): Locale {
  for (const candidate of candidates) {
    const locale = localeOf(candidate);
    if (locale) return locale;
  }
  return 'en';
}

/** Whether a language of the table is written right to left: the widget mirrors for it. */
export const isRtl = (locale: Locale): boolean => locale === 'ar' || locale === 'he';

/** Replaces `{name}` placeholders; unknown placeholders are left as they are. */
export function format(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}

/** The form of `forms` for `count` in `locale`, with `{count}` filled in. */
export const plural = (locale: string, forms: PluralForms, count: number): string =>
  format(forms[new Intl.PluralRules(locale).select(count)] ?? forms.other, { count });
