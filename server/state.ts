/**
 * The backend's durable state — visitors, conversations, offline messages — as a fold over journal records. Every
 * change is a record: the hub appends it to the journal first and applies it here second, and start-up applies the
 * journal's records in order, so the state after a restart is the state that was acknowledged before it.
 *
 * Only what must survive a restart lives here. Who is connected, who is typing and which agent is online live in the
 * hub and start empty.
 */
import { isId, isObj, isSeq, isStr, isTime } from '../src/model/guards.js';
import { OFFLINE_FIELD_LIMITS, LIMITS } from '../src/model/limits.js';
import {
  type CallStatus,
  type ClientAttributes,
  type ContactFields,
  type CustomField,
  type PageInfo,
  type Utm,
} from '../src/model/types.js';
import { type WireMessage } from '../src/transport/protocol.js';
import {
  CALL_NEXT,
  checkAgentName,
  isStoredPhone,
  parseClientAttributes,
  parseContact,
  parseCustomData,
  parsePage,
  parseUtm,
  parseContactsRequest,
  parseWireMessage,
  type AgentContactsRequest,
  type AgentOfflineMessage,
} from './agent-protocol.js';
import { OrderedIndex } from './ordered-index.js';
import { parsePrechatRecord, type PrechatRecord } from '../src/model/site-settings.js';
import { checkComment, isRate, type ChatRating } from '../src/model/rating.js';

export type JournalRecord =
  | {
      k: 'visitor';
      /** The public id (agents see it); `visitorId` is the widget's secret. */
      id: string;
      widgetId: string;
      visitorId: string;
      number: number;
      at: number;
      page: PageInfo | null;
      department: string | null;
      lang: string;
      /** The browser's User-Agent header (absent in journals written before it was kept). */
      ua?: string;
    }
  /** A hello from a known visitor (`ua` only when the browser's User-Agent changed), or a page change. */
  | { k: 'update'; v: string; at: number; page?: PageInfo; department?: string | null; lang?: string; ua?: string }
  /** `cid` is the console's id of an agent message (to recognise a resend). */
  | { k: 'message'; v: string; m: WireMessage; cid?: string }
  | { k: 'read'; v: string; seq: number }
  | { k: 'agent_read'; v: string; seq: number }
  /** `by` is the agent's name as shown, `id` the account's (absent in journals written before accounts). */
  | { k: 'accept'; v: string; by: string | null; id?: string }
  /**
   * The chat was finished: messages up to `seq` belong to it, the next ones to a new chat; nobody has it now. `by`
   * says who ended it (absent in journals written before visitors could: the agent); `hold` when its `chat_finished`
   * webhook waits for the visitor's rating (chat-end.ts).
   */
  | { k: 'finish'; v: string; seq: number; by?: ChatEnder; hold?: FinishHold }
  /** The visitor rated finished chat number `chat` (at most once per chat). */
  | { k: 'rating'; v: string; rating: ChatRating }
  /** The `chat_finished` webhook of chat number `chat`, held for a rating, went out without one. */
  | { k: 'reported'; v: string; chat: number }
  /** `cid` is the widget's id of the offline message. */
  | { k: 'offline'; v: string; cid: string; o: AgentOfflineMessage }
  /** What the site or the visitor told about the visitor; each record replaces the previous value whole. */
  | { k: 'contact'; v: string; contact: ContactFields }
  | { k: 'custom_data'; v: string; fields: CustomField[] }
  /**
   * The site's own id for the visitor (`setUserToken`); null clears it. Never shown to agents. `verified` when the site
   * signed it (identity.ts).
   */
  | { k: 'user_token'; v: string; token: string | null; verified?: true }
  /**
   * The visitor's bearer id changes to `secret` (server-issued, security review F14): the old one finds nothing from
   * then on. Written when a widget drops its id (`clearHistory`) and the id is revoked.
   */
  | { k: 'rotate'; v: string; secret: string }
  | { k: 'utm'; v: string; utm: Utm | null }
  /** A call-back request, stored as `requested`; `id` is the widget's id for it. */
  | { k: 'call'; v: string; id: string; phone: string; at: number; page: PageInfo | null }
  /** An agent moved the call `id` on (only along CALL_NEXT). */
  | { k: 'call_status'; v: string; id: string; status: CallStatus; reason: string | null; at: number; by: string }
  /** The site's client attributes, whole; `at` counts the change against the visitor's hourly limit. */
  | { k: 'client_attributes'; v: string; at: number; attributes: ClientAttributes }
  /** Agent `by` asked for the visitor's contacts; `id` is the request's, which the widget's answer names. */
  | { k: 'contacts_request'; v: string; id: string; at: number; by: string }
  /** The visitor answered request `id`: sent the form (`given`) or dismissed it. */
  | { k: 'contacts_answer'; v: string; id: string; at: number; given: boolean }
  /** The visitor sent the site's pre-chat form: the question's answer and the consent given (its text and version). */
  | { k: 'prechat'; v: string; prechat: PrechatRecord }
  /**
   * The visitor and everything about it is gone (an admin erased it, or the retention period passed): its messages,
   * offline messages and calls. The numbers it used are not given out again.
   */
  | { k: 'erase'; v: string; at: number; reason: EraseReason }
  /** In a snapshot (snapshot.ts): what a widget id has used, beyond what its visitors show. */
  | { k: 'site'; widgetId: string; number: number; calls: number }
  /** In a snapshot, after the visitor's messages: everything else about the visitor, whole. */
  | VisitorStateRecord;

