/**
 * Attachments over HTTP (docs/protocol.md, "Files"):
 *
 *   POST /files?name=<file name>&upload=<client id>[&visitor=<visitor id>]   body: the file's bytes
 *        → 201 {"file": {id, name, size, type}} (200 with the same file when `upload` was stored already)
 *   GET  /files/<file id>[?visitor=<visitor id>]                               → the bytes
 *
 * A widget names its visitor with the headers `X-Jivo-Widget` and `X-Jivo-Visitor` (what its hello says), from a
 * page the site allows (sites.ts); an agent console sends its session cookie and the `visitor` whose conversation the
 * file is for. A visitor reaches only its own conversation's files, an agent any conversation's; anyone else gets 401.
 *
 * An upload is checked before anything is stored: the site's size limit (sites.json `files`, 10 MB by default), its
 * list of extensions, never an executable's extension, and the first bytes must be what the extension says (a PNG a
 * PNG; a program never passes). It is stored whole through the ChatStore or not at all, under an id made from the
 * visitor and the uploader's client id: a retried upload stores nothing twice. The message that carries it is a
 * normal `message` frame with `file: <id>` (exactly once by its own id).
 *
 * A file is served with its checked type, `X-Content-Type-Options: nosniff`, `Content-Security-Policy: default-src
 * 'none'` and `Content-Disposition: attachment` unless it is a raster image (then `inline`).
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  contentFits,
  extensionOf,
  fileName,
  fileRefusal,
  FILE_KINDS,
  isFileId,
  isInlineImage,
  type WireFile,
} from '../src/model/files.js';
import { isId, isStr } from '../src/model/guards.js';
import { LIMITS } from '../src/model/limits.js';
import type { Accounts } from './accounts.js';
import { sessionToken } from './auth-http.js';
import type { Network } from './network.js';
import { KeyedBuckets, type Rate } from './rate-limit.js';
import type { Sites } from './sites.js';
import type { ChatStore, StoredFile } from './store/store.js';

/** Uploads one client address may start. */
export const UPLOAD_RATE: Rate = { burst: 30, windowMs: 60_000 };

/** The headers a widget names its visitor with. */
export const WIDGET_HEADER = 'x-jivo-widget';
export const VISITOR_HEADER = 'x-jivo-visitor';

type Who = { kind: 'visitor'; visitorId: string; widgetId: string } | { kind: 'agent'; visitorId: string };

export interface UploadsOptions {
  store: ChatStore;
  sites: Sites;
  accounts: Accounts;
  network: Network;
  /** Called once a file is stored (for measurements and tests). */
  stored?: (file: StoredFile) => void;
}

const json = { 'Content-Type': 'application/json; charset=utf-8' };

/** The id a file gets: the same for the same visitor, uploader and client id, so a retry lands on the stored file. */
export function fileIdFor(visitorId: string, uploader: 'visitor' | 'agent', upload: string): string {
  return `f-${createHash('sha256').update(`${visitorId}\0${uploader}\0${upload}`).digest('base64url').slice(0, 32)}`;
}

