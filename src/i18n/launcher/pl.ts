import type { LauncherStrings } from '../catalog.js';

/** The launcher's text in Polish: it loads with the language's catalogue (`locales/`), before the launcher shows. */
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
