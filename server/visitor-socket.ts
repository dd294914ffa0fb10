/**
 * What a widget's socket (`/ws/visitor`, src/transport/protocol.ts) may do: the hub core (hub.ts) hands every frame
 * here. Each frame is validated first; a bad one gets an `error` and changes nothing. Whatever must survive a restart
 * goes through `hub.persist` before anyone hears of it, so an `ack` always means "on disk".
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { WireFile } from '../src/model/files.js';
import { LIMITS } from '../src/model/limits.js';
import type { PageInfo } from '../src/model/types.js';
import type { BackendFrame, VisitorFrame, WireMessage } from '../src/transport/protocol.js';
import { parseVisitorFrame } from '../src/transport/frames.js';
import { wireCall } from './calls.js';
import { CALL_NEXT, type AgentOfflineMessage } from './agent-protocol.js';
import { verifyIdentity } from './identity.js';
import { storedPage } from './page.js';
import { TokenBucket } from './rate-limit.js';
import type { JournalRecord, Visitor } from './state.js';
import type { Hub } from './hub.js';
import { prechatAnswered, wirePrechat } from './prechat.js';
import { CLOSE, type VisitorPeer } from './peers.js';
import { endChat, rateChat, release, wireChatEnd } from './chat-end.js';

/**
 * A new visitor id, issued by the server (security review F14): 128 random bits as 22 characters of base64url. It is
 * the visitor's bearer secret; the widget keeps it and says it in every hello.
 */
export const newVisitorSecret = (): string => randomBytes(16).toString('base64url');

/**
 * Whether an id a widget presents may name a conversation at all. The server issues 22 characters of base64url, and
 * earlier widgets made UUIDs (36) or 32 hex digits; an id shorter than 22 characters or of fewer than 6 distinct
 * characters ("1", "admin", "aaaa…") was never issued by either and names nothing, even if an old journal holds it.
 */
export const strongVisitorId = (id: string): boolean => id.length >= 22 && new Set(id).size >= 6;

/** What a hello (or an identity switch) tells about the visitor's page and what it already has. */
interface Entry {
  widgetId: string;
  page: PageInfo | null;
  department: string | null;
  lang: string;
  /** The highest seq the widget has of this visitor's conversation. */
  after: number;
}

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
  const record: JournalRecord = { k: 'call', v: visitor.id, id, phone, at: Date.now(), page: visitor.page };
  const event = { call: { id, phone, status: 'requested' as const } };
  if (!(await hub.persistAnnounced(peer, [record], 'call_event', visitor, event))) return;
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

/**
 * The socket's site signed an identity (`sub`) or dropped one: the socket moves to the visitor that identity names
 * (`target`; a new one when null, with `records` committed with it) and is welcomed there with that visitor's id and
 * whole conversation. The visitor it leaves keeps its conversation (agents still see it).
 */
