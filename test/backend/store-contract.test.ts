// The store contract (server/store/store.ts), run against every store: the embedded journal and PostgreSQL. Numbers
// per widget id, exactly once by message id, gapless seq, every kind of record kept across a restart, erasing; and
// for PostgreSQL, two server processes writing the same visitor at once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import { EmbeddedStore } from '../../server/store/embedded.js';
import { MIGRATIONS, PostgresStore } from '../../server/store/postgres.js';
import { StoreConflict, type ChatStore } from '../../server/store/store.js';
import type { JournalRecord, Visitor } from '../../server/state.js';
import type { WireMessage } from '../../src/transport/protocol.js';
import { freshDatabase, tempDir } from './helpers.js';

interface Kind {
  name: string;
  /** A store on new, empty storage; `again()` opens another one on the same storage (a restart, or a second process). */
  open(t: TestContext): Promise<{ store: ChatStore; again(): Promise<ChatStore> }>;
}

const quiet = () => {};

const KINDS: Kind[] = [
  {
    name: 'journal',
    async open(t) {
      const dataDir = await tempDir(t);
      const stores: ChatStore[] = [];
      t.after(() => Promise.all(stores.map((s) => s.close())));
      const make = () => {
        const s = new EmbeddedStore({ dataDir, warn: quiet });
        stores.push(s);
        return s;
      };
      const store = make();
      // The journal belongs to one process: "another one" is this one stopped and started again.
      return { store, again: async () => (await store.close(), make()) };
    },
  },
  {
    name: 'postgres',
    async open(t) {
      const url = await freshDatabase(t);
      const stores: ChatStore[] = [];
      t.after(() => Promise.all(stores.map((s) => s.close())));
      const make = async () => {
        const s = await PostgresStore.open({ url, warn: quiet });
        stores.push(s);
        return s;
      };
      return { store: await make(), again: make };
    },
  },
];

let n = 0;
const newVisitor = (widgetId = 'shop', secret = `visitor-${++n}`): JournalRecord => ({
  k: 'visitor',
  id: `v-${n}-${Math.random().toString(36).slice(2, 10)}`,
  widgetId,
  visitorId: secret,
  number: 0,
  at: 1_764_000_000_000 + n,
  page: { url: 'https://shop.example/', title: 'Shop' },
  department: null,
  lang: 'en',
});

const message = (v: Visitor, id: string, seq = v.lastSeq + 1, from: 'visitor' | 'agent' = 'visitor'): JournalRecord => {
  const m: WireMessage = { id, seq, from, text: `text of ${id}`, at: 1_764_000_100_000 + seq };
  if (from === 'agent') m.agentName = 'Alice';
  return from === 'agent' ? { k: 'message', v: v.id, m, cid: `c-${id}` } : { k: 'message', v: v.id, m };
};

async function create(store: ChatStore, widgetId = 'shop', secret?: string): Promise<Visitor> {
  const record = newVisitor(widgetId, secret);
  await store.commit([record]);
  return (await store.get((record as { id: string }).id))!;
}

/** A visitor as a store gives it back, comparable across stores and restarts. */
const plain = (v: Visitor | undefined) =>
  v && {
    ...v,
    messageIds: [...v.messageIds.keys()],
    agentMessageIds: [...v.agentMessageIds.keys()],
    offlineIds: [...v.offlineIds.keys()],
    callIds: [...v.callIds.keys()],
  };

