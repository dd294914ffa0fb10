/**
 * The console's own words where the screen and its status region must agree: how a visitor is named, the connection
 * line, and every sentence the status region says. The console speaks English (its page is `lang="en"`).
 */
import type { ConsoleState } from './store.js';

/** Longer texts (a visitor's message, say) are cut to this many characters in an announcement. */
const MAX_TEXT = 200;
const clip = (text: string) => (text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text);
/** A reason from the backend, without a final full stop (the sentence around it has its own). */
const bare = (reason: string) => reason.trim().replace(/[.\s]+$/, '');

export const visitorLabel = (chat: { number: number }) => `Visitor ${chat.number}`;

export const DISCONNECTED = 'Disconnected from the backend, reconnecting… (what you see may be out of date)';

/** The status line under the console's heading. */
export function connectionText(s: ConsoleState): string {
  if (s.connection === 'open') return `Connected · you are ${s.online ? 'online' : 'offline'} · chat ${s.chatMode}`;
  return s.connection === 'connecting' ? 'Connecting…' : DISCONNECTED;
}

/** What the status region says of the connection: connected (and how), or not. "Connecting…" between retries is not said. */
export const connectionAnnouncement = (s: ConsoleState) => (s.connection === 'open' ? connectionText(s) : DISCONNECTED);

export const say = {
  settingsSaved: (widgetId: string) => `Settings saved for ${widgetId}.`,
  settingsRefused: (widgetId: string, reason: string) => `Settings for ${widgetId} not saved: ${reason}`,
  newVisitor: (visitor: string, widgetId: string, pageTitle: string) =>
    `New visitor: ${visitor} (${widgetId})${pageTitle.trim() ? `, on ${clip(pageTitle.trim())}` : ''}.`,
  visitorMessage: (visitor: string, text: string) => `${visitor}: ${clip(text)}`,
  typing: (visitor: string) => `${visitor} is typing…`,
  notSent: (visitor: string, reason: string, text: string) =>
    `Your reply to ${visitor} was not sent (${bare(reason)}): ${clip(text)}`,
  offlineMessage: (name: string, visitor: string, text: string) =>
    `New offline message from ${name.trim() ? `${clip(name.trim())} (${visitor})` : visitor}: ${clip(text)}`,
  callRequest: (visitor: string, phone: string) => `${visitor} asks to be called back at ${phone}.`,
  contactsRequested: (visitor: string) => `Contact details requested from ${visitor}.`,
  contactsGiven: (visitor: string) => `${visitor} gave their contact details.`,
  contactsDeclined: (visitor: string) => `${visitor} declined to give their contact details.`,
  visitorEnded: (visitor: string) => `${visitor} ended the chat.`,
  rated: (visitor: string, rate: 'good' | 'bad', comment: string) =>
    `${visitor} rated the chat ${rate}${comment.trim() ? `: ${clip(comment.trim())}` : '.'}`,
};
