import type { LauncherStrings } from '../catalog.js';

/** The launcher's text in German: the only strings of a language that load before the launcher. */
export const de: LauncherStrings = {
  launcherText: 'Schreiben Sie uns',
  launcherTextContinue: 'Chat fortsetzen',
  launcherName: '{text}{unread}',
  unread: {
    one: ', {count} ungelesene Nachricht',
    other: ', {count} ungelesene Nachrichten',
  },
};
