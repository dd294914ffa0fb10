import type { LauncherStrings } from '../catalog.js';

/** The launcher's text in ru: the only strings of a language that load before the launcher. */
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
