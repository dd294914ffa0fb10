// The journal: what was acknowledged survives close() + start, a SIGKILL, and a torn last line.
import assert from 'node:assert/strict';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import {
  agent,
  Client,
  quiet,
  spawnServer,
  startBackend,
  tempDir,
  visitor,
  visitorIdFor,
  login,
  type Backend,
  type Frame,
} from './helpers.js';

async function start(t: TestContext, options: Frame) {
  const b = await startBackend({ port: 0, host: '127.0.0.1', staticRoot: null, warn: quiet, ...options });
  t.after(() => b.close());
  return b;
}

const portOf = (b: Backend) => Number(new URL(b.url).port);

test('a restart on the same port and data dir keeps chats, numbers, reads, agents and offline messages', async (t) => {
  const dataDir = await tempDir(t);
  const first = await start(t, { dataDir });
  const alice = await agent(t, first, 'Alice', true);
  const ann = await visitor(t, first, { widgetId: 'shop' });
  const bob = await visitor(t, first, { widgetId: 'shop' });
  const id = await visitorIdFor(alice.client, 1, 'shop');
  ann.client.send({ type: 'message', id: 'hi', text: 'Hi there' });
  await ann.client.next('ack');
  alice.client.send({ type: 'message', visitorId: id, id: 'a1', text: 'Hello Ann' });
  await alice.client.next('ack');
  await ann.client.next('message');
  ann.client.send({ type: 'read', seq: 2 });
  ann.client.send({ type: 'page', page: { url: 'https://shop.example/cart', title: 'Cart' } });
  bob.client.send({
    type: 'offline_message',
    id: 'off',
    name: 'Bob',
    email: 'bob@example.com',
    phone: '',
    description: '',
    message: 'Later',
  });
  await bob.client.next('ack');
  // The page change was the last frame: wait until it is through before the restart.
  await alice.client.next((f) => f.type === 'visitor' && f.visitor.page?.title === 'Cart');

  // Kill it mid-chat: the sockets are dropped, the port is free again at once.
  const t0 = performance.now();
  await first.close();
  const closeMs = performance.now() - t0;
  assert.ok(closeMs < 1000, `close took ${closeMs} ms`);
  assert.equal((await ann.client.closed).code, 1006);

  const second = await start(t, { dataDir, port: portOf(first) });
  assert.equal(second.url, first.url);
  // (The agent looks first: the visitor's hello below reports its page again.)
  const carol = await agent(t, second, 'Carol');
  const snap = carol.welcome.visitors.find((v: Frame) => v.number === 1);
  assert.equal(snap.id, id, 'the public id is kept');
  assert.deepEqual(snap.page, { url: 'https://shop.example/cart', title: 'Cart' });
  assert.equal(snap.unread, 0);
  assert.deepEqual(
    carol.welcome.offlineMessages.map((o: Frame) => [o.visitorNumber, o.message]),
    [[2, 'Later']],
  );
  const back = await visitor(t, second, { widgetId: 'shop', visitorId: ann.hello.visitorId });
  assert.equal(back.welcome.visitorNumber, 1);
  assert.deepEqual(back.welcome.agent, { name: 'Alice' });
  assert.equal(back.welcome.readSeq, 2);
  assert.deepEqual(
    back.welcome.messages.map((m: Frame) => [m.seq, m.from, m.text]),
    [
      [1, 'visitor', 'Hi there'],
      [2, 'agent', 'Hello Ann'],
    ],
  );
  // A resend of a message from before the restart is recognised.
  back.client.send({ type: 'message', id: 'hi', text: 'Hi there' });
  assert.equal((await back.client.next('ack')).seq, 1);
  // Numbering goes on where it was.
  assert.equal((await visitor(t, second, { widgetId: 'shop' })).welcome.visitorNumber, 3);
});