for (const kind of KINDS) {
  test(`${kind.name}: numbers count per widget id from 1; a visitor is found by its ids after a restart`, async (t) => {
    const { store, again } = await kind.open(t);
    const a = await create(store, 'shop', 'ann');
    const b = await create(store, 'shop', 'bob');
    const c = await create(store, 'blog', 'cid');
    assert.deepEqual([a.number, b.number, c.number], [1, 2, 1]);
    assert.equal((await store.find('shop', 'bob'))?.id, b.id);
    assert.equal(await store.find('blog', 'bob'), undefined);
    await new Promise((resolve) => store.whenDurable(resolve));
    const next = await again();
    assert.equal((await next.find('shop', 'ann'))?.number, 1);
    assert.equal((await next.get(c.id))?.widgetId, 'blog');
    assert.equal((await create(next, 'shop')).number, 3);
  });

  test(`${kind.name}: a second visitor with the same widget-side id is refused, and nothing is written`, async (t) => {
    const { store } = await kind.open(t);
    await create(store, 'shop', 'twice');
    await assert.rejects(store.commit([newVisitor('shop', 'twice')]), StoreConflict);
    assert.equal((await create(store, 'shop')).number, 2, 'the refused one took no number');
  });

  test(`${kind.name}: exactly once: a message id (the widget's, or the console's) is stored once`, async (t) => {
    const { store, again } = await kind.open(t);
    const v = await create(store);
    await store.commit([message(v, 'm1')]);
    await store.commit([message(v, 'a1', undefined, 'agent')]);
    await assert.rejects(store.commit([message(v, 'm1')]), StoreConflict);
    await assert.rejects(store.commit([message(v, 'a1', undefined, 'agent')]), StoreConflict);
    const after = await (await again()).get(v.id);
    assert.deepEqual(
      after!.messages.map((m) => [m.seq, m.id]),
      [
        [1, 'm1'],
        [2, after!.messages[1].id],
      ],
    );
    assert.deepEqual([...after!.agentMessageIds.keys()], ['c-a1']);
  });

  test(`${kind.name}: gapless: a message whose seq is not the next one is refused`, async (t) => {
    const { store } = await kind.open(t);
    const v = await create(store);
    await store.commit([message(v, 'm1')]);
    await assert.rejects(store.commit([message(v, 'm3', 3)]), StoreConflict);
    await assert.rejects(store.commit([message(v, 'm1b', 1)]), StoreConflict);
    await store.commit([message(v, 'm2')]);
    assert.deepEqual(
      (await store.get(v.id))!.messages.map((m) => m.seq),
      [1, 2],
    );
  });

  test(`${kind.name}: every kind of record is kept across a restart`, async (t) => {
    const { store, again } = await kind.open(t);
    const v = await create(store);
    const at = 1_764_000_200_000;
    const o = {
      id: 'o-1',
      visitorId: v.id,
      widgetId: v.widgetId,
      visitorNumber: v.number,
      page: null,
      at,
      name: 'Ann',
      email: 'ann@example.com',
      phone: '',
      description: '',
      message: 'Call me',
    };
    const steps: JournalRecord[][] = [
      [{ k: 'update', v: v.id, at, page: { url: 'https://shop.example/cart', title: 'Cart' }, lang: 'de', ua: 'UA/1' }],
      [message(v, 'm1', 1)],
      [message(v, 'a1', 2, 'agent'), { k: 'agent_read', v: v.id, seq: 2 }],
      [{ k: 'read', v: v.id, seq: 2 }],
      [{ k: 'accept', v: v.id, by: 'Alice', id: 'ag-1' }],
      [{ k: 'finish', v: v.id, seq: 2 }],
      [{ k: 'offline', v: v.id, cid: 'off-1', o }],
      [{ k: 'contact', v: v.id, contact: { name: 'Ann', email: 'ann@example.com', phone: '', description: 'VIP' } }],
      [{ k: 'custom_data', v: v.id, fields: [{ title: 'Plan', content: 'Pro' }] }],
      [{ k: 'user_token', v: v.id, token: 'site-user-1' }],
      [{ k: 'utm', v: v.id, utm: { source: 'mail', medium: '', campaign: '', content: '', term: '' } }],
      [{ k: 'call', v: v.id, id: 'call-1', phone: '+14084987855', at, page: null }],
      [{ k: 'call_status', v: v.id, id: 'call-1', status: 'connected', reason: null, at: at + 1, by: 'Alice' }],
      [{ k: 'client_attributes', v: v.id, at, attributes: { plan: 'pro', visits: 3 } }],
      [{ k: 'contacts_request', v: v.id, id: 'r-1', at, by: 'Alice' }],
      [{ k: 'contacts_answer', v: v.id, id: 'r-1', at: at + 5, given: true }],
      [
        {
          k: 'prechat',
          v: v.id,
          prechat: {
            at: at + 6,
            question: 'Order number?',
            answer: '42',
            consent: { text: 'I agree', url: 'https://shop.example/privacy', version: '2026-01', at: at + 6 },
          },
        },
      ],
      [
        {
          k: 'message',
          v: v.id,
          m: { id: 'a-q', seq: 3, from: 'agent', text: 'Which size?', at: at + 7, replies: ['S', 'M', 'L'] },
          cid: 'c-q',
        },
      ],
    ];
    for (const records of steps) await store.commit(records);
    const before = plain(await store.get(v.id));
    assert.equal(before!.prechat?.consent?.version, '2026-01');
    assert.deepEqual(before!.messages.at(-1)?.replies, ['S', 'M', 'L']);
    assert.equal(before!.finishedChats, 1);
    assert.equal(store.callCount('shop'), 1);
    await new Promise((resolve) => store.whenDurable(resolve));
    const next = await again();
    assert.deepEqual(plain(await next.get(v.id)), before);
    assert.equal(next.callCount('shop'), 1);
    assert.deepEqual(next.state.offlineMessages, [o]);
  });

  test(`${kind.name}: who ended a chat, its rating and a webhook waiting for one are kept across a restart`, async (t) => {
    const { store, again } = await kind.open(t);
    const v = await create(store);
    const hold = { at: 1_764_000_300_000, agentId: 'ag-1', agentName: 'Alice' };
    await store.commit([message(v, 'm1', 1)]);
    await store.commit([{ k: 'finish', v: v.id, seq: 1, by: 'visitor', hold }]);
    let got = await store.get(v.id);
    assert.deepEqual(got!.held, { ...hold, chat: 1, from: 0, to: 1 });
    assert.equal(got!.endedBy, 'visitor');
    const rating = { chat: 1, rate: 'good', comment: 'Quick and kind', at: hold.at + 5 } as const;
    await store.commit([{ k: 'rating', v: v.id, rating }]);
    got = await store.get(v.id);
    assert.equal(got!.held, null, 'the rating ends the wait');
    assert.deepEqual(got!.ratings, [rating]);
    // A second chat, finished by the agent, whose webhook still waits.
    await store.commit([message(v, 'm2', 2)]);
    await store.commit([{ k: 'finish', v: v.id, seq: 2, by: 'agent', hold }]);
    await new Promise((resolve) => store.whenDurable(resolve));
    const before = plain(await store.get(v.id));
    assert.deepEqual(before!.held, { ...hold, chat: 2, from: 1, to: 2 });
    const next = await again();
    const after = await next.get(v.id);
    assert.deepEqual(plain(after), before);
    await next.commit([{ k: 'reported', v: v.id, chat: 2 }]);
    assert.equal((await next.get(v.id))!.held, null);
    assert.deepEqual((await next.get(v.id))!.ratings, [rating]);
    assert.equal((await next.get(v.id))!.endedBy, 'agent');
  });

  test(`${kind.name}: idle visitors are found by their last activity (what retention erases)`, async (t) => {
    const { store } = await kind.open(t);
    const old = await create(store);
    const recent = await create(store);
    const day = 86_400_000;
    await store.commit([
      {
        ...(message(old, 'm1') as Extract<JournalRecord, { k: 'message' }>),
        m: { id: 'm1', seq: 1, from: 'visitor', text: 'old', at: 1_764_000_000_000 },
      },
    ]);
    await store.commit([{ k: 'update', v: recent.id, at: 1_764_000_000_000 + 40 * day }]);
    const idle = await store.idleSince(1_764_000_000_000 + 30 * day, 10);
    assert.deepEqual(idle, [old.id]);
  });

  test(`${kind.name}: an erased visitor is gone after a restart, and its number is not given again`, async (t) => {
    const { store, again } = await kind.open(t);
    const a = await create(store, 'shop', 'gone');
    await store.commit([message(a, 'm1')]);
    await store.commit([{ k: 'erase', v: a.id, at: Date.now(), reason: 'admin' }]);
    assert.equal(await store.get(a.id), undefined);
    const next = await again();
    assert.equal(await next.find('shop', 'gone'), undefined);
    assert.equal((await create(next, 'shop', 'gone')).number, 2);
  });

  test(`${kind.name}: F14: a rotated id finds nothing, the new one finds the visitor, after a restart too`, async (t) => {
    const { store, again } = await kind.open(t);
    const v = await create(store, 'shop', 'old-bearer-id-0123456789');
    await store.commit([message(v, 'm1')]);
    await store.commit([{ k: 'rotate', v: v.id, secret: 'new-bearer-id-0123456789' }]);
    assert.equal(await store.find('shop', 'old-bearer-id-0123456789'), undefined);
    assert.equal((await store.find('shop', 'new-bearer-id-0123456789'))?.id, v.id);
    // An id another visitor holds is never given to a second one.
    const w = await create(store, 'shop', 'other-bearer-id-0123456789');
    await assert.rejects(store.commit([{ k: 'rotate', v: w.id, secret: 'new-bearer-id-0123456789' }]), StoreConflict);
    const next = await again();
    assert.equal(await next.find('shop', 'old-bearer-id-0123456789'), undefined);
    const found = await next.find('shop', 'new-bearer-id-0123456789');
    assert.deepEqual([found?.id, found?.messages.map((m) => m.id)], [v.id, ['m1']]);
    assert.equal((await next.find('shop', 'other-bearer-id-0123456789'))?.id, w.id);
  });

  test(`${kind.name}: F14: a verified identity names one visitor per widget id, after a restart too`, async (t) => {
    const { store, again } = await kind.open(t);
    const a = await create(store, 'shop');
    const b = await create(store, 'shop');
    const c = await create(store, 'blog');
    await store.commit([{ k: 'user_token', v: a.id, token: 'customer-1001', verified: true }]);
    assert.equal((await store.findIdentity('shop', 'customer-1001'))?.id, a.id);
    // A second visitor cannot take it; an unverified token of the same text names nothing.
    await assert.rejects(
      store.commit([{ k: 'user_token', v: b.id, token: 'customer-1001', verified: true }]),
      StoreConflict,
    );
    await store.commit([{ k: 'user_token', v: b.id, token: 'customer-1001' }]);
    assert.equal((await store.findIdentity('shop', 'customer-1001'))?.id, a.id);
    // Another widget id is another site: the same sub is another identity.
    await store.commit([{ k: 'user_token', v: c.id, token: 'customer-1001', verified: true }]);
    assert.equal((await store.findIdentity('blog', 'customer-1001'))?.id, c.id);
    // A new visitor and its identity in one commit (a device that changed identity).
    const fresh = newVisitor('shop', 'fresh-bearer-id-0123456789');
    const freshId = (fresh as { id: string }).id;
    await store.commit([fresh, { k: 'user_token', v: freshId, token: 'customer-2002', verified: true }]);
    assert.equal((await store.findIdentity('shop', 'customer-2002'))?.id, freshId);
    assert.equal(await store.findIdentity('shop', 'customer-3003'), undefined);

    const next = await again();
    assert.equal((await next.findIdentity('shop', 'customer-1001'))?.id, a.id);
    assert.equal((await next.findIdentity('blog', 'customer-1001'))?.id, c.id);
    assert.equal((await next.findIdentity('shop', 'customer-2002'))?.id, freshId);
    // Erased, the identity names nothing (a later login starts afresh).
    await next.commit([{ k: 'erase', v: a.id, at: Date.now(), reason: 'admin' }]);
    assert.equal(await next.findIdentity('shop', 'customer-1001'), undefined);
    const last = await again();
    assert.equal(await last.findIdentity('shop', 'customer-1001'), undefined);
  });
}

