/**
 * Webhooks: the backend POSTs a JSON event to every configured URL when a chat is accepted or finished, an offline
 * message arrives, the site changes what it told about a visitor, or a phone callback changes. docs/webhooks.md
 * documents the events, their fields and the delivery rules.
 *
 * Delivery never holds up the chat: `emit` queues the event (durably, with a data directory) and returns. Each URL has
 * its own queue, delivered in order, one request at a time; a failure (a status other than 2xx, a network error, no
 * answer within `timeoutMs`) is retried with exponential backoff and jitter, and after `retry.attempts` tries the event
 * is given up with a warning and the next one goes. A slow or failing URL holds up only its own queue.
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { CustomField, PageInfo, Utm } from '../src/model/types.js';
import type { WireMessage } from '../src/transport/protocol.js';
import type { Visitor } from './state.js';
import { existsSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import {
  openWebhookQueue,
  WEBHOOK_QUEUE_FILE,
  type QueuedEvent,
  type WebhookOutbox,
  type WebhookQueueFile,
} from './webhook-queue.js';

export type WebhookEventName = 'chat_accepted' | 'chat_finished' | 'offline_message' | 'client_updated' | 'call_event';

/** What the site or the visitor changed, for `client_updated`. */
export type VisitorChange = 'contact' | 'custom_data' | 'client_attributes' | 'user_token' | 'prechat';

export interface WebhookAgent {
  /** Agents of the reference backend are known by name only, so this is the name too. */
  id: string;
  name: string;
}

export interface WebhookMessage {
  id: string;
  seq: number;
  from: 'visitor' | 'agent';
  text: string;
  at: number;
  /** Agent messages only. */
  agent_name?: string;
  /**
   * A file sent with the message (`text` is then its caption, possibly ''): its name, size in bytes and checked MIME
   * type. Its bytes are served only to the conversation's visitor and agents, so no address is given.
   */
  file?: { id: string; name: string; size: number; type: string };
}

/** A phone callback's progress (`call_event`). */
export interface WebhookCall {
  id: string;
  phone: string;
  status: 'requested' | 'connected' | 'finished' | 'failed';
  /** Why it failed (`status: 'failed'`). */
  reason?: string;
}

/** The fields each event adds to the common ones. */
export interface WebhookEventFields {
  chat_accepted: { chat_id: string; agent: WebhookAgent };
  chat_finished: {
    chat_id: string;
    /** The agent who had the chat; null when the visitor ended it before anyone accepted it. */
    agent: WebhookAgent | null;
    messages: WebhookMessage[];
    /** Who ended the chat. */
    ended_by: 'agent' | 'visitor';
    /** The visitor's rating, or null when they gave none. */
    rating: { rate: 'good' | 'bad'; comment: string } | null;
  };
  offline_message: {
    offline_message: {
      id: string;
      name: string;
      email: string;
      phone: string;
      description: string;
      message: string;
      at: number;
    };
  };
  client_updated: { changed: VisitorChange[] };
  call_event: { call: WebhookCall };
}

/** The fields every event has. */
export interface WebhookCommonFields {
  event_name: WebhookEventName;
  /** The same in every attempt to deliver the event: receivers use it to ignore a repeat. */
  event_id: string;
  /** When the event happened, ms since the epoch. */
  created_at: number;
  /** When this attempt was sent, ms since the epoch (covered by the signature). */
  sent_at: number;
  widget_id: string;
  user_token: string | null;
  /** Whether the site signed the user token (its widget id has an identity secret: identity.ts). */
  user_token_verified: boolean;
  visitor: { id: string; number: number; name: string; email: string; phone: string; description: string };
  session: { utm: Utm | null; user_agent: string };
  page: PageInfo | null;
  department: string | null;
  custom_data: CustomField[];
  /** The site's `setClientAttributes`, `{}` when none. */
  client_attributes: Record<string, string | number | boolean>;
  /**
   * What the visitor sent with the site's pre-chat form: the question as asked and its answer ('' when the form had
   * none), and the consent given (its text, link and version as shown, and when), or null when none was asked; null
   * until the visitor sends the form.
   */
  prechat: WebhookPrechat | null;
}

