// Ending a chat from either side and rating it (docs/protocol.md#end, #rating, #chat_ended; docs/webhooks.md
// #chat_finished): the rating is stored, every console sees it, the `chat_finished` webhook carries it (and waits for
// it while the visitor is there, durably), and the visitor's next message starts a new chat.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import {
  agent,
  backend,
  freshDatabase,
  Client,
  hello,
  quiet,
  sleep,
  startBackend,
  tempDir,
  testOptions,
  visitor,
  visitorIdFor,
  type Frame,
} from './helpers.js';

/** An HTTP server that records the bodies of the webhooks it is sent. */
async function receiver(t: TestContext) {
  const bodies: Frame[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  const finished = () => bodies.filter((b) => b.event_name === 'chat_finished');
  /** Waits for the `count`th chat_finished. */
  const waitFinished = async (count = 1, ms = 5000): Promise<Frame[]> => {
    const end = Date.now() + ms;
    while (finished().length < count) {
      if (Date.now() > end) throw new Error(`no chat_finished #${count}; got ${JSON.stringify(bodies)}`);
      await sleep(10);
    }
    return finished();
  };
  return { url, bodies, finished, waitFinished };
}

const FAST = { base: 20, max: 200, attempts: 50 };
const hooks = (url: string) => ({ urls: [url], secret: 'end-secret', retry: FAST, timeoutMs: 1000, coalesceMs: 20 });

/** A visitor with one message, an agent who accepted and answered it. */
async function chat(t: TestContext, b: Frame, widgetId = 'site') {
  const alice = await agent(t, b, 'Alice', true);
  const ann = await visitor(t, b, { widgetId });
  const id = await visitorIdFor(alice.client, 1, widgetId);
  ann.client.send({ type: 'message', id: 'm1', text: 'Do you ship to Norway?' });
  await ann.client.next('ack');
  alice.client.send({ type: 'accept', visitorId: id });
  alice.client.send({ type: 'message', visitorId: id, id: 'a1', text: 'We do!' });
  await alice.client.next('ack');
  return { alice, ann, id };
}

test('the agent ends the chat, the visitor rates it: the rating reaches the console, the store and chat_finished', async (t) => {
  const r = await receiver(t);
  const b = await backend(t, { webhooks: hooks(r.url) });
  const { alice, ann, id } = await chat(t, b);
  alice.client.send({ type: 'finish', visitorId: id });
  const ended = await ann.client.next('chat_ended');
  assert.deepEqual(ended.ended, { chat: 1, seq: 2, by: 'agent', rating: null });
  // The visitor is there to rate: the webhook waits.
  await sleep(150);
  assert.equal(r.finished().length, 0, 'chat_finished waits for the rating');

  // A second tab of the same visitor hears of the rating too.
  const tab = await visitor(t, b, { visitorId: ann.hello.visitorId, after: 2 });
  assert.deepEqual(tab.welcome.ended, { chat: 1, seq: 2, by: 'agent', rating: null });
  ann.client.send({ type: 'rating', chat: 1, rate: 'good', comment: '  Quick and kind  ' });
  const [finished] = await r.waitFinished(1);
  assert.equal(finished.chat_id, `${id}.1`);
  assert.equal(finished.ended_by, 'agent');
  assert.deepEqual(finished.agent, { id: alice.welcome.agentId, name: 'Alice' });
  assert.deepEqual(finished.rating, { rate: 'good', comment: 'Quick and kind' });
  assert.deepEqual(
    finished.messages.map((m: Frame) => [m.seq, m.from, m.text]),
    [
      [1, 'visitor', 'Do you ship to Norway?'],
      [2, 'agent', 'We do!'],
    ],
  );
  const rated = { chat: 1, seq: 2, by: 'agent', rating: { rate: 'good', comment: 'Quick and kind' } };
  assert.deepEqual((await tab.client.next('chat_ended')).ended, rated);
  assert.deepEqual((await ann.client.next('chat_ended')).ended, rated);
  const seen = await alice.client.next((f) => f.type === 'visitor' && f.visitor.ratings?.length === 1);
  assert.equal(seen.visitor.endedBy, 'agent');
  assert.equal(seen.visitor.finishedChats, 1);
  assert.deepEqual(
    seen.visitor.ratings.map(({ at, ...x }: Frame) => (assert.equal(typeof at, 'number'), x)),
    [{ chat: 1, rate: 'good', comment: 'Quick and kind' }],
  );

  // A chat is rated once: a second rating changes nothing and is answered with what is stored.
  ann.client.send({ type: 'rating', chat: 1, rate: 'bad', comment: 'changed my mind' });
  assert.deepEqual((await ann.client.next('chat_ended')).ended, rated);
  // A rating of a chat that has not ended is not stored either.
  ann.client.send({ type: 'rating', chat: 2, rate: 'bad', comment: '' });
  assert.deepEqual((await ann.client.next('chat_ended')).ended, rated);
  await sleep(100);
  assert.equal(r.finished().length, 1);

  // The next message starts a new chat: a new chat in the console, the next chat id in the webhooks.
  ann.client.send({ type: 'message', id: 'm2', text: 'One more thing' });
  await ann.client.next('ack');
  const fresh = await alice.client.next((f) => f.type === 'visitor' && f.visitor.lastSeq === 3);
  assert.equal(fresh.visitor.finishedSeq, 2, 'messages after seq 2 are the new chat');
  assert.equal(fresh.visitor.acceptedBy, null);
  alice.client.send({ type: 'accept', visitorId: id });
  await alice.client.next((f) => f.type === 'visitor' && f.visitor.acceptedBy === 'Alice');
  const end = Date.now() + 5000;
  while (!r.bodies.some((x) => x.event_name === 'chat_accepted' && x.chat_id === `${id}.2`)) {
    assert.ok(Date.now() < end, 'chat_accepted of the second chat');
    await sleep(10);
  }
});

test('the visitor ends the chat nobody accepted, and declines to rate: chat_finished goes out without a rating', async (t) => {
  const r = await receiver(t);
  const b = await backend(t, { webhooks: hooks(r.url) });
  const alice = await agent(t, b, 'Alice', true);
  const ann = await visitor(t, b);
  const id = await visitorIdFor(alice.client, 1);
  // Nothing to end yet: no message, nobody has the chat.
  ann.client.send({ type: 'end' });
  await ann.client.none('chat_ended', 150);
  ann.client.send({ type: 'message', id: 'm1', text: 'Hello?' });
  await ann.client.next('ack');
  ann.client.send({ type: 'end' });
  assert.deepEqual((await ann.client.next('chat_ended')).ended, { chat: 1, seq: 1, by: 'visitor', rating: null });
  const update = await alice.client.next((f) => f.type === 'visitor' && f.visitor.finishedSeq === 1);
  assert.equal(update.visitor.endedBy, 'visitor');
  ann.client.send({ type: 'rating', chat: 1, rate: null, comment: '' });
  const [finished] = await r.waitFinished(1);
  assert.equal(finished.chat_id, `${id}.1`);
  assert.equal(finished.agent, null);
  assert.equal(finished.ended_by, 'visitor');
  assert.equal(finished.rating, null);
  assert.deepEqual(
    finished.messages.map((m: Frame) => m.text),
    ['Hello?'],
  );
});

test('the visitor ends a chat an agent has: the agent hears of it and the webhook names the agent', async (t) => {
  const r = await receiver(t);
  const b = await backend(t, { webhooks: hooks(r.url) });
  const { alice, ann, id } = await chat(t, b);
  ann.client.send({ type: 'end' });
  assert.deepEqual((await ann.client.next('chat_ended')).ended, { chat: 1, seq: 2, by: 'visitor', rating: null });
  await ann.client.next((f) => f.type === 'agent' && f.agent === null);
  const update = await alice.client.next(
    (f) => f.type === 'visitor' && f.visitor.id === id && f.visitor.endedBy === 'visitor',
  );
  assert.equal(update.visitor.acceptedBy, null);
  ann.client.send({ type: 'rating', chat: 1, rate: 'bad', comment: 'Too slow' });
  const [finished] = await r.waitFinished(1);
  assert.deepEqual(finished.agent, { id: alice.welcome.agentId, name: 'Alice' });
  assert.deepEqual(finished.rating, { rate: 'bad', comment: 'Too slow' });
  assert.equal(finished.ended_by, 'visitor');
});

test('a bad rating frame is refused and changes nothing', async (t) => {
  const r = await receiver(t);
  const b = await backend(t, { webhooks: hooks(r.url) });
  const { alice, ann, id } = await chat(t, b);
  alice.client.send({ type: 'finish', visitorId: id });
  await ann.client.next('chat_ended');
  for (const frame of [
    { type: 'rating', chat: 1, rate: 'great', comment: '' },
    { type: 'rating', chat: 1, rate: 'good', comment: 'x'.repeat(1001) },
    { type: 'rating', chat: 1, rate: 'good', comment: 42 },
  ]) {
    const error = await ann.client.expectError(frame);
    assert.equal(error.code, 'invalid_field');
  }
  for (const frame of [
    { type: 'rating', chat: 0, rate: 'good', comment: '' },
    { type: 'rating', rate: 'good', comment: '' },
  ]) {
    assert.equal((await ann.client.expectError(frame)).code, 'bad_frame');
  }
  await sleep(100);
  assert.equal(r.finished().length, 0);
  const state = await alice.client.next((f) => f.type === 'visitor' && f.visitor.finishedSeq === 2);
  assert.deepEqual(state.visitor.ratings, []);
});

test('nobody there to rate: chat_finished goes out at once; a wait that passes sends it without a rating', async (t) => {
  const r = await receiver(t);
  const b = await backend(t, { webhooks: hooks(r.url), limits: { ratingWaitMs: 300 } });
  const { alice, ann, id } = await chat(t, b);
  alice.client.send({ type: 'finish', visitorId: id });
  await ann.client.next('chat_ended');
  const started = Date.now();
  const [finished] = await r.waitFinished(1);
  assert.ok(Date.now() - started >= 200, 'it waited for the rating');
  assert.equal(finished.rating, null);

  // Another visitor, gone before the agent finishes: nobody to ask.
  const bob = await visitor(t, b);
  const bobId = await visitorIdFor(alice.client, 2);
  bob.client.send({ type: 'message', id: 'b1', text: 'Hi' });
  await bob.client.next('ack');
  alice.client.send({ type: 'accept', visitorId: bobId });
  await alice.client.next((f) => f.type === 'visitor' && f.visitor.id === bobId && f.visitor.acceptedBy === 'Alice');
  await bob.client.close();
  await alice.client.next((f) => f.type === 'visitor' && f.visitor.id === bobId && !f.visitor.online);
  alice.client.send({ type: 'finish', visitorId: bobId });
  const quick = Date.now();
  const all = await r.waitFinished(2, 250);
  assert.ok(Date.now() - quick < 250);
  assert.equal(all[1].chat_id, `${bobId}.1`);
});

test('a webhook waiting for a rating survives a restart and goes out when its wait is over', async (t) => {
  const r = await receiver(t);
  const dataDir = await tempDir(t);
  const options = testOptions({ dataDir, webhooks: hooks(r.url), limits: { ratingWaitMs: 1500 }, warn: quiet });
  let b = await startBackend(options);
  const alice = await agent(null, b, 'Alice', true);
  const ann = await visitor(null, b, { widgetId: 'site' });
  const id = await visitorIdFor(alice.client, 1);
  ann.client.send({ type: 'message', id: 'm1', text: 'Hi' });
  await ann.client.next('ack');
  alice.client.send({ type: 'accept', visitorId: id });
  await alice.client.next((f) => f.type === 'visitor' && f.visitor.acceptedBy === 'Alice');
  alice.client.send({ type: 'finish', visitorId: id });
  await ann.client.next('chat_ended');
  ann.client.terminate();
  alice.client.terminate();
  await b.close();
  assert.equal(r.finished().length, 0);
  b = await startBackend(options);
  t.after(() => b.close());
  const [finished] = await r.waitFinished(1, 5000);
  assert.equal(finished.chat_id, `${id}.1`);
  assert.deepEqual(finished.agent?.name, 'Alice');
  assert.equal(finished.rating, null);
  await sleep(200);
  assert.equal(r.finished().length, 1, 'once');
});

test('a widget reconnecting after the end hears of it in the welcome', async (t) => {
  const b = await backend(t);
  const { alice, ann, id } = await chat(t, b);
  alice.client.send({ type: 'finish', visitorId: id });
  await ann.client.next('chat_ended');
  const again = await Client.open(t, b.visitorUrl);
  again.send(hello({ visitorId: ann.hello.visitorId, after: 2 }));
  const welcome = await again.next('welcome');
  assert.deepEqual(welcome.ended, { chat: 1, seq: 2, by: 'agent', rating: null });
  assert.equal(welcome.agent, null);
});

test('on PostgreSQL with two servers: the rating given on one ends the wait the other started; chat_finished goes out once', async (t) => {
  const r = await receiver(t);
  const database = await freshDatabase(t);
  const start = () =>
    startBackend(
      testOptions({
        port: 0,
        host: '127.0.0.1',
        staticRoot: null,
        warn: quiet,
        database,
        webhooks: hooks(r.url),
        limits: { ratingWaitMs: 1500 },
      }),
    );
  const a = await start();
  t.after(() => a.close());
  const b = await start();
  t.after(() => b.close());
  // The visitor on one server, the agent on the other.
  const alice = await agent(t, b, 'Alice', true);
  const ann = await visitor(t, a);
  const id = await visitorIdFor(alice.client, 1);
  ann.client.send({ type: 'message', id: 'm1', text: 'Hello from server A' });
  await ann.client.next('ack');
  alice.client.send({ type: 'accept', visitorId: id });
  await alice.client.next((f) => f.type === 'visitor' && f.visitor.acceptedBy === 'Alice');
  alice.client.send({ type: 'finish', visitorId: id });
  assert.deepEqual((await ann.client.next('chat_ended', 4000)).ended, { chat: 1, seq: 1, by: 'agent', rating: null });
  ann.client.send({ type: 'rating', chat: 1, rate: 'good', comment: 'Across servers' });
  const [finished] = await r.waitFinished(1);
  assert.deepEqual(finished.rating, { rate: 'good', comment: 'Across servers' });
  assert.deepEqual(finished.agent?.name, 'Alice');
  await alice.client.next((f) => f.type === 'visitor' && f.visitor.ratings?.length === 1, 4000);
  // Past the wait on both servers: nothing more goes out.
  await sleep(2500);
  assert.equal(r.finished().length, 1);

  // A second chat, not rated: the wait ends on whichever server's timer comes first, and the event goes out once.
  ann.client.send({ type: 'message', id: 'm2', text: 'Again' });
  await ann.client.next('ack');
  alice.client.send({ type: 'accept', visitorId: id });
  await alice.client.next((f) => f.type === 'visitor' && f.visitor.acceptedBy === 'Alice' && f.visitor.lastSeq === 2);
  alice.client.send({ type: 'finish', visitorId: id });
  await ann.client.next((f) => f.type === 'chat_ended' && f.ended.chat === 2, 4000);
  const all = await r.waitFinished(2, 6000);
  assert.equal(all[1].chat_id, `${id}.2`);
  assert.equal(all[1].rating, null);
  await sleep(2000);
  assert.equal(r.finished().length, 2, 'once');
});

test('a new message after the end sends the waiting chat_finished at once, without a rating, before the new chat', async (t) => {
  const r = await receiver(t);
  const b = await backend(t, { webhooks: hooks(r.url) });
  const { alice, ann, id } = await chat(t, b);
  alice.client.send({ type: 'finish', visitorId: id });
  await ann.client.next('chat_ended');
  await sleep(100);
  assert.equal(r.finished().length, 0, 'it waits for the rating');
  ann.client.send({ type: 'message', id: 'm2', text: 'Actually, one more question' });
  await ann.client.next('ack');
  const [finished] = await r.waitFinished(1, 2000);
  assert.equal(finished.chat_id, `${id}.1`);
  assert.equal(finished.rating, null);
  assert.deepEqual(
    finished.messages.map((m: Frame) => m.seq),
    [1, 2],
    'only the finished chat, not the new message',
  );
  // Too late to rate the first chat in the webhook; the rating is still stored and shown.
  ann.client.send({ type: 'rating', chat: 1, rate: 'good', comment: '' });
  await alice.client.next((f) => f.type === 'visitor' && f.visitor.ratings?.length === 1);
  await sleep(100);
  assert.equal(r.finished().length, 1);
});
