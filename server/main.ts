// The chat server's command line: the demo page, the agent console and the built bundles, plus the chat's
// WebSocket endpoints, all on one origin.
//   npm start                        builds, then runs dist/server/main.mjs (this file, bundled)
//   PORT (default 8000), HOST (default 127.0.0.1), DATA_DIR (default demo/data) from the environment;
//   WEBHOOK_URLS (comma-separated http/https URLs) and WEBHOOK_SECRET turn on webhooks (docs/webhooks.md)
//   CALLBACKS=off turns call backs off, CALL_BALANCE=n gives each widget id n call backs in all
// Imported as a module it starts nothing and exports startBackend (the tests use it).
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseWebhookUrls, projectRoot, startBackend } from './index.js';

export { startBackend, projectRoot, type Backend, type BackendOptions } from './index.js';

async function main(): Promise<void> {
  const root = projectRoot();
  if (!root) throw new Error('cannot find the project folder (package.json and demo/public)');
  const port = Number(process.env.PORT ?? 8000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number, not ${process.env.PORT}`);
  let urls: string[];
  try {
    urls = parseWebhookUrls(process.env.WEBHOOK_URLS ?? '');
  } catch (error) {
    throw new Error(`WEBHOOK_URLS: ${(error as Error).message}`, { cause: error });
  }
  const secret = process.env.WEBHOOK_SECRET || undefined;
  const balance = process.env.CALL_BALANCE ? Number(process.env.CALL_BALANCE) : null;
  if (balance !== null && !(Number.isInteger(balance) && balance >= 0))
    throw new Error(`CALL_BALANCE must be a whole number, not ${process.env.CALL_BALANCE}`);
  const backend = await startBackend({
    port,
    host: process.env.HOST || '127.0.0.1',
    dataDir: process.env.DATA_DIR || join(root, 'demo', 'data'),
    staticRoot: root,
    webhooks: urls.length ? { urls, secret } : undefined,
    callbacks: { enabled: !/^(0|false|off|no)$/i.test(process.env.CALLBACKS ?? ''), balance },
  });
  const shown = backend.url.replace('//0.0.0.0:', '//localhost:');
  console.log(`jivo-widget demo: ${shown}/`);
  console.log(`agent console:    ${shown}/agent.html`);
  console.log(`widget socket:    ${backend.visitorUrl}`);
  // Origins only: a webhook URL's path or query may hold a token.
  if (urls.length)
    console.log(`webhooks:         ${urls.map((u) => new URL(u).origin).join(', ')}${secret ? ' (signed)' : ''}`);

  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      void backend.close().then(() => process.exit(0));
    });
  }
}

const entry = process.argv[1];
let isMain = false;
try {
  isMain = entry !== undefined && import.meta.url === pathToFileURL(realpathSync(entry)).href;
} catch {
  // not started from a file
}
if (isMain) {
  main().catch((error: unknown) => {
    console.error(`jivo-widget demo: ${(error as Error).message}`);
    process.exit(1);
  });
}
