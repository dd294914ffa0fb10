// The agent console's pages (docs/protocol.md, "Pages"): the welcome carries the active visitors and the recent ones,
// each with its newest messages, and the newest offline messages and calls; `older_*` requests fetch the rest, bounded
// in count and bytes, validated and rate limited. F4: however much is stored, the console gets its welcome.
import assert from 'node:assert/strict';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import { parseAgentServerFrame, AGENT_SERVER_FRAME_BYTES } from '../../server/agent-protocol.js';
import { OrderedIndex } from '../../server/ordered-index.js';
import { ChatState, checkRecord } from '../../server/state.js';
import { PostgresStore } from '../../server/store/postgres.js';
import {
  account,
  agent,
  agentSocket,
  backend,
  Client,
  freshDatabase,
  quiet,
  sleep,
  startBackend,
  tempDir,
  visitor,
  visitorIdFor,
  type Backend,
  type BackendOptions,
  type Frame,
} from './helpers.js';

const T = 1_764_000_000_000;
const vid = (i: number) => `v-${String(i).padStart(6, '0')}`;
const page = { url: 'https://shop.example/', title: 'Shop' };

/** Writes records as a journal (one JSON line each), a block at a time. */
async function writeJournal(dir: string, records: Iterable<object>): Promise<number> {
  const file = await open(join(dir, 'journal.jsonl'), 'w');
  let lines: string[] = [];
  let bytes = 0;
  for (const r of records) {
    lines.push(`${JSON.stringify(r)}\n`);
    if (lines.length >= 2000) {
      const chunk = lines.join('');
      bytes += Buffer.byteLength(chunk);
      await file.write(chunk);
      lines = [];
    }
  }
  const chunk = lines.join('');
  bytes += Buffer.byteLength(chunk);
  await file.write(chunk);
  await file.close();
  return bytes;
}

const visitorRecord = (i: number, at: number, widgetId = 'site') => ({
  k: 'visitor',
  id: vid(i),
  widgetId,
  visitorId: `secret-${i}`,
  number: i + 1,
  at,
  page,
  department: null,
  lang: 'en',
});
const message = (i: number, seq: number, at: number, text = `message ${seq}`) => ({
  k: 'message',
  v: vid(i),
  m: { id: `m-${i}-${seq}`, seq, from: 'visitor', text, at },
});
const offline = (i: number, at: number) => ({
  k: 'offline',
  v: vid(i),
  cid: `off-${i}`,
  o: {
    id: `o-${i}`,
    visitorId: vid(i),
    widgetId: 'site',
    visitorNumber: i + 1,
    page,
    at,
    name: `Name ${i}`,
    email: 'ann@example.com',
    phone: '',
    description: '',
    message: `Please call ${i}`,
  },
});

/**
 * 300 visitors, visitor i last active at about T + i s, each with one message the agents have read. Visitor 10 has 500
 * messages; 5 has an unread one, 7 is taken by an agent, 8 and 250-259 have open calls (active, though 5, 7 and 8 are
 * old); 100-219 have failed calls; 0-119 left an offline message.
 */
function* history(): Generator<object> {
  for (let i = 0; i < 300; i++) {
    const at = T + i * 1000;
    yield visitorRecord(i, at);
    const count = i === 10 ? 500 : 1;
    for (let seq = 1; seq <= count; seq++) yield message(i, seq, at + 1 + (i === 10 ? seq / 1000 : 0));
    if (i !== 5) yield { k: 'agent_read', v: vid(i), seq: count };
    if (i === 7) yield { k: 'accept', v: vid(i), by: 'Bob', id: 'ag-bob' };
    if (i < 120) yield offline(i, at + 4);
    if (i === 8 || (i >= 100 && i < 220) || (i >= 250 && i < 260))
      yield { k: 'call', v: vid(i), id: `call-${i}`, phone: '+14084987855', at: at + 3, page: null };
    if (i >= 100 && i < 220)
      yield {
        k: 'call_status',
        v: vid(i),
        id: `call-${i}`,
        status: 'failed',
        reason: 'No answer',
        at: at + 5,
        by: 'Bob',
      };
  }
}

async function start(t: TestContext, options: BackendOptions): Promise<Backend> {
  const b = await startBackend(options);
  t.after(() => b.close());
  return b;
}

/** Where a test's history is stored before its server starts: the journal, or a PostgreSQL database. */
interface Kind {
  name: string;
  /** Stores the records and returns the options that start a server on them. */
  seed(t: TestContext, records: Iterable<object>): Promise<BackendOptions>;
}