export type EraseReason = 'admin' | 'retention';

/** Who ended a chat. */
export type ChatEnder = 'agent' | 'visitor';

/** The agent who had a finished chat, kept while its `chat_finished` webhook waits for the visitor's rating. */
export interface FinishHold {
  at: number;
  /** The account id and name of the agent who had the chat; null when nobody had accepted it. */
  agentId: string | null;
  agentName: string | null;
}

/** A finished chat whose `chat_finished` webhook has not gone out yet (it waits for the visitor's rating). */
export interface HeldFinish extends FinishHold {
  /** The chat's number with this visitor. */
  chat: number;
  /** Its messages are those with `from < seq <= to`. */
  from: number;
  to: number;
}

/** How many ratings a visitor keeps (the newest). */
export const KEPT_RATINGS = 100;

/** A visitor's state apart from its messages and offline messages (a snapshot holds these instead of the history). */
export interface VisitorStateRecord {
  k: 'state';
  v: string;
  lastSeenAt: number;
  page: PageInfo | null;
  department: string | null;
  lang: string;
  ua: string;
  readSeq: number;
  agentReadSeq: number;
  acceptedBy: string | null;
  acceptedById: string | null;
  finishedSeq: number;
  finishedChats: number;
  contact: ContactFields;
  customData: CustomField[];
  userToken: string | null;
  /** Absent in snapshots written before identities were verified. */
  userTokenVerified?: boolean;
  utm: Utm | null;
  clientAttributes: ClientAttributes;
  attributeChanges: number[];
  contactsRequest: (AgentContactsRequest & { id: string }) | null;
  calls: StoredCall[];
  /** Absent in snapshots written before the pre-chat form. */
  prechat?: PrechatRecord | null;
  /** Absent in snapshots written before chats could be rated. */
  ratings?: ChatRating[];
  endedBy?: ChatEnder | null;
  held?: HeldFinish | null;
}

/** A call-back request and where it is. */
export interface StoredCall {
  readonly id: string;
  readonly phone: string;
  status: CallStatus;
  reason: string | null;
  readonly page: PageInfo | null;
  readonly at: number;
  updatedAt: number;
  by: string | null;
}

export interface Visitor {
  readonly id: string;
  readonly widgetId: string;
  /** The bearer id the widget presents (server-issued; or made by an earlier widget); a `rotate` record replaces it. */
  secret: string;
  readonly number: number;
  readonly createdAt: number;
  lastSeenAt: number;
  page: PageInfo | null;
  department: string | null;
  lang: string;
  readonly messages: WireMessage[];
  readonly messageIds: Map<string, WireMessage>;
  readonly agentMessageIds: Map<string, WireMessage>;
  readonly offlineIds: Map<string, AgentOfflineMessage>;
  lastSeq: number;
  /** The highest agent-message seq the visitor has read. */
  readSeq: number;
  /** The highest seq the agents have seen. */
  agentReadSeq: number;
  /** The name of the agent who has the chat, or null. */
  acceptedBy: string | null;
  /** The account id of that agent (null for chats taken before accounts existed: anyone may take those). */
  acceptedById: string | null;
  /** The last seq of the last finished chat (0 when none): the current chat is the messages after it. */
  finishedSeq: number;
  /** How many chats with this visitor were finished. */
  finishedChats: number;
  /** '' where unknown. */
  contact: ContactFields;
  /** In the order the site gave them. */
  customData: CustomField[];
  /** The site's id for the visitor: kept for webhooks, never sent to agents. */
  userToken: string | null;
  /** Whether the site signed `userToken` (identity.ts). */
  userTokenVerified: boolean;
  utm: Utm | null;
  /** The User-Agent header of the visitor's last hello ('' when unknown): for webhooks. */
  userAgent: string;
  /** Call-back requests, oldest first, and by the widget's id. */
  readonly calls: StoredCall[];
  readonly callIds: Map<string, StoredCall>;
  clientAttributes: ClientAttributes;
  /** When the client attributes last changed, oldest first (at most LIMITS.clientAttributeCalls of them). */
  attributeChanges: number[];
  /** The last request for contacts (`id` is never shown to agents), or null. */
  contactsRequest: (AgentContactsRequest & { id: string }) | null;
  /** What the visitor sent with the site's pre-chat form, the consent included; null until they send it. */
  prechat: PrechatRecord | null;
  /** The visitor's ratings of finished chats, oldest first (at most KEPT_RATINGS); replaced whole on change. */
  ratings: readonly ChatRating[];
  /** Who ended the last finished chat; null before any was. */
  endedBy: ChatEnder | null;
  /** The last finished chat, while its `chat_finished` webhook waits for the visitor's rating; null otherwise. */
  held: HeldFinish | null;
}

/** How much of a User-Agent header is kept. */
export const USER_AGENT_LENGTH = 512;

export const NO_CONTACT: ContactFields = Object.freeze({ name: '', email: '', phone: '', description: '' });

const key = (widgetId: string, visitorId: string) => JSON.stringify([widgetId, visitorId]);

