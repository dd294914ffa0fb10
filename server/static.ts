/**
 * The static part of the demo server: the demo page, the agent console and the built bundles, from one origin, under a
 * strict Content-Security-Policy (no inline scripts or styles anywhere), so the demo also proves that neither the widget
 * nor the console needs a CSP exception. Only files inside `<root>/demo/public` and `<root>/dist` are ever served.
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
  "img-src 'self' data:",
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

/** URL path prefix → directory. The first matching prefix wins. */
function routes(root: string): Array<[string, string]> {
  return [
    ['/dist/', join(root, 'dist')],
    ['/', join(root, 'demo', 'public')],
  ];
}

/** The file for a decoded URL path, or null when it would leave its directory (`..`, encoded or not). */
export function resolveStatic(root: string, pathname: string): string | null {
  if (pathname.includes('\0')) return null;
  for (const [prefix, dir] of routes(root)) {
    if (!pathname.startsWith(prefix)) continue;
    const file = normalize(join(dir, pathname.slice(prefix.length) || 'index.html'));
    return file.startsWith(dir + sep) || file === dir ? file : null;
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
    let file = resolveStatic(root, pathname);
    try {
      if (file && (await stat(file)).isDirectory()) file = join(file, 'index.html');
      const info = file ? await stat(file) : null;
      if (!file || !info?.isFile()) return notFound(res);
      res.writeHead(200, {
        ...SECURITY_HEADERS,
        'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
        'Content-Length': info.size,
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
