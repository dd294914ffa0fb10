/**
 * What the visitor and the site tell about the visitor (contacts, custom data, token, page, utm, client attributes),
 * the contacts form, and the visitor's whole record (restored from storage, forgotten by `clearHistory`). Pure
 * functions of the state; the store applies them.
 */
import type { CustomField, PageInfo, Utm } from '../model/types.js';
import type { Outcome } from './events.js';
import { persistedPart, type SavedState } from './stored.js';
import { EMPTY_CONTACT, initialState, type Contact, type WidgetState } from './types.js';

/** Merges contact details; unchanged when they say nothing new. */
export function setContact(s: WidgetState, contact: Partial<Contact>): WidgetState {
  const current = s.contact;
  const next = { ...current, ...contact };
  const changed = (Object.keys(next) as Array<keyof Contact>).some((key) => next[key] !== current[key]);
  return changed ? { ...s, contact: next } : s;
}

export const setCustomData = (s: WidgetState, customData: readonly CustomField[]): WidgetState => ({
  ...s,
  customData,
});

export const setPage = (s: WidgetState, page: PageInfo | null): WidgetState => ({ ...s, page });

export const setUtm = (s: WidgetState, utm: Utm): WidgetState => ({ ...s, utm });

/**
 * What the backend says of the agent's request: its id while it waits for an answer, null when none does. A request
 * the visitor already answered here stays answered (the session sends the answer).
 */
export function receiveContactsRequest(s: WidgetState, id: string | null): WidgetState {
  const current = s.contactsRequest;
  if (id === null ? current === null : current?.id === id) return s;
  return { ...s, contactsRequest: id === null ? null : { id, state: 'pending' } };
}

/** The visitor sent the contacts form: their details, and the answer to a pending agent request. */
export function introduce(s: WidgetState, contact: Pick<Contact, 'name' | 'email' | 'phone'>): Outcome {
  const request =
    s.contactsRequest?.state === 'pending' ? { ...s.contactsRequest, state: 'given' as const } : s.contactsRequest;
  return [{ ...s, contact: { ...s.contact, ...contact }, contactsRequest: request }, { type: 'introduction' }];
}

/** The visitor dismissed the agent's pending request. */
export function declineContacts(s: WidgetState): WidgetState {
  const r = s.contactsRequest;
  return r?.state === 'pending' ? { ...s, contactsRequest: { ...r, state: 'declined' } } : s;
}

/** The visitor skipped the site's optional contacts form. */
export const skipContactsForm = (s: WidgetState): WidgetState =>
  s.contactsSkipped ? s : { ...s, contactsSkipped: true };

/**
 * Forgets the conversation and the visitor: messages, unread count, invitation, agent, draft, offline messages, and
 * the visitor number and id (the next connection is a new visitor, whose hello revokes the old id). The window stays
 * as it is.
 */
export function clearHistory(s: WidgetState): WidgetState {
  return {
    ...s,
    messages: [],
    queued: [],
    unread: 0,
    readSeq: 0,
    invitation: null,
    invited: false,
    agent: null,
    agentTyping: false,
    draft: '',
    offlineMessages: [],
    contact: EMPTY_CONTACT,
    customData: [],
    userToken: '',
    call: null,
    clientAttributes: null,
    contactsSkipped: false,
    contactsRequest: null,
    visitorId: '',
    revoke: s.visitorId || s.revoke,
    visitorNumber: null,
    view: s.view === 'chat/min' ? 'label' : s.view,
  };
}

/**
 * Replaces everything kept in the browser with what was restored: what `saved` lacks starts fresh (a widget id with
 * nothing stored is a new visitor, whose id the backend's welcome gives, not a copy of the previous one). Of the
 * messages the backend has not numbered, only those a tab queued are the visitor's (see `WidgetState.queued`).
 */
export function restore(s: WidgetState, saved: SavedState): WidgetState {
  const fresh = initialState(s.locale);
  const messages = saved.messages ?? [];
  // Stored by a version that kept no queue: its unsent messages were all the widget's own.
  const queued = saved.queued ?? (saved.visitorId ? messages.filter((m) => m.seq === undefined).map((m) => m.id) : []);
  // What the backend says about call backs holds for the connection it came on: unknown until the next welcome.
  return {
    ...s,
    ...persistedPart(fresh),
    ...saved,
    messages: messages.filter((m) => m.seq !== undefined || queued.includes(m.id)),
    queued,
    openedBy: null,
    agent: null,
    agentTyping: false,
    callbackEnabled: null,
    hidden: false,
    offlineFormOpen: false,
  };
}