export class ChatState {
  readonly visitors = new Map<string, Visitor>();
  readonly offlineMessages: AgentOfflineMessage[] = [];
  readonly #bySecret = new Map<string, Visitor>();
  /** Verified identities: (widget id, the `sub` the site signed) → the visitor it names on every device. */
  readonly #byIdentity = new Map<string, Visitor>();
  readonly #lastNumber = new Map<string, number>();
  readonly #callCount = new Map<string, number>();
  /**
   * What the agent console's lists are paged by (console-pages.ts): visitors by last activity — created, hello or page
   * change, message, offline message, call request or status — offline messages by time, calls by request time
   * (keyed `visitorId.callId`). Kept up to date by `apply`, so reading a page never sorts.
   */
  readonly byActivity = new OrderedIndex<Visitor>();
  readonly offlineByTime = new OrderedIndex<AgentOfflineMessage>();
  readonly callsByTime = new OrderedIndex<{ visitor: Visitor; call: StoredCall }>();

  /**
   * Runs `apply` over many records at once (a history replayed at start-up): the console's orderings note each key's
   * latest place and are sorted once at the end, instead of kept in order after every record.
   */
  replay<R>(run: () => R): R {
    const indexes = [this.byActivity, this.offlineByTime, this.callsByTime];
    for (const index of indexes) index.bulk();
    try {
      return run();
    } finally {
      for (const index of indexes) index.settle();
    }
  }

  find(widgetId: string, visitorId: string): Visitor | undefined {
    return this.#bySecret.get(key(widgetId, visitorId));
  }

  /** The visitor a verified identity (`sub`, signed by the site) belongs to under a widget id. */
  findIdentity(widgetId: string, sub: string): Visitor | undefined {
    return this.#byIdentity.get(key(widgetId, sub));
  }

