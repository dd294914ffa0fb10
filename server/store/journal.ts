/**
 * Durable storage for one machine: JSON lines in `<dataDir>`, replayed at start-up, compacted into a snapshot.
 *
 *   snapshot.jsonl       the state as records, as of the end of segment `through` (its first line says which)
 *   journal.<n>.jsonl    closed segments not yet folded into the snapshot (n = 1, 2, …)
 *   journal.jsonl        the live segment: every record since the last rotation
 *
 * Start-up reads the snapshot, then the closed segments after `through`, then the live segment, each a line at a
 * time (lines.ts), so it costs time in proportion to what the snapshot holds plus what was written since, and memory
 * in proportion to the state, never to the file (security review F3). Segments the snapshot already covers (a crash
 * between writing a snapshot and deleting them) are deleted unread. Compaction (store.ts) rotates the live segment,
 * writes a new snapshot aside and renames it over the old one, then deletes the segments it covers: a crash at any
 * point leaves either the old snapshot and every segment after it, or the new one.
 *
 * Group commit: `append` writes one whole line (to the OS) and returns; `whenDurable(callback)` runs the callback once
 * every line appended so far is on disk. One `fdatasync`, off the event loop, covers everything appended since the
 * previous one, so a burst of records costs one disk flush instead of one each (security review F6: 500 sockets
 * stalled the loop 6 s). The hub sends nothing about a record before its flush, so whatever the backend acknowledged
 * survives a SIGKILL (and a power cut, as far as the disk keeps its promises). A crash in the middle of a write
 * leaves a torn last line: start-up drops it (truncating the file back to the last complete line) instead of failing,
 * and a line that is not JSON anywhere else is skipped with a warning. Without a data directory the journal keeps
 * nothing (in-memory mode).
 */
import { privateDir } from '../files.js';
import {
  closeSync,
  fdatasync,
  fchmodSync,
  fdatasyncSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readdirSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { readLines } from './lines.js';

export const JOURNAL_FILE = 'journal.jsonl';
export const SNAPSHOT_FILE = 'snapshot.jsonl';
const SEGMENT = /^journal\.([1-9][0-9]{0,15})\.jsonl$/;
export const segmentFile = (n: number) => `journal.${n}.jsonl`;

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
  /** Bytes in the live segment: what a restart replays on top of the snapshot (besides closed segments). */
  readonly liveBytes: number;
  /** Bytes the last snapshot holds (0 when there is none). */
  readonly snapshotBytes: number;
  /**
   * Closes the live segment, durably, as `journal.<n>.jsonl` and starts an empty one; returns n. Everything appended
   * before is in that segment and on disk when this returns.
   */
  rotate(): number;
  /**
   * Makes `write`'s output the snapshot as of the end of segment `through` (written aside, flushed, renamed over the
   * old one), then deletes the segments it covers. `write` gets a function that appends bytes to the new file.
   */
  replaceSnapshot(through: number, write: (out: (bytes: Buffer) => Promise<void>) => Promise<void>): Promise<void>;
  close(): void;
}

export interface OpenedJournal {
  journal: Journal;
  /** Segments after the snapshot that a restart still replays besides the live one (a compaction is due). */
  closedSegments: number;
}

/** The first line of a snapshot. */
export interface SnapshotHeader {
  k: 'snapshot';
  /** The last segment the snapshot covers. */
  through: number;
  at: number;
}

const memoryJournal: Journal = {
  append() {},
  pending: false,
  whenDurable: (callback) => callback(null),
  syncs: 0,
  liveBytes: 0,
  snapshotBytes: 0,
  rotate: () => 0,
  replaceSnapshot: () => Promise.resolve(),
  close() {},
};

/**
 * Reads what is stored in `dataDir`, oldest first, handing each record (parsed JSON, not yet checked) to `onRecord`,
 * and opens the live segment for appending.
 */
