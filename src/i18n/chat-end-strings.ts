import type { Locale } from './strings.js';

/**
 * Strings of ending the chat, rating it, saving its transcript and of the alerts for a reply that arrives while the
 * page is hidden (the page's title, the desktop notification), per language. Only the window chunk carries them.
 */
export interface ChatEndStrings {
  /** The header's control that ends the chat. */
  endChat: string;
  endQuestion: string;
  cancel: string;
  /** Said and shown once the chat has ended. */
  ended: string;
  rateQuestion: string;
  /** The accessible name of the good/bad pair. */
  rateGroup: string;
  good: string;
  bad: string;
  comment: string;
  sendRating: string;
  noThanks: string;
  /** The visitor sent the rating form without choosing. */
  chooseRate: string;
  thanks: string;
  newChatHint: string;
  saveTranscript: string;
  transcriptTitle: string;
  /** The visitor's name in a transcript. */
  you: string;
  /** The line a transcript has where a chat ended. */
  endedLine: string;
  /** In the page's title while it is hidden: `{count}` unread replies. */
  titleUnread: string;
  /** The header's toggle for desktop notifications. */
  notifications: string;
  /** A desktop notification's title; `{name}` is the agent's name. */
  notificationTitle: string;
  /** Said when the browser refused notifications. */
  notificationsBlocked: string;
  /** The text alternative of the agent's photo in the window's header. */
  agentPhoto: string;
  /** The channel menu's list of messengers. */
  channelsLabel: string;
  /** Each messenger channel's name in the channel menu. */
  channels: Record<'whatsapp' | 'telegram' | 'viber' | 'messenger' | 'email' | 'phone', string>;
  /** Said after a channel's name: it opens another app or page. */
  opensElsewhere: string;
}

const catalogs: Record<Locale, ChatEndStrings> = {
  en: {
    endChat: 'End chat',
    endQuestion: 'End this chat? You can start a new one at any time.',
    cancel: 'Cancel',
    ended: 'The chat has ended.',
    rateQuestion: 'How was this chat?',
    rateGroup: 'Your rating',
    good: 'Good',
    bad: 'Bad',
    comment: 'Comment (optional)',
    sendRating: 'Send rating',
    noThanks: 'No, thanks',
    chooseRate: 'Choose Good or Bad first.',
    thanks: 'Thank you for your rating.',
    newChatHint: 'Write a message to start a new chat.',
    saveTranscript: 'Save transcript',
    transcriptTitle: 'Chat transcript',
    you: 'You',
    endedLine: 'Chat ended',
    titleUnread: '({count}) New message',
    notifications: 'Notify me of replies',
    notificationTitle: 'New message from {name}',
    notificationsBlocked: 'Notifications are blocked in this browser.',
    agentPhoto: 'Photo of {name}',
    channelsLabel: 'Other ways to reach us',
    channels: {
      whatsapp: 'WhatsApp',
      telegram: 'Telegram',
      viber: 'Viber',
      messenger: 'Messenger',
      email: 'E-mail',
      phone: 'Phone',
    },
    opensElsewhere: '(opens another app)',
  },
  ru: {
    endChat: 'Завершить чат',
    endQuestion: 'Завершить этот чат? Новый можно начать в любой момент.',
    cancel: 'Отмена',
    ended: 'Чат завершён.',
    rateQuestion: 'Как прошёл разговор?',
    rateGroup: 'Ваша оценка',
    good: 'Хорошо',
    bad: 'Плохо',
    comment: 'Комментарий (необязательно)',
    sendRating: 'Отправить оценку',
    noThanks: 'Нет, спасибо',
    chooseRate: 'Сначала выберите «Хорошо» или «Плохо».',
    thanks: 'Спасибо за оценку!',
    newChatHint: 'Напишите сообщение, чтобы начать новый чат.',
    saveTranscript: 'Сохранить переписку',
    transcriptTitle: 'Переписка в чате',
    you: 'Вы',
    endedLine: 'Чат завершён',
    titleUnread: '({count}) Новое сообщение',
    notifications: 'Сообщать об ответах',
    notificationTitle: 'Новое сообщение от {name}',
    notificationsBlocked: 'Уведомления в этом браузере запрещены.',
    agentPhoto: 'Фото: {name}',
    channelsLabel: 'Другие способы связи',
    channels: {
      whatsapp: 'WhatsApp',
      telegram: 'Telegram',
      viber: 'Viber',
      messenger: 'Messenger',
      email: 'Электронная почта',
      phone: 'Телефон',
    },
    opensElsewhere: '(откроется другое приложение)',
  },
};

export const chatEndStrings = (locale: Locale): ChatEndStrings => catalogs[locale];
