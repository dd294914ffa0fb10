/**
 * What the window does with a file the visitor attaches (the picker, a drop, a paste): checks it against what the
 * backend accepts and hands it to the store. Apart from the store on purpose: the launcher, which loads the store, does
 * not carry the file rules.
 */
import { DEFAULT_FILE_LIMITS, fileName, fileRefusal } from '../model/files.js';
import type { WidgetStore } from './store.js';
import type { ChatMessage, FileError } from './types.js';

/** Files a visitor may have waiting to be sent at once (their bytes are kept in the browser until then). */
export const MAX_PENDING_FILES = 5;

export function attachFile(store: WidgetStore, file: Blob & { name: string }): ChatMessage {
  const s = store.state;
  const name = fileName(file.name) || 'file';
  const waiting = s.messages.filter((m) => m.file && m.status === 'pending').length;
  const refusal: FileError | null =
    fileRefusal(name, file.size, s.fileLimits ?? DEFAULT_FILE_LIMITS)?.code ??
    (waiting >= MAX_PENDING_FILES ? 'too_many' : null);
  return store.sendFile(file, { name, size: file.size, type: file.type }, refusal);
}
