/**
 * The chat itself: widgets' sockets (`/ws/visitor`, src/transport/protocol.ts) and agent consoles' sockets
 * (`/ws/agent`, agent-protocol.ts) meet here. Every frame is validated before anything happens; a bad frame gets an
 * `error` and changes nothing. Everything that must survive a restart goes through `#persist` — journal first, state
 * second — before anyone is told about it, so an `ack` always means "on disk".
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import { LIMITS } from '../../src/model/limits.js';
import {
  PROTOCOL_VERSION,
  type BackendFrame,
  type ChatModeWire,
  type VisitorFrame,
  type WireMessage,
} from '../../src/transport/protocol.js';
import { parseVisitorFrame } from '../../src/transport/frames.js';
import { agentCall, wireCall, type CallbackConfig } from './calls.js';
import {
  CALL_NEXT,
  DEFAULT_CALL_FAILURE,
  parseAgentFrame,
  type AgentErrorCode,
  type AgentFrame,
  type AgentOfflineMessage,
  type AgentPresence,
  type AgentServerFrame,
  type AgentVisitor,
  type AgentVisitorInfo,
} from './agent-protocol.js';
import type { Journal } from './journal.js';
import { buckets, TokenBucket, type Buckets, type RateLimits } from './rate-limit.js';
import { USER_AGENT_LENGTH, type ChatState, type JournalRecord, type StoredCall, type Visitor } from './state.js';
import { chatId, webhookMessages, type Webhooks } from './webhooks.js';

/** Close codes the hub uses (ws itself closes with 1009 for a frame over maxPayload and 1007 for invalid UTF-8). */
export const CLOSE = {
  /** Too many bad frames. */
  policy: 1008,
  /** The journal could not be written (or a bug): reconnect and resend. */
  internal: 1011,
} as const;

/** A welcome must fit the widget's limit for backend frames; this leaves room for everything but the messages. */
const WELCOME_MESSAGE_BYTES = LIMITS.backendFrameBytes - 65_536;
/** A peer that does not read what it is sent is cut off rather than held in memory without bound. */
const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

export interface HubOptions {
  state: ChatState;
  journal: Journal;
  visitorRates: RateLimits;
  agentRates: RateLimits;
  /** Bad frames a socket may send before it is closed with 1008. */
  maxBadFrames: number;
  /** Where events go out (docs/webhooks.md); null when no webhook URL is configured. */
  webhooks: Webhooks | null;
  /** When call backs are offered (calls.ts). */
  callbacks: CallbackConfig;
  warn: (message: string) => void;
}

interface Peer {
  readonly ws: WebSocket;
  readonly buckets: Buckets;
  alive: boolean;
  badFrames: number;
  /** Heartbeats seen before hello. */
  beats: number;
}

interface VisitorPeer extends Peer {
  visitor: Visitor | null;
  /** The User-Agent header of the socket's upgrade request ('' when none). */
  readonly userAgent: string;
  /** What this socket was last told about call backs. */
  callbackEnabled: boolean;
}

interface AgentPeer extends Peer {
  name: string | null;
  online: boolean;
  /** Visitors this console is typing to. */
  readonly typingTo: Set<string>;
}

/** Deep equality of plain JSON values whose keys come in a fixed order (the validators build them that way). */
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

type ErrorFrame = { type: 'error'; code: AgentErrorCode; message: string; id?: string };

export class Hub {
  readonly #state: ChatState;
  readonly #journal: Journal;
  readonly #options: HubOptions;
  readonly #webhooks: Webhooks | null;
  /** Open sockets per visitor (public id); a visitor with none is offline. */
  readonly #visitorPeers = new Map<string, Set<VisitorPeer>>();
  readonly #pendingVisitors = new Set<VisitorPeer>();
  readonly #agents = new Set<AgentPeer>();
  /** Visitors typing right now (public ids). */
  readonly #visitorTyping = new Set<string>();
  /** Call-back requests per visitor (public id), whatever socket they come from. */
  readonly #callBuckets = new Map<string, TokenBucket>();
  #chatMode: ChatModeWire = 'offline';
  #presence = '[]';

  constructor(options: HubOptions) {
    this.#options = options;
    this.#state = options.state;
    this.#journal = options.journal;
    this.#webhooks = options.webhooks;
  }

  // --- connections ---

