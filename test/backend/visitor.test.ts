// The widget's socket (/ws/visitor): hello/welcome, numbering, messages and acks, dedupe, resume, tabs, read, page.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { agent, backend, Client, hello, visitor, visitorIdFor, type Frame } from './helpers.js';

test('hello gets a welcome with the visitor number, chat mode, agent, history, readSeq and call backs', async (t) => {
  const b = await backend(t);
  const { welcome } = await visitor(t, b);
  // The server issues the id: 128 random bits as 22 characters of base64url.
  assert.match(welcome.visitorId, /^[A-Za-z0-9_-]{22}$/);
  assert.deepEqual(welcome, {
    type: 'welcome',
    visitorId: welcome.visitorId,
    visitorNumber: 1,
    chatMode: 'offline',
    agent: null,
    messages: [],
    readSeq: 0,
    callbackEnabled: false,
    call: null,
  });
});

test('visitor numbers are sequential per widgetId, from 1, and stable for a known visitor', async (t) => {
  const b = await backend(t);
  const a1 = await visitor(t, b, { widgetId: 'a' });
  const a2 = await visitor(t, b, { widgetId: 'a' });
  const b1 = await visitor(t, b, { widgetId: 'b' });
  const a3 = await visitor(t, b, { widgetId: 'a' });
  assert.deepEqual(
    [a1, a2, b1, a3].map((v) => v.welcome.visitorNumber),
    [1, 2, 1, 3],
  );
  // The same visitorId says hello again (another tab, a reload): same number, no new visitor.
  const again = await visitor(t, b, { widgetId: 'a', visitorId: a2.hello.visitorId });
  assert.equal(again.welcome.visitorNumber, 2);
  const a4 = await visitor(t, b, { widgetId: 'a' });
  assert.equal(a4.welcome.visitorNumber, 4);
  // The same visitorId under another widgetId is another visitor.
  const other = await visitor(t, b, { widgetId: 'b', visitorId: a1.hello.visitorId });
  assert.equal(other.welcome.visitorNumber, 2);
});

test('a message is acked with the next seq, and the agents receive it', async (t) => {
  const b = await backend(t);
  const alice = await agent(t, b);
  const { client } = await visitor(t, b);
  const id = await visitorIdFor(alice.client, 1);

  client.send({ type: 'message', id: 'm-1', text: 'Hello, is anyone there?' });
  const ack = await client.next('ack');
  assert.equal(ack.id, 'm-1');
  assert.equal(ack.seq, 1);
  assert.ok(Math.abs(ack.at - Date.now()) < 5000);

  const got = await alice.client.next('message');
  assert.deepEqual(got, {
    type: 'message',
    visitorId: id,
    message: { id: 'm-1', seq: 1, from: 'visitor', text: 'Hello, is anyone there?', at: ack.at },
  });
  const unread = await alice.client.next((f) => f.type === 'visitor' && f.visitor.unread === 1);
  assert.equal(unread.visitor.lastSeq, 1);

  client.send({ type: 'message', id: 'm-2', text: 'Second' });
  assert.equal((await client.next('ack')).seq, 2);
});

test('a resend of a known id is stored once and acked again with the original seq and time', async (t) => {
  const b = await backend(t);
  const alice = await agent(t, b);
  const v = await visitor(t, b);
  v.client.send({ type: 'message', id: 'dup', text: 'once' });
  const first = await v.client.next('ack');
  v.client.send({ type: 'message', id: 'dup', text: 'once' });
  const second = await v.client.next('ack');
  assert.deepEqual(second, first);
  // Even from a new socket after a reconnect.
  const again = await Client.open(t, b.visitorUrl);
  again.send({ ...v.hello, after: 1 });
  await again.next('welcome');
  again.send({ type: 'message', id: 'dup', text: 'once' });
  assert.deepEqual(await again.next('ack'), first);

  await alice.client.next('message');
  await alice.client.none('message');
  const fresh = await visitor(t, b, { visitorId: v.hello.visitorId });
  assert.equal(fresh.welcome.messages.length, 1);
});

test('a hello with `after` resumes: only the messages the widget does not have, oldest first', async (t) => {
  const b = await backend(t);
  const v = await visitor(t, b);
  for (let i = 1; i <= 4; i++) {
    v.client.send({ type: 'message', id: `m${i}`, text: `text ${i}` });
    await v.client.next('ack');
  }
  const resumed = await visitor(t, b, { visitorId: v.hello.visitorId, after: 2 });
  assert.deepEqual(
    resumed.welcome.messages.map((m: Frame) => [m.seq, m.id, m.from, m.text]),
    [
      [3, 'm3', 'visitor', 'text 3'],
      [4, 'm4', 'visitor', 'text 4'],
    ],
  );
  const all = await visitor(t, b, { visitorId: v.hello.visitorId, after: 0 });
  assert.deepEqual(
    all.welcome.messages.map((m: Frame) => m.seq),
    [1, 2, 3, 4],
  );
  const beyond = await visitor(t, b, { visitorId: v.hello.visitorId, after: 99 });
  assert.deepEqual(beyond.welcome.messages, []);
});

