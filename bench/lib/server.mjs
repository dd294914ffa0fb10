// A tiny static file server for the bench pages, on a random localhost port. URL prefixes map to folders
// (`/dist/` → the built bundles, `/floor/` → the floor bundle in the cache, `/` → bench/pages). Scripts are served
// cacheable (max-age) and pages not, so a second load in the same browser context measures a warm HTTP cache.
// Pages may hold `{{NAME}}` placeholders, filled from `vars(searchParams)`: the bench's pages get the backend's
// address and a widget id this way, and reach the browser as plain static markup, as a site's pages do.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.json': 'application/json',
};

/** Starts the server; `mounts` is `{ '/prefix/': '/abs/folder' }`. Resolves to `{ url, close() }`. */
export async function serveStatic(mounts, vars = () => ({})) {
  const prefixes = Object.keys(mounts).sort((a, b) => b.length - a.length);
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = decodeURIComponent(url.pathname);
    const prefix = prefixes.find((p) => path.startsWith(p));
    const rel = prefix === undefined ? null : normalize(path.slice(prefix.length));
    if (rel === null || rel.startsWith('..') || rel.includes(`${sep}..`)) {
      res.writeHead(404).end();
      return;
    }
    try {
      let body = await readFile(join(mounts[prefix], rel || 'index.html'));
      const type = TYPES[extname(rel)] ?? 'application/octet-stream';
      if (type.startsWith('text/html')) {
        const values = vars(url.searchParams);
        body = Buffer.from(body.toString('utf8').replace(/\{\{(\w+)\}\}/g, (_, name) => values[name] ?? ''));
      }
      res.writeHead(200, {
        'content-type': type,
        'content-length': body.length,
        'cache-control': type.startsWith('text/html') ? 'no-cache' : 'public, max-age=3600',
      });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
