/**
 * The chat's core: who is connected (widgets' sockets on `/ws/visitor`, agent consoles' on `/ws/agent`), the state,
 * persistence and fan-out. What each kind of socket may do lives in visitor-socket.ts and agent-socket.ts; they call
 * the members here. Everything that must survive a restart goes through `persist` — the store first (store/store.ts:
 * the journal, or PostgreSQL), the state second — before anyone is told about it, so an `ack` always means "durable".
 * What touches one visitor runs one task at a time (`withVisitor`). With a store shared by several server processes,
 * what the others commit arrives here as records and goes out to this process's sockets as if it had happened here;
 * presence and typing travel as signals (cluster.ts).
 */
import type { WebSocket } from 'ws';
import type { BackendFrame, ChatModeWire } from '../src/transport/protocol.js';
import { agentCall, wireCall, type CallbackConfig } from './calls.js';
import type { AgentErrorCode, AgentPresence, AgentServerFrame, AgentVisitorInfo } from './agent-protocol.js';
import { onAgentClose, onAgentFrame } from './agent-socket.js';
import { StoreConflict, type ChatStore } from './store/store.js';
import { buckets, KeyedBuckets, type RateLimits, type TokenBucket } from './rate-limit.js';
import { CLOSE, type AgentIdentity, type AgentPeer, type HubLimits, type Peer, type VisitorPeer } from './peers.js';
import {
  lastActivity,
  USER_AGENT_LENGTH,
  type ChatState,
  type EraseReason,
  type JournalRecord,
  type StoredCall,
  type Visitor,
} from './state.js';
import { onVisitorClose, onVisitorFrame } from './visitor-socket.js';
import { Cluster, type NodeAgent } from './cluster.js';
import type { Sites } from './sites.js';
import { NO_SITE_SETTINGS, type HoursStatus, type SiteSettings } from '../src/model/site-settings.js';
import { wirePrechat } from './prechat.js';
import { hoursStatus } from './hours.js';
import type { WebhookEventFields, WebhookEventName, Webhooks } from './webhooks.js';
import type { QueuedEvent } from './webhook-queue.js';
import { wireChatEnd } from './chat-end.js';

export interface HubOptions {
  /** Where the state lives and is written (store/store.ts). */
  store: ChatStore;
  visitorRates: RateLimits;
  agentRates: RateLimits;
  /** Bad frames a socket may send before it is closed with 1008. */
  maxBadFrames: number;
  /** Where events go out (docs/webhooks.md); null when no webhook URL is configured. */
  webhooks: Webhooks | null;
  /** When call backs are offered (calls.ts). */
  callbacks: CallbackConfig;
  /** Query parameters kept in stored page addresses (page.ts); everything else after the path is dropped. */
  pageQueryParams: ReadonlySet<string>;
  limits: HubLimits;
  /** Which pages may open widget sockets per widget id (sites.ts). */
  sites: Sites;
  /** The agents' photos (accounts.ts): read for what visitors see, set from the console. */
  photos?: { photo(agentId: string): string | null; setPhoto(agentId: string, photo: string | null): Promise<void> };
  /** How often this process tells the others sharing its store that it is alive (cluster.ts). Default 5000 ms. */
  aliveMs?: number;
  warn: (message: string) => void;
}

/** Tries of a visitor's task that meets a StoreConflict (withVisitor). */
const CONFLICT_ATTEMPTS = 8;

/** How long a site's business hours go without being computed again, whatever its schedule says. */
const HOURS_RECHECK_MS = 3_600_000;

type ErrorFrame = { type: 'error'; code: AgentErrorCode; message: string; id?: string };

