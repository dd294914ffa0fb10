import type { Locale } from './strings.js';

/**
 * Strings of business hours, the pre-chat form and quick replies, per language. Only the window chunk uses them, so
 * the launcher, which loads first, does not carry them.
 */
export interface SiteStrings {
  /** Outside business hours; `{time}` is the opening time in the visitor's own time zone. */
  backToday: string;
  backTomorrow: string;
  /** `{date}` is the opening's weekday, date and time in the visitor's own time zone. */
  backOn: string;
  /** Outside business hours, with no opening ahead in the schedule. */
  away: string;
  /** The name of the group of quick reply buttons under an agent's message. */
  quickReplies: string;
  prechatTitle: string;
  prechatIntro: string;
  departmentLabel: string;
  /** The empty first choice of the department list. */
  departmentChoose: string;
  prechatStart: string;
  /** After the consent checkbox's text: the privacy policy's link. */
  privacyPolicy: string;
  /** Said of a link that opens a new tab. */
  newTab: string;
  errorDepartment: string;
  errorAnswer: string;
  errorConsent: string;
  errorNameRequired: string;
  errorEmailRequired: string;
  errorPhoneRequired: string;
  /** The backend refused the pre-chat form (the site changed it meanwhile, say). */
  prechatRefused: string;
}

const catalogs: Record<Locale, SiteStrings> = {
  en: {
    backToday: 'We are away now. We are back today at {time}.',
    backTomorrow: 'We are away now. We are back tomorrow at {time}.',
    backOn: 'We are away now. We are back on {date}.',
    away: 'We are away at the moment.',
    quickReplies: 'Quick replies',
    prechatTitle: 'Before we start',
    prechatIntro: 'Tell us a little about yourself so that the right person answers.',
    departmentLabel: 'Department',
    departmentChoose: 'Choose…',
    prechatStart: 'Start the chat',
    privacyPolicy: 'Privacy policy',
    newTab: 'opens in a new tab',
    errorDepartment: 'Please choose a department.',
    errorAnswer: 'Please answer this question.',
    errorConsent: 'Please agree to continue.',
    errorNameRequired: 'Please enter your name.',
    errorEmailRequired: 'Please enter your email address.',
    errorPhoneRequired: 'Please enter your phone number.',
    prechatRefused: 'We could not start the chat with these answers. Please check them and try again.',
  },
  ru: {
    backToday: 'Сейчас нас нет на месте. Мы вернёмся сегодня в {time}.',
    backTomorrow: 'Сейчас нас нет на месте. Мы вернёмся завтра в {time}.',
    backOn: 'Сейчас нас нет на месте. Мы вернёмся {date}.',
    away: 'Сейчас нас нет на месте.',
    quickReplies: 'Быстрые ответы',
    prechatTitle: 'Перед началом',
    prechatIntro: 'Расскажите немного о себе, чтобы вам ответил нужный специалист.',
    departmentLabel: 'Отдел',
    departmentChoose: 'Выберите…',
    prechatStart: 'Начать чат',
    privacyPolicy: 'Политика конфиденциальности',
    newTab: 'откроется в новой вкладке',
    errorDepartment: 'Выберите отдел.',
    errorAnswer: 'Ответьте на этот вопрос.',
    errorConsent: 'Чтобы продолжить, дайте согласие.',
    errorNameRequired: 'Введите ваше имя.',
    errorEmailRequired: 'Введите адрес электронной почты.',
    errorPhoneRequired: 'Введите номер телефона.',
    prechatRefused: 'Не удалось начать чат с этими ответами. Проверьте их и попробуйте ещё раз.',
  },
};

export const siteStrings = (locale: Locale): SiteStrings => catalogs[locale];

const sameDay = (a: Date, b: Date) =>
  a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();

/**
 * When the team is back, in the visitor's language and own time zone (the runtime's): "today at 09:00", "tomorrow at
 * 09:00", or the weekday and date with the time. `next` null: no opening ahead. `timeZone` only for tests.
 */
export function backAt(locale: Locale, next: number | null, now: number, timeZone?: string): string {
  const t = catalogs[locale];
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
