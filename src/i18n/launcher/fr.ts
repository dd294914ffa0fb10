import type { LauncherStrings } from '../catalog.js';

/** The launcher's text in French: it loads with the language's catalogue (`locales/`), before the launcher shows. */
export const fr: LauncherStrings = {
  launcherText: 'Écrivez-nous',
  launcherTextContinue: 'Reprendre la discussion',
  launcherName: '{text}{unread}',
  unread: {
    one: ', {count} message non lu',
    many: ', {count} de messages non lus',
    other: ', {count} messages non lus',
  },
};