  /** Keeps the identity index in step with a visitor's verified user token (after a record changed it). */
  #indexIdentity(visitor: Visitor): void {
    if (!visitor.userTokenVerified || visitor.userToken === null) return;
    this.#byIdentity.set(key(visitor.widgetId, visitor.userToken), visitor);
  }

  #unindex(visitor: Visitor): void {
    if (this.#bySecret.get(key(visitor.widgetId, visitor.secret)) === visitor)
      this.#bySecret.delete(key(visitor.widgetId, visitor.secret));
    this.#unindexIdentity(visitor);
  }

  #unindexIdentity(visitor: Visitor): void {
    if (visitor.userTokenVerified && visitor.userToken !== null) {
      const k = key(visitor.widgetId, visitor.userToken);
      if (this.#byIdentity.get(k) === visitor) this.#byIdentity.delete(k);
    }
  }

  /** Call-back requests ever stored for a widget id (what its call balance is spent on). */
  callCount(widgetId: string): number {
    return this.#callCount.get(widgetId) ?? 0;
  }

  nextNumber(widgetId: string): number {
    return (this.#lastNumber.get(widgetId) ?? 0) + 1;
  }

  /** Visitor messages no agent has seen. */
  unread(visitor: Visitor): number {
    let count = 0;
    for (let i = visitor.messages.length - 1; i >= 0 && visitor.messages[i].seq > visitor.agentReadSeq; i--) {
      if (visitor.messages[i].from === 'visitor') count++;
    }
    return count;
  }

  /**
   * Why a new visitor or a message cannot be stored as it is (a taken id, a seq that is not the next one), or null.
   * A store refuses such a record before writing it (store.ts, exactly once and gapless).
   */
  refusal(record: JournalRecord): string | null {
    if (record.k === 'visitor') {
      if (this.visitors.has(record.id)) return `the visitor ${record.id} exists`;
      return this.find(record.widgetId, record.visitorId) ? 'the widget already has a visitor with this id' : null;
    }
    if (record.k === 'rotate') {
      const visitor = this.visitors.get(record.v);
      if (!visitor) return `no visitor ${record.v}`;
      const holder = this.find(visitor.widgetId, record.secret);
      return holder && holder !== visitor ? 'the widget already has a visitor with this id' : null;
    }
    if (record.k === 'user_token' && record.verified && record.token !== null) {
      const visitor = this.visitors.get(record.v);
      // A visitor this commit creates (a shared store checks the identity itself).
      if (!visitor) return null;
      const owner = this.findIdentity(visitor.widgetId, record.token);
      return owner && owner !== visitor ? 'the identity belongs to another visitor' : null;
    }
    if (record.k !== 'message') return null;
    const visitor = this.visitors.get(record.v);
    if (!visitor) return `no visitor ${record.v}`;
    const m = record.m;
    const clientId = m.from === 'visitor' ? m.id : record.cid;
    if (clientId === undefined) return 'an agent message needs the console id';
    if ((m.from === 'visitor' ? visitor.messageIds : visitor.agentMessageIds).has(clientId))
      return `the message ${clientId} is stored`;
    return m.seq === visitor.lastSeq + 1 ? null : `seq ${m.seq} is not the next one (${visitor.lastSeq + 1})`;
  }

  /** Applies one record. Returns false (and changes nothing) for a record that does not fit the state. */
  apply(record: JournalRecord): boolean {
    const erased = record.k === 'erase' ? this.visitors.get(record.v) : undefined;
    if (!this.#apply(record)) return false;
    this.#index(record, erased);
    return true;
  }

  /** Keeps the console's orderings (byActivity, offlineByTime, callsByTime) in step with an applied record. */
  #index(r: JournalRecord, erased: Visitor | undefined): void {
    if (r.k === 'site') return;
    if (r.k === 'erase') {
      if (!erased) return;
      this.byActivity.delete(erased.id);
      for (const o of erased.offlineIds.values()) this.offlineByTime.delete(o.id);
      for (const call of erased.calls) this.callsByTime.delete(`${erased.id}.${call.id}`);
      return;
    }
    const visitor = this.visitors.get(r.k === 'visitor' ? r.id : r.v)!;
    let at: number;
    switch (r.k) {
      case 'visitor':
      case 'update':
      case 'call_status':
        at = r.at;
        break;
      case 'message':
        at = r.m.at;
        break;
      case 'offline':
        at = r.o.at;
        this.offlineByTime.set(r.o.id, at, r.o);
        break;
      case 'call':
        at = r.at;
        this.callsByTime.set(`${visitor.id}.${r.id}`, at, { visitor, call: visitor.callIds.get(r.id)! });
        break;
      case 'state':
        at = r.lastSeenAt;
        for (const call of visitor.calls) {
          at = Math.max(at, call.updatedAt);
          this.callsByTime.set(`${visitor.id}.${call.id}`, call.at, { visitor, call });
        }
        break;
      default:
        return;
    }
    this.byActivity.touch(visitor.id, at, visitor);
  }

  #apply(record: JournalRecord): boolean {
    if (record.k === 'site') {
      this.#lastNumber.set(record.widgetId, Math.max(record.number, this.#lastNumber.get(record.widgetId) ?? 0));
      this.#callCount.set(record.widgetId, Math.max(record.calls, this.callCount(record.widgetId)));
      return true;
    }
    if (record.k === 'erase') {
      const visitor = this.visitors.get(record.v);
      // Erasing twice (a retry, or a journal replayed after a snapshot that already left it out) is not an error.
      if (!visitor) return true;
      this.visitors.delete(visitor.id);
      this.#unindex(visitor);
      if (visitor.offlineIds.size) {
        const kept = this.offlineMessages.filter((o) => o.visitorId !== visitor.id);
        this.offlineMessages.splice(0, this.offlineMessages.length, ...kept);
      }
      return true;
    }
    if (record.k === 'visitor') {
      if (this.visitors.has(record.id) || this.find(record.widgetId, record.visitorId)) return false;
      const visitor: Visitor = {
        id: record.id,
        widgetId: record.widgetId,
        secret: record.visitorId,
        number: record.number,
        createdAt: record.at,
        lastSeenAt: record.at,
        page: record.page,
        department: record.department,
        lang: record.lang,
        messages: [],
        messageIds: new Map(),
        agentMessageIds: new Map(),
        offlineIds: new Map(),
        lastSeq: 0,
        readSeq: 0,
        agentReadSeq: 0,
        acceptedBy: null,
        acceptedById: null,
        finishedSeq: 0,
        finishedChats: 0,
        contact: NO_CONTACT,
        customData: [],
        userToken: null,
        userTokenVerified: false,
        utm: null,
        userAgent: record.ua ?? '',
        calls: [],
        callIds: new Map(),
        clientAttributes: {},
        attributeChanges: [],
        contactsRequest: null,
        prechat: null,
        ratings: [],
        endedBy: null,
        held: null,
      };
      this.visitors.set(visitor.id, visitor);
      this.#bySecret.set(key(visitor.widgetId, visitor.secret), visitor);
      this.#lastNumber.set(visitor.widgetId, Math.max(record.number, this.#lastNumber.get(visitor.widgetId) ?? 0));
      return true;
    }
    if (record.k === 'rotate') {
      const visitor = this.visitors.get(record.v);
      const holder = visitor && this.find(visitor.widgetId, record.secret);
      if (!visitor || (holder && holder !== visitor)) return false;
      this.#bySecret.delete(key(visitor.widgetId, visitor.secret));
      visitor.secret = record.secret;
      this.#bySecret.set(key(visitor.widgetId, visitor.secret), visitor);
      return true;
    }
    const visitor = this.visitors.get(record.v);
    if (!visitor) return false;
    // Identities are indexed by the token a record sets: the old one is let go first.
    const identity = record.k === 'user_token' || record.k === 'state';
    if (identity) this.#unindexIdentity(visitor);
    const applied = applyToVisitor(visitor, record);
    // In a journal written before an identity named one visitor, two visitors may hold one: the later one wins.
    if (identity) this.#indexIdentity(visitor);
    if (!applied) return false;
    if (record.k === 'offline') this.offlineMessages.push(record.o);
    if (record.k === 'call') this.#callCount.set(visitor.widgetId, this.callCount(visitor.widgetId) + 1);
    return true;
  }

  /**
   * Puts a visitor read from a shared store into the state (store/postgres.ts). One already held is updated in place,
   * so that whoever holds it (a widget's socket) sees the fresh fields.
   */
  adopt(fresh: Visitor): Visitor {
    const held = this.visitors.get(fresh.id);
    const kept = this.offlineMessages.filter((o) => o.visitorId !== fresh.id);
    this.offlineMessages.splice(0, this.offlineMessages.length, ...kept, ...fresh.offlineIds.values());
    this.#lastNumber.set(fresh.widgetId, Math.max(fresh.number, this.#lastNumber.get(fresh.widgetId) ?? 0));
    if (held) this.#unindex(held);
    const visitor = held ? Object.assign(held, fresh) : fresh;
    if (!held) this.visitors.set(fresh.id, fresh);
    this.#bySecret.set(key(visitor.widgetId, visitor.secret), visitor);
    this.#indexIdentity(visitor);
    this.#indexWhole(visitor);
    return visitor;
  }

  /** A visitor read whole from a shared store: its places in the console's orderings, from what it holds. */
  #indexWhole(visitor: Visitor): void {
    let at = Math.max(visitor.createdAt, visitor.lastSeenAt, visitor.messages.at(-1)?.at ?? visitor.createdAt);
    for (const o of visitor.offlineIds.values()) {
      at = Math.max(at, o.at);
      this.offlineByTime.set(o.id, o.at, o);
    }
    for (const call of visitor.calls) {
      at = Math.max(at, call.updatedAt);
      this.callsByTime.set(`${visitor.id}.${call.id}`, call.at, { visitor, call });
    }
    this.byActivity.touch(visitor.id, at, visitor);
  }

  /** Sets what a shared store says a widget id has spent on call backs. */
  setCallCount(widgetId: string, calls: number): void {
    this.#callCount.set(widgetId, calls);
  }

  /** Everything about `visitor` but its messages and offline messages, as one record (for a snapshot). */
  stateRecord(visitor: Visitor): VisitorStateRecord {
    return {
      k: 'state',
      v: visitor.id,
      lastSeenAt: visitor.lastSeenAt,
      page: visitor.page,
      department: visitor.department,
      lang: visitor.lang,
      ua: visitor.userAgent,
      readSeq: visitor.readSeq,
      agentReadSeq: visitor.agentReadSeq,
      acceptedBy: visitor.acceptedBy,
      acceptedById: visitor.acceptedById,
      finishedSeq: visitor.finishedSeq,
      finishedChats: visitor.finishedChats,
      contact: visitor.contact,
      customData: visitor.customData,
      userToken: visitor.userToken,
      userTokenVerified: visitor.userTokenVerified,
      utm: visitor.utm,
      clientAttributes: visitor.clientAttributes,
      attributeChanges: visitor.attributeChanges,
      contactsRequest: visitor.contactsRequest,
      prechat: visitor.prechat,
      // Copies: a call's status changes in place.
      calls: visitor.calls.map((c) => ({ ...c })),
      ratings: [...visitor.ratings],
      endedBy: visitor.endedBy,
      held: visitor.held,
    };
  }

  /** What each widget id has used: the last visitor number and the call backs spent. */
  sites(): Array<Extract<JournalRecord, { k: 'site' }>> {
    return [...this.#lastNumber].map(([widgetId, number]) => ({
      k: 'site',
      widgetId,
      number,
      calls: this.callCount(widgetId),
    }));
  }
}

