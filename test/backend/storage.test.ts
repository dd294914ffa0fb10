// The embedded store over time: the journal compacted into a snapshot while chats go on, start-up from a snapshot and
// the segments after it, a SIGKILL at any point of a compaction, a journal too large to read as one string (security
// review F3), an admin's erase and the retention period (the data leaves the disk).
import assert from 'node:assert/strict';
import { readdir, readFile, stat, writeFile, open } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import {
  account,
  agent,
  Client,
  hello,
  quiet,
  sleep,
  spawnServer,
  startBackend,
  tempDir,
  visitor,
  visitorIdFor,
  type Backend,
  type BackendOptions,
  type Frame,
} from './helpers.js';

async function start(t: TestContext, options: BackendOptions) {
  const b = await startBackend({ port: 0, host: '127.0.0.1', staticRoot: null, warn: quiet, ...options });
  t.after(() => b.close());
  return b;
}

const files = async (dir: string) => (await readdir(dir)).filter((f) => f.endsWith('.jsonl') || f.includes('.tmp'));

/** What a console is shown, without what depends on who is connected right now. */
function shown(welcome: Frame) {
  return {
    visitors: welcome.visitors
      .map((v: Frame) => ({ ...v, online: false, typing: false }))
      .sort((a: Frame, b: Frame) => a.number - b.number),
    offlineMessages: welcome.offlineMessages,
    calls: welcome.calls,
  };
}

/** A chat that touches every kind of record: messages both ways, reads, a finished chat, calls, contacts, data. */
async function busyChat(t: TestContext, b: Backend) {
  const alice = await agent(t, b, 'Alice', true);
  const ann = await visitor(t, b, { widgetId: 'shop' });
  const bob = await visitor(t, b, { widgetId: 'shop' });
  const annId = await visitorIdFor(alice.client, 1, 'shop');
  for (let i = 1; i <= 20; i++) {
    ann.client.send({ type: 'message', id: `ann-${i}`, text: `Question ${i} ${'x'.repeat(i * 10)}` });
    await ann.client.next('ack');
  }
  alice.client.send({ type: 'message', visitorId: annId, id: 'a1', text: 'Hello Ann' });
  await alice.client.next('ack');
  ann.client.send({ type: 'read', seq: 21 });
  alice.client.send({ type: 'finish', visitorId: annId });
  ann.client.send({ type: 'message', id: 'ann-after', text: 'One more thing' });
  await ann.client.next('ack');
  alice.client.send({ type: 'message', visitorId: annId, id: 'a2', text: 'Sure' });
  await alice.client.next('ack');
  ann.client.send({ type: 'contact', name: 'Ann', email: 'ann@example.com', phone: '', description: 'VIP' });
  ann.client.send({ type: 'custom_data', fields: [{ title: 'Plan', content: 'Pro' }] });
  ann.client.send({ type: 'user_token', token: 'site-user-1' });
  ann.client.send({ type: 'client_attributes', attributes: { plan: 'pro' } });
  ann.client.send({ type: 'call_request', id: 'call-1', phone: '+1 408 498 7855' });
  await ann.client.next('call');
  alice.client.send({ type: 'call_status', visitorId: annId, id: 'call-1', status: 'connected' });
  alice.client.send({ type: 'request_contacts', visitorId: annId });
  const request = await ann.client.next('contacts_request');
  ann.client.send({ type: 'contacts_answer', request: request.request, given: true });
  bob.client.send({
    type: 'offline_message',
    id: 'off',
    name: 'Bob',
    email: 'bob@example.com',
    phone: '',
    description: '',
    message: 'Call me later',
  });
  await bob.client.next('ack');
  ann.client.send({ type: 'page', page: { url: 'https://shop.example/cart', title: 'Cart' } });
  await alice.client.next((f) => f.type === 'visitor' && f.visitor.page?.title === 'Cart');
  return { ann, bob, annId };
}