const KINDS: Kind[] = [
  {
    name: 'journal',
    async seed(t, records) {
      const dataDir = await tempDir(t);
      await writeJournal(dataDir, records);
      return { dataDir };
    },
  },
  {
    name: 'postgres',
    // Written straight into the database (PostgresStore.importState), as a journal is written straight to its file.
    async seed(t, records) {
      const database = await freshDatabase(t);
      const state = new ChatState();
      for (const raw of records) {
        const record = checkRecord(raw);
        assert.ok(record && state.apply(record), JSON.stringify(raw));
      }
      const store = await PostgresStore.open({ url: database, warn: quiet });
      await store.importState(state);
      await store.close();
      return { database, dataDir: null };
    },
  },
];

let requests = 0;
/** Sends an `older_*` request and waits for its reply (or the error that names its id). */
async function ask(client: Client, frame: Record<string, unknown>): Promise<Frame> {
  const id = `q-${++requests}`;
  client.send({ ...frame, id });
  return client.next((f) => f.id === id && (f.type === frame.type || f.type === 'error'));
}

/** Pages through a list to its end; returns every item, in the order received. */
async function pageAll(client: Client, type: string, key: string, cursor: string | null, extra = {}): Promise<Frame[]> {
  const items: Frame[] = [];
  while (cursor !== null) {
    const reply = await ask(client, { type, cursor, ...extra });
    assert.equal(reply.type, type, JSON.stringify(reply));
    items.push(reply[key]);
    cursor = reply.cursor;
  }
  return items;
}

const numbers = (visitors: Frame[]) => visitors.map((v: Frame) => v.number - 1);
const range = (from: number, to: number, step = 1) =>
  Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, k) => from + k * step);

test('the ordered index reads newest first from any point while keys move, come and go', () => {
  const index = new OrderedIndex<number>();
  // The same moves noted in bulk (as a start-up replays its history) and ordered once at the end.
  const bulk = new OrderedIndex<number>();
  bulk.bulk();
  const at = new Map<string, number>();
  // Park and Miller's generator: the same sequence every run.
  let seed = 7;
  const random = (n: number) => (seed = (seed * 16_807) % 2_147_483_647) % n;
  for (let step = 0; step < 20_000; step++) {
    const key = `k${random(3000)}`;
    const op = random(10);
    if (op === 0) {
      index.delete(key);
      bulk.delete(key);
      at.delete(key);
    } else {
      const when = random(op < 5 ? 100_000 : 5_000_000);
      index.touch(key, when, when);
      bulk.touch(key, when, when);
      at.set(key, Math.max(at.get(key) ?? -1, when));
    }
  }
  const expected = [...at].sort(([ka, a], [kb, b]) => b - a || (ka < kb ? 1 : -1)).map(([k]) => k);
  assert.deepEqual(
    [...index.newestFirst()].map((e) => e.key),
    expected,
  );
  assert.equal(index.size, expected.length);
  bulk.settle();
  assert.deepEqual(
    [...bulk.newestFirst()].map((e) => [e.key, e.at, e.value]),
    [...index.newestFirst()].map((e) => [e.key, e.at, e.value]),
  );
  // Settled, it keeps its order as keys move again.
  for (const i of [0, 7, 100]) bulk.touch(expected[expected.length - 1 - i], 6_000_000 + i, i);
  assert.deepEqual(
    [...bulk.newestFirst()].slice(0, 3).map((e) => e.key),
    [100, 7, 0].map((i) => expected[expected.length - 1 - i]),
  );
  // From any entry, or from a point between entries, the rest follows in order.
  for (const i of [0, 1, 500, expected.length - 2, expected.length - 1]) {
    const e = index.get(expected[i])!;
    assert.deepEqual(
      [...index.newestFirst(e)].map((x) => x.key),
      expected.slice(i + 1),
    );
    assert.deepEqual(
      [...index.newestFirst({ at: e.at, key: `${e.key}~` })].map((x) => x.key),
      expected.slice(i),
    );
  }
});

