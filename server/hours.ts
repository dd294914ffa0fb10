/**
 * Business hours: whether a site's team is in at a moment, and when that changes, from its weekly schedule in its own
 * time zone and its holidays (src/model/site-settings.ts). Wall-clock times are turned into instants with Intl alone:
 * the zone's offset at an instant comes from `Intl.DateTimeFormat`, so days of 23 or 25 hours (daylight saving
 * changes) and zones with half-hour offsets are right, with no time zone database of our own.
 *
 * An opening that starts in a gap of a spring-forward change (02:30 that does not exist) starts when the clock jumps
 * (03:00); one in the repeated hour of a fall-back change starts at the first of the two.
 */
import { minutesOf, WEEKDAYS, type BusinessHours, type HoursStatus, type Weekday } from '../src/model/site-settings.js';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: Weekday;
}

/** The wall-clock time in `timeZone` at the instant `at`. */
export function wallTime(at: number, timeZone: string): WallTime {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(at)) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: parts.weekday.slice(0, 3).toLowerCase() as Weekday,
  };
}

/** The zone's offset from UTC at the instant `at`, in ms (east positive). */
function offsetAt(at: number, timeZone: string): number {
  const w = wallTime(at, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - (at - (((at % 1000) + 1000) % 1000));
}

/**
 * The instant at which the wall clock in `timeZone` shows `minutes` after midnight of the local date (y, m, d). In a
 * gap (spring forward) the instant the clock jumps past it; in a repeated hour the first.
 */
export function instantOf(y: number, m: number, d: number, minutes: number, timeZone: string): number {
  const naive = Date.UTC(y, m - 1, d) + minutes * 60_000;
  // The offsets around the naive instant: an instant is right when its own offset maps it back to the wall time.
  const candidates = [...new Set([offsetAt(naive - 86_400_000, timeZone), offsetAt(naive + 86_400_000, timeZone)])]
    .map((offset) => naive - offset)
    .filter((t) => naive - offsetAt(t, timeZone) === t)
    .sort((a, b) => a - b);
  if (candidates.length) return candidates[0];
  // No instant shows that time: it is in a gap. The clock jumps at the transition, which lies between the two
  // readings; find it to the minute.
  let lo = naive - offsetAt(naive - 86_400_000, timeZone);
  let hi = naive - offsetAt(naive + 86_400_000, timeZone);
  if (lo > hi) [lo, hi] = [hi, lo];
  const before = offsetAt(lo, timeZone);
  while (hi - lo > 60_000) {
    const mid = lo + Math.floor((hi - lo) / 2 / 60_000) * 60_000;
    if (offsetAt(mid, timeZone) === before) lo = mid;
    else hi = mid;
  }
  return hi;
}

const dateKey = (y: number, m: number, d: number) =>
  `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

function isHoliday(hours: BusinessHours, y: number, m: number, d: number): boolean {
  const key = dateKey(y, m, d);
  return hours.holidays.some((h) => (h.yearly ? h.date.slice(5) === key.slice(5) : h.date === key));
}

/** The openings of one local date as instants, in order (none on a holiday). */
function openingsOn(hours: BusinessHours, y: number, m: number, d: number): Array<[number, number]> {
  if (isHoliday(hours, y, m, d)) return [];
  const weekday = WEEKDAYS[(new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7];
  return hours.week[weekday].map((i) => [
    instantOf(y, m, d, minutesOf(i.from), hours.timeZone),
    // 24:00 is the next day's midnight, which on a day of 23 or 25 hours is not 24 hours after the last.
    minutesOf(i.to) === 1440
      ? instantOf(...nextDate(y, m, d), 0, hours.timeZone)
      : instantOf(y, m, d, minutesOf(i.to), hours.timeZone),
  ]);
}

function nextDate(y: number, m: number, d: number): [number, number, number] {
  const t = new Date(Date.UTC(y, m - 1, d + 1));
  return [t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate()];
}

/** How far ahead the next change is looked for: a year and a bit covers any set of holidays the limits allow. */
const HORIZON_DAYS = 400;

/**
 * Whether the team is in at `now`, and when that next changes: the closing of the current opening (openings that
 * touch across midnight are one), or the start of the next one. `next` is null when the schedule has no opening in
 * the next 400 days.
 */
export function hoursStatus(hours: BusinessHours, now: number): HoursStatus {
  const today = wallTime(now, hours.timeZone);
  // From yesterday: an opening of yesterday may run past midnight into now only if it ends at 24:00, which is today's
  // 00:00; starting a day early keeps that simple and right.
  let [y, m, d] = [today.year, today.month, today.day];
  const start = new Date(Date.UTC(y, m - 1, d - 1));
  [y, m, d] = [start.getUTCFullYear(), start.getUTCMonth() + 1, start.getUTCDate()];
  let openUntil: number | null = null;
  for (let i = 0; i < HORIZON_DAYS; i++) {
    for (const [from, to] of openingsOn(hours, y, m, d)) {
      if (openUntil !== null) {
        // Open now: an opening that starts where this one ends carries it on.
        if (from <= openUntil) openUntil = Math.max(openUntil, to);
        else return { open: true, next: openUntil };
      } else if (from <= now && now < to) openUntil = to;
      else if (from > now) return { open: false, next: from };
    }
    [y, m, d] = nextDate(y, m, d);
  }
  return openUntil === null ? { open: false, next: null } : { open: true, next: openUntil };
}
