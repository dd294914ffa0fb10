/**
 * What a widget's socket (`/ws/visitor`, src/transport/protocol.ts) may do: the hub core (hub.ts) hands every frame
 * here. Each frame is validated first; a bad one gets an `error` and changes nothing. Whatever must survive a restart
 * goes through `hub.persist` before anyone hears of it, so an `ack` always means "on disk".
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { WireFile } from '../src/model/files.js';
import { LIMITS } from '../src/model/limits.js';
import type { BackendFrame, VisitorFrame, WireMessage } from '../src/transport/protocol.js';
import { parseVisitorFrame } from '../src/transport/frames.js';
import { wireCall } from './calls.js';
import { CALL_NEXT, type AgentOfflineMessage } from './agent-protocol.js';
import { verifyIdentity } from './identity.js';
import { storedPage } from './page.js';
import { TokenBucket } from './rate-limit.js';
import type { JournalRecord, Visitor } from './state.js';
import type { Hub } from './hub.js';
import { CLOSE, type VisitorPeer } from './peers.js';
import { endChat, rateChat, release, wireChatEnd } from './chat-end.js';

/** Deep equality of plain JSON values whose keys come in a fixed order (the validators build them that way). */
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

async function callRequest(hub: Hub, peer: VisitorPeer, visitor: Visitor, id: string, phone: string): Promise<void> {
  const known = visitor.callIds.get(id);
  if (known) return hub.send(peer, { type: 'call', call: wireCall(known) });
  if (!hub.callbackEnabled(visitor.widgetId)) return hub.error(peer, 'callback_disabled', 'Callback disabled', id);
  const last = visitor.calls.at(-1);
  if (last && CALL_NEXT[last.status].length)
    return hub.error(peer, 'call_in_progress', 'A call is already in progress', id);
  let bucket = hub.callBuckets.get(visitor.id);
  if (!bucket) hub.callBuckets.set(visitor.id, (bucket = new TokenBucket(hub.options.callbacks.rate)));
  if (!bucket.take() || !hub.callsPerIp.take(peer.ip))
    return hub.error(peer, 'rate_limited', 'Too many call requests; try again later', id);
  if (!(await hub.persist(peer, { k: 'call', v: visitor.id, id, phone, at: Date.now(), page: visitor.page }))) return;
  hub.callChanged(visitor, visitor.callIds.get(id)!);
  // The call may have spent the widget's balance.
  hub.callbacksChanged();
}

export async function onVisitorFrame(hub: Hub, peer: VisitorPeer, raw: string): Promise<void> {
  if (!peer.buckets.frames.take()) {
    hub.error(peer, 'rate_limited', 'Too many frames; this one was dropped');
    return;
  }
  const parsed = parseVisitorFrame(raw);
  if (!parsed.ok) {
    hub.reject(peer, parsed.code, parsed.message, parsed.id);
    return;
  }
  const frame = parsed.frame;
  const visitor = peer.visitor;
  // Erased while this socket was being cut off: nothing more is stored about it.
  if (visitor && !hub.present(visitor)) return;
  if (frame.type === 'hello') {
    if (visitor) hub.reject(peer, 'bad_frame', 'hello was already received on this socket');
    else await visitorHello(hub, peer, frame);
    return;
  }
  if (!visitor) {
    hub.reject(peer, 'not_ready', 'The first frame must be hello', 'id' in frame ? frame.id : undefined);
    return;
  }
  await hub.withVisitor(visitor.id, () => visitorFrame(hub, peer, visitor, frame));
}

