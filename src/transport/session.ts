import { Subscription } from 'rxjs';
import { persistedPart } from '../state/persisted.js';
import type { WidgetStore } from '../state/store.js';
import { siteSettingsOf, type SiteSettingsStore } from '../state/site-settings.js';
import type { ChatMessage } from '../state/types.js';
import { randomId } from '../model/id.js';
import type { PageInfo } from '../model/types.js';
import type { BackendFrame, WireMessage } from './protocol.js';
import { PROTOCOL_VERSION } from './protocol.js';
import { chatEndOf, type ChatEndStore } from '../state/chat-end.js';
import { siteOf } from '../state/site.js';
import type { ChatTransport } from './transport.js';

export interface SessionOptions {
  widgetId: string;
  /** The page the visitor is on, read at each (re)connection. */
  page: () => PageInfo;
  /** How long after the last keystroke the agent stops seeing "typing", ms. */
  typingIdle?: number;
  /**
   * A first visit (no visitor id yet) says hello inside `exclusive(hello)`, which runs `hello` while no other tab of the
   * site does the same and until the promise it returns settles: so that tabs opened at once do not each become a new
   * visitor, but the first one's id is taken by the others. Absent where the browser has no Web Locks: the tabs then
   * follow the id stored last, and end up in one conversation all the same.
   */
  exclusive?: (hello: () => Promise<void>) => void;
  /** Whether another tab has stored a visitor id by now (this session is then replaced by one that uses it). */
  taken?: () => boolean;
}

/** How long a first visit keeps the other tabs waiting for the backend's id, ms. */
const FIRST_VISIT_MS = 10_000;

/** How long the answers to frames sent before a rate-limit error may take to arrive, ms. */
const DROP_WAIT_MS = 2000;

const fromWire = (m: WireMessage): ChatMessage => (m.from === 'visitor' ? { ...m, status: 'sent' } : { ...m });

/**
 * Binds one widget's store to a transport: says hello on every connection (with the last `seq` it has, so the backend
 * sends what was missed), then delivers the outbox — every visitor message and offline message still `pending`, in
 * order, then a pending call-back request — once per connection; the backend stores each id once, so a frame resent
 * after a reconnect is not duplicated. They wait in the store (and so in the browser's storage) until acknowledged:
 * nothing typed is lost.
 */
export class ChatSession {
  readonly #store: WidgetStore;
  /** The site's business hours and pre-chat form, beside the store (state/site-settings.ts). */
  readonly #site: SiteSettingsStore;
  /** Ending the chat and rating it (state/chat-end.ts). */
  readonly #end: ChatEndStore;
  readonly #transport: ChatTransport;
  readonly #options: SessionOptions;
  readonly #subscription = new Subscription();
  /** True between a welcome and the connection's end: only then does the outbox flow. */
  #welcomed = false;
  /** Ids sent on the current connection, so each goes out once per connection. */
  #sent = new Set<string>();
  #sentReadSeq = 0;
  /** The department the backend was last told of (the hello carries one). */
  #department: string | null = null;
  /** The contacts request whose answer went out on this connection. */
  #answered = '';
  #typing = false;
  #typingTimer: ReturnType<typeof setTimeout> | undefined;
  /** Checks for messages the backend dropped without saying which (see #onDropped). */
  #dropTimers = new Set<ReturnType<typeof setTimeout>>();
  /** The user token last sent on this connection (a change to '' is sent too: the visitor's identity ended). */
  #sentToken = '';
  #stopped = false;
  /** The id a welcome showed revoked (the hello that asked for it was answered): not asked for again. */
  #revoked: string | undefined;
  /** Ends a first visit's hold on the other tabs. */
  #release?: () => void;

  constructor(store: WidgetStore, transport: ChatTransport, options: SessionOptions) {
    this.#store = store;
    this.#site = siteSettingsOf(store);
    this.#end = chatEndOf(store);
    this.#transport = transport;
    this.#options = options;
  }

