import type { LauncherStrings } from '../catalog.js';

/** The launcher's text in Hebrew: it loads with the language's catalogue (`locales/`), before the launcher shows. */
export const he: LauncherStrings = {
  launcherText: 'כתבו לנו',
  launcherTextContinue: 'המשך הצ׳אט',
  launcherName: '{text}{unread}',
  // one and two say the number in words, as Hebrew does, so they have no {count}.
  unread: {
    one: ', הודעה אחת שלא נקראה',
    two: ', שתי הודעות שלא נקראו',
    other: ', {count} הודעות שלא נקראו',
  },
};
