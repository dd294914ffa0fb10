// A web-test-runner plugin that runs the chat server (server/main.ts, bundled here with esbuild) for the
// integration tests, on a random localhost port with a temporary data folder, and lets tests stop, start and restart
// it through server commands:
//   import { executeServerCommand } from '@web/test-runner-commands';
//   const { visitorUrl, agentUrl } = await executeServerCommand('backend-info');
//   await executeServerCommand('backend-stop');   // the port stays reserved for the next start
//   await executeServerCommand('backend-start');  // same port, same data: a restart loses nothing
//   await executeServerCommand('backend-options', { callbacks: false }); // restart with these startBackend options
//   await executeServerCommand('backend-options', {});                   // back to the defaults
//   await executeServerCommand('backend-options', { fresh: true });      // the same, on an empty data directory
//   await executeServerCommand('backend-agent', { name: 'Alice' });      // { login, password } of that agent's account
//   await executeServerCommand('backend-identity', { widgetId, subs });  // { tokens: { [sub]: JWT } }: verified visitors
//   await executeServerCommand('site-profile', { widgetId, profile }); // sites.json's profile of a widget id (or null)
//   await executeServerCommand('webhook-receiver');  // { url } of an HTTP server here that records webhook bodies
//   await executeServerCommand('webhook-bodies');    // the bodies it received so far, oldest first
// The test pages' origin is a console origin of the backend, so a page may sign agents in (test/helpers/agent-client.ts).
import { build } from 'esbuild';
import { createHmac, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Bundles the chat server (npm packages stay imports) where Node resolves them from this checkout. */
async function loadServer() {
  const outfile = join(root, 'node_modules/.cache/jivo-wtr-backend/server.mjs');
  await build({
    entryPoints: [join(root, 'server/main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    tsconfig: join(root, 'tsconfig.server.json'),
    logLevel: 'warning',
  });
  return import(`${outfile}?t=${Date.now()}`);
}

export function backendPlugin() {
  let server;
  let backend = null;
  let port = 0;
  let dataDir;
  /** Extra startBackend options a test asked for (plain JSON). */
  let extra = {};
  /** The test runner's own origin: its pages sign agents in. */
  let pageOrigin;
  /** Passwords of the accounts made for tests, by account id (the accounts live in the data folder). */
  const passwords = new Map();
  /** A webhook receiver for tests that follow events out of the backend, and what it received. */
  let receiver = null;
  const bodies = [];

  async function startReceiver() {
    if (receiver) return receiver.url;
    const http = createServer((req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        try {
          bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch {
          // Not JSON: not the backend's.
        }
        res.writeHead(200).end('ok');
      });
    });
    await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
    receiver = { http, url: `http://127.0.0.1:${http.address().port}/hooks` };
    return receiver.url;
  }

  const info = () => ({
    running: backend !== null,
    url: backend?.url,
    visitorUrl: backend?.visitorUrl,
    agentUrl: backend?.agentUrl,
  });

  async function start() {
    if (backend) return;
    server ??= await loadServer();
    backend = await server.startBackend({
      ...extra,
      port,
      host: '127.0.0.1',
      dataDir,
      staticRoot: null,
      consoleOrigins: [pageOrigin],
      // Cheap hashes and loose sign-in throttles: tests sign agents in all the time.
      passwordCost: { N: 1024, r: 8, p: 1 },
      loginLimits: { perIp: { burst: 10000, windowMs: 1000 }, perAccount: { burst: 10000, windowMs: 1000 } },
      // Every test page comes from 127.0.0.1: per-address limits would count them all together.
      connectionRate: { burst: 100000, windowMs: 1000 },
      limits: {
        newVisitorsPerIp: { burst: 100000, windowMs: 1000 },
        newVisitorsPerSite: { burst: 100000, windowMs: 1000 },
        callsPerIp: { burst: 100000, windowMs: 1000 },
        ...extra.limits,
      },
      warn: () => {},
    });
    port = Number(new URL(backend.url).port);
  }

  async function stop() {
    const running = backend;
    backend = null;
    await running?.close();
  }

  return {
    name: 'jivo-backend',
    async serverStart({ config }) {
      pageOrigin = `http://${config.hostname}:${config.port}`;
      dataDir = mkdtempSync(join(tmpdir(), 'jivo-wtr-backend-'));
      await start();
    },
    async serverStop() {
      await stop();
      receiver?.http.closeAllConnections();
      receiver?.http.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
    async executeCommand({ command, payload }) {
      switch (command) {
        case 'backend-info':
          return info();
        case 'backend-stop':
          await stop();
          return info();
        case 'backend-start':
          await start();
          return info();
        case 'backend-agent': {
          await start();
          const name = String(payload?.name ?? '');
          const found = backend.accounts.list.find((a) => a.name === name);
          if (found && passwords.has(found.id)) return { login: found.login, password: passwords.get(found.id) };
          const login = `${name.toLowerCase().replace(/\s+/g, '-')}-${backend.accounts.list.length + 1}`;
          const role = payload?.role === 'admin' ? 'admin' : 'agent';
          const { account, password } = await backend.accounts.add({ login, name, role });
          passwords.set(account.id, password);
          return { login: account.login, password };
        }
        case 'backend-identity': {
          // Gives the widget id an identity secret in sites.json (as `sites identity <widgetId>` does), restarts the
          // server on it, and signs each sub as the site's server would (an HS256 JWT, server/identity.ts).
          const widgetId = String(payload?.widgetId ?? '');
          const file = join(dataDir, 'sites.json');
          let doc = { sites: {} };
          try {
            doc = JSON.parse(readFileSync(file, 'utf8'));
          } catch {
            // None yet.
          }
          doc.identity = { ...doc.identity };
          doc.identity[widgetId] ??= randomBytes(32).toString('base64url');
          writeFileSync(file, JSON.stringify(doc), { mode: 0o600 });
          await stop();
          await start();
          const enc = (v) => Buffer.from(JSON.stringify(v)).toString('base64url');
          const sign = (sub) => {
            const body = `${enc({ alg: 'HS256', typ: 'JWT' })}.${enc({ sub })}`;
            return `${body}.${createHmac('sha256', doc.identity[widgetId]).update(body).digest('base64url')}`;
          };
          const subs = Array.isArray(payload?.subs) ? payload.subs.map(String) : [];
          return { tokens: Object.fromEntries(subs.map((sub) => [sub, sign(sub)])) };
        }
        case 'backend-options': {
          const { fresh, ...options } = payload && typeof payload === 'object' ? payload : {};
          extra = options;
          await stop();
          // `fresh: true`: an empty data directory, for tests that count what the whole backend holds.
          if (fresh) {
            rmSync(dataDir, { recursive: true, force: true });
            dataDir = mkdtempSync(join(tmpdir(), 'jivo-wtr-backend-'));
            passwords.clear();
          }
          await start();
          return info();
        }
        case 'site-profile': {
          // Written as an admin's `sites team|greeting|channel` would; the running server reads it within a second.
          const file = join(dataDir, 'sites.json');
          let doc = { sites: {} };
          try {
            doc = JSON.parse(readFileSync(file, 'utf8'));
          } catch {
            // none yet
          }
          doc.profiles ??= {};
          if (payload.profile) doc.profiles[payload.widgetId] = payload.profile;
          else delete doc.profiles[payload.widgetId];
          writeFileSync(file, JSON.stringify(doc), { mode: 0o600 });
          return true;
        }
        case 'webhook-receiver':
          return { url: await startReceiver() };
        case 'webhook-bodies':
          return bodies;
        default:
          return undefined;
      }
    },
  };
}
