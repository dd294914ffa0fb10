/**
 * A site's settings that the widget follows: its business hours and its pre-chat form, and the quick replies an agent
 * may attach to a message. Plain data and validators (one `Result` shape, validate.ts): the backend checks what an
 * admin saves and what it reads back from sites.json, the console what it is sent, the widget what the backend says.
 */
import type { Invalid, Result, Valid } from './validate.js';

// Its own small helpers, not those of guards.ts and validate.ts: this module loads with the window chunk, and importing
// theirs would make the launcher's shared chunk export more names.
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;
const valid = <T>(value: T): Valid<T> => ({ ok: true, value });
const invalid = (message: string): Invalid => ({ ok: false, message });
function isHttpUrl(v: string): boolean {
  try {
    const url = new URL(v);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** One opening of a day, in the site's time zone: `HH:MM` to `HH:MM` (`24:00` for midnight at the end of the day). */
export interface OpeningInterval {
  readonly from: string;
  readonly to: string;
}

/** A day the team is away: one date, or that date every year. */
export interface Holiday {
  /** `YYYY-MM-DD` in the site's time zone. */
  readonly date: string;
  readonly yearly: boolean;
}

export interface BusinessHours {
  /** An IANA time zone (`Europe/Berlin`). */
  readonly timeZone: string;
  /** Per weekday, the openings in order, not overlapping; none: closed that day. */
  readonly week: Readonly<Record<Weekday, readonly OpeningInterval[]>>;
  readonly holidays: readonly Holiday[];
}

/** Whether the pre-chat form asks for a field, and whether the visitor must answer it. */
export type FieldMode = 'off' | 'optional' | 'required';
export const FIELD_MODES: readonly FieldMode[] = ['off', 'optional', 'required'];

export interface PrechatSettings {
  readonly name: FieldMode;
  readonly email: FieldMode;
  readonly phone: FieldMode;
  /** The visitor chooses one of `options` (the department the chat is routed to). */
  readonly department: { readonly mode: FieldMode; readonly options: readonly string[] };
  /** A question of the site's own, answered in free text. */
  readonly question: { readonly mode: FieldMode; readonly label: string };
  /** A checkbox the visitor must tick before chatting, with a link to the privacy policy; null: none. */
  readonly consent: { readonly text: string; readonly url: string; readonly version: string } | null;
}

export interface SiteSettings {
  /** Null: no schedule, the team is there whenever an agent is online. */
  readonly hours: BusinessHours | null;
  /** Null: no pre-chat form. */
  readonly prechat: PrechatSettings | null;
}

export const NO_SITE_SETTINGS: SiteSettings = Object.freeze({ hours: null, prechat: null });

export const SETTINGS_LIMITS = {
  intervalsPerDay: 4,
  holidays: 100,
  departments: 20,
  department: 64,
  question: 200,
  answer: 1000,
  consentText: 500,
  consentVersion: 32,
  url: 2048,
  /** Quick replies: at most this many buttons on one message, each at most `replyText` characters. */
  replies: 10,
  replyText: 40,
} as const;

/** Characters that have no place in a short label: controls, bidi overrides and invisible ones. */
// eslint-disable-next-line no-control-regex -- control characters are what this refuses
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/;

/** A short label: a string, trimmed, 1..max characters, no controls or invisible characters. */
export function validateLabel(v: unknown, max: number, what: string): Result<string> {
  if (typeof v !== 'string') return invalid(`${what} must be a string`);
  const text = v.trim();
  if (!text) return invalid(`${what} is empty`);
  if (text.length > max) return invalid(`${what} is longer than ${max} characters`);
  if (HIDDEN.test(text)) return invalid(`${what} holds control or invisible characters`);
  return valid(text);
}

/** Quick replies: 1-10 distinct labels of 1-40 characters (trimmed). */
export function validateReplies(v: unknown): Result<string[]> {
  if (!Array.isArray(v)) return invalid('replies must be an array of strings');
  if (!v.length) return invalid('replies is empty');
  if (v.length > SETTINGS_LIMITS.replies) return invalid(`at most ${SETTINGS_LIMITS.replies} replies`);
  const out: string[] = [];
  for (const item of v) {
    const label = validateLabel(item, SETTINGS_LIMITS.replyText, 'a reply');
    if (!label.ok) return label;
    if (out.includes(label.value)) return invalid(`the reply ${JSON.stringify(label.value)} is given twice`);
    out.push(label.value);
  }
  return valid(out);
}

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Minutes since midnight of `HH:MM` (24:00 is 1440). */
export const minutesOf = (time: string): number => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/** Whether `zone` is an IANA time zone this runtime knows. */
export function isTimeZone(zone: unknown): zone is string {
  if (typeof zone !== 'string' || !zone || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function validDate(date: string): boolean {
  const m = DATE.exec(date);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(Date.UTC(y, mo - 1, d));
  // A yearly 29 February is allowed (leap years only); any other impossible date is not.
  return check.getUTCMonth() === mo - 1 && check.getUTCDate() === d;
}

export function validateHours(v: unknown): Result<BusinessHours> {
  if (!isObj(v)) return invalid('hours must be an object');
  if (!isTimeZone(v.timeZone)) return invalid('hours.timeZone must be an IANA time zone such as Europe/Berlin');
  if (!isObj(v.week)) return invalid('hours.week must be an object with a list of openings per weekday');
  const week = {} as Record<Weekday, OpeningInterval[]>;
  for (const day of WEEKDAYS) {
    const list = v.week[day] ?? [];
    if (!Array.isArray(list) || list.length > SETTINGS_LIMITS.intervalsPerDay)
      return invalid(`hours.week.${day} must be a list of at most ${SETTINGS_LIMITS.intervalsPerDay} openings`);
    const intervals: OpeningInterval[] = [];
    let end = -1;
    for (const item of list) {
      if (!isObj(item) || !isStr(item.from, 5) || !isStr(item.to, 5) || !TIME.test(item.from) || !TIME.test(item.to))
        return invalid(`hours.week.${day}: an opening is {from: "HH:MM", to: "HH:MM"}`);
      const from = minutesOf(item.from);
      const to = minutesOf(item.to);
      if (from >= to) return invalid(`hours.week.${day}: ${item.from}-${item.to} ends before it starts`);
      if (from < end) return invalid(`hours.week.${day}: the openings overlap or are out of order`);
      end = to;
      intervals.push({ from: item.from, to: item.to });
    }
    week[day] = intervals;
  }
  for (const key of Object.keys(v.week))
    if (!(WEEKDAYS as readonly string[]).includes(key)) return invalid(`hours.week has no day ${JSON.stringify(key)}`);
  const rawHolidays = v.holidays ?? [];
  if (!Array.isArray(rawHolidays) || rawHolidays.length > SETTINGS_LIMITS.holidays)
    return invalid(`hours.holidays must be a list of at most ${SETTINGS_LIMITS.holidays} days`);
  const holidays: Holiday[] = [];
  for (const h of rawHolidays) {
    if (
      !isObj(h) ||
      typeof h.date !== 'string' ||
      !validDate(h.date) ||
      (h.yearly !== undefined && typeof h.yearly !== 'boolean')
    )
      return invalid('hours.holidays: a holiday is {date: "YYYY-MM-DD", yearly: true or false}');
    holidays.push({ date: h.date, yearly: h.yearly === true });
  }
  return valid({ timeZone: v.timeZone, week, holidays });
}

function fieldMode(v: unknown, what: string): Result<FieldMode> {
  const mode = v ?? 'off';
  return FIELD_MODES.includes(mode as FieldMode)
    ? valid(mode as FieldMode)
    : invalid(`${what} must be "off", "optional" or "required"`);
}

export function validatePrechat(v: unknown): Result<PrechatSettings> {
  if (!isObj(v)) return invalid('prechat must be an object');
  const modes: Partial<Record<'name' | 'email' | 'phone', FieldMode>> = {};
  for (const f of ['name', 'email', 'phone'] as const) {
    const mode = fieldMode(v[f], `prechat.${f}`);
    if (!mode.ok) return mode;
    modes[f] = mode.value;
  }
  const dep = v.department ?? { mode: 'off', options: [] };
  if (!isObj(dep)) return invalid('prechat.department must be {mode, options}');
  const depMode = fieldMode(dep.mode, 'prechat.department.mode');
  if (!depMode.ok) return depMode;
  const rawOptions = dep.options ?? [];
  if (!Array.isArray(rawOptions) || rawOptions.length > SETTINGS_LIMITS.departments)
    return invalid(`prechat.department.options must be a list of at most ${SETTINGS_LIMITS.departments} names`);
  const options: string[] = [];
  for (const o of rawOptions) {
    const name = validateLabel(o, SETTINGS_LIMITS.department, 'a department');
    if (!name.ok) return name;
    if (!options.includes(name.value)) options.push(name.value);
  }
  if (depMode.value !== 'off' && !options.length) return invalid('prechat.department needs options to choose from');
  const q = v.question ?? { mode: 'off', label: '' };
  if (!isObj(q)) return invalid('prechat.question must be {mode, label}');
  const qMode = fieldMode(q.mode, 'prechat.question.mode');
  if (!qMode.ok) return qMode;
  let label = '';
  if (qMode.value !== 'off') {
    const checked = validateLabel(q.label, SETTINGS_LIMITS.question, 'prechat.question.label');
    if (!checked.ok) return checked;
    label = checked.value;
  }
  let consent: PrechatSettings['consent'] = null;
  if (v.consent != null) {
    const c = v.consent;
    if (!isObj(c)) return invalid('prechat.consent must be {text, url, version} or null');
    const text = validateLabel(c.text, SETTINGS_LIMITS.consentText, 'prechat.consent.text');
    if (!text.ok) return text;
    const version = validateLabel(c.version, SETTINGS_LIMITS.consentVersion, 'prechat.consent.version');
    if (!version.ok) return version;
    if (!isStr(c.url, SETTINGS_LIMITS.url) || !isHttpUrl(c.url) || new URL(c.url).protocol !== 'https:')
      return invalid('prechat.consent.url must be an https address of the privacy policy');
    consent = { text: text.value, url: new URL(c.url).href, version: version.value };
  }
  return valid({
    name: modes.name!,
    email: modes.email!,
    phone: modes.phone!,
    department: { mode: depMode.value, options: depMode.value === 'off' ? [] : options },
    question: { mode: qMode.value, label },
    consent,
  });
}

export function validateSiteSettings(v: unknown): Result<SiteSettings> {
  if (!isObj(v)) return invalid('settings must be an object');
  let hours: BusinessHours | null = null;
  if (v.hours != null) {
    const checked = validateHours(v.hours);
    if (!checked.ok) return checked;
    hours = checked.value;
  }
  let prechat: PrechatSettings | null = null;
  if (v.prechat != null) {
    const checked = validatePrechat(v.prechat);
    if (!checked.ok) return checked;
    prechat = checked.value;
  }
  return valid({ hours, prechat });
}

/** Whether the team is in now, and when that changes (ms since the epoch; null: never, as far as the schedule says). */
export interface HoursStatus {
  readonly open: boolean;
  readonly next: number | null;
}

/** What the visitor sent with the pre-chat form, as agents see it. */
export interface PrechatRecord {
  readonly at: number;
  /** The site's question as it was asked, and the answer; both '' when none. */
  readonly question: string;
  readonly answer: string;
  /** The consent the visitor gave (the text and link shown, its version, when), or null when none was asked. */
  readonly consent: {
    readonly text: string;
    readonly url: string;
    readonly version: string;
    readonly at: number;
  } | null;
}

export function parsePrechatRecord(v: unknown): PrechatRecord | null {
  if (!isObj(v) || typeof v.at !== 'number' || !Number.isFinite(v.at)) return null;
  if (!isStr(v.question, SETTINGS_LIMITS.question) || !isStr(v.answer, SETTINGS_LIMITS.answer)) return null;
  let consent: PrechatRecord['consent'] = null;
  if (v.consent !== null) {
    const c = v.consent;
    if (!isObj(c) || !isStr(c.text, SETTINGS_LIMITS.consentText) || !isStr(c.version, SETTINGS_LIMITS.consentVersion))
      return null;
    if (!isStr(c.url, SETTINGS_LIMITS.url) || !isHttpUrl(c.url) || typeof c.at !== 'number' || !Number.isFinite(c.at))
      return null;
    consent = { text: c.text, url: c.url, version: c.version, at: c.at };
  }
  return { at: v.at, question: v.question, answer: v.answer, consent };
}