for (const kind of KINDS)
  test(`${kind.name}: the welcome carries the recent and the active visitors with their newest messages, and pages reach the rest`, async (t) => {
    const b = await start(t, await kind.seed(t, history()));
    const { client, welcome } = await agent(t, b, 'Alice');

    // The 50 most recently active, newest first, then the older active ones: an unread message, a taken chat, a call.
    assert.deepEqual(numbers(welcome.visitors), [...range(250, 299).reverse(), 8, 7, 5]);
    assert.ok(welcome.visitors.every((v: Frame) => v.messages.length === 1 && v.olderMessages === false));
    assert.equal(typeof welcome.cursors.visitors, 'string');
    assert.equal(welcome.cursors.activeVisitors, null);
    // The 50 newest offline messages, oldest first.
    assert.deepEqual(
      welcome.offlineMessages.map((o: Frame) => o.id),
      range(70, 119).map((i) => `o-${i}`),
    );
    // Every open call (8, 250-259) and the 50 newest calls, oldest first.
    assert.deepEqual(
      welcome.calls.map((c: Frame) => c.id),
      [8, ...range(180, 219), ...range(250, 259)].map((i) => `call-${i}`),
    );
    assert.equal(welcome.cursors.openCalls, null);
    assert.ok(parseAgentServerFrame(JSON.stringify(welcome)).ok);

    // The older visitors, a page at a time (100 at most, whatever the limit), down to the first.
    const pages = await pageAll(client, 'older_visitors', 'visitors', welcome.cursors.visitors, { limit: 1000 });
    assert.deepEqual(
      pages.map((p) => p.length),
      [100, 100, 50],
    );
    assert.deepEqual(numbers(pages.flat()), range(0, 249).reverse());
    const long = pages.flat().find((v: Frame) => v.id === vid(10));
    assert.deepEqual(
      long.messages.map((m: Frame) => m.seq),
      range(481, 500),
    );
    assert.equal(long.olderMessages, true);

    // Its older messages, before the first one shown: 50 by default, 200 at most.
    let reply = await ask(client, { type: 'older_messages', visitorId: vid(10), before: 481 });
    assert.deepEqual(
      reply.messages.map((m: Frame) => m.seq),
      range(431, 480),
    );
    assert.equal(reply.more, true);
    reply = await ask(client, { type: 'older_messages', visitorId: vid(10), before: 431, limit: 10_000 });
    assert.deepEqual(
      reply.messages.map((m: Frame) => m.seq),
      range(231, 430),
    );
    reply = await ask(client, { type: 'older_messages', visitorId: vid(10), before: 31, limit: 40 });
    assert.deepEqual(
      reply.messages.map((m: Frame) => m.seq),
      range(1, 30),
    );
    assert.equal(reply.more, false);
    reply = await ask(client, { type: 'older_messages', visitorId: vid(10), before: 1 });
    assert.deepEqual([reply.messages, reply.more], [[], false]);

    // Older offline messages and calls, each list whole once with the welcome's page, in order, nothing twice.
    const offlinePages = await pageAll(
      client,
      'older_offline_messages',
      'offlineMessages',
      welcome.cursors.offlineMessages,
    );
    assert.deepEqual(
      [...offlinePages.reverse().flat(), ...welcome.offlineMessages].map((o: Frame) => o.id),
      range(0, 119).map((i) => `o-${i}`),
    );
    // The older calls: the closed ones and the old open call of visitor 8, each once.
    const callPages = await pageAll(client, 'older_calls', 'calls', welcome.cursors.calls, { limit: 30 });
    assert.deepEqual(
      callPages.map((p) => p.length),
      [30, 30, 21],
    );
    assert.deepEqual(
      callPages
        .reverse()
        .flat()
        .map((c: Frame) => c.id),
      [8, ...range(100, 179)].map((i) => `call-${i}`),
    );
    reply = await ask(client, { type: 'older_calls', cursor: null, open: true, limit: 4 });
    assert.deepEqual(
      reply.calls.map((c: Frame) => c.id),
      [256, 257, 258, 259].map((i) => `call-${i}`),
    );
    reply = await ask(client, { type: 'older_calls', cursor: reply.cursor, open: true });
    assert.deepEqual(
      reply.calls.map((c: Frame) => c.id),
      [8, ...range(250, 255)].map((i) => `call-${i}`),
    );
    assert.equal(reply.cursor, null);
  });

