// Business hours (server/hours.ts): open or closed around an opening boundary in three time zones — one with a
// half-hour offset, one across a daylight saving change in each direction — holidays, and the settings' validation.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hoursStatus, instantOf, wallTime } from '../../server/hours.js';
import { validateHours, validatePrechat, validateReplies, type BusinessHours } from '../../src/model/site-settings.js';

const NINE_TO_FIVE = { from: '09:00', to: '17:00' };

function weekdays(timeZone: string, holidays: BusinessHours['holidays'] = []): BusinessHours {
  const checked = validateHours({
    timeZone,
    week: { mon: [NINE_TO_FIVE], tue: [NINE_TO_FIVE], wed: [NINE_TO_FIVE], thu: [NINE_TO_FIVE], fri: [NINE_TO_FIVE] },
    holidays,
  });
  assert.ok(checked.ok, checked.ok ? '' : checked.message);
  return checked.value;
}

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

test('America/New_York: closed a minute before 09:00 EST, open at 09:00, and says when each changes', () => {
  const hours = weekdays('America/New_York');
  // Tuesday 2026-12-01, EST (UTC-5): 09:00 local is 14:00 UTC.
  const nine = Date.parse('2026-12-01T14:00:00Z');
  assert.deepEqual(hoursStatus(hours, nine - 60_000), { open: false, next: nine });
  assert.deepEqual(hoursStatus(hours, nine), { open: true, next: Date.parse('2026-12-01T22:00:00Z') });
  // Friday 17:00 closes until Monday 09:00.
  const fridayClose = Date.parse('2026-12-04T22:00:00Z');
  assert.equal(iso(hoursStatus(hours, fridayClose).next), '2026-12-07T14:00:00.000Z');
  assert.equal(hoursStatus(hours, fridayClose).open, false);
});

test('Europe/Berlin across the spring change: Monday 09:00 CEST is 07:00 UTC, the Friday before 08:00 UTC', () => {
  const hours = weekdays('Europe/Berlin');
  // Clocks go forward on Sunday 2026-03-29 at 02:00 CET. Friday 27th closes at 17:00 CET (16:00 UTC).
  const friday = hoursStatus(hours, Date.parse('2026-03-27T16:30:00Z'));
  assert.deepEqual(friday, { open: false, next: Date.parse('2026-03-30T07:00:00Z') });
  assert.equal(hoursStatus(hours, Date.parse('2026-03-30T06:59:00Z')).open, false);
  assert.deepEqual(hoursStatus(hours, Date.parse('2026-03-30T07:00:00Z')), {
    open: true,
    next: Date.parse('2026-03-30T15:00:00Z'),
  });
  // Friday before: 09:00 CET is 08:00 UTC.
  assert.equal(hoursStatus(hours, Date.parse('2026-03-27T07:59:00Z')).open, false);
  assert.equal(hoursStatus(hours, Date.parse('2026-03-27T08:00:00Z')).open, true);
});

test('Europe/Berlin across the autumn change, and an opening in the skipped and the repeated hour', () => {
  const hours = weekdays('Europe/Berlin');
  // Clocks go back on Sunday 2026-10-25 at 03:00 CEST. Monday 26th 09:00 CET is 08:00 UTC.
  assert.deepEqual(hoursStatus(hours, Date.parse('2026-10-24T12:00:00Z')), {
    open: false,
    next: Date.parse('2026-10-26T08:00:00Z'),
  });
  // 02:30 does not exist on 2026-03-29: an opening then starts when the clock jumps, 03:00 CEST (01:00 UTC).
  assert.equal(iso(instantOf(2026, 3, 29, 150, 'Europe/Berlin')), '2026-03-29T01:00:00.000Z');
  // 02:30 comes twice on 2026-10-25: the first, 02:30 CEST (00:30 UTC).
  assert.equal(iso(instantOf(2026, 10, 25, 150, 'Europe/Berlin')), '2026-10-25T00:30:00.000Z');
  const sunday = validateHours({ timeZone: 'Europe/Berlin', week: { sun: [{ from: '00:00', to: '24:00' }] } });
  assert.ok(sunday.ok);
  // A 23-hour Sunday: open from 23:00 UTC Saturday to 22:00 UTC Sunday.
  assert.deepEqual(hoursStatus(sunday.value, Date.parse('2026-03-29T12:00:00Z')), {
    open: true,
    next: Date.parse('2026-03-29T22:00:00Z'),
  });
});

