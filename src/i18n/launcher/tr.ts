import type { LauncherStrings } from '../catalog.js';

/** The launcher's text in Turkish: the only strings of a language that load before the launcher. */
export const tr: LauncherStrings = {
  launcherText: 'Bize yazın',
  launcherTextContinue: 'Sohbete devam et',
  launcherName: '{text}{unread}',
  // A noun after a number stays singular in Turkish, so both forms read the same.
  unread: {
    one: ', {count} okunmamış mesaj',
    other: ', {count} okunmamış mesaj',
  },
};
