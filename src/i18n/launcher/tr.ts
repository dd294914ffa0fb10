import type { LauncherStrings } from '../catalog.js';

/** The launcher's text in Turkish: it loads with the language's catalogue (`locales/`), before the launcher shows. */
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