/** `filename*` per RFC 6266 / 8187: UTF-8, percent-encoded, so no name can break out of the header. */
const dispositionName = (name: string) =>
  `filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16)}`)}`;

export class Uploads {
  readonly #o: UploadsOptions;
  readonly #perIp: KeyedBuckets;
  readonly #prune: ReturnType<typeof setInterval>;

  constructor(options: UploadsOptions, rate: Rate = UPLOAD_RATE) {
    this.#o = options;
    this.#perIp = new KeyedBuckets(rate);
    this.#prune = setInterval(() => this.#perIp.prune(), 60_000);
    this.#prune.unref();
  }

  close(): void {
    clearInterval(this.#prune);
  }

  /** Answers `/files` and `/files/*`; false when the path is not one of ours. */
  handle(req: IncomingMessage, res: ServerResponse, pathname: string): boolean {
    if (pathname !== '/files' && !pathname.startsWith('/files/')) return false;
    const base: Record<string, string> = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };
    const origin = req.headers.origin;
    if (origin !== undefined) {
      // Which origin may read the answer is decided per request below; a preflight may only learn what to send.
      base['Access-Control-Allow-Origin'] = origin;
      base.Vary = 'Origin';
      if (this.#o.network.consoleOriginAllowed(req)) base['Access-Control-Allow-Credentials'] = 'true';
    }
    if (req.method === 'OPTIONS') {
      res
        .writeHead(204, {
          ...base,
          'Access-Control-Allow-Methods': 'GET, POST',
          'Access-Control-Allow-Headers': 'Content-Type, X-Jivo-Widget, X-Jivo-Visitor',
          'Access-Control-Max-Age': '600',
        })
        .end();
      return true;
    }
    const fail = (status: number, error: string, message: string) => {
      if (!res.headersSent) res.writeHead(status, { ...base, ...json }).end(JSON.stringify({ error, message }));
    };
    const done = (p: Promise<void>) =>
      void p.catch((error: Error) => {
        this.#warn(error);
        fail(503, 'unavailable', 'The file could not be stored or read; try again');
      });
    if (req.method === 'POST' && pathname === '/files') done(this.#upload(req, res, base, fail));
    else if (req.method === 'GET' && pathname.startsWith('/files/'))
      done(this.#download(req, res, pathname.slice(7), base, fail));
    else fail(404, 'not_found', 'Not found');
    return true;
  }

  #warn(error: Error): void {
    console.warn(`jivo-backend: files: ${error.message}`);
  }

  /** Who asks, and for which visitor; null (the answer sent) when nobody we know. */
  async #who(req: IncomingMessage, query: URLSearchParams, fail: (s: number, e: string, m: string) => void) {
    const widgetId = req.headers[WIDGET_HEADER];
    const secret = req.headers[VISITOR_HEADER];
    if (typeof widgetId === 'string' || typeof secret === 'string') {
      if (!isStr(widgetId, LIMITS.widgetId) || !widgetId || !isId(secret)) {
        fail(401, 'unknown_visitor', 'Name the visitor with X-Jivo-Widget and X-Jivo-Visitor');
        return null;
      }
      const refusal = this.#o.sites.refusal(widgetId, req.headers.origin);
      if (refusal) {
        fail(403, 'origin_not_allowed', refusal);
        return null;
      }
      const visitor = await this.#o.store.find(widgetId, secret);
      if (!visitor) {
        fail(401, 'unknown_visitor', 'No such visitor; say hello on /ws/visitor first');
        return null;
      }
      return { kind: 'visitor', visitorId: visitor.id, widgetId } satisfies Who;
    }
    const visitorId = query.get('visitor');
    if (!this.#o.network.consoleOriginAllowed(req)) {
      fail(403, 'origin_not_allowed', 'Origin not allowed');
      return null;
    }
    const signedIn = await this.#o.accounts.sessionAnywhere(sessionToken(req));
    if (!signedIn) {
      fail(401, 'not_signed_in', 'Sign in first');
      return null;
    }
    const visitor = isId(visitorId) ? await this.#o.store.get(visitorId) : undefined;
    if (!visitor) {
      fail(404, 'unknown_visitor', 'No such visitor');
      return null;
    }
    return { kind: 'agent', visitorId: visitor.id } satisfies Who;
  }

  async #upload(
    req: IncomingMessage,
    res: ServerResponse,
    base: Record<string, string>,
    fail: (s: number, e: string, m: string) => void,
  ): Promise<void> {
    const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
    // The body waits until the upload is allowed; a refused one is read and dropped, so the client hears the answer
    // rather than a reset.
    req.pause();
    const refuse = async (status: number, error: string, message: string) => {
      await drain(req);
      fail(status, error, message);
    };
    if (!this.#perIp.take(this.#o.network.clientIp(req)))
      return refuse(429, 'rate_limited', 'Too many uploads; try again in a minute');
    const upload = query.get('upload');
    const name = fileName(query.get('name') ?? '');
    if (!isId(upload)) return refuse(400, 'bad_request', 'upload must be a client id of 1-64 letters, digits, _ or -');
    const who = await this.#who(req, query, (s, e, m) => void refuse(s, e, m));
    if (!who) return;
    const limits = this.#o.sites.fileLimits(who.kind === 'visitor' ? who.widgetId : '');
    const length = Number(req.headers['content-length'] ?? NaN);
    const early = fileRefusal(name, Number.isFinite(length) ? length : 1, limits);
    if (early) return refuse(early.code === 'file_too_large' ? 413 : 415, early.code, early.message);
    const id = fileIdFor(who.visitorId, who.kind, upload);
    const known = await this.#o.store.fileInfo(who.visitorId, id);
    if (known) {
      await drain(req);
      res.writeHead(200, { ...base, ...json }).end(JSON.stringify({ file: wire(known) }));
      return;
    }
    let bytes: Buffer;
    try {
      bytes = await readLimited(req, limits.maxBytes);
    } catch (error) {
      if ((error as Error).message === 'too large')
        return fail(413, 'file_too_large', fileRefusal(name, limits.maxBytes + 1, limits)!.message);
      return fail(400, 'bad_request', 'The upload was cut off');
    }
    const late = fileRefusal(name, bytes.length, limits);
    if (late) return fail(late.code === 'file_too_large' ? 413 : 415, late.code, late.message);
    const ext = extensionOf(name);
    if (!contentFits(ext, bytes.subarray(0, 64)))
      return fail(415, 'file_type', `The file's content is not a .${ext} file`);
    const file: StoredFile = {
      id,
      name,
      size: bytes.length,
      type: FILE_KINDS[ext].type,
      visitorId: who.visitorId,
      at: Date.now(),
    };
    await this.#o.store.putFile(file, bytes);
    this.#o.stored?.(file);
    res.writeHead(201, { ...base, ...json }).end(JSON.stringify({ file: wire(file) }));
  }

  async #download(
    req: IncomingMessage,
    res: ServerResponse,
    fileId: string,
    base: Record<string, string>,
    fail: (s: number, e: string, m: string) => void,
  ): Promise<void> {
    const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
    const who = await this.#who(req, query, fail);
    if (!who) return;
    const found = isFileId(fileId) ? await this.#o.store.readFile(who.visitorId, fileId) : null;
    if (!found) return fail(404, 'not_found', 'No such file in this conversation');
    const { file, bytes } = found;
    res
      .writeHead(200, {
        ...base,
        'Content-Type': file.type,
        'Content-Length': String(bytes.length),
        'Content-Disposition': `${isInlineImage(file.type) ? 'inline' : 'attachment'}; ${dispositionName(file.name)}`,
        'Content-Security-Policy': "default-src 'none'; sandbox",
        'Cross-Origin-Resource-Policy': 'same-origin',
        'Access-Control-Expose-Headers': 'Content-Disposition',
        'Cache-Control': 'private, no-store',
      })
      .end(bytes);
  }
}

const wire = (f: StoredFile): WireFile => ({ id: f.id, name: f.name, size: f.size, type: f.type });

/** Reads and drops what is left of a request body. */
function drain(req: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    if (req.readableEnded) return resolve();
    req.once('end', resolve);
    req.once('error', () => resolve());
    req.once('close', () => resolve());
    req.resume();
  });
}

/** Reads a request body of at most `max` bytes; past that it keeps reading but drops them, and rejects with 'too large'. */
function readLimited(req: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) chunks.push(chunk);
      else chunks.length = 0;
    });
    req.on('end', () => (size > max ? reject(new Error('too large')) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
    req.on('aborted', () => reject(new Error('aborted')));
    req.resume();
  });
}
