/**
 * The agent console's pages (docs/protocol.md, "Pages"): what a console's welcome carries — the active visitors and the
 * most recent ones, each with its newest messages; the newest offline messages; the open and the newest call-back
 * requests — and the replies to its `older_*` requests for the rest. Every list is bounded in count and in bytes, so
 * no frame grows with the data stored (security review F4).
 *
 * Written against `ConsoleReads`, a few ordered reads that a store can implement with its own indexes (PostgreSQL
 * keeps `last_activity`); `stateReads` reads what this process holds in memory, whose orderings state.ts keeps up to
 * date as records apply: everything with the embedded store, the visitors it loaded with a shared one.
 */
import type { WireMessage } from '../src/transport/protocol.js';
import {
  CALL_NEXT,
  type AgentCall,
  type AgentOfflineMessage,
  type AgentServerFrame,
  type AgentVisitor,
  type OlderRequest,
} from './agent-protocol.js';
import { agentCall } from './calls.js';
import type { Hub } from './hub.js';
import { parsePosition, positionCursor, type OrderedIndex } from './ordered-index.js';
import type { AgentPeer } from './peers.js';
import { TokenBucket, type Rate } from './rate-limit.js';
import { messagesBefore, type StoredCall, type Visitor } from './state.js';
import { PostgresStore } from './store/postgres.js';

export interface ConsolePageLimits {
  /** Visitors in the welcome's recent page, and what `older_visitors` sends without a `limit`. Default 50. */
  visitors: number;
  /** The most an `older_visitors` reply holds, whatever its `limit`. Default 100. */
  maxVisitors: number;
  /** Active visitors in a welcome at most (the newest). Default 200. */
  activeVisitors: number;
  /** The newest messages sent with each visitor (welcome, `older_visitors`). Default 20. */
  visitorMessages: number;
  /** …and their bytes at most; the last message always goes. Default 16 KiB. */
  visitorMessageBytes: number;
  /** Bytes of visitors in one welcome (the recent page and the active ones together). Default 4 MiB. */
  welcomeVisitorBytes: number;
  /** What `older_messages` sends without a `limit` (default 50), and the most it sends (default 200). */
  messages: number;
  maxMessages: number;
  /**
   * Offline messages and calls in the welcome's newest pages, and what `older_offline_messages` and `older_calls` send
   * without a `limit`. Default 50.
   */
  items: number;
  /** The most an `older_offline_messages` or `older_calls` reply holds. Default 200. */
  maxItems: number;
  /** Open calls in a welcome at most (the newest). Default 200. */
  openCalls: number;
  /** Bytes of one reply, and of the welcome's offline messages and calls each. Default 1 MiB. */
  pageBytes: number;
  /** `older_*` requests one console socket may make, on top of its frame limit. Default 20 per 10 s. */
  rate: Rate;
}

export const CONSOLE_PAGE_LIMITS: ConsolePageLimits = {
  visitors: 50,
  maxVisitors: 100,
  activeVisitors: 200,
  visitorMessages: 20,
  visitorMessageBytes: 16 * 1024,
  welcomeVisitorBytes: 4 * 1024 * 1024,
  messages: 50,
  maxMessages: 200,
  items: 50,
  maxItems: 200,
  openCalls: 200,
  pageBytes: 1024 * 1024,
  rate: { burst: 20, windowMs: 10_000 },
};

/** An item of an ordered list and the cursor that goes on after it. */
export interface Cursored<T> {
  cursor: string;
  item: T;
}

export interface StoredCallOf {
  visitor: Visitor;
  call: StoredCall;
}

/**
 * The reads the pages need. Lists are newest first and start strictly after `cursor` (null: at the newest); a cursor
 * is the reads' own string, opaque to everyone else, and stays valid while items are added or removed (it names a
 * place in the order, not an item).
 */
