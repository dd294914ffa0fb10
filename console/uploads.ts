/**
 * An agent's file for a conversation, uploaded over HTTP with the session cookie (docs/protocol.md, "Files"):
 * `POST /files?name=&upload=<client id>&visitor=<visitor id>`. The client id names the upload on the server, so an
 * upload tried again with the same id stores nothing twice and answers with the file already stored.
 */
import type { WireFile } from '../src/transport/protocol.js';
import { parseWireFile } from '../src/model/files.js';

export type AgentUploadResult =
  | { ok: true; file: WireFile }
  /** The server will never take this file: the reason, said to the agent; not worth trying again. */
  | { ok: false; refused: string }
  /** Cancelled, offline, or the server failed: the agent may try again (same client id). */
  | { ok: false; refused: null; cancelled: boolean };

export interface AgentUpload {
  readonly done: Promise<AgentUploadResult>;
  abort(): void;
}

/** What the agent reads when the server refuses a file, by the server's error code. */
export function refusalText(name: string, code: string): string {
  switch (code) {
    case 'file_type':
      return `${name} was not sent: this type of file is not accepted.`;
    case 'file_too_large':
      return `${name} was not sent: the file is larger than the site accepts.`;
    case 'rate_limited':
      return `${name} was not sent: too many files at once. Try again in a minute.`;
    case 'not_signed_in':
      return `${name} was not sent: you are signed out.`;
    default:
      return `${name} was not sent: the server refused it.`;
  }
}

const FINAL = new Set(['file_type', 'file_too_large', 'bad_request', 'not_signed_in', 'rate_limited']);

/** Uploads `blob` for the conversation of `visitorId`; `progress` gets the share sent (0-1) as it goes. */
export function uploadAsAgent(
  base: string,
  visitorId: string,
  clientId: string,
  name: string,
  blob: Blob,
  progress: (share: number) => void,
): AgentUpload {
  const xhr = new XMLHttpRequest();
  let cancelled = false;
  const done = new Promise<AgentUploadResult>((resolve) => {
    const query = `name=${encodeURIComponent(name)}&upload=${encodeURIComponent(clientId)}&visitor=${encodeURIComponent(visitorId)}`;
    xhr.open('POST', `${base}/files?${query}`);
    xhr.withCredentials = true;
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => e.lengthComputable && e.total > 0 && progress(e.loaded / e.total);
    xhr.onerror = xhr.onabort = xhr.ontimeout = () => resolve({ ok: false, refused: null, cancelled });
    xhr.onload = () => {
      let body: { file?: unknown; error?: unknown } = {};
      try {
        body = JSON.parse(xhr.responseText) as typeof body;
      } catch {
        // Not the server's answer (a proxy's page): worth trying again.
      }
      const file = parseWireFile(body.file);
      if ((xhr.status === 200 || xhr.status === 201) && file) return resolve({ ok: true, file });
      if (typeof body.error === 'string' && FINAL.has(body.error)) return resolve({ ok: false, refused: body.error });
      resolve({ ok: false, refused: null, cancelled: false });
    };
    xhr.send(blob);
  });
  return {
    done,
    abort: () => {
      cancelled = true;
      xhr.abort();
    },
  };
}
