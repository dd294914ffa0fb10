/**
 * Ending a chat and rating it (docs/protocol.md#end, #rating; docs/webhooks.md#chat_finished).
 *
 * Either side ends a chat: the agent who has it (the console's `finish`) or the visitor (the widget's `end`). Its
 * messages then belong to a finished chat, nobody has it, and the visitor's next message starts a new one. The widget
 * asks the visitor to rate it, good or bad with an optional comment; the rating is stored with the visitor (a `rating`
 * record, through the ChatStore) and every console sees it.
 *
 * The `chat_finished` webhook carries the rating, so it waits for one while the visitor is there to give it: the
 * `finish` record then holds what the event needs (`hold`), and the event goes out when the visitor rates the chat or
 * declines to, starts a new chat, or `ratingWaitMs` passes — whichever comes first, on whichever server process
 * commits the record that ends the wait (`rating` or `reported`): a store shared by several processes commits only one
 * of them, so the event goes out once. A wait is durable: a restarted process (or, on PostgreSQL, whichever process
 * next holds the visitor) sends what is due. With nobody there to rate (the visitor's sockets are all closed) or
 * `ratingWaitMs` 0, the event goes out at once, without a rating.
 */
import type { Rate } from '../src/model/rating.js';
import type { WireChatEnd } from '../src/transport/protocol.js';
import type { Hub } from './hub.js';
import type { Peer } from './peers.js';
import type { ChatEnder, HeldFinish, JournalRecord, Visitor } from './state.js';
import { webhookMessages } from './webhooks.js';

/** The visitor's last finished chat as the widget hears of it; undefined before any. */
export function wireChatEnd(visitor: Visitor): WireChatEnd | undefined {
  const chat = visitor.finishedChats;
  if (!chat) return undefined;
  const rating = visitor.ratings.find((r) => r.chat === chat);
  return {
    chat,
    seq: visitor.finishedSeq,
    by: visitor.endedBy ?? 'agent',
    rating: rating ? { rate: rating.rate, comment: rating.comment } : null,
  };
}

/**
 * Finishes the visitor's current chat, ended by `by`; `agent` is who had it (null when nobody had accepted it). Runs
 * inside the hub's task for the visitor. False when storage refused the record (the peer is cut off to resend).
 */
export async function endChat(
  hub: Hub,
  peer: Peer,
  visitor: Visitor,
  by: ChatEnder,
  agent: { id: string; name: string } | null,
): Promise<boolean> {
  // The chat before it still waited for a rating (an agent accepted and finished again without a new message).
  await release(hub, peer, visitor);
  const wait = hub.options.limits.ratingWaitMs;
  const present = hub.visitorPeers.has(visitor.id) || (hub.cluster?.online(visitor.id) ?? false);
  const chat = visitor.finishedChats + 1;
  const from = visitor.finishedSeq;
  const hold =
    wait > 0 && present ? { at: Date.now(), agentId: agent?.id ?? null, agentName: agent?.name ?? null } : null;
  const record = { k: 'finish', v: visitor.id, seq: visitor.lastSeq, by, ...(hold ? { hold } : {}) } as const;
  // Held for a rating: the webhook waits (schedule); else it goes with the chat's end.
  const finished = {
    chat,
    from,
    to: record.seq,
    at: Date.now(),
    agentId: agent?.id ?? null,
    agentName: agent?.name ?? null,
  };
  if (!(await (hold ? hub.persist(peer, record) : persistReported(hub, peer, record, visitor, finished, by, null))))
    return false;
  if (visitor.held) schedule(hub, visitor);
  hub.toVisitor(visitor.id, { type: 'agent', agent: null });
  hub.toVisitor(visitor.id, { type: 'chat_ended', ended: wireChatEnd(visitor)! });
  hub.visitorChanged(visitor);
  return true;
}

/**
 * The visitor rated finished chat `chat` (`rate`), or declined to (null). A chat is rated once: a second rating of it
 * changes nothing and is answered with the chat's end as stored, as is a rating of a chat that does not exist yet.
 */