test('compacted while the chat goes on, the state a restart shows is the state before it', async (t) => {
  const dataDir = await tempDir(t);
  // Every record starts a compaction (one at a time): writes and snapshot writes interleave all the way.
  const first = await start(t, {
    dataDir,
    compactAfterBytes: 0,
    visitorRates: { messages: { burst: 100, windowMs: 1000 } },
  });
  const { ann, annId } = await busyChat(t, first);
  await first.compact();
  assert.ok(first.compactions >= 2, `${first.compactions} compactions`);
  const before = shown((await agent(t, first, 'Carol')).welcome);
  assert.deepEqual(await files(dataDir), ['journal.jsonl', 'snapshot.jsonl']);
  await first.close();

  const warnings: string[] = [];
  const second = await start(t, { dataDir, warn: (w) => warnings.push(w) });
  assert.deepEqual(warnings, []);
  assert.deepEqual(shown((await agent(t, second, 'Carol')).welcome), before);
  const back = await visitor(t, second, { widgetId: 'shop', visitorId: ann.hello.visitorId });
  assert.equal(back.welcome.visitorNumber, 1);
  assert.deepEqual(back.welcome.agent, { name: 'Alice' });
  assert.equal(back.welcome.readSeq, 21);
  assert.equal(back.welcome.messages.length, 23);
  assert.deepEqual(back.welcome.call, {
    id: 'call-1',
    phone: '+14084987855',
    status: 'connected',
    at: back.welcome.call.at,
  });
  // Resends of messages from before the compaction are still recognised, the visitor's and the agent's.
  back.client.send({ type: 'message', id: 'ann-3', text: 'Question 3' });
  assert.equal((await back.client.next('ack')).seq, 3);
  const alice = await agent(t, second, 'Alice', true);
  alice.client.send({ type: 'message', visitorId: annId, id: 'a2', text: 'Sure' });
  assert.equal((await alice.client.next('ack')).seq, 23);
  // Numbers go on where they were.
  assert.equal((await visitor(t, second, { widgetId: 'shop' })).welcome.visitorNumber, 3);
});

test('start-up reads the snapshot and the segments after it, deletes the covered ones and a half-written snapshot', async (t) => {
  const dataDir = await tempDir(t);
  const first = await start(t, { dataDir });
  const v = await visitor(t, first);
  v.client.send({ type: 'message', id: 'one', text: 'before the snapshot' });
  await v.client.next('ack');
  await first.compact();
  v.client.send({ type: 'message', id: 'two', text: 'after the snapshot' });
  await v.client.next('ack');
  await first.close();

  const header = JSON.parse((await readFile(join(dataDir, 'snapshot.jsonl'), 'utf8')).split('\n')[0]);
  assert.equal(header.k, 'snapshot');
  assert.equal(header.through, 1);
  // A crash after the snapshot's rename left segment 1 (which it covers: replaying it would repeat every record), a
  // second crash left the live segment closed as segment 2, and a third one a snapshot half written.
  await writeFile(join(dataDir, 'journal.1.jsonl'), '{"k":"bogus"}\nnot json\n');
  await writeFile(join(dataDir, 'journal.2.jsonl'), await readFile(join(dataDir, 'journal.jsonl')));
  await writeFile(join(dataDir, 'journal.jsonl'), '');
  await writeFile(join(dataDir, 'snapshot.jsonl.4242.tmp'), '{"k":"snapshot","thr');

  const warnings: string[] = [];
  const second = await start(t, { dataDir, warn: (w) => warnings.push(w) });
  assert.deepEqual(warnings, []);
  const back = await visitor(t, second, { visitorId: v.hello.visitorId });
  assert.deepEqual(
    back.welcome.messages.map((m: Frame) => [m.seq, m.id]),
    [
      [1, 'one'],
      [2, 'two'],
    ],
  );
  // Segment 2 was folded into a new snapshot right after start-up.
  await second.compact();
  assert.deepEqual(await files(dataDir), ['journal.jsonl', 'snapshot.jsonl']);
});

