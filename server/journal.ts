/**
 * Durable storage: an append-only journal of JSON lines (`<dataDir>/journal.jsonl`), replayed at start-up.
 *
 * Group commit: `append` writes one whole line (to the OS) and returns; `whenDurable(callback)` runs the callback once
 * every line appended so far is on disk. One `fdatasync`, off the event loop, covers everything appended since the
 * previous one, so a burst of records costs one disk flush instead of one each (security review F6: 500 sockets
 * stalled the loop 6 s). The hub sends nothing about a record before its flush, so whatever the backend acknowledged
 * survives a SIGKILL (and a power cut, as far as the disk keeps its promises). A crash in the middle of a write
 * leaves a torn last line: start-up drops it (truncating the file back to the last complete line) instead of failing,
 * and a line that is not JSON anywhere else is skipped with a warning. Without a data directory the journal keeps nothing
 * (in-memory mode).
 */
import { privateDir } from './files.js';
import {
  closeSync,
  fdatasync,
  fchmodSync,
  fdatasyncSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';

export const JOURNAL_FILE = 'journal.jsonl';

export interface Journal {
  /** Writes one record (not yet flushed); throws when the disk refuses (the caller then acknowledges nothing). */
  append(record: object): void;
  /** Whether records were appended that are not known to be on disk yet. */
  readonly pending: boolean;
  /**
   * Runs `callback` once everything appended so far is on disk (at once when nothing is pending), with an error when
   * the flush failed: then nothing appended since the last good flush may be relied on.
   */
  whenDurable(callback: (error: Error | null) => void): void;
  /** Flushes done so far (for measurements). */
  readonly syncs: number;
  close(): void;
}

export interface OpenedJournal {
  journal: Journal;
  /** The records found at start-up, oldest first (each one parsed JSON, not yet checked). */
  records: unknown[];
}

const memoryJournal: Journal = {
  append() {},
  pending: false,
  whenDurable: (callback) => callback(null),
  syncs: 0,
  close() {},
};

export function openJournal(dataDir: string | null, warn: (message: string) => void): OpenedJournal {
  if (dataDir === null) return { journal: memoryJournal, records: [] };
  // Every conversation and contact is in here: readable by the server's user only (security review F15).
  privateDir(dataDir);
  const path = join(dataDir, JOURNAL_FILE);

  let content = Buffer.alloc(0);
  try {
    content = readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const fd = openSync(path, 'a+', 0o600);
  fchmodSync(fd, 0o600);
  if (content.length === 0) syncDirectory(dataDir);

  // Everything up to the last newline is whole lines; what follows is empty, or a line whose write did not finish.
  const end = content.lastIndexOf(0x0a) + 1;
  const records: unknown[] = [];
  const lines = content.subarray(0, end).toString('utf8').split('\n');
  lines.pop();
  lines.forEach((line, index) => {
    if (!line.trim()) return;
    try {
      records.push(JSON.parse(line));
    } catch {
      warn(`${path}:${index + 1}: skipped a line that is not JSON`);
    }
  });
  let needsNewline = false;
  if (end < content.length) {
    const tail = content.subarray(end);
    let complete = false;
    try {
      records.push(JSON.parse(tail.toString('utf8')));
      complete = true;
    } catch {
      // A torn write: forget its bytes so that the next record starts on a clean line.
    }
    if (complete) needsNewline = true;
    else {
      warn(`${path}:${lines.length + 1}: skipped a torn last line (${tail.length} bytes)`);
      ftruncateSync(fd, end);
      fdatasyncSync(fd);
    }
  }

  let closed = false;
  /** Appended since the flush in flight (or the last one) started. */
  let dirty = false;
  let flushing = false;
  let syncs = 0;
  /** Callbacks waiting for the next flush, and for the one in flight. */
  let waiting: Array<(error: Error | null) => void> = [];
  let failure: Error | null = null;

  const flush = (): void => {
    if (flushing || closed || !waiting.length) return;
    if (!dirty) {
      const done = waiting;
      waiting = [];
      for (const cb of done) cb(failure);
      return;
    }
    flushing = true;
    dirty = false;
    const batch = waiting;
    waiting = [];
    fdatasync(fd, (error) => {
      flushing = false;
      syncs++;
      if (error) failure ??= error;
      for (const cb of batch) cb(failure);
      // What was appended meanwhile goes in the next flush.
      flush();
    });
  };

  const journal: Journal = {
    append(record) {
      if (closed) throw new Error('The journal is closed');
      if (failure) throw new Error(`The journal could not be flushed: ${failure.message}`);
      const line = Buffer.from(`${needsNewline ? '\n' : ''}${JSON.stringify(record)}\n`, 'utf8');
      // Until this write is complete the file may end mid-line; the next append then starts on a fresh line.
      needsNewline = true;
      let written = 0;
      while (written < line.length) written += writeSync(fd, line, written, line.length - written);
      needsNewline = false;
      dirty = true;
    },
    get pending() {
      return dirty || flushing;
    },
    whenDurable(callback) {
      if (!dirty && !flushing) return callback(failure);
      waiting.push(callback);
      // Gathers what the current turn of the event loop appends into this flush.
      if (waiting.length === 1) setImmediate(flush);
    },
    get syncs() {
      return syncs;
    },
    close() {
      if (closed) return;
      // A last flush, so that a clean stop loses nothing that was written.
      if (dirty) fdatasyncSync(fd);
      closed = true;
      closeSync(fd);
    },
  };
  return { journal, records };
}

/** Makes a newly created file's directory entry durable too (best effort: not every file system allows it). */
export function syncDirectory(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Directories cannot be opened for fsync on some platforms; the file's own fdatasync still holds its data.
  }
}