export function openJournal(
  dataDir: string | null,
  warn: (message: string) => void,
  onRecord: (record: unknown) => void,
): OpenedJournal {
  if (dataDir === null) return { journal: memoryJournal, closedSegments: 0 };
  // Every conversation and contact is in here: readable by the server's user only (security review F15).
  privateDir(dataDir);
  const live = join(dataDir, JOURNAL_FILE);
  const snapshotPath = join(dataDir, SNAPSHOT_FILE);

  const parse = (file: string, line: string, number: number): unknown => {
    try {
      return JSON.parse(line);
    } catch {
      warn(`${file}:${number}: skipped a line that is not JSON`);
      return undefined;
    }
  };

  // The snapshot: a header, then records. One that fails to parse at its end was not renamed into place whole, which
  // cannot happen (it is flushed before the rename): it is reported, and what was read of it kept.
  let through = 0;
  const snap = readLines(snapshotPath, (line, number) => {
    const record = parse(snapshotPath, line, number);
    if (number === 1) {
      const header = record as Partial<SnapshotHeader> | undefined;
      if (header?.k === 'snapshot' && Number.isSafeInteger(header.through) && header.through! >= 0)
        through = header.through!;
      else warn(`${snapshotPath}:1: not a snapshot header; reading the records anyway`);
      return;
    }
    if (record !== undefined) onRecord(record);
  });
  const snapshotBytes = snap.end + snap.tail.length;
  if (snap.tail.length) warn(`${snapshotPath}: skipped a last line without its newline (${snap.tail.length} bytes)`);
  removeLeftovers(dataDir);

  const segments = listSegments(dataDir);
  let last = through;
  let closedSegments = 0;
  for (const n of segments) {
    const file = join(dataDir, segmentFile(n));
    if (n <= through) {
      // Folded into the snapshot already (a crash came before they were deleted).
      unlinkSync(file);
      continue;
    }
    closedSegments++;
    last = Math.max(last, n);
    const read = readLines(file, (line, number) => {
      const record = parse(file, line, number);
      if (record !== undefined) onRecord(record);
    });
    if (read.tail.length) readTail(file, read.tail, read.lines, warn, onRecord);
  }

  // The live segment. Everything up to the last newline is whole lines; what follows is empty, or a line whose write
  // did not finish.
  const read = readLines(live, (line, number) => {
    const record = parse(live, line, number);
    if (record !== undefined) onRecord(record);
  });
  const fd = openSync(live, 'a+', 0o600);
  fchmodSync(fd, 0o600);
  if (read.end === 0 && read.tail.length === 0) syncDirectory(dataDir);
  let needsNewline = false;
  if (read.tail.length) {
    if (readTail(live, read.tail, read.lines, warn, onRecord)) needsNewline = true;
    else {
      ftruncateSync(fd, read.end);
      fdatasyncSync(fd);
    }
  }

  const journal = new SegmentedJournal(dataDir, fd, read.end + read.tail.length, needsNewline, last, snapshotBytes);
  return { journal, closedSegments };
}

/** A last line without its newline: a record if it parses (its newline is added later), a torn write otherwise. */
function readTail(
  file: string,
  tail: Buffer,
  lines: number,
  warn: (message: string) => void,
  onRecord: (record: unknown) => void,
): boolean {
  try {
    onRecord(JSON.parse(tail.toString('utf8')));
    return true;
  } catch {
    // A torn write: forget its bytes so that the next record starts on a clean line.
    warn(`${file}:${lines + 1}: skipped a torn last line (${tail.length} bytes)`);
    return false;
  }
}