async function switchVisitor(
  hub: Hub,
  peer: VisitorPeer,
  from: Visitor,
  target: Visitor | null,
  records: (id: string) => JournalRecord[] = () => [],
): Promise<void> {
  const entry = { widgetId: from.widgetId, page: from.page, department: from.department, lang: from.lang, after: 0 };
  await enter(hub, peer, target, entry, records);
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
    case 'message': {
      const { prechat } = hub.options.sites.settings(visitor.widgetId);
      // A site that asks for consent gets no message before it is given, to the current version of its text (the
      // widget shows its pre-chat form first). A resend of a stored message is acked as ever.
      if (
        prechat?.consent &&
        visitor.prechat?.consent?.version !== prechat.consent.version &&
        !visitor.messageIds.has(frame.id)
      )
        return hub.error(
          peer,
          'consent_required',
          'Consent to the privacy policy is required before chatting',
          frame.id,
        );
      return visitorMessage(hub, peer, visitor, frame.id, frame.text, frame.file);
    }
    case 'prechat':
      return prechatForm(hub, peer, visitor, frame);
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
      // A verified identity names one visitor on every device (F14): the socket moves to it when it is another.
      if (verified && token !== null && !(visitor.userTokenVerified && visitor.userToken === token)) {
        const sub = token;
        const owner = await hub.store.findIdentity(visitor.widgetId, sub);
        if (owner && owner !== visitor) return switchVisitor(hub, peer, visitor, owner);
        // The visitor was someone else, verified: the new identity starts a visitor of its own.
        if (!owner && visitor.userTokenVerified)
          return switchVisitor(hub, peer, visitor, null, (id) => [
            { k: 'user_token', v: id, token: sub, verified: true },
          ]);
      }
      // A verified visitor's identity dropped (logout without clearHistory): this device goes on as a new visitor.
      if (token === null && visitor.userTokenVerified) return switchVisitor(hub, peer, visitor, null);
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
 * The site's pre-chat form: checked against the site's settings (required answers given, the consent of the current
 * version), stored with the consent's text, link, version and time, and acked with `seq: 0`. The contact frame the
 * widget sends just before carries the name, email and phone; the department frame the department.
 */
async function prechatForm(
  hub: Hub,
  peer: VisitorPeer,
  visitor: Visitor,
  frame: Extract<VisitorFrame, { type: 'prechat' }>,
): Promise<void> {
  const { prechat } = hub.options.sites.settings(visitor.widgetId);
  if (!prechat) return hub.reject(peer, 'invalid_field', 'This site has no pre-chat form', frame.id);
  // A resend (after a reconnect) of a form already stored.
  if (prechatAnswered(visitor, prechat))
    return hub.send(peer, { type: 'ack', id: frame.id, seq: 0, at: visitor.prechat!.at });
  const at = Date.now();
  const problem =
    (['name', 'email', 'phone'] as const).find((f) => prechat[f] === 'required' && !visitor.contact[f]) ??
    (prechat.question.mode === 'required' && !frame.answer ? 'the answer to the question' : null) ??
    (prechat.department.mode === 'required' && !prechat.department.options.includes(frame.department ?? '')
      ? 'a department of the list'
      : null) ??
    (prechat.consent && frame.consent !== prechat.consent.version ? 'consent to the current privacy policy' : null);
  if (problem)
    return hub.reject(peer, 'invalid_field', `The pre-chat form needs ${problem}; nothing was stored`, frame.id);
  const record: JournalRecord = {
    k: 'prechat',
    v: visitor.id,
    prechat: {
      at,
      question: prechat.question.mode === 'off' ? '' : prechat.question.label,
      answer: prechat.question.mode === 'off' ? '' : frame.answer,
      consent: prechat.consent && { ...prechat.consent, at },
    },
  };
  if (!(await hub.persist(peer, record))) return;
  hub.send(peer, { type: 'ack', id: frame.id, seq: 0, at });
  // The visitor's other tabs drop the form too.
  hub.toVisitor(visitor.id, { type: 'prechat', prechat: wirePrechat(visitor, prechat) }, peer);
  hub.visitorChanged(visitor);
  hub.webhooks?.visitorChanged(visitor, 'prechat');
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
  if (unchanged || !(await hub.persist(peer, record))) return false;
  hub.visitorChanged(visitor);
  return true;
}

/**
 * Two tabs with one id may say hello at once: one finds it as the other changes it. A hello without an id (or with
 * one that names nothing) makes a new visitor whose id nobody else knows, so it waits for nobody.
 */
function visitorHello(hub: Hub, peer: VisitorPeer, hello: Extract<VisitorFrame, { type: 'hello' }>): Promise<void> {
  if (hello.visitorId === undefined) return greet(hub, peer, hello);
  return hub.withVisitor(`hello ${JSON.stringify([hello.widgetId, hello.visitorId])}`, () => greet(hub, peer, hello));
}

async function greet(hub: Hub, peer: VisitorPeer, hello: Extract<VisitorFrame, { type: 'hello' }>): Promise<void> {
  const refusal = hub.options.sites.refusal(hello.widgetId, peer.origin);
  if (refusal) {
    hub.error(peer, 'bad_frame', refusal);
    hub.closeAfterSends(peer, CLOSE.policy, refusal);
    return;
  }
  // The widget dropped this id (clearHistory): it opens nothing from now on, here or anywhere (F14).
  if (hello.revoke !== undefined && strongVisitorId(hello.revoke)) await revoke(hub, hello.widgetId, hello.revoke);
  // Only an id the server issued (or an earlier widget made, and the store holds) names a conversation; any other
  // gets a new visitor with a new id, never the one presented.
  const presented = hello.visitorId !== undefined && strongVisitorId(hello.visitorId) ? hello.visitorId : undefined;
  const visitor = presented === undefined ? undefined : await hub.store.find(hello.widgetId, presented);
  const page = storedPage(hello.page, hub.options.pageQueryParams);
  const { widgetId, department, lang } = hello;
  await enter(hub, peer, visitor ?? null, { widgetId, page, department, lang, after: visitor ? hello.after : 0 });
}

/** Gives the visitor known by `secret` a new id that nobody has, and cuts off the sockets that use it now. */
async function revoke(hub: Hub, widgetId: string, secret: string): Promise<void> {
  const visitor = await hub.store.find(widgetId, secret);
  if (!visitor) return;
  await hub.withVisitor(visitor.id, async () => {
    if (!hub.present(visitor) || visitor.secret !== secret) return;
    if (await hub.persist(null, { k: 'rotate', v: visitor.id, secret: newVisitorSecret() })) hub.revoked(visitor.id);
  });
}

/**
 * Attaches the socket to `visitor` (a new one, with a new id, when null; `extra` records are committed with it) and
 * welcomes it: the visitor's id, and the messages after `entry.after`. A socket that served another visitor leaves it.
 */
async function enter(
  hub: Hub,
  peer: VisitorPeer,
  visitor: Visitor | null,
  entry: Entry,
  extra: (id: string) => JournalRecord[] = () => [],
): Promise<void> {
  const at = Date.now();
  const { limits } = hub.options;
  if (!visitor && !(hub.newVisitorsPerIp.take(peer.ip) && hub.newVisitorsPerSite.take(entry.widgetId))) {
    // Nothing is stored for a visitor refused here; the widget reconnects later.
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
  const id = visitor ? visitor.id : `v-${randomBytes(12).toString('base64url')}`;
  const record: JournalRecord = visitor
    ? {
        k: 'update',
        v: visitor.id,
        at,
        ...(entry.page ? { page: entry.page } : {}),
        department: entry.department,
        lang: entry.lang,
        ...(ua === visitor.userAgent ? {} : { ua }),
      }
    : {
        k: 'visitor',
        id,
        widgetId: entry.widgetId,
        visitorId: newVisitorSecret(),
        // The store gives the number (the next free one of the widget id).
        number: 0,
        at,
        page: entry.page,
        department: entry.department,
        lang: entry.lang,
        ...(ua ? { ua } : {}),
      };
  if (!(await hub.persist(peer, record, ...extra(id)))) return;
  const target = visitor ?? hub.state.visitors.get(id)!;
  if (peer.visitor) leave(hub, peer);
  peer.visitor = target;
  hub.pendingVisitors.delete(peer);
  let set = hub.visitorPeers.get(target.id);
  if (!set) {
    hub.visitorPeers.set(target.id, (set = new Set()));
    hub.visitorOnline(target.id, true);
  }
  set.add(peer);

  // Every message after `after`, or as many of the newest as fit in limits.welcomeBytes (F5, F7: a small hello must
  // not buy a large answer); older history stays on the server.
  const messages: WireMessage[] = [];
  let bytes = 0;
  for (let i = target.messages.length - 1; i >= 0 && target.messages[i].seq > entry.after; i--) {
    bytes += Buffer.byteLength(JSON.stringify(target.messages[i])) + 1;
    if (bytes > limits.welcomeBytes) break;
    messages.push(target.messages[i]);
  }
  messages.reverse();
  peer.callbackEnabled = hub.callbackEnabled(target.widgetId);
  const lastCall = target.calls.at(-1);
  const welcome: BackendFrame = {
    type: 'welcome',
    visitorId: target.secret,
    visitorNumber: target.number,
    chatMode: hub.chatMode,
    agent: target.acceptedBy === null ? null : hub.agentCard(target.acceptedBy, target.acceptedById),
    messages,
    readSeq: target.readSeq,
    callbackEnabled: peer.callbackEnabled,
    call: lastCall ? wireCall(lastCall) : null,
  };
  // Only while an agent's request for contacts waits for an answer.
  if (target.contactsRequest?.state === 'pending') welcome.contactsRequest = target.contactsRequest.id;
  // The site's business hours and pre-chat form, when it has them (sites.ts).
  const hours = hub.hoursOf(target.widgetId);
  if (hours) welcome.hours = hours;
  const { prechat } = hub.options.sites.settings(target.widgetId);
  if (prechat) welcome.prechat = wirePrechat(target, prechat);
  const files = hub.options.sites.fileLimits(target.widgetId);
  welcome.files = { maxBytes: files.maxBytes, types: [...files.types] };
  const ended = wireChatEnd(target);
  if (ended) welcome.ended = ended;
  const site = hub.options.sites.profile(target.widgetId);
  if (site) welcome.site = site;
  hub.send(peer, welcome);
  if (hub.agentTypingTo(target.id)) hub.send(peer, { type: 'typing', typing: true });
  hub.visitorChanged(target);
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
  // Queued before the ack, so an acknowledged offline message always reaches the webhooks: with PostgreSQL in the
  // same transaction as the message, with the journal on disk right after it.
  const { id, name, email, phone, description, message, at } = offlineMessage;
  const fields = { offline_message: { id, name, email, phone, description, message, at } };
  const record: JournalRecord = { k: 'offline', v: visitor.id, cid: frame.id, o: offlineMessage };
  if (!(await hub.persistAnnounced(peer, [record], 'offline_message', visitor, fields))) return;
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
  leave(hub, peer);
}

/** The socket no longer serves its visitor (it closed, or moved to another visitor): the visitor may be offline now. */
function leave(hub: Hub, peer: VisitorPeer): void {
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