test("other tabs of the same visitor get the visitor's messages and read, the sender does not", async (t) => {
  const b = await backend(t);
  const alice = await agent(t, b, 'Alice', true);
  const tab1 = await visitor(t, b);
  const tab2 = await visitor(t, b, { visitorId: tab1.hello.visitorId });
  const stranger = await visitor(t, b);
  const id = await visitorIdFor(alice.client, 1);

  tab1.client.send({ type: 'message', id: 'from-tab-1', text: 'typed in tab 1' });
  const ack = await tab1.client.next('ack');
  const copy = await tab2.client.next('message');
  assert.deepEqual(copy.message, { id: 'from-tab-1', seq: 1, from: 'visitor', text: 'typed in tab 1', at: ack.at });
  await tab1.client.none('message');
  await stranger.client.none('message');

  // An agent reply reaches both tabs; reading it in one tab tells the other.
  alice.client.send({ type: 'message', visitorId: id, id: 'r1', text: 'Hi!' });
  const reply1 = await tab1.client.next('message');
  const reply2 = await tab2.client.next('message');
  assert.deepEqual(reply1, reply2);
  assert.equal(reply1.message.seq, 2);
  tab2.client.send({ type: 'read', seq: 2 });
  assert.deepEqual(await tab1.client.next('read'), { type: 'read', seq: 2 });
  await tab2.client.none('read');
  // Reading the same seq again, or an older one, changes nothing and tells no one.
  tab2.client.send({ type: 'read', seq: 1 });
  tab2.client.send({ type: 'read', seq: 2 });
  await tab1.client.none('read');
  // A later hello reports it; a read beyond the conversation is clamped to its last seq.
  tab1.client.send({ type: 'read', seq: 1000 });
  await tab1.client.none('read');
  const tab3 = await visitor(t, b, { visitorId: tab1.hello.visitorId });
  assert.equal(tab3.welcome.readSeq, 2);
  const seen = await alice.client.next((f) => f.type === 'visitor' && f.visitor.readSeq === 2);
  assert.equal(seen.visitor.id, id);
});

test('typing and page changes reach the agents; the visitor going away is shown', async (t) => {
  const b = await backend(t);
  const alice = await agent(t, b);
  const v = await visitor(t, b);
  const id = await visitorIdFor(alice.client, 1);

  v.client.send({ type: 'typing', typing: true });
  assert.deepEqual(await alice.client.next('typing'), { type: 'typing', visitorId: id, typing: true });
  v.client.send({ type: 'page', page: { url: 'https://shop.example/cart', title: 'Cart' } });
  const moved = await alice.client.next((f) => f.type === 'visitor' && f.visitor.page?.title === 'Cart');
  assert.deepEqual(moved.visitor.page, { url: 'https://shop.example/cart', title: 'Cart' });
  assert.equal(moved.visitor.typing, true);

  // Sending the message ends the typing.
  v.client.send({ type: 'message', id: 'x', text: 'this one' });
  assert.deepEqual(await alice.client.next('typing'), { type: 'typing', visitorId: id, typing: false });

  v.client.send({ type: 'typing', typing: true });
  await alice.client.next((f) => f.type === 'typing' && f.typing);
  await v.client.close();
  assert.deepEqual(await alice.client.next('typing'), { type: 'typing', visitorId: id, typing: false });
  const gone = await alice.client.next((f) => f.type === 'visitor' && !f.visitor.online);
  assert.equal(gone.visitor.id, id);
});

test('the visitor is online while any of its sockets is open', async (t) => {
  const b = await backend(t);
  const alice = await agent(t, b);
  const tab1 = await visitor(t, b);
  await alice.client.next((f) => f.type === 'visitor' && f.visitor.online);
  const tab2 = await visitor(t, b, { visitorId: tab1.hello.visitorId });
  await tab1.client.close();
  await alice.client.none((f) => f.type === 'visitor' && !f.visitor.online);
  await tab2.client.close();
  await alice.client.next((f) => f.type === 'visitor' && !f.visitor.online);
});

test('hello sends the department and language to the agents, and the visitor stays one visitor', async (t) => {
  const b = await backend(t);
  const alice = await agent(t, b);
  const frame = hello({ department: 'sales', lang: 'ru' });
  const client = await Client.open(t, b.visitorUrl);
  client.send(frame);
  await client.next('welcome');
  const seen = await alice.client.next('visitor');
  assert.equal(seen.visitor.department, 'sales');
  assert.equal(seen.visitor.lang, 'ru');
  assert.equal(seen.visitor.widgetId, 'site');
  assert.ok(/^v-[\w-]+$/.test(seen.visitor.id));
  // The agent never sees the widget's secret visitorId.
  assert.ok(!JSON.stringify(alice.client.frames).includes(frame.visitorId));
});
