import type { PluralForms } from './catalog.js';

/**
 * The languages the widget speaks. Each is `launcher/<code>.ts` (the launcher's strings) and `locales/<code>.ts` (all of
 * its strings, the launcher's included), a chunk of its own fetched only on pages in that language; English's are built
 * in. Adding a language is its two files and its code here; the tests (test/i18n/) check every language listed.
 */
export const LOCALES = ['en', 'ru', 'uk', 'de', 'fr', 'es', 'pt', 'it', 'pl', 'tr', 'ar', 'he'] as const;

/** A language the widget speaks: its code, lower case, without a region. */
export type Locale = (typeof LOCALES)[number];

/** The language a tag names (`pt-BR` → `pt`, `iw` → `he`), if the widget speaks it. */
export function localeOf(tag: string | null | undefined): Locale | null {
  const base = tag?.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  // Java and old Android still say `iw` for Hebrew.
  const code = base === 'iw' ? 'he' : base;
  return (LOCALES as readonly string[]).includes(code) ? (code as Locale) : null;
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