export interface ConsoleReads {
  visitor(id: string): Promise<Visitor | undefined>;
  /**
   * Visitors by last activity: created, hello or page change, message, offline message, call request or status.
   * `active`: only those that `isActive` accepts.
   */
  visitorsByActivity(cursor: string | null, limit: number, active: boolean): Promise<Array<Cursored<Visitor>>>;
  /** Visitor messages no agent has read (state.ts ChatState.unread). */
  unread(visitor: Visitor): number;
  /** The newest `limit` of the visitor's messages with `seq < before`, oldest first. */
  messagesBefore(visitor: Visitor, before: number, limit: number): Promise<WireMessage[]>;
  offlineMessages(cursor: string | null, limit: number): Promise<Array<Cursored<AgentOfflineMessage>>>;
  /** Call-back requests by the time they were made; `open`: only the open ones. */
  calls(cursor: string | null, limit: number, open: boolean): Promise<Array<Cursored<StoredCallOf>>>;
  /** Whether a cursor from a request is one these reads make; a request with another one is refused. */
  validCursor(cursor: string): boolean;
}

// --- reading what this process holds ---

async function walk<T>(index: OrderedIndex<T>, cursor: string | null, limit: number, where?: (v: T) => boolean) {
  const out: Array<Cursored<T>> = [];
  if (limit <= 0) return out;
  for (const entry of index.newestFirst(cursor === null ? null : parsePosition(cursor))) {
    if (where && !where(entry.value)) continue;
    out.push({ cursor: positionCursor(entry), item: entry.value });
    if (out.length >= limit) break;
  }
  return out;
}

/**
 * The reads over `store.state` (state.ts keeps its orderings up to date): what the embedded store holds, everything. A
 * visitor asked for by id is loaded from the store when this process does not hold it. Every read resolves at once,
 * without I/O, so a page is one consistent view.
 */
export function stateReads(hub: Hub): ConsoleReads {
  const { store } = hub;
  const { state } = store;
  return {
    visitor: (id) => (state.visitors.has(id) ? Promise.resolve(state.visitors.get(id)) : store.get(id)),
    visitorsByActivity: (cursor, limit, active) =>
      walk(state.byActivity, cursor, limit, active ? (v) => isActive(hub, v) : undefined),
    unread: (v) => state.unread(v),
    messagesBefore: (visitor, before, limit) => Promise.resolve(messagesBefore(visitor, before, limit)),
    offlineMessages: (cursor, limit) => walk(state.offlineByTime, cursor, limit),
    calls: (cursor, limit, open) => walk(state.callsByTime, cursor, limit, open ? (c) => isOpen(c.call) : undefined),
    validCursor: (cursor) => parsePosition(cursor) !== null,
  };
}

/**
 * The reads for this hub's store: from the database with PostgreSQL, where this process holds only some of the
 * visitors (store/postgres.ts); from the state otherwise.
 */
export function consoleReads(hub: Hub, limits: ConsolePageLimits): ConsoleReads {
  const { store } = hub;
  if (!(store instanceof PostgresStore)) return stateReads(hub);
  return store.consoleReads({
    online: () => [...new Set([...hub.visitorPeers.keys(), ...(hub.cluster?.onlineVisitors() ?? [])])],
    recentMessages: limits.visitorMessages + 1,
  });
}

// --- building pages ---

/** The limits in force: the options over the defaults, every count at least 1. */
export function pageLimits(hub: Hub): ConsolePageLimits {
  const limits = { ...CONSOLE_PAGE_LIMITS, ...hub.options.limits.consolePages };
  for (const key of Object.keys(limits) as Array<keyof ConsolePageLimits>) {
    if (key !== 'rate') limits[key] = Math.max(1, Math.floor(limits[key]));
  }
  return limits;
}

const isOpen = (call: StoredCall): boolean => CALL_NEXT[call.status].length > 0;

/** Visitor messages no agent has read: the newest ones after the agents' read mark (replies move the mark). */
function hasUnread(v: Visitor): boolean {
  for (let i = v.messages.length - 1; i >= 0 && v.messages[i].seq > v.agentReadSeq; i--) {
    if (v.messages[i].from === 'visitor') return true;
  }
  return false;
}