for (const kind of KINDS)
  test(`${kind.name}: every list is capped in count and in bytes; the caps are options, and a cursor goes on where the cap stopped`, async (t) => {
    const seeded = await kind.seed(t, history());
    const consolePages = {
      visitors: 5,
      activeVisitors: 2,
      visitorMessages: 3,
      visitorMessageBytes: 10,
      items: 4,
      openCalls: 3,
      pageBytes: 2000,
    };
    const b = await start(t, { ...seeded, limits: { consolePages } });
    const { client, welcome } = await agent(t, b, 'Alice');
    // 5 recent visitors, and 2 of the active ones (each call makes a visitor active).
    assert.deepEqual(numbers(welcome.visitors), [299, 298, 297, 296, 295, 259, 258]);
    // 3 open calls (the cap), then the 4 newest calls: 3 of them were sent already, and call 256 (open) is new.
    assert.deepEqual(
      welcome.calls.map((c: Frame) => c.id),
      [256, 257, 258, 259].map((i) => `call-${i}`),
    );
    assert.equal(welcome.offlineMessages.length, 4);

    // The rest of the active visitors: the byte cap (2 000 here) stops each reply before its count of 50, and no reply
    // is larger than the cap and one more visitor.
    const sizes: number[] = [];
    client.ws.on('message', (data: Buffer) => sizes.push(data.length));
    const active = await pageAll(client, 'older_visitors', 'visitors', welcome.cursors.activeVisitors, {
      active: true,
    });
    assert.deepEqual(numbers(active.flat()), [...range(250, 257).reverse(), 8, 7, 5]);
    assert.ok(active.length >= 3, `${active.length} pages`);
    const largest = Math.max(...active.flat().map((v: Frame) => Buffer.byteLength(JSON.stringify(v))));
    for (const size of sizes) assert.ok(size <= consolePages.pageBytes + largest + 100, `${size} bytes`);

    // A visitor's messages: at most 3 and 10 bytes, but always the newest one.
    const long = await ask(client, { type: 'older_visitors', cursor: `${T + 11_000}~${vid(11)}`, limit: 1 });
    assert.equal(long.visitors[0].id, vid(10));
    assert.deepEqual(
      long.visitors[0].messages.map((m: Frame) => m.seq),
      [500],
    );
    assert.equal(long.visitors[0].olderMessages, true);
    // Older messages stop at the byte cap too (each message is about 80 bytes of JSON here).
    const messages = await ask(client, { type: 'older_messages', visitorId: vid(10), before: 500, limit: 200 });
    assert.ok(messages.messages.length > 10 && messages.messages.length < 40, `${messages.messages.length}`);
    assert.equal(messages.messages.at(-1).seq, 499);
    assert.equal(messages.more, true);
  });

for (const kind of KINDS)
  test(`${kind.name}: a cursor stays put while visitors come and move; an erased visitor leaves the lists`, async (t) => {
    // With the journal, in memory (the same store, no file to remove after the test).
    const seeded = kind.name === 'journal' ? {} : await kind.seed(t, []);
    const b = await backend(t, { ...seeded, limits: { consolePages: { visitors: 3 } } });
    const ids: string[] = [];
    const hellos: Frame[] = [];
    const watcher = await agent(t, b, 'Watcher');
    for (let i = 1; i <= 6; i++) {
      // Apart in time: visitors active in the same millisecond are ordered by id.
      await sleep(3);
      const v = await visitor(t, b);
      hellos.push(v.hello);
      ids.push((await watcher.client.next((f) => f.type === 'visitor' && f.visitor.number === i)).visitor.id);
      await v.client.close();
      await watcher.client.next((f) => f.type === 'visitor' && f.visitor.number === i && !f.visitor.online);
    }
    const alice = await agent(t, b, 'Alice');
    assert.deepEqual(
      alice.welcome.visitors.map((v: Frame) => v.number),
      [6, 5, 4],
    );
    const first = await ask(alice.client, { type: 'older_visitors', cursor: alice.welcome.cursors.visitors, limit: 2 });
    assert.deepEqual(
      first.visitors.map((v: Frame) => v.number),
      [3, 2],
    );
    // New visitors are newer than the cursor, and a visitor that comes back moves above it: the page after the cursor
    // goes on with visitor 1, nothing twice, nothing skipped that was below it.
    for (let i = 7; i <= 8; i++) {
      await sleep(3);
      const v = await visitor(t, b);
      assert.equal(v.welcome.visitorNumber, i);
      await v.client.close();
    }
    await sleep(3);
    await (await visitor(t, b, { visitorId: hellos[2].visitorId })).client.close();
    const second = await ask(alice.client, { type: 'older_visitors', cursor: first.cursor });
    assert.deepEqual(
      second.visitors.map((v: Frame) => v.number),
      [1],
    );
    assert.equal(second.cursor, null);
    // Visitor 3 came back: the next welcome has it first.
    const carol = await agent(t, b, 'Carol');
    assert.deepEqual(
      carol.welcome.visitors.map((v: Frame) => v.number),
      [3, 8, 7],
    );

    await account(b, 'Admin', 'admin');
    const admin = await agent(t, b, 'Admin');
    admin.client.send({ type: 'erase_visitor', visitorId: ids[2] });
    await alice.client.next((f) => f.type === 'visitor_erased');
    const again = await ask(alice.client, { type: 'older_visitors', cursor: null, limit: 10 });
    assert.deepEqual(
      again.visitors.map((v: Frame) => v.number),
      [8, 7, 6, 5, 4, 2, 1],
    );
  });