export interface WebhookPrechat {
  at: number;
  question: string;
  answer: string;
  consent: { text: string; url: string; version: string; at: number } | null;
}

export type WebhookPayload<E extends WebhookEventName = WebhookEventName> = WebhookCommonFields & WebhookEventFields[E];

export interface RetryPolicy {
  /** The wait after the first failure, ms; it doubles after each further one. */
  base: number;
  /** The longest wait, ms. */
  max: number;
  /** Tries in all (the first one included) before the event is given up. */
  attempts: number;
}

export interface WebhookOptions {
  /** http(s) URLs; every event goes to each of them. */
  urls: string[];
  /** Signs each body: `x-jivo-signature: sha256=<hex HMAC-SHA256 of the body>`. Required (checkWebhookOptions). */
  secret?: string;
  /** Merged over WEBHOOK_RETRY. */
  retry?: Partial<RetryPolicy>;
  /** How long a receiver has to answer, ms. Default 5000. */
  timeoutMs?: number;
  /** How long changes to a visitor are gathered into one `client_updated`, ms. Default 2000. */
  coalesceMs?: number;
  /**
   * Events waiting for delivery, at most (a receiver that is down for long must not fill the disk). Past it the oldest
   * waiting event is dropped, with a warning. Default 10 000.
   */
  maxQueued?: number;
}

/** 1 s, 2 s, 4 s … up to 5 min between tries, 12 tries in all (about 20 minutes). */
export const WEBHOOK_RETRY: RetryPolicy = Object.freeze({ base: 1000, max: 300_000, attempts: 12 });

export type WebhookConfig = Required<Omit<WebhookOptions, 'secret' | 'retry'>> & {
  secret: string;
  retry: RetryPolicy;
};

const CHANGES: VisitorChange[] = ['contact', 'custom_data', 'client_attributes', 'user_token', 'prechat'];

