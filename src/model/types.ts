/**
 * The domain's types: what the visitor, the site and the backend say about a visitor and a chat, shared by the wire
 * (transport/protocol.ts), the store and the page API. Types only.
 */

/** Whether an agent is online (`chatMode()`, the backend's `chat_mode`). */
export type ChatMode = 'online' | 'offline';

/** A client attribute's value; `null` in a `setClientAttributes` call deletes the attribute. */
export type ClientAttributeValue = string | number | boolean;
/** The visitor's client attributes, whole, in the order they were first set. */
export type ClientAttributes = Record<string, ClientAttributeValue>;

export interface PageInfo {
  url: string;
  title: string;
}

/** What the visitor or the site told about the visitor (`setContactInfo`, the contact form); '' where unknown. */
export interface ContactFields {
  name: string;
  email: string;
  phone: string;
  description: string;
}

/** One line of `setCustomData`: shown to agents in the given order; `link` only if http or https. */
export interface CustomField {
  content: string;
  title?: string;
  link?: string;
  key?: string;
}

/** The utm_* tags of the visitor's first visit. */
export interface Utm {
  source: string;
  medium: string;
  campaign: string;
  content: string;
  term: string;
}

/** The utm tags, in the order the page address names them (`utm_source`, …). */
export const UTM_KEYS = ['source', 'medium', 'campaign', 'content', 'term'] as const;

/**
 * A call-back request as the backend reports it: `requested` (stored, an agent will call), `connected` (the agent
 * reached the visitor), then `finished`, or `failed` (with a `reason`) instead of either.
 */
export type CallStatus = 'requested' | 'connected' | 'finished' | 'failed';

export const CALL_STATUSES: readonly CallStatus[] = ['requested', 'connected', 'finished', 'failed'];

/** The backend's word on a call-back request (the wire's `call`). */
export interface CallReport {
  /** The widget's id for the request, so that a resent request is stored once. */
  id: string;
  /** Normalised: an optional `+` and 7-15 digits. */
  phone: string;
  status: CallStatus;
  /** Failed calls only. */
  reason?: string;
  /** When the backend stored the request, its clock. */
  at: number;
}

export interface OfflineMessageFields {
  name: string;
  email: string;
  phone: string;
  description: string;
  message: string;
}