test('on PostgreSQL a console on one server pages the visitors another server served', async (t) => {
  const database = await freshDatabase(t);
  const limits = { consolePages: { visitors: 3 } };
  const [a, b] = await Promise.all(
    [0, 1].map(() => start(t, { port: 0, host: '127.0.0.1', staticRoot: null, warn: quiet, database, limits })),
  );
  assert.equal(a.store, 'postgres');
  // Twelve visitors on server B, one after another, each with a message the agents have read, gone again.
  const reader = await agent(t, b, 'Reader', true);
  for (let i = 1; i <= 12; i++) {
    await sleep(3);
    const v = await visitor(t, b, { visitorId: `pg-${i}` });
    v.client.send({ type: 'message', id: `pg-m${i}`, text: `Question ${i}` });
    await v.client.next('ack');
    const id = (await reader.client.next((f) => f.type === 'visitor' && f.visitor.number === i)).visitor.id;
    reader.client.send({ type: 'read', visitorId: id, seq: 1 });
    await reader.client.next((f) => f.type === 'visitor' && f.visitor.number === i && f.visitor.unread === 0);
    await v.client.close();
  }
  reader.client.terminate();
  // Server A never served them: its console reads them from the database, newest first, a page at a time.
  const alice = await agent(t, a, 'Alice');
  assert.deepEqual(
    alice.welcome.visitors.map((v: Frame) => v.number),
    [12, 11, 10],
  );
  const rest = await pageAll(alice.client, 'older_visitors', 'visitors', alice.welcome.cursors.visitors, { limit: 4 });
  assert.deepEqual(
    rest.flat().map((v: Frame) => v.number),
    [9, 8, 7, 6, 5, 4, 3, 2, 1],
  );
  const messages = await ask(alice.client, { type: 'older_messages', visitorId: rest[0][0].id, before: 2 });
  assert.deepEqual(
    messages.messages.map((m: Frame) => m.text),
    ['Question 9'],
  );
});

test('on PostgreSQL the pages go back through everything stored, far past what a server holds in memory', async (t) => {
  // 2 500 visitors, more than a server ever reads ahead (the 1 000 most recent): every third with an offline message
  // and every fifth with a failed call; visitor 3 with 300 messages.
  const n = 2500;
  const seeded = await KINDS[1].seed(
    t,
    (function* () {
      for (let i = 0; i < n; i++) {
        const at = T + i * 1000;
        yield visitorRecord(i, at);
        const count = i === 3 ? 300 : 1;
        for (let seq = 1; seq <= count; seq++) yield message(i, seq, at + 1 + seq / 1000);
        yield { k: 'agent_read', v: vid(i), seq: count };
        if (i % 3 === 0) yield offline(i, at + 4);
        if (i % 5 === 0) {
          yield { k: 'call', v: vid(i), id: `call-${i}`, phone: '+14084987855', at: at + 3, page: null };
          yield { k: 'call_status', v: vid(i), id: `call-${i}`, status: 'failed', reason: null, at: at + 5, by: 'Bob' };
        }
      }
    })(),
  );
  const b = await start(t, { ...seeded, limits: { consolePages: { rate: { burst: 1000, windowMs: 1000 } } } });
  const { client, welcome } = await agent(t, b, 'Alice');
  assert.deepEqual(numbers(welcome.visitors), range(n - 50, n - 1).reverse());
  const visitors = await pageAll(client, 'older_visitors', 'visitors', welcome.cursors.visitors, { limit: 100 });
  assert.equal(visitors.length, 25);
  assert.deepEqual(numbers(visitors.flat()), range(0, n - 51).reverse());
  const deep = visitors.flat().find((v: Frame) => v.id === vid(3));
  assert.deepEqual(
    [deep.messages.map((m: Frame) => m.seq), deep.olderMessages, deep.unread],
    [range(281, 300), true, 0],
  );
  const older = await ask(client, { type: 'older_messages', visitorId: vid(3), before: 281, limit: 200 });
  assert.deepEqual(
    older.messages.map((m: Frame) => m.seq),
    range(81, 280),
  );
  assert.equal(older.more, true);

  const offlinePages = await pageAll(
    client,
    'older_offline_messages',
    'offlineMessages',
    welcome.cursors.offlineMessages,
    { limit: 200 },
  );
  assert.deepEqual(
    [...offlinePages.reverse().flat(), ...welcome.offlineMessages].map((o: Frame) => o.id),
    range(0, n - 1, 3).map((i) => `o-${i}`),
  );
  const callPages = await pageAll(client, 'older_calls', 'calls', welcome.cursors.calls, { limit: 200 });
  assert.deepEqual(
    [...callPages.reverse().flat(), ...welcome.calls].map((c: Frame) => c.id),
    range(0, n - 1, 5).map((i) => `call-${i}`),
  );
  // No call is open: the open list is empty from the start.
  const open = await ask(client, { type: 'older_calls', cursor: null, open: true });
  assert.deepEqual([open.calls, open.cursor], [[], null]);
});

