/**
 * The JSON protocol between the widget and a chat backend, and between the agent console and the reference backend.
 * docs/protocol.md describes it with examples; frames.ts parses frames against it, with the limits and rules of
 * src/model/. All are plain TypeScript (no DOM, no Node), so the widget, the reference backend and the agent console
 * share one definition and one validator.
 *
 * Every frame is one JSON object with a `type`. Visitor messages carry a client-generated `id`, so a resent message is
 * stored once; every stored message gets a per-visitor sequence number `seq`, and a reconnecting widget says the last
 * `seq` it has (`after`) to receive what it missed.
 */

import type {
  CallReport,
  ChatMode,
  ClientAttributes,
  ContactFields,
  CustomField,
  OfflineMessageFields,
  PageInfo,
  Utm,
} from '../model/types.js';
import type { HoursStatus, PrechatSettings } from '../model/site-settings.js';
import type { Rate } from '../model/rating.js';
import type { SiteProfile } from '../model/site-profile.js';

/** Who answers: the agent's name and, when they set one, their photo (an https URL). */
export interface WireAgent {
  name: string;
  photo?: string;
}

export const PROTOCOL_VERSION = 1;

export interface WireMessage {
  /** Client-generated for visitor messages, server-generated for agent messages. */
  id: string;
  seq: number;
  from: 'visitor' | 'agent';
  text: string;
  /** Milliseconds since the epoch, the server's clock. */
  at: number;
  agentName?: string;
  /**
   * Quick replies: buttons the agent offers under the message (1-10 labels of 1-40 characters). The widget shows them
   * while the message is the conversation's last; the visitor's choice is sent as their message.
   */
  replies?: string[];
}

/** The site's pre-chat form as the widget is told it: the settings, and whether this visitor has sent it. */
export type WirePrechat = PrechatSettings & { answered: boolean };
/**
 * The last finished chat with the visitor: its number (1 for the first), the `seq` of its last message, who ended it
 * and the visitor's rating of it (null until given).
 */
export interface WireChatEnd {
  chat: number;
  seq: number;
  by: 'agent' | 'visitor';
  rating: { rate: Rate; comment: string } | null;
}

/** A call-back request as the backend reports it (the model's `CallReport`). */
export type WireCall = CallReport;

// --- widget → backend ---

export type VisitorFrame =
  | {
      type: 'hello';
      v: number;
      widgetId: string;
      /**
       * The id the backend gave this visitor (the `welcome`'s `visitorId`), kept by the widget; absent on a first visit.
       * It is the visitor's bearer secret. The backend never adopts an id it did not issue: an unknown one gets a new.
       */
      visitorId?: string;
      /** An id the widget dropped (`clearHistory`): the backend revokes it, so that it opens nothing from then on. */
      revoke?: string;
      /** The highest `seq` the widget already has (0 for none). */
      after: number;
      page: PageInfo;
      department: string | null;
      lang: string;
    }
  | { type: 'message'; id: string; text: string }
  | { type: 'typing'; typing: boolean }
  | { type: 'read'; seq: number }
  | { type: 'page'; page: PageInfo }
  /** The department the chat is routed to changed (the attribute, or an invitation for a department). */
  | { type: 'department'; department: string | null }
  | ({ type: 'offline_message'; id: string } & OfflineMessageFields)
  /** The visitor's contact details, whole (each send replaces the last). */
  | ({ type: 'contact' } & ContactFields)
  /** The site's extra data about the visitor, whole (replaces the last). */
  | { type: 'custom_data'; fields: CustomField[] }
  /** The site's own id for the visitor: never shown to agents, carried as `user_token` in backend events. */
  | { type: 'user_token'; token: string }
  /** The utm tags of the visitor's first visit. */
  | { type: 'utm'; utm: Utm }
  /** Asks to be called back on `phone` (normalised); `id` makes a resend harmless. */
  | { type: 'call_request'; id: string; phone: string }
  /** The site's client attributes (`setClientAttributes`), whole (replaces the last). */
  | { type: 'client_attributes'; attributes: ClientAttributes }
  /** The visitor's answer to the agent's request `request`: `given` (the contact frame before it carries them) or declined. */
  | { type: 'contacts_answer'; request: string; given: boolean }
  /**
   * The site's pre-chat form, sent (the contact frame before it carries name, email and phone): the answer to the
   * site's question ('' when none), the department chosen, and the version of the consent text the visitor agreed to.
   */
  | { type: 'prechat'; id: string; answer: string; department: string | null; consent: string | null }
  /** The visitor ends the current chat (the window's *End chat*). */
  | { type: 'end' }
  /** The visitor rates finished chat `chat` (`rate`), or declines to (`rate: null`). */
  | { type: 'rating'; chat: number; rate: Rate | null; comment: string };

