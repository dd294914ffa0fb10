import type { LauncherStrings } from '../catalog.js';

/** The launcher's text in Ukrainian: the only strings of a language that load before the launcher. */
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
