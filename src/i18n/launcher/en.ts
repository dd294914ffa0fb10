import type { LauncherStrings } from '../catalog.js';

/** The launcher's text in English: it loads with the launcher; the window's catalogue (`locales/en.ts`) has it too. */
export const en: LauncherStrings = {
  launcherText: 'Chat with us',
  launcherTextContinue: 'Continue the chat',
  launcherName: '{text}{unread}',
  unread: {
    one: ', {count} unread message',
    other: ', {count} unread messages',
  },
};
