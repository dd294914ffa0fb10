import type { TriggerCalendar } from './types.js';

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Calendar days in the time zone of the JavaScript runtime, which in a browser is the visitor's. Local midnight comes
 * from the Date constructor, so days of 23 or 25 hours (daylight saving changes) are right.
 */
export const localCalendar: TriggerCalendar = {
  dayKey(time: number): string {
    const date = new Date(time);
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  },
  nextDayStart(time: number): number {
    const date = new Date(time);
    return new Date(date.getFullYear(), date.getMonth(), date.getDate() + 1).getTime();
  },
};