export async function rateChat(
  hub: Hub,
  peer: Peer,
  visitor: Visitor,
  chat: number,
  rate: Rate | null,
  comment: string,
): Promise<void> {
  const last = wireChatEnd(visitor);
  const rated = visitor.ratings.some((r) => r.chat === chat);
  if (chat > visitor.finishedChats || rated) {
    if (last) hub.send(peer, { type: 'chat_ended', ended: last });
    return;
  }
  const held = visitor.held?.chat === chat ? visitor.held : null;
  if (rate === null) {
    // Declined: nothing to keep, but a held webhook need not wait any longer.
    if (held) await release(hub, peer, visitor);
    return;
  }
  const rating = { chat, rate, comment, at: Date.now() };
  const record: JournalRecord = { k: 'rating', v: visitor.id, rating };
  const by = visitor.endedBy ?? 'agent';
  if (
    !(await (held
      ? persistReported(hub, peer, record, visitor, held, by, { rate, comment })
      : hub.persist(peer, record)))
  )
    return;
  // Every tab stops asking; only the last chat's end is the widget's to show.
  if (chat === visitor.finishedChats) hub.toVisitor(visitor.id, { type: 'chat_ended', ended: wireChatEnd(visitor)! });
  hub.visitorChanged(visitor);
}

/**
 * Sends the held `chat_finished` now, without a rating (the visitor declined, started a new chat, or the wait is
 * over). Runs inside the hub's task for the visitor; a no-op when nothing is held.
 */
export async function release(hub: Hub, peer: Peer | null, visitor: Visitor): Promise<void> {
  const held = visitor.held;
  if (!held) return;
  await persistReported(
    hub,
    peer,
    { k: 'reported', v: visitor.id, chat: held.chat },
    visitor,
    held,
    visitor.endedBy ?? 'agent',
    null,
  );
}

/**
 * Stores `record` with chat `chat`'s `chat_finished` webhook (in one transaction where the store keeps the webhook
 * queue, hub.ts persistAnnounced), and stops waiting for its rating.
 */
async function persistReported(
  hub: Hub,
  peer: Peer | null,
  record: JournalRecord,
  visitor: Visitor,
  chat: HeldFinish,
  by: ChatEnder,
  rating: { rate: Rate; comment: string } | null,
): Promise<boolean> {
  const agent = chat.agentId !== null && chat.agentName !== null ? { id: chat.agentId, name: chat.agentName } : null;
  const stored = await hub.persistAnnounced(peer, [record], 'chat_finished', visitor, {
    chat_id: `${visitor.id}.${chat.chat}`,
    agent,
    messages: webhookMessages(visitor.messages.filter((m) => m.seq > chat.from && m.seq <= chat.to)),
    ended_by: by,
    rating,
  });
  if (stored) cancel(hub, visitor.id);
  return stored;
}

// --- the waits: a timer per held chat on this process ---

const timers = new WeakMap<Hub, Map<string, NodeJS.Timeout>>();

function cancel(hub: Hub, visitorId: string): void {
  const map = timers.get(hub);
  const timer = map?.get(visitorId);
  if (timer) clearTimeout(timer);
  map?.delete(visitorId);
}

/** Sends the visitor's held webhook when its wait is over (at once when it is over already). */
function schedule(hub: Hub, visitor: Visitor): void {
  const held = visitor.held;
  if (!held) return;
  let map = timers.get(hub);
  if (!map) timers.set(hub, (map = new Map()));
  if (map.has(visitor.id)) return;
  const id = visitor.id;
  const due = held.at + hub.options.limits.ratingWaitMs - Date.now();
  const timer = setTimeout(
    () => {
      map.delete(id);
      void hub
        .withVisitor(id, async () => {
          const v = hub.state.visitors.get(id);
          if (v?.held?.chat === held.chat) await release(hub, null, v);
        })
        .catch((error: Error) => hub.options.warn(`a held chat_finished could not be sent: ${error.message}`));
    },
    Math.max(0, due),
  );
  timer.unref();
  map.set(id, timer);
}

/**
 * Schedules every held webhook of the visitors this process holds: at start-up (a wait that passed while the server
 * was down is sent now), and then every `everyMs` for visitors loaded since (a shared store). Returns what stops it.
 */
export function followHeldChats(hub: Hub, everyMs = 60_000): () => void {
  const scan = () => {
    for (const visitor of hub.state.visitors.values()) if (visitor.held) schedule(hub, visitor);
  };
  scan();
  const interval = setInterval(scan, everyMs);
  interval.unref();
  return () => {
    clearInterval(interval);
    for (const timer of timers.get(hub)?.values() ?? []) clearTimeout(timer);
    timers.delete(hub);
  };
}