export class Hub {
  readonly state: ChatState;
  readonly store: ChatStore;
  readonly options: HubOptions;
  readonly webhooks: Webhooks | null;
  /** Open sockets per visitor (public id); a visitor with none is offline. */
  readonly visitorPeers = new Map<string, Set<VisitorPeer>>();
  readonly pendingVisitors = new Set<VisitorPeer>();
  readonly agents = new Set<AgentPeer>();
  /** Visitors typing right now (public ids). */
  readonly visitorTyping = new Set<string>();
  /** Call-back requests per visitor (public id), whatever socket they come from. */
  readonly callBuckets = new Map<string, TokenBucket>();
  /** Messages per visitor (public id), new visitors per client address and per widget id. */
  readonly messageBuckets: KeyedBuckets;
  readonly newVisitorsPerIp: KeyedBuckets;
  readonly callsPerIp: KeyedBuckets;
  readonly newVisitorsPerSite: KeyedBuckets;
  chatMode: ChatModeWire = 'offline';
  #presence = '[]';
  /** The agents here as last published to the other server processes. */
  #localPresence = '[]';
  /** The other server processes sharing the store; null when there are none (the embedded store). */
  readonly cluster: Cluster | null;
  /** Outgoing frames and closes waiting for the store's flush (#out). */
  #held: Array<() => void> = [];
  /** The last task queued per visitor (public id): what changes one visitor runs one at a time (withVisitor). */
  readonly #visitorTasks = new Map<string, Promise<unknown>>();
  /** A flush failed: nothing more is sent. */
  #broken = false;
  /**
   * Business hours per widget id whose visitors are connected here: the status last computed, and the timer that
   * computes it again when it changes (the opening or closing time; at most `HOURS_RECHECK_MS` away).
   */
  readonly #hours = new Map<string, { status: HoursStatus | null; timer: ReturnType<typeof setTimeout> | null }>();

  constructor(options: HubOptions) {
    this.options = options;
    this.store = options.store;
    this.state = options.store.state;
    this.webhooks = options.webhooks;
    this.messageBuckets = new KeyedBuckets(options.limits.messagesPerVisitor);
    this.newVisitorsPerIp = new KeyedBuckets(options.limits.newVisitorsPerIp);
    this.callsPerIp = new KeyedBuckets(options.limits.callsPerIp);
    this.newVisitorsPerSite = new KeyedBuckets(options.limits.newVisitorsPerSite);
    this.#settingsTold = new Map(options.sites.allSettings().map(([id, settings]) => [id, JSON.stringify(settings)]));
    options.sites.onChange = () => this.siteSettingsChanged();
    this.cluster =
      options.store.node === 'local'
        ? null
        : new Cluster(
            {
              publish: (signal) => this.store.publish(signal),
              local: () => ({
                visitors: this.visitorPeers.keys(),
                typing: this.visitorTyping,
                agentTyping: [...this.agents].flatMap((a) => [...a.typingTo]),
                agents: this.localAgents(),
              }),
              visitorChanged: (id) => {
                const v = this.state.visitors.get(id);
                if (v) this.visitorChanged(v);
              },
              visitorTypingChanged: (id) =>
                this.toAgents({
                  type: 'typing',
                  visitorId: id,
                  typing: this.visitorTyping.has(id) || (this.cluster?.typing(id) ?? false),
                }),
              agentTypingChanged: (id) => this.toVisitor(id, { type: 'typing', typing: this.agentTypingTo(id) }),
              agentsChanged: () => this.agentsChanged(),
            },
            options.aliveMs ?? 5000,
          );
    const cluster = this.cluster;
    this.joined = cluster
      ? options.store.listen({
          changed: (id, records, visitor) => this.#remoteChanged(id, records, visitor),
          signal: (node, signal) => cluster.signal(node, signal),
          resync: () => cluster.resync(),
        })
      : Promise.resolve();
  }

  /** Resolves once this process hears the others sharing its store (at once with the embedded store). */
  readonly joined: Promise<void>;

  // --- connections ---