test('postgres: F14: two server processes giving one identity to two visitors at once: one wins, the other conflicts', async (t) => {
  const kind = KINDS.find((k) => k.name === 'postgres')!;
  const { store: a, again } = await kind.open(t);
  const b = await again();
  const va = await create(a);
  const vb = await create(b);
  const results = await Promise.allSettled([
    a.commit([{ k: 'user_token', v: va.id, token: 'customer-1001', verified: true }]),
    b.commit([{ k: 'user_token', v: vb.id, token: 'customer-1001', verified: true }]),
  ]);
  assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
  const loser = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
  assert.ok(loser.reason instanceof StoreConflict);
  const owner = (await a.findIdentity('shop', 'customer-1001'))!.id;
  assert.equal((await b.findIdentity('shop', 'customer-1001'))!.id, owner);
  assert.equal(owner, results[0].status === 'fulfilled' ? va.id : vb.id);
});

test('postgres: F14: the identities migration maps the verified visitors a database already holds', async (t) => {
  const url = await freshDatabase(t);
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  // The schema as it was before identities had a table (migrations 1-3), with two verified visitors of one sub.
  await client.query(
    'CREATE TABLE jivo_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
  );
  for (let v = 1; v <= 3; v++) {
    await client.query(MIGRATIONS[v - 1]);
    await client.query('INSERT INTO jivo_migrations (version) VALUES ($1)', [v]);
  }
  await client.query("INSERT INTO jivo_sites (widget_id, last_number) VALUES ('shop', 2)");
  const state = (sub: string) => JSON.stringify({ lang: 'en', userToken: sub, userTokenVerified: true });
  await client.query(
    `INSERT INTO jivo_visitors (id, widget_id, secret, number, created_at, last_activity, state) VALUES
     ('v-older', 'shop', 'older-bearer-id-0123456789', 1, 1, 10, $1),
     ('v-newer', 'shop', 'newer-bearer-id-0123456789', 2, 2, 20, $1)`,
    [state('customer-1001')],
  );
  await client.end();
  const store = await PostgresStore.open({ url, warn: quiet });
  t.after(() => store.close());
  assert.equal((await store.findIdentity('shop', 'customer-1001'))?.id, 'v-newer');
});

