/**
 * What an agent console's socket (`/ws/agent`, agent-protocol.ts) may do: the hub core (hub.ts) hands every frame
 * here. Each frame is validated first; a bad one gets an `error` and changes nothing. Whatever must survive a restart
 * goes through `hub.persist` before anyone hears of it.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { PROTOCOL_VERSION, type WireMessage } from '../src/transport/protocol.js';
import {
  CALL_NEXT,
  DEFAULT_CALL_FAILURE,
  isOlderRequest,
  parseAgentFrame,
  type AgentFrame,
  type AgentServerFrame,
} from './agent-protocol.js';
import { onOlderRequest, welcomeLists } from './console-pages.js';
import type { JournalRecord, Visitor } from './state.js';
import { chatId } from './webhooks.js';
import { endChat } from './chat-end.js';
import type { Hub } from './hub.js';
import { CLOSE, type AgentIdentity, type AgentPeer } from './peers.js';
import { storedFile } from './visitor-socket.js';

async function callStatus(
  hub: Hub,
  peer: AgentPeer,
  name: string,
  visitor: Visitor,
  frame: Extract<AgentFrame, { type: 'call_status' }>,
): Promise<void> {
  const call = visitor.callIds.get(frame.id);
  if (!call) return hub.error(peer, 'unknown_call', 'This visitor has no call with this id', frame.id);
  if (!peer.online) return hub.error(peer, 'offline', 'Go online to handle calls', frame.id);
  if (!CALL_NEXT[call.status].includes(frame.status)) {
    return hub.error(peer, 'invalid_transition', `A ${call.status} call cannot become ${frame.status}`, frame.id);
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
  const event = { call: { id: call.id, phone: call.phone, status: frame.status, ...(reason ? { reason } : {}) } };
  if (await hub.persistAnnounced(peer, [record], 'call_event', visitor, event)) hub.callChanged(visitor, call);
}

export async function onAgentFrame(hub: Hub, peer: AgentPeer, raw: string): Promise<void> {
  if (!peer.buckets.frames.take()) {
    hub.error(peer, 'rate_limited', 'Too many frames; this one was dropped');
    return;
  }
  const parsed = parseAgentFrame(raw);
  if (!parsed.ok) {
    hub.reject(peer, parsed.code, parsed.message, parsed.id);
    return;
  }
  const frame = parsed.frame;
  if (frame.type === 'hello') {
    if (peer.ready) hub.reject(peer, 'bad_frame', 'hello was already received on this socket');
    else await agentHello(hub, peer, frame);
    return;
  }
  const me = peer.agent;
  if (!peer.ready) {
    hub.reject(peer, 'not_ready', 'The first frame must be hello', 'id' in frame ? frame.id : undefined);
    return;
  }
  if (frame.type === 'status') {
    peer.online = frame.online;
    hub.send(peer, { type: 'status', online: peer.online });
    hub.agentsChanged();
    return;
  }
  if (frame.type === 'profile') return setPhoto(hub, peer, frame.photo);
  if (isOlderRequest(frame)) return onOlderRequest(hub, peer, frame);
  if (frame.type === 'site_settings') return siteSettings(hub, peer, me, frame);
  // A reply spends its message token when it arrives, not when its turn runs: replies that wait behind a slow store
  // would otherwise all fall due at once and be refused, though the agent sent them slower than the rate. A resend of
  // a reply that is stored already is free.
  const allowed =
    frame.type !== 'message' ||
    hub.state.visitors.get(frame.visitorId)?.agentMessageIds.has(frame.id) === true ||
    peer.buckets.messages.take();
  await hub.withVisitor(frame.visitorId, async () => {
    const visitor = await hub.store.get(frame.visitorId);
    if (!visitor) {
      const id = frame.type === 'message' || frame.type === 'call_status' ? frame.id : undefined;
      hub.error(peer, 'unknown_visitor', 'No visitor has this id', id);
      return;
    }
    await visitorFrame(hub, peer, me, visitor, frame, allowed);
  });
}

async function visitorFrame(
  hub: Hub,
  peer: AgentPeer,
  me: AgentIdentity,
  visitor: Visitor,
  frame: Extract<AgentFrame, { visitorId: string }>,
  allowed: boolean,
): Promise<void> {
  switch (frame.type) {
    case 'accept':
      if (!peer.online) return hub.error(peer, 'offline', 'Go online to accept chats');
      await take(hub, peer, me, visitor);
      return;
    case 'finish':
      return finish(hub, peer, me, visitor);
    case 'message':
      return agentMessage(hub, peer, me, visitor, frame, allowed);
    case 'typing':
      if (!peer.buckets.typing.take())
        return hub.error(peer, 'rate_limited', 'Too many typing frames; this one was dropped');
      return hub.setAgentTyping(peer, visitor.id, frame.typing);
    case 'read': {
      const seq = Math.min(frame.seq, visitor.lastSeq);
      if (seq <= visitor.agentReadSeq) return;
      if (!(await hub.persist(peer, { k: 'agent_read', v: visitor.id, seq }))) return;
      return hub.visitorChanged(visitor);
    }
    case 'call_status':
      return callStatus(hub, peer, me.name, visitor, frame);
    case 'request_contacts':
      return requestContacts(hub, peer, me, visitor);
    case 'erase_visitor':
      if (me.role !== 'admin') return hub.error(peer, 'forbidden', 'Only an admin may erase a visitor');
      if (!(await hub.erase(visitor, 'admin'))) peer.ws.close(CLOSE.internal, 'Storage unavailable');
      return;
  }
}

/**
 * An admin replaces a site's business hours and pre-chat form (validated by the parser): saved to sites.json or the
 * shared database first, then every console hears of it (this one with the request's id) and the site's widgets
 * connected now are told their new business hours.
 */