/** Runs the bundled server as `npm start` does, in a child process; resolves once it listens. */
test('SIGKILL right after an ack loses nothing: the message, the offline message and the visitor number', async (t) => {
  const dataDir = await tempDir(t);
  const first = await spawnServer(t, { PORT: '0', DATA_DIR: dataDir });
  const v = await Client.open(t, first.visitorUrl);
  v.send({
    type: 'hello',
    v: 1,
    widgetId: 'site',
    after: 0,
    page: { url: 'https://x.example/', title: 'X' },
    department: null,
    lang: 'en',
  });
  const issued = await v.next('welcome');
  assert.equal(issued.visitorNumber, 1);
  v.send({
    type: 'offline_message',
    id: 'off-k',
    name: '',
    email: 'k@example.com',
    phone: '',
    description: '',
    message: 'Offline before the kill',
  });
  await v.next('ack');

  // Kill -9 in the same tick as the ack arrives.
  const exited = new Promise((resolve) => first.child.once('exit', (_code, signal) => resolve(signal)));
  const acked = new Promise<Frame>((resolve) =>
    v.ws.on('message', (data) => {
      const frame = JSON.parse(data.toString());
      if (frame.type === 'ack' && frame.id === 'last-words') {
        first.child.kill('SIGKILL');
        resolve(frame);
      }
    }),
  );
  v.send({ type: 'message', id: 'last-words', text: 'Is my order shipped?' });
  const ack = await acked;
  assert.equal(await exited, 'SIGKILL');

  const second = await spawnServer(t, { PORT: String(first.port), DATA_DIR: dataDir });
  assert.equal(second.port, first.port);
  const back = await Client.open(t, second.visitorUrl);
  back.send({
    type: 'hello',
    v: 1,
    widgetId: 'site',
    visitorId: issued.visitorId,
    after: 0,
    page: { url: 'https://x.example/', title: 'X' },
    department: null,
    lang: 'en',
  });
  const welcome = await back.next('welcome');
  assert.equal(welcome.visitorNumber, 1);
  assert.deepEqual(welcome.messages, [
    { id: 'last-words', seq: 1, from: 'visitor', text: 'Is my order shipped?', at: ack.at },
  ]);
  const newcomer = await Client.open(t, second.visitorUrl);
  newcomer.send({
    type: 'hello',
    v: 1,
    widgetId: 'site',
    after: 0,
    page: { url: 'https://x.example/', title: 'X' },
    department: null,
    lang: 'en',
  });
  assert.equal((await newcomer.next('welcome')).visitorNumber, 2);
  // The demo admin the first start created, signed in on the restarted server.
  const signedIn = await login(`http://127.0.0.1:${second.port}`, { login: 'admin', password: first.adminPassword });
  const a = await Client.open(t, second.agentUrl, { headers: { Cookie: signedIn.cookie! } });
  a.send({ type: 'hello', v: 1, name: 'Alice' });
  const snap = await a.next('welcome');
  assert.deepEqual(
    snap.offlineMessages.map((o: Frame) => o.message),
    ['Offline before the kill'],
  );
});

test('a torn last line is skipped at start-up, and the next record starts on a clean line', async (t) => {
  const dataDir = await tempDir(t);
  const journal = join(dataDir, 'journal.jsonl');
  const first = await start(t, { dataDir });
  const v = await visitor(t, first);
  v.client.send({ type: 'message', id: 'whole', text: 'written whole' });
  await v.client.next('ack');
  await first.close();

  // A crash in the middle of a write: half a record, no newline (and a cut UTF-8 sequence).
  const torn = Buffer.concat([
    Buffer.from('{"k":"message","v":"v-x","m":{"id":"half","text":"пр'),
    Buffer.from([0xd0]),
  ]);
  await appendFile(journal, torn);
  const warnings: Frame[] = [];
  const second = await start(t, { dataDir, warn: (w: Frame) => warnings.push(w) });
  assert.equal(warnings.length, 1, warnings.join('\n'));
  assert.match(warnings[0], /skipped a torn last line/);
  const back = await visitor(t, second, { visitorId: v.hello.visitorId });
  assert.deepEqual(
    back.welcome.messages.map((m: Frame) => m.id),
    ['whole'],
  );
  back.client.send({ type: 'message', id: 'after-crash', text: 'written after the crash' });
  await back.client.next('ack');
  await second.close();

  const text = await readFile(journal, 'utf8');
  assert.ok(text.endsWith('\n'));
  assert.ok(!text.includes('"half"'), 'the torn bytes are gone');
  const warnings3: Frame[] = [];
  const third = await start(t, { dataDir, warn: (w: Frame) => warnings3.push(w) });
  assert.deepEqual(warnings3, []);
  const again = await visitor(t, third, { visitorId: v.hello.visitorId });
  assert.deepEqual(
    again.welcome.messages.map((m: Frame) => m.id),
    ['whole', 'after-crash'],
  );
});

test('damaged lines inside the journal are skipped with a warning; a missing data dir is created', async (t) => {
  const base = await tempDir(t);
  const dataDir = join(base, 'nested', 'data');
  const first = await start(t, { dataDir });
  const v = await visitor(t, first);
  v.client.send({ type: 'message', id: 'one', text: 'one' });
  await v.client.next('ack');
  await first.close();

  const journal = join(dataDir, 'journal.jsonl');
  const lines = (await readFile(journal, 'utf8')).split('\n').filter(Boolean);
  // Garbage, a well-formed JSON line that is no record, and a record for a visitor that does not exist.
  const damaged = [lines[0], '%%% not json', '{"k":"bogus"}', '{"k":"read","v":"v-nobody","seq":3}', ...lines.slice(1)];
  await writeFile(journal, damaged.join('\n') + '\n');
  const warnings: Frame[] = [];
  const second = await start(t, { dataDir, warn: (w: Frame) => warnings.push(w) });
  assert.equal(warnings.length, 2, warnings.join('\n'));
  assert.match(warnings[0], /journal\.jsonl:2: skipped a line that is not JSON/);
  assert.match(warnings[1], /skipped 2 journal record\(s\)/);
  const back = await visitor(t, second, { visitorId: v.hello.visitorId });
  assert.deepEqual(
    back.welcome.messages.map((m: Frame) => m.text),
    ['one'],
  );
});

test('without a data dir nothing outlives close()', async (t) => {
  const first = await start(t, { dataDir: null });
  const v = await visitor(t, first);
  v.client.send({ type: 'message', id: 'gone', text: 'gone' });
  await v.client.next('ack');
  await first.close();
  const second = await start(t, { dataDir: null, port: portOf(first) });
  const back = await visitor(t, second, { visitorId: v.hello.visitorId });
  assert.equal(back.welcome.visitorNumber, 1);
  assert.deepEqual(back.welcome.messages, []);
});