/** One URL, or a problem: it must be an absolute http(s) URL without a user name or password. */
function checkUrl(raw: unknown): string {
  const shown = JSON.stringify(String(raw).slice(0, 200));
  if (typeof raw !== 'string') throw new Error(`webhook URL ${shown} is not a string`);
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new Error(`webhook URL ${shown} is not an absolute URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`webhook URL ${shown} is not http or https`);
  if (url.username || url.password) throw new Error(`webhook URL ${shown} must not carry a user name or password`);
  return url.href;
}

/** `WEBHOOK_URLS`: comma-separated URLs, blanks ignored. Throws on one that is not an http(s) URL. */
export function parseWebhookUrls(list: string): string[] {
  return list
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean)
    .map(checkUrl);
}

/**
 * A receiver must be able to tell our events from anyone's, and the events carry visitors' contact details: webhooks
 * without a secret are refused (security review F15). Checked last, after the URLs and numbers.
 */
function requireSecret(secret: string | undefined): { secret: string } {
  if (secret === undefined)
    throw new Error('webhooks.secret is required (WEBHOOK_SECRET): receivers check the signature to trust an event');
  return { secret };
}

/** The options checked and completed; throws an Error that says what is wrong. Null when there are no URLs. */
export function checkWebhookOptions(options: WebhookOptions | undefined): WebhookConfig | null {
  if (options === undefined) return null;
  if (typeof options !== 'object' || options === null || !Array.isArray(options.urls))
    throw new Error('webhooks.urls must be an array of URLs');
  const urls = [...new Set(options.urls.map(checkUrl))];
  if (!urls.length) return null;
  const positive = (name: string, v: unknown, fallback: number, min = 1): number => {
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min)
      throw new Error(`webhooks.${name} must be a number of at least ${min}`);
    return v;
  };
  const { secret, retry = {} } = options;
  if (secret !== undefined && (typeof secret !== 'string' || !secret))
    throw new Error('webhooks.secret must be a non-empty string');
  const attempts = positive('retry.attempts', retry.attempts, WEBHOOK_RETRY.attempts);
  if (!Number.isInteger(attempts)) throw new Error('webhooks.retry.attempts must be a whole number');
  return {
    urls,
    retry: {
      base: positive('retry.base', retry.base, WEBHOOK_RETRY.base),
      max: positive('retry.max', retry.max, WEBHOOK_RETRY.max),
      attempts,
    },
    timeoutMs: positive('timeoutMs', options.timeoutMs, 5000),
    ...requireSecret(secret),
    coalesceMs: positive('coalesceMs', options.coalesceMs, 2000, 0),
    maxQueued: Math.floor(positive('maxQueued', options.maxQueued, 10_000)),
  };
}

/** The chat's id in webhooks: the visitor's public id and the chat's number with this visitor. */
export const chatId = (v: Visitor) => `${v.id}.${v.finishedChats + 1}`;

/** Messages in webhook form (snake_case, like the rest of the payload). */
export const webhookMessages = (messages: readonly WireMessage[]): WebhookMessage[] =>
  messages.map((m) => ({
    id: m.id,
    seq: m.seq,
    from: m.from,
    text: m.text,
    at: m.at,
    ...(m.agentName === undefined ? {} : { agent_name: m.agentName }),
    ...(m.file === undefined ? {} : { file: { ...m.file } }),
  }));

function payload<E extends WebhookEventName>(
  event: E,
  v: Visitor,
  fields: WebhookEventFields[E],
  now: number,
): WebhookPayload<E> {
  return {
    event_name: event,
    event_id: randomUUID(),
    created_at: now,
    sent_at: now,
    widget_id: v.widgetId,
    user_token: v.userToken,
    user_token_verified: v.userTokenVerified,
    visitor: { id: v.id, number: v.number, ...v.contact },
    session: { utm: v.utm, user_agent: v.userAgent },
    page: v.page,
    department: v.department,
    custom_data: v.customData,
    client_attributes: v.clientAttributes,
    prechat: v.prechat && { ...v.prechat, consent: v.prechat.consent && { ...v.prechat.consent } },
    ...fields,
  };
}

/** One URL's queue: in order, one request at a time, retried with backoff. */
class Lane {
  readonly #url: string;
  /** The URL as warnings show it: without its query, which may hold a token. */
  readonly #shown: string;
  readonly #owner: Webhooks;
  readonly #queue: QueuedEvent[] = [];
  #attempt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #request: AbortController | null = null;
  #sending: Promise<void> | null = null;
  #closed = false;

  constructor(url: string, owner: Webhooks) {
    this.#url = url;
    // The origin only: a path or a query may hold the receiver's token, and logs are read by more people.
    this.#shown = new URL(url).origin;
    this.#owner = owner;
  }

  push(event: QueuedEvent): void {
    this.#queue.push(event);
    this.#next();
  }

  /** Drops `event` unless it is being sent right now; true when it was waiting here. */
  drop(event: QueuedEvent): boolean {
    const at = this.#queue.indexOf(event);
    if (at === -1 || (at === 0 && (this.#sending || this.#timer !== undefined))) return false;
    this.#queue.splice(at, 1);
    return true;
  }

  /** Stops: aborts the request in flight (its event stays queued on disk) and waits for it to settle. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#request?.abort();
    await this.#sending;
  }

  #next(): void {
    if (this.#closed || this.#sending || this.#timer !== undefined || !this.#queue.length) return;
    this.#sending = this.#send(this.#queue[0]).finally(() => {
      this.#sending = null;
      this.#next();
    });
  }

  async #send(event: QueuedEvent): Promise<void> {
    const { retry } = this.#owner.config;
    const problem = await this.#post(event);
    // A delivery that succeeded counts even while closing; a failed one stays queued for the next start.
    if (problem !== null && this.#closed) return;
    if (problem !== null && ++this.#attempt < retry.attempts) {
      // 1, 2, 4 … × base, capped, then made random within its upper half so that receivers are not hit in step.
      const delay = Math.min(retry.max, retry.base * 2 ** (this.#attempt - 1));
      this.#timer = setTimeout(
        () => {
          this.#timer = undefined;
          this.#next();
        },
        Math.round(delay * (0.5 + Math.random() / 2)),
      );
      this.#timer.unref?.();
      return;
    }
    if (problem !== null) {
      this.#owner.warn(
        `webhook ${event.payload.event_name} ${event.id} to ${this.#shown} given up after ${this.#attempt} attempt(s): ${problem}`,
      );
    }
    this.#attempt = 0;
    this.#queue.shift();
    this.#owner.delivered(event.id, this.#url);
  }

  /** One attempt: null when the receiver answered 2xx, or what went wrong. */
  async #post(event: QueuedEvent): Promise<string | null> {
    const request = (this.#request = new AbortController());
    try {
      return await post(this.#owner.config, this.#url, event, request);
    } finally {
      this.#request = null;
    }
  }
}

