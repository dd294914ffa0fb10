import { en } from './en.js';
import { ru } from './ru.js';
import type { Locale, Strings } from './strings.js';

export type { Locale, Strings } from './strings.js';

const catalogs: Record<Locale, Strings> = { en, ru };

/** The locales the widget ships, in the order they are tried. */
export const LOCALES = Object.keys(catalogs) as Locale[];

/**
 * Picks the first supported locale among the candidates (`'ru-RU'` matches `ru`), else English.
 * Empty, null or unknown candidates are skipped, so a bad `lang` attribute falls through to the page's.
 */
export function resolveLocale(...candidates: Array<string | null | undefined>): Locale {
  for (const candidate of candidates) {
    const base = candidate?.trim().toLowerCase().split(/[-_]/)[0];
    if (base && (LOCALES as string[]).includes(base)) return base as Locale;
  }
  return 'en';
}

export function strings(locale: Locale): Strings {
  return catalogs[locale];
}

/** Replaces `{name}` placeholders; unknown placeholders are left as they are. */
export function format(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}

const pluralRules = new Map<Locale, Intl.PluralRules>();

/** The plural phrase for `count` in `locale`, e.g. `, 3 unread messages`; empty for zero. */
export function unreadPhrase(locale: Locale, count: number): string {
  if (count <= 0) return '';
  let rules = pluralRules.get(locale);
  if (!rules) pluralRules.set(locale, (rules = new Intl.PluralRules(locale)));
  const forms = catalogs[locale].unread;
  return format(forms[rules.select(count)] ?? forms.other, { count });
}
