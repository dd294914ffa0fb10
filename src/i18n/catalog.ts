import type { ChatEndStrings } from './chat-end-strings.js';
import type { SiteStrings } from './site-strings.js';
import type { Strings } from './strings.js';
import type { WindowStrings } from './window-strings.js';

/** The strings the launcher shows: they ship for every language before the launcher renders. */
export type LauncherKey = 'launcherText' | 'launcherTextContinue' | 'launcherName' | 'unread';
export type LauncherStrings = Pick<Strings, LauncherKey>;

/** Everything else of one language, in one lazily loaded chunk per language. */
export interface Catalog extends Omit<Strings, LauncherKey> {
  window: WindowStrings;
  chatEnd: ChatEndStrings;
  site: SiteStrings;
}
