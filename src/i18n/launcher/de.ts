import type { LauncherStrings } from '../catalog.js';

/** The launcher's text in German: it loads with the language's catalogue (`locales/`), before the launcher shows. */
export const de: LauncherStrings = {
  launcherText: 'Schreiben Sie uns',
  launcherTextContinue: 'Chat fortsetzen',
  launcherName: '{text}{unread}',
  unread: {
    one: ', {count} ungelesene Nachricht',
    other: ', {count} ungelesene Nachrichten',
  },
};