test('SIGKILL at any point of constant compaction loses no acknowledged message and repeats none', async (t) => {
  const dataDir = await tempDir(t);
  const env = { PORT: '0', DATA_DIR: dataDir, COMPACT_AFTER_BYTES: '0' };
  // Each visitor's id is the one its first welcome issued.
  const visitors = Array.from({ length: 6 }, () => ({
    visitorId: undefined as string | undefined,
    acked: new Map<string, number>(),
  }));
  let sent = 0;
  for (let round = 0; round < 3; round++) {
    const server = await spawnServer(t, env);
    const clients = await Promise.all(
      visitors.map(async (v) => {
        const c = await Client.open(t, server.visitorUrl);
        c.send(hello(v.visitorId ? { visitorId: v.visitorId } : {}));
        v.visitorId = (await c.next('welcome')).visitorId;
        c.ws.on('message', (data) => {
          const f = JSON.parse(data.toString());
          if (f.type === 'ack') v.acked.set(f.id, f.seq);
        });
        return c;
      }),
    );
    // Messages flow from every visitor until the kill, 20-120 ms in, wherever the compaction is then.
    const stop = Date.now() + 20 + Math.floor(Math.random() * 100) + round * 40;
    while (Date.now() < stop) {
      for (const c of clients) c.send({ type: 'message', id: `m-${++sent}`, text: `message ${sent}` });
      await sleep(2);
    }
    server.child.kill('SIGKILL');
    await new Promise((resolve) => server.child.once('exit', resolve));
  }

  const server = await spawnServer(t, { ...env, COMPACT_AFTER_BYTES: '33554432' });
  let acked = 0;
  for (const v of visitors) {
    const c = await Client.open(t, server.visitorUrl);
    c.send(hello({ visitorId: v.visitorId }));
    const welcome = await c.next('welcome');
    assert.equal(welcome.visitorId, v.visitorId, 'the same visitor');
    const seqs = welcome.messages.map((m: Frame) => m.seq);
    assert.deepEqual(
      seqs,
      seqs.map((_: number, i: number) => i + 1),
      'gapless',
    );
    const ids = welcome.messages.map((m: Frame) => m.id);
    assert.equal(new Set(ids).size, ids.length, 'no message twice');
    for (const [id, seq] of v.acked) assert.equal(welcome.messages[seq - 1]?.id, id, `acked ${id} at ${seq} is kept`);
    acked += v.acked.size;
  }
  assert.ok(acked > 20, `only ${acked} messages were acknowledged`);
});

test('F3: a journal longer than the longest string starts, and is compacted to the size of the state', async (t) => {
  const dataDir = await tempDir(t);
  // 540 MB of journal about one visitor: past V8's longest string (0x1fffffe8 characters), which reading the file
  // whole ran into ("Cannot create a string longer than …"); the server could not start again.
  const visitorRecord = {
    k: 'visitor',
    id: 'v-grown',
    widgetId: 'site',
    visitorId: '6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f',
    number: 1,
    at: Date.now(),
    page: null,
    department: null,
    lang: 'en',
  };
  const padding = ' '.repeat(100_000);
  const line = Buffer.from(`{"k":"update","v":"v-grown","at":${Date.now()},"lang":"en"${padding}}\n`);
  const file = await open(join(dataDir, 'journal.jsonl'), 'w');
  await file.write(`${JSON.stringify(visitorRecord)}\n`);
  const block = Buffer.concat(Array.from({ length: 100 }, () => line));
  for (let written = 0; written < 540_000_000; written += block.length) await file.write(block);
  await file.close();
  assert.ok((await stat(join(dataDir, 'journal.jsonl'))).size > 0x1fffffe8);

  const b = await start(t, { dataDir });
  const v = await visitor(t, b, { visitorId: '6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f' });
  assert.equal(v.welcome.visitorNumber, 1);
  // The hello's record passed the threshold: the journal is folded into a snapshot of one visitor.
  await b.compact();
  assert.ok((await stat(join(dataDir, 'journal.jsonl'))).size < 1000);
  assert.ok((await stat(join(dataDir, 'snapshot.jsonl'))).size < 2000);
});

