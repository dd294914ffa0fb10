/**
 * The strings the window's elements read: the language's catalogue (English, built in, when it has none loaded), and
 * the site's `texts` over it. Only the window chunk imports this module, with the English catalogue; the launcher reads
 * the catalogue or `launcher/en.ts` itself.
 */
import type { Catalog, SiteStrings, Strings } from './catalog.js';
import type { Locale } from './languages.js';
import en from './locales/en.js';
import { MAX_TEXT_LENGTH, overlay } from './texts.js';

/** The language part of the widget's state. */
export interface LanguageState {
  readonly locale: Locale;
  readonly catalog: Catalog | null;
  readonly texts: unknown;
}

/** The English catalogue: the fallback of every language, and the shape a site's texts are checked against. */
export const EN_CATALOG: Catalog = en;

const warned = new WeakSet<object>();
let last: { locale: Locale; catalog: Catalog | null; texts: unknown; strings: Strings } | undefined;

/** The strings of a state, made once for each language, catalogue and texts (elements ask on every render). */
export function stringsOf({ locale, catalog, texts }: LanguageState): Strings {
  if (last && last.locale === locale && last.catalog === catalog && last.texts === texts) return last.strings;
  if (typeof texts === 'object' && texts !== null && !warned.has(texts)) {
    warned.add(texts);
    const problems = textsProblems(texts, en);
    if (problems.length) console.warn(`jivo-widget: texts: ${problems.join('; ')}; ignored`);
  }
  const strings = overlay<Strings>(catalog ?? en, texts);
  last = { locale, catalog, texts, strings };
  return strings;
}

const formats = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => T): T {
  let f = formats.get(key);
  if (!f) formats.set(key, (f = make()));
  return f as T;
}

/** A message's time of day in the language (`14:05`, `2:05 PM`). */
export const formatTime = (locale: string, at: number): string =>
  cached(`t${locale}`, () => new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' })).format(at);

/** A file size in the language's words and digits: `512 bytes`, `24 kB`, `1,5 MB` (units of 1024 bytes). */
export function formatSize(locale: string, bytes: number): string {
  const [value, unit] =
    bytes < 1024
      ? [bytes, 'byte']
      : bytes < 1024 * 1024
        ? [bytes / 1024, 'kilobyte']
        : [bytes / 1024 / 1024, 'megabyte'];
  const digits = unit === 'megabyte' && value < 10 ? 1 : 0;
  return cached(
    `s${locale}${unit}${digits}`,
    () =>
      new Intl.NumberFormat(locale, {
        style: 'unit',
        unit,
        // "25 bytes" (the short form says "25 byte" in English), "24 kB", "1.5 MB".
        unitDisplay: unit === 'byte' ? 'long' : 'short',
        maximumFractionDigits: digits,
        minimumFractionDigits: digits,
      }),
  ).format(value);
}

const sameDay = (a: Date, b: Date) =>
  a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();

/**
 * When the team is back, in the visitor's language and own time zone (the runtime's): "today at 09:00", "tomorrow at
 * 09:00", or the weekday and date with the time. `next` null: no opening ahead. `timeZone` only for tests.
 */
export function backAt(t: SiteStrings, locale: string, next: number | null, now: number, timeZone?: string): string {
  if (next === null) return t.away;
  const zone = timeZone ? { timeZone } : {};
  const time = new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit', ...zone }).format(next);
  // Calendar days in that zone: compare the dates as the zone shows them.
  const day = (at: number) => {
    const parts = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', ...zone })
      .format(at)
      .split('-')
      .map(Number);
    return new Date(parts[0], parts[1] - 1, parts[2]);
  };
  const opening = day(next);
  const today = day(now);
  if (sameDay(opening, today)) return t.backToday.replace('{time}', time);
  const tomorrow = new Date(today.getFullYear(), today.getMonth(), today.getDate() + 1);
  if (sameDay(opening, tomorrow)) return t.backTomorrow.replace('{time}', time);
  const date = new Intl.DateTimeFormat(locale, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: 'numeric',
    minute: '2-digit',
    ...zone,
  }).format(next);
  return t.backOn.replace('{date}', date);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * (Here, in the window chunk, rather than beside `overlay`, which the launcher carries.) What is wrong with a site's texts against the English shape `shape`: unknown keys, values that are not strings,
 * values cut for length. Plural objects (those with `other`) take any plural category.
 */
function textsProblems(texts: unknown, shape: object, path = ''): string[] {
  if (!isObject(texts)) return path || texts == null ? [] : ['texts must be an object'];
  const problems: string[] = [];
  const known = shape as Record<string, unknown>;
  const plural = 'other' in known;
  for (const [key, value] of Object.entries(texts)) {
    const name = path + key;
    const expected = known[key] ?? (plural && /^(zero|one|two|few|many)$/.test(key) ? '' : undefined);
    if (expected === undefined) problems.push(`unknown key ${name}`);
    else if (typeof expected === 'string') {
      if (typeof value !== 'string') problems.push(`${name} is not a string`);
      else if (value.length > MAX_TEXT_LENGTH) problems.push(`${name} is longer than ${MAX_TEXT_LENGTH} characters`);
    } else if (!isObject(value)) problems.push(`${name} is not an object`);
    else problems.push(...textsProblems(value, expected as object, `${name}.`));
  }
  return problems;
}
