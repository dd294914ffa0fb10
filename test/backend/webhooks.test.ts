// Webhooks (docs/webhooks.md): the backend POSTs chat_accepted, chat_finished, offline_message and client_updated to
// a receiving HTTP server started here, signed with the secret, retried with backoff while the receiver fails or hangs,
// in order per URL, and kept on disk across a restart (and a SIGKILL) until delivered.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import pg from 'pg';
import type { TestContext } from 'node:test';
import {
  account,
  agent,
  backend,
  Client,
  freshDatabase,
  hello,
  quiet,
  SERVER,
  sleep,
  spawnServer,
  startBackend,
  tempDir,
  visitor,
  visitorIdFor,
  type Backend,
  type Frame,
} from './helpers.js';
import { checkWebhookOptions, Webhooks } from '../../server/webhooks.js';
import { openWebhookQueue } from '../../server/webhook-queue.js';
import { PostgresStore } from '../../server/store/postgres.js';

const SECRET = 'webhook-secret-5f1c';
const TOKEN = 'site-user-42';
const UA = 'Mozilla/5.0 (X11; Linux x86_64) WebhookTest/1.0';
const CONTACT = {
  type: 'contact',
  name: 'Ann Lee',
  email: 'ann@example.com',
  phone: '+47 555 01 02',
  description: 'Wholesale buyer',
};
const FIELDS = [
  { title: 'Order', content: '#42', key: 'Number', link: 'https://shop.example/orders/42' },
  { content: 'Gold', key: 'Plan' },
];
const UTM = { source: 'newsletter', medium: 'email', campaign: 'spring', content: 'banner', term: 'boots' };
const PAGE = { url: 'https://shop.example/catalog', title: 'Catalog' };
/** Fast retries for tests: 20 ms doubling to 200 ms. */
const FAST = { base: 20, max: 200, attempts: 50 };

/**
 * An HTTP server that records every request. `respond(entry, n)` (n counts from 1) answers with a status, or 'hang'
 * to never answer. `accepted` holds the requests answered 2xx: what the receiver processed.
 */
