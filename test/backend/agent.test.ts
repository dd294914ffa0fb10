// The agent console's socket (/ws/agent): snapshot, status and chat mode, accept, typing, replies, offline messages.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import {
  agent,
  agentSocket,
  backend,
  Client,
  freshDatabase,
  signIn,
  sleep,
  visitor,
  visitorIdFor,
  type Frame,
} from './helpers.js';

test("going online and offline changes every widget's chat mode, once per change", async (t) => {
  const b = await backend(t);
  const v1 = await visitor(t, b);
  const v2 = await visitor(t, b);
  assert.equal(v1.welcome.chatMode, 'offline');

  const alice = await agent(t, b, 'Alice');
  await v1.client.none('chat_mode');
  alice.client.send({ type: 'status', online: true });
  assert.deepEqual(await alice.client.next('status'), { type: 'status', online: true });
  assert.deepEqual(await v1.client.next('chat_mode'), { type: 'chat_mode', chatMode: 'online' });
  assert.deepEqual(await v2.client.next('chat_mode'), { type: 'chat_mode', chatMode: 'online' });
  assert.equal((await visitor(t, b)).welcome.chatMode, 'online');

  // A second online agent does not change the mode; the first going offline neither.
  const bob = await agent(t, b, 'Bob', true);
  assert.equal(bob.welcome.chatMode, 'online');
  alice.client.send({ type: 'status', online: false });
  await v1.client.none('chat_mode');
  // The last online agent leaving (disconnecting counts) makes it offline.
  bob.client.terminate();
  assert.deepEqual(await v1.client.next('chat_mode'), { type: 'chat_mode', chatMode: 'offline' });
  assert.deepEqual(await v2.client.next('chat_mode'), { type: 'chat_mode', chatMode: 'offline' });
  assert.deepEqual(await alice.client.next((f) => f.type === 'chat_mode' && f.chatMode === 'offline'), {
    type: 'chat_mode',
    chatMode: 'offline',
  });
});

test('the welcome snapshot has visitors with their conversations, presence and offline messages', async (t) => {
  const b = await backend(t);
  const v = await visitor(t, b, { department: 'sales' });
  v.client.send({ type: 'message', id: 'q1', text: 'Price?' });
  await v.client.next('ack');
  v.client.send({ type: 'typing', typing: true });
  v.client.send({
    type: 'offline_message',
    id: 'off-1',
    name: 'Ann',
    email: 'ann@example.com',
    phone: '',
    description: '',
    message: 'Call me',
  });
  await v.client.next('ack');
  const bob = await agent(t, b, 'Bob', true);
  const alice = await agent(t, b, 'Alice');
  const w = alice.welcome;
  assert.equal(w.v, 1);
  assert.equal(w.name, 'Alice');
  assert.equal(w.online, false);
  assert.equal(w.chatMode, 'online');
  assert.deepEqual(w.agents, [
    { name: 'Alice', online: false },
    { name: 'Bob', online: true },
  ]);
  assert.equal(w.visitors.length, 1);
  const snap = w.visitors[0];
  assert.equal(snap.number, 1);
  assert.equal(snap.widgetId, 'site');
  assert.equal(snap.department, 'sales');
  assert.deepEqual(snap.page, { url: 'https://shop.example/catalog', title: 'Catalog' });
  assert.equal(snap.online, true);
  assert.equal(snap.typing, true);
  assert.equal(snap.unread, 1);
  assert.equal(snap.acceptedBy, null);
  assert.deepEqual(
    snap.messages.map((m: Frame) => [m.id, m.seq, m.from, m.text]),
    [['q1', 1, 'visitor', 'Price?']],
  );
  assert.equal(w.offlineMessages.length, 1);
  assert.equal(w.offlineMessages[0].message, 'Call me');
  // Bob hears that Alice arrived.
  assert.deepEqual((await bob.client.next((f) => f.type === 'agents' && f.agents.length === 2)).agents, w.agents);
});

