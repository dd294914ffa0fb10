import type { LauncherStrings } from '../catalog.js';

/** The launcher's text in Polish: the only strings of a language that load before the launcher. */
export const pl: LauncherStrings = {
  launcherText: 'Napisz do nas',
  launcherTextContinue: 'Kontynuuj czat',
  launcherName: '{text}{unread}',
  unread: {
    one: ', {count} nieprzeczytana wiadomość',
    few: ', {count} nieprzeczytane wiadomości',
    many: ', {count} nieprzeczytanych wiadomości',
    other: ', {count} nieprzeczytanej wiadomości',
  },
};
