// Serves the examples: `npm run examples` (after a build), then open http://127.0.0.1:8100/. Each page is the
// example's index.html with its bundle (examples/build.mjs); /ssr/ is rendered per request by examples/ssr/server.tsx.
// test/examples/ opens every one in Chromium.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildExample, EXAMPLES, loadSsrServer } from './build.mjs';

const here = dirname(fileURLToPath(import.meta.url));

/** The visitor the SSR example's server knows (as a signed-in customer would be). */
export const SSR_VISITOR = { name: 'Ann Example', email: 'ann@example.com' };

/** Starts the examples' server; `port` 0 takes a free one. Resolves to its base URL and a `close()`. */
export async function startExamples({ port = 8100, host = '127.0.0.1' } = {}) {
  const bundles = new Map();
  let ssr = null;
  const bundle = (name) => {
    if (!bundles.has(name)) bundles.set(name, buildExample(name));
    return bundles.get(name);
  };
  const send = (res, status, type, body) => {
    res.writeHead(status, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' });
    res.end(body);
  };
  const server = createServer(async (req, res) => {
    try {
      const { pathname } = new URL(req.url ?? '/', 'http://localhost');
      const [, name, file] = /^\/([a-z]+)\/(main\.js)?$/.exec(pathname) ?? [];
      if (pathname === '/favicon.ico') return send(res, 204, 'text/plain', '');
      if (pathname === '/') {
        const links = Object.keys(EXAMPLES).map((n) => `<li><a href="/${n}/">${n}</a></li>`);
        return send(
          res,
          200,
          'text/html',
          `<!doctype html><title>jivo-widget examples</title><ul>${links.join('')}</ul>`,
        );
      }
      if (!name || !(name in EXAMPLES)) return send(res, 404, 'text/plain', 'not found');
      if (file) return send(res, 200, 'text/javascript', await bundle(name));
      if (name === 'ssr') {
        ssr ??= loadSsrServer();
        return send(res, 200, 'text/html', (await ssr).renderPage(SSR_VISITOR));
      }
      return send(res, 200, 'text/html', await readFile(join(here, name, 'index.html'), 'utf8'));
    } catch (error) {
      send(res, 500, 'text/plain', String(error?.stack ?? error));
    }
  });
  await new Promise((resolve) => server.listen(port, host, resolve));
  const url = `http://${host}:${server.address().port}`;
  return { url, close: () => new Promise((resolve) => server.close(resolve)) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { url } = await startExamples({ port: Number(process.env.PORT ?? 8100) });
  for (const name of Object.keys(EXAMPLES)) console.log(`${name.padEnd(7)} ${url}/${name}/`);
}
