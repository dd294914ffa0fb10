import type { LauncherStrings } from '../catalog.js';

/** The launcher's text in Brazilian Portuguese: it loads with the language's catalogue (`locales/`), before the launcher shows. */
export const pt: LauncherStrings = {
  launcherText: 'Fale conosco',
  launcherTextContinue: 'Continuar o chat',
  launcherName: '{text}{unread}',
  unread: {
    one: ', {count} mensagem não lida',
    many: ', {count} de mensagens não lidas',
    other: ', {count} mensagens não lidas',
  },
};
