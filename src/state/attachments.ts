/**
 * The conversation's files: a visitor's file is a message like any other (pending in the outbox, delivered once by its
 * id), whose bytes the transport uploads before it sends the message. Pure updates, as in conversation.ts.
 */
import type { Outcome } from './events.js';
import type { ChatFile, ChatMessage, FileError, WidgetState } from './types.js';

/**
 * Adds a message with the file, pending (the transport uploads the bytes, then sends it), or, when the file cannot be
 * sent (`refusal`: attach.ts decides), as a failed message that says why.
 */
export function sendFile(s: WidgetState, id: string, at: number, file: ChatFile, refusal: FileError | null): Outcome {
  const message: ChatMessage = refusal
    ? { id, from: 'visitor', text: '', at, status: 'failed', file, error: refusal }
    : { id, from: 'visitor', text: '', at, status: 'pending', file };
  if (refusal) return [{ ...s, messages: [...s.messages, message] }];
  return [
    { ...s, messages: [...s.messages, message], queued: [...s.queued, id] },
    { type: 'visitor-message', message, first: s.messages.length === 0, invited: s.invited },
  ];
}

/** How much of a file's upload is done (0-1); null when it ended. */
export function setUploadProgress(s: WidgetState, id: string, share: number | null): WidgetState {
  const current = s.uploads ?? {};
  if (share === null) {
    if (!(id in current)) return s;
    const uploads = { ...current };
    delete uploads[id];
    return { ...s, uploads };
  }
  return current[id] === share ? s : { ...s, uploads: { ...current, [id]: share } };
}

/** The backend stored the file of message `id` as `fileId`: the message itself can be sent now. */
export function fileUploaded(s: WidgetState, id: string, fileId: string): WidgetState {
  const index = s.messages.findIndex((m) => m.id === id);
  const m = s.messages[index];
  if (!m?.file || m.file.id === fileId) return s;
  const messages = s.messages.slice();
  messages[index] = { ...m, file: { ...m.file, id: fileId } };
  return setUploadProgress({ ...s, messages }, id, null);
}

/** The backend refused the file for good (`error` says why): the message fails and is not retried. */
export function refuseFile(s: WidgetState, id: string, error: FileError): WidgetState {
  const index = s.messages.findIndex((m) => m.id === id);
  if (index < 0) return s;
  const messages = s.messages.slice();
  messages[index] = { ...messages[index], status: 'failed', error };
  return setUploadProgress({ ...s, messages, queued: s.queued.filter((q) => q !== id) }, id, null);
}

/**
 * The visitor cancels a file that is not stored yet, or removes a refused one: it leaves the conversation and the
 * outbox. A message the backend numbered stays.
 */
export function removeMessage(s: WidgetState, id: string): WidgetState {
  const m = s.messages.find((x) => x.id === id);
  if (!m || m.seq !== undefined || m.from !== 'visitor') return s;
  return setUploadProgress(
    { ...s, messages: s.messages.filter((x) => x !== m), queued: s.queued.filter((q) => q !== id) },
    id,
    null,
  );
}
