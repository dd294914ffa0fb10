/**
 * The file actions: what the window does with a file the visitor attaches (the picker, a drop, a paste) and what the
 * transport reports of its upload. They apply the pure updates of attachments.ts through the store's `update`. Apart
 * from the store on purpose: the launcher, which loads the store, carries none of this.
 */
import { DEFAULT_FILE_LIMITS, fileName, fileRefusal, type FileLimits } from '../model/files.js';
import * as attachments from './attachments.js';
import type { WidgetStore } from './store.js';
import type { ChatMessage, FileError } from './types.js';

/** How the window reaches stored files: the transport fetches them with the visitor's credentials (connect.ts). */
export interface FileAccess {
  /** A `blob:` address of the stored file, fetched once and kept; rejects when it cannot be had. */
  url(fileId: string): Promise<string>;
  /** Lets go of every address handed out. */
  close?(): void;
}

const blobsOf = new WeakMap<WidgetStore, Map<string, Blob>>();
const accessOf = new WeakMap<WidgetStore, FileAccess>();

/**
 * The bytes of the visitor's files not yet uploaded, by message id, while this page has them (the transport also keeps
 * them in IndexedDB, so that a reload does not lose them). Not state: bytes are never rendered or persisted.
 */
export function blobs(store: WidgetStore): Map<string, Blob> {
  let map = blobsOf.get(store);
  if (!map) blobsOf.set(store, (map = new Map()));
  return map;
}

/** How this store's window fetches stored files; undefined without a backend that takes files. */
export const fileAccess = (store: WidgetStore): FileAccess | undefined => accessOf.get(store);

export function setFileAccess(store: WidgetStore, access: FileAccess): void {
  accessOf.get(store)?.close?.();
  accessOf.set(store, access);
}

/** Files a visitor may have waiting to be sent at once (their bytes are kept in the browser until then). */
export const MAX_PENDING_FILES = 5;

/**
 * The visitor attaches a file: a message of its own, pending until the transport has uploaded and sent it, or failed
 * at once with the reason when the backend would refuse it (a type, a size, too many waiting).
 */
export function attachFile(store: WidgetStore, file: Blob & { name: string }): ChatMessage {
  const s = store.state;
  const name = fileName(file.name) || 'file';
  const waiting = s.messages.filter((m) => m.file && m.status === 'pending').length;
  const refusal: FileError | null =
    fileRefusal(name, file.size, s.fileLimits ?? DEFAULT_FILE_LIMITS)?.code ??
    (waiting >= MAX_PENDING_FILES ? 'too_many' : null);
  let message!: ChatMessage;
  store.update((state, now, newId) => {
    const id = newId();
    // The bytes first: the transport keeps them in IndexedDB as soon as the message appears.
    if (!refusal) blobs(store).set(id, file);
    const outcome = attachments.sendFile(state, id, now, { name, size: file.size, type: file.type }, refusal);
    message = outcome[0].messages.at(-1)!;
    return outcome;
  });
  return message;
}

export const setUploadProgress = (store: WidgetStore, id: string, share: number | null): void =>
  store.update((s) => [attachments.setUploadProgress(s, id, share)]);

export const fileUploaded = (store: WidgetStore, id: string, fileId: string): void =>
  store.update((s) => [attachments.fileUploaded(s, id, fileId)]);

export function refuseFile(store: WidgetStore, id: string, error: FileError): void {
  blobs(store).delete(id);
  store.update((s) => [attachments.refuseFile(s, id, error)]);
}

/** Cancels a file not stored yet, or removes a refused one. */
export function removeMessage(store: WidgetStore, id: string): void {
  blobs(store).delete(id);
  store.update((s) => [attachments.removeMessage(s, id)]);
}

export const setFileLimits = (store: WidgetStore, limits: FileLimits | null): void =>
  store.update((s) => [s.fileLimits === limits ? s : { ...s, fileLimits: limits }]);