/**
 * One URL's queue when it lives in the database (WebhookOutbox): each process runs one of these per URL; the one that
 * holds the URL's oldest event delivers it, retried with the same backoff. It looks again when told that an event was
 * queued here, when the oldest one is due, and every POLL_MS (events queued by other processes, or left by one that
 * died).
 */
class OutboxLane {
  readonly #url: string;
  readonly #shown: string;
  readonly #owner: Webhooks;
  readonly #outbox: WebhookOutbox;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running: Promise<void> | null = null;
  #again = false;
  #request: AbortController | null = null;
  #closed = false;

  constructor(url: string, owner: Webhooks, outbox: WebhookOutbox) {
    this.#url = url;
    this.#shown = new URL(url).origin;
    this.#owner = owner;
    this.#outbox = outbox;
  }

  wake(): void {
    if (this.#closed) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#running = this.#run().finally(() => {
      this.#running = null;
      if (this.#again) {
        this.#again = false;
        this.wake();
      }
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#request?.abort();
    await this.#running;
  }

  async #run(): Promise<void> {
    let wait = POLL_MS;
    while (!this.#closed) {
      try {
        const next = await this.#outbox.next(this.#url, (event, attempts) => this.#attempt(event, attempts));
        if ('wait' in next && next.wait === 0) continue;
        wait = 'wait' in next ? Math.min(POLL_MS, Math.max(1, Math.ceil(next.wait))) : POLL_MS;
      } catch (error) {
        if (!this.#closed) this.#owner.warn(`webhook queue in the database: ${(error as Error).message}`);
        wait = POLL_MS;
      }
      break;
    }
    if (this.#closed) return;
    this.#timer = setTimeout(() => this.wake(), wait);
    this.#timer.unref?.();
  }

  async #attempt(event: QueuedEvent, attempts: number): Promise<'done' | { retryIn: number }> {
    const { retry } = this.#owner.config;
    const request = (this.#request = new AbortController());
    let problem: string | null;
    try {
      problem = await post(this.#owner.config, this.#url, event, request);
    } finally {
      this.#request = null;
    }
    if (problem === null) return 'done';
    const tried = attempts + 1;
    if (tried < retry.attempts && !this.#closed) {
      const delay = Math.min(retry.max, retry.base * 2 ** (tried - 1));
      return { retryIn: Math.round(delay * (0.5 + Math.random() / 2)) };
    }
    if (this.#closed) return { retryIn: 0 };
    this.#owner.warn(
      `webhook ${event.payload.event_name} ${event.id} to ${this.#shown} given up after ${tried} attempt(s): ${problem}`,
    );
    return 'done';
  }
}

/** How often each process looks for deliveries queued in the database by the others, ms. */
const POLL_MS = 1000;

/** One attempt to deliver `event` to `url`: null when the receiver answered 2xx, or what went wrong. */
async function post(
  config: WebhookConfig,
  url: string,
  event: QueuedEvent,
  request: AbortController,
): Promise<string | null> {
  const { secret, timeoutMs } = config;
  const body = JSON.stringify({ ...event.payload, sent_at: Date.now() });
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'jivo-widget-backend',
    'x-jivo-event': event.payload.event_name,
    'x-jivo-event-id': event.id,
  };
  headers['x-jivo-signature'] = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    request.abort();
  }, timeoutMs);
  try {
    // A redirect is not followed (it is not a 2xx): the receiver's address is what was configured.
    const response = await fetch(url, {
      method: 'POST',
      headers,
      body,
      signal: request.signal,
      redirect: 'manual',
    });
    await response.body?.cancel().catch(() => {});
    return response.status >= 200 && response.status < 300 ? null : `HTTP ${response.status}`;
  } catch (error) {
    if (timedOut) return `no answer within ${timeoutMs} ms`;
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? (error as Error).message;
  } finally {
    clearTimeout(timer);
  }
}

