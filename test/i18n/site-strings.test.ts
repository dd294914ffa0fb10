import { expect } from '@open-wc/testing';
import type { SiteStrings } from '../../src/i18n/catalog.js';
import ruCatalog from '../../src/i18n/locales/ru.js';
import { backAt as backAtIn, EN_CATALOG } from '../../src/i18n/strings.js';

const backAt = (locale: 'en' | 'ru', next: number | null, now: number, timeZone?: string) =>
  backAtIn((locale === 'ru' ? ruCatalog : EN_CATALOG).site as SiteStrings, locale, next, now, timeZone);

// "When the team is back", in the visitor's own time zone and language: the same opening (Tuesday 1 December 2026,
// 14:00 UTC, 09:00 in New York) read in three zones, and in Russian.

const OPENING = Date.parse('2026-12-01T14:00:00Z');

describe('backAt', () => {
  it('says today, tomorrow or the date, in the zone of the visitor', () => {
    // 10:00 UTC on the same day: 05:00 in New York, 15:30 in Kolkata, 19:00 in Tokyo.
    const now = Date.parse('2026-12-01T10:00:00Z');
    expect(backAt('en', OPENING, now, 'America/New_York')).to.equal('We are away now. We are back today at 9:00 AM.');
    expect(backAt('en', OPENING, now, 'Asia/Kolkata')).to.equal('We are away now. We are back today at 7:30 PM.');
    // In Tokyo the opening is at 23:00 the same day; from 23:30 Tokyo time the day before, it is tomorrow.
    expect(backAt('en', OPENING, Date.parse('2026-11-30T14:30:00Z'), 'Asia/Tokyo')).to.equal(
      'We are away now. We are back tomorrow at 11:00 PM.',
    );
    // Five days ahead: the weekday and the date.
    const later = backAt('en', OPENING + 5 * 86_400_000, now, 'Europe/Berlin');
    expect(later).to.match(/^We are away now\. We are back on Sunday, December 6 at 3:00\sPM\.$/);
  });

  it('speaks the visitor\'s language, and says only "away" with no opening ahead', () => {
    const now = Date.parse('2026-11-30T20:00:00Z');
    expect(backAt('ru', OPENING, now, 'Europe/Moscow')).to.equal(
      'Сейчас нас нет на месте. Мы вернёмся завтра в 17:00.',
    );
    expect(backAt('en', null, now)).to.equal('We are away at the moment.');
  });
});