function listSegments(dataDir: string): number[] {
  return readdirSync(dataDir)
    .map((name) => SEGMENT.exec(name))
    .filter((m) => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
}

/** A snapshot being written when the process stopped. */
function removeLeftovers(dataDir: string): void {
  for (const name of readdirSync(dataDir)) if (name.startsWith(`${SNAPSHOT_FILE}.`)) unlinkSync(join(dataDir, name));
}

class SegmentedJournal implements Journal {
  readonly #dir: string;
  #fd: number;
  #needsNewline: boolean;
  #closed = false;
  /** Appended since the flush in flight (or the last one) started. */
  #dirty = false;
  #flushing = false;
  #syncs = 0;
  /** Callbacks waiting for the next flush, and for the one in flight. */
  #waiting: Array<(error: Error | null) => void> = [];
  #failure: Error | null = null;
  #liveBytes: number;
  #lastSegment: number;
  #snapshotBytes: number;

  constructor(dir: string, fd: number, liveBytes: number, needsNewline: boolean, last: number, snapshotBytes: number) {
    this.#dir = dir;
    this.#fd = fd;
    this.#liveBytes = liveBytes;
    this.#needsNewline = needsNewline;
    this.#lastSegment = last;
    this.#snapshotBytes = snapshotBytes;
  }

  append(record: object): void {
    if (this.#closed) throw new Error('The journal is closed');
    if (this.#failure) throw new Error(`The journal could not be flushed: ${this.#failure.message}`);
    const line = Buffer.from(`${this.#needsNewline ? '\n' : ''}${JSON.stringify(record)}\n`, 'utf8');
    // Until this write is complete the file may end mid-line; the next append then starts on a fresh line.
    this.#needsNewline = true;
    let written = 0;
    while (written < line.length) written += writeSync(this.#fd, line, written, line.length - written);
    this.#needsNewline = false;
    this.#dirty = true;
    this.#liveBytes += line.length;
  }

  get pending(): boolean {
    return this.#dirty || this.#flushing;
  }

  whenDurable(callback: (error: Error | null) => void): void {
    if (!this.#dirty && !this.#flushing) return callback(this.#failure);
    this.#waiting.push(callback);
    // Gathers what the current turn of the event loop appends into this flush.
    if (this.#waiting.length === 1) setImmediate(() => this.#flush());
  }

  get syncs(): number {
    return this.#syncs;
  }

  get liveBytes(): number {
    return this.#liveBytes;
  }

  get snapshotBytes(): number {
    return this.#snapshotBytes;
  }

  #flush(): void {
    if (this.#flushing || this.#closed || !this.#waiting.length) return;
    if (!this.#dirty) {
      const done = this.#waiting;
      this.#waiting = [];
      for (const cb of done) cb(this.#failure);
      return;
    }
    this.#flushing = true;
    this.#dirty = false;
    const batch = this.#waiting;
    this.#waiting = [];
    const fd = this.#fd;
    fdatasync(fd, (error) => {
      this.#flushing = false;
      this.#syncs++;
      if (error) this.#failure ??= error;
      for (const cb of batch) cb(this.#failure);
      // What was appended meanwhile goes in the next flush.
      this.#flush();
    });
  }

  rotate(): number {
    if (this.#closed) throw new Error('The journal is closed');
    const n = this.#lastSegment + 1;
    // One flush on the loop: everything written so far is on disk before the file changes name.
    fdatasyncSync(this.#fd);
    const live = join(this.#dir, JOURNAL_FILE);
    renameSync(live, join(this.#dir, segmentFile(n)));
    const fd = openSync(live, 'a+', 0o600);
    fchmodSync(fd, 0o600);
    syncDirectory(this.#dir);
    const old = this.#fd;
    this.#fd = fd;
    // A flush in flight on the old file still completes (its descriptor stays open until then).
    if (this.#flushing) setImmediate(() => this.#closeLater(old));
    else closeSync(old);
    this.#dirty = false;
    this.#needsNewline = false;
    this.#liveBytes = 0;
    this.#lastSegment = n;
    return n;
  }

  #closeLater(fd: number): void {
    if (this.#flushing) setImmediate(() => this.#closeLater(fd));
    else closeSync(fd);
  }

  async replaceSnapshot(
    through: number,
    write: (out: (bytes: Buffer) => Promise<void>) => Promise<void>,
  ): Promise<void> {
    const target = join(this.#dir, SNAPSHOT_FILE);
    const temp = `${target}.${process.pid}.tmp`;
    const file = await open(temp, 'w', 0o600);
    let bytes = 0;
    try {
      const header: SnapshotHeader = { k: 'snapshot', through, at: Date.now() };
      const out = async (chunk: Buffer) => {
        for (let at = 0; at < chunk.length;) at += (await file.write(chunk, at, chunk.length - at)).bytesWritten;
        bytes += chunk.length;
      };
      await out(Buffer.from(`${JSON.stringify(header)}\n`));
      await write(out);
      await file.datasync();
    } catch (error) {
      await file.close();
      await unlink(temp).catch(() => {});
      throw error;
    }
    await file.close();
    await rename(temp, target);
    syncDirectory(this.#dir);
    this.#snapshotBytes = bytes;
    for (const n of listSegments(this.#dir)) if (n <= through) await unlink(join(this.#dir, segmentFile(n)));
    syncDirectory(this.#dir);
  }

  close(): void {
    if (this.#closed) return;
    // A last flush, so that a clean stop loses nothing that was written.
    if (this.#dirty) fdatasyncSync(this.#fd);
    this.#closed = true;
    closeSync(this.#fd);
  }
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
