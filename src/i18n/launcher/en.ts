import type { LauncherStrings } from '../catalog.js';

/** The launcher's text in en: the only strings of a language that load before the launcher. */
export const en: LauncherStrings = {
  launcherText: 'Chat with us',
  launcherTextContinue: 'Continue the chat',
  launcherName: '{text}{unread}',
  unread: {
    one: ', {count} unread message',
    other: ', {count} unread messages',
  },
};