async function visitorFrame(
  hub: Hub,
  peer: VisitorPeer,
  visitor: Visitor,
  frame: Exclude<VisitorFrame, { type: 'hello' }>,
): Promise<void> {
  // Erased while this frame waited.
  if (!hub.present(visitor)) return;
  switch (frame.type) {
    case 'message':
      return visitorMessage(hub, peer, visitor, frame.id, frame.text, frame.file);
    case 'typing':
      if (!peer.buckets.typing.take())
        return hub.error(peer, 'rate_limited', 'Too many typing frames; this one was dropped');
      return hub.setVisitorTyping(visitor, frame.typing);
    case 'read': {
      const seq = Math.min(frame.seq, visitor.lastSeq);
      if (seq <= visitor.readSeq) return;
      if (!(await hub.persist(peer, { k: 'read', v: visitor.id, seq }))) return;
      hub.toVisitor(visitor.id, { type: 'read', seq }, peer);
      return hub.visitorChanged(visitor);
    }
    case 'page': {
      const page = storedPage(frame.page, hub.options.pageQueryParams);
      // The widget reports the page again after every reconnect: an unchanged one is not a change (F6).
      if (same(page, visitor.page)) return;
      if (!(await hub.persist(peer, { k: 'update', v: visitor.id, at: Date.now(), page }))) return;
      return hub.visitorChanged(visitor);
    }
    case 'department':
      if (frame.department === visitor.department) return;
      if (!(await hub.persist(peer, { k: 'update', v: visitor.id, at: Date.now(), department: frame.department })))
        return;
      return hub.visitorChanged(visitor);
    case 'offline_message':
      return storeOfflineMessage(hub, peer, visitor, frame);
    case 'contact': {
      const contact = { name: frame.name, email: frame.email, phone: frame.phone, description: frame.description };
      if (
        await visitorData(hub, peer, visitor, same(contact, visitor.contact), { k: 'contact', v: visitor.id, contact })
      ) {
        hub.webhooks?.visitorChanged(visitor, 'contact');
      }
      return;
    }
    case 'custom_data':
      if (
        await visitorData(hub, peer, visitor, same(frame.fields, visitor.customData), {
          k: 'custom_data',
          v: visitor.id,
          fields: frame.fields,
        })
      ) {
        hub.webhooks?.visitorChanged(visitor, 'custom_data');
      }
      return;
    case 'user_token': {
      let token = frame.token || null;
      // A site with an identity secret signs its visitors' ids (identity.ts): only a token it signed is kept, as the
      // id it vouches for (F11).
      const secret = hub.options.sites.identitySecret(visitor.widgetId);
      let verified = false;
      if (secret && token !== null) {
        const checked = verifyIdentity(token, secret);
        if ('problem' in checked)
          return hub.reject(peer, 'invalid_field', `user_token is refused: ${checked.problem}; nothing was stored`);
        token = checked.sub;
        verified = true;
      }
      // Agents do not see the token, so there is nothing to tell them; webhooks carry it.
      if (token === visitor.userToken && verified === visitor.userTokenVerified) return;
      const record: JournalRecord = verified
        ? { k: 'user_token', v: visitor.id, token, verified: true }
        : { k: 'user_token', v: visitor.id, token };
      if (await hub.persist(peer, record)) hub.webhooks?.visitorChanged(visitor, 'user_token');
      return;
    }
    case 'utm': {
      const utm = Object.values(frame.utm).some(Boolean) ? frame.utm : null;
      // Not a client_updated: the utm tags are the first visit's, and every event carries them anyway.
      await visitorData(hub, peer, visitor, same(utm, visitor.utm), { k: 'utm', v: visitor.id, utm });
      return;
    }
    case 'call_request':
      return callRequest(hub, peer, visitor, frame.id, frame.phone);
    case 'client_attributes': {
      if (same(frame.attributes, visitor.clientAttributes)) return;
      // The vendor's limit, kept here too: a widget counts calls, but only the backend can be trusted to count.
      const at = Date.now();
      if (
        visitor.attributeChanges.filter((t) => at - t < LIMITS.clientAttributeWindowMs).length >=
        LIMITS.clientAttributeCalls
      ) {
        return hub.error(
          peer,
          'rate_limited',
          `Client attributes change at most ${LIMITS.clientAttributeCalls} times per hour per visitor; this change was not stored`,
        );
      }
      if (
        await visitorData(hub, peer, visitor, false, {
          k: 'client_attributes',
          v: visitor.id,
          at,
          attributes: frame.attributes,
        })
      ) {
        hub.webhooks?.visitorChanged(visitor, 'client_attributes');
      }
      return;
    }
    case 'end':
      // Nothing to end: no message since the last finished chat, and nobody has it.
      if (visitor.lastSeq === visitor.finishedSeq && visitor.acceptedBy === null) {
        const ended = wireChatEnd(visitor);
        if (ended) hub.send(peer, { type: 'chat_ended', ended });
        return;
      }
      await endChat(
        hub,
        peer,
        visitor,
        'visitor',
        visitor.acceptedBy !== null && visitor.acceptedById !== null
          ? { id: visitor.acceptedById, name: visitor.acceptedBy }
          : null,
      );
      return;
    case 'rating':
      return rateChat(hub, peer, visitor, frame.chat, frame.rate, frame.comment);
    case 'contacts_answer': {
      const r = visitor.contactsRequest;
      // Answered already (in another tab) or replaced by a newer request: tell this socket what is pending now.
      if (r?.id !== frame.request || r.state !== 'pending')
        return hub.send(peer, { type: 'contacts_request', request: r?.state === 'pending' ? r.id : null });
      const answer = { k: 'contacts_answer', v: visitor.id, id: r.id, at: Date.now(), given: frame.given } as const;
      if (!(await hub.persist(peer, answer))) return;
      hub.toVisitor(visitor.id, { type: 'contacts_request', request: null });
      return hub.visitorChanged(visitor);
    }
  }
}