async function receiver(t: TestContext, respond: (entry: Frame, n: number) => number | 'hang' = () => 200) {
  const r: Frame = { requests: [], accepted: [], respond };
  const server = createServer((req, res) => {
    const chunks: Frame[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const entry: Frame = { method: req.method, path: req.url, headers: req.headers, raw, body: JSON.parse(raw) };
      r.requests.push(entry);
      const answer = r.respond(entry, r.requests.length);
      entry.status = answer;
      if (answer === 'hang') return;
      if (answer >= 200 && answer < 300) r.accepted.push(entry);
      res.writeHead(answer, { 'content-type': 'text/plain' }).end('thanks');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/jivo?key=abc`;
  r.close = () => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  };
  t.after(() => r.close());
  /** Waits until `accepted` has `count` entries (and returns their bodies). */
  r.waitAccepted = (count: Frame, ms = 5000) =>
    until(
      () => r.accepted.length >= count,
      ms,
      () => `got ${r.accepted.length} accepted: ${r.accepted.map((e: Frame) => e.body.event_name)}`,
    ).then(() => r.accepted.map((e: Frame) => e.body));
  return r;
}

/** A new visitor who says hello and writes once, and the chat accepted by Alice's console: the visitor's id there. */
async function acceptedChat(t: TestContext, b: Backend, alice: Client): Promise<string> {
  const v = await visitor(t, b);
  const id = await visitorIdFor(alice, 1);
  v.client.send({ type: 'message', id: 'm1', text: 'Hi' });
  await v.client.next('ack');
  alice.send({ type: 'accept', visitorId: id });
  await alice.next((f) => f.type === 'visitor' && f.visitor.acceptedBy === 'Alice');
  return id;
}

/** Polls until `check()` is true, or fails after `ms` with `what()`. */
async function until(check: Frame, ms = 5000, what = () => '') {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out: ${what()}`);
    await sleep(10);
  }
}

const webhooked = (t: TestContext, r: Frame, more = {}, options = {}) =>
  backend(t, {
    webhooks: { urls: [r.url], secret: SECRET, retry: FAST, timeoutMs: 1000, coalesceMs: 50, ...more },
    ...options,
  });

/** A visitor socket whose upgrade request carries a User-Agent header. */
async function browserVisitor(t: TestContext, b: Backend, overrides = {}) {
  const frame = hello({ widgetId: 'shop', page: PAGE, department: 'sales', ...overrides });
  const client = await Client.open(t, b.visitorUrl, { headers: { 'user-agent': UA } });
  client.send(frame);
  const welcome = await client.next('welcome');
  return { client, welcome, hello: frame };
}

/** Marks every frame a client has received so far as seen, so that `none` looks only at later ones. */
const seen = (client: Frame) =>
  client.frames.forEach((f: Frame) => f.__taken || Object.defineProperty(f, '__taken', { value: true }));

const signature = (raw: Frame, secret = SECRET) => `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

test('chat_accepted and chat_finished carry the visitor, session, page, department and the chat, signed', async (t) => {
  const r = await receiver(t);
  // chat_finished at once, without waiting for the visitor's rating (chat-end.test.ts has the wait).
  const b = await webhooked(t, r, {}, { limits: { ratingWaitMs: 0 } });
  const alice = await agent(t, b, 'Alice', true);
  const ann = await browserVisitor(t, b);
  const id = await visitorIdFor(alice.client, 1, 'shop');
  ann.client.send(CONTACT);
  ann.client.send({ type: 'custom_data', fields: FIELDS });
  ann.client.send({ type: 'user_token', token: TOKEN });
  ann.client.send({ type: 'utm', utm: UTM });
  await r.waitAccepted(1);
  ann.client.send({ type: 'message', id: 'm1', text: 'Do you ship to Norway?' });
  await ann.client.next('ack');
  alice.client.send({ type: 'accept', visitorId: id });
  alice.client.send({ type: 'message', visitorId: id, id: 'a1', text: 'We do!' });
  await alice.client.next('ack');
  alice.client.send({ type: 'finish', visitorId: id });
  const [updated, accepted, finished] = await r.waitAccepted(3);

  assert.deepEqual(
    r.accepted.map((e: Frame) => [e.body.event_name, e.headers['x-jivo-event']]),
    [
      ['client_updated', 'client_updated'],
      ['chat_accepted', 'chat_accepted'],
      ['chat_finished', 'chat_finished'],
    ],
  );
  const common = {
    widget_id: 'shop',
    user_token: TOKEN,
    visitor: {
      id,
      number: 1,
      name: 'Ann Lee',
      email: 'ann@example.com',
      phone: '+47 555 01 02',
      description: 'Wholesale buyer',
    },
    session: { utm: UTM, user_agent: UA },
    page: PAGE,
    department: 'sales',
    custom_data: FIELDS,
  };
  for (const [key, value] of Object.entries(common)) {
    for (const body of [updated, accepted, finished]) assert.deepEqual(body[key], value, `${body.event_name}.${key}`);
  }
  assert.deepEqual(updated.changed, ['contact', 'custom_data', 'user_token']);
  assert.equal(accepted.chat_id, `${id}.1`);
  assert.deepEqual(accepted.agent, { id: alice.welcome.agentId, name: 'Alice' });
  assert.equal(finished.chat_id, accepted.chat_id);
  assert.deepEqual(finished.agent, { id: alice.welcome.agentId, name: 'Alice' });
  assert.equal(finished.ended_by, 'agent');
  assert.equal(finished.rating, null);
  assert.deepEqual(
    finished.messages.map(({ id: _, at, ...m }: Frame) => (assert.equal(typeof at, 'number'), m)),
    [
      { seq: 1, from: 'visitor', text: 'Do you ship to Norway?' },
      { seq: 2, from: 'agent', text: 'We do!', agent_name: 'Alice' },
    ],
  );
  assert.equal(finished.messages[0].id, 'm1');

  for (const e of r.accepted) {
    assert.equal(e.method, 'POST');
    assert.equal(e.path, '/hooks/jivo?key=abc');
    assert.equal(e.headers['content-type'], 'application/json');
    assert.match(e.body.event_id, UUID);
    assert.equal(e.headers['x-jivo-event-id'], e.body.event_id);
    assert.equal(e.headers['x-jivo-signature'], signature(e.raw));
    assert.notEqual(e.headers['x-jivo-signature'], signature(e.raw, 'another secret'));
    assert.ok(Math.abs(e.body.sent_at - Date.now()) < 10_000 && e.body.created_at <= e.body.sent_at);
  }
  assert.equal(new Set(r.accepted.map((e: Frame) => e.body.event_id)).size, 3);

  // The console: nobody has the chat now, and the finished one ends at seq 2.
  const after = await alice.client.next((f) => f.type === 'visitor' && f.visitor.finishedSeq === 2);
  assert.equal(after.visitor.acceptedBy, null);
  // The visitor heard of the accept, then that nobody has the chat; the conversation is not touched.
  assert.deepEqual((await ann.client.next('agent')).agent, { name: 'Alice' });
  assert.equal((await ann.client.next('agent')).agent, null);
  await ann.client.none((f) => f.type === 'agent');

  // The visitor's next message starts a new chat, with only its own messages.
  ann.client.send({ type: 'message', id: 'm2', text: 'One more thing' });
  await ann.client.next('ack');
  alice.client.send({ type: 'message', visitorId: id, id: 'a2', text: 'Sure' });
  await alice.client.next('ack');
  alice.client.send({ type: 'finish', visitorId: id });
  const [, , , accepted2, finished2] = await r.waitAccepted(5);
  assert.equal(accepted2.event_name, 'chat_accepted');
  assert.equal(accepted2.chat_id, `${id}.2`);
  assert.equal(finished2.chat_id, `${id}.2`);
  assert.deepEqual(
    finished2.messages.map((m: Frame) => [m.seq, m.text]),
    [
      [3, 'One more thing'],
      [4, 'Sure'],
    ],
  );
});

test('offline_message carries the message and the visitor; user_token is null when the site set none', async (t) => {
  const r = await receiver(t);
  const b = await webhooked(t, r);
  const v = await browserVisitor(t, b, { department: null });
  const fields = {
    name: 'Bob',
    email: 'bob@example.com',
    phone: '',
    description: 'Order 7',
    message: 'Call me back, please',
  };
  v.client.send({ type: 'offline_message', id: 'off-1', ...fields });
  const ack = await v.client.next('ack');
  const [body] = await r.waitAccepted(1);
  assert.equal(body.event_name, 'offline_message');
  assert.equal(body.user_token, null);
  assert.equal(body.department, null);
  assert.deepEqual(body.custom_data, []);
  assert.deepEqual(body.session, { utm: null, user_agent: UA });
  assert.deepEqual(body.visitor, { id: body.visitor.id, number: 1, name: '', email: '', phone: '', description: '' });
  assert.match(body.offline_message.id, /^o-/);
  assert.deepEqual(body.offline_message, { id: body.offline_message.id, ...fields, at: ack.at });
  assert.deepEqual(body.page, PAGE);
  // A resend of the same offline message is acked again but is not a second event.
  v.client.send({ type: 'offline_message', id: 'off-1', ...fields });
  await v.client.next('ack');
  await sleep(150);
  assert.equal(r.requests.length, 1);
});

test("the pre-chat form's answer and consent reach webhooks: client_updated when sent, and every later event", async (t) => {
  const r = await receiver(t);
  const b = await webhooked(t, r, { coalesceMs: 100 });
  await account(b, 'Root', 'admin');
  const root = await agent(t, b, 'Root', true);
  const consent = { text: 'I agree to the privacy policy', url: 'https://shop.example/privacy', version: '2026-01' };
  const prechat = {
    name: 'required',
    email: 'optional',
    phone: 'off',
    department: { mode: 'off', options: [] },
    question: { mode: 'required', label: 'Your order number?' },
    consent,
  };
  root.client.send({ type: 'site_settings', id: 's-1', widgetId: 'shop', settings: { prechat } });
  await root.client.next((f: Frame) => f.type === 'site_settings' && f.id === 's-1');
  const v = await browserVisitor(t, b);
  v.client.send({ ...CONTACT, phone: '' });
  // A refused form (an older consent) stores nothing and sends no event of its own.
  const form = { type: 'prechat', id: 'p-1', answer: 'A-42', department: null, consent: consent.version };
  await v.client.expectError({ ...form, consent: '2025-01' }, 'invalid_field');
  v.client.send(form);
  const ack = await v.client.next('ack');
  const [update] = await r.waitAccepted(1);
  assert.equal(update.event_name, 'client_updated');
  assert.deepEqual(update.changed, ['contact', 'prechat']);
  assert.equal(update.prechat.question, 'Your order number?');
  assert.equal(update.prechat.answer, 'A-42');
  assert.deepEqual(update.prechat.consent, { ...consent, at: update.prechat.at });
  assert.ok(Math.abs(update.prechat.at - ack.at) < 5, 'the time the form was stored');

  const id = await visitorIdFor(root.client, v.welcome.visitorNumber, 'shop');
  root.client.send({ type: 'accept', visitorId: id });
  const [, accepted] = await r.waitAccepted(2);
  assert.equal(accepted.event_name, 'chat_accepted');
  assert.deepEqual(accepted.prechat, update.prechat);
});

test('client_updated: a burst of changes is one event with the latest values; page changes and repeats send none', async (t) => {
  const r = await receiver(t);
  const b = await webhooked(t, r, { coalesceMs: 150 });
  const alice = await agent(t, b, 'Alice', true);
  const v = await browserVisitor(t, b);
  const id = await visitorIdFor(alice.client, 1, 'shop');
  // A site calling setContactInfo, setCustomData and setUserToken one after another, within the gathering time.
  v.client.send({ ...CONTACT, name: 'A. Lee' });
  await sleep(40);
  v.client.send({ type: 'custom_data', fields: FIELDS });
  await sleep(40);
  v.client.send(CONTACT);
  v.client.send({ type: 'user_token', token: TOKEN });
  v.client.send({ type: 'client_attributes', attributes: { plan: 'gold', seats: 3 } });
  const [first] = await r.waitAccepted(1);
  assert.deepEqual(first.changed, ['contact', 'custom_data', 'client_attributes', 'user_token']);
  assert.equal(first.visitor.name, 'Ann Lee');
  assert.deepEqual(first.client_attributes, { plan: 'gold', seats: 3 });

  // Not a change: the same values again (as after every reconnect), a page change, utm tags.
  v.client.send(CONTACT);
  v.client.send({ type: 'user_token', token: TOKEN });
  v.client.send({ type: 'client_attributes', attributes: { plan: 'gold', seats: 3 } });
  v.client.send({ type: 'page', page: { url: 'https://shop.example/cart', title: 'Cart' } });
  v.client.send({ type: 'utm', utm: UTM });
  await sleep(400);
  assert.equal(r.requests.length, 1);

  // Clearing the token is a change; an event about the visitor in the meantime sends the gathered update first.
  v.client.send({ type: 'user_token', token: '' });
  await sleep(20);
  alice.client.send({ type: 'accept', visitorId: id });
  const [, cleared, accepted] = await r.waitAccepted(3);
  assert.deepEqual([cleared.event_name, cleared.changed, cleared.user_token], ['client_updated', ['user_token'], null]);
  assert.equal(accepted.event_name, 'chat_accepted');
  assert.equal(accepted.user_token, null);
  assert.deepEqual(accepted.page, { url: 'https://shop.example/cart', title: 'Cart' });
  await sleep(300);
  assert.equal(r.requests.length, 3);
});

test('markup in any field is passed through as JSON data, unchanged', async (t) => {
  const r = await receiver(t);
  // chat_finished at once, without waiting for the visitor's rating.
  const b = await webhooked(t, r, {}, { limits: { ratingWaitMs: 0 } });
  const alice = await agent(t, b, 'Alice <b>', true);
  const page = { url: 'https://shop.example/?q=<script>', title: '<title>Shop</title>' };
  const v = await browserVisitor(t, b, { page, department: '<i>dept</i>' });
  const id = await visitorIdFor(alice.client, 1, 'shop');
  const contact = {
    type: 'contact',
    name: '<script>alert("x")</script>',
    email: '',
    phone: '+1 555 0100',
    description: '</textarea><img src=x onerror=alert(1)>',
  };
  const fields = [{ content: '<b>bold</b> & "quoted" \u2028', key: '<k>', title: "<h1>'t'</h1>" }];
  v.client.send(contact);
  v.client.send({ type: 'custom_data', fields });
  v.client.send({ type: 'user_token', token: '<token>&amp;' });
  const text = '<a href="javascript:alert(1)">click</a> &lt;';
  v.client.send({ type: 'message', id: 'm1', text });
  await v.client.next('ack');
  alice.client.send({ type: 'finish', visitorId: id }); // nobody has it yet: nothing happens
  alice.client.send({ type: 'accept', visitorId: id });
  alice.client.send({ type: 'finish', visitorId: id });
  const [updated, , finished] = await r.waitAccepted(3);
  assert.equal(updated.visitor.name, contact.name);
  assert.equal(updated.visitor.description, contact.description);
  assert.deepEqual(updated.custom_data, fields);
  assert.equal(updated.user_token, '<token>&amp;');
  // Markup stays text; the query is not stored (F13, security.test.ts).
  assert.deepEqual(updated.page, { url: 'https://shop.example/', title: page.title });
  assert.equal(updated.department, '<i>dept</i>');
  assert.equal(finished.messages[0].text, text);
  assert.deepEqual(finished.agent, { id: alice.welcome.agentId, name: 'Alice <b>' });
  // Plain JSON: no HTML escaping either.
  assert.ok(r.accepted[0].raw.includes('<script>alert(\\"x\\")</script>'));
  assert.ok(!r.accepted[0].raw.includes('\\u003c'));
});

test('a receiver that fails with 500 and then recovers gets every event once, in order, with the same event_id', async (t) => {
  const r = await receiver(t, (_: Frame, n: Frame) => (n <= 4 ? 500 : 200));
  const b = await webhooked(t, r);
  const v = await browserVisitor(t, b);
  for (const n of [1, 2, 3]) {
    v.client.send({
      type: 'offline_message',
      id: `off-${n}`,
      name: '',
      email: `n${n}@example.com`,
      phone: '',
      description: '',
      message: `Message ${n}`,
    });
    await v.client.next('ack');
  }
  const bodies = await r.waitAccepted(3);
  assert.deepEqual(
    bodies.map((b: Frame) => b.offline_message.message),
    ['Message 1', 'Message 2', 'Message 3'],
  );
  assert.equal(new Set(bodies.map((b: Frame) => b.event_id)).size, 3);
  // Every attempt is the first event until it got through; nothing was delivered out of order.
  assert.equal(r.requests.length, 7);
  assert.deepEqual(new Set(r.requests.slice(0, 5).map((e: Frame) => e.body.event_id)), new Set([bodies[0].event_id]));
  assert.deepEqual(
    r.requests.map((e: Frame) => e.status),
    [500, 500, 500, 500, 200, 200, 200],
  );
  // Each attempt is sent (and signed) afresh.
  for (const e of r.requests) assert.equal(e.headers['x-jivo-signature'], signature(e.raw));
  await sleep(200);
  assert.equal(r.requests.length, 7);
});

test('a receiver that does not answer in time is retried; the chat goes on meanwhile', async (t) => {
  const r = await receiver(t, (_: Frame, n: Frame) => (n === 1 ? 'hang' : 200));
  const b = await webhooked(t, r, { timeoutMs: 300 });
  const v = await browserVisitor(t, b);
  v.client.send({
    type: 'offline_message',
    id: 'off-1',
    name: '',
    email: 'a@example.com',
    phone: '',
    description: '',
    message: 'First',
  });
  await v.client.next('ack');
  await until(() => r.requests.length === 1);
  // The webhook hangs; the visitor's messages are still acknowledged at once.
  const t0 = performance.now();
  v.client.send({ type: 'message', id: 'm1', text: 'Still here' });
  await v.client.next('ack');
  assert.ok(performance.now() - t0 < 250, 'the ack did not wait for the webhook');
  v.client.send({
    type: 'offline_message',
    id: 'off-2',
    name: '',
    email: 'a@example.com',
    phone: '',
    description: '',
    message: 'Second',
  });
  await v.client.next('ack');
  const bodies = await r.waitAccepted(2);
  assert.deepEqual(
    bodies.map((b: Frame) => b.offline_message.message),
    ['First', 'Second'],
  );
  assert.equal(r.requests[0].body.event_id, bodies[0].event_id);
  assert.equal(r.requests.length, 3);
});

test('a failing URL holds up only itself, and an event is given up after the last attempt', async (t) => {
  const down = await receiver(t, () => 500);
  const up = await receiver(t);
  const warnings: Frame[] = [];
  const b = await backend(t, {
    webhooks: { urls: [down.url, up.url], secret: SECRET, retry: { base: 30, max: 60, attempts: 3 }, timeoutMs: 1000 },
    warn: (m) => warnings.push(m),
  });
  const v = await browserVisitor(t, b);
  for (const n of [1, 2]) {
    v.client.send({
      type: 'offline_message',
      id: `off-${n}`,
      name: '',
      email: 'a@example.com',
      phone: '',
      description: '',
      message: `M${n}`,
    });
    await v.client.next('ack');
  }
  const bodies = await up.waitAccepted(2, 1000);
  assert.ok(down.requests.length < 6, 'the working URL did not wait for the failing one');
  assert.equal(
    up.requests[0].headers['x-jivo-signature'],
    `sha256=${createHmac('sha256', SECRET).update(up.requests[0].raw).digest('hex')}`,
  );
  // The failing URL got each event three times, the first one's tries all before the second one's.
  await until(
    () => down.requests.length === 6 && warnings.length === 2,
    3000,
    () => `${down.requests.length} ${warnings}`,
  );
  assert.deepEqual(
    down.requests.map((e: Frame) => e.body.event_id),
    [
      bodies[0].event_id,
      bodies[0].event_id,
      bodies[0].event_id,
      bodies[1].event_id,
      bodies[1].event_id,
      bodies[1].event_id,
    ],
  );
  assert.match(
    warnings[0],
    new RegExp(
      `offline_message ${bodies[0].event_id} to http://127\\.0\\.0\\.1:\\d+ given up after 3 attempt\\(s\\): HTTP 500`,
    ),
  );
  assert.ok(!warnings.join().includes('key=abc'), 'warnings leave out the query, which may hold a token');
  assert.ok(!warnings.join().includes('/hooks/jivo'), 'and the path, which may hold one too (F15)');
  await sleep(200);
  assert.equal(down.requests.length, 6);
});