/** The webhook sender of one backend. */
export class Webhooks {
  readonly config: WebhookConfig;
  readonly warn: (message: string) => void;
  readonly #file: WebhookQueueFile;
  readonly #lanes = new Map<string, Lane>();
  /** With a store shared by several processes: the queue in the database, and this process's lane per URL. */
  readonly #outbox: WebhookOutbox | null;
  readonly #outboxLanes = new Map<string, OutboxLane>();
  #pruning: ReturnType<typeof setInterval> | undefined;
  readonly #toAdd: Array<{ event: QueuedEvent; resolve: () => void }> = [];
  #adding: Promise<void> | null = null;
  /**
   * Resolves once pending deliveries are resumed: with the outbox, after a queue file left in the data directory (by
   * the embedded store) has been moved into the database.
   */
  readonly ready: Promise<void>;
  /** Visitors whose data changed, waiting for their `client_updated`. */
  readonly #updates = new Map<
    string,
    { visitor: Visitor; changed: Set<VisitorChange>; timer: ReturnType<typeof setTimeout> }
  >();
  #closed = false;
  /** Every event some URL still waits for, oldest first, with the URLs that wait. */
  readonly #waiting = new Map<string, { event: QueuedEvent; urls: Set<string> }>();
  /** Events dropped because the queue was full, since the last warning about it. */
  #dropped = 0;
  #dropWarnedAt = 0;
  #nearlyFull = false;