async function siteSettings(
  hub: Hub,
  peer: AgentPeer,
  me: AgentIdentity,
  frame: Extract<AgentFrame, { type: 'site_settings' }>,
): Promise<void> {
  if (me.role !== 'admin') return hub.error(peer, 'forbidden', "Only an admin may change a site's settings", frame.id);
  try {
    await hub.options.sites.setSettings(frame.widgetId, frame.settings);
  } catch (error) {
    hub.options.warn(`the settings of ${frame.widgetId} were not saved: ${(error as Error).message}`);
    peer.ws.close(CLOSE.internal, 'Storage unavailable');
    return;
  }
  hub.send(peer, { type: 'site_settings', id: frame.id, widgetId: frame.widgetId, settings: frame.settings });
}

/** Asks the visitor for contacts: journalled, so that a widget that connects later (or reloads) still shows the form. */
async function requestContacts(hub: Hub, peer: AgentPeer, me: AgentIdentity, visitor: Visitor): Promise<void> {
  if (!peer.online) return hub.error(peer, 'offline', 'Go online to ask for contacts');
  if (heldByOther(hub, visitor, me)) {
    return hub.error(peer, 'taken', `${visitor.acceptedBy} has this chat`);
  }
  // Asking again while the visitor has not answered changes nothing.
  if (visitor.contactsRequest?.state === 'pending') return;
  const id = `r-${randomBytes(12).toString('base64url')}`;
  if (!(await hub.persist(peer, { k: 'contacts_request', v: visitor.id, id, at: Date.now(), by: me.name }))) return;
  hub.toVisitor(visitor.id, { type: 'contacts_request', request: id });
  hub.visitorChanged(visitor);
}

/**
 * The agent set or removed their photo (checked: https only): every console of theirs hears it, and so does every
 * visitor whose chat they have, at once (`agent` with the photo).
 */
async function setPhoto(hub: Hub, peer: AgentPeer, photo: string | null): Promise<void> {
  const photos = hub.options.photos;
  if (!photos) return hub.error(peer, 'invalid_field', 'This backend keeps no photos');
  const me = peer.agent;
  await photos.setPhoto(me.id, photo);
  for (const a of hub.agents) if (a.ready && a.agent.id === me.id) hub.send(a, { type: 'profile', photo });
  for (const v of hub.state.visitors.values())
    if (v.acceptedById === me.id && v.acceptedBy !== null)
      hub.toVisitor(v.id, { type: 'agent', agent: hub.agentCard(v.acceptedBy, me.id) });
}

/** The session said who this is; a `name` in the hello is not used. */
async function agentHello(hub: Hub, peer: AgentPeer, hello: Extract<AgentFrame, { type: 'hello' }>): Promise<void> {
  // Pages, not everything (console-pages.ts). With the embedded store they are read from memory at once; from the
  // database the reads take a while, and what this console would hear meanwhile waits until after its welcome.
  const waiting: AgentServerFrame[] = [];
  peer.welcoming = waiting;
  const lists = await welcomeLists(hub).finally(() => (peer.welcoming = undefined));
  peer.ready = true;
  peer.online = hello.online === true;
  // The welcome already counts this console; then everyone hears about it (this console too, harmlessly).
  const agents = hub.presenceList();
  hub.send(peer, {
    type: 'welcome',
    v: PROTOCOL_VERSION,
    name: peer.agent.name,
    agentId: peer.agent.id,
    photo: hub.options.photos?.photo(peer.agent.id) ?? null,
    online: peer.online,
    chatMode: agents.some((a) => a.online) ? 'online' : 'offline',
    agents,
    ...lists,
    sites: hub.options.sites.allSettings().map(([widgetId, settings]) => ({ widgetId, settings })),
  });
  for (const frame of waiting) hub.send(peer, frame);
  hub.agentsChanged();
}

