import type { LauncherStrings } from '../catalog.js';

/** The launcher's text in Arabic: it loads with the language's catalogue (`locales/`), before the launcher shows. */
export const ar: LauncherStrings = {
  launcherText: 'تواصل معنا',
  launcherTextContinue: 'متابعة المحادثة',
  launcherName: '{text}{unread}',
  // zero, one and two say the number in words, as Arabic does, so they have no {count}.
  unread: {
    zero: '، لا توجد رسائل غير مقروءة',
    one: '، رسالة واحدة غير مقروءة',
    two: '، رسالتان غير مقروءتين',
    few: '، {count} رسائل غير مقروءة',
    many: '، {count} رسالة غير مقروءة',
    other: '، {count} رسالة غير مقروءة',
  },
};