test('accept, typing and replies reach the visitor; other consoles see the chat as taken', async (t) => {
  const b = await backend(t);
  const alice = await agent(t, b, 'Alice', true);
  const bob = await agent(t, b, 'Bob', true);
  const v = await visitor(t, b);
  const id = await visitorIdFor(alice.client, 1);

  alice.client.send({ type: 'accept', visitorId: id });
  assert.deepEqual(await v.client.next('agent'), { type: 'agent', agent: { name: 'Alice' } });
  assert.equal(
    (await bob.client.next((f) => f.type === 'visitor' && f.visitor.acceptedBy !== null)).visitor.acceptedBy,
    'Alice',
  );
  // Bob cannot take it or answer in it while Alice is online.
  assert.equal(
    (await bob.client.expectError({ type: 'accept', visitorId: id }, 'taken')).message,
    'Alice has this chat',
  );
  const refused = await bob.client.expectError({ type: 'message', visitorId: id, id: 'b1', text: 'Me too' }, 'taken');
  assert.equal(refused.id, 'b1');

  alice.client.send({ type: 'typing', visitorId: id, typing: true });
  assert.deepEqual(await v.client.next('typing'), { type: 'typing', typing: true });
  alice.client.send({ type: 'message', visitorId: id, id: 'c-1', text: 'Hello! How can I help?' });
  const ack = await alice.client.next('ack');
  assert.equal(ack.id, 'c-1');
  assert.equal(ack.visitorId, id);
  assert.equal(ack.seq, 1);
  // The reply ends the typing, then arrives with a server id.
  assert.deepEqual(await v.client.next('typing'), { type: 'typing', typing: false });
  const got = await v.client.next('message');
  assert.deepEqual(got.message, {
    id: ack.messageId,
    seq: 1,
    from: 'agent',
    text: 'Hello! How can I help?',
    at: ack.at,
    agentName: 'Alice',
  });
  assert.notEqual(ack.messageId, 'c-1');
  // Both consoles see it.
  assert.equal((await bob.client.next('message')).message.id, ack.messageId);
  assert.equal((await alice.client.next('message')).message.id, ack.messageId);
  // A resend of the same console id is acked again, not stored again.
  alice.client.send({ type: 'message', visitorId: id, id: 'c-1', text: 'Hello! How can I help?' });
  assert.deepEqual(await alice.client.next('ack'), ack);
  await v.client.none('message');

  // The welcome of a returning visitor names the agent and carries the reply.
  const again = await visitor(t, b, { visitorId: v.hello.visitorId });
  assert.deepEqual(again.welcome.agent, { name: 'Alice' });
  assert.equal(again.welcome.messages[0].agentName, 'Alice');

  // Once Alice is gone, Bob may take the chat over.
  alice.client.terminate();
  await bob.client.next((f) => f.type === 'agents' && f.agents.length === 1);
  bob.client.send({ type: 'accept', visitorId: id });
  assert.deepEqual(await v.client.next('agent'), { type: 'agent', agent: { name: 'Bob' } });
});

test('a reply in a chat nobody took takes it; an offline agent cannot accept or reply', async (t) => {
  const b = await backend(t);
  const alice = await agent(t, b, 'Alice');
  const v = await visitor(t, b);
  const id = await visitorIdFor(alice.client, 1);
  await alice.client.expectError({ type: 'accept', visitorId: id }, 'offline');
  assert.equal(
    (await alice.client.expectError({ type: 'message', visitorId: id, id: 'z', text: 'hi' }, 'offline')).id,
    'z',
  );
  await v.client.none((f) => f.type === 'agent' || f.type === 'message');

  alice.client.send({ type: 'status', online: true });
  alice.client.send({ type: 'message', visitorId: id, id: 'z', text: 'hi' });
  assert.deepEqual(await v.client.next('agent'), { type: 'agent', agent: { name: 'Alice' } });
  assert.equal((await v.client.next('message')).message.text, 'hi');
});