  /**
   * Opens the queue in `dataDir` and resumes the deliveries that were pending there; or, given the database's
   * `outbox`, moves such a file's pending deliveries into the database once (then deletes the file) and delivers from
   * there.
   */
  constructor(
    config: WebhookConfig,
    dataDir: string | null,
    warn: (message: string) => void,
    outbox: WebhookOutbox | null = null,
  ) {
    this.config = config;
    this.warn = warn;
    this.#outbox = outbox;
    if (outbox) {
      this.#file = openWebhookQueue(null, config.urls, warn).file;
      for (const url of config.urls) this.#outboxLanes.set(url, new OutboxLane(url, this, outbox));
      this.ready = this.#adopt(outbox, dataDir).then(() => {
        for (const lane of this.#outboxLanes.values()) lane.wake();
        // A server that starts with the queue nearly full (or past the bound) says so at once.
        return this.#prune(outbox);
      });
      this.#pruning = setInterval(() => void this.#prune(outbox), 10_000);
      this.#pruning.unref?.();
      return;
    }
    const { file, pending } = openWebhookQueue(dataDir, config.urls, warn);
    this.#file = file;
    for (const url of config.urls) this.#lanes.set(url, new Lane(url, this));
    for (const event of pending) this.#enqueue(event);
    this.ready = Promise.resolve();
  }

  /** The deliveries a queue file in `dataDir` still holds go into the database, and the file goes. */
  async #adopt(outbox: WebhookOutbox, dataDir: string | null): Promise<void> {
    if (dataDir === null || !existsSync(join(dataDir, WEBHOOK_QUEUE_FILE))) return;
    const { file, pending } = openWebhookQueue(dataDir, this.config.urls, this.warn);
    file.close();
    // Idempotent (by event id and URL): a process stopped before the file was deleted moves the same events again.
    await outbox.add(pending);
    unlinkSync(join(dataDir, WEBHOOK_QUEUE_FILE));
    if (pending.length)
      this.warn(`moved ${pending.length} pending webhook event(s) from the queue file into the database`);
  }

  /**
   * Queues an event in the database. The events that come while an insert is in flight go together in the next one,
   * so that they are queued in the order emitted (a `client_updated` before the event that flushed it).
   */
  #add(outbox: WebhookOutbox, event: QueuedEvent): Promise<void> {
    return new Promise((resolve) => {
      this.#toAdd.push({ event, resolve });
      this.#adding ??= this.#addAll(outbox);
    });
  }

  async #addAll(outbox: WebhookOutbox): Promise<void> {
    while (this.#toAdd.length) {
      const batch = this.#toAdd.splice(0);
      try {
        await outbox.add(batch.map((b) => b.event));
        for (const lane of this.#outboxLanes.values()) lane.wake();
      } catch (error) {
        for (const { event } of batch)
          this.warn(
            `webhook ${event.payload.event_name} ${event.id} could not be queued in the database (${(error as Error).message}); it is lost`,
          );
      }
      for (const b of batch) b.resolve();
    }
    this.#adding = null;
  }

  /** The database's queue: a warning at 80% of `maxQueued` events, and past it the oldest go, with a warning. */
  async #prune(outbox: WebhookOutbox): Promise<void> {
    try {
      const size = await outbox.size();
      this.#watchFill(size);
      if (size <= this.config.maxQueued) return;
      const dropped = await outbox.dropOldest(this.config.maxQueued);
      if (dropped)
        this.warn(`webhook queue full (${this.config.maxQueued} events): dropped ${dropped} oldest event(s)`);
    } catch (error) {
      if (!this.#closed) this.warn(`webhook queue in the database: ${(error as Error).message}`);
    }
  }

  /** Events waiting for at least one URL. */
  get queued(): number {
    return this.#waiting.size;
  }

  #enqueue(event: QueuedEvent): void {
    while (this.#waiting.size >= this.config.maxQueued && this.#dropOldest());
    this.#waiting.set(event.id, { event, urls: new Set(event.urls) });
    for (const url of event.urls) this.#lanes.get(url)!.push(event);
    this.#watchFill(this.#waiting.size);
  }

  /** Warns when the queue reaches 80% of `maxQueued` events, once until it has been below again. */
  #watchFill(size: number): void {
    const nearlyFull = size >= this.config.maxQueued * 0.8;
    if (nearlyFull && !this.#nearlyFull) {
      this.warn(
        `webhook queue ${size} of ${this.config.maxQueued} events: a receiver is failing or slow; past ${this.config.maxQueued} the oldest events are dropped`,
      );
    }
    this.#nearlyFull = nearlyFull;
  }

  /** Drops the oldest event no request is carrying right now; false when there is none. */
  #dropOldest(): boolean {
    for (const [id, entry] of this.#waiting) {
      const dropped = [...entry.urls].filter((url) => this.#lanes.get(url)!.drop(entry.event));
      if (!dropped.length) continue;
      for (const url of dropped) this.delivered(id, url);
      this.#dropped++;
      const now = Date.now();
      if (now - this.#dropWarnedAt >= 60_000) {
        this.warn(
          `webhook queue full (${this.config.maxQueued} events): dropped ${this.#dropped} oldest event(s), the last ${entry.event.payload.event_name} ${id}`,
        );
        this.#dropWarnedAt = now;
        this.#dropped = 0;
      }
      return true;
    }
    return false;
  }

  /**
   * Queues an event about `visitor` for every URL and returns at once. Any `client_updated` still gathering for this
   * visitor goes first, so receivers see the changes in order. Never throws.
   *
   *   webhooks.emit('call_event', visitor, { call: { id, phone, status: 'requested' } });
   *
   * The promise resolves once the event is queued durably (at once with the queue file, which is written before
   * `emit` returns; with the database, when its row is committed), so that a caller can hold its answer until then.
   */
  emit<E extends WebhookEventName>(event: E, visitor: Visitor, fields: WebhookEventFields[E]): Promise<void> {
    if (this.#closed) return Promise.resolve();
    if (event !== 'client_updated') this.#flushUpdate(visitor.id);
    const body = payload(event, visitor, fields, Date.now());
    const queued: QueuedEvent = {
      id: body.event_id,
      urls: this.config.urls,
      payload: body as unknown as QueuedEvent['payload'],
    };
    if (this.#outbox) return this.#add(this.#outbox, queued);
    try {
      this.#file.add(queued);
    } catch (error) {
      this.warn(
        `webhook ${event} ${queued.id} could not be queued on disk (${(error as Error).message}); it is sent but will not survive a restart`,
      );
    }
    this.#enqueue(queued);
    return Promise.resolve();
  }

  /**
   * An event to queue in the same transaction as the records that cause it (ChatStore.commit `webhooks`), or null
   * when the queue is not the store's (then `emit` it once they are stored). A `client_updated` still gathering for
   * the visitor is queued first. Call `committed` once the commit is done.
   */
  async withCommit<E extends WebhookEventName>(
    event: E,
    visitor: Visitor,
    fields: WebhookEventFields[E],
  ): Promise<QueuedEvent | null> {
    if (!this.#outbox || this.#closed) return null;
    if (event !== 'client_updated') this.#flushUpdate(visitor.id);
    await this.#adding;
    const body = payload(event, visitor, fields, Date.now());
    return { id: body.event_id, urls: this.config.urls, payload: body as unknown as QueuedEvent['payload'] };
  }

  /** Events from `withCommit` were committed: they are delivered now. */
  committed(): void {
    for (const lane of this.#outboxLanes.values()) lane.wake();
  }

  /**
   * The site or the visitor changed the visitor's contact, custom data, attributes or user token, or sent the pre-chat
   * form: a `client_updated` follows
   * `coalesceMs` after the first change, carrying the values as they are then and every kind that changed meanwhile.
   */
  visitorChanged(visitor: Visitor, change: VisitorChange): void {
    if (this.#closed) return;
    let update = this.#updates.get(visitor.id);
    if (!update) {
      const timer = setTimeout(() => this.#flushUpdate(visitor.id), this.config.coalesceMs);
      timer.unref?.();
      this.#updates.set(visitor.id, (update = { visitor, changed: new Set(), timer }));
    }
    update.changed.add(change);
  }

  #flushUpdate(visitorId: string): void {
    const update = this.#updates.get(visitorId);
    if (!update) return;
    this.#updates.delete(visitorId);
    clearTimeout(update.timer);
    void this.emit('client_updated', update.visitor, { changed: CHANGES.filter((c) => update.changed.has(c)) });
  }

  /** Called by a lane when an event is finished for its URL (delivered or given up). */
  delivered(id: string, url: string): void {
    const entry = this.#waiting.get(id);
    entry?.urls.delete(url);
    if (entry && !entry.urls.size) this.#waiting.delete(id);
    this.#file.done(id, url);
  }

  /**
   * Queues the `client_updated` events still gathering, stops every lane (a request in flight is aborted and stays
   * queued) and closes the queue file. What was pending is sent after the next start with the same data directory.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    for (const id of [...this.#updates.keys()]) this.#flushUpdate(id);
    this.#closed = true;
    clearInterval(this.#pruning);
    await this.ready.catch(() => {});
    await this.#adding;
    await Promise.all([...this.#lanes.values(), ...this.#outboxLanes.values()].map((lane) => lane.close()));
    this.#file.close();
  }
}
