/**
 * Durable storage: an append-only journal of JSON lines (`<dataDir>/journal.jsonl`), replayed at start-up.
 *
 * `append` writes one whole line and `fdatasync`s it before it returns, so whatever the backend acknowledged after an
 * append survives a SIGKILL (and a power cut, as far as the disk keeps its promises). A crash in the middle of a write
 * leaves a torn last line: start-up drops it (truncating the file back to the last complete line) instead of failing,
 * and a line that is not JSON anywhere else is skipped with a warning. Without a data directory the journal keeps nothing
 * (in-memory mode).
 */
import { privateDir } from './files.js';
import {
  closeSync,
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
  /** Writes one record durably; throws when the disk refuses (the caller then acknowledges nothing). */
  append(record: object): void;
  close(): void;
}

export interface OpenedJournal {
  journal: Journal;
  /** The records found at start-up, oldest first (each one parsed JSON, not yet checked). */
  records: unknown[];
}

const memoryJournal: Journal = { append() {}, close() {} };

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
  const journal: Journal = {
    append(record) {
      if (closed) throw new Error('The journal is closed');
      const line = Buffer.from(`${needsNewline ? '\n' : ''}${JSON.stringify(record)}\n`, 'utf8');
      // Until this write is complete the file may end mid-line; the next append then starts on a fresh line.
      needsNewline = true;
      let written = 0;
      while (written < line.length) written += writeSync(fd, line, written, line.length - written);
      fdatasyncSync(fd);
      needsNewline = false;
    },
    close() {
      if (closed) return;
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
