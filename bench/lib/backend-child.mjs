// Runs the reference backend (the built dist/server/main.mjs) in its own process for the bench, as a site's server
// would be: a random localhost port, a journal in the data folder given as argv[2] (so every ack waits for fdatasync,
// as in production), and no static files. The per-socket rate limits are raised (see docs/bench.md): at the defaults a
// burst of 1,000 messages would measure the limiter. Prints one JSON line with the addresses and the bench agent's
// sign-in (an account made here), then serves until killed.
import { startBackend } from '../../dist/server/main.mjs';

const many = { burst: 1_000_000, windowMs: 1000 };
const rates = { frames: many, messages: many, typing: many };
const backend = await startBackend({
  port: 0,
  host: '127.0.0.1',
  dataDir: process.argv[2],
  staticRoot: null,
  visitorRates: rates,
  agentRates: rates,
  // The bench's visitors all come from 127.0.0.1.
  connectionRate: many,
  limits: { messagesPerVisitor: many, newVisitorsPerIp: many, newVisitorsPerSite: many, callsPerIp: many },
  warn: (message) => console.error(`backend: ${message}`),
});
const { account, password } = await backend.accounts.add({ login: 'bench', name: 'Bench Agent' });
console.log(
  JSON.stringify({
    url: backend.url,
    visitorUrl: backend.visitorUrl,
    agentUrl: backend.agentUrl,
    agentLogin: { login: account.login, password },
  }),
);
process.on('SIGTERM', () => void backend.close().then(() => process.exit(0)));