test('on PostgreSQL the welcome carries the active conversations another server holds', async (t) => {
  const database = await freshDatabase(t);
  const options = { port: 0, host: '127.0.0.1', staticRoot: null, warn: quiet, database };
  const limits = { consolePages: { visitors: 5 } };
  const [a, b] = await Promise.all([0, 1].map(() => start(t, { ...options, limits })));
  // On server B: a visitor whose chat Bob has taken and answered, and one who is only online. Nobody is signed in on
  // server A meanwhile, so A reads neither of them.
  const bob = await agent(t, b, 'Bob', true);
  const taken = await visitor(t, b);
  taken.client.send({ type: 'message', id: 'q-1', text: 'Is this in stock?' });
  await taken.client.next('ack');
  const takenId = await visitorIdFor(bob.client, 1, 'site');
  bob.client.send({ type: 'message', visitorId: takenId, id: 'r-1', text: 'Yes, it is.' });
  await bob.client.next('ack');
  const online = await visitor(t, b);
  const onlineId = await visitorIdFor(bob.client, 2, 'site');
  // Then 20 visitors newer than both, seen and gone, with nothing to answer: the welcome's recent page is theirs.
  const seeded = new ChatState();
  const now = Date.now() + 60_000;
  for (let i = 0; i < 20; i++) {
    seeded.apply(checkRecord({ ...visitorRecord(i, now + i, 'other'), number: i + 1 })!);
  }
  const store = await PostgresStore.open({ url: database, warn: quiet });
  await store.importState(seeded);
  await store.close();

  // Server A hears B's presence within its signals; until then the online visitor is not active there.
  let welcome: Frame = null;
  for (let attempt = 0; attempt < 50; attempt++) {
    const alice = await agent(t, a, 'Alice');
    welcome = alice.welcome;
    alice.client.terminate();
    if (welcome.visitors.some((v: Frame) => v.id === onlineId)) break;
    await sleep(100);
  }
  assert.deepEqual(
    welcome.visitors.slice(0, 5).map((v: Frame) => v.id),
    [19, 18, 17, 16, 15].map(vid),
  );
  const byId = new Map(welcome.visitors.slice(5).map((v: Frame) => [v.id, v]));
  assert.deepEqual([...byId.keys()], [onlineId, takenId]);
  const shown = byId.get(takenId) as Frame;
  assert.deepEqual(
    [shown.acceptedBy, shown.online, shown.unread, shown.messages.map((m: Frame) => m.text)],
    ['Bob', true, 0, ['Is this in stock?', 'Yes, it is.']],
  );
  assert.equal((byId.get(onlineId) as Frame).online, true);
  // Gone from B: the visitor who only looked is no longer active; the taken chat still is.
  await online.client.close();
  let after: Frame = null;
  for (let attempt = 0; attempt < 50; attempt++) {
    const alice = await agent(t, a, 'Alice');
    after = alice.welcome;
    alice.client.terminate();
    if (!after.visitors.some((v: Frame) => v.id === onlineId)) break;
    await sleep(100);
  }
  assert.deepEqual(
    after.visitors.slice(5).map((v: Frame) => v.id),
    [takenId],
  );
});

