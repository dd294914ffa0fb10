/**
 * Files over HTTP beside the chat socket (docs/protocol.md, "Files"): uploads with progress and abort, the bytes of
 * files not yet sent kept in IndexedDB (so a reload does not lose them), and stored files fetched with the visitor's
 * credentials into `blob:` addresses (an `<img>` cannot send headers, and the page is on another origin).
 */
import type { WireFile } from '../model/files.js';
import { parseWireFile } from '../model/files.js';
import type { FileAccess } from '../state/attach.js';

/** The headers that name the visitor to the server: what its hello says. The one place that decides it. */
export function visitorCredentials(widgetId: string, visitorId: string): Record<string, string> {
  return { 'X-Jivo-Widget': widgetId, 'X-Jivo-Visitor': visitorId };
}

/** The HTTP origin of a WebSocket endpoint (`wss://chat.example/ws/visitor` → `https://chat.example`). */
export function httpOrigin(socketUrl: string): string | null {
  try {
    const url = new URL(socketUrl);
    if (url.protocol !== 'ws:' && url.protocol !== 'wss:') return null;
    return `${url.protocol === 'ws:' ? 'http:' : 'https:'}//${url.host}`;
  } catch {
    return null;
  }
}

export type UploadResult =
  | { ok: true; file: WireFile }
  /** The server will never take this file (its type, its size): not retried. */
  | { ok: false; refused: 'file_type' | 'file_too_large' | 'bad_file' }
  /** Aborted, offline, or the server failed: tried again later. */
  | { ok: false; refused: null };

export interface Upload {
  readonly done: Promise<UploadResult>;
  abort(): void;
}

/** Uploads `blob` as the file of message `id`; `progress` gets the share sent (0-1) as it goes. */
export function upload(
  origin: string,
  headers: Record<string, string>,
  id: string,
  name: string,
  blob: Blob,
  progress: (share: number) => void,
): Upload {
  const xhr = new XMLHttpRequest();
  const done = new Promise<UploadResult>((resolve) => {
    const again = { ok: false, refused: null } as const;
    xhr.open('POST', `${origin}/files?name=${encodeURIComponent(name)}&upload=${encodeURIComponent(id)}`);
    for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => e.lengthComputable && e.total > 0 && progress(e.loaded / e.total);
    xhr.onerror = xhr.onabort = xhr.ontimeout = () => resolve(again);
    xhr.onload = () => {
      let body: { file?: unknown; error?: unknown } = {};
      try {
        body = JSON.parse(xhr.responseText) as typeof body;
      } catch {
        // Not ours (a proxy's page): tried again later.
      }
      const file = parseWireFile(body.file);
      if ((xhr.status === 200 || xhr.status === 201) && file) return resolve({ ok: true, file });
      const code = body.error;
      if (code === 'file_type' || code === 'file_too_large' || code === 'bad_file')
        return resolve({ ok: false, refused: code });
      resolve(again);
    };
    xhr.send(blob);
  });
  return { done, abort: () => xhr.abort() };
}

const DB = 'jivo-widget-files';
const STORE = 'pending';

/**
 * The bytes of the visitor's files not yet sent, by widget id and message id, in IndexedDB: a reload (or another tab)
 * sends them. Bounded by the outbox (at most MAX_PENDING_FILES waiting per widget, each within the site's limit);
 * a file leaves once the backend stored its message, or when it is cancelled. Without IndexedDB (a private mode that
 * refuses it) the bytes live only as long as the page.
 */
export class FileOutbox {
  readonly #prefix: string;
  #db: Promise<IDBDatabase | null> | null = null;

  constructor(widgetId: string) {
    this.#prefix = `${widgetId}:`;
  }

  #open(): Promise<IDBDatabase | null> {
    this.#db ??= new Promise((resolve) => {
      try {
        const request = indexedDB.open(DB, 1);
        request.onupgradeneeded = () => request.result.createObjectStore(STORE);
        request.onsuccess = () => resolve(request.result);
        request.onerror = request.onblocked = () => resolve(null);
      } catch {
        resolve(null);
      }
    });
    return this.#db;
  }

  async #run<T>(mode: IDBTransactionMode, op: (store: IDBObjectStore) => IDBRequest<T>): Promise<T | undefined> {
    const db = await this.#open();
    if (!db) return undefined;
    return new Promise((resolve) => {
      try {
        const request = op(db.transaction(STORE, mode).objectStore(STORE));
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => resolve(undefined);
      } catch {
        resolve(undefined);
      }
    });
  }

  async save(id: string, blob: Blob): Promise<void> {
    await this.#run('readwrite', (s) => s.put(blob, this.#prefix + id));
  }

  async load(id: string): Promise<Blob | undefined> {
    const found = await this.#run<unknown>('readonly', (s) => s.get(this.#prefix + id));
    return found instanceof Blob ? found : undefined;
  }

  async remove(id: string): Promise<void> {
    await this.#run('readwrite', (s) => s.delete(this.#prefix + id));
  }

  /** Removes the files of this widget whose messages are not waiting any more (sent or cancelled in another tab). */
  async prune(keep: ReadonlySet<string>): Promise<void> {
    const keys = await this.#run('readonly', (s) => s.getAllKeys());
    for (const key of keys ?? [])
      if (typeof key === 'string' && key.startsWith(this.#prefix) && !keep.has(key.slice(this.#prefix.length)))
        await this.#run('readwrite', (s) => s.delete(key));
  }

  close(): void {
    void this.#db?.then((db) => db?.close());
  }
}

/** Stored files fetched with the visitor's credentials, each once, as `blob:` addresses revoked on `close`. */
export class FileFetcher implements FileAccess {
  readonly #origin: string;
  readonly #headers: () => Record<string, string>;
  readonly #urls = new Map<string, Promise<string>>();

  constructor(origin: string, headers: () => Record<string, string>) {
    this.#origin = origin;
    this.#headers = headers;
  }

  url(fileId: string): Promise<string> {
    let url = this.#urls.get(fileId);
    if (!url) {
      url = fetch(`${this.#origin}/files/${encodeURIComponent(fileId)}`, { headers: this.#headers() }).then(
        async (res) => {
          if (!res.ok) throw new Error(`the file could not be fetched (${res.status})`);
          return URL.createObjectURL(await res.blob());
        },
      );
      // A failure is not kept: the next look tries again.
      url.catch(() => this.#urls.delete(fileId));
      this.#urls.set(fileId, url);
    }
    return url;
  }

  close(): void {
    for (const url of this.#urls.values())
      void url.then(
        (u) => URL.revokeObjectURL(u),
        () => undefined,
      );
    this.#urls.clear();
  }
}