type VisitorRecord = Exclude<JournalRecord, { k: 'visitor' } | { k: 'site' } | { k: 'erase' } | { k: 'rotate' }>;

/**
 * Applies a record about one visitor to that visitor alone (what the state keeps across visitors — offline messages in
 * order, call counts — is ChatState.apply's). False, changing nothing, when the record does not fit.
 */
export function applyToVisitor(visitor: Visitor, record: VisitorRecord): boolean {
  switch (record.k) {
    case 'update':
      visitor.lastSeenAt = Math.max(visitor.lastSeenAt, record.at);
      if (record.page !== undefined) visitor.page = record.page;
      if (record.department !== undefined) visitor.department = record.department;
      if (record.lang !== undefined) visitor.lang = record.lang;
      if (record.ua !== undefined) visitor.userAgent = record.ua;
      return true;
    case 'message': {
      const m = record.m;
      if (m.seq !== visitor.lastSeq + 1) return false;
      const ids = m.from === 'visitor' ? visitor.messageIds : visitor.agentMessageIds;
      const clientId = m.from === 'visitor' ? m.id : record.cid;
      if (clientId === undefined || ids.has(clientId)) return false;
      ids.set(clientId, m);
      visitor.messages.push(m);
      visitor.lastSeq = m.seq;
      return true;
    }
    case 'read':
      visitor.readSeq = Math.max(visitor.readSeq, record.seq);
      return true;
    case 'agent_read':
      visitor.agentReadSeq = Math.max(visitor.agentReadSeq, record.seq);
      return true;
    case 'accept':
      visitor.acceptedBy = record.by;
      visitor.acceptedById = record.by === null ? null : (record.id ?? null);
      return true;
    case 'finish':
      if (record.seq < visitor.finishedSeq || record.seq > visitor.lastSeq) return false;
      visitor.held = record.hold
        ? { ...record.hold, chat: visitor.finishedChats + 1, from: visitor.finishedSeq, to: record.seq }
        : null;
      visitor.acceptedBy = null;
      visitor.acceptedById = null;
      visitor.finishedSeq = record.seq;
      visitor.finishedChats++;
      visitor.endedBy = record.by ?? 'agent';
      return true;
    case 'rating': {
      const { chat } = record.rating;
      if (chat < 1 || chat > visitor.finishedChats || visitor.ratings.some((r) => r.chat === chat)) return false;
      visitor.ratings = [...visitor.ratings, record.rating].slice(-KEPT_RATINGS);
      if (visitor.held?.chat === chat) visitor.held = null;
      return true;
    }
    case 'reported':
      if (visitor.held?.chat !== record.chat) return false;
      visitor.held = null;
      return true;
    case 'offline':
      if (visitor.offlineIds.has(record.cid)) return false;
      visitor.offlineIds.set(record.cid, record.o);
      return true;
    case 'contact':
      visitor.contact = record.contact;
      return true;
    case 'custom_data':
      visitor.customData = record.fields;
      return true;
    case 'user_token':
      visitor.userToken = record.token;
      visitor.userTokenVerified = record.verified === true;
      return true;
    case 'utm':
      visitor.utm = record.utm;
      return true;
    case 'call': {
      if (visitor.callIds.has(record.id)) return false;
      const { id, phone, at, page } = record;
      const call: StoredCall = { id, phone, at, page, status: 'requested', reason: null, updatedAt: at, by: null };
      visitor.calls.push(call);
      visitor.callIds.set(id, call);
      return true;
    }
    case 'call_status': {
      const call = visitor.callIds.get(record.id);
      if (!call || !CALL_NEXT[call.status].includes(record.status)) return false;
      call.status = record.status;
      call.reason = record.reason;
      call.updatedAt = record.at;
      call.by = record.by;
      return true;
    }
    case 'client_attributes':
      visitor.clientAttributes = record.attributes;
      visitor.attributeChanges = [...visitor.attributeChanges, record.at].slice(-LIMITS.clientAttributeCalls);
      return true;
    case 'contacts_request':
      visitor.contactsRequest = { id: record.id, by: record.by, at: record.at, state: 'pending', answeredAt: null };
      return true;
    case 'contacts_answer': {
      const r = visitor.contactsRequest;
      if (r?.id !== record.id || r.state !== 'pending') return false;
      visitor.contactsRequest = { ...r, state: record.given ? 'given' : 'declined', answeredAt: record.at };
      return true;
    }
    case 'prechat':
      visitor.prechat = record.prechat;
      return true;
    case 'state': {
      if (record.finishedSeq > visitor.lastSeq || visitor.calls.length) return false;
      visitor.lastSeenAt = record.lastSeenAt;
      visitor.page = record.page;
      visitor.department = record.department;
      visitor.lang = record.lang;
      visitor.userAgent = record.ua;
      visitor.readSeq = record.readSeq;
      visitor.agentReadSeq = record.agentReadSeq;
      visitor.acceptedBy = record.acceptedBy;
      visitor.acceptedById = record.acceptedById;
      visitor.finishedSeq = record.finishedSeq;
      visitor.finishedChats = record.finishedChats;
      visitor.contact = record.contact;
      visitor.customData = record.customData;
      visitor.userToken = record.userToken;
      visitor.userTokenVerified = record.userTokenVerified === true;
      visitor.utm = record.utm;
      visitor.clientAttributes = record.clientAttributes;
      visitor.attributeChanges = record.attributeChanges;
      visitor.contactsRequest = record.contactsRequest;
      visitor.prechat = record.prechat ?? null;
      visitor.ratings = record.ratings ?? [];
      visitor.endedBy = record.endedBy ?? (record.finishedChats ? 'agent' : null);
      visitor.held = record.held ?? null;
      for (const call of record.calls) {
        visitor.calls.push(call);
        visitor.callIds.set(call.id, call);
      }
      return true;
    }
  }
}

