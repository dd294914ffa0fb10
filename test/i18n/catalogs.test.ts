import { expect } from '@open-wc/testing';
import { LOCALES, type Locale } from '../../src/i18n/languages.js';
import type { Catalog } from '../../src/i18n/catalog.js';
import { EN_CATALOG } from '../../src/i18n/strings.js';

/**
 * Every language of the table (src/i18n/languages.ts) against English: the same keys, the same placeholders, a form
 * for every plural category the language has, and nothing left in English by accident. Each catalogue is its own
 * module, found by its code alone (under an address of this test's, so that the browser's cache of the widget's own
 * fetches stays as other test files expect it).
 */
const catalogOf = async (code: string): Promise<Catalog> =>
  ((await import(`../../src/i18n/locales/${code}.js?complete`)) as { default: Catalog }).default;

/** Words that are the same in a language as in English, rightly. Brand names are the same everywhere. */
const SAME_AS_ENGLISH: Partial<Record<Locale | 'pl' | 'uk' | 'tr' | 'ar' | 'he', string[]>> = {
  de: ['Chat', 'Name'],
  fr: ['Messages', 'Message', 'E-mail'],
  es: ['Chat'],
  it: ['Chat', 'E-mail'],
  pt: ['Chat', 'E-mail'],
  pl: ['E-mail'],
};
const BRANDS = ['WhatsApp', 'Telegram', 'Viber', 'Messenger'];

/** Plural forms that say their number in words, and so may leave out `{count}` ("one message", "two messages"). */
const COUNT_IN_WORDS: Partial<Record<string, string[]>> = { ar: ['zero', 'one', 'two'], he: ['one', 'two'] };

type Tree = { [key: string]: string | Tree };
const isPlural = (t: Tree) => typeof t.other === 'string';
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

/** Every string of a tree with its path; plural objects whole. */
function* leaves(tree: Tree, path = ''): Generator<[string, string | Tree]> {
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === 'string' || isPlural(value)) yield [path + key, value];
    else yield* leaves(value, `${path + key}.`);
  }
}
const at = (tree: Tree, path: string) =>
  path.split('.').reduce<string | Tree | undefined>((t, k) => (typeof t === 'object' ? t[k] : undefined), tree);

const english = EN_CATALOG as unknown as Tree;

describe('the language catalogues', function () {
  this.timeout(20000);

  it('lists English and at least the first seven languages', () => {
    expect(LOCALES).to.include.members(['en', 'ru', 'de', 'fr', 'es', 'pt', 'it']);
  });

  for (const locale of LOCALES.filter((l) => l !== 'en')) {
    describe(locale, () => {
      let full: Tree;
      before(async () => {
        const catalog = await catalogOf(locale);
        expect(catalog, `${locale} loads`).to.be.an('object');
        full = catalog as unknown as Tree;
      });

      it('has every key of English and no other, each a text', () => {
        const keys = (t: Tree) => [...leaves(t)].map(([path]) => path).sort();
        expect(keys(full)).to.deep.equal(keys(english));
        for (const [path, value] of leaves(full)) {
          for (const text of typeof value === 'string' ? [value] : Object.values(value)) {
            expect(text, `${locale} ${path}`).to.be.a('string').and.match(/\S/);
          }
        }
      });

      it('has a form for every plural category of the language, with the same placeholders', () => {
        const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
        for (const [path, value] of leaves(full)) {
          if (typeof value === 'string') continue;
          const forms = value as Record<string, string>;
          const wanted = placeholders((at(english, path) as Tree).other as string);
          for (const category of categories) {
            expect(forms[category], `${locale} ${path}.${category}`).to.be.a('string');
            const omitted = COUNT_IN_WORDS[locale]?.includes(category);
            const expected = omitted ? wanted.filter((p) => p !== 'count') : wanted;
            expect(placeholders(forms[category]), `${locale} ${path}.${category}`).to.include.members(expected);
            expect(wanted, `${locale} ${path}.${category} has no placeholder English lacks`).to.include.members(
              placeholders(forms[category]),
            );
          }
        }
      });

      it('keeps every placeholder of each English text', () => {
        for (const [path, value] of leaves(full)) {
          if (typeof value !== 'string') continue;
          expect(placeholders(value), `${locale} ${path}: ${value}`).to.deep.equal(
            placeholders(at(english, path) as string),
          );
        }
      });

      it('leaves nothing in English but the words that are the same in it', () => {
        const allowed = [...BRANDS, ...(SAME_AS_ENGLISH[locale] ?? [])];
        const same = [...leaves(full)]
          .filter(([path, value]) => typeof value === 'string' && value === at(english, path))
          .filter(([, value]) => /\p{L}/u.test((value as string).replace(/\{\w+\}/g, '')))
          .filter(([, value]) => !allowed.includes(value as string))
          .map(([path, value]) => `${path}: ${value as string}`);
        expect(same).to.deep.equal([]);
      });
    });
  }
});