test('older_* requests are validated (an error with the id, nothing sent) and rate limited', async (t) => {
  const b = await backend(t, { limits: { consolePages: { rate: { burst: 4, windowMs: 60_000 } } } });
  const raw = await agentSocket(t, b);
  assert.equal((await raw.expectError({ type: 'older_visitors', id: 'q0', cursor: null }, 'not_ready')).id, 'q0');
  raw.send({ type: 'hello', v: 1, online: false });
  await raw.next('welcome');
  const cases: Array<[object, string, RegExp]> = [
    [{ type: 'older_visitors', cursor: null }, 'bad_frame', /needs an id/],
    [{ type: 'older_visitors', id: 'bad id!', cursor: null }, 'bad_frame', /needs an id/],
    [{ type: 'older_visitors', id: 'q1', cursor: null, limit: 0 }, 'bad_frame', /limit/],
    [{ type: 'older_visitors', id: 'q2', cursor: null, limit: 1.5 }, 'bad_frame', /limit/],
    [{ type: 'older_visitors', id: 'q3', cursor: null, limit: '5' }, 'bad_frame', /limit/],
    [{ type: 'older_visitors', id: 'q4', cursor: 'has space' }, 'bad_frame', /cursor/],
    [{ type: 'older_visitors', id: 'q5', cursor: 'x'.repeat(201) }, 'bad_frame', /cursor/],
    [{ type: 'older_visitors', id: 'q6', cursor: 42 }, 'bad_frame', /cursor/],
    [{ type: 'older_visitors', id: 'q7', cursor: null, active: 'yes' }, 'bad_frame', /active/],
    [{ type: 'older_calls', id: 'q8', cursor: null, open: 1 }, 'bad_frame', /open/],
    [{ type: 'older_offline_messages', id: 'q9', cursor: [] }, 'bad_frame', /cursor/],
    [{ type: 'older_messages', id: 'q10', before: 5 }, 'bad_frame', /visitorId/],
    [{ type: 'older_messages', id: 'q11', visitorId: 'v-x', before: -1 }, 'bad_frame', /before/],
    [{ type: 'older_messages', id: 'q12', visitorId: 'v-x' }, 'bad_frame', /before/],
  ];
  for (const [frame, code, message] of cases) {
    const error = await raw.expectError(frame, code);
    assert.match(error.message, message, JSON.stringify(frame));
    if ('id' in frame && frame.id !== 'bad id!') assert.equal(error.id, frame.id);
  }
  // Well-formed, but a cursor this backend never gave, or a visitor it does not have: refused, with the id.
  assert.equal((await raw.expectError({ type: 'older_visitors', id: 'q13', cursor: 'abc' }, 'bad_frame')).id, 'q13');
  await raw.expectError({ type: 'older_calls', id: 'q13b', cursor: 'NaN~v-x' }, 'bad_frame');
  const unknown = await raw.expectError(
    { type: 'older_messages', id: 'q14', visitorId: 'v-missing', before: 5 },
    'unknown_visitor',
  );
  assert.equal(unknown.id, 'q14');
  // q13, q13b and q14 spent three of the four requests (a frame refused before it was read spends none): one more
  // goes, the next is rate limited and does not count as a bad frame.
  assert.equal((await ask(raw, { type: 'older_offline_messages', cursor: null })).type, 'older_offline_messages');
  const limited = await raw.expectError({ type: 'older_calls', id: 'q15', cursor: null }, 'rate_limited');
  assert.equal(limited.id, 'q15');
  await raw.none('older_calls');
  raw.send({ type: 'status', online: true });
  assert.deepEqual(await raw.next('status'), { type: 'status', online: true });
});

test('F4: with more stored than the old welcome could carry (64 MiB), the console gets its welcome and works', async (t) => {
  const dataDir = await tempDir(t);
  // 60 visitors with 100 messages of 4 000 "€" (12 KB each): 72 MB of conversations, which the old welcome carried
  // whole and the console refused (AGENT_SERVER_FRAME_BYTES was 64 MiB, and is 16 MiB now).
  const text = '€'.repeat(4000);
  const written = await writeJournal(
    dataDir,
    (function* () {
      for (let i = 0; i < 60; i++) {
        yield visitorRecord(i, T + i * 1000);
        for (let seq = 1; seq <= 100; seq++) yield message(i, seq, T + i * 1000 + seq, text);
      }
    })(),
  );
  assert.ok(written > 64 * 1024 * 1024, `${written} bytes`);
  const b = await start(t, { dataDir, limits: { agentBufferedBytes: 4 * 1024 * 1024 } });
  const client = await agentSocket(t, b, 'Alice');
  const raw: string[] = [];
  client.ws.on('message', (data: Buffer) => raw.push(data.toString()));
  client.send({ type: 'hello', v: 1, online: true });
  const welcome = await client.next('welcome', 10_000);
  const bytes = Buffer.byteLength(raw[0]);
  t.diagnostic(`welcome: ${(bytes / 1024 / 1024).toFixed(2)} MiB for ${(written / 1024 / 1024).toFixed(1)} MiB stored`);
  assert.ok(bytes < 5 * 1024 * 1024 && bytes < AGENT_SERVER_FRAME_BYTES, `${bytes} bytes`);
  const parsed = parseAgentServerFrame(raw[0]);
  assert.equal(parsed.ok, true);
  // Every visitor is unread, so active: all 60 are there, each with its newest message (16 KiB of messages each).
  assert.equal(welcome.visitors.length, 60);
  assert.ok(welcome.visitors.every((v: Frame) => v.messages.length === 1 && v.messages[0].seq === 100));
  // The console works: history on demand, a reply.
  const history = await ask(client, { type: 'older_messages', visitorId: vid(3), before: 100, limit: 200 });
  assert.ok(history.messages.length >= 80 && history.messages.at(-1).seq === 99, `${history.messages.length}`);
  const reply = raw.find((r) => r.startsWith('{"type":"older_messages"'))!;
  assert.ok(Buffer.byteLength(reply) < 1.1 * 1024 * 1024);
  client.send({ type: 'message', visitorId: vid(3), id: 'c-1', text: 'Hello, how can I help?' });
  assert.equal((await client.next('ack')).seq, 101);
});