// --- checking records read back from disk: the file may have been edited or damaged ---

const isPage = (v: unknown): v is PageInfo => parsePage(v) != null;
const isDepartment = (v: unknown): v is string | null => v === null || isStr(v, LIMITS.department);
const isUserAgent = (v: unknown): v is string | undefined => v === undefined || isStr(v, USER_AGENT_LENGTH);

/** The record, if `raw` is a well-formed journal record; null otherwise. */
export function checkRecord(raw: unknown): JournalRecord | null {
  if (!isObj(raw)) return null;
  const r = raw;
  switch (r.k) {
    case 'visitor':
      return isId(r.id) &&
        isStr(r.widgetId, LIMITS.widgetId) &&
        isId(r.visitorId) &&
        isSeq(r.number) &&
        isTime(r.at) &&
        (r.page === null || isPage(r.page)) &&
        isDepartment(r.department) &&
        isStr(r.lang, 35) &&
        isUserAgent(r.ua)
        ? {
            k: 'visitor',
            id: r.id,
            widgetId: r.widgetId,
            visitorId: r.visitorId,
            number: r.number,
            at: r.at,
            page: r.page,
            department: r.department,
            lang: r.lang,
            ...(r.ua === undefined ? {} : { ua: r.ua }),
          }
        : null;
    case 'update': {
      if (!isId(r.v) || !isTime(r.at)) return null;
      if ((r.page !== undefined && !isPage(r.page)) || (r.department !== undefined && !isDepartment(r.department)))
        return null;
      if ((r.lang !== undefined && !isStr(r.lang, 35)) || !isUserAgent(r.ua)) return null;
      const record: JournalRecord = { k: 'update', v: r.v, at: r.at };
      if (r.page !== undefined) record.page = r.page;
      if (r.department !== undefined) record.department = r.department;
      if (r.lang !== undefined) record.lang = r.lang;
      if (r.ua !== undefined) record.ua = r.ua;
      return record;
    }
    case 'message': {
      const m = parseWireMessage(r.m);
      if (!isId(r.v) || !m || (r.cid !== undefined && !isId(r.cid))) return null;
      return r.cid === undefined ? { k: 'message', v: r.v, m } : { k: 'message', v: r.v, m, cid: r.cid };
    }
    case 'read':
    case 'agent_read':
      return isId(r.v) && isSeq(r.seq) ? { k: r.k, v: r.v, seq: r.seq } : null;
    case 'accept':
      if (!isId(r.v) || !(r.by === null || isStr(r.by, LIMITS.name)) || !(r.id === undefined || isId(r.id)))
        return null;
      return r.id === undefined ? { k: 'accept', v: r.v, by: r.by } : { k: 'accept', v: r.v, by: r.by, id: r.id };
    case 'finish': {
      if (!isId(r.v) || !isSeq(r.seq) || !(r.by === undefined || isEnder(r.by))) return null;
      const hold = r.hold === undefined ? undefined : checkHold(r.hold);
      if (hold === null) return null;
      const record: JournalRecord = { k: 'finish', v: r.v, seq: r.seq };
      if (r.by !== undefined) record.by = r.by;
      if (hold) record.hold = hold;
      return record;
    }
    case 'rating': {
      const rating = checkRating(r.rating);
      return isId(r.v) && rating ? { k: 'rating', v: r.v, rating } : null;
    }
    case 'reported':
      return isId(r.v) && isSeq(r.chat) ? { k: 'reported', v: r.v, chat: r.chat } : null;
    case 'offline': {
      const o = r.o;
      if (!isId(r.v) || !isId(r.cid) || !isObj(o)) return null;
      if (
        !isId(o.id) ||
        !isId(o.visitorId) ||
        !isStr(o.widgetId, LIMITS.widgetId) ||
        !isSeq(o.visitorNumber) ||
        !isTime(o.at)
      )
        return null;
      if (!(o.page === null || isPage(o.page)) || !OFFLINE_FIELD_LIMITS.every(([f, max]) => isStr(o[f], max)))
        return null;
      return {
        k: 'offline',
        v: r.v,
        cid: r.cid,
        o: {
          id: o.id,
          visitorId: o.visitorId,
          widgetId: o.widgetId,
          visitorNumber: o.visitorNumber,
          page: o.page,
          at: o.at,
          name: o.name as string,
          email: o.email as string,
          phone: o.phone as string,
          description: o.description as string,
          message: o.message as string,
        },
      };
    }
    case 'contact': {
      const contact = parseContact(r.contact);
      return isId(r.v) && contact ? { k: 'contact', v: r.v, contact } : null;
    }
    case 'custom_data': {
      const fields = parseCustomData(r.fields);
      return isId(r.v) && fields ? { k: 'custom_data', v: r.v, fields } : null;
    }
    case 'user_token':
      if (!isId(r.v) || !(r.token === null || (isStr(r.token, LIMITS.userToken) && r.token !== ''))) return null;
      return r.verified === true && r.token !== null
        ? { k: 'user_token', v: r.v, token: r.token, verified: true }
        : { k: 'user_token', v: r.v, token: r.token };
    case 'utm': {
      const utm = parseUtm(r.utm);
      return isId(r.v) && utm !== undefined ? { k: 'utm', v: r.v, utm } : null;
    }
    case 'call':
      return isId(r.v) && isId(r.id) && isStoredPhone(r.phone) && isTime(r.at) && (r.page === null || isPage(r.page))
        ? { k: 'call', v: r.v, id: r.id, phone: r.phone as string, at: r.at, page: r.page }
        : null;
    case 'call_status':
      return isId(r.v) &&
        isId(r.id) &&
        (r.status === 'connected' || r.status === 'finished' || r.status === 'failed') &&
        (r.reason === null || isStr(r.reason, LIMITS.reason)) &&
        isTime(r.at) &&
        isStr(r.by, LIMITS.name)
        ? { k: 'call_status', v: r.v, id: r.id, status: r.status, reason: r.reason, at: r.at, by: r.by }
        : null;
    case 'client_attributes': {
      const attributes = parseClientAttributes(r.attributes);
      return isId(r.v) && isTime(r.at) && attributes ? { k: 'client_attributes', v: r.v, at: r.at, attributes } : null;
    }
    case 'contacts_request':
      return isId(r.v) && isId(r.id) && isTime(r.at) && checkAgentName(r.by) === r.by
        ? { k: 'contacts_request', v: r.v, id: r.id, at: r.at, by: r.by as string }
        : null;
    case 'contacts_answer':
      return isId(r.v) && isId(r.id) && isTime(r.at) && typeof r.given === 'boolean'
        ? { k: 'contacts_answer', v: r.v, id: r.id, at: r.at, given: r.given }
        : null;
    case 'rotate':
      return isId(r.v) && isId(r.secret) ? { k: 'rotate', v: r.v, secret: r.secret } : null;
    case 'prechat': {
      const prechat = parsePrechatRecord(r.prechat);
      return isId(r.v) && prechat ? { k: 'prechat', v: r.v, prechat } : null;
    }
    case 'erase':
      return isId(r.v) && isTime(r.at) && (r.reason === 'admin' || r.reason === 'retention')
        ? { k: 'erase', v: r.v, at: r.at, reason: r.reason }
        : null;
    case 'site':
      return isStr(r.widgetId, LIMITS.widgetId) && isSeq(r.number) && isSeq(r.calls)
        ? { k: 'site', widgetId: r.widgetId, number: r.number, calls: r.calls }
        : null;
    case 'state':
      return checkStateRecord(r);
    default:
      return null;
  }
}

