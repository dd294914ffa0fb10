/**
 * Files that hold what visitors and agents said or who they are: the data directory is 0700 and every file in it
 * 0600, whatever the umask (security review F15).
 */
import { chmodSync, closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';

/** Creates the data directory readable by its owner only (and tightens one that exists). */
export function privateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  try {
    chmodSync(dir, 0o700);
  } catch {
    // Not the owner: the files themselves are still 0600.
  }
}

/** Replaces `file` whole and durably, readable by its owner only. */
export function writePrivateFile(file: string, content: string | Uint8Array): void {
  const temp = `${file}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w', 0o600);
  try {
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
}