test('a reply that waits behind a slow store keeps the message token it took when it arrived', async (t) => {
  const database = await freshDatabase(t);
  // Two replies at once, then one a second.
  const b = await backend(t, { database, agentRates: { messages: { burst: 2, windowMs: 2000 } } });
  const bob = await agent(t, b, 'Bob', true);
  const v = await visitor(t, b, { visitorId: 'slow-store' });
  v.client.send({ type: 'message', id: 'q-1', text: 'Hello?' });
  await v.client.next('ack');
  const id = await visitorIdFor(bob.client, 1);
  // Another connection holds the visitor's row: every write about the visitor waits for it.
  const lock = new pg.Client({ connectionString: database });
  lock.on('error', () => {});
  await lock.connect();
  await lock.query('BEGIN');
  await lock.query('SELECT 1 FROM jivo_visitors WHERE id = $1 FOR UPDATE', [id]);
  // Five replies 1.1 s apart, within the rate; they queue behind the first one's write.
  for (let i = 1; i <= 5; i++) {
    bob.client.send({ type: 'message', visitorId: id, id: `r-${i}`, text: `Reply ${i}` });
    if (i < 5) await sleep(1100);
  }
  await bob.client.none('ack', 100);
  await lock.query('COMMIT');
  await lock.end();
  for (let i = 1; i <= 5; i++) {
    const reply = await bob.client.next((f) => f.type === 'ack' || f.type === 'error', 10_000);
    assert.deepEqual([reply.type, reply.id], ['ack', `r-${i}`], JSON.stringify(reply));
  }
  // The rate still holds for replies that arrive too fast.
  for (let i = 6; i <= 9; i++) bob.client.send({ type: 'message', visitorId: id, id: `r-${i}`, text: `Reply ${i}` });
  const answers = [];
  for (let i = 6; i <= 9; i++)
    answers.push((await bob.client.next((f) => f.type === 'ack' || f.type === 'error')).type);
  assert.ok(answers.includes('error') && answers[0] === 'ack', answers.join());
});

test('agents mark a chat read: unread drops to zero in every console', async (t) => {
  const b = await backend(t);
  const alice = await agent(t, b, 'Alice', true);
  const bob = await agent(t, b, 'Bob');
  const v = await visitor(t, b);
  const id = await visitorIdFor(alice.client, 1);
  for (const n of [1, 2]) {
    v.client.send({ type: 'message', id: `u${n}`, text: `question ${n}` });
    await v.client.next('ack');
  }
  await bob.client.next((f) => f.type === 'visitor' && f.visitor.unread === 2);
  alice.client.send({ type: 'read', visitorId: id, seq: 2 });
  await bob.client.next((f) => f.type === 'visitor' && f.visitor.unread === 0);
  // A reply also counts as reading.
  v.client.send({ type: 'message', id: 'u3', text: 'question 3' });
  await v.client.next('ack');
  await bob.client.next((f) => f.type === 'visitor' && f.visitor.unread === 1);
  alice.client.send({ type: 'message', visitorId: id, id: 'ans', text: 'answer' });
  await bob.client.next((f) => f.type === 'visitor' && f.visitor.unread === 0 && f.visitor.lastSeq === 4);
  const snapshot = await agent(t, b, 'Carol');
  assert.equal(snapshot.welcome.visitors[0].unread, 0);
});