  /**
   * `userAgent`: the upgrade request's User-Agent header, kept with the visitor for webhooks; `ip`: the client's
   * address (network.ts), which new visitors are counted against.
   */
  attachVisitor(ws: WebSocket, userAgent = '', ip = '?', origin?: string): void {
    const peer: VisitorPeer = {
      ws,
      buckets: buckets(this.options.visitorRates),
      alive: true,
      badFrames: 0,
      beats: 0,
      visitor: null,
      userAgent: userAgent.slice(0, USER_AGENT_LENGTH),
      ip,
      origin,
      callbackEnabled: false,
      frames: Promise.resolve(),
    };
    this.pendingVisitors.add(peer);
    this.#watch(
      peer,
      (raw) => onVisitorFrame(this, peer, raw),
      () => onVisitorClose(this, peer),
    );
  }

  /** `agent` and `sessionId`: the session the upgrade request carried (index.ts checks it). */
  attachAgent(ws: WebSocket, agent: AgentIdentity, sessionId: string): void {
    const peer: AgentPeer = {
      ws,
      buckets: buckets(this.options.agentRates),
      alive: true,
      badFrames: 0,
      beats: 0,
      agent,
      sessionId,
      ready: false,
      online: false,
      typingTo: new Set(),
    };
    this.agents.add(peer);
    this.#watch(
      peer,
      (raw) => onAgentFrame(this, peer, raw),
      () => onAgentClose(this, peer),
    );
  }

  /**
   * Pings every socket; one that did not answer the previous ping is terminated, and one that has not said hello by
   * the second beat after it connected is closed with 1008. A `late` beat (the process was stalled for longer than a
   * beat: a long GC pause, a starved CPU) only pings: the pongs that arrived meanwhile have not been read yet, and
   * judging by them would cut every healthy socket at once.
   */
  heartbeat(late = false): void {
    for (const peer of this.#allPeers()) {
      const waiting = 'visitor' in peer ? peer.visitor === null : !(peer as AgentPeer).ready;
      if (waiting && !late && peer.beats++ >= 1) {
        peer.ws.close(CLOSE.policy, 'No hello');
        continue;
      }
      if (!peer.alive && !late) {
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

  /** Closes the agent sockets opened with these sessions (signed out, expired, account disabled or new password). */
  endSessions(sessionIds: Set<string>): void {
    for (const a of this.agents) if (sessionIds.has(a.sessionId)) a.ws.close(CLOSE.policy, 'Session ended');
  }

  /** Drops every connection at once (shutdown): close handlers still run, so the state stays consistent. */
  terminateAll(): void {
    for (const peer of this.#allPeers()) peer.ws.terminate();
  }

  *#allPeers(): Iterable<Peer> {
    yield* this.pendingVisitors;
    for (const set of this.visitorPeers.values()) yield* set;
    yield* this.agents;
  }

  /**
   * Runs `task` after every task queued before it for the same visitor, so that what a handler read of the visitor is
   * still true when its records are committed. A task that meets a `StoreConflict` (another server process changed
   * the visitor first; the store has reloaded it) runs again, up to eight times: a visitor writing on another process
   * while notifications lag (a loaded machine) can win several races in a row, and a handler that gives up closes
   * its socket (a console's, with every copy it would have had).
   */
  withVisitor<T>(visitorId: string, task: () => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await task();
        } catch (error) {
          if (!(error instanceof StoreConflict) || attempt >= CONFLICT_ATTEMPTS) throw error;
        }
      }
    };
    const before = this.#visitorTasks.get(visitorId) ?? Promise.resolve();
    const result = before.then(run, run);
    const tail = result.catch(() => {});
    this.#visitorTasks.set(visitorId, tail);
    void tail.then(() => {
      if (this.#visitorTasks.get(visitorId) === tail) this.#visitorTasks.delete(visitorId);
    });
    return result;
  }

  #watch(peer: Peer, onFrame: (raw: string) => Promise<void> | void, onClose: () => void): void {
    const { ws } = peer;
    ws.on('pong', () => (peer.alive = true));
    ws.on('message', (data, isBinary) => {
      peer.alive = true;
      if (isBinary) {
        this.reject(peer, 'bad_frame', 'Frames are JSON text; binary frames are not accepted');
        return;
      }
      const raw = Buffer.isBuffer(data)
        ? data.toString('utf8')
        : Array.isArray(data)
          ? Buffer.concat(data).toString('utf8')
          : Buffer.from(data).toString('utf8');
      const failed = (error: unknown) => {
        // A bug must not take the process down with it; the peer reconnects and resends.
        this.options.warn(`frame handler failed: ${(error as Error).stack ?? String(error)}`);
        ws.close(CLOSE.internal, 'Internal error');
      };
      // A widget's frames are handled one after another, in the order they came; a console's run side by side, one
      // visitor at a time (withVisitor), so that a reply to one visitor does not wait for a write about another.
      if ('visitor' in peer) {
        const visitorPeer = peer as VisitorPeer;
        visitorPeer.frames = visitorPeer.frames.then(() => onFrame(raw)).catch(failed);
        return;
      }
      try {
        const done = onFrame(raw);
        if (done) done.catch(failed);
      } catch (error) {
        failed(error);
      }
    });
    // ws emits 'error' for protocol violations (a frame over maxPayload, invalid UTF-8) and then closes the socket with
    // 1009 or 1007 itself; without a listener the error would crash the process.
    ws.on('error', () => {});
    ws.once('close', onClose);
  }

  /**
   * Sends unless the peer already holds too many unsent bytes: then it is cut off (it reconnects and resumes with
   * `after`), so a reader that never reads cannot pin memory. One frame on an idle socket always goes.
   */
  send(peer: Peer, frame: BackendFrame | AgentServerFrame): void {
    const data = JSON.stringify(frame);
    this.#out(() => {
      const { ws } = peer;
      if (ws.readyState !== ws.OPEN) return;
      const cap = 'visitor' in peer ? this.options.limits.visitorBufferedBytes : this.options.limits.agentBufferedBytes;
      if (ws.bufferedAmount > 0 && ws.bufferedAmount + Buffer.byteLength(data) > cap) {
        ws.terminate();
        return;
      }
      ws.send(data);
    });
  }

  /** Closes a socket after the frames already sent to it (an error that explains the close goes first). */
  closeAfterSends(peer: Peer, code: number, reason: string): void {
    this.#out(() => peer.ws.close(code, reason));
  }

  /**
   * Output commit: while the store holds records that are not durable yet, every outgoing frame (and close) waits
   * for that flush, in order. So no ack, message or change reaches anyone before what it is about is durable, while a
   * burst of records costs one flush (store/journal.ts). PostgreSQL commits before `commit` resolves: nothing waits.
   */
  #out(action: () => void): void {
    if (this.#broken) return;
    if (!this.store.pending && !this.#held.length) return action();
    this.#held.push(action);
    if (this.#held.length === 1) this.store.whenDurable((error) => this.#release(error));
  }

  #release(error: Error | null): void {
    const held = this.#held;
    this.#held = [];
    if (error) {
      // What was written since the last good flush may be lost: nothing about it may be acknowledged, now or on a
      // resend. The server stops serving; a restart replays what is on disk.
      this.#broken = true;
      this.options.warn(`journal flush failed, closing every socket (restart the server): ${error.message}`);
      for (const peer of this.#allPeers()) peer.ws.close(CLOSE.internal, 'Storage unavailable');
      return;
    }
    for (const action of held) action();
  }

  error(peer: Peer, code: AgentErrorCode, message: string, id?: string): void {
    const frame: ErrorFrame = { type: 'error', code, message };
    if (id !== undefined) frame.id = id;
    this.send(peer, frame as BackendFrame);
  }

  /** A frame that breaks the protocol: an error, and after too many of them the socket is closed (1008). */
  reject(peer: Peer, code: AgentErrorCode, message: string, id?: string): void {
    this.error(peer, code, message, id);
    if (++peer.badFrames >= this.options.maxBadFrames) this.closeAfterSends(peer, CLOSE.policy, 'Too many bad frames');
  }

  /**
   * Commits the records (store first, state second). False when storage refused them: the peer is disconnected so
   * that it resends later. A `StoreConflict` goes to the caller (withVisitor runs the handler again).
   */
  async persist(peer: Peer | null, ...records: JournalRecord[]): Promise<boolean> {
    return this.persistWith(peer, records, []);
  }

  /**
   * `persist`, with the webhook event that the records cause: where the store keeps the webhook queue (PostgreSQL) it
   * is queued in the same transaction, so both are stored or neither; else it is queued once the records are stored.
   * Its payload is made from the visitor before the records apply: none of the events depends on what they change.
   */
  async persistAnnounced<E extends WebhookEventName>(
    peer: Peer | null,
    records: JournalRecord[],
    event: E,
    visitor: Visitor,
    fields: WebhookEventFields[E],
  ): Promise<boolean> {
    const queued = (await this.webhooks?.withCommit(event, visitor, fields)) ?? null;
    if (!(await this.persistWith(peer, records, queued ? [queued] : []))) return false;
    if (queued) this.webhooks!.committed();
    else await this.webhooks?.emit(event, visitor, fields);
    return true;
  }

  /** `persist`, with webhook events queued in the same transaction (Webhooks.withCommit). */
  async persistWith(peer: Peer | null, records: JournalRecord[], webhooks: readonly QueuedEvent[]): Promise<boolean> {
    try {
      await this.store.commit(records, webhooks);
      return true;
    } catch (error) {
      if (error instanceof StoreConflict) throw error;
      this.options.warn(`journal write failed: ${(error as Error).message}`);
      peer?.ws.close(CLOSE.internal, 'Storage unavailable');
      return false;
    }
  }

  // --- erasing ---

  /**
   * Deletes the visitor and everything about it: an `erase` record (durable before anyone hears of it), the visitor's
   * sockets cut off, every console told. The data leaves the disk with the next compaction, which an admin's erase
   * starts at once. Its widget comes back as a new visitor. False when the store refused the record.
   */
  async erase(visitor: Visitor, reason: EraseReason): Promise<boolean> {
    if (!(await this.persist(null, { k: 'erase', v: visitor.id, at: Date.now(), reason }))) return false;
    for (const p of this.visitorPeers.get(visitor.id) ?? []) this.closeAfterSends(p, CLOSE.policy, 'Visitor erased');
    if (this.visitorPeers.delete(visitor.id)) this.visitorOnline(visitor.id, false);
    this.visitorTyping.delete(visitor.id);
    this.callBuckets.delete(visitor.id);
    for (const a of this.agents) a.typingTo.delete(visitor.id);
    this.toAgents({ type: 'visitor_erased', visitorId: visitor.id });
    if (reason === 'admin') void this.store.compact();
    return true;
  }

  /**
   * The visitor's bearer id was revoked (a `rotate` record, here or on another server process): every socket that
   * opened with it is cut off, and a widget that reconnects with the old id is a new visitor.
   */
  revoked(visitorId: string): void {
    for (const p of this.visitorPeers.get(visitorId) ?? []) this.closeAfterSends(p, CLOSE.policy, 'Visitor id revoked');
  }

  /** Whether `visitor` is still in the state (not erased since a handler got hold of it). */
  present(visitor: Visitor): boolean {
    return this.state.visitors.get(visitor.id) === visitor;
  }

  /**
   * Erases every visitor with no open socket and nothing new (no hello, message, offline message or call) for
   * `retentionMs`; then compacts, so that their data leaves the disk. Returns how many were erased.
   */
  async sweep(retentionMs: number, now = Date.now()): Promise<number> {
    const before = now - retentionMs;
    let erased = 0;
    for (const id of await this.store.idleSince(before, 100_000)) {
      if (this.visitorPeers.has(id) || this.cluster?.online(id)) continue;
      const done = await this.withVisitor(id, async () => {
        // Read again: another socket or server may have brought it back meanwhile.
        const v = await this.store.get(id);
        if (!v || this.visitorPeers.has(id) || this.cluster?.online(id) || lastActivity(v) >= before) return false;
        return this.erase(v, 'retention');
      });
      if (done) erased++;
    }
    if (erased) await this.store.compact();
    return erased;
  }

  // --- views ---

  info(v: Visitor): AgentVisitorInfo {
    return {
      id: v.id,
      widgetId: v.widgetId,
      number: v.number,
      page: v.page,
      department: v.department,
      lang: v.lang,
      online: this.visitorPeers.has(v.id) || (this.cluster?.online(v.id) ?? false),
      typing: this.visitorTyping.has(v.id) || (this.cluster?.typing(v.id) ?? false),
      acceptedBy: v.acceptedBy,
      finishedSeq: v.finishedSeq,
      finishedChats: v.finishedChats,
      endedBy: v.endedBy,
      ratings: v.ratings,
      unread: this.state.unread(v),
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
      prechat: v.prechat,
      // Not v.userToken: it identifies the visitor on the site's side and is for webhooks, never for agents.
    };
  }

  /** Who answers, as a visitor sees it: the agent's name and, when the agent set one, their photo. */
  agentCard(name: string, agentId: string | null | undefined): { name: string; photo?: string } {
    const photo = agentId ? this.options.photos?.photo(agentId) : null;
    return photo ? { name, photo } : { name };
  }

  /** The agents signed in here (consoles that said hello). */
  localAgents(): NodeAgent[] {
    return [...this.agents]
      .filter((a) => a.ready)
      .map((a) => ({ id: a.agent.id, name: a.agent.name, online: a.online }));
  }

  /** Agents by name, on this server process and the others sharing its store. */
  presenceList(): AgentPresence[] {
    return Cluster.presence([...this.localAgents(), ...(this.cluster?.agents() ?? [])]);
  }

  /** Whether the account `agentId` has an online console, here or on another server process. */
  isAgentOnline(agentId: string): boolean {
    for (const a of this.agents) if (a.agent.id === agentId && a.online) return true;
    return this.cluster?.agents().some((a) => a.id === agentId && a.online) ?? false;
  }

  // --- fan-out ---

  toAgents(frame: AgentServerFrame): void {
    for (const a of this.agents) {
      if (a.ready) this.send(a, frame);
      else a.welcoming?.push(frame);
    }
  }

  toVisitor(visitorId: string, frame: BackendFrame, except?: Peer): void {
    for (const p of this.visitorPeers.get(visitorId) ?? []) if (p !== except) this.send(p, frame);
  }

  visitorChanged(v: Visitor): void {
    this.toAgents({ type: 'visitor', visitor: this.info(v) });
  }

  /** After any change to who is connected or online: tells agents about presence, everyone about the chat mode. */
  agentsChanged(): void {
    const local = JSON.stringify(this.localAgents());
    if (this.cluster && local !== this.#localPresence) this.store.publish({ t: 'agents', agents: this.localAgents() });
    this.#localPresence = local;
    const agents = this.presenceList();
    const presence = JSON.stringify(agents);
    if (presence !== this.#presence) {
      this.#presence = presence;
      this.toAgents({ type: 'agents', agents });
    }
    const chatMode: ChatModeWire = agents.some((a) => a.online) ? 'online' : 'offline';
    if (chatMode === this.chatMode) return;
    this.chatMode = chatMode;
    for (const set of this.visitorPeers.values()) for (const p of set) this.send(p, { type: 'chat_mode', chatMode });
    this.toAgents({ type: 'chat_mode', chatMode });
    this.callbacksChanged();
  }

  // --- call backs ---

  /** Call backs are configured, an agent is online to call, and the widget id's balance (if any) is not spent. */
  callbackEnabled(widgetId: string): boolean {
    const { enabled, balance } = this.options.callbacks;
    return enabled && this.chatMode === 'online' && (balance === null || this.store.callCount(widgetId) < balance);
  }

  /** Tells every widget whose answer changed (agents came or went, a balance was spent). */
  callbacksChanged(): void {
    for (const set of this.visitorPeers.values()) {
      for (const p of set) {
        const enabled = this.callbackEnabled(p.visitor!.widgetId);
        if (enabled === p.callbackEnabled) continue;
        p.callbackEnabled = enabled;
        this.send(p, { type: 'callback', enabled });
      }
    }
  }

  /** Every socket of the visitor and every console hear of a new call or a new status (its webhook went with it). */
  callChanged(visitor: Visitor, call: StoredCall): void {
    this.toVisitor(visitor.id, { type: 'call', call: wireCall(call) });
    this.toAgents({ type: 'call', call: agentCall(visitor, call) });
  }

  setVisitorTyping(v: Visitor, typing: boolean): void {
    if (this.visitorTyping.has(v.id) === typing) return;
    if (typing) this.visitorTyping.add(v.id);
    else this.visitorTyping.delete(v.id);
    if (this.cluster) this.store.publish({ t: 'typing', v: v.id, on: typing });
    this.toAgents({ type: 'typing', visitorId: v.id, typing: typing || (this.cluster?.typing(v.id) ?? false) });
  }

  #localAgentTypingTo(visitorId: string): boolean {
    for (const a of this.agents) if (a.typingTo.has(visitorId)) return true;
    return false;
  }

  /** Whether an agent, here or on another server process, is typing to the visitor. */
  agentTypingTo(visitorId: string): boolean {
    return this.#localAgentTypingTo(visitorId) || (this.cluster?.agentTyping(visitorId) ?? false);
  }

  setAgentTyping(peer: AgentPeer, visitorId: string, typing: boolean): void {
    const before = this.#localAgentTypingTo(visitorId);
    const shown = this.agentTypingTo(visitorId);
    if (typing) peer.typingTo.add(visitorId);
    else peer.typingTo.delete(visitorId);
    const after = this.#localAgentTypingTo(visitorId);
    if (before !== after && this.cluster) this.store.publish({ t: 'agent_typing', v: visitorId, on: after });
    if (shown !== this.agentTypingTo(visitorId)) this.toVisitor(visitorId, { type: 'typing', typing: !shown });
  }

  /** The visitor's first socket here opened, or its last one closed: the other server processes hear of it. */
  visitorOnline(visitorId: string, online: boolean): void {
    if (this.cluster) this.store.publish({ t: 'online', v: visitorId, on: online });
  }

  // --- other server processes (a shared store) ---

  /** What other server processes committed: the same frames go to the sockets here as there. */
  #remoteChanged(id: string, records: JournalRecord[], held: Visitor | undefined): void {
    if (held) return this.#fanOut(id, records, held);
    // Not held here, yet consoles here must hear of a new visitor or a message: read it (after the store's task).
    const erased = records.find((r) => r.k === 'erase');
    if (erased) return this.#fanOut(id, records, undefined);
    if (!this.agents.size) return;
    void this.withVisitor(id, async () => {
      const visitor = await this.store.get(id);
      if (visitor) this.#fanOut(id, records, visitor);
    }).catch((error: Error) => this.options.warn(`a change from another server could not be read: ${error.message}`));
  }

  #fanOut(id: string, records: JournalRecord[], v: Visitor | undefined): void {
    let changed = records.length === 0;
    for (const r of records) {
      switch (r.k) {
        case 'erase':
          for (const p of this.visitorPeers.get(id) ?? []) this.closeAfterSends(p, CLOSE.policy, 'Visitor erased');
          this.visitorPeers.delete(id);
          this.visitorTyping.delete(id);
          this.toAgents({ type: 'visitor_erased', visitorId: id });
          return;
        case 'rotate':
          this.revoked(id);
          break;
        case 'message':
          this.toVisitor(id, { type: 'message', message: r.m });
          this.toAgents({ type: 'message', visitorId: id, message: r.m });
          break;
        case 'read':
          this.toVisitor(id, { type: 'read', seq: r.seq });
          break;
        case 'accept':
          this.toVisitor(id, { type: 'agent', agent: r.by === null ? null : this.agentCard(r.by, r.id) });
          break;
        case 'finish':
          this.toVisitor(id, { type: 'agent', agent: null });
          if (v) this.toVisitor(id, { type: 'chat_ended', ended: wireChatEnd(v)! });
          break;
        case 'rating':
          if (v && r.rating.chat === v.finishedChats)
            this.toVisitor(id, { type: 'chat_ended', ended: wireChatEnd(v)! });
          break;
        case 'offline':
          this.toAgents({ type: 'offline_message', offlineMessage: r.o });
          break;
        case 'call':
        case 'call_status': {
          const call = v?.callIds.get(r.id);
          if (!v || !call) break;
          this.toVisitor(id, { type: 'call', call: wireCall(call) });
          this.toAgents({ type: 'call', call: agentCall(v, call) });
          this.callbacksChanged();
          break;
        }
        case 'contacts_request':
          this.toVisitor(id, { type: 'contacts_request', request: r.id });
          break;
        case 'contacts_answer':
          this.toVisitor(id, { type: 'contacts_request', request: null });
          break;
      }
      changed = true;
    }
    if (changed && v) this.visitorChanged(v);
  }

  /** Stops telling the other server processes about this one. */
  leave(): void {
    this.cluster?.close();
    for (const entry of this.#hours.values()) if (entry.timer) clearTimeout(entry.timer);
    this.#hours.clear();
  }

  // --- business hours ---

  /** The site's business hours now (null: it has no schedule), watched from now on so that its widgets hear changes. */
  hoursOf(widgetId: string): HoursStatus | null {
    return (this.#hours.get(widgetId) ?? this.#watchHours(widgetId)).status;
  }

  /** Computes a site's status now, and sets the timer for its next change. */
  #watchHours(widgetId: string): { status: HoursStatus | null; timer: ReturnType<typeof setTimeout> | null } {
    const old = this.#hours.get(widgetId);
    if (old?.timer) clearTimeout(old.timer);
    const hours = this.options.sites.settings(widgetId).hours;
    const now = Date.now();
    const status = hours ? hoursStatus(hours, now) : null;
    let timer: ReturnType<typeof setTimeout> | null = null;
    if (status) {
      // A little after the change, so that the status computed then is the new one; never further than the recheck.
      const wait = status.next === null ? HOURS_RECHECK_MS : Math.min(status.next - now + 20, HOURS_RECHECK_MS);
      timer = setTimeout(() => this.#hoursTick(widgetId), Math.max(wait, 20));
      timer.unref();
    }
    const entry = { status, timer };
    this.#hours.set(widgetId, entry);
    return entry;
  }

  /** The timer of a site fired (or its settings changed): tells its widgets here when the status is new. */
  #hoursTick(widgetId: string): void {
    const before = JSON.stringify(this.#hours.get(widgetId)?.status ?? null);
    let connected = false;
    for (const set of this.visitorPeers.values())
      for (const p of set) if (p.visitor?.widgetId === widgetId) connected = true;
    if (!connected) {
      // Nobody here to tell: stop watching until a visitor of the site says hello again.
      const entry = this.#hours.get(widgetId);
      if (entry?.timer) clearTimeout(entry.timer);
      this.#hours.delete(widgetId);
      return;
    }
    const { status } = this.#watchHours(widgetId);
    if (JSON.stringify(status) === before) return;
    for (const set of this.visitorPeers.values())
      for (const p of set) if (p.visitor?.widgetId === widgetId) this.send(p, { type: 'hours', hours: status });
  }

  /** The sites' settings changed (here, in sites.json, or on another server process): every site is computed again. */
  siteSettingsChanged(): void {
    // Only the sites whose settings are not what they were (a shared list is read again every second, mostly the
    // same): consoles hear of each, widgets get the new business hours and pre-chat form.
    const now = new Map(this.options.sites.allSettings().map(([id, settings]) => [id, JSON.stringify(settings)]));
    for (const widgetId of new Set([...now.keys(), ...this.#settingsTold.keys()])) {
      const json = now.get(widgetId) ?? JSON.stringify(NO_SITE_SETTINGS);
      if (json === (this.#settingsTold.get(widgetId) ?? JSON.stringify(NO_SITE_SETTINGS))) continue;
      const settings = this.options.sites.settings(widgetId);
      this.toAgents({ type: 'site_settings', widgetId, settings });
      if (this.#hours.has(widgetId)) this.#hoursTick(widgetId);
      // The site's widgets connected here get its pre-chat form as it is now (a new consent version asks again).
      const before = JSON.parse(this.#settingsTold.get(widgetId) ?? 'null') as SiteSettings | null;
      if (JSON.stringify(before?.prechat ?? null) !== JSON.stringify(settings.prechat))
        for (const set of this.visitorPeers.values())
          for (const p of set)
            if (p.visitor?.widgetId === widgetId)
              this.send(p, { type: 'prechat', prechat: wirePrechat(p.visitor, settings.prechat) });
    }
    this.#settingsTold = now;
  }

  /** The sites' settings as consoles were last told them (JSON per widget id). */
  #settingsTold = new Map<string, string>();
}
