/**
 * What the chat server keeps, behind one interface with two implementations: the embedded journal (embedded.ts, one
 * machine, no other process) and PostgreSQL (postgres.ts, any number of server processes on one database). The
 * contract every implementation passes is test/backend/store-contract.test.ts.
 *
 * The server works on `state`, this process's view (state.ts): the embedded store holds everything there; a shared
 * store holds the visitors this process has loaded, and keeps them current as other processes write. Every change is
 * a record (state.ts `JournalRecord`). `commit` makes records durable and then applies them to `state`, in order:
 *
 *   - exactly once: a message whose id (the widget's, or the console's `cid`) is stored already is refused
 *     (`StoreConflict`), never stored twice;
 *   - gapless: a message's `seq` must be the visitor's last plus one; a store shared by several processes refuses one
 *     that another process took first (`StoreConflict`, after reloading the visitor: the caller decides again);
 *   - acknowledged means durable: `whenDurable` runs its callback only once every record committed before it is on
 *     disk (journal) or committed (PostgreSQL); the server sends nothing about a record before that.
 */
import type { WireFile } from '../../src/model/files.js';
import type { ChatState, JournalRecord, Visitor } from '../state.js';
import type { QueuedEvent } from '../webhook-queue.js';

/** A file as stored: the wire's fields, whose visitor's conversation it belongs to, and when it came. */
export interface StoredFile extends WireFile {
  visitorId: string;
  at: number;
}

/**
 * The records did not fit what is stored now (another process changed the visitor first, or a message id is taken):
 * nothing was written, and `state` holds the visitor as stored now.
 */
export class StoreConflict extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreConflict';
  }
}

/** What one server process tells the others that is not stored: who is connected, online or typing (hub.ts). */
export type Signal = { t: string } & Record<string, unknown>;

/** How a store shared by several processes tells this one about the others (store/postgres.ts). */
export interface StoreEvents {
  /**
   * Another process committed these records about the visitor. `visitor` is the copy held here, already brought up
   * to date (undefined when none is held); `records` is empty when they were too large to pass on, and only the
   * visitor was read again.
   */
  changed(visitorId: string, records: JournalRecord[], visitor: Visitor | undefined): void;
  /** Another process published a signal. */
  signal(node: string, signal: Signal): void;
  /**
   * This process starts hearing the others, or may have missed changes and signals (the connection that carries them
   * was lost and is back).
   */
  resync(): void;
}

export interface ChatStore {
  /** `journal` or `postgres`. */
  readonly kind: string;
  /** This process's view of what is stored. */
  readonly state: ChatState;
  /** The visitor with this widget id and bearer id (`secret`), loaded into `state` if it is stored. */
  find(widgetId: string, secret: string): Promise<Visitor | undefined>;
  /**
   * The visitor a verified identity belongs to: the one whose user token the site signed with this `sub` under the
   * widget id, loaded into `state` if it is stored. A commit that would give the identity to a second visitor is
   * refused (`StoreConflict`).
   */
  findIdentity(widgetId: string, sub: string): Promise<Visitor | undefined>;
  /** The visitor with this public id, loaded into `state` if it is stored. */
  get(id: string): Promise<Visitor | undefined>;
  /**
   * Writes the records (all about one visitor, or one new visitor) and applies them to `state`. A new visitor's
   * `number` is the store's to give: the record's is replaced by the next free one of its widget id. Rejects with
   * `StoreConflict` (nothing written), or with another error when storage failed (nothing may be relied on).
   * `webhooks`: events caused by the records, queued in the same transaction (all or nothing with them), for a store
   * that keeps the webhook queue (`webhookQueue`); another refuses them.
   */
  commit(records: JournalRecord[], webhooks?: readonly QueuedEvent[]): Promise<void>;
  /** Whether `commit` takes webhook events (the queue is the store's: PostgreSQL's `jivo_webhooks`). */
  readonly webhookQueue: boolean;
  /** Whether records were committed that are not durable yet (the server holds what it sends until they are). */
  readonly pending: boolean;
  /** Runs `callback` once everything committed so far is durable, with an error when that failed. */
  whenDurable(callback: (error: Error | null) => void): void;
  /** Call-back requests ever stored for a widget id (what its balance is spent on). */
  callCount(widgetId: string): number;
  /** This process's id among the processes that share the store. */
  readonly node: string;
  /**
   * Starts telling `events` what other processes do (a store of one process never calls it); resolves once this
   * process hears the others. `events.resync` runs then, and again after every lost connection.
   */
  listen(events: StoreEvents): Promise<void>;
  /** Tells the other processes, if any. */
  publish(signal: Signal): void;
  /** Ids of up to `limit` visitors with nothing new (hello, message, offline message, call) since `before`. */
  idleSince(before: number, limit: number): Promise<string[]>;
  /** Holds (at least) the `limit` visitors with the most recent activity in `state`. */
  preload(limit: number): Promise<void>;
  /**
   * Keeps a file of the visitor `file.visitorId` (which must be stored), durably before it resolves, whole or not at
   * all. Idempotent: a file with this id stored already is kept as it is (a retried upload stores nothing twice).
   * Erasing the visitor removes its files.
   */
  putFile(file: StoredFile, bytes: Buffer): Promise<void>;
  /** A stored file's fields, or null (no such file for this visitor). */
  fileInfo(visitorId: string, fileId: string): Promise<StoredFile | null>;
  /** A stored file with its bytes, or null. */
  readFile(visitorId: string, fileId: string): Promise<{ file: StoredFile; bytes: Buffer } | null>;
  /** Folds history into a snapshot now (the embedded store; others have nothing to do). */
  compact(): Promise<void>;
  /** Stops, after a last flush. */
  close(): Promise<void>;
}