test('a pending delivery survives a restart and is sent afterwards; a finished chat after it carries the stored visitor', async (t) => {
  let up = false;
  const r = await receiver(t, () => (up ? 200 : 503));
  const dataDir = await tempDir(t);
  const options = { urls: [r.url], secret: SECRET, retry: FAST, timeoutMs: 1000, coalesceMs: 60_000 };
  const first = await startBackend({
    port: 0,
    host: '127.0.0.1',
    staticRoot: null,
    warn: quiet,
    dataDir,
    webhooks: options,
  });
  t.after(() => first.close());
  const alice = await agent(t, first, 'Alice', true);
  const ann = await browserVisitor(t, first);
  const id = await visitorIdFor(alice.client, 1, 'shop');
  ann.client.send({ type: 'user_token', token: TOKEN });
  ann.client.send({ type: 'message', id: 'm1', text: 'Hello?' });
  await ann.client.next('ack');
  alice.client.send({ type: 'accept', visitorId: id });
  // A change still gathering into a client_updated when the backend stops is queued by the stop.
  ann.client.send({ type: 'contact', name: 'Ann', email: '', phone: '', description: '' });
  await alice.client.next((f) => f.type === 'visitor' && f.visitor.contact.name === 'Ann');
  await until(() => r.requests.length >= 2);
  // The first event is tried over and over; the second waits behind it.
  const tried = [...new Set(r.requests.map((e: Frame) => e.body.event_id))];
  assert.equal(tried.length, 1);
  await first.close();
  const queued = (await readFile(join(dataDir, 'webhooks.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  assert.deepEqual(
    queued.map((q) => [q.k, q.p.event_name]),
    [
      ['add', 'client_updated'],
      ['add', 'chat_accepted'],
      ['add', 'client_updated'],
    ],
  );

  up = true;
  const second = await startBackend({
    port: 0,
    host: '127.0.0.1',
    staticRoot: null,
    warn: quiet,
    dataDir,
    webhooks: options,
  });
  t.after(() => second.close());
  const bob = await agent(t, second, 'Alice', true);
  bob.client.send({ type: 'finish', visitorId: id });
  const bodies = await r.waitAccepted(4);
  assert.deepEqual(
    bodies.map((b: Frame) => b.event_name),
    ['client_updated', 'chat_accepted', 'client_updated', 'chat_finished'],
  );
  assert.deepEqual(
    bodies.slice(0, 3).map((b: Frame) => b.event_id),
    queued.map((q) => q.id),
  );
  assert.equal(bodies[0].event_id, tried[0]);
  assert.deepEqual([bodies[2].changed, bodies[2].visitor.name], [['contact'], 'Ann']);
  const finished = bodies[3];
  assert.equal(finished.user_token, TOKEN);
  assert.equal(finished.session.user_agent, UA);
  assert.deepEqual(
    finished.messages.map((m: Frame) => m.text),
    ['Hello?'],
  );
  await sleep(150);
  assert.equal(r.accepted.length, 4);
  // Nothing is pending, so the queue file is empty.
  assert.equal(await readFile(join(dataDir, 'webhooks.jsonl'), 'utf8'), '');
});

test('npm start: WEBHOOK_URLS and WEBHOOK_SECRET; an event queued just before a SIGKILL is delivered after it', async (t) => {
  let up = false;
  const r = await receiver(t, () => (up ? 200 : 500));
  const dataDir = await tempDir(t);
  const server = await spawnServer(t, {
    PORT: '0',
    DATA_DIR: dataDir,
    WEBHOOK_URLS: ` ${r.url} ,`,
    WEBHOOK_SECRET: SECRET,
  });
  const v = await Client.open(t, server.visitorUrl);
  v.send(hello());
  await v.next('welcome');
  v.send({
    type: 'offline_message',
    id: 'off-k',
    name: '',
    email: 'k@example.com',
    phone: '',
    description: '',
    message: 'Before the kill',
  });
  await v.next('ack');
  server.child.kill('SIGKILL');
  await new Promise((resolve) => server.child.once('exit', resolve));

  up = true;
  const b = await startBackend({
    port: 0,
    host: '127.0.0.1',
    staticRoot: null,
    warn: quiet,
    dataDir,
    webhooks: { urls: [r.url], secret: SECRET, retry: FAST },
  });
  t.after(() => b.close());
  const [body] = await r.waitAccepted(1);
  assert.equal(body.offline_message.message, 'Before the kill');
  const e = r.accepted[0];
  assert.equal(e.headers['x-jivo-signature'], signature(e.raw));
});

/** A visitor on `url` leaves `count` offline messages, each acknowledged (so queued durably). */
async function offlineMessages(t: TestContext, url: string, count: number, prefix: string): Promise<string[]> {
  const v = await Client.open(t, url);
  v.send(hello());
  await v.next('welcome');
  const texts: string[] = [];
  for (let i = 0; i < count; i++) {
    const message = `${prefix} ${i}`;
    v.send({
      type: 'offline_message',
      id: `${prefix.replace(/\W/g, '')}-${i}`,
      name: '',
      email: 'k@example.com',
      phone: '',
      description: '',
      message,
    });
    await v.next('ack');
    texts.push(message);
  }
  return texts;
}

test('PostgreSQL: events queued by a server killed with SIGKILL are delivered by another one, each once', async (t) => {
  let up = false;
  const r = await receiver(t, () => (up ? 200 : 500));
  const database = await freshDatabase(t);
  const webhookEnv = { WEBHOOK_URLS: r.url, WEBHOOK_SECRET: SECRET, DATABASE_URL: database };
  const a = await spawnServer(t, { PORT: '0', DATA_DIR: await tempDir(t), ...webhookEnv });
  // B runs meanwhile, on the same database: it may take its turn at the failing receiver too.
  const b = await startBackend({
    port: 0,
    host: '127.0.0.1',
    staticRoot: null,
    warn: quiet,
    database,
    webhooks: { urls: [r.url], secret: SECRET, retry: FAST, timeoutMs: 1000 },
  });
  t.after(() => b.close());
  const texts = await offlineMessages(t, a.visitorUrl, 6, 'Queued on A');
  // The receiver refuses them while A lives; A dies with all of them queued.
  await until(() => r.requests.length >= 2, 5000);
  a.child.kill('SIGKILL');
  await new Promise((resolve) => a.child.once('exit', resolve));
  up = true;
  await r.waitAccepted(texts.length, 10_000);
  await sleep(1500);
  const bodies = r.accepted.map((e: Frame) => e.body);
  assert.deepEqual(
    bodies.map((body: Frame) => body.offline_message.message),
    texts,
    'every event once, in the order queued',
  );
  assert.equal(new Set(bodies.map((body: Frame) => body.event_id)).size, texts.length);
  for (const e of r.accepted) assert.equal(e.headers['x-jivo-signature'], signature(e.raw));
});

test('PostgreSQL: chat_accepted and chat_finished are queued in the transaction that stores the accept and the end', async (t) => {
  // A receiver that never answers: the first event's delivery holds its row (a lock, which leaves its xmin alone) and
  // the rest wait behind it, so the rows stay as they were inserted.
  const r = await receiver(t, () => 'hang');
  const database = await freshDatabase(t);
  const b = await backend(t, {
    database,
    webhooks: { urls: [r.url], secret: SECRET, retry: { base: 60_000, max: 60_000, attempts: 5 }, timeoutMs: 60_000 },
    limits: { ratingWaitMs: 0 },
  });
  const alice = await agent(t, b, 'Alice', true);
  const id = await acceptedChat(t, b, alice.client);
  const db = new pg.Client({ connectionString: database });
  // (Should an assertion fail first, the database's removal after the test ends this connection: not an error.)
  db.on('error', () => {});
  await db.connect();
  // A row's xmin is the transaction (here the batch item's subtransaction) that wrote it: the event was inserted by
  // the same one that updated the visitor, not by a statement of its own after the commit.
  const writtenBy = async (event: string) => {
    const { rows } = await db.query<{ event: string; visitor: string }>(
      `SELECT w.xmin::text AS event, v.xmin::text AS visitor FROM jivo_webhooks w, jivo_visitors v
       WHERE w.payload->>'event_name' = $1 AND v.id = $2`,
      [event, id],
    );
    assert.equal(rows.length, 1, `one ${event} row`);
    return rows[0];
  };
  const accepted = await writtenBy('chat_accepted');
  assert.equal(accepted.event, accepted.visitor, 'chat_accepted in the transaction of the accept');
  alice.client.send({ type: 'finish', visitorId: id });
  await alice.client.next((f) => f.type === 'visitor' && f.visitor.finishedSeq === 1);
  const finished = await writtenBy('chat_finished');
  assert.equal(finished.event, finished.visitor, 'chat_finished in the transaction of the end');
  assert.notEqual(finished.event, accepted.event);
  await db.end();
});

test('PostgreSQL: the queue in the database warns at 80% of its bound and drops its oldest events past it', async (t) => {
  const database = await freshDatabase(t);
  const store = await PostgresStore.open({ url: database, warn: quiet });
  t.after(() => store.close());
  const outbox = store.webhookOutbox();
  const url = 'http://127.0.0.1:9/hooks';
  const events = (from: number, to: number) =>
    Array.from({ length: to - from + 1 }, (_, i) => ({
      id: `e-${from + i}`,
      urls: [url],
      payload: { event_name: 'call_event', n: from + i },
    }));
  // A receiver that is down, with retries far apart: nothing leaves the queue during the test.
  const config = checkWebhooksOrThrow({
    urls: [url],
    secret: SECRET,
    retry: { base: 60_000, max: 60_000, attempts: 5 },
    maxQueued: 10,
  });
  const start = async () => {
    const warnings: string[] = [];
    const webhooks = new Webhooks(config, null, (w) => warnings.push(w), outbox);
    await webhooks.ready;
    await webhooks.close();
    return warnings.join('\n');
  };
  await outbox.add(events(1, 7));
  assert.doesNotMatch(await start(), /webhook queue/, 'below 80%: no warning');
  await outbox.add(events(8, 9));
  assert.match(await start(), /webhook queue 9 of 10 events: a receiver is failing or slow/);
  await outbox.add(events(10, 13));
  assert.match(await start(), /webhook queue full \(10 events\): dropped 3 oldest event\(s\)/);
  assert.equal(await outbox.size(), 10);
});

test('PostgreSQL: a queue file left by the embedded store is moved into the database once and delivered', async (t) => {
  let up = false;
  const r = await receiver(t, () => (up ? 200 : 500));
  const dataDir = await tempDir(t);
  const webhooks = { urls: [r.url], secret: SECRET, retry: { base: 60_000, max: 60_000, attempts: 5 } };
  const embedded = await startBackend({ port: 0, host: '127.0.0.1', staticRoot: null, warn: quiet, dataDir, webhooks });
  const texts = await offlineMessages(t, embedded.visitorUrl, 3, 'In the file');
  await until(() => r.requests.length >= 1, 5000);
  await embedded.close();
  assert.notEqual(await readFile(join(dataDir, 'webhooks.jsonl'), 'utf8'), '');

  up = true;
  const database = await freshDatabase(t);
  const warnings: string[] = [];
  const options = {
    port: 0,
    host: '127.0.0.1',
    staticRoot: null,
    dataDir,
    database,
    webhooks: { ...webhooks, retry: FAST },
    warn: (m: string) => warnings.push(m),
  };
  const first = await startBackend(options);
  t.after(() => first.close());
  await r.waitAccepted(texts.length, 10_000);
  assert.equal(existsSync(join(dataDir, 'webhooks.jsonl')), false, 'the file is gone');
  assert.ok(
    warnings.some((w) => /moved 3 pending webhook event\(s\)/.test(w)),
    warnings.join('\n'),
  );
  // A second server on the same data directory and database moves nothing again.
  const second = await startBackend({ ...options, warn: quiet });
  t.after(() => second.close());
  await sleep(1500);
  assert.deepEqual(
    r.accepted.map((e: Frame) => e.body.offline_message.message),
    texts,
  );
});

test('invalid webhook options are refused at start with a message that says why', async (t) => {
  const cases: Array<[Frame, RegExp]> = [
    [{ urls: ['not a url'] }, /"not a url" is not an absolute URL/],
    [{ urls: ['ftp://files.example/hook'] }, /"ftp:\/\/files\.example\/hook" is not http or https/],
    [{ urls: ['javascript:alert(1)'] }, /is not http or https/],
    [{ urls: ['https://user:pw@hooks.example/'] }, /must not carry a user name or password/],
    [{ urls: [42] }, /"42" is not a string/],
    [{ urls: 'https://hooks.example/' }, /webhooks\.urls must be an array/],
    [{ urls: ['https://hooks.example/'], secret: '' }, /webhooks\.secret must be a non-empty string/],
    [
      { urls: ['https://hooks.example/'], retry: { attempts: 0 } },
      /webhooks\.retry\.attempts must be a number of at least 1/,
    ],
    [{ urls: ['https://hooks.example/'], timeoutMs: -5 }, /webhooks\.timeoutMs/],
    [{ urls: ['https://hooks.example/'] }, /webhooks\.secret is required/],
  ];
  const dataDir = await tempDir(t);
  for (const [webhooks, message] of cases) {
    await assert.rejects(
      startBackend({ port: 0, staticRoot: null, warn: quiet, dataDir, webhooks }),
      message,
      JSON.stringify(webhooks),
    );
  }

  // From the environment: the server exits with the reason.
  const child = spawn(process.execPath, [SERVER], {
    env: { ...process.env, PORT: '0', DATA_DIR: dataDir, WEBHOOK_URLS: 'https://hooks.example/ok,ftp://bad.example/' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c) => (stderr += c));
  const code = await new Promise((resolve) => child.once('exit', resolve));
  assert.equal(code, 1);
  assert.match(stderr, /WEBHOOK_URLS: webhook URL "ftp:\/\/bad\.example\/" is not http or https/);
});

test('finish: only the agent who has the chat; without webhooks it still ends the chat and writes no queue', async (t) => {
  const dataDir = await tempDir(t);
  const b = await backend(t, { dataDir });
  const alice = await agent(t, b, 'Alice', true);
  const bob = await agent(t, b, 'Bob', true);
  const id = await acceptedChat(t, b, alice.client);
  await bob.client.expectError({ type: 'finish', visitorId: id }, 'taken');
  await bob.client.expectError({ type: 'finish', visitorId: 'v-nobody' }, 'unknown_visitor');
  await bob.client.expectError({ type: 'finish' }, 'bad_frame');
  alice.client.send({ type: 'finish', visitorId: id });
  const done = await bob.client.next((f) => f.type === 'visitor' && f.visitor.finishedSeq === 1);
  assert.equal(done.visitor.acceptedBy, null);
  // A second finish (another tab of the same agent) changes nothing.
  seen(bob.client);
  alice.client.send({ type: 'finish', visitorId: id });
  await bob.client.none((f) => f.type === 'visitor' || f.type === 'error');
  assert.equal(existsSync(join(dataDir, 'webhooks.jsonl')), false);

  // The finish is in the journal: after a restart the chat is still finished.
  await b.close();
  const again = await startBackend({ port: 0, host: '127.0.0.1', staticRoot: null, warn: quiet, dataDir });
  t.after(() => again.close());
  const carol = await agent(t, again, 'Carol');
  const snap = carol.welcome.visitors.find((x: Frame) => x.id === id);
  assert.deepEqual([snap.acceptedBy, snap.finishedSeq, snap.lastSeq], [null, 1, 1]);
});

/** Checked options; these tests always pass valid ones. */
const checkWebhooksOrThrow = (options: Parameters<typeof checkWebhookOptions>[0]) => checkWebhookOptions(options)!;

// --- the hook for phone callbacks: call_event is emitted by code, so the module is driven directly ---

test('call_event: emit("call_event", visitor, {call}) sends the call with the common fields', async (t) => {
  const r = await receiver(t);
  const webhooks = new Webhooks(checkWebhooksOrThrow({ urls: [r.url], secret: SECRET, retry: FAST }), null, quiet);
  t.after(() => webhooks.close());
  const visitor: Frame = {
    id: 'v-call',
    widgetId: 'shop',
    number: 9,
    page: PAGE,
    department: 'support',
    contact: { name: 'Ann', email: '', phone: '+47 555 01 02', description: '' },
    customData: [],
    userToken: TOKEN,
    utm: null,
    userAgent: UA,
  };
  webhooks.emit('call_event', visitor, { call: { id: 'call-1', phone: '+47 555 01 02', status: 'requested' } });
  webhooks.emit('call_event', visitor, {
    call: { id: 'call-1', phone: '+47 555 01 02', status: 'failed', reason: 'No answer' },
  });
  const bodies = await r.waitAccepted(2);
  assert.deepEqual(
    bodies.map((b: Frame) => b.call),
    [
      { id: 'call-1', phone: '+47 555 01 02', status: 'requested' },
      { id: 'call-1', phone: '+47 555 01 02', status: 'failed', reason: 'No answer' },
    ],
  );
  assert.equal(bodies[0].event_name, 'call_event');
  assert.deepEqual(
    {
      widget_id: bodies[0].widget_id,
      user_token: bodies[0].user_token,
      visitor: bodies[0].visitor,
      department: bodies[0].department,
    },
    {
      widget_id: 'shop',
      user_token: TOKEN,
      visitor: { id: 'v-call', number: 9, name: 'Ann', email: '', phone: '+47 555 01 02', description: '' },
      department: 'support',
    },
  );
});

test('the queue file: reopened it gives back what is pending, skips a torn line, drops removed URLs, and stays small', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'webhooks.jsonl');
  const A = 'https://a.example/hook';
  const B = 'https://b.example/hook';
  const event = (id: Frame) => ({ id, urls: [A, B], payload: { event_name: 'offline_message', event_id: id, n: id } });
  const warnings: Frame[] = [];
  const warn = (m: Frame) => warnings.push(m);

  let { file, pending } = openWebhookQueue(dir, [A, B], warn);
  assert.deepEqual(pending, []);
  for (const id of ['e1', 'e2', 'e3']) file.add(event(id));
  file.done('e1', A);
  file.done('e1', B);
  file.done('e2', A);
  file.close();
  await writeFile(path, `${await readFile(path, 'utf8')}{"k":"add","id":"e4","urls":["https://a.exa`); // a torn write

  ({ file, pending } = openWebhookQueue(dir, [B], warn));
  assert.deepEqual(
    pending.map((e) => [e.id, e.urls]),
    [
      ['e2', [B]],
      ['e3', [B]],
    ],
  );
  assert.deepEqual(pending[1].payload, event('e3').payload);
  assert.equal(warnings.length, 2);
  assert.match(warnings[0], /skipped 1 line/);
  assert.match(warnings[1], /dropped 1 pending webhook delivery/);
  // Rewritten at start: only what is pending, for the URLs that are configured.
  assert.deepEqual(
    (await readFile(path, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).id),
    ['e2', 'e3'],
  );

  // Many finished events are not kept: the file is emptied when nothing is pending, and rewritten when it grows.
  file.done('e2', B);
  for (let i = 0; i < 600; i++) {
    file.add({ ...event(`x${i}`), urls: [B] });
    file.done(`x${i}`, B);
  }
  const lines = (await readFile(path, 'utf8')).trim().split('\n');
  assert.ok(lines.length < 1000, `${lines.length} lines`);
  file.done('e3', B);
  assert.equal(await readFile(path, 'utf8'), '');
  file.close();
  assert.deepEqual(openWebhookQueue(dir, [A, B], warn).pending, []);
});

test('call_event: every step of a real call back goes out, from the request to its end, with the common fields', async (t) => {
  const r = await receiver(t);
  const b = await webhooked(t, r);
  const alice = await agent(t, b, 'Alice', true);
  const v = await browserVisitor(t, b);
  const id = await visitorIdFor(alice.client, 1, 'shop');
  v.client.send({ type: 'user_token', token: TOKEN });
  v.client.send({ type: 'call_request', id: 'call-1', phone: '+14084987855' });
  await v.client.next((f) => f.type === 'call' && f.call.status === 'requested');
  alice.client.send({ type: 'call_status', visitorId: id, id: 'call-1', status: 'connected' });
  await v.client.next((f) => f.type === 'call' && f.call.status === 'connected');
  alice.client.send({ type: 'call_status', visitorId: id, id: 'call-1', status: 'failed', reason: 'Line dropped <b>' });
  await v.client.next((f) => f.type === 'call' && f.call.status === 'failed');

  await until(
    () => r.accepted.filter((e: Frame) => e.body.event_name === 'call_event').length === 3,
    5000,
    () => JSON.stringify(r.accepted.map((e: Frame) => e.body.event_name)),
  );
  const calls = r.accepted.filter((e: Frame) => e.body.event_name === 'call_event').map((e: Frame) => e.body);
  assert.deepEqual(
    calls.map((c: Frame) => c.call),
    [
      { id: 'call-1', phone: '+14084987855', status: 'requested' },
      { id: 'call-1', phone: '+14084987855', status: 'connected' },
      { id: 'call-1', phone: '+14084987855', status: 'failed', reason: 'Line dropped <b>' },
    ],
  );
  for (const c of calls) {
    assert.equal(c.widget_id, 'shop');
    assert.equal(c.user_token, TOKEN);
    assert.equal(c.department, 'sales');
    assert.deepEqual(c.page, PAGE);
    assert.equal(c.visitor.id, id);
  }
});

test('F10: the queue is bounded: while a receiver is down the oldest events are dropped, with a warning, on disk too', async (t) => {
  const r = await receiver(t, () => 503);
  const dir = await tempDir(t);
  const warnings: string[] = [];
  const config = checkWebhooksOrThrow({
    urls: [r.url],
    secret: SECRET,
    retry: { base: 60_000, max: 60_000, attempts: 5 },
    maxQueued: 10,
  });
  const webhooks = new Webhooks(config, dir, (w) => warnings.push(w));
  const visitor: Frame = {
    id: 'v-flood',
    widgetId: 'shop',
    number: 1,
    page: PAGE,
    department: null,
    contact: { name: '', email: '', phone: '', description: '' },
    customData: [],
    userToken: null,
    utm: null,
    userAgent: UA,
  };
  for (let i = 1; i <= 25; i++)
    webhooks.emit('call_event', visitor, { call: { id: `call-${i}`, phone: '+47 555 01 02', status: 'requested' } });
  // The first event is being sent (and failing); the nine newest wait behind it.
  assert.equal(webhooks.queued, 10);
  assert.match(warnings.join('\n'), /webhook queue 8 of 10 events: a receiver is failing or slow/);
  assert.match(
    warnings.join('\n'),
    /webhook queue full \(10 events\): dropped 1 oldest event\(s\), the last call_event/,
  );
  await webhooks.close();

  // What a restart resumes is what was kept: no more than the bound.
  const { file, pending } = openWebhookQueue(dir, [r.url], quiet);
  file.close();
  assert.deepEqual(
    pending.map((e) => (e.payload as Frame).call.id),
    ['call-1', ...Array.from({ length: 9 }, (_, i) => `call-${i + 17}`)],
  );
});