/**
 * Stores what the site told about the visitor (it replaces the last value) and shows it to agents. The widget sends
 * it again after every welcome, so an unchanged value writes nothing. These frames have no id and get no ack: if
 * the write fails the socket is closed (1011), and the widget sends them again after it reconnects. True when it
 * changed something.
 */
async function visitorData(
  hub: Hub,
  peer: VisitorPeer,
  visitor: Visitor,
  unchanged: boolean,
  record: JournalRecord,
): Promise<boolean> {
  if (unchanged || !hub.persist(peer, record)) return false;
  hub.visitorChanged(visitor);
  return true;
}

/** Two tabs of a new visitor may say hello at once: one creates the visitor, the other finds it. */
function visitorHello(hub: Hub, peer: VisitorPeer, hello: Extract<VisitorFrame, { type: 'hello' }>): Promise<void> {
  return hub.withVisitor(`hello ${JSON.stringify([hello.widgetId, hello.visitorId])}`, () => greet(hub, peer, hello));
}

async function greet(hub: Hub, peer: VisitorPeer, hello: Extract<VisitorFrame, { type: 'hello' }>): Promise<void> {
  const at = Date.now();
  let visitor = await hub.store.find(hello.widgetId, hello.visitorId);
  const { limits } = hub.options;
  const refusal = hub.options.sites.refusal(hello.widgetId, peer.origin);
  if (refusal) {
    hub.error(peer, 'bad_frame', refusal);
    hub.closeAfterSends(peer, CLOSE.policy, refusal);
    return;
  }
  if (!visitor && !(hub.newVisitorsPerIp.take(peer.ip) && hub.newVisitorsPerSite.take(hello.widgetId))) {
    // Nothing is stored for a visitor refused here; the widget reconnects later with the same id.
    hub.error(peer, 'rate_limited', 'Too many new visitors; try again later');
    hub.closeAfterSends(peer, CLOSE.policy, 'Too many new visitors');
    return;
  }
  if (visitor && (hub.visitorPeers.get(visitor.id)?.size ?? 0) >= limits.socketsPerVisitor) {
    hub.error(peer, 'rate_limited', `At most ${limits.socketsPerVisitor} sockets per visitor`);
    hub.closeAfterSends(peer, CLOSE.policy, 'Too many sockets for this visitor');
    return;
  }
  const ua = peer.userAgent;
  const record: JournalRecord = visitor
    ? {
        k: 'update',
        v: visitor.id,
        at,
        page: storedPage(hello.page, hub.options.pageQueryParams),
        department: hello.department,
        lang: hello.lang,
        ...(ua === visitor.userAgent ? {} : { ua }),
      }
    : {
        k: 'visitor',
        id: `v-${randomBytes(12).toString('base64url')}`,
        widgetId: hello.widgetId,
        visitorId: hello.visitorId,
        // The store gives the number (the next free one of the widget id).
        number: 0,
        at,
        page: storedPage(hello.page, hub.options.pageQueryParams),
        department: hello.department,
        lang: hello.lang,
        ...(ua ? { ua } : {}),
      };
  if (!(await hub.persist(peer, record))) return;
  visitor ??= hub.state.visitors.get((record as { id: string }).id)!;
  peer.visitor = visitor;
  hub.pendingVisitors.delete(peer);
  let set = hub.visitorPeers.get(visitor.id);
  if (!set) {
    hub.visitorPeers.set(visitor.id, (set = new Set()));
    hub.visitorOnline(visitor.id, true);
  }
  set.add(peer);

  // Every message after `after`, or as many of the newest as fit in limits.welcomeBytes (F5, F7: a small hello must
  // not buy a large answer); older history stays on the server.
  const messages: WireMessage[] = [];
  let bytes = 0;
  for (let i = visitor.messages.length - 1; i >= 0 && visitor.messages[i].seq > hello.after; i--) {
    bytes += Buffer.byteLength(JSON.stringify(visitor.messages[i])) + 1;
    if (bytes > limits.welcomeBytes) break;
    messages.push(visitor.messages[i]);
  }
  messages.reverse();
  peer.callbackEnabled = hub.callbackEnabled(visitor.widgetId);
  const lastCall = visitor.calls.at(-1);
  const welcome: BackendFrame = {
    type: 'welcome',
    visitorNumber: visitor.number,
    chatMode: hub.chatMode,
    agent: visitor.acceptedBy === null ? null : hub.agentCard(visitor.acceptedBy, visitor.acceptedById),
    messages,
    readSeq: visitor.readSeq,
    callbackEnabled: peer.callbackEnabled,
    call: lastCall ? wireCall(lastCall) : null,
  };
  // Only while an agent's request for contacts waits for an answer.
  if (visitor.contactsRequest?.state === 'pending') welcome.contactsRequest = visitor.contactsRequest.id;
  const files = hub.options.sites.fileLimits(visitor.widgetId);
  welcome.files = { maxBytes: files.maxBytes, types: [...files.types] };
  const ended = wireChatEnd(visitor);
  if (ended) welcome.ended = ended;
  const site = hub.options.sites.profile(visitor.widgetId);
  if (site) welcome.site = site;
  hub.send(peer, welcome);
  if (hub.agentTypingTo(visitor.id)) hub.send(peer, { type: 'typing', typing: true });
  hub.visitorChanged(visitor);
}

