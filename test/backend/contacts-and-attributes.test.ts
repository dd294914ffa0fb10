// An agent's request for the visitor's contacts (request_contacts → contacts_request → contacts_answer) and the site's
// client attributes (client_attributes, limited to 10 changes per hour per visitor): journalled, replayed, shown to
// agents, and refused when malformed without changing anything.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import {
  agent,
  backend,
  quiet,
  startBackend,
  tempDir,
  visitor,
  visitorIdFor,
  type Backend,
  type Frame,
} from './helpers.js';

const journal = async (dataDir: Frame) =>
  (await readFile(join(dataDir, 'journal.jsonl'), 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
/** Marks every frame received so far as seen, so that `none` looks only at what comes next. */
const drain = (client: Frame) =>
  client.frames.forEach((f: Frame) => f.__taken || Object.defineProperty(f, '__taken', { value: true }));
const ANN = { type: 'contact', name: 'Ann Lee', email: 'ann@example.com', phone: '', description: '' };

async function start(t: TestContext, options = {}) {
  const b = await startBackend({ port: 0, host: '127.0.0.1', staticRoot: null, warn: quiet, ...options });
  t.after(() => b.close());
  return b;
}

/** An online agent, a visitor (two tabs) and the visitor's public id. */
async function chat(t: TestContext, b: Backend) {
  const alice = await agent(t, b, 'Alice', true);
  const tab1 = await visitor(t, b);
  const tab2 = await visitor(t, b, { visitorId: tab1.hello.visitorId });
  const id = await visitorIdFor(alice.client, 1);
  return { alice, tab1, tab2, id };
}

test('an agent asks for contacts: every tab gets the request, the agent sees it pending; asking again changes nothing', async (t) => {
  const b = await backend(t);
  const { alice, tab1, tab2, id } = await chat(t, b);
  assert.equal(tab1.welcome.contactsRequest, undefined, 'no request in the welcome before one is made');

  alice.client.send({ type: 'request_contacts', visitorId: id });
  const [r1, r2] = [await tab1.client.next('contacts_request'), await tab2.client.next('contacts_request')];
  assert.match(r1.request, /^r-[\w-]+$/);
  assert.equal(r2.request, r1.request);
  const seen = await alice.client.next((f) => f.type === 'visitor' && f.visitor.contactsRequest !== null);
  assert.equal(seen.visitor.contactsRequest.by, 'Alice');
  assert.equal(seen.visitor.contactsRequest.state, 'pending');
  assert.equal(seen.visitor.contactsRequest.answeredAt, null);
  assert.ok(!JSON.stringify(seen).includes(r1.request), 'agents never see the request id');

  drain(alice.client);
  alice.client.send({ type: 'request_contacts', visitorId: id });
  await tab1.client.none('contacts_request');
  await alice.client.none(() => true);

  // A reload (a new socket) learns of it in the welcome.
  const reload = await visitor(t, b, { visitorId: tab1.hello.visitorId });
  assert.equal(reload.welcome.contactsRequest, r1.request);
});

test('the visitor gives their contacts: the agent sees them and the request answered; every tab drops the form', async (t) => {
  const b = await backend(t);
  const { alice, tab1, tab2, id } = await chat(t, b);
  alice.client.send({ type: 'request_contacts', visitorId: id });
  const { request } = await tab1.client.next('contacts_request');
  await tab2.client.next('contacts_request');
  await alice.client.next((f) => f.type === 'visitor' && f.visitor.contactsRequest?.state === 'pending');

  tab1.client.send(ANN);
  tab1.client.send({ type: 'contacts_answer', request, given: true });
  const withContact = await alice.client.next((f) => f.type === 'visitor' && f.visitor.contact.name === 'Ann Lee');
  assert.equal(withContact.visitor.contactsRequest.state, 'pending', 'the contact comes first');
  const answered = await alice.client.next((f) => f.type === 'visitor' && f.visitor.contactsRequest?.state === 'given');
  assert.equal(typeof answered.visitor.contactsRequest.answeredAt, 'number');
  assert.deepEqual(await tab1.client.next('contacts_request'), { type: 'contacts_request', request: null });
  assert.deepEqual(await tab2.client.next('contacts_request'), { type: 'contacts_request', request: null });

  // The other tab answers too, late: it is told there is nothing pending, and nothing changes.
  drain(alice.client);
  tab2.client.send({ type: 'contacts_answer', request, given: false });
  assert.deepEqual(await tab2.client.next('contacts_request'), { type: 'contacts_request', request: null });
  await alice.client.none('visitor');
  const reload = await visitor(t, b, { visitorId: tab1.hello.visitorId });
  assert.equal(reload.welcome.contactsRequest, undefined);
});

test('the visitor declines; an answer to an older request is refused with the current one; a new request can follow', async (t) => {
  const b = await backend(t);
  const { alice, tab1, id } = await chat(t, b);
  alice.client.send({ type: 'request_contacts', visitorId: id });
  const first = (await tab1.client.next('contacts_request')).request;
  tab1.client.send({ type: 'contacts_answer', request: first, given: false });
  const declined = await alice.client.next(
    (f) => f.type === 'visitor' && f.visitor.contactsRequest?.state === 'declined',
  );
  assert.equal(declined.visitor.contact.name, '');
  await tab1.client.next((f) => f.type === 'contacts_request' && f.request === null);

  alice.client.send({ type: 'request_contacts', visitorId: id });
  const second = (await tab1.client.next('contacts_request')).request;
  assert.notEqual(second, first);
  drain(alice.client);
  tab1.client.send({ type: 'contacts_answer', request: first, given: true });
  assert.deepEqual(await tab1.client.next('contacts_request'), { type: 'contacts_request', request: second });
  await alice.client.none((f) => f.type === 'visitor' && f.visitor.contactsRequest?.state !== 'pending');
});

test('only an online agent who may answer the chat can ask; unknown visitors and bad frames are refused', async (t) => {
  const b = await backend(t);
  const { alice, tab1, id } = await chat(t, b);
  const bob = await agent(t, b, 'Bob', false);
  bob.client.send({ type: 'request_contacts', visitorId: id });
  assert.equal((await bob.client.next('error')).code, 'offline');
  alice.client.send({ type: 'accept', visitorId: id });
  await tab1.client.next('agent');
  bob.client.send({ type: 'status', online: true });
  await bob.client.next('status');
  bob.client.send({ type: 'request_contacts', visitorId: id });
  assert.equal((await bob.client.next('error')).code, 'taken');
  assert.equal(
    (await alice.client.expectError({ type: 'request_contacts', visitorId: 'v-nobody' })).code,
    'unknown_visitor',
  );
  for (const frame of [{ type: 'request_contacts' }, { type: 'request_contacts', visitorId: 'not an id' }]) {
    assert.equal((await alice.client.expectError(frame)).code, 'bad_frame');
  }
  for (const frame of [
    { type: 'contacts_answer', given: true },
    { type: 'contacts_answer', request: 'r-1' },
    { type: 'contacts_answer', request: 'r-1', given: 'yes' },
    { type: 'contacts_answer', request: '<script>', given: true },
  ]) {
    assert.equal((await tab1.client.expectError(frame)).code, 'bad_frame', JSON.stringify(frame));
  }
  await tab1.client.none('contacts_request');
});

test('client attributes reach agents live and in the snapshot, replaced whole; unchanged ones write nothing', async (t) => {
  const dataDir = await tempDir(t);
  const b = await start(t, { dataDir });
  const alice = await agent(t, b);
  const v = await visitor(t, b);
  const first = (await alice.client.next('visitor')).visitor;
  assert.deepEqual(first.clientAttributes, {});
  assert.equal(first.contactsRequest, null);

  v.client.send({ type: 'client_attributes', attributes: { plan: 'gold', visits: 3, vip: true } });
  const seen = await alice.client.next(
    (f) => f.type === 'visitor' && Object.keys(f.visitor.clientAttributes).length > 0,
  );
  assert.deepEqual(seen.visitor.clientAttributes, { plan: 'gold', visits: 3, vip: true });
  v.client.send({ type: 'client_attributes', attributes: { plan: 'gold', visits: 3, vip: true } });
  await alice.client.none('visitor');
  v.client.send({ type: 'client_attributes', attributes: { visits: 4 } });
  assert.deepEqual((await alice.client.next('visitor')).visitor.clientAttributes, { visits: 4 });
  await v.client.none(() => true);
  assert.equal((await journal(dataDir)).filter((r) => r.k === 'client_attributes').length, 2);

  const bob = await agent(t, b, 'Bob');
  assert.deepEqual(bob.welcome.visitors[0].clientAttributes, { visits: 4 });
});

test('malformed client attributes are invalid_field and change nothing', async (t) => {
  const b = await backend(t);
  const alice = await agent(t, b);
  const v = await visitor(t, b);
  await alice.client.next('visitor');
  const many = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, i]));
  for (const attributes of [
    undefined,
    null,
    'plan',
    ['gold'],
    { plan: null },
    { plan: {} },
    { '': 1 },
    { ['k'.repeat(65)]: 1 },
    { plan: 'x'.repeat(256) },
    many,
  ]) {
    const error = await v.client.expectError({ type: 'client_attributes', attributes });
    assert.equal(error.code, 'invalid_field', JSON.stringify(attributes));
  }
  await alice.client.none('visitor');
});

