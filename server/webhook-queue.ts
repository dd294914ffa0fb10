/**
 * The webhook deliveries still to make, on disk: `<dataDir>/webhooks.jsonl`, one JSON record per line.
 *
 *   {"k":"add","id":"<event id>","urls":["https://…"],"p":{…payload…}}   an event for these URLs (fdatasync'ed)
 *   {"k":"done","id":"<event id>","url":"https://…"}                    delivered there, or given up
 *
 * `add` is durable before it returns, so an event the backend emitted survives a SIGKILL. `done` is written but not
 * synced by itself (the next `add` syncs it): a crash may forget it, and the event is then delivered once more, which
 * receivers handle with `event_id`. At start-up the file is read, deliveries to URLs that are no longer configured are
 * dropped, and what is left is rewritten compactly (a new file renamed over the old); the file is emptied whenever
 * nothing is pending, and rewritten again when it has grown mostly of finished records. A line that is not a record (a
 * torn last write) is skipped with a warning. Without a data directory nothing is written.
 */
import { privateDir } from './files.js';
import { closeSync, fchmodSync, fdatasyncSync, ftruncateSync, openSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { isObj } from '../src/model/guards.js';
import { syncDirectory } from './store/journal.js';
import { readLines } from './store/lines.js';

export const WEBHOOK_QUEUE_FILE = 'webhooks.jsonl';

/** One event and the URLs still waiting for it (in the order they are configured). */
export interface QueuedEvent {
  id: string;
  urls: string[];
  payload: { event_name: string } & Record<string, unknown>;
}

export interface WebhookQueueFile {
  /** Writes the event durably; throws when the disk refuses. */
  add(event: QueuedEvent): void;
  /** The event is finished for `url` (delivered or given up). Never throws. */
  done(id: string, url: string): void;
  close(): void;
}

/**
 * The deliveries still to make, kept by a store that several processes share (store/postgres.ts, the `jivo_webhooks`
 * table) instead of the file: any process delivers, and one that dies loses none.
 */
export interface WebhookOutbox {
  /** Queues the events durably (an event already queued, by id and URL, is kept as it is). */
  add(events: QueuedEvent[]): Promise<void>;
  /**
   * Takes the oldest event still waiting for `url`, unless another process is delivering to that URL, and runs
   * `deliver` on it (`attempts`: how many failed before): `done` deletes it, `retryIn` keeps it for another attempt
   * that many ms later. `wait`: ms until the oldest one is due (0 after one was handled: go on); `idle`: nothing to do
   * here now.
   */
  next(
    url: string,
    deliver: (event: QueuedEvent, attempts: number) => Promise<'done' | { retryIn: number }>,
  ): Promise<{ wait: number } | { idle: true }>;
  /** Events waiting for at least one URL. */
  size(): Promise<number>;
  /**
   * Drops the oldest events until `keep` are left, passing over one that is being delivered (it stays, and the next
   * oldest goes in its place); resolves with how many went.
   */
  dropOldest(keep: number): Promise<number>;
}

/** Records written since the last rewrite before one is worth doing, and how many per pending delivery. */
const REWRITE_AFTER = 1000;

const memory: WebhookQueueFile = { add() {}, done() {}, close() {} };

/**
 * Opens (creating it if needed) the queue file in `dataDir` and returns it with the deliveries that were still pending,
 * oldest first, restricted to `urls`.
 */
export function openWebhookQueue(
  dataDir: string | null,
  urls: readonly string[],
  warn: (message: string) => void,
): { file: WebhookQueueFile; pending: QueuedEvent[] } {
  if (dataDir === null) return { file: memory, pending: [] };
  privateDir(dataDir);
  const path = join(dataDir, WEBHOOK_QUEUE_FILE);
  const events = new Map<string, QueuedEvent>();
  let skipped = 0;
  let dropped = 0;
  // A line at a time: the file is never read whole (security review F10).
  const { tail } = readLines(path, (line) => {
    if (!line.trim()) return;
    let r: unknown;
    try {
      r = JSON.parse(line);
    } catch {
      skipped++;
      return;
    }
    if (
      isObj(r) &&
      r.k === 'add' &&
      typeof r.id === 'string' &&
      Array.isArray(r.urls) &&
      isObj(r.p) &&
      typeof r.p.event_name === 'string'
    ) {
      events.set(r.id, {
        id: r.id,
        urls: r.urls.filter((u): u is string => typeof u === 'string'),
        payload: r.p as QueuedEvent['payload'],
      });
    } else if (isObj(r) && r.k === 'done' && typeof r.id === 'string') {
      const event = events.get(r.id);
      if (!event) return;
      event.urls = event.urls.filter((u) => u !== r.url);
      if (!event.urls.length) events.delete(r.id);
    } else skipped++;
  });
  // A last line without its newline: a write the process did not finish.
  if (tail.length) skipped++;
  for (const event of events.values()) {
    const wanted = event.urls.filter((u) => urls.includes(u));
    dropped += event.urls.length - wanted.length;
    if (wanted.length) event.urls = wanted;
    else events.delete(event.id);
  }
  if (skipped) warn(`${path}: skipped ${skipped} line(s) that are not webhook records`);
  if (dropped) warn(`${path}: dropped ${dropped} pending webhook delivery(ies) to URLs that are no longer configured`);

  let fd = -1;
  let written = 0;
  /** A write failed part-way: the next record starts on a new line, so that only the torn one is lost. */
  let torn = false;
  const line = (record: object) => Buffer.from(`${JSON.stringify(record)}\n`, 'utf8');
  const write = (record: Buffer) => {
    const buffer = torn ? Buffer.concat([Buffer.from('\n'), record]) : record;
    torn = true;
    for (let at = 0; at < buffer.length;) at += writeSync(fd, buffer, at, buffer.length - at);
    torn = false;
  };
  const addRecord = (e: QueuedEvent) => line({ k: 'add', id: e.id, urls: e.urls, p: e.payload });
  /** Replaces the file with the pending events alone (written aside, then renamed over it). */
  const rewrite = () => {
    const temp = `${path}.tmp`;
    const out = openSync(temp, 'w', 0o600);
    try {
      for (const e of events.values()) {
        const buffer = addRecord(e);
        for (let at = 0; at < buffer.length;) at += writeSync(out, buffer, at, buffer.length - at);
      }
      fdatasyncSync(out);
    } finally {
      closeSync(out);
    }
    renameSync(temp, path);
    syncDirectory(dataDir);
    if (fd !== -1) closeSync(fd);
    fd = openSync(path, 'a', 0o600);
    fchmodSync(fd, 0o600);
    written = 0;
    torn = false;
  };
  const pending = [...events.values()].map((e) => ({ ...e, urls: [...e.urls] }));
  rewrite();

  let closed = false;
  const file: WebhookQueueFile = {
    add(event) {
      if (closed) throw new Error('The webhook queue is closed');
      write(addRecord(event));
      fdatasyncSync(fd);
      written++;
      events.set(event.id, { ...event, urls: [...event.urls] });
    },
    done(id, url) {
      const event = events.get(id);
      if (closed || !event) return;
      event.urls = event.urls.filter((u) => u !== url);
      if (!event.urls.length) events.delete(id);
      try {
        if (events.size === 0) {
          ftruncateSync(fd, 0);
          written = 0;
          torn = false;
        } else if (written > REWRITE_AFTER && written > 4 * events.size) rewrite();
        else {
          write(line({ k: 'done', id, url }));
          written++;
        }
      } catch (error) {
        warn(
          `${path}: could not record a finished webhook delivery (${(error as Error).message}); it may be repeated after a restart`,
        );
      }
    },
    close() {
      if (closed) return;
      closed = true;
      closeSync(fd);
    },
  };
  return { file, pending };
}