  start(): void {
    const store = this.#store;
    // Frames first: a transport that is already open says so on subscribe, and may answer the hello synchronously.
    this.#subscription.add(this.#transport.frames$.subscribe((frame) => this.#onFrame(frame)));
    this.#subscription.add(this.#transport.status$.subscribe((status) => this.#onStatus(status)));
    this.#subscription.add(store.select((s) => s.messages).subscribe(() => this.#flush()));
    this.#subscription.add(store.select((s) => s.offlineMessages).subscribe(() => this.#flush()));
    this.#subscription.add(store.select((s) => s.call).subscribe(() => this.#flush()));
    this.#subscription.add(this.#end.state$.subscribe(() => this.#sendEnd()));
    this.#subscription.add(store.select((s) => s.readSeq).subscribe(() => this.#sendRead()));
    this.#subscription.add(store.select((s) => s.draft).subscribe((draft) => this.#onDraft(draft)));
    // What the site and the visitor told about the visitor: sent after each welcome, and again on every change.
    this.#subscription.add(store.select((s) => s.contact).subscribe(() => this.#sendContact()));
    this.#subscription.add(store.select((s) => s.customData).subscribe(() => this.#sendCustomData()));
    this.#subscription.add(store.select((s) => s.userToken).subscribe(() => this.#sendUserToken()));
    this.#subscription.add(store.select((s) => s.utm).subscribe(() => this.#sendUtm()));
    this.#subscription.add(store.select((s) => s.page).subscribe(() => this.#sendPage()));
    this.#subscription.add(store.select((s) => s.department).subscribe(() => this.#sendDepartment()));
    this.#subscription.add(store.select((s) => s.clientAttributes).subscribe(() => this.#sendClientAttributes()));
    // After the contact: a given answer follows the contact frame that carries the details.
    this.#subscription.add(store.select((s) => s.contactsRequest).subscribe(() => this.#sendContactsAnswer()));
    // After the contact and the department too: the pre-chat form's answers, which the backend checks against them.
    this.#subscription.add(this.#site.state$.subscribe(() => this.#sendPrechat()));
    const { exclusive } = this.#options;
    if (store.state.visitorId || !exclusive) return this.#transport.connect();
    store.setConnection('connecting');
    exclusive(() => this.#firstVisit());
  }

  /** Connects as a new visitor, and holds the other tabs until the backend has given this one its id. */
  #firstVisit(): Promise<void> {
    if (this.#stopped || this.#options.taken?.()) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        subscription.unsubscribe();
        this.#release = undefined;
        resolve();
      };
      const timer = setTimeout(done, FIRST_VISIT_MS);
      const subscription = this.#store.select((s) => s.visitorId).subscribe((id) => id && queueMicrotask(done));
      this.#release = done;
      this.#transport.connect();
    });
  }

  /** Reconnects now if the connection is down (e.g. the network just came back). */
  retryNow(): void {
    this.#transport.retryNow();
  }

  stop(): void {
    this.#stopped = true;
    this.#release?.();
    this.#subscription.unsubscribe();
    clearTimeout(this.#typingTimer);
    for (const timer of this.#dropTimers) clearTimeout(timer);
    this.#dropTimers.clear();
    this.#transport.disconnect();
    this.#store.setConnection('none');
  }

  #onStatus(status: string): void {
    this.#welcomed = false;
    this.#sent = new Set();
    this.#answered = '';
    this.#sentToken = '';
    this.#typing = false;
    // Whatever the agent was doing when the connection changed, the next welcome tells afresh.
    this.#store.setAgentTyping(false);
    // Open for the store only once the backend has welcomed us (which may happen within the hello's send).
    this.#store.setConnection(status === 'closed' ? 'none' : 'connecting');
    if (status === 'open') {
      const s = this.#store.state;
      this.#transport.send({
        type: 'hello',
        v: PROTOCOL_VERSION,
        widgetId: this.#options.widgetId,
        // None on a first visit: the backend issues it. A dropped id (clearHistory) is revoked on the way.
        ...(s.visitorId ? { visitorId: s.visitorId } : {}),
        ...(s.revoke && s.revoke !== this.#revoked ? { revoke: s.revoke } : {}),
        after: s.messages.reduce((max, m) => (m.seq !== undefined && m.seq > max ? m.seq : max), 0),
        page: s.page ?? this.#options.page(),
        department: (this.#department = s.department),
        lang: s.locale,
      });
    }
  }

  #onFrame(frame: BackendFrame): void {
    const store = this.#store;
    switch (frame.type) {
      case 'welcome': {
        const s = store.state;
        this.#revoked = s.revoke;
        // A backend that issues no ids leaves the widget to make one (of 128 random bits) and keep it.
        const visitorId = frame.visitorId ?? (s.visitorId || randomId());
        if (s.visitorId && visitorId !== s.visitorId) {
          // Another visitor's conversation (an id the backend did not know was replaced, or a verified identity's):
          // what this device held of the previous one goes, as when another tab switches visitor; only what the
          // visitor typed and the backend has not stored stays, and goes to this one, on this connection too.
          store.restore({
            ...persistedPart(s),
            messages: s.messages.filter((m) => m.seq === undefined),
            readSeq: 0,
            unread: 0,
            visitorNumber: null,
            call: null,
            contactsRequest: null,
          });
          if (s.hidden) store.hide();
          this.#sent = new Set();
          this.#sentToken = '';
        }
        this.#site.welcome(frame.hours ?? null, frame.prechat ?? null);
        // The agent's photo goes to the window's store (state/site.ts); the widget's keeps the name.
        store.welcome({
          ...frame,
          visitorId,
          agent: frame.agent && { name: frame.agent.name },
          messages: frame.messages.map(fromWire),
        });
        store.setCallbackEnabled(frame.callbackEnabled === true);
        if (frame.call) store.updateCall(frame.call, false);
        this.#welcomed = true;
        this.#sentReadSeq = frame.readSeq;
        store.setConnection('open');
        this.#sendContact();
        this.#sendCustomData();
        this.#sendUserToken();
        this.#sendUtm();
        this.#sendDepartment();
        this.#sendClientAttributes();
        this.#onContactsRequest(frame.contactsRequest ?? null);
        siteOf(store).set(frame.site ?? null);
        if (frame.agent) siteOf(store).setPhoto(frame.agent.name, frame.agent.photo);
        if (frame.ended) this.#end.ended(frame.ended, false);
        else this.#end.noneEnded();
        this.#sendPrechat();
        this.#flush();
        this.#sendRead();
        this.#sendEnd();
        break;
      }
      case 'chat_ended':
        this.#end.ended(frame.ended, true);
        break;
      case 'ack':
        if (this.#site.state.answer?.id === frame.id) this.#site.prechatStored(frame.id, true);
        else if (store.state.messages.some((m) => m.id === frame.id)) store.acknowledge(frame.id, frame.seq, frame.at);
        else store.setOfflineMessageStatus(frame.id, 'sent');
        break;
      case 'message':
        store.receiveMessage(fromWire(frame.message));
        break;
      case 'typing':
        store.setAgentTyping(frame.typing);
        break;
      case 'read':
        // Before markRead, whose readSeq change would otherwise echo this read back to the backend.
        this.#sentReadSeq = Math.max(this.#sentReadSeq, frame.seq);
        store.markRead(frame.seq);
        break;
      case 'chat_mode':
        store.setChatMode(frame.chatMode);
        break;
      case 'agent':
        // Their photo first, so that the header shows it with the name; the same agent again (a new photo) is no
        // new accept.
        if (frame.agent) siteOf(store).setPhoto(frame.agent.name, frame.agent.photo);
        if (frame.agent) store.accept({ name: frame.agent.name });
        else store.setAgent(null);
        break;
      case 'callback':
        store.setCallbackEnabled(frame.enabled);
        break;
      case 'call':
        store.updateCall(frame.call);
        break;
      case 'contacts_request':
        this.#onContactsRequest(frame.request);
        break;
      case 'hours':
        this.#site.setHours(frame.hours);
        break;
      case 'prechat':
        this.#site.setPrechat(frame.prechat);
        break;
      case 'error':
        console.warn(`jivo-widget: the chat server refused a frame (${frame.code}: ${frame.message})`);
        if (frame.id) {
          // A message the backend will not store (invalid, rate limited) waits for the visitor to retry it; a retry
          // sends it again on this same connection.
          this.#sent.delete(frame.id);
          // Refused pre-chat answers: the form shows again, with what the visitor typed.
          this.#site.prechatStored(frame.id, false);
          store.setMessageStatus(frame.id, 'failed');
          store.setOfflineMessageStatus(frame.id, 'failed');
          // A refused call-back request is not retried: the call fails, with the exact reason the API documents.
          store.failCall(frame.id, frame.code === 'callback_disabled' ? 'Callback disabled' : frame.message);
        } else if (frame.code === 'rate_limited') this.#onDropped();
        break;
    }
  }

  /**
   * The backend's frame rate limit dropped a frame without naming it (typing frames use the same budget). It answers
   * frames in order, so every message sent before this error is answered within moments; one still unanswered after
   * DROP_WAIT_MS was the dropped frame: it fails, so the visitor sees "Not sent" and can send it again, instead of
   * "Sending" with no end.
   */
  #onDropped(): void {
    const store = this.#store;
    const sent = store.state.messages.filter((m) => m.status === 'pending' && this.#sent.has(m.id)).map((m) => m.id);
    const timer = setTimeout(() => {
      this.#dropTimers.delete(timer);
      for (const id of sent) {
        if (store.state.messages.find((m) => m.id === id)?.status !== 'pending' || !this.#sent.has(id)) continue;
        this.#sent.delete(id);
        store.setMessageStatus(id, 'failed');
      }
    }, DROP_WAIT_MS);
    this.#dropTimers.add(timer);
  }

  /** Sends every pending message not yet sent on this connection, oldest first. */
  #flush(): void {
    if (!this.#welcomed) return;
    const s = this.#store.state;
    for (const m of s.messages) {
      if (m.from !== 'visitor' || m.status !== 'pending' || this.#sent.has(m.id)) continue;
      if (!this.#transport.send({ type: 'message', id: m.id, text: m.text })) return;
      this.#sent.add(m.id);
      this.#stopTyping();
    }
    for (const m of s.offlineMessages) {
      if (m.status !== 'pending' || this.#sent.has(m.id)) continue;
      const { id, name, email, phone, description, message } = m;
      if (!this.#transport.send({ type: 'offline_message', id, name, email, phone, description, message })) return;
      this.#sent.add(m.id);
    }
    const call = s.call;
    if (
      call?.status === 'pending' &&
      !this.#sent.has(call.id) &&
      this.#transport.send({ type: 'call_request', id: call.id, phone: call.phone })
    ) {
      this.#sent.add(call.id);
    }
  }

  /**
   * The visitor's end of the chat (once per connection, until the backend confirms it), then their rating of the last
   * finished chat (likewise) or their decline (once).
   */
  #sendEnd(): void {
    const s = this.#end.state;
    if (!this.#welcomed) return;
    if (!s.ending) this.#sent.delete('end');
    else if (!this.#sent.has('end') && this.#transport.send({ type: 'end' })) this.#sent.add('end');
    const r = s.rating;
    const key = r && `rating ${r.chat}`;
    if (r && key && !this.#sent.has(key)) {
      if (this.#transport.send({ type: 'rating', chat: r.chat, rate: r.rate, comment: r.comment })) this.#sent.add(key);
    }
    if (s.declining !== null && this.#transport.send({ type: 'rating', chat: s.declining, rate: null, comment: '' }))
      this.#end.declineSent();
  }

  #sendContact(): void {
    const { contact } = this.#store.state;
    if (this.#welcomed && Object.values(contact).some(Boolean)) this.#transport.send({ type: 'contact', ...contact });
  }

  #sendCustomData(): void {
    const { customData } = this.#store.state;
    if (this.#welcomed && customData.length) this.#transport.send({ type: 'custom_data', fields: [...customData] });
  }

  /** The site's token after each welcome, and every change of it, a change to '' (the identity ended) included. */
  #sendUserToken(): void {
    const { userToken } = this.#store.state;
    if (!this.#welcomed || userToken === this.#sentToken) return;
    if (this.#transport.send({ type: 'user_token', token: userToken })) this.#sentToken = userToken;
  }

  #sendUtm(): void {
    const { utm } = this.#store.state;
    if (this.#welcomed && utm && Object.values(utm).some(Boolean)) this.#transport.send({ type: 'utm', utm });
  }

  #sendClientAttributes(): void {
    const { clientAttributes } = this.#store.state;
    if (this.#welcomed && clientAttributes)
      this.#transport.send({ type: 'client_attributes', attributes: clientAttributes });
  }

  #onContactsRequest(id: string | null): void {
    this.#store.receiveContactsRequest(id);
    // The visitor answered this request while the backend had not heard: tell it (again) now.
    this.#sendContactsAnswer();
  }

  /** The visitor's answer to the agent's request, once per connection, until the backend says no request is pending. */
  #sendContactsAnswer(): void {
    const r = this.#store.state.contactsRequest;
    if (!this.#welcomed || !r || r.state === 'pending' || this.#answered === r.id) return;
    if (this.#transport.send({ type: 'contacts_answer', request: r.id, given: r.state === 'given' }))
      this.#answered = r.id;
  }

  /** The pre-chat form's answers, once per connection, until the backend has stored them. */
  #sendPrechat(): void {
    const answer = this.#site.state.answer;
    if (!this.#welcomed || !answer || this.#sent.has(answer.id)) return;
    // The department chosen in the form goes first: the backend checks the answers against it.
    this.#sendDepartment();
    const { id, department, consent } = answer;
    if (this.#transport.send({ type: 'prechat', id, answer: answer.answer, department, consent })) this.#sent.add(id);
  }

  /** The hello carries the page; later changes (`sendPageTitle`) follow as page frames. */
  #sendPage(): void {
    const { page } = this.#store.state;
    if (this.#welcomed && page) this.#transport.send({ type: 'page', page });
  }

  #sendDepartment(): void {
    const { department } = this.#store.state;
    if (this.#welcomed && department !== this.#department && this.#transport.send({ type: 'department', department })) {
      this.#department = department;
    }
  }

  #sendRead(): void {
    const seq = this.#store.state.readSeq;
    if (!this.#welcomed || seq <= this.#sentReadSeq) return;
    if (this.#transport.send({ type: 'read', seq })) this.#sentReadSeq = seq;
  }

  #onDraft(draft: string): void {
    if (!this.#welcomed) return;
    if (!draft.trim()) {
      this.#stopTyping();
      return;
    }
    if (!this.#typing && this.#transport.send({ type: 'typing', typing: true })) this.#typing = true;
    clearTimeout(this.#typingTimer);
    this.#typingTimer = setTimeout(() => this.#stopTyping(), this.#options.typingIdle ?? 4000);
  }

  #stopTyping(): void {
    clearTimeout(this.#typingTimer);
    this.#typingTimer = undefined;
    if (this.#typing) {
      this.#typing = false;
      this.#transport.send({ type: 'typing', typing: false });
    }
  }
}