test('measure: the welcome with 100 000 visitors stored (reported, not asserted)', async (t) => {
  const dataDir = await tempDir(t);
  const n = 100_000;
  const startedWriting = performance.now();
  const written = await writeJournal(
    dataDir,
    (function* () {
      for (let i = 0; i < n; i++) {
        const at = T + i * 10;
        yield visitorRecord(i, at);
        yield message(i, 1, at + 1, `Hello, I have a question about order ${i}`);
        yield {
          k: 'message',
          v: vid(i),
          m: { id: `a-${i}`, seq: 2, from: 'agent', text: 'Sure!', at: at + 2, agentName: 'Bob' },
          cid: `c-${i}`,
        };
        yield { k: 'agent_read', v: vid(i), seq: 2 };
        if (i % 10 === 0) yield offline(i, at + 3);
        if (i % 10 !== 5) continue;
        // A call back from every tenth visitor; one in a hundred of them still open (an active visitor).
        yield { k: 'call', v: vid(i), id: `call-${i}`, phone: '+14084987855', at: at + 3, page: null };
        if (i % 1000 !== 5)
          yield { k: 'call_status', v: vid(i), id: `call-${i}`, status: 'failed', reason: null, at: at + 4, by: 'Bob' };
      }
    })(),
  );
  const wroteMs = performance.now() - startedWriting;
  const startedAt = performance.now();
  const b = await start(t, { dataDir });
  const startMs = performance.now() - startedAt;
  const times: number[] = [];
  let size = 0;
  for (let round = 0; round < 5; round++) {
    const client = await agentSocket(t, b, 'Alice');
    client.ws.on('message', (data: Buffer) => (size ||= data.length));
    const sent = performance.now();
    client.send({ type: 'hello', v: 1, online: false });
    const welcome = await client.next('welcome', 30_000);
    times.push(performance.now() - sent);
    // The 50 most recent, and the 100 with an open call.
    assert.equal(welcome.visitors.length, 150);
    parseAgentServerFrame(JSON.stringify(welcome));
    client.terminate();
  }
  const client = await agentSocket(t, b, 'Alice');
  client.send({ type: 'hello', v: 1, online: false });
  const welcome = await client.next('welcome', 30_000);
  const deep = performance.now();
  const reply = await ask(client, { type: 'older_visitors', cursor: `${T + 500_000}~${vid(50_000)}`, limit: 100 });
  const deepMs = performance.now() - deep;
  assert.equal(reply.visitors[0].id, vid(49_999));
  const parsedAt = performance.now();
  assert.ok(parseAgentServerFrame(JSON.stringify(welcome)).ok);
  const parseMs = performance.now() - parsedAt;
  const sorted = [...times].sort((x, y) => x - y);
  t.diagnostic(
    `${n} visitors, ${(written / 1024 / 1024).toFixed(0)} MiB journal (written in ${wroteMs.toFixed(0)} ms), ` +
      `start-up ${startMs.toFixed(0)} ms; welcome ${(size / 1024).toFixed(0)} KiB, hello→welcome ` +
      `${sorted.map((x) => x.toFixed(1)).join(' / ')} ms (median ${sorted[2].toFixed(1)}); the console's parse ` +
      `${parseMs.toFixed(1)} ms; older_visitors from the middle ${deepMs.toFixed(1)} ms`,
  );
});