test('postgres: two server processes writing one visitor at once keep seq gapless and each message once', async (t) => {
  const kind = KINDS.find((k) => k.name === 'postgres')!;
  const { store: a, again } = await kind.open(t);
  const b = await again();
  const v = await create(a);
  await b.get(v.id);
  // What the hub does (hub.ts withVisitor): decide from what it holds, commit, and on a conflict decide again.
  const send = async (store: ChatStore, id: string) => {
    for (let attempt = 0; ; attempt++) {
      const held = store.state.visitors.get(v.id)!;
      if (held.messageIds.has(id)) return;
      try {
        return await store.commit([message(held, id)]);
      } catch (error) {
        if (!(error instanceof StoreConflict) || attempt > 50) throw error;
      }
    }
  };
  const ids = Array.from({ length: 40 }, (_, i) => `m${i}`);
  await Promise.all([
    ...ids.slice(0, 20).map((id) => send(a, id)),
    ...ids.slice(20).map((id) => send(b, id)),
    // The same ids again from the other process: a resend after a reconnect elsewhere.
    ...ids.slice(0, 10).map((id) => send(b, id)),
  ]);
  const fresh = await (await again()).get(v.id);
  assert.deepEqual(
    fresh!.messages.map((m) => m.seq),
    ids.map((_, i) => i + 1),
  );
  assert.deepEqual(fresh!.messages.map((m) => m.id).sort(), [...ids].sort());
});

