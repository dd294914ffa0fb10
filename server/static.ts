/**
 * The static part of the demo server: the demo page, the agent console and the built bundles, from one origin, under a
 * strict Content-Security-Policy (no inline scripts or styles anywhere), so the demo also proves that neither the widget
 * nor the console needs a CSP exception. Only files inside `<root>/console/public` (the console's page),
 * `<root>/demo/public` (the demo page) and `<root>/dist` are ever served.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
};

/** The WebSocket endpoints are on this origin, so connect-src 'self' is all the page and the console need. */
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  // Agents' photos are https addresses anywhere (model/site-profile.ts checkPhotoUrl); nothing else loads from afar.
  "img-src 'self' data: https:",
  "connect-src 'self'",
  "base-uri 'none'",
  "object-src 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/** URL path prefix → directories, searched in order. The first matching prefix wins. */
function routes(root: string): Array<[string, string[]]> {
  return [
    ['/dist/', [join(root, 'dist')]],
    ['/', [join(root, 'console', 'public'), join(root, 'demo', 'public')]],
  ];
}

/**
 * The files that may answer a decoded URL path, in order; empty when it would leave its directory (`..`, encoded or
 * not).
 */
export function resolveStatic(root: string, pathname: string): string[] {
  if (pathname.includes('\0')) return [];
  for (const [prefix, dirs] of routes(root)) {
    if (!pathname.startsWith(prefix)) continue;
    const files: string[] = [];
    for (const dir of dirs) {
      const file = normalize(join(dir, pathname.slice(prefix.length) || 'index.html'));
      if (!(file.startsWith(dir + sep) || file === dir)) return [];
      files.push(file);
    }
    return files;
  }
  return [];
}

/** The first candidate that is a file (a directory stands for its index.html), with its size; null when none. */
async function findFile(candidates: string[]): Promise<{ file: string; size: number } | null> {
  for (let file of candidates) {
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const info = await stat(file);
      if (info.isFile()) return { file, size: info.size };
    } catch {
      // not here; try the next directory
    }
  }
  return null;
}

export function staticHandler(root: string | null): (req: IncomingMessage, res: ServerResponse) => void {
  const notFound = (res: ServerResponse) =>
    res.writeHead(404, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');

  return async (req, res) => {
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      res.writeHead(400, SECURITY_HEADERS).end('Bad request');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...SECURITY_HEADERS, Allow: 'GET, HEAD' }).end();
      return;
    }
    if (pathname.startsWith('/ws/')) {
      res
        .writeHead(426, { ...SECURITY_HEADERS, Upgrade: 'websocket', 'Content-Type': 'text/plain; charset=utf-8' })
        .end('WebSocket endpoint');
      return;
    }
    if (root === null) return notFound(res);
    try {
      const found = await findFile(resolveStatic(root, pathname));
      if (!found) return notFound(res);
      const { file, size } = found;
      res.writeHead(200, {
        ...SECURITY_HEADERS,
        'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
        'Content-Length': size,
        'Cache-Control': 'no-cache',
      });
      if (req.method === 'HEAD') res.end();
      else
        createReadStream(file)
          .on('error', () => res.destroy())
          .pipe(res);
    } catch {
      if (!res.headersSent) notFound(res);
      else res.destroy();
    }
  };
}
