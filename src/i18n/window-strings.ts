import type { Locale } from './strings.js';

/**
 * What the widget's status region says (components/widget/controllers/status.ts), per language. Apart from the
 * catalogues in en.ts and ru.ts on purpose: only the window chunk needs them, so the launcher does not carry them.
 */
export interface Announcements {
  /** An agent's message that arrived while the window was closed. */
  newMessage: string;
  /** A visitor message the backend refused or that could not be sent. */
  notSent: string;
}

const catalogs: Record<Locale, Announcements> = {
  en: {
    newMessage: 'New message from {name}: {text}',
    notSent: 'Message not sent: {text} Use Send again to retry.',
  },
  ru: {
    newMessage: 'Новое сообщение от {name}: {text}',
    notSent: 'Сообщение не отправлено: {text} Чтобы повторить, нажмите «Отправить ещё раз».',
  },
};

export const announcements = (locale: Locale): Announcements => catalogs[locale];