// --- backend → widget ---

/** The backend's word for `ChatMode`. */
export type ChatModeWire = ChatMode;

export type BackendFrame =
  | {
      type: 'welcome';
      /**
       * The visitor's id, issued by the backend (the hello's own id when the backend knows it): the widget keeps it and
       * says it in its next hello. A welcome on an open socket with another id means the socket now serves another
       * visitor (a verified identity's). Optional for other backends: the widget then keeps an id of its own making.
       */
      visitorId?: string;
      visitorNumber: number;
      chatMode: ChatModeWire;
      agent: WireAgent | null;
      /** Messages with `seq` above the hello's `after`, oldest first. */
      messages: WireMessage[];
      /** The highest agent-message `seq` the visitor has read (in any tab). */
      readSeq: number;
      /** Whether the visitor may ask for a call back now; a backend that leaves it out offers none. */
      callbackEnabled?: boolean;
      /** The visitor's latest call-back request, if any (so a reload or another tab follows it). */
      call?: WireCall | null;
      /** The id of an agent's request for the visitor's contacts still unanswered; absent or null when there is none. */
      contactsRequest?: string | null;
      /** The site's business hours now: absent or null when it has no schedule. */
      hours?: HoursStatus | null;
      /** The site's pre-chat form: absent or null when it has none. */
      prechat?: WirePrechat | null;
      /** The last finished chat, when one was; absent before. */
      ended?: WireChatEnd;
      /** What the site shows of its team (name, greeting, messenger channels); absent when it configured none. */
      site?: SiteProfile;
    }
  | { type: 'ack'; id: string; seq: number; at: number }
  | { type: 'message'; message: WireMessage }
  | { type: 'typing'; typing: boolean }
  | { type: 'read'; seq: number }
  | { type: 'chat_mode'; chatMode: ChatModeWire }
  | { type: 'agent'; agent: WireAgent | null }
  /** Call backs became available or unavailable. */
  | { type: 'callback'; enabled: boolean }
  /** A call-back request was stored or changed status (to every socket of the visitor; a resend's answer to its sender). */
  | { type: 'call'; call: WireCall }
  /** An agent asks for the visitor's contacts (`request` is its id), or (null) no request is pending any more. */
  | { type: 'contacts_request'; request: string | null }
  /** The site's business hours changed (it opened, it closed, an admin changed them); null: no schedule any more. */
  | { type: 'hours'; hours: HoursStatus | null }
  /** The site's pre-chat form changed, or the visitor sent it in another tab; null: the site has none any more. */
  | { type: 'prechat'; prechat: WirePrechat | null }
  /** A chat was finished (by the agent or the visitor), or the visitor rated it (in any tab). */
  | { type: 'chat_ended'; ended: WireChatEnd }
  | { type: 'error'; code: ErrorCode; message: string; id?: string };

export type ErrorCode =
  | 'bad_frame'
  | 'too_large'
  | 'rate_limited'
  | 'invalid_field'
  | 'not_ready'
  | 'unknown_visitor'
  | 'callback_disabled'
  | 'call_in_progress'
  /** The site asks for consent (its pre-chat form) before the visitor's first message. */
  | 'consent_required';

// --- validation ---

export type Parsed<T> = { ok: true; frame: T } | { ok: false; code: ErrorCode; message: string; id?: string };
