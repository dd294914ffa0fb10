import { isObj as isObject, isTime } from '../model/guards.js';
import type { TriggerStorage } from './types.js';

/** The current visit: it goes on while page views follow each other within the visit timeout. */
export interface VisitRecord {
  /** When its first page view started. */
  start: number;
  /** The last moment a page of it was seen (a page view starting, the engine evaluating). */
  last: number;
  /** Ids of the once-per-session rules that fired in it. */
  fired: string[];
}

/** What the engine keeps between page views, in one JSON value. */
export interface TriggerRecord {
  visit: VisitRecord | null;
  /** Rule id → the day key of the day a once-per-day rule last fired. A Map, so that no id can be `__proto__`. */
  daily: Map<string, string>;
  /** The latest window close and invitation the engine has heard of. */
  closedAt: number | null;
  invitedAt: number | null;
}

/** The stored form's version; anything else is ignored, as if nothing was stored. */
const RECORD_VERSION = 1;
/** Bounds what is read back, whoever wrote it. */
const MAX_ENTRIES = 200;

const isShortString = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 64;

export function emptyRecord(): TriggerRecord {
  return { visit: null, daily: new Map(), closedAt: null, invitedAt: null };
}

/** Reads the record; a missing, unreadable or malformed one (or a part of it) reads as empty. Never throws. */
export function loadRecord(storage: TriggerStorage): TriggerRecord {
  const record = emptyRecord();
  try {
    const raw = storage.get();
    if (!isObject(raw) || raw.v !== RECORD_VERSION) return record;
    const visit = raw.visit;
    if (
      isObject(visit) &&
      isTime(visit.start) &&
      isTime(visit.last) &&
      Array.isArray(visit.fired) &&
      visit.fired.length <= MAX_ENTRIES
    ) {
      record.visit = { start: visit.start, last: visit.last, fired: visit.fired.filter(isShortString) };
    }
    if (Array.isArray(raw.daily) && raw.daily.length <= MAX_ENTRIES) {
      for (const entry of raw.daily) {
        if (Array.isArray(entry) && entry.length === 2 && isShortString(entry[0]) && isShortString(entry[1]))
          record.daily.set(entry[0], entry[1]);
      }
    }
    if (isTime(raw.closedAt)) record.closedAt = raw.closedAt;
    if (isTime(raw.invitedAt)) record.invitedAt = raw.invitedAt;
  } catch {
    // Storage disabled, or a value that is not ours: start afresh.
    return emptyRecord();
  }
  return record;
}

/** Writes the record, keeping only what can still matter: once-per-day entries of `today`. Never throws. */
export function saveRecord(storage: TriggerStorage, record: TriggerRecord, today: string): void {
  const daily = [...record.daily].filter(([, day]) => day === today).slice(-MAX_ENTRIES);
  const visit = record.visit && { ...record.visit, fired: record.visit.fired.slice(-MAX_ENTRIES) };
  try {
    storage.set({ v: RECORD_VERSION, visit, daily, closedAt: record.closedAt, invitedAt: record.invitedAt });
  } catch {
    // Quota exceeded or storage disabled: the bookkeeping holds for this page view only.
  }
}

/**
 * A storage that forgets with the page: the default, and what tests share between two engines. It keeps the JSON text,
 * as `localStorage` would, so what comes back is a copy.
 */
export function memoryStorage(): TriggerStorage & { json: string | null } {
  return {
    json: null,
    get() {
      return this.json === null ? undefined : JSON.parse(this.json);
    },
    set(value: unknown) {
      this.json = JSON.stringify(value);
    },
  };
}
