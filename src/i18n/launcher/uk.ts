import type { LauncherStrings } from '../catalog.js';

/** The launcher's text in Ukrainian: it loads with the language's catalogue (`locales/`), before the launcher shows. */
export const uk: LauncherStrings = {
  launcherText: 'Напишіть нам',
  launcherTextContinue: 'Продовжити чат',
  launcherName: '{text}{unread}',
  unread: {
    one: ', {count} непрочитане повідомлення',
    few: ', {count} непрочитані повідомлення',
    many: ', {count} непрочитаних повідомлень',
    other: ', {count} непрочитаного повідомлення',
  },
};
