/**
 * The conversation's updates: messages sent, received, stored and read, the agent, the draft and the offline outbox.
 * Pure functions of the state: each returns the next state (the same object when nothing changes) or an `Outcome`
 * with the events it causes; the store applies them.
 */
import type { Agent, ChatMessage, MessageStatus, OfflineMessage, WidgetState } from './types.js';
import type { Outcome, Welcome } from './events.js';
import { chatShown, readAll } from './window.js';

export { chatShown, readAll };

const bySeq = (a: ChatMessage, b: ChatMessage) => (a.seq ?? Infinity) - (b.seq ?? Infinity);

/** Agent messages above `readSeq`: what the visitor has not seen. */
function countUnread(messages: readonly ChatMessage[], readSeq: number): number {
  let unread = 0;
  for (const m of messages) if (m.from === 'agent' && m.seq !== undefined && m.seq > readSeq) unread++;
  return unread;
}

/** Adds a visitor message (status `pending`, queued: the transport delivers it) and empties the draft. */
export function sendMessage(s: WidgetState, message: ChatMessage): Outcome {
  const first = s.messages.length === 0;
  return [
    { ...s, messages: [...s.messages, message], queued: [...s.queued, message.id], draft: '' },
    { type: 'visitor-message', message, first, invited: s.invited },
  ];
}

/**
 * Adds a message from the backend, or completes one we have (the same id: our own message stored by the backend,
 * or sent from another tab). An agent message counts as unread unless the chat is on screen.
 */
export function receiveMessage(s: WidgetState, message: ChatMessage): Outcome {
  const index = s.messages.findIndex((m) => m.id === message.id);
  if (index >= 0) {
    const known = s.messages[index];
    if (message.seq === undefined || known.seq === message.seq) return [s];
    const messages = s.messages.slice();
    messages[index] = {
      ...known,
      seq: message.seq,
      at: message.at,
      status: known.from === 'visitor' ? 'sent' : known.status,
      file: message.file ?? known.file,
    };
    return [{ ...s, messages }];
  }
  const messages = [...s.messages, message];
  if (message.seq !== undefined && s.messages.length && (s.messages[s.messages.length - 1].seq ?? -1) > message.seq)
    messages.sort(bySeq);
  const next: WidgetState = { ...s, messages };
  if (message.from !== 'agent') return [next];
  const seen = chatShown(s) ? readAll(next) : { ...next, unread: s.unread + 1 };
  return [
    { ...seen, agentTyping: false },
    { type: 'agent-message', message },
  ];
}

/** Sets a visitor message's delivery status; unchanged if it has it already or is unknown. */
export function setMessageStatus(s: WidgetState, id: string, status: MessageStatus): WidgetState {
  const index = s.messages.findIndex((m) => m.id === id);
  if (index < 0 || s.messages[index].status === status) return s;
  const messages = s.messages.slice();
  messages[index] = { ...messages[index], status };
  return { ...s, messages };
}

/** The visitor asks to send a failed message again: it goes back to the outbox. */
export const retryMessage = (s: WidgetState, id: string): WidgetState => setMessageStatus(s, id, 'pending');

/** The backend stored our message `id` as `seq`: it leaves the queue. */
export function acknowledge(s: WidgetState, id: string, seq: number, at: number): WidgetState {
  const index = s.messages.findIndex((m) => m.id === id);
  if (index < 0) return s;
  const messages = s.messages.slice();
  messages[index] = { ...messages[index], seq, at, status: 'sent' };
  return { ...s, messages, queued: s.queued.filter((q) => q !== id) };
}

/**
 * Merges what the backend has (missed messages, our stored ones) into the conversation, oldest first, and takes
 * over its visitor number, chat mode, agent and read position.
 */