test('an offline message is validated, stored once, acked with seq 0 and shown to the agents', async (t) => {
  const b = await backend(t);
  const alice = await agent(t, b);
  const v = await visitor(t, b);
  const frame = {
    type: 'offline_message',
    id: 'off-9',
    name: ' Ann ',
    email: 'ann@example.com',
    phone: '+1 555 0100',
    description: 'Order 42',
    message: 'Please call back',
  };

  const invalid = await v.client.expectError({ ...frame, email: 'not-an-address' }, 'invalid_field');
  assert.equal(invalid.id, 'off-9');
  await v.client.expectError({ ...frame, email: '', phone: '' }, 'invalid_field');
  await v.client.expectError({ ...frame, message: '   ' }, 'invalid_field');

  v.client.send(frame);
  const ack = await v.client.next('ack');
  assert.equal(ack.id, 'off-9');
  assert.equal(ack.seq, 0);
  const shown = await alice.client.next('offline_message');
  assert.deepEqual(
    { ...shown.offlineMessage, id: undefined, visitorId: undefined },
    {
      id: undefined,
      visitorId: undefined,
      widgetId: 'site',
      visitorNumber: 1,
      page: { url: 'https://shop.example/catalog', title: 'Catalog' },
      at: ack.at,
      name: 'Ann',
      email: 'ann@example.com',
      phone: '+1 555 0100',
      description: 'Order 42',
      message: 'Please call back',
    },
  );
  v.client.send(frame);
  assert.deepEqual(await v.client.next('ack'), ack);
  await alice.client.none('offline_message');
  // Not part of the conversation.
  const again = await visitor(t, b, { visitorId: v.hello.visitorId });
  assert.deepEqual(again.welcome.messages, []);
  assert.equal((await agent(t, b, 'Bob')).welcome.offlineMessages.length, 1);
});

test('agent frames are validated like visitor frames', async (t) => {
  const b = await backend(t);
  const raw = await agentSocket(t, b);
  assert.equal(
    (await raw.expectError({ type: 'status', online: true }, 'not_ready')).message,
    'The first frame must be hello',
  );
  await raw.expectError('{oops', 'bad_frame');
  await raw.expectError({ type: 'hello', v: 2, name: 'Alice' }, 'bad_frame');
  await raw.expectError({ type: 'hello', v: 1, online: 'yes' }, 'bad_frame');
  raw.send({ type: 'hello', v: 1, name: 'Alice', online: true });
  await raw.next('welcome');
  await raw.expectError({ type: 'hello', v: 1, name: 'Alice' }, 'bad_frame');
  await raw.expectError({ type: 'status', online: 'yes' }, 'bad_frame');
  await raw.expectError({ type: 'accept', visitorId: 'v-missing' }, 'unknown_visitor');
  await raw.expectError({ type: 'accept', visitorId: '../../etc' }, 'bad_frame');
  await raw.expectError({ type: 'message', visitorId: 'v-missing', id: 'm', text: 'hi' }, 'unknown_visitor');
  await raw.expectError({ type: 'message', visitorId: 'v-x', id: 'm', text: 'x'.repeat(4001) }, 'invalid_field');
  await raw.expectError({ type: 'message', visitorId: 'v-x', text: 'no id' }, 'bad_frame');
  await raw.expectError({ type: 'typing', visitorId: 'v-x' }, 'bad_frame');
  await raw.expectError({ type: 'read', visitorId: 'v-x', seq: -1 }, 'bad_frame');
  await raw.expectError({ type: 'transfer', visitorId: 'v-x' }, 'bad_frame');
});

test('F2: an agent console from any origin but the exact allowed ones is refused, other local ports included', async (t) => {
  const b = await backend(t, { consoleOrigins: ['https://console.example'] });
  const port = new URL(b.url).port;
  const Cookie = await signIn(b, 'Alice');
  for (const origin of [
    'https://evil.example',
    'http://127.0.0.1.evil.example',
    'http://localhost.evil.example:8000',
    'null',
    'garbage',
    // Any other local dev server is another origin: it must not drive the console's socket.
    'http://localhost:8123',
    'http://127.0.0.1:9000',
    'http://[::1]:8000',
    'https://console.example:8443',
  ]) {
    await assert.rejects(new Client(b.agentUrl, { origin, headers: { Cookie } }).opened, /403/, origin);
  }
  for (const origin of [b.url, `http://localhost:${port}`, 'https://console.example']) {
    const console_ = await Client.open(t, b.agentUrl, { origin, headers: { Cookie } });
    console_.send({ type: 'hello', v: 1, name: 'Alice' });
    await console_.next('welcome');
  }
  // Widgets are embedded on other sites: their socket takes any origin.
  const widget = await Client.open(t, b.visitorUrl, { origin: 'https://shop.example' });
  widget.send({ type: 'typing', typing: true });
  await widget.next('error');
});