  /** `userAgent`: the upgrade request's User-Agent header, kept with the visitor for webhooks. */
  attachVisitor(ws: WebSocket, userAgent = ''): void {
    const peer: VisitorPeer = {
      ws,
      buckets: buckets(this.#options.visitorRates),
      alive: true,
      badFrames: 0,
      beats: 0,
      visitor: null,
      userAgent: userAgent.slice(0, USER_AGENT_LENGTH),
      callbackEnabled: false,
    };
    this.#pendingVisitors.add(peer);
    this.#watch(
      peer,
      (raw) => this.#onVisitorFrame(peer, raw),
      () => this.#onVisitorClose(peer),
    );
  }

  attachAgent(ws: WebSocket): void {
    const peer: AgentPeer = {
      ws,
      buckets: buckets(this.#options.agentRates),
      alive: true,
      badFrames: 0,
      beats: 0,
      name: null,
      online: false,
      typingTo: new Set(),
    };
    this.#agents.add(peer);
    this.#watch(
      peer,
      (raw) => this.#onAgentFrame(peer, raw),
      () => this.#onAgentClose(peer),
    );
  }

  /**
   * Pings every socket; one that did not answer the previous ping is terminated, and one that has not said hello by
   * the second beat after it connected is closed with 1008.
   */
  heartbeat(): void {
    for (const peer of this.#allPeers()) {
      const waiting = 'visitor' in peer ? peer.visitor === null : (peer as AgentPeer).name === null;
      if (waiting && peer.beats++ >= 1) {
        peer.ws.close(CLOSE.policy, 'No hello');
        continue;
      }
      if (!peer.alive) {
        peer.ws.terminate();
        continue;
      }
      peer.alive = false;
      try {
        peer.ws.ping();
      } catch {
        peer.ws.terminate();
      }
    }
  }

  /** Drops every connection at once (shutdown): close handlers still run, so the state stays consistent. */
  terminateAll(): void {
    for (const peer of this.#allPeers()) peer.ws.terminate();
  }

  *#allPeers(): Iterable<Peer> {
    yield* this.#pendingVisitors;
    for (const set of this.#visitorPeers.values()) yield* set;
    yield* this.#agents;
  }

  #watch(peer: Peer, onFrame: (raw: string) => void, onClose: () => void): void {
    const { ws } = peer;
    ws.on('pong', () => (peer.alive = true));
    ws.on('message', (data, isBinary) => {
      peer.alive = true;
      if (isBinary) {
        this.#reject(peer, 'bad_frame', 'Frames are JSON text; binary frames are not accepted');
        return;
      }
      const raw = Buffer.isBuffer(data)
        ? data.toString('utf8')
        : Array.isArray(data)
          ? Buffer.concat(data).toString('utf8')
          : Buffer.from(data).toString('utf8');
      try {
        onFrame(raw);
      } catch (error) {
        // A bug must not take the process down with it; the peer reconnects and resends.
        this.#options.warn(`frame handler failed: ${(error as Error).stack ?? String(error)}`);
        ws.close(CLOSE.internal, 'Internal error');
      }
    });
    // ws emits 'error' for protocol violations (a frame over maxPayload, invalid UTF-8) and then closes the socket with
    // 1009 or 1007 itself; without a listener the error would crash the process.
    ws.on('error', () => {});
    ws.once('close', onClose);
  }

