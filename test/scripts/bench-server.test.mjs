// The server bench's own parts that its figures rest on (bench/server/): the history it writes is what the server
// would have written (replayed whole, no record skipped), and its visitors stay under the server's per-address and
// per-site limits. Needs `node scripts/build.mjs` (dist/server/main.mjs).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import WebSocket from 'ws';
import { STORES } from '../../bench/server/lib/stores.mjs';
import {
  addressOf,
  ORIGIN,
  VISITORS_PER_ADDRESS,
  VISITORS_PER_SITE,
  widgetIdOf,
  widgetIds,
} from '../../bench/server/lib/visitors.mjs';

const { startBackend } = await import(new URL('../../dist/server/main.mjs', import.meta.url).href);

describe('the server bench', () => {
  it('writes a journal history that the server replays whole, and welcomes its visitors with their messages', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'jivo-bench-test-'));
    const warnings = [];
    let backend;
    try {
      const history = await STORES.journal.writeHistory(dataDir, {
        visitors: 40,
        messages: 40 * 12 + 7,
        widgetIds: ['bench-0', 'bench-1', 'bench-2'],
        agentName: 'Bench Agent',
        origin: ORIGIN,
      });
      assert.equal(history.sample.messages, 13, 'the first visitors get the messages that do not divide evenly');
      backend = await startBackend({ port: 0, dataDir, staticRoot: null, warn: (m) => warnings.push(m) });
      assert.deepEqual(warnings, []);
      const ws = new WebSocket(backend.visitorUrl, { origin: ORIGIN });
      const welcome = await new Promise((resolve, reject) => {
        ws.once('error', reject);
        ws.once('message', (data) => resolve(JSON.parse(String(data))));
        ws.once('open', () =>
          ws.send(
            JSON.stringify({
              type: 'hello',
              v: 1,
              widgetId: history.sample.widgetId,
              visitorId: history.sample.visitorId,
              after: 0,
              page: { url: `${ORIGIN}/`, title: 'Bench shop' },
              department: null,
              lang: 'en',
            }),
          ),
        );
      });
      ws.terminate();
      assert.equal(welcome.type, 'welcome');
      assert.equal(welcome.visitorNumber, 1);
      assert.deepEqual(
        welcome.messages.map((m) => [m.seq, m.from]),
        Array.from({ length: 13 }, (_, i) => [i + 1, i % 2 ? 'agent' : 'visitor']),
      );
      assert.equal(welcome.readSeq, 10);
    } finally {
      await backend?.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
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
