/**
 * What the visitor and the site tell about the visitor (contacts, custom data, page), the contacts form, and
 * forgetting the visitor's whole record (`clearHistory`; restoring it is `stored.ts`'s). Pure functions of the state;
 * the store applies them.
 */
import type { CustomField, PageInfo } from '../model/types.js';
import type { Outcome } from './events.js';
import { EMPTY_CONTACT, type Contact, type WidgetState } from './types.js';

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