test('the 11th change within an hour is rate_limited, not stored and not shown; the limit survives a restart', async (t) => {
  const dataDir = await tempDir(t);
  const first = await start(t, { dataDir });
  const alice = await agent(t, first);
  const v = await visitor(t, first);
  await alice.client.next('visitor');
  for (let i = 1; i <= 10; i++) {
    v.client.send({ type: 'client_attributes', attributes: { step: i } });
    assert.deepEqual((await alice.client.next('visitor')).visitor.clientAttributes, { step: i });
  }
  const error = await v.client.expectError({ type: 'client_attributes', attributes: { step: 11 } }, 'rate_limited');
  assert.match(error.message, /10 times per hour/);
  await alice.client.none('visitor');
  // Rate-limited frames are not bad frames: the socket stays open and other frames work.
  v.client.send({ type: 'message', id: 'still-here', text: 'Hello' });
  await v.client.next('ack');

  await first.close();
  const second = await start(t, { dataDir });
  const back = await visitor(t, second, { visitorId: v.hello.visitorId });
  const carol = await agent(t, second, 'Carol');
  assert.deepEqual(carol.welcome.visitors[0].clientAttributes, { step: 10 });
  await back.client.expectError({ type: 'client_attributes', attributes: { step: 11 } }, 'rate_limited');
  // An unchanged set is no change, so it is not refused.
  back.client.send({ type: 'client_attributes', attributes: { step: 10 } });
  await back.client.none('error');
});