const isName = (v: unknown): v is string | null => v === null || isStr(v, LIMITS.name);
const isEnder = (v: unknown): v is ChatEnder => v === 'agent' || v === 'visitor';

function checkHold(v: unknown): FinishHold | null {
  if (!isObj(v) || !isTime(v.at) || !isName(v.agentName) || !(v.agentId === null || isId(v.agentId))) return null;
  return { at: v.at, agentId: v.agentId, agentName: v.agentName };
}

function checkHeld(v: unknown): HeldFinish | null | undefined {
  if (v === null) return null;
  const hold = checkHold(v);
  if (!hold || !isObj(v) || !isSeq(v.chat) || !isSeq(v.from) || !isSeq(v.to) || v.from > v.to) return undefined;
  return { ...hold, chat: v.chat, from: v.from, to: v.to };
}

function checkRating(v: unknown): ChatRating | null {
  if (!isObj(v) || !isSeq(v.chat) || v.chat < 1 || !isRate(v.rate) || !isTime(v.at)) return null;
  const comment = checkComment(v.comment);
  return comment === null ? null : { chat: v.chat, rate: v.rate, comment, at: v.at };
}

function checkCall(c: unknown): StoredCall | null {
  if (!isObj(c) || !isId(c.id) || !isStoredPhone(c.phone) || !Object.hasOwn(CALL_NEXT, c.status as string)) return null;
  if (!(c.reason === null || isStr(c.reason, LIMITS.reason)) || !(c.page === null || isPage(c.page))) return null;
  if (!isTime(c.at) || !isTime(c.updatedAt) || !isName(c.by)) return null;
  const { id, phone, status, reason, page, at, updatedAt, by } = c;
  return { id, phone: phone as string, status: status as CallStatus, reason, page, at, updatedAt, by };
}