export function welcome(s: WidgetState, w: Welcome): WidgetState {
  const byId = new Map(s.messages.map((m) => [m.id, m]));
  let added = false;
  let changed = false;
  for (const m of w.messages) {
    const known = byId.get(m.id);
    if (!known) added = true;
    const status = known && known.from === 'visitor' ? 'sent' : known?.status;
    // A message the widget already has as the backend has it stays as it is.
    if (known && known.seq === m.seq && known.at === m.at && known.status === status) continue;
    changed = true;
    byId.set(m.id, known ? { ...known, seq: m.seq, at: m.at, status, file: m.file ?? known.file } : m);
  }
  // Nothing new: the same array, so that nothing downstream (storage, the log) redoes its work on a reconnect.
  const messages = added
    ? [...byId.values()].sort(bySeq)
    : changed
      ? s.messages.map((m) => byId.get(m.id)!)
      : s.messages;
  const readSeq = Math.max(s.readSeq, w.readSeq);
  const next: WidgetState = {
    ...s,
    messages,
    visitorId: w.visitorId,
    visitorNumber: w.visitorNumber,
    chatMode: w.chatMode,
    agent: w.agent,
    readSeq,
    agentTyping: false,
  };
  return chatShown(s) ? readAll(next) : { ...next, unread: countUnread(messages, readSeq) };
}

/** Another tab (or an earlier page) read agent messages up to `seq`. */
export function markRead(s: WidgetState, seq: number): WidgetState {
  return seq <= s.readSeq ? s : { ...s, readSeq: seq, unread: countUnread(s.messages, seq) };
}

/** An agent took the chat (a live event, unlike the agent a welcome restores). */
export function accept(s: WidgetState, agent: Agent): Outcome {
  return s.agent?.name === agent.name
    ? [s]
    : [
        { ...s, agent },
        { type: 'accepted', agent },
      ];
}

/**
 * Takes in what another tab stored, its messages and its queue, as far as the storage can be believed: any other code
 * of the site can write it too. Of the messages the backend has not numbered, only the visitor's that a tab queued
 * (another tab's unsent message: this tab keeps it, and delivers it too should that tab close first). Messages the
 * backend numbered, and completions of pending ones, only while this tab is not connected itself: when it is, its own
 * connection brings every one of them, and only the backend's word counts. Removes nothing, and reports nothing: an
 * agent's message is reported by the connection that delivers it. (Ids stay queued after their message is stored; the
 * queue is no longer than the conversation.)
 */
export function adoptMessages(s: WidgetState, stored: readonly ChatMessage[], queued: readonly string[]): WidgetState {
  const live = s.connection === 'open';
  const ids = new Set([...s.queued, ...queued]);
  const byId = new Map(s.messages.map((m) => [m.id, m]));
  let changed = ids.size !== s.queued.length;
  for (const m of stored) {
    const known = byId.get(m.id);
    if (m.seq === undefined ? known || !ids.has(m.id) : live || known?.seq !== undefined) continue;
    byId.set(m.id, known ? { ...known, seq: m.seq, at: m.at, status: 'sent' } : m);
    changed = true;
  }
  if (!changed) return s;
  const messages = [...byId.values()].sort((a, b) => bySeq(a, b) || a.at - b.at);
  return { ...s, messages, queued: [...ids], unread: chatShown(s) ? s.unread : countUnread(messages, s.readSeq) };
}

/**
 * Keeps an offline message until the backend has stored it; with `clearDraft` (the offline form, whose message is the
 * draft) the draft is emptied in the same update.
 */
export function queueOfflineMessage(s: WidgetState, message: OfflineMessage, clearDraft = false): WidgetState {
  const next = { ...s, offlineMessages: [...s.offlineMessages, message] };
  return clearDraft && next.draft ? { ...next, draft: '' } : next;
}

export function setOfflineMessageStatus(s: WidgetState, id: string, status: MessageStatus): WidgetState {
  if (!s.offlineMessages.some((m) => m.id === id && m.status !== status)) return s;
  return { ...s, offlineMessages: s.offlineMessages.map((m) => (m.id === id ? { ...m, status } : m)) };
}

export const setAgent = (s: WidgetState, agent: Agent | null): WidgetState =>
  agent?.name === s.agent?.name ? s : { ...s, agent };