test('an admin erases a visitor: consoles drop it, its sockets close, and its words leave the disk', async (t) => {
  const dataDir = await tempDir(t);
  const b = await start(t, { dataDir });
  await account(b, 'Root', 'admin');
  const root = await agent(t, b, 'Root', true);
  const alice = await agent(t, b, 'Alice', true);
  const ann = await visitor(t, b);
  const bob = await visitor(t, b);
  const annId = await visitorIdFor(root.client, 1);
  ann.client.send({ type: 'message', id: 'secret', text: 'My passport number is X1234567' });
  await ann.client.next('ack');
  ann.client.send({ type: 'contact', name: 'Ann Example', email: 'ann@example.com', phone: '', description: '' });
  ann.client.send({
    type: 'offline_message',
    id: 'off',
    name: 'Ann Example',
    email: 'ann@example.com',
    phone: '',
    description: '',
    message: 'Offline words',
  });
  await ann.client.next('ack');
  bob.client.send({ type: 'message', id: 'kept', text: 'Bob stays' });
  await bob.client.next('ack');

  // Not for agents.
  const refused = await alice.client.expectError({ type: 'erase_visitor', visitorId: annId }, 'forbidden');
  assert.match(refused.message, /admin/);

  root.client.send({ type: 'erase_visitor', visitorId: annId });
  assert.deepEqual(await root.client.next('visitor_erased'), { type: 'visitor_erased', visitorId: annId });
  assert.deepEqual(await alice.client.next('visitor_erased'), { type: 'visitor_erased', visitorId: annId });
  assert.equal((await ann.client.closed).code, 1008);
  await b.compact();
  for (const f of await files(dataDir)) {
    const text = await readFile(join(dataDir, f), 'utf8');
    assert.doesNotMatch(text, /X1234567|ann@example\.com|Offline words/, f);
  }
  assert.match(await readFile(join(dataDir, 'snapshot.jsonl'), 'utf8'), /Bob stays/);

  const carol = await agent(t, b, 'Carol');
  assert.deepEqual(
    carol.welcome.visitors.map((v: Frame) => v.number),
    [2],
  );
  assert.deepEqual(carol.welcome.offlineMessages, []);
  // Frames about it are refused; the widget that comes back is a new visitor, with a new number.
  await root.client.expectError({ type: 'accept', visitorId: annId }, 'unknown_visitor');
  const again = await visitor(t, b, { visitorId: ann.hello.visitorId });
  assert.equal(again.welcome.visitorNumber, 3);
  assert.deepEqual(again.welcome.messages, []);
});

test('visitors with nothing new for the retention period are erased at start-up and every sweep', async (t) => {
  const dataDir = await tempDir(t);
  const first = await start(t, { dataDir });
  const old = await visitor(t, first);
  old.client.send({ type: 'message', id: 'old', text: 'Written long ago' });
  await old.client.next('ack');
  const recent = await visitor(t, first);
  recent.client.send({ type: 'message', id: 'new', text: 'Written today' });
  await recent.client.next('ack');
  await first.close();
  // Age the first visitor by 40 days (as if its records were written then).
  const journal = join(dataDir, 'journal.jsonl');
  const day = 86_400_000;
  const lines = (await readFile(journal, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  const oldId = lines.find((r) => r.k === 'visitor' && r.visitorId === old.hello.visitorId).id;
  const aged = lines.map((r) => {
    if (r.id !== oldId && r.v !== oldId) return r;
    if (r.k === 'message') return { ...r, m: { ...r.m, at: r.m.at - 40 * day } };
    return 'at' in r ? { ...r, at: r.at - 40 * day } : r;
  });
  await writeFile(journal, aged.map((r) => `${JSON.stringify(r)}\n`).join(''));

  const warnings: string[] = [];
  const second = await start(t, { dataDir, retentionDays: 30, warn: (w) => warnings.push(w) });
  assert.deepEqual(warnings, ['erased 1 visitor(s) with nothing new for 30 days (retention)']);
  const carol = await agent(t, second, 'Carol');
  assert.deepEqual(
    carol.welcome.visitors.map((v: Frame) => v.number),
    [2],
  );
  await second.compact();
  for (const f of await files(dataDir))
    assert.doesNotMatch(await readFile(join(dataDir, f), 'utf8'), /Written long ago/, f);
});
