// The server bench's own parts that its figures rest on (bench/server/): the history it writes is what the server
// would have written (replayed whole, no record skipped), and its visitors stay under the server's per-address and
// per-site limits. Needs `node scripts/build.mjs` (dist/server/main.mjs).
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import WebSocket from 'ws';
import { compare } from '../../bench/server/scenarios/chaos.mjs';
import { freshSpace, STORES } from '../../bench/server/lib/stores.mjs';
import {
  addressOf,
  ORIGIN,
  VISITORS_PER_ADDRESS,
  VISITORS_PER_SITE,
  widgetIdOf,
  widgetIds,
} from '../../bench/server/lib/visitors.mjs';

const { startBackend } = await import(new URL('../../dist/server/main.mjs', import.meta.url).href);

/** Says hello as a widget of `widgetId` would, and resolves to the first frame back (the welcome). */
function hello(url, widgetId, visitorId) {
  const ws = new WebSocket(url, { origin: ORIGIN });
  return new Promise((resolve, reject) => {
    ws.once('error', reject);
    ws.once('message', (data) => resolve({ ws, welcome: JSON.parse(String(data)) }));
    ws.once('open', () =>
      ws.send(
        JSON.stringify({
          type: 'hello',
          v: 1,
          widgetId,
          visitorId,
          after: 0,
          page: { url: `${ORIGIN}/`, title: 'Bench shop' },
          department: null,
          lang: 'en',
        }),
      ),
    );
  });
}

const HISTORY = {
  visitors: 40,
  messages: 40 * 12 + 7,
  widgetIds: ['bench-0', 'bench-1', 'bench-2'],
  agentName: 'Bench Agent',
  origin: ORIGIN,
};

/** The sample visitor's welcome after the store's writer wrote HISTORY; `database` for PostgreSQL. */
async function replay(store, check) {
  const space = await freshSpace(store);
  const warnings = [];
  let backend;
  try {
    const history = await store.writeHistory(space.dataDir, HISTORY);
    assert.equal(history.sample.messages, 13, 'the first visitors get the messages that do not divide evenly');
    const env = store.env({ dataDir: space.dataDir });
    backend = await startBackend({
      port: 0,
      dataDir: env.DATA_DIR,
      database: env.DATABASE_URL,
      staticRoot: null,
      warn: (m) => warnings.push(m),
    });
    const { ws, welcome } = await hello(backend.visitorUrl, history.sample.widgetId, history.sample.visitorId);
    ws.terminate();
    assert.deepEqual(warnings, []);
    assert.equal(welcome.type, 'welcome');
    assert.equal(welcome.visitorNumber, 1);
    assert.deepEqual(
      welcome.messages.map((m) => [m.seq, m.from]),
      Array.from({ length: 13 }, (_, i) => [i + 1, i % 2 ? 'agent' : 'visitor']),
    );
    assert.equal(welcome.readSeq, 10);
    await check?.({ backend, env, history });
    assert.deepEqual(warnings, []);
    return welcome;
  } finally {
    await backend?.close();
    await space.remove();
  }
}

/** `[name, kind]` of every key of a JSON object, sorted: the shape of a `state` column or a message body. */
const shape = (o) =>
  Object.entries(o)
    .map(([k, v]) => [k, v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v])
    .sort(([a], [b]) => a.localeCompare(b));

