/**
 * Reading a JSON-lines file a chunk at a time: no file the server reads is read whole (security review F3: a journal
 * grown to 749 MB no longer fitted in one string, and the server could not start again). Memory stays at one chunk
 * plus the longest line, whatever the file's size.
 */
import { closeSync, openSync, readSync } from 'node:fs';

/** Bytes read at a time. */
const CHUNK = 1 << 20;

export interface LinesRead {
  /** Whole lines seen (each one ended by a newline). */
  lines: number;
  /** Where the last whole line ends: bytes after it are a last line without its newline, or nothing. */
  end: number;
  /** What follows the last newline (empty when the file ends with one). */
  tail: Buffer;
}

/**
 * Calls `onLine` with each newline-terminated line of `path` (without the newline, decoded as UTF-8) and its 1-based
 * number, in order. What follows the last newline is not a line yet: it comes back as `tail`, for the caller to judge
 * (a write that a crash cut short, or a last record whose newline did not make it). A missing file reads as empty.
 */
export function readLines(path: string, onLine: (line: string, number: number) => void): LinesRead {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { lines: 0, end: 0, tail: Buffer.alloc(0) };
    throw error;
  }
  const chunk = Buffer.allocUnsafe(CHUNK);
  /** Bytes of a line that started in an earlier chunk. */
  let carry: Buffer[] = [];
  let carried = 0;
  let position = 0;
  let lines = 0;
  let end = 0;
  try {
    for (;;) {
      const read = readSync(fd, chunk, 0, CHUNK, position);
      if (read === 0) break;
      let start = 0;
      for (let nl = chunk.indexOf(0x0a, 0); nl !== -1 && nl < read; nl = chunk.indexOf(0x0a, start)) {
        const piece = chunk.subarray(start, nl);
        const line = carried ? Buffer.concat([...carry, piece], carried + piece.length) : piece;
        carry = [];
        carried = 0;
        lines++;
        end = position + nl + 1;
        onLine(line.toString('utf8'), lines);
        start = nl + 1;
      }
      if (start < read) {
        // Copied: the chunk is reused by the next read.
        carry.push(Buffer.from(chunk.subarray(start, read)));
        carried += read - start;
      }
      position += read;
    }
  } finally {
    closeSync(fd);
  }
  return { lines, end, tail: Buffer.concat(carry, carried) };
}