/**
 * Active: online, or a chat somebody has, or unread visitor messages, or a request for contacts waiting for its
 * answer, or an open call. The welcome carries every active visitor (up to its cap).
 */
export function isActive(hub: Hub, v: Visitor): boolean {
  return (
    hub.visitorPeers.has(v.id) ||
    v.acceptedBy !== null ||
    v.contactsRequest?.state === 'pending' ||
    v.calls.some(isOpen) ||
    hasUnread(v)
  );
}

const byteSize = (value: unknown): number => Buffer.byteLength(JSON.stringify(value)) + 1;

/** The newest of `rows` (oldest first) that fit `limit` and `bytes` — the last always — and whether any were left. */
function newest(rows: WireMessage[], limit: number, bytes: number): { messages: WireMessage[]; more: boolean } {
  let i = rows.length;
  let used = 0;
  while (i > 0 && rows.length - i < limit) {
    const size = byteSize(rows[i - 1]);
    if (i < rows.length && used + size > bytes) break;
    used += size;
    i--;
  }
  return { messages: rows.slice(i), more: i > 0 };
}

/**
 * Turns `rows` (read with one more than `limit`) into wire items while the count and the shared byte budget allow,
 * always at least one. Rows that `skip` accepts were sent already: they count towards `limit`, not the bytes. The
 * cursor goes on after the last row taken or skipped; null when none are left.
 */
async function fill<T, W>(
  rows: Promise<Array<Cursored<T>>>,
  limit: number,
  budget: { bytes: number },
  wire: (item: T) => W | Promise<W>,
  skip?: (item: T) => boolean,
): Promise<{ items: W[]; cursor: string | null }> {
  const read = await rows;
  const items: W[] = [];
  const end = Math.min(limit, read.length);
  for (let i = 0; i < end; i++) {
    if (skip?.(read[i].item)) continue;
    const item = await wire(read[i].item);
    const size = byteSize(item);
    if (items.length && size > budget.bytes) return { items, cursor: i > 0 ? read[i - 1].cursor : null };
    budget.bytes -= size;
    items.push(item);
  }
  return { items, cursor: read.length > limit ? read[limit - 1].cursor : null };
}

async function agentVisitor(hub: Hub, reads: ConsoleReads, limits: ConsolePageLimits, v: Visitor) {
  const rows = await reads.messagesBefore(v, Number.MAX_SAFE_INTEGER, limits.visitorMessages + 1);
  const { messages, more } = newest(rows, limits.visitorMessages, limits.visitorMessageBytes);
  const visitor: AgentVisitor = { ...hub.info(v), unread: reads.unread(v), messages, olderMessages: more };
  return visitor;
}

const callOf = ({ visitor, call }: StoredCallOf): AgentCall => agentCall(visitor, call);
const oldestFirst = (a: AgentCall, b: AgentCall): number =>
  a.at - b.at || (a.visitorId < b.visitorId ? -1 : a.visitorId > b.visitorId ? 1 : a.id < b.id ? -1 : 1);

type Welcome = Extract<AgentServerFrame, { type: 'welcome' }>;

/**
 * The welcome's lists: bounded whatever the data (docs/protocol.md, "Pages"). With the reads over the state nothing
 * waits for I/O in here, so no change slips in between what the lists show and the frames sent after them.
 */