async function visitorMessage(
  hub: Hub,
  peer: VisitorPeer,
  visitor: Visitor,
  id: string,
  text: string,
  fileId?: string,
): Promise<void> {
  const known = visitor.messageIds.get(id);
  if (known) {
    hub.send(peer, { type: 'ack', id, seq: known.seq, at: known.at });
    return;
  }
  if (!hub.messageBuckets.take(visitor.id)) {
    hub.error(peer, 'rate_limited', 'Too many messages; this one was not stored, send it again later', id);
    return;
  }
  const file = fileId === undefined ? null : await storedFile(hub, visitor.id, fileId);
  if (file === undefined) return hub.error(peer, 'unknown_file', 'No such file was uploaded for this visitor', id);
  // The visitor's other frames wait meanwhile (withVisitor), so lastSeq below is still the last.
  // A new chat starts: the last one's webhook waits no longer for a rating.
  await release(hub, peer, visitor);
  const message: WireMessage = { id, seq: visitor.lastSeq + 1, from: 'visitor', text, at: Date.now() };
  if (file) message.file = file;
  if (!(await hub.persist(peer, { k: 'message', v: visitor.id, m: message }))) return;
  hub.send(peer, { type: 'ack', id, seq: message.seq, at: message.at });
  hub.toVisitor(visitor.id, { type: 'message', message }, peer);
  hub.setVisitorTyping(visitor, false);
  hub.toAgents({ type: 'message', visitorId: visitor.id, message });
  hub.visitorChanged(visitor);
}

async function storeOfflineMessage(
  hub: Hub,
  peer: VisitorPeer,
  visitor: Visitor,
  frame: Extract<VisitorFrame, { type: 'offline_message' }>,
): Promise<void> {
  const known = visitor.offlineIds.get(frame.id);
  if (known) {
    hub.send(peer, { type: 'ack', id: frame.id, seq: 0, at: known.at });
    return;
  }
  if (!hub.messageBuckets.take(visitor.id)) {
    hub.error(peer, 'rate_limited', 'Too many messages; this one was not stored, send it again later', frame.id);
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
  if (!(await hub.persist(peer, { k: 'offline', v: visitor.id, cid: frame.id, o: offlineMessage }))) return;
  // Queued (on disk) before the ack, so an acknowledged offline message always reaches the webhooks.
  const { id, name, email, phone, description, message, at } = offlineMessage;
  hub.webhooks?.emit('offline_message', visitor, {
    offline_message: { id, name, email, phone, description, message, at },
  });
  hub.send(peer, { type: 'ack', id: frame.id, seq: 0, at: offlineMessage.at });
  hub.toAgents({ type: 'offline_message', offlineMessage });
}

/** The wire form of a stored file of the visitor's; undefined when there is none with this id. */
export async function storedFile(hub: Hub, visitorId: string, fileId: string): Promise<WireFile | undefined> {
  const f = await hub.store.fileInfo(visitorId, fileId);
  return f ? { id: f.id, name: f.name, size: f.size, type: f.type } : undefined;
}

export function onVisitorClose(hub: Hub, peer: VisitorPeer): void {
  hub.pendingVisitors.delete(peer);
  const visitor = peer.visitor;
  if (!visitor || !hub.present(visitor)) return;
  const set = hub.visitorPeers.get(visitor.id);
  set?.delete(peer);
  if (set && set.size > 0) return;
  hub.visitorPeers.delete(visitor.id);
  hub.visitorOnline(visitor.id, false);
  visitor.lastSeenAt = Date.now();
  hub.setVisitorTyping(visitor, false);
  hub.visitorChanged(visitor);
}