test('a request and its answer survive a restart', async (t) => {
  const dataDir = await tempDir(t);
  const first = await start(t, { dataDir });
  const { alice, tab1, id } = await chat(t, first);
  alice.client.send({ type: 'request_contacts', visitorId: id });
  const { request } = await tab1.client.next('contacts_request');
  await first.close();

  const second = await start(t, { dataDir });
  const back = await visitor(t, second, { visitorId: tab1.hello.visitorId });
  assert.equal(back.welcome.contactsRequest, request);
  back.client.send(ANN);
  back.client.send({ type: 'contacts_answer', request, given: true });
  await back.client.next('contacts_request');
  await second.close();

  const third = await start(t, { dataDir });
  const carol = await agent(t, third, 'Carol');
  const snap = carol.welcome.visitors[0];
  assert.equal(snap.contactsRequest.state, 'given');
  assert.equal(snap.contactsRequest.by, 'Alice');
  assert.equal(snap.contact.name, 'Ann Lee');
  const again = await visitor(t, third, { visitorId: tab1.hello.visitorId });
  assert.equal(again.welcome.contactsRequest, undefined);
  const kinds = (await journal(dataDir)).map((r) => r.k);
  assert.deepEqual(
    kinds.filter((k) => k.startsWith('contacts_')),
    ['contacts_request', 'contacts_answer'],
  );
});
