/**
 * The embedded store: the state (state.ts) as a fold over the journal (journal.ts), and the compaction that keeps the
 * journal as small as the state. It needs no other process: the zero-setup choice for one machine.
 *
 * Compaction: once the live segment has grown as large as the last snapshot (and at least `compactAfterBytes`), the
 * live segment is closed, the state as of that moment is captured (each visitor's fields copied, its message count
 * noted: messages are only ever appended), and written out as a new snapshot while the server goes on: a megabyte at
 * a time, with the event loop free between writes. Start-up then reads at most about twice the live data, however
 * long the history (security review F3, F10).
 */
import type { AgentOfflineMessage } from '../agent-protocol.js';
import { openJournal, type Journal } from './journal.js';
import {
  ChatState,
  checkRecord,
  lastActivity,
  type JournalRecord,
  type Visitor,
  type VisitorStateRecord,
} from '../state.js';
import { Attachments } from './attachments.js';
import { StoreConflict, type ChatStore, type StoredFile } from './store.js';

export interface StoreOptions {
  /** Where the files live; null keeps everything in memory. */
  dataDir: string | null;
  /** The live segment's size, in bytes, below which no compaction starts. Default 32 MiB. */
  compactAfterBytes?: number;
  warn: (message: string) => void;
}

export const COMPACT_AFTER_BYTES = 32 * 1024 * 1024;

/** Bytes gathered before each write of a snapshot. */
const WRITE_CHUNK = 1 << 20;

export class EmbeddedStore implements ChatStore {
  readonly kind = 'journal';
  readonly state = new ChatState();
  readonly journal: Journal;
  readonly #files: Attachments;
  readonly #options: StoreOptions;
  readonly #compactAfter: number;
  #compacting: Promise<void> | null = null;
  /** Another compaction was asked for while one was running. */
  #again = false;
  /** Not before this time after a compaction failed. */
  #retryAt = 0;
  #closed = false;
  /** Compactions finished (for tests and measurements). */
  compactions = 0;

  constructor(options: StoreOptions) {
    this.#options = options;
    this.#compactAfter = options.compactAfterBytes ?? COMPACT_AFTER_BYTES;
    let skipped = 0;
    const { journal, closedSegments } = this.state.replay(() =>
      openJournal(options.dataDir, options.warn, (raw) => {
        const record = checkRecord(raw);
        if (!record || !this.state.apply(record)) skipped++;
      }),
    );
    this.journal = journal;
    this.#files = new Attachments(options.dataDir);
    // Files of visitors erased by a process that stopped before removing them.
    this.#files.prune((id) => this.state.visitors.has(id));
    if (skipped) options.warn(`skipped ${skipped} journal record(s) that did not fit`);
    // A compaction that a stop interrupted: finish it.
    if (closedSegments > 0) setImmediate(() => this.maybeCompact(true));
  }

  find(widgetId: string, secret: string): Promise<Visitor | undefined> {
    return Promise.resolve(this.state.find(widgetId, secret));
  }

  findIdentity(widgetId: string, sub: string): Promise<Visitor | undefined> {
    return Promise.resolve(this.state.findIdentity(widgetId, sub));
  }

  get(id: string): Promise<Visitor | undefined> {
    return Promise.resolve(this.state.visitors.get(id));
  }

  /**
   * Journal first, state second, all at once: what `commit` resolves on is written to the OS and applied; it is
   * durable once `whenDurable` says so (group commit, journal.ts).
   */
  commit(records: JournalRecord[]): Promise<void> {
    try {
      for (const record of records) {
        const refusal = this.state.refusal(record);
        if (refusal) throw new StoreConflict(refusal);
        const stored = record.k === 'visitor' ? { ...record, number: this.state.nextNumber(record.widgetId) } : record;
        this.journal.append(stored);
        if (!this.state.apply(stored))
          this.#options.warn(`journal record did not apply: ${JSON.stringify(stored).slice(0, 200)}`);
        if (stored.k === 'erase') this.#files.erase(stored.v);
      }
    } catch (error) {
      return Promise.reject(error as Error);
    }
    this.maybeCompact();
    return Promise.resolve();
  }

  get pending(): boolean {
    return this.journal.pending;
  }

  whenDurable(callback: (error: Error | null) => void): void {
    this.journal.whenDurable(callback);
  }