describe('the server bench', () => {
  after(() => STORES.postgres.teardown());

  it('writes a journal history that the server replays whole, and welcomes its visitors with their messages', async () => {
    await replay(STORES.journal);
  });

  it('writes the same history into PostgreSQL in rows like the server’s own, which the server reads back', async () => {
    const journal = await replay(STORES.journal);
    const postgres = await replay(STORES.postgres, async ({ backend, env, history }) => {
      // A new visitor of the same site, stored by the server itself: it gets the number after the written ones, and
      // its rows have the shape of the writer's.
      // (The id it presents is one the server never issued: it gets one of its own.)
      const { ws, welcome } = await hello(backend.visitorUrl, history.sample.widgetId, 'a-visitor-of-the-server');
      const ownId = welcome.visitorId;
      assert.notEqual(ownId, 'a-visitor-of-the-server');
      assert.equal(welcome.visitorNumber, 15, 'bench-0 has 14 visitors in the history');
      const acked = new Promise((resolve) =>
        ws.on('message', (d) => JSON.parse(String(d)).type === 'ack' && resolve()),
      );
      ws.send(JSON.stringify({ type: 'message', id: 'its-message', text: 'Hello from the server' }));
      await acked;
      ws.terminate();
      const client = new pg.Client({ connectionString: env.DATABASE_URL });
      await client.connect();
      try {
        const visitors = await client.query(
          `SELECT secret, state, version::float8 AS version, last_activity::float8 AS activity,
                  created_at::float8 AS created FROM jivo_visitors WHERE secret IN ($1, $2)`,
          [history.sample.visitorId, ownId],
        );
        const [written, own] = ['sample', 'own'].map((which) =>
          visitors.rows.find((r) => (r.secret === ownId) === (which === 'own')),
        );
        assert.deepEqual(shape(written.state), shape(own.state));
        assert.equal(written.version, 3, 'changed three times: a read and an agent read written, the hello since');
        assert.deepEqual([written.state.readSeq, written.state.agentReadSeq], [10, 10]);
        assert.ok(written.activity > written.created, 'last_activity is its newest message');
        const bodies = await client.query(
          `SELECT m.body, m.sender, m.client_id FROM jivo_messages m JOIN jivo_visitors v ON v.id = m.visitor_id
           WHERE v.secret IN ($1, $2) AND m.sender = 'visitor' ORDER BY m.seq DESC`,
          [history.sample.visitorId, ownId],
        );
        const ownBody = bodies.rows.find((r) => r.client_id === 'its-message');
        const writtenBody = bodies.rows.find((r) => r.client_id !== 'its-message');
        assert.deepEqual(shape(writtenBody.body), shape(ownBody.body));
        assert.equal(writtenBody.client_id, writtenBody.body.id, 'a visitor message is keyed by its widget id');
        const agent = await client.query(
          `SELECT m.body, m.client_id FROM jivo_messages m JOIN jivo_visitors v ON v.id = m.visitor_id
           WHERE v.secret = $1 AND m.sender = 'agent' LIMIT 1`,
          [history.sample.visitorId],
        );
        assert.notEqual(agent.rows[0].client_id, agent.rows[0].body.id, 'an agent message is keyed by the console id');
        const sites = await client.query('SELECT widget_id, last_number::float8 AS n FROM jivo_sites ORDER BY 1');
        assert.deepEqual(
          sites.rows.map((r) => [r.widget_id, r.n]),
          [
            ['bench-0', 15],
            ['bench-1', 13],
            ['bench-2', 13],
          ],
        );
      } finally {
        await client.end();
      }
    });
    const same = (m) => [m.id, m.seq, m.from, m.text, m.agentName];
    assert.deepEqual(postgres.messages.map(same), journal.messages.map(same));
  });

  it('counts what a chaos run lost, stored twice, left a gap at or moved, from the widget’s acks and its history', () => {
    const widget = {
      moved: 0,
      acked: new Map([
        ['a', 1],
        ['b', 2],
        ['c', 3],
        ['d', 4],
      ]),
    };
    const history = (...messages) => ({ messages: messages.map(([id, seq]) => ({ id, seq })) });
    const whole = history(['a', 1], ['b', 2], ['c', 3], ['d', 4]);
    assert.deepEqual(compare(widget, whole), { stored: 4, lost: 0, duplicated: 0, gaps: 0, moved: 0, stranger: 0 });
    // c is gone (its place taken by d), b is there twice, and e was stored though no ack said so.
    const broken = history(['a', 1], ['b', 2], ['d', 3], ['b', 4], ['e', 6]);
    assert.deepEqual(compare(widget, broken), { stored: 5, lost: 1, duplicated: 1, gaps: 1, moved: 1, stranger: 1 });
  });

  it('spreads 20,000 visitors over loopback addresses and sites within the server’s new-visitor limits', () => {
    const perAddress = new Map();
    const perSite = new Map();
    for (let i = 0; i < 20_000; i++) {
      const address = addressOf(i);
      const octets = address.split('.').map(Number);
      assert.ok(octets[0] === 127 && octets[1] >= 1 && octets.every((o) => o >= 0 && o <= 255), address);
      assert.ok(octets[3] >= 1 && octets[3] <= 254, address);
      perAddress.set(address, (perAddress.get(address) ?? 0) + 1);
      perSite.set(widgetIdOf(i), (perSite.get(widgetIdOf(i)) ?? 0) + 1);
    }
    assert.equal(perAddress.size, 20_000 / VISITORS_PER_ADDRESS);
    assert.ok(Math.max(...perAddress.values()) <= VISITORS_PER_ADDRESS);
    assert.ok(Math.max(...perSite.values()) <= VISITORS_PER_SITE);
    assert.deepEqual([...perSite.keys()], widgetIds(20_000));
  });
});