  #send(peer: Peer, frame: BackendFrame | AgentServerFrame): void {
    const { ws } = peer;
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      ws.terminate();
      return;
    }
    ws.send(JSON.stringify(frame));
  }

  #error(peer: Peer, code: AgentErrorCode, message: string, id?: string): void {
    const frame: ErrorFrame = { type: 'error', code, message };
    if (id !== undefined) frame.id = id;
    this.#send(peer, frame as BackendFrame);
  }

  /** A frame that breaks the protocol: an error, and after too many of them the socket is closed (1008). */
  #reject(peer: Peer, code: AgentErrorCode, message: string, id?: string): void {
    this.#error(peer, code, message, id);
    if (++peer.badFrames >= this.#options.maxBadFrames) peer.ws.close(CLOSE.policy, 'Too many bad frames');
  }

  /** Journal first, state second. False when the disk refused: the peer is disconnected so that it resends later. */
  #persist(peer: Peer, record: JournalRecord): boolean {
    try {
      this.#journal.append(record);
    } catch (error) {
      this.#options.warn(`journal write failed: ${(error as Error).message}`);
      peer.ws.close(CLOSE.internal, 'Storage unavailable');
      return false;
    }
    if (!this.#state.apply(record))
      this.#options.warn(`journal record did not apply: ${JSON.stringify(record).slice(0, 200)}`);
    return true;
  }

  // --- views ---

  #info(v: Visitor): AgentVisitorInfo {
    return {
      id: v.id,
      widgetId: v.widgetId,
      number: v.number,
      page: v.page,
      department: v.department,
      lang: v.lang,
      online: this.#visitorPeers.has(v.id),
      typing: this.#visitorTyping.has(v.id),
      acceptedBy: v.acceptedBy,
      finishedSeq: v.finishedSeq,
      unread: this.#state.unread(v),
      readSeq: v.readSeq,
      lastSeq: v.lastSeq,
      createdAt: v.createdAt,
      lastSeenAt: v.lastSeenAt,
      contact: v.contact,
      customData: v.customData,
      utm: v.utm,
      clientAttributes: v.clientAttributes,
      contactsRequest: v.contactsRequest && {
        by: v.contactsRequest.by,
        at: v.contactsRequest.at,
        state: v.contactsRequest.state,
        answeredAt: v.contactsRequest.answeredAt,
      },
      // Not v.userToken: it identifies the visitor on the site's side and is for webhooks, never for agents.
    };
  }

  #presenceList(): AgentPresence[] {
    const byName = new Map<string, boolean>();
    for (const a of this.#agents) if (a.name !== null) byName.set(a.name, (byName.get(a.name) ?? false) || a.online);
    return [...byName].sort(([a], [b]) => a.localeCompare(b)).map(([name, online]) => ({ name, online }));
  }

  #isAgentOnline(name: string): boolean {
    for (const a of this.#agents) if (a.name === name && a.online) return true;
    return false;
  }

  // --- fan-out ---

  #toAgents(frame: AgentServerFrame): void {
    for (const a of this.#agents) if (a.name !== null) this.#send(a, frame);
  }

  #toVisitor(visitorId: string, frame: BackendFrame, except?: Peer): void {
    for (const p of this.#visitorPeers.get(visitorId) ?? []) if (p !== except) this.#send(p, frame);
  }

  #visitorChanged(v: Visitor): void {
    this.#toAgents({ type: 'visitor', visitor: this.#info(v) });
  }

  /** After any change to who is connected or online: tells agents about presence, everyone about the chat mode. */
  #agentsChanged(): void {
    const agents = this.#presenceList();
    const presence = JSON.stringify(agents);
    if (presence !== this.#presence) {
      this.#presence = presence;
      this.#toAgents({ type: 'agents', agents });
    }
    const chatMode: ChatModeWire = agents.some((a) => a.online) ? 'online' : 'offline';
    if (chatMode === this.#chatMode) return;
    this.#chatMode = chatMode;
    for (const set of this.#visitorPeers.values()) for (const p of set) this.#send(p, { type: 'chat_mode', chatMode });
    this.#toAgents({ type: 'chat_mode', chatMode });
    this.#callbacksChanged();
  }

  // --- call backs ---

  /** Call backs are configured, an agent is online to call, and the widget id's balance (if any) is not spent. */
  #callbackEnabled(widgetId: string): boolean {
    const { enabled, balance } = this.#options.callbacks;
    return enabled && this.#chatMode === 'online' && (balance === null || this.#state.callCount(widgetId) < balance);
  }

  /** Tells every widget whose answer changed (agents came or went, a balance was spent). */
  #callbacksChanged(): void {
    for (const set of this.#visitorPeers.values()) {
      for (const p of set) {
        const enabled = this.#callbackEnabled(p.visitor!.widgetId);
        if (enabled === p.callbackEnabled) continue;
        p.callbackEnabled = enabled;
        this.#send(p, { type: 'callback', enabled });
      }
    }
  }

  /** Every socket of the visitor and every console hear of a new call or a new status. */
  #callChanged(visitor: Visitor, call: StoredCall): void {
    this.#toVisitor(visitor.id, { type: 'call', call: wireCall(call) });
    this.#toAgents({ type: 'call', call: agentCall(visitor, call) });
    const { id, phone, status, reason } = call;
    this.#webhooks?.emit('call_event', visitor, { call: { id, phone, status, ...(reason ? { reason } : {}) } });
  }

  /**
   * Stores a call-back request once per (visitor, id), then tells everyone. A resend of a known id stores nothing and
   * gets the call as it is now. Refused — with the id, nothing stored — when call backs are not offered
   * (`callback_disabled`), while the visitor's last call is still going (`call_in_progress`), or too often
   * (`rate_limited`).
   */
  #callRequest(peer: VisitorPeer, visitor: Visitor, id: string, phone: string): void {
    const known = visitor.callIds.get(id);
    if (known) return this.#send(peer, { type: 'call', call: wireCall(known) });
    if (!this.#callbackEnabled(visitor.widgetId))
      return this.#error(peer, 'callback_disabled', 'Callback disabled', id);
    const last = visitor.calls.at(-1);
    if (last && CALL_NEXT[last.status].length)
      return this.#error(peer, 'call_in_progress', 'A call is already in progress', id);
    let bucket = this.#callBuckets.get(visitor.id);
    if (!bucket) this.#callBuckets.set(visitor.id, (bucket = new TokenBucket(this.#options.callbacks.rate)));
    if (!bucket.take()) return this.#error(peer, 'rate_limited', 'Too many call requests; try again later', id);
    if (!this.#persist(peer, { k: 'call', v: visitor.id, id, phone, at: Date.now(), page: visitor.page })) return;
    this.#callChanged(visitor, visitor.callIds.get(id)!);
    // The call may have spent the widget's balance.
    this.#callbacksChanged();
  }

  #callStatus(
    peer: AgentPeer,
    name: string,
    visitor: Visitor,
    frame: Extract<AgentFrame, { type: 'call_status' }>,
  ): void {
    const call = visitor.callIds.get(frame.id);
    if (!call) return this.#error(peer, 'unknown_call', 'This visitor has no call with this id', frame.id);
    if (!peer.online) return this.#error(peer, 'offline', 'Go online to handle calls', frame.id);
    if (!CALL_NEXT[call.status].includes(frame.status)) {
      return this.#error(peer, 'invalid_transition', `A ${call.status} call cannot become ${frame.status}`, frame.id);
    }
    const reason = frame.status === 'failed' ? (frame.reason ?? DEFAULT_CALL_FAILURE) : null;
    const record: JournalRecord = {
      k: 'call_status',
      v: visitor.id,
      id: call.id,
      status: frame.status,
      reason,
      at: Date.now(),
      by: name,
    };
    if (this.#persist(peer, record)) this.#callChanged(visitor, call);
  }

  #setVisitorTyping(v: Visitor, typing: boolean): void {
    if (this.#visitorTyping.has(v.id) === typing) return;
    if (typing) this.#visitorTyping.add(v.id);
    else this.#visitorTyping.delete(v.id);
    this.#toAgents({ type: 'typing', visitorId: v.id, typing });
  }

  #agentTypingTo(visitorId: string): boolean {
    for (const a of this.#agents) if (a.typingTo.has(visitorId)) return true;
    return false;
  }

  #setAgentTyping(peer: AgentPeer, visitorId: string, typing: boolean): void {
    const before = this.#agentTypingTo(visitorId);
    if (typing) peer.typingTo.add(visitorId);
    else peer.typingTo.delete(visitorId);
    const after = this.#agentTypingTo(visitorId);
    if (before !== after) this.#toVisitor(visitorId, { type: 'typing', typing: after });
  }

  // --- visitor sockets ---

  #onVisitorFrame(peer: VisitorPeer, raw: string): void {
    if (!peer.buckets.frames.take()) {
      this.#error(peer, 'rate_limited', 'Too many frames; this one was dropped');
      return;
    }
    const parsed = parseVisitorFrame(raw);
    if (!parsed.ok) {
      this.#reject(peer, parsed.code, parsed.message, parsed.id);
      return;
    }
    const frame = parsed.frame;
    const visitor = peer.visitor;
    if (frame.type === 'hello') {
      if (visitor) this.#reject(peer, 'bad_frame', 'hello was already received on this socket');
      else this.#hello(peer, frame);
      return;
    }
    if (!visitor) {
      this.#reject(peer, 'not_ready', 'The first frame must be hello', 'id' in frame ? frame.id : undefined);
      return;
    }
    switch (frame.type) {
      case 'message':
        return this.#visitorMessage(peer, visitor, frame.id, frame.text);
      case 'typing':
        if (!peer.buckets.typing.take())
          return this.#error(peer, 'rate_limited', 'Too many typing frames; this one was dropped');
        return this.#setVisitorTyping(visitor, frame.typing);
      case 'read': {
        const seq = Math.min(frame.seq, visitor.lastSeq);
        if (seq <= visitor.readSeq) return;
        if (!this.#persist(peer, { k: 'read', v: visitor.id, seq })) return;
        this.#toVisitor(visitor.id, { type: 'read', seq }, peer);
        return this.#visitorChanged(visitor);
      }
      case 'page':
        if (!this.#persist(peer, { k: 'update', v: visitor.id, at: Date.now(), page: frame.page })) return;
        return this.#visitorChanged(visitor);
      case 'department':
        if (frame.department === visitor.department) return;
        if (!this.#persist(peer, { k: 'update', v: visitor.id, at: Date.now(), department: frame.department })) return;
        return this.#visitorChanged(visitor);
      case 'offline_message':
        return this.#offlineMessage(peer, visitor, frame);
      case 'contact': {
        const contact = { name: frame.name, email: frame.email, phone: frame.phone, description: frame.description };
        if (
          this.#visitorData(peer, visitor, same(contact, visitor.contact), { k: 'contact', v: visitor.id, contact })
        ) {
          this.#webhooks?.visitorChanged(visitor, 'contact');
        }
        return;
      }
      case 'custom_data':
        if (
          this.#visitorData(peer, visitor, same(frame.fields, visitor.customData), {
            k: 'custom_data',
            v: visitor.id,
            fields: frame.fields,
          })
        ) {
          this.#webhooks?.visitorChanged(visitor, 'custom_data');
        }
        return;
      case 'user_token': {
        const token = frame.token || null;
        // Agents do not see the token, so there is nothing to tell them; webhooks carry it.
        if (token === visitor.userToken) return;
        if (this.#persist(peer, { k: 'user_token', v: visitor.id, token }))
          this.#webhooks?.visitorChanged(visitor, 'user_token');
        return;
      }
      case 'utm': {
        const utm = Object.values(frame.utm).some(Boolean) ? frame.utm : null;
        // Not a client_updated: the utm tags are the first visit's, and every event carries them anyway.
        this.#visitorData(peer, visitor, same(utm, visitor.utm), { k: 'utm', v: visitor.id, utm });
        return;
      }
      case 'call_request':
        return this.#callRequest(peer, visitor, frame.id, frame.phone);
      case 'client_attributes': {
        if (same(frame.attributes, visitor.clientAttributes)) return;
        // The vendor's limit, kept here too: a widget counts calls, but only the backend can be trusted to count.
        const at = Date.now();
        if (
          visitor.attributeChanges.filter((t) => at - t < LIMITS.clientAttributeWindowMs).length >=
          LIMITS.clientAttributeCalls
        ) {
          return this.#error(
            peer,
            'rate_limited',
            `Client attributes change at most ${LIMITS.clientAttributeCalls} times per hour per visitor; this change was not stored`,
          );
        }
        if (
          this.#visitorData(peer, visitor, false, {
            k: 'client_attributes',
            v: visitor.id,
            at,
            attributes: frame.attributes,
          })
        ) {
          this.#webhooks?.visitorChanged(visitor, 'client_attributes');
        }
        return;
      }
      case 'contacts_answer': {
        const r = visitor.contactsRequest;
        // Answered already (in another tab) or replaced by a newer request: tell this socket what is pending now.
        if (r?.id !== frame.request || r.state !== 'pending')
          return this.#send(peer, { type: 'contacts_request', request: r?.state === 'pending' ? r.id : null });
        if (!this.#persist(peer, { k: 'contacts_answer', v: visitor.id, id: r.id, at: Date.now(), given: frame.given }))
          return;
        this.#toVisitor(visitor.id, { type: 'contacts_request', request: null });
        return this.#visitorChanged(visitor);
      }
    }
  }

  /**
   * Stores what the site told about the visitor (it replaces the last value) and shows it to agents. The widget sends
   * it again after every welcome, so an unchanged value writes nothing. These frames have no id and get no ack: if
   * the write fails the socket is closed (1011), and the widget sends them again after it reconnects. True when it
   * changed something.
   */
  #visitorData(peer: VisitorPeer, visitor: Visitor, unchanged: boolean, record: JournalRecord): boolean {
    if (unchanged || !this.#persist(peer, record)) return false;
    this.#visitorChanged(visitor);
    return true;
  }

  #hello(peer: VisitorPeer, hello: Extract<VisitorFrame, { type: 'hello' }>): void {
    const at = Date.now();
    let visitor = this.#state.find(hello.widgetId, hello.visitorId);
    const ua = peer.userAgent;
    const record: JournalRecord = visitor
      ? {
          k: 'update',
          v: visitor.id,
          at,
          page: hello.page,
          department: hello.department,
          lang: hello.lang,
          ...(ua === visitor.userAgent ? {} : { ua }),
        }
      : {
          k: 'visitor',
          id: `v-${randomBytes(12).toString('base64url')}`,
          widgetId: hello.widgetId,
          visitorId: hello.visitorId,
          number: this.#state.nextNumber(hello.widgetId),
          at,
          page: hello.page,
          department: hello.department,
          lang: hello.lang,
          ...(ua ? { ua } : {}),
        };
    if (!this.#persist(peer, record)) return;
    visitor ??= this.#state.visitors.get((record as { id: string }).id)!;
    peer.visitor = visitor;
    this.#pendingVisitors.delete(peer);
    let set = this.#visitorPeers.get(visitor.id);
    if (!set) this.#visitorPeers.set(visitor.id, (set = new Set()));
    set.add(peer);

    // Every message after `after`; if that would not fit one frame, the newest ones that do.
    const messages: WireMessage[] = [];
    let bytes = 0;
    for (let i = visitor.messages.length - 1; i >= 0 && visitor.messages[i].seq > hello.after; i--) {
      bytes += Buffer.byteLength(JSON.stringify(visitor.messages[i])) + 1;
      if (bytes > WELCOME_MESSAGE_BYTES) break;
      messages.push(visitor.messages[i]);
    }
    messages.reverse();
    peer.callbackEnabled = this.#callbackEnabled(visitor.widgetId);
    const lastCall = visitor.calls.at(-1);
    const welcome: BackendFrame = {
      type: 'welcome',
      visitorNumber: visitor.number,
      chatMode: this.#chatMode,
      agent: visitor.acceptedBy === null ? null : { name: visitor.acceptedBy },
      messages,
      readSeq: visitor.readSeq,
      callbackEnabled: peer.callbackEnabled,
      call: lastCall ? wireCall(lastCall) : null,
    };
    // Only while an agent's request for contacts waits for an answer.
    if (visitor.contactsRequest?.state === 'pending') welcome.contactsRequest = visitor.contactsRequest.id;
    this.#send(peer, welcome);
    if (this.#agentTypingTo(visitor.id)) this.#send(peer, { type: 'typing', typing: true });
    this.#visitorChanged(visitor);
  }

  #visitorMessage(peer: VisitorPeer, visitor: Visitor, id: string, text: string): void {
    const known = visitor.messageIds.get(id);
    if (known) {
      this.#send(peer, { type: 'ack', id, seq: known.seq, at: known.at });
      return;
    }
    if (!peer.buckets.messages.take()) {
      this.#error(peer, 'rate_limited', 'Too many messages; this one was not stored, send it again later', id);
      return;
    }
    const message: WireMessage = { id, seq: visitor.lastSeq + 1, from: 'visitor', text, at: Date.now() };
    if (!this.#persist(peer, { k: 'message', v: visitor.id, m: message })) return;
    this.#send(peer, { type: 'ack', id, seq: message.seq, at: message.at });
    this.#toVisitor(visitor.id, { type: 'message', message }, peer);
    this.#setVisitorTyping(visitor, false);
    this.#toAgents({ type: 'message', visitorId: visitor.id, message });
    this.#visitorChanged(visitor);
  }

  #offlineMessage(
    peer: VisitorPeer,
    visitor: Visitor,
    frame: Extract<VisitorFrame, { type: 'offline_message' }>,
  ): void {
    const known = visitor.offlineIds.get(frame.id);
    if (known) {
      this.#send(peer, { type: 'ack', id: frame.id, seq: 0, at: known.at });
      return;
    }
    if (!peer.buckets.messages.take()) {
      this.#error(peer, 'rate_limited', 'Too many messages; this one was not stored, send it again later', frame.id);
      return;
    }
    const offlineMessage: AgentOfflineMessage = {
      id: `o-${randomUUID()}`,
      visitorId: visitor.id,
      widgetId: visitor.widgetId,
      visitorNumber: visitor.number,
      page: visitor.page,
      at: Date.now(),
      name: frame.name,
      email: frame.email,
      phone: frame.phone,
      description: frame.description,
      message: frame.message,
    };
    if (!this.#persist(peer, { k: 'offline', v: visitor.id, cid: frame.id, o: offlineMessage })) return;
    // Queued (on disk) before the ack, so an acknowledged offline message always reaches the webhooks.
    const { id, name, email, phone, description, message, at } = offlineMessage;
    this.#webhooks?.emit('offline_message', visitor, {
      offline_message: { id, name, email, phone, description, message, at },
    });
    this.#send(peer, { type: 'ack', id: frame.id, seq: 0, at: offlineMessage.at });
    this.#toAgents({ type: 'offline_message', offlineMessage });
  }

  #onVisitorClose(peer: VisitorPeer): void {
    this.#pendingVisitors.delete(peer);
    const visitor = peer.visitor;
    if (!visitor) return;
    const set = this.#visitorPeers.get(visitor.id);
    set?.delete(peer);
    if (set && set.size > 0) return;
    this.#visitorPeers.delete(visitor.id);
    visitor.lastSeenAt = Date.now();
    this.#setVisitorTyping(visitor, false);
    this.#visitorChanged(visitor);
  }

  // --- agent sockets ---

  #onAgentFrame(peer: AgentPeer, raw: string): void {
    if (!peer.buckets.frames.take()) {
      this.#error(peer, 'rate_limited', 'Too many frames; this one was dropped');
      return;
    }
    const parsed = parseAgentFrame(raw);
    if (!parsed.ok) {
      this.#reject(peer, parsed.code, parsed.message, parsed.id);
      return;
    }
    const frame = parsed.frame;
    if (frame.type === 'hello') {
      if (peer.name !== null) this.#reject(peer, 'bad_frame', 'hello was already received on this socket');
      else this.#agentHello(peer, frame);
      return;
    }
    const name = peer.name;
    if (name === null) {
      this.#reject(peer, 'not_ready', 'The first frame must be hello', 'id' in frame ? frame.id : undefined);
      return;
    }
    if (frame.type === 'status') {
      peer.online = frame.online;
      this.#send(peer, { type: 'status', online: peer.online });
      this.#agentsChanged();
      return;
    }
    const id = frame.type === 'message' || frame.type === 'call_status' ? frame.id : undefined;
    const visitor = this.#state.visitors.get(frame.visitorId);
    if (!visitor) {
      this.#error(peer, 'unknown_visitor', 'No visitor has this id', id);
      return;
    }
    switch (frame.type) {
      case 'accept':
        if (!peer.online) return this.#error(peer, 'offline', 'Go online to accept chats');
        this.#take(peer, name, visitor);
        return;
      case 'finish':
        return this.#finish(peer, name, visitor);
      case 'message':
        return this.#agentMessage(peer, name, visitor, frame);
      case 'typing':
        if (!peer.buckets.typing.take())
          return this.#error(peer, 'rate_limited', 'Too many typing frames; this one was dropped');
        return this.#setAgentTyping(peer, visitor.id, frame.typing);
      case 'read': {
        const seq = Math.min(frame.seq, visitor.lastSeq);
        if (seq <= visitor.agentReadSeq) return;
        if (!this.#persist(peer, { k: 'agent_read', v: visitor.id, seq })) return;
        return this.#visitorChanged(visitor);
      }
      case 'call_status':
        return this.#callStatus(peer, name, visitor, frame);
      case 'request_contacts':
        return this.#requestContacts(peer, name, visitor);
    }
  }

  /** Asks the visitor for contacts: journalled, so that a widget that connects later (or reloads) still shows the form. */
  #requestContacts(peer: AgentPeer, name: string, visitor: Visitor): void {
    if (!peer.online) return this.#error(peer, 'offline', 'Go online to ask for contacts');
    if (visitor.acceptedBy !== null && visitor.acceptedBy !== name && this.#isAgentOnline(visitor.acceptedBy)) {
      return this.#error(peer, 'taken', `${visitor.acceptedBy} has this chat`);
    }
    // Asking again while the visitor has not answered changes nothing.
    if (visitor.contactsRequest?.state === 'pending') return;
    const id = `r-${randomBytes(12).toString('base64url')}`;
    if (!this.#persist(peer, { k: 'contacts_request', v: visitor.id, id, at: Date.now(), by: name })) return;
    this.#toVisitor(visitor.id, { type: 'contacts_request', request: id });
    this.#visitorChanged(visitor);
  }

  #agentHello(peer: AgentPeer, hello: Extract<AgentFrame, { type: 'hello' }>): void {
    peer.name = hello.name;
    peer.online = hello.online === true;
    // The welcome already counts this console; then everyone hears about it (this console too, harmlessly).
    const agents = this.#presenceList();
    this.#send(peer, {
      type: 'welcome',
      v: PROTOCOL_VERSION,
      name: peer.name,
      online: peer.online,
      chatMode: agents.some((a) => a.online) ? 'online' : 'offline',
      agents,
      visitors: [...this.#state.visitors.values()].map((v): AgentVisitor => ({
        ...this.#info(v),
        messages: v.messages,
      })),
      offlineMessages: this.#state.offlineMessages,
      calls: [...this.#state.visitors.values()]
        .flatMap((v) => v.calls.map((c) => agentCall(v, c)))
        .sort((a, b) => a.at - b.at),
    });
    this.#agentsChanged();
  }

  /** Gives the chat to `name` unless another online agent has it. */
  #take(peer: AgentPeer, name: string, visitor: Visitor): boolean {
    if (visitor.acceptedBy === name) return true;
    if (visitor.acceptedBy !== null && this.#isAgentOnline(visitor.acceptedBy)) {
      this.#error(peer, 'taken', `${visitor.acceptedBy} has this chat`);
      return false;
    }
    if (!this.#persist(peer, { k: 'accept', v: visitor.id, by: name })) return false;
    this.#webhooks?.emit('chat_accepted', visitor, { chat_id: chatId(visitor), agent: { id: name, name } });
    this.#toVisitor(visitor.id, { type: 'agent', agent: { name } });
    this.#visitorChanged(visitor);
    return true;
  }

  /**
   * Ends the chat `name` has: nobody has it any more, its messages go out in `chat_finished`, and the visitor's next
   * message starts a new chat. The widget keeps its history and hears `agent: null`, as after a reconnect. Finishing a chat nobody has is a no-op (another console of
   * the same agent may have finished it a moment ago); a chat another agent has is refused with `taken`.
   */
  #finish(peer: AgentPeer, name: string, visitor: Visitor): void {
    if (visitor.acceptedBy === null) return;
    if (visitor.acceptedBy !== name)
      return this.#error(peer, 'taken', `${visitor.acceptedBy} has this chat; accept it before finishing it`);
    const id = chatId(visitor);
    const messages = webhookMessages(visitor.messages.filter((m) => m.seq > visitor.finishedSeq));
    if (!this.#persist(peer, { k: 'finish', v: visitor.id, seq: visitor.lastSeq })) return;
    this.#webhooks?.emit('chat_finished', visitor, { chat_id: id, agent: { id: name, name }, messages });
    this.#setAgentTyping(peer, visitor.id, false);
    this.#toVisitor(visitor.id, { type: 'agent', agent: null });
    this.#visitorChanged(visitor);
  }

  #agentMessage(
    peer: AgentPeer,
    name: string,
    visitor: Visitor,
    frame: Extract<AgentFrame, { type: 'message' }>,
  ): void {
    const known = visitor.agentMessageIds.get(frame.id);
    if (known) {
      this.#send(peer, {
        type: 'ack',
        id: frame.id,
        visitorId: visitor.id,
        messageId: known.id,
        seq: known.seq,
        at: known.at,
      });
      return;
    }
    if (!peer.online) return this.#error(peer, 'offline', 'Go online to reply', frame.id);
    if (!peer.buckets.messages.take()) {
      this.#error(peer, 'rate_limited', 'Too many messages; this one was not stored, send it again later', frame.id);
      return;
    }
    if (visitor.acceptedBy !== name) {
      if (visitor.acceptedBy !== null && this.#isAgentOnline(visitor.acceptedBy)) {
        this.#error(peer, 'taken', `${visitor.acceptedBy} has this chat`, frame.id);
        return;
      }
      if (!this.#take(peer, name, visitor)) return;
    }
    const message: WireMessage = {
      id: `a-${randomUUID()}`,
      seq: visitor.lastSeq + 1,
      from: 'agent',
      text: frame.text,
      at: Date.now(),
      agentName: name,
    };
    if (!this.#persist(peer, { k: 'message', v: visitor.id, m: message, cid: frame.id })) return;
    // Replying means the agent has read the conversation.
    if (!this.#persist(peer, { k: 'agent_read', v: visitor.id, seq: message.seq })) return;
    this.#send(peer, {
      type: 'ack',
      id: frame.id,
      visitorId: visitor.id,
      messageId: message.id,
      seq: message.seq,
      at: message.at,
    });
    this.#setAgentTyping(peer, visitor.id, false);
    this.#toVisitor(visitor.id, { type: 'message', message });
    this.#toAgents({ type: 'message', visitorId: visitor.id, message });
    this.#visitorChanged(visitor);
  }

  #onAgentClose(peer: AgentPeer): void {
    this.#agents.delete(peer);
    for (const visitorId of [...peer.typingTo]) this.#setAgentTyping(peer, visitorId, false);
    if (peer.name !== null) this.#agentsChanged();
  }
}
