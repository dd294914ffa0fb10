import type { Locale } from './strings.js';

/**
 * Strings that only the window chunk uses (the status region, form hints), per language. Apart from the catalogues
 * in en.ts and ru.ts on purpose: the launcher, which loads first, does not carry them.
 */
export interface WindowStrings {
  /** An agent's message that arrived while the window was closed. */
  newMessage: string;
  /** A visitor message the backend refused or that could not be sent. */
  notSent: string;
  /** After the label of a field that must be filled in. */
  required: string;
  /** The connection to the backend has been gone for a while (the header says "Connecting…"). */
  connectionLost: string;
  /** …and it is back. */
  connectionBack: string;
  /** The offline form's message waits for the connection. */
  offlinePending: string;
  /** Announced once the contacts form is sent. */
  contactsThanks: string;
}

const catalogs: Record<Locale, WindowStrings> = {
  en: {
    newMessage: 'New message from {name}: {text}',
    notSent: 'Message not sent: {text} Use Send again to retry.',
    required: 'required',
    connectionLost: 'Connection lost. Your messages will be sent when we are connected again.',
    connectionBack: 'Connected again.',
    offlinePending: 'Your message is saved and will be sent as soon as we are connected.',
    contactsThanks: 'Thank you, we have your contact details.',
  },
  ru: {
    newMessage: 'Новое сообщение от {name}: {text}',
    notSent: 'Сообщение не отправлено: {text} Чтобы повторить, нажмите «Отправить ещё раз».',
    required: 'обязательно',
    connectionLost: 'Связь потеряна. Ваши сообщения будут отправлены, когда она восстановится.',
    connectionBack: 'Связь восстановлена.',
    offlinePending: 'Сообщение сохранено и будет отправлено, как только появится связь.',
    contactsThanks: 'Спасибо, ваши контакты получены.',
  },
};

export const windowStrings = (locale: Locale): WindowStrings => catalogs[locale];