function checkContactsRequest(v: unknown): VisitorStateRecord['contactsRequest'] | undefined {
  if (v === null) return null;
  if (!isObj(v) || !isId(v.id)) return undefined;
  const request = parseContactsRequest(v);
  return request ? { id: v.id, ...request } : undefined;
}

function checkStateRecord(r: Record<string, unknown>): VisitorStateRecord | null {
  if (!isId(r.v) || !isTime(r.lastSeenAt) || !(r.page === null || isPage(r.page)) || !isDepartment(r.department))
    return null;
  if (!isStr(r.lang, 35) || !isStr(r.ua, USER_AGENT_LENGTH)) return null;
  if (![r.readSeq, r.agentReadSeq, r.finishedSeq, r.finishedChats].every(isSeq)) return null;
  if (!isName(r.acceptedBy) || !(r.acceptedById === null || isId(r.acceptedById))) return null;
  if (!(r.userToken === null || (isStr(r.userToken, LIMITS.userToken) && r.userToken !== ''))) return null;
  const contact = parseContact(r.contact);
  const customData = parseCustomData(r.customData);
  const utm = parseUtm(r.utm);
  const clientAttributes = parseClientAttributes(r.clientAttributes);
  const contactsRequest = checkContactsRequest(r.contactsRequest);
  const prechat = r.prechat == null ? null : parsePrechatRecord(r.prechat);
  if (r.prechat != null && !prechat) return null;
  if (!contact || !customData || utm === undefined || !clientAttributes || contactsRequest === undefined) return null;
  if (!Array.isArray(r.attributeChanges) || !r.attributeChanges.every(isTime)) return null;
  if (!Array.isArray(r.calls)) return null;
  const calls = r.calls.map(checkCall);
  if (calls.some((c) => c === null)) return null;
  if (r.ratings !== undefined && !Array.isArray(r.ratings)) return null;
  const ratings = (r.ratings ?? []).map(checkRating);
  if (ratings.some((x) => x === null)) return null;
  if (!(r.endedBy === undefined || r.endedBy === null || isEnder(r.endedBy))) return null;
  const held = r.held === undefined ? null : checkHeld(r.held);
  if (held === undefined) return null;
  return {
    k: 'state',
    v: r.v,
    lastSeenAt: r.lastSeenAt,
    page: r.page,
    department: r.department,
    lang: r.lang,
    ua: r.ua,
    readSeq: r.readSeq as number,
    agentReadSeq: r.agentReadSeq as number,
    acceptedBy: r.acceptedBy,
    acceptedById: r.acceptedById,
    finishedSeq: r.finishedSeq as number,
    finishedChats: r.finishedChats as number,
    contact,
    customData,
    userToken: r.userToken,
    userTokenVerified: r.userTokenVerified === true && r.userToken !== null,
    utm,
    clientAttributes,
    attributeChanges: r.attributeChanges.slice(-LIMITS.clientAttributeCalls),
    contactsRequest,
    calls: calls as StoredCall[],
    prechat,
    ratings: (ratings as ChatRating[]).slice(-KEPT_RATINGS),
    endedBy: r.endedBy ?? null,
    held,
  };
}

/** The newest `limit` of the visitor's messages with `seq < before`, oldest first. */
export function messagesBefore(visitor: Visitor, before: number, limit: number): WireMessage[] {
  const { messages } = visitor;
  let lo = 0;
  let hi = messages.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (messages[mid].seq < before) lo = mid + 1;
    else hi = mid;
  }
  return messages.slice(Math.max(0, lo - limit), lo);
}

/** The last time anything happened with the visitor. */
export function lastActivity(v: Visitor): number {
  let at = Math.max(v.lastSeenAt, v.messages.at(-1)?.at ?? 0);
  for (const o of v.offlineIds.values()) at = Math.max(at, o.at);
  for (const c of v.calls) at = Math.max(at, c.updatedAt);
  return at;
}
