// The chat server's command line: the demo page, the agent console and the built bundles, plus the chat's
// WebSocket endpoints, all on one origin.
//   npm start                        builds, then runs dist/server/main.mjs (this file, bundled)
//   PORT (default 8000), HOST (default 127.0.0.1), DATA_DIR (default demo/data) from the environment;
//   WEBHOOK_URLS (comma-separated http/https URLs) and WEBHOOK_SECRET turn on webhooks (docs/webhooks.md)
//   CALLBACKS=off turns call backs off, CALL_BALANCE=n gives each widget id n call backs in all
//   PUBLIC_ORIGIN, ALLOWED_HOSTS, CONSOLE_ORIGINS, TRUSTED_PROXIES (comma-separated) and INSECURE_HTTP=1: where the
//   server is reached from (network.ts; required for any HOST other than loopback), docs/deploy.md
//   REGISTERED_SITES_ONLY=1 refuses widget ids that sites.json does not list (sites.ts)
//   `main.mjs agents …` and `main.mjs sites …` manage agent accounts and sites instead of starting the server;
//   `main.mjs --help` prints the usage. The package installs this file as the `jivo-widget-server` command.
// On first start with no agent account and a loopback address, it creates the demo admin `admin` and prints its
// password once. Imported as a module it starts nothing and exports startBackend (the tests use it).
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { accountsFile, agentsCommand } from './agents-cli.js';
import { PostgresStore } from './store/postgres.js';
import { parseWebhookUrls, projectRoot, startBackend } from './index.js';
import { isLoopback } from './network.js';
import { parseSites, sitesCommand, sitesDocument, sitesFile, SITES_FILE, type SiteList } from './sites.js';

const list = (v: string | undefined): string[] =>
  (v ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

export { startBackend, projectRoot, type Backend, type BackendOptions } from './index.js';

const USAGE = `jivo-widget-server: the jivo-widget chat server, with the demo page and the agent console

  jivo-widget-server                 start it (stop with Ctrl-C)
  jivo-widget-server agents …        manage agent accounts: list, add <login> <name> [--admin], password <login>,
                                     disable <login>, enable <login>
  jivo-widget-server sites …         the page origins each widget id may be used from: list,
                                     allow <widgetId> <origin>…, remove <widgetId>
  jivo-widget-server --help          this text

Settings come from the environment: PORT (default 8000), HOST (default 127.0.0.1), DATA_DIR (default demo/data
inside the package: set it, or an upgrade of the package loses the data), PUBLIC_ORIGIN (required for a HOST other
than loopback), ALLOWED_HOSTS, CONSOLE_ORIGINS, TRUSTED_PROXIES, INSECURE_HTTP, REGISTERED_SITES_ONLY, WEBHOOK_URLS,
WEBHOOK_SECRET, CALLBACKS=off, CALL_BALANCE=n. docs/deploy.md in the package describes each.`;

async function main(): Promise<void> {
  if (process.argv[2] === '--help' || process.argv[2] === '-h') {
    console.log(USAGE);
    return;
  }
  const root = projectRoot();
  if (!root) throw new Error('cannot find the project folder (package.json and demo/public)');
  const dataDir = process.env.DATA_DIR || join(root, 'demo', 'data');
  if (process.argv[2] === 'agents') {
    const database = process.env.DATABASE_URL;
    if (!database) {
      console.log(await agentsCommand(accountsFile(dataDir), process.argv.slice(3)));
      return;
    }
    const store = await PostgresStore.open({ url: database, warn: (m) => console.warn(m) });
    try {
      const shared = store.sharedAccounts(() => {});
      const { accounts } = await shared.load();
      console.log(await agentsCommand({ accounts, save: (list) => shared.saveAccounts(list) }, process.argv.slice(3)));
    } finally {
      await store.close();
    }
    return;
  }
  if (process.argv[2] === 'sites') {
    const database = process.env.DATABASE_URL;
    if (!database) {
      console.log(await sitesCommand(sitesFile(dataDir), process.argv.slice(3)));
      return;
    }
    const store = await PostgresStore.open({ url: database, warn: (m) => console.warn(m) });
    try {
      const doc = store.sharedDocument(SITES_FILE, () => {});
      const io = { sites: parseSites(await doc.load()), save: (sites: SiteList) => doc.save(sitesDocument(sites)) };
      console.log(await sitesCommand(io, process.argv.slice(3)));
    } finally {
      await store.close();
    }
    return;
  }
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
  const host = process.env.HOST || '127.0.0.1';
  const retentionDays = process.env.RETENTION_DAYS ? Number(process.env.RETENTION_DAYS) : null;
  if (retentionDays !== null && !(retentionDays > 0))
    throw new Error(`RETENTION_DAYS must be a number of days above 0, not ${process.env.RETENTION_DAYS}`);
  const compactAfterBytes = process.env.COMPACT_AFTER_BYTES ? Number(process.env.COMPACT_AFTER_BYTES) : undefined;
  if (compactAfterBytes !== undefined && !(Number.isSafeInteger(compactAfterBytes) && compactAfterBytes >= 0))
    throw new Error(`COMPACT_AFTER_BYTES must be a whole number of bytes, not ${process.env.COMPACT_AFTER_BYTES}`);
  const ratingWait = process.env.RATING_WAIT_SECONDS ? Number(process.env.RATING_WAIT_SECONDS) : undefined;
  if (ratingWait !== undefined && !(Number.isSafeInteger(ratingWait) && ratingWait >= 0))
    throw new Error(`RATING_WAIT_SECONDS must be a whole number of seconds, not ${process.env.RATING_WAIT_SECONDS}`);
  const backend = await startBackend({
    port,
    host,
    publicOrigin: process.env.PUBLIC_ORIGIN || null,
    allowedHosts: list(process.env.ALLOWED_HOSTS),
    consoleOrigins: list(process.env.CONSOLE_ORIGINS),
    trustedProxies: list(process.env.TRUSTED_PROXIES),
    insecureHttp: /^(1|true|yes|on)$/i.test(process.env.INSECURE_HTTP ?? ''),
    registeredSitesOnly: /^(1|true|yes|on)$/i.test(process.env.REGISTERED_SITES_ONLY ?? ''),
    dataDir,
    database: process.env.DATABASE_URL || null,
    retentionDays,
    compactAfterBytes,
    staticRoot: root,
    webhooks: urls.length ? { urls, secret } : undefined,
    callbacks: { enabled: !/^(0|false|off|no)$/i.test(process.env.CALLBACKS ?? ''), balance },
    ...(ratingWait === undefined ? {} : { limits: { ratingWaitMs: ratingWait * 1000 } }),
  });
  let firstAdmin: string | null = null;
  if (backend.accounts.list.length === 0 && isLoopback(host))
    firstAdmin = (await backend.accounts.add({ login: 'admin', name: 'Admin', role: 'admin' })).password;
  const shown = process.env.PUBLIC_ORIGIN || backend.url;
  console.log(`listening on:     ${backend.listening}${isLoopback(host) ? ' (this machine only)' : ''}`);
  console.log(`jivo-widget demo: ${shown}/`);
  console.log(`agent console:    ${shown}/agent.html`);
  if (firstAdmin) {
    console.log(`demo admin:       sign in as admin with ${firstAdmin}`);
    console.log('                  (shown once; `npm run agents -- password admin` makes a new one)');
  } else if (backend.accounts.list.length === 0) {
    console.log('no agent accounts: `node dist/server/main.mjs agents add <login> <name> --admin` creates one');
  }
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