/** Another agent, signed in now and online, has the chat (a chat belongs to an account id, not to a name). */
function heldByOther(hub: Hub, visitor: Visitor, me: AgentIdentity): boolean {
  const owner = visitor.acceptedById;
  return visitor.acceptedBy !== null && owner !== me.id && owner !== null && hub.isAgentOnline(owner);
}

/** Gives the chat to `me` unless another online agent has it. */
async function take(hub: Hub, peer: AgentPeer, me: AgentIdentity, visitor: Visitor): Promise<boolean> {
  if (visitor.acceptedById === me.id) return true;
  if (heldByOther(hub, visitor, me)) {
    hub.error(peer, 'taken', `${visitor.acceptedBy} has this chat`);
    return false;
  }
  const record: JournalRecord = { k: 'accept', v: visitor.id, by: me.name, id: me.id };
  const event = { chat_id: chatId(visitor), agent: { id: me.id, name: me.name } };
  if (!(await hub.persistAnnounced(peer, [record], 'chat_accepted', visitor, event))) return false;
  hub.toVisitor(visitor.id, { type: 'agent', agent: hub.agentCard(me.name, me.id) });
  hub.visitorChanged(visitor);
  return true;
}

/**
 * Ends the chat `me` has (chat-end.ts): nobody has it any more, its messages go out in `chat_finished` (once the
 * visitor has rated it, or could have), and the visitor's next message starts a new chat. The widget keeps its
 * history, hears `agent: null` and `chat_ended`. Finishing a chat nobody has is a no-op (another console of
 * the same agent may have finished it a moment ago); a chat another agent has is refused with `taken`.
 */
async function finish(hub: Hub, peer: AgentPeer, me: AgentIdentity, visitor: Visitor): Promise<void> {
  if (visitor.acceptedBy === null) return;
  if (visitor.acceptedById !== me.id)
    return hub.error(peer, 'taken', `${visitor.acceptedBy} has this chat; accept it before finishing it`);
  if (!(await endChat(hub, peer, visitor, 'agent', { id: me.id, name: me.name }))) return;
  hub.setAgentTyping(peer, visitor.id, false);
}

async function agentMessage(
  hub: Hub,
  peer: AgentPeer,
  me: AgentIdentity,
  visitor: Visitor,
  frame: Extract<AgentFrame, { type: 'message' }>,
  /** Whether the reply got its message token when it arrived (onAgentFrame). */
  allowed: boolean,
): Promise<void> {
  const known = visitor.agentMessageIds.get(frame.id);
  if (known) {
    hub.send(peer, {
      type: 'ack',
      id: frame.id,
      visitorId: visitor.id,
      messageId: known.id,
      seq: known.seq,
      at: known.at,
    });
    return;
  }
  if (!peer.online) return hub.error(peer, 'offline', 'Go online to reply', frame.id);
  if (!allowed) {
    hub.error(peer, 'rate_limited', 'Too many messages; this one was not stored, send it again later', frame.id);
    return;
  }
  if (visitor.acceptedById !== me.id) {
    if (heldByOther(hub, visitor, me)) {
      hub.error(peer, 'taken', `${visitor.acceptedBy} has this chat`, frame.id);
      return;
    }
    if (!(await take(hub, peer, me, visitor))) return;
  }
  const file = frame.file === undefined ? null : await storedFile(hub, visitor.id, frame.file);
  if (file === undefined)
    return hub.error(peer, 'unknown_file', 'No such file was uploaded for this visitor', frame.id);
  const message: WireMessage = {
    id: `a-${randomUUID()}`,
    seq: visitor.lastSeq + 1,
    from: 'agent',
    text: frame.text,
    at: Date.now(),
    agentName: me.name,
    ...(frame.replies ? { replies: frame.replies } : {}),
  };
  if (file) message.file = file;
  // Replying means the agent has read the conversation.
  const read = { k: 'agent_read', v: visitor.id, seq: message.seq } as const;
  if (!(await hub.persist(peer, { k: 'message', v: visitor.id, m: message, cid: frame.id }, read))) return;
  hub.send(peer, {
    type: 'ack',
    id: frame.id,
    visitorId: visitor.id,
    messageId: message.id,
    seq: message.seq,
    at: message.at,
  });
  hub.setAgentTyping(peer, visitor.id, false);
  hub.toVisitor(visitor.id, { type: 'message', message });
  hub.toAgents({ type: 'message', visitorId: visitor.id, message });
  hub.visitorChanged(visitor);
}

export function onAgentClose(hub: Hub, peer: AgentPeer): void {
  hub.agents.delete(peer);
  for (const visitorId of [...peer.typingTo]) hub.setAgentTyping(peer, visitorId, false);
  if (peer.ready) hub.agentsChanged();
}
