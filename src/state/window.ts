/**
 * The window: what is on screen, who opened it, invitations, and the settings the page gives (language, department).
 * Pure functions of the state; the store applies them.
 */
import {
  OPEN_VIEWS,
  type ChatMessage,
  type OpenSource,
  type StartView,
  type WidgetState,
  type WidgetView,
} from './types.js';

/** The views that show the conversation: agent messages there are read at once. */
export const chatShown = (s: WidgetState): boolean => s.view === 'chat' || s.view === 'chat/call';

function lastAgentSeq(messages: readonly ChatMessage[], readSeq: number): number {
  let seq = readSeq;
  for (const m of messages) if (m.from === 'agent' && m.seq !== undefined && m.seq > seq) seq = m.seq;
  return seq;
}

/** The visitor sees the chat: everything the agent wrote is read. */
export function readAll(s: WidgetState): WidgetState {
  return { ...s, unread: 0, readSeq: lastAgentSeq(s.messages, s.readSeq) };
}

/**
 * Opens the window, the channel menu or the callback form: over the chat (`chat/call`) while the chat is open, on its
 * own (`call`) otherwise. Showing the chat reads the unread messages.
 */
export function open(s: WidgetState, start: StartView, by: OpenSource): WidgetState {
  const view: WidgetView = start === 'call' && chatShown(s) ? 'chat/call' : start;
  if (s.view === view && !s.hidden) return s;
  const next = { ...s, view, openedBy: by, hidden: false };
  return chatShown(next) ? readAll(next) : next;
}

/** Closes whatever is open (at `now()`): to `chat/min` once a conversation exists, else to `label`. */
export function minimize(s: WidgetState, now: () => number): WidgetState {
  if (!OPEN_VIEWS.has(s.view)) return s;
  return {
    ...s,
    view: s.messages.length > 0 ? 'chat/min' : 'label',
    openedBy: null,
    windowClosedAt: now(),
    offlineFormOpen: false,
  };
}

/** Opens the window on the offline form (a trigger rule's action), whether or not an agent is online. */
export function openOfflineForm(s: WidgetState): WidgetState {
  return {
    ...readAll(s),
    view: 'chat',
    openedBy: s.view === 'chat' ? s.openedBy : 'trigger',
    hidden: false,
    offlineFormOpen: true,
  };
}

/** Hides the whole widget for this page view (a trigger rule's action); `open` shows it again. */
export const hide = (s: WidgetState): WidgetState => (s.hidden ? s : { ...s, hidden: true });

/** Shows a proactive invitation at `now`: the window opens with the text as the team's greeting. */
export function showInvitation(s: WidgetState, text: string, department: string | null, now: number): WidgetState {
  return {
    ...readAll(s),
    invitation: { text, department, at: now },
    invited: true,
    department: department ?? s.department,
    view: 'chat',
    openedBy: s.view === 'chat' ? s.openedBy : 'invitation',
    hidden: false,
  };
}

export const dismissInvitation = (s: WidgetState): WidgetState => (s.invitation ? { ...s, invitation: null } : s);
