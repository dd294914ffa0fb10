/**
 * The embedded store's files: `<dataDir>/files/<visitor id>/<file id>` (the bytes) beside `<file id>.json` (its
 * fields), each 0600 in 0700 folders, written aside, flushed and renamed into place, so a file is there whole or not
 * at all, bytes before fields (a file without fields is not served and is replaced by a retry). The journal's message
 * records refer to them by id. Erasing a visitor removes its folder; at start-up the folders of visitors that are no
 * longer stored (an erase the process did not finish) are removed too. Without a data directory they live in memory.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { isFileId, parseWireFile } from '../../src/model/files.js';
import { isId, isTime } from '../../src/model/guards.js';
import { privateDir, writePrivateFile } from '../files.js';
import type { StoredFile } from './store.js';

export const FILES_DIR = 'files';

export class Attachments {
  readonly #root: string | null;
  readonly #memory = new Map<string, Map<string, { file: StoredFile; bytes: Buffer }>>();

  constructor(dataDir: string | null) {
    this.#root = dataDir === null ? null : join(dataDir, FILES_DIR);
  }

  put(file: StoredFile, bytes: Buffer): void {
    if (!isId(file.visitorId) || !isFileId(file.id)) throw new Error('bad file id');
    if (this.#root === null) {
      let files = this.#memory.get(file.visitorId);
      if (!files) this.#memory.set(file.visitorId, (files = new Map()));
      if (!files.has(file.id)) files.set(file.id, { file, bytes: Buffer.from(bytes) });
      return;
    }
    const dir = join(this.#root, file.visitorId);
    if (existsSync(join(dir, `${file.id}.json`))) return;
    privateDir(this.#root);
    privateDir(dir);
    writePrivateFile(join(dir, file.id), bytes);
    writePrivateFile(join(dir, `${file.id}.json`), JSON.stringify(file));
  }

  info(visitorId: string, fileId: string): StoredFile | null {
    if (!isId(visitorId) || !isFileId(fileId)) return null;
    if (this.#root === null) return this.#memory.get(visitorId)?.get(fileId)?.file ?? null;
    try {
      const raw = JSON.parse(readFileSync(join(this.#root, visitorId, `${fileId}.json`), 'utf8')) as StoredFile;
      const wire = parseWireFile(raw);
      if (!wire || wire.id !== fileId || raw.visitorId !== visitorId || !isTime(raw.at)) return null;
      return { ...wire, visitorId, at: raw.at };
    } catch {
      return null;
    }
  }

  read(visitorId: string, fileId: string): { file: StoredFile; bytes: Buffer } | null {
    if (this.#root === null) return this.#memory.get(visitorId)?.get(fileId) ?? null;
    const file = this.info(visitorId, fileId);
    if (!file) return null;
    try {
      return { file, bytes: readFileSync(join(this.#root, visitorId, fileId)) };
    } catch {
      return null;
    }
  }

  /** Removes every file of the visitor. */
  erase(visitorId: string): void {
    this.#memory.delete(visitorId);
    if (this.#root !== null && isId(visitorId)) rmSync(join(this.#root, visitorId), { recursive: true, force: true });
  }

  /** Removes the folders of visitors `keep` does not know. */
  prune(keep: (visitorId: string) => boolean): void {
    if (this.#root === null || !existsSync(this.#root)) return;
    for (const name of readdirSync(this.#root)) if (!keep(name)) this.erase(name);
  }
}
