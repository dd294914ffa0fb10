import type { LauncherStrings } from '../catalog.js';

/** The launcher's text in Italian: it loads with the language's catalogue (`locales/`), before the launcher shows. */
export const it: LauncherStrings = {
  launcherText: 'Scrivici',
  launcherTextContinue: 'Continua la chat',
  launcherName: '{text}{unread}',
  unread: {
    one: ', {count} messaggio non letto',
    many: ', {count} di messaggi non letti',
    other: ', {count} messaggi non letti',
  },
};
