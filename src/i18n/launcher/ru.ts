import type { LauncherStrings } from '../catalog.js';

/** The launcher's text in Russian: it loads with the language's catalogue (`locales/`), before the launcher shows. */
export const ru: LauncherStrings = {
  launcherText: 'Напишите нам',
  launcherTextContinue: 'Продолжить чат',
  launcherName: '{text}{unread}',
  unread: {
    one: ', {count} непрочитанное сообщение',
    few: ', {count} непрочитанных сообщения',
    many: ', {count} непрочитанных сообщений',
    other: ', {count} непрочитанного сообщения',
  },
};