  putFile(file: StoredFile, bytes: Buffer): Promise<void> {
    try {
      if (!this.state.visitors.has(file.visitorId)) throw new Error(`no visitor ${file.visitorId}`);
      this.#files.put(file, bytes);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  fileInfo(visitorId: string, fileId: string): Promise<StoredFile | null> {
    return Promise.resolve(this.state.visitors.has(visitorId) ? this.#files.info(visitorId, fileId) : null);
  }

  readFile(visitorId: string, fileId: string): Promise<{ file: StoredFile; bytes: Buffer } | null> {
    return Promise.resolve(this.state.visitors.has(visitorId) ? this.#files.read(visitorId, fileId) : null);
  }

  callCount(widgetId: string): number {
    return this.state.callCount(widgetId);
  }

  /** One process: there is nobody to hear from or tell. */
  readonly node = 'local';
  listen(): Promise<void> {
    return Promise.resolve();
  }
  publish(): void {}

  idleSince(before: number, limit: number): Promise<string[]> {
    const ids: string[] = [];
    for (const v of this.state.visitors.values()) {
      if (ids.length >= limit) break;
      if (lastActivity(v) < before) ids.push(v.id);
    }
    return Promise.resolve(ids);
  }

  /** Everything is held already. */
  preload(): Promise<void> {
    return Promise.resolve();
  }

  /** Starts a compaction when the live segment has outgrown the snapshot (or `force`); one at a time. */
  maybeCompact(force = false): void {
    if (this.#closed || this.#options.dataDir === null) return;
    if (this.#compacting) {
      if (force) this.#again = true;
      return;
    }
    const { liveBytes, snapshotBytes } = this.journal;
    if (!force && (liveBytes < Math.max(this.#compactAfter, snapshotBytes) || Date.now() < this.#retryAt)) return;
    this.#compacting = this.#compact().finally(() => {
      this.#compacting = null;
      if (this.#again) {
        this.#again = false;
        this.maybeCompact(true);
      }
    });
  }

  /** Resolves when no compaction is running (for tests and a clean stop). */
  async settled(): Promise<void> {
    while (this.#compacting) await this.#compacting;
  }

  /** Compacts now, whatever the sizes (after the running compaction, if any); resolves when it is done. */
  compact(): Promise<void> {
    this.maybeCompact(true);
    return this.settled();
  }

  /** Rotates the live segment and writes the state as of now as the new snapshot. */
  async #compact(): Promise<void> {
    try {
      const through = this.journal.rotate();
      const capture = captureState(this.state);
      await this.journal.replaceSnapshot(through, (out) => writeCapture(this.state, capture, out));
      this.compactions++;
    } catch (error) {
      // The closed segments stay and are replayed at start-up; the next try waits a minute.
      this.#retryAt = Date.now() + 60_000;
      if (!this.#closed) this.#options.warn(`compaction failed: ${(error as Error).message}`);
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.settled();
    this.journal.close();
  }
}

interface Capture {
  sites: JournalRecord[];
  visitors: Array<{ visitor: Visitor; messages: number; state: VisitorStateRecord }>;
  offline: Array<{ visitor: Visitor; cid: string; o: AgentOfflineMessage }>;
}

/** The state as of now, in the little that is needed to write it out later while it changes. */
function captureState(state: ChatState): Capture {
  const visitors: Capture['visitors'] = [];
  const cidOf = new Map<AgentOfflineMessage, { visitor: Visitor; cid: string }>();
  for (const visitor of state.visitors.values()) {
    visitors.push({ visitor, messages: visitor.messages.length, state: state.stateRecord(visitor) });
    for (const [cid, o] of visitor.offlineIds) cidOf.set(o, { visitor, cid });
  }
  const offline: Capture['offline'] = [];
  for (const o of state.offlineMessages) {
    const owner = cidOf.get(o);
    if (owner) offline.push({ ...owner, o });
  }
  return { sites: state.sites(), visitors, offline };
}

/**
 * Writes a capture as records: each widget id's counters, each visitor (its `visitor` record, its messages, then its
 * `state`), then the offline messages in the order they came. A visitor erased since the capture is left out.
 */
async function writeCapture(state: ChatState, capture: Capture, out: (bytes: Buffer) => Promise<void>): Promise<void> {
  let lines: string[] = [];
  let size = 0;
  const flush = async () => {
    if (!lines.length) return;
    const chunk = Buffer.from(lines.join(''), 'utf8');
    lines = [];
    size = 0;
    await out(chunk);
  };
  const put = async (record: JournalRecord) => {
    const line = `${JSON.stringify(record)}\n`;
    lines.push(line);
    size += line.length;
    if (size >= WRITE_CHUNK) await flush();
  };
  const present = (v: Visitor) => state.visitors.get(v.id) === v;

  for (const site of capture.sites) await put(site);
  for (const { visitor: v, messages, state: record } of capture.visitors) {
    if (!present(v)) continue;
    await put({
      k: 'visitor',
      id: v.id,
      widgetId: v.widgetId,
      visitorId: v.secret,
      number: v.number,
      at: v.createdAt,
      page: null,
      department: null,
      lang: record.lang,
    });
    const cidOf = new Map<unknown, string>();
    for (const [cid, m] of v.agentMessageIds) cidOf.set(m, cid);
    for (let i = 0; i < messages; i++) {
      const m = v.messages[i];
      const cid = cidOf.get(m);
      await put(cid === undefined ? { k: 'message', v: v.id, m } : { k: 'message', v: v.id, m, cid });
    }
    await put(record);
  }
  for (const { visitor, cid, o } of capture.offline)
    if (present(visitor)) await put({ k: 'offline', v: o.visitorId, cid, o });
  await flush();
}
