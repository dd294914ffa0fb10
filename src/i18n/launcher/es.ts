import type { LauncherStrings } from '../catalog.js';

/** The launcher's text in Spanish: the only strings of a language that load before the launcher. */
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