test('postgres: servers starting together apply the schema once; a newer schema is refused', async (t) => {
  const url = await freshDatabase(t);
  const stores = await Promise.all([1, 2, 3].map(() => PostgresStore.open({ url, warn: quiet })));
  t.after(() => Promise.all(stores.map((s) => s.close())));
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT version FROM jivo_migrations ORDER BY version');
    assert.deepEqual(
      rows.map((r) => r.version),
      MIGRATIONS.map((_, i) => i + 1),
    );
    await client.query('INSERT INTO jivo_migrations (version) VALUES (99)');
  } finally {
    await client.end();
  }
  await assert.rejects(PostgresStore.open({ url, warn: quiet }), /newer than this server's/);
});

test('postgres: group commit: many visitors committing at once all land once each, and a refused commit fails alone', async (t) => {
  const kind = KINDS.find((k) => k.name === 'postgres')!;
  const { store: a, again } = await kind.open(t);
  const b = await again();
  const visitors = await Promise.all(Array.from({ length: 40 }, () => create(a)));
  // Three commits this process cannot know to be refused, each because another process wrote first: a seq taken, a
  // visitor erased, a widget-side id given to another visitor.
  const [stale, erased] = await Promise.all([create(a), create(a)]);
  await b.commit([message((await b.get(stale.id))!, 'taken-first')]);
  await b.get(erased.id);
  await b.commit([{ k: 'erase', v: erased.id, at: Date.now(), reason: 'admin' }]);
  await create(b, 'shop', 'claimed-on-b');
  const bad: Array<() => Promise<void>> = [
    () => a.commit([message(stale, 'late')]),
    () => a.commit([message(erased, 'gone')]),
    () => a.commit([newVisitor('shop', 'claimed-on-b')]),
  ];
  const fresh = Array.from({ length: 10 }, () => newVisitor('shop'));
  // All at once: the first goes alone, the others wait for it and go together; the refused ones in their midst.
  const good: Array<() => Promise<void>> = [
    ...visitors.map((v, i) => () => a.commit([message(v, `m-${i}`)])),
    ...fresh.map((record) => () => a.commit([record])),
  ];
  const all = [...good];
  all.splice(5, 0, bad[0]);
  all.splice(20, 0, bad[1]);
  all.splice(35, 0, bad[2]);
  const results = await Promise.allSettled(all.map((run) => run()));
  const refused = results.flatMap((r, i) => (r.status === 'rejected' ? [i] : []));
  assert.deepEqual(refused, [5, 20, 35], 'only the three refused commits fail');
  for (const i of refused) assert.ok((results[i] as PromiseRejectedResult).reason instanceof StoreConflict);

  const c = await again();
  for (const [i, v] of visitors.entries()) {
    const got = await c.get(v.id);
    assert.deepEqual(
      got!.messages.map((m) => [m.seq, m.id]),
      [[1, `m-${i}`]],
    );
  }
  const numbers = await Promise.all(fresh.map(async (r) => (await c.get((r as { id: string }).id))!.number));
  // 42 visitors on a, one on b, then the ten new ones: numbers 44 to 53, each once, none taken by the refused one.
  assert.deepEqual(
    [...numbers].sort((x, y) => x - y),
    Array.from({ length: 10 }, (_, i) => 44 + i),
  );
  assert.deepEqual(
    (await c.get(stale.id))!.messages.map((m) => m.id),
    ['taken-first'],
  );
  assert.equal(await c.get(erased.id), undefined);
  // The refusing process reloaded what it was refused over: it now holds the other process's message.
  assert.deepEqual(
    a.state.visitors.get(stale.id)!.messages.map((m) => m.id),
    ['taken-first'],
  );
});