test('Asia/Kolkata (UTC+05:30): the half-hour offset puts 09:00 at 03:30 UTC', () => {
  const hours = weekdays('Asia/Kolkata');
  const nine = Date.parse('2026-12-01T03:30:00Z');
  assert.deepEqual(hoursStatus(hours, nine - 1), { open: false, next: nine });
  assert.deepEqual(hoursStatus(hours, nine), { open: true, next: Date.parse('2026-12-01T11:30:00Z') });
  assert.equal(wallTime(nine, 'Asia/Kolkata').hour, 9);
});

test('a holiday closes the day; a yearly one every year; the next opening skips it', () => {
  const hours = weekdays('Europe/Berlin', [
    { date: '2026-12-24', yearly: true },
    { date: '2026-12-25', yearly: true },
    { date: '2026-12-28', yearly: false },
  ]);
  // Thursday 24 December 2026 at 10:00 CET: a holiday; Friday 25th too; Monday 28th too; next Tuesday 29th 09:00.
  assert.deepEqual(hoursStatus(hours, Date.parse('2026-12-24T09:00:00Z')), {
    open: false,
    next: Date.parse('2026-12-29T08:00:00Z'),
  });
  // The same dates in 2027 (Friday 24th): yearly ones are holidays again; 28 December 2027 is not.
  assert.equal(hoursStatus(hours, Date.parse('2027-12-24T09:00:00Z')).open, false);
  assert.equal(hoursStatus(hours, Date.parse('2027-12-28T09:00:00Z')).open, true);
  // The day before the holiday closes at 17:00 as usual.
  assert.deepEqual(hoursStatus(hours, Date.parse('2026-12-23T15:00:00Z')), {
    open: true,
    next: Date.parse('2026-12-23T16:00:00Z'),
  });
});

test('openings that touch across midnight are one; a schedule with no opening has no next change', () => {
  const nights = validateHours({
    timeZone: 'UTC',
    week: { mon: [{ from: '20:00', to: '24:00' }], tue: [{ from: '00:00', to: '04:00' }] },
  });
  assert.ok(nights.ok);
  assert.deepEqual(hoursStatus(nights.value, Date.parse('2026-11-30T23:00:00Z')), {
    open: true,
    next: Date.parse('2026-12-01T04:00:00Z'),
  });
  const never = validateHours({ timeZone: 'UTC', week: {} });
  assert.ok(never.ok);
  assert.deepEqual(hoursStatus(never.value, Date.now()), { open: false, next: null });
});

test('settings are refused when malformed: unknown zone, bad times, overlaps, bad dates, http consent links', () => {
  const refused = (v: unknown) => {
    const r = validateHours(v);
    assert.equal(r.ok, false, JSON.stringify(v));
  };
  refused({ timeZone: 'Mars/Olympus', week: {} });
  refused({ timeZone: 'UTC', week: { mon: [{ from: '9:00', to: '17:00' }] } });
  refused({ timeZone: 'UTC', week: { mon: [{ from: '17:00', to: '09:00' }] } });
  refused({ timeZone: 'UTC', week: { mon: [NINE_TO_FIVE, { from: '16:00', to: '18:00' }] } });
  refused({ timeZone: 'UTC', week: { funday: [] } });
  refused({ timeZone: 'UTC', week: {}, holidays: [{ date: '2026-02-30', yearly: false }] });
  assert.equal(
    validatePrechat({ consent: { text: 'I agree', url: 'http://shop.example/privacy', version: '1' } }).ok,
    false,
  );
  assert.equal(validatePrechat({ consent: { text: 'I agree', url: 'javascript:alert(1)', version: '1' } }).ok, false);
  assert.equal(validatePrechat({ department: { mode: 'required', options: [] } }).ok, false);
  const ok = validatePrechat({
    name: 'required',
    consent: { text: 'I agree to the privacy policy', url: 'https://shop.example/privacy', version: '2026-01' },
  });
  assert.ok(ok.ok);
  assert.equal(ok.value.email, 'off');
});

test('quick replies: 1-10 distinct labels of at most 40 characters, text only', () => {
  assert.deepEqual(validateReplies([' Yes ', 'No']), { ok: true, value: ['Yes', 'No'] });
  assert.equal(validateReplies([]).ok, false);
  assert.equal(validateReplies(Array.from({ length: 11 }, (_, i) => `r${i}`)).ok, false);
  assert.equal(validateReplies(['x'.repeat(41)]).ok, false);
  assert.equal(validateReplies(['a', 'a']).ok, false);
  assert.equal(validateReplies([{ text: 'Yes' }]).ok, false);
  assert.equal(validateReplies(['\u202eevil']).ok, false);
});
