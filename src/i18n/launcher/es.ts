import type { LauncherStrings } from '../catalog.js';

/** The launcher's text in Spanish: it loads with the language's catalogue (`locales/`), before the launcher shows. */
export const es: LauncherStrings = {
  launcherText: 'Escríbenos',
  launcherTextContinue: 'Continuar el chat',
  launcherName: '{text}{unread}',
  unread: {
    one: ', {count} mensaje sin leer',
    many: ', {count} de mensajes sin leer',
    other: ', {count} mensajes sin leer',
  },
};