test('postgres: webhook events committed with records are queued with them, and not when the commit is refused', async (t) => {
  const kind = KINDS.find((k) => k.name === 'postgres')!;
  const { store: a, again } = await kind.open(t);
  const b = await again();
  const event = (id: string) => ({
    id,
    urls: ['https://hooks.example/a', 'https://hooks.example/b'],
    payload: { event_name: 'offline_message', n: id },
  });
  const v = await create(a);
  await a.commit([message(v, 'm1')], [event('e1')]);
  // Another process takes seq 2 first: the database refuses this commit, and its event with it.
  await b.commit([message((await b.get(v.id))!, 'm2')]);
  await assert.rejects(a.commit([message(a.state.visitors.get(v.id)!, 'm2-late')], [event('e2')]), StoreConflict);
  const delivered: string[] = [];
  const outbox = (b as PostgresStore).webhookOutbox();
  for (const url of ['https://hooks.example/a', 'https://hooks.example/b']) {
    for (;;) {
      const next = await outbox.next(url, async (e) => (delivered.push(`${e.id} ${url}`), 'done'));
      if (!('wait' in next) || next.wait !== 0) break;
    }
  }
  assert.deepEqual(delivered, ['e1 https://hooks.example/a', 'e1 https://hooks.example/b']);
  assert.equal(await outbox.size(), 0, 'delivered events are deleted');

  // Past the bound, the oldest events go, for every URL.
  await outbox.add(['e4', 'e5', 'e6', 'e7', 'e8'].map(event));
  assert.equal(await outbox.dropOldest(2), 3);
  assert.equal(await outbox.size(), 2);
  const left: string[] = [];
  await outbox.next('https://hooks.example/b', async (e) => (left.push(e.id), { retryIn: 60_000 }));
  assert.deepEqual(left, ['e7'], 'the newest two are kept, the oldest of them first');
  // A failed attempt keeps the event, due later: nothing is handed out before then.
  assert.ok('wait' in (await outbox.next('https://hooks.example/b', () => assert.fail('not due yet'))));

  // The journal does not keep the queue: it refuses events rather than drop them.
  const journal = await KINDS[0].open(t);
  const w = await create(journal.store);
  await assert.rejects(journal.store.commit([message(w, 'm1')], [event('e3')]), /does not keep the webhook queue/);
});

test('postgres: the webhook outbox is brought back to its bound around an event being delivered', async (t) => {
  const kind = KINDS.find((k) => k.name === 'postgres')!;
  const { store } = await kind.open(t);
  const outbox = (store as PostgresStore).webhookOutbox();
  const url = 'https://hooks.example/a';
  await outbox.add(
    ['e1', 'e2', 'e3', 'e4', 'e5'].map((id) => ({ id, urls: [url], payload: { event_name: 'call_event', n: id } })),
  );
  let dropped = -1;
  // While e1 is being delivered (its row locked by the delivery), the queue is trimmed to three.
  await outbox.next(url, async (e) => {
    assert.equal(e.id, 'e1');
    dropped = await outbox.dropOldest(3);
    return { retryIn: 60_000 };
  });
  assert.equal(dropped, 2, 'e2 and e3 go in the place of e1, which is being delivered');
  assert.equal(await outbox.size(), 3);
});
