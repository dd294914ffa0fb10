/**
 * Named selectors: what the components read of the state, each defined once. A selector returns a value already in the
 * state or a primitive (never a fresh array or object), so that `select`'s `distinctUntilChanged` lets through only
 * real changes.
 */
import { FULL_VIEWS, OPEN_VIEWS, type Contact, type ContactsFormReason, type WidgetState } from './types.js';

/** The chat window is on screen (the chat, a form or the menu). */
export const isOpen = (s: WidgetState) => OPEN_VIEWS.has(s.view);
/** The window takes the whole screen on a phone. */
export const isFullView = (s: WidgetState) => FULL_VIEWS.has(s.view);
/** Closed after a conversation started: the launcher offers to continue it. */
export const isMinimized = (s: WidgetState) => s.view === 'chat/min';
/** The callback form shows over the chat. */
export const callOverChat = (s: WidgetState) => s.view === 'chat/call';

export const isOnline = (s: WidgetState) => s.chatMode === 'online';
export const isConnecting = (s: WidgetState) => s.connection === 'connecting';
export const hasInvitation = (s: WidgetState) => s.invitation !== null;
/** The offline message sent last, or null. */
export const lastOfflineMessage = (s: WidgetState) => s.offlineMessages.at(-1) ?? null;

/** The backend offers call backs now. */
export const callOffered = (s: WidgetState) => s.callbackEnabled === true;
/** Whether call backs are offered; null until the backend has said. */

/**
 * The backend says nobody is online and there is nothing to continue, or a trigger rule asked for it: the window
 * offers the offline form instead of the chat.
 */
export const offlineFormShown = (s: WidgetState) =>
  s.offlineFormOpen ||
  (s.connection === 'open' && s.chatMode === 'offline' && !s.agent && s.messages.length === 0 && !s.invitation);

/** Whether the contact details answer the contacts form: a name, and an email or a phone. */
export const hasContacts = (c: Contact): boolean => !!c.name && !!(c.email || c.phone);

/** Why the contacts form shows now, or null. */
export function contactsFormReason(s: WidgetState): ContactsFormReason | null {
  if (s.contactsRequest?.state === 'pending') return 'request';
  const mode = s.contactsForm;
  if (mode === 'off' || s.messages.length > 0 || hasContacts(s.contact) || (mode === 'optional' && s.contactsSkipped))
    return null;
  return mode;
}
