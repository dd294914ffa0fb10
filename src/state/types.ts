import type { Locale } from '../i18n/index.js';
import type { ClientAttributes, CustomField, PageInfo, Utm } from '../transport/protocol.js';

/**
 * The widget's state, exactly the strings of the JivoChat API (`jivo_onChangeState`):
 * `label` closed, `chat` window open, `chat/min` minimized after a conversation started,
 * `call` and `chat/call` the callback form, `menu` the channel menu of `open({start: 'menu'})`.
 */
export type WidgetView = 'label' | 'chat' | 'chat/min' | 'call' | 'chat/call' | 'menu';

/** What `open({start})` accepts. */
export type StartView = 'chat' | 'call' | 'menu';

export type { ChatMode } from '../internal/result.js';
import type { ChatMode } from '../internal/result.js';

/** Who asked for the window to open: focus moves into the window for the visitor and the page, never for an invitation. */
export type OpenSource = 'visitor' | 'api' | 'invitation';

export type MessageAuthor = 'visitor' | 'agent';

/** Delivery state of a visitor message: waiting in the outbox, stored by the backend, or given up on until retried. */
export type MessageStatus = 'pending' | 'sent' | 'failed';

export interface ChatMessage {
  /** Client-generated for visitor messages, so that a resent message is stored once. */
  readonly id: string;
  readonly from: MessageAuthor;
  readonly text: string;
  /** Milliseconds since the epoch. */
  readonly at: number;
  /** Visitor messages only. */
  readonly status?: MessageStatus;
  /** Agent messages only. */
  readonly agentName?: string;
  /** The backend's per-visitor sequence number, once it has stored the message. */
  readonly seq?: number;
}

/** A message left through the offline form or `sendOfflineMessage`, kept until the backend has stored it. */
export interface OfflineMessage {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly phone: string;
  readonly description: string;
  readonly message: string;
  readonly at: number;
  readonly status: MessageStatus;
}

/** The backend connection: none configured, (re)connecting, or open and welcomed. */
export type ConnectionStatus = 'none' | 'connecting' | 'open';

export interface Agent {
  readonly name: string;
}

export interface Invitation {
  readonly text: string;
  readonly department: string | null;
  readonly at: number;
}

export interface WidgetState {
  readonly view: WidgetView;
  /** Who opened the window last; null while it is closed. */
  readonly openedBy: OpenSource | null;
  readonly locale: Locale;
  readonly department: string | null;
  readonly chatMode: ChatMode;
  readonly callbackEnabled: boolean;
  readonly agent: Agent | null;
  readonly messages: readonly ChatMessage[];
  /** Agent messages that arrived while the window was not open. */
  readonly unread: number;
  readonly invitation: Invitation | null;
  /** What the visitor has typed but not sent; kept while the window is minimized and across reloads. */
  readonly draft: string;
  /** Random, kept in the browser: who this visitor is to the backend. A new one after `clearHistory()`. */
  readonly visitorId: string;
  /** The backend's sequential number for this visitor, once known. */
  readonly visitorNumber: number | null;
  /** The highest agent-message `seq` the visitor has seen (in any tab). */
  readonly readSeq: number;
  /** Whether a proactive invitation was shown in this conversation (then the chat is not "started by the client"). */
  readonly invited: boolean;
  readonly connection: ConnectionStatus;
  readonly agentTyping: boolean;
  readonly offlineMessages: readonly OfflineMessage[];
  /** What the visitor or the site told about the visitor: the offline form, `setContactInfo`. '' where unknown. */
  readonly contact: Contact;
  /** The site's extra data about the visitor (`setCustomData`), shown to agents in this order. */
  readonly customData: readonly CustomField[];
  /** The site's own id for the visitor (`setUserToken`): never shown, sent to the backend. */
  readonly userToken: string;
  /** The page as the site reported it (`sendPageTitle`); null to use the document's own title and URL. */
  readonly page: PageInfo | null;
  /** The utm tags of the visitor's first visit (empty strings where there were none); null until read. */
  readonly utm: Utm | null;
  /** The site's client attributes (`setClientAttributes`); null until the site sets any. */
  readonly clientAttributes: ClientAttributes | null;
  /** The `contacts-form` attribute: whether the site asks for contacts before the first message. */
  readonly contactsForm: ContactsFormMode;
  /** The visitor skipped the site's optional contacts form. */
  readonly contactsSkipped: boolean;
  /** An agent's request for contacts: `pending` shows the form; the visitor's answer waits here until the backend has it. */
  readonly contactsRequest: ContactsRequest | null;
}

export type ContactsFormMode = 'off' | 'optional' | 'required';

export interface ContactsRequest {
  /** The backend's id of the request. */
  readonly id: string;
  readonly state: 'pending' | 'given' | 'declined';
}

/** Why the contacts form is on screen: an agent asked, or the site's `contacts-form` (before the first message). */
export type ContactsFormReason = 'request' | 'optional' | 'required';

/** Whether the contact details answer the contacts form: a name, and an email or a phone. */
export const hasContacts = (c: Contact): boolean => !!c.name && !!(c.email || c.phone);

/** Why the contacts form shows now, or null. */
export function contactsFormReason(s: WidgetState): ContactsFormReason | null {
  if (s.contactsRequest?.state === 'pending') return 'request';
  const mode = s.contactsForm;
  if (mode === 'off' || s.messages.length > 0 || hasContacts(s.contact) || (mode === 'optional' && s.contactsSkipped)) return null;
  return mode;
}

export interface Contact {
  readonly name: string;
  readonly email: string;
  readonly phone: string;
  readonly description: string;
}

/** The views in which the chat window is on screen. */
export const OPEN_VIEWS: ReadonlySet<WidgetView> = new Set<WidgetView>(['chat', 'call', 'chat/call', 'menu']);

/** Longest message the visitor may send, in UTF-16 code units. */
export const MAX_MESSAGE_LENGTH = 4000;

/** Longest proactive invitation text. */
export const MAX_INVITATION_LENGTH = 1000;

export const EMPTY_CONTACT: Contact = { name: '', email: '', phone: '', description: '' };

export function initialState(locale: Locale = 'en', visitorId = ''): WidgetState {
  return {
    view: 'label',
    openedBy: null,
    locale,
    department: null,
    chatMode: 'offline',
    callbackEnabled: false,
    agent: null,
    messages: [],
    unread: 0,
    invitation: null,
    draft: '',
    visitorId,
    visitorNumber: null,
    readSeq: 0,
    invited: false,
    connection: 'none',
    agentTyping: false,
    offlineMessages: [],
    contact: EMPTY_CONTACT,
    customData: [],
    userToken: '',
    page: null,
    utm: null,
    clientAttributes: null,
    contactsForm: 'off',
    contactsSkipped: false,
    contactsRequest: null,
  };
}