export async function welcomeLists(
  hub: Hub,
): Promise<Pick<Welcome, 'visitors' | 'offlineMessages' | 'calls' | 'cursors'>> {
  const limits = pageLimits(hub);
  const reads = consoleReads(hub, limits);
  const toWire = (v: Visitor) => agentVisitor(hub, reads, limits, v);

  const visitorBytes = { bytes: limits.welcomeVisitorBytes };
  const recent = await fill(
    reads.visitorsByActivity(null, limits.visitors + 1, false),
    limits.visitors,
    visitorBytes,
    toWire,
  );
  const sent = new Set(recent.items.map((v) => v.id));
  const activeRows = reads.visitorsByActivity(null, limits.activeVisitors + 1, true);
  const active = await fill(activeRows, limits.activeVisitors, visitorBytes, toWire, (v) => sent.has(v.id));

  const offlineRows = reads.offlineMessages(null, limits.items + 1);
  const offline = await fill(offlineRows, limits.items, { bytes: limits.pageBytes }, (o) => o);

  const callBytes = { bytes: limits.pageBytes };
  const open = await fill(reads.calls(null, limits.openCalls + 1, true), limits.openCalls, callBytes, callOf);
  const openSent = new Set(open.items.map((c) => `${c.visitorId}.${c.id}`));
  const newestCalls = await fill(reads.calls(null, limits.items + 1, false), limits.items, callBytes, callOf, (c) =>
    openSent.has(`${c.visitor.id}.${c.call.id}`),
  );

  return {
    visitors: [...recent.items, ...active.items],
    offlineMessages: offline.items.reverse(),
    calls: [...open.items, ...newestCalls.items].sort(oldestFirst),
    cursors: {
      visitors: recent.cursor,
      activeVisitors: active.cursor,
      offlineMessages: offline.cursor,
      calls: newestCalls.cursor,
      openCalls: open.cursor,
    },
  };
}

/** `older_*` requests per console socket. */
const requestBuckets = new WeakMap<AgentPeer, TokenBucket>();

/** Answers an `older_*` request with the next page after its cursor (or seq), or an error that changes nothing. */
export async function onOlderRequest(hub: Hub, peer: AgentPeer, frame: OlderRequest): Promise<void> {
  const limits = pageLimits(hub);
  let bucket = requestBuckets.get(peer);
  if (!bucket) requestBuckets.set(peer, (bucket = new TokenBucket(limits.rate)));
  if (!bucket.take()) return hub.error(peer, 'rate_limited', 'Too many page requests; this one was dropped', frame.id);
  const reads = consoleReads(hub, limits);
  const { id } = frame;
  if (frame.type !== 'older_messages' && frame.cursor !== null && !reads.validCursor(frame.cursor))
    return hub.reject(peer, 'bad_frame', 'cursor is not one this backend gave', id);
  const count = (max: number, fallback: number) => Math.min(frame.limit ?? fallback, max);
  const bytes = { bytes: limits.pageBytes };
  switch (frame.type) {
    case 'older_messages': {
      const visitor = await reads.visitor(frame.visitorId);
      if (!visitor) return hub.error(peer, 'unknown_visitor', 'No visitor has this id', id);
      const limit = count(limits.maxMessages, limits.messages);
      const rows = await reads.messagesBefore(visitor, frame.before, limit + 1);
      const { messages, more } = newest(rows, limit, limits.pageBytes);
      return hub.send(peer, { type: 'older_messages', id, visitorId: visitor.id, messages, more });
    }
    case 'older_visitors': {
      const limit = count(limits.maxVisitors, limits.visitors);
      const rows = reads.visitorsByActivity(frame.cursor, limit + 1, frame.active === true);
      const page = await fill(rows, limit, bytes, (v) => agentVisitor(hub, reads, limits, v));
      return hub.send(peer, { type: 'older_visitors', id, visitors: page.items, cursor: page.cursor });
    }
    case 'older_offline_messages': {
      const limit = count(limits.maxItems, limits.items);
      const page = await fill(reads.offlineMessages(frame.cursor, limit + 1), limit, bytes, (o) => o);
      const offlineMessages = page.items.reverse();
      return hub.send(peer, { type: 'older_offline_messages', id, offlineMessages, cursor: page.cursor });
    }
    case 'older_calls': {
      const limit = count(limits.maxItems, limits.items);
      const rows = reads.calls(frame.cursor, limit + 1, frame.open === true);
      const page = await fill(rows, limit, bytes, callOf);
      return hub.send(peer, { type: 'older_calls', id, calls: page.items.reverse(), cursor: page.cursor });
    }
  }
}
