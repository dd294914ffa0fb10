// Call backs: when they are offered (callbacks option, agents online, balance), call_request from widgets (stored once,
// refused with a reason), call_status from consoles (only along requested → connected → finished, or failed), the
// journal (replayed after a restart, bad records skipped) and bad frames.
import assert from 'node:assert/strict';
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import { parseAgentServerFrame as parseServerFrame } from '../../server/agent-protocol.js';
import { checkRecord as checkJournalRecord } from '../../server/state.js';
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

// The results are read field by field, as the console reads them.
const parseAgentServerFrame = (raw: string): Frame => parseServerFrame(raw);
const checkRecord = (raw: unknown): Frame => checkJournalRecord(raw);

const PHONE = '+14084987855';

async function start(t: TestContext, options: Frame) {
  const b = await startBackend({ port: 0, host: '127.0.0.1', staticRoot: null, warn: quiet, ...options });
  t.after(() => b.close());
  return b;
}

const portOf = (b: Backend) => Number(new URL(b.url).port);
const journal = async (dataDir: Frame) =>
  (await readFile(join(dataDir, 'journal.jsonl'), 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));

/** An online agent, a visitor, and the visitor's public id. */
async function setup(t: TestContext, options: Frame = {}) {
  const b = options.dataDir ? await start(t, options) : await backend(t, options);
  const alice = await agent(t, b, 'Alice', true);
  const v = await visitor(t, b, options.hello);
  const id = await visitorIdFor(alice.client, 1, v.hello.widgetId);
  return { b, alice, v, id };
}

/** Sends a call request and returns the widget's `call` frame and the agent's. */
async function requestCall(v: Frame, alice: Frame, id = 'call-1', phone = PHONE) {
  v.client.send({ type: 'call_request', id, phone });
  const call = await v.client.next('call');
  const seen = await alice.client.next(
    (f: Frame) => f.type === 'call' && f.call.id === id && f.call.status === 'requested',
  );
  return { call: call.call, seen: seen.call };
}

test('call backs are offered while an agent is online: the welcome says so, callback frames follow changes', async (t) => {
  const b = await backend(t);
  const v = await visitor(t, b);
  assert.equal(v.welcome.callbackEnabled, false, 'nobody online');
  assert.equal(v.welcome.call, null);
  const alice = await agent(t, b, 'Alice', true);
  assert.deepEqual(await v.client.next('callback'), { type: 'callback', enabled: true });
  alice.client.send({ type: 'status', online: false });
  assert.deepEqual(await v.client.next('callback'), { type: 'callback', enabled: false });
  alice.client.send({ type: 'status', online: true });
  await v.client.next('callback');
  const late = await visitor(t, b);
  assert.equal(late.welcome.callbackEnabled, true);
  // A second agent coming online changes nothing: no frame.
  await agent(t, b, 'Bob', true);
  await v.client.none('callback');
  alice.client.terminate();
  await v.client.none('callback');
});

test("a call request is stored once, and the visitor's sockets and every console hear of it", async (t) => {
  const { b, alice, v, id } = await setup(t);
  const otherTab = await visitor(t, b, { visitorId: v.hello.visitorId });
  const bob = await agent(t, b, 'Bob', false);
  v.client.send({ type: 'call_request', id: 'call-1', phone: '+1 (408) 498-7855' });
  const { call } = await v.client.next('call');
  assert.equal(call.id, 'call-1');
  assert.equal(call.phone, PHONE);
  assert.equal(call.status, 'requested');
  assert.ok(!('reason' in call));
  assert.deepEqual((await otherTab.client.next('call')).call, call);
  const seen = (await alice.client.next('call')).call;
  assert.deepEqual(seen, {
    id: 'call-1',
    visitorId: id,
    widgetId: 'site',
    visitorNumber: 1,
    phone: PHONE,
    status: 'requested',
    reason: null,
    page: { url: 'https://shop.example/catalog', title: 'Catalog' },
    at: call.at,
    updatedAt: call.at,
    by: null,
  });
  assert.deepEqual((await bob.client.next('call')).call, seen, 'offline consoles see calls too');

  // A resend (after a reconnect) stores nothing: the sender gets the call as it is, nobody else hears anything.
  v.client.send({ type: 'call_request', id: 'call-1', phone: PHONE });
  assert.deepEqual((await v.client.next('call')).call, call);
  await otherTab.client.none('call');
  await alice.client.none('call');
  // A snapshot has it once.
  const carol = await agent(t, b, 'Carol');
  assert.deepEqual(carol.welcome.calls, [seen]);
  // A reload's welcome carries it.
  const reload = await visitor(t, b, { visitorId: v.hello.visitorId });
  assert.deepEqual(reload.welcome.call, call);
});

test('an agent moves a call on: connected, then finished; each step reaches the visitor and the consoles', async (t) => {
  const { alice, v, id } = await setup(t);
  const { call } = await requestCall(v, alice);
  alice.client.send({ type: 'call_status', visitorId: id, id: 'call-1', status: 'connected' });
  assert.deepEqual((await v.client.next('call')).call, { ...call, status: 'connected' });
  const connected = (await alice.client.next('call')).call;
  assert.equal(connected.status, 'connected');
  assert.equal(connected.by, 'Alice');
  assert.ok(connected.updatedAt >= call.at);
  alice.client.send({
    type: 'call_status',
    visitorId: id,
    id: 'call-1',
    status: 'finished',
    reason: 'ignored unless failed',
  });
  assert.deepEqual((await v.client.next('call')).call, { ...call, status: 'finished' });
  assert.equal((await alice.client.next('call')).call.reason, null);
});

test("a failed call carries the agent's reason, or a default one", async (t) => {
  const { alice, v, id } = await setup(t);
  await requestCall(v, alice, 'c1');
  alice.client.send({ type: 'call_status', visitorId: id, id: 'c1', status: 'failed', reason: '  No answer ' });
  assert.equal((await v.client.next('call')).call.reason, 'No answer');
  await requestCall(v, alice, 'c2');
  alice.client.send({ type: 'call_status', visitorId: id, id: 'c2', status: 'connected' });
  alice.client.send({ type: 'call_status', visitorId: id, id: 'c2', status: 'failed' });
  await v.client.next((f) => f.type === 'call' && f.call.status === 'connected');
  const failed = (await v.client.next('call')).call;
  assert.equal(failed.status, 'failed');
  assert.equal(failed.reason, 'The call failed');
});

test('invalid transitions, unknown calls and offline agents are refused with an error; nothing changes', async (t) => {
  const { b, alice, v, id } = await setup(t);
  await requestCall(v, alice);
  const step = (status: Frame, extra = {}) => ({ type: 'call_status', visitorId: id, id: 'call-1', status, ...extra });
  const refused = async (client: Frame, frame: Frame, code: Frame, message: Frame) => {
    const error = await client.expectError(frame, code);
    assert.equal(error.message, message);
    assert.equal(error.id, frame.id);
  };
  await refused(alice.client, step('finished'), 'invalid_transition', 'A requested call cannot become finished');
  await refused(
    alice.client,
    { ...step('connected'), id: 'nope' },
    'unknown_call',
    'This visitor has no call with this id',
  );
  await refused(
    alice.client,
    { ...step('connected'), visitorId: 'v-unknown' },
    'unknown_visitor',
    'No visitor has this id',
  );
  const bob = await agent(t, b, 'Bob', false);
  await refused(bob.client, step('connected'), 'offline', 'Go online to handle calls');
  alice.client.send(step('failed', { reason: 'Busy' }));
  await v.client.next('call');
  await refused(alice.client, step('connected'), 'invalid_transition', 'A failed call cannot become connected');
  await refused(alice.client, step('failed'), 'invalid_transition', 'A failed call cannot become failed');
  await v.client.none('call');
});

test('call_status frames are validated', async (t) => {
  const { alice, id } = await setup(t);
  const cases = [
    [{ type: 'call_status', id: 'c', status: 'connected' }, 'call_status needs a visitorId and an id'],
    [{ type: 'call_status', visitorId: id, status: 'connected' }, 'call_status needs a visitorId and an id'],
    [
      { type: 'call_status', visitorId: id, id: 'c', status: 'requested' },
      'status must be connected, finished or failed',
    ],
    [
      { type: 'call_status', visitorId: id, id: 'c', status: 'ringing' },
      'status must be connected, finished or failed',
    ],
    [
      { type: 'call_status', visitorId: id, id: 'c', status: 'failed', reason: 7 },
      'reason must be a string of at most 200 characters',
    ],
    [
      { type: 'call_status', visitorId: id, id: 'c', status: 'failed', reason: 'x'.repeat(201) },
      'reason must be a string of at most 200 characters',
    ],
  ];
  for (const [frame, message] of cases) {
    const error = await alice.client.expectError(frame, 'bad_frame');
    assert.equal(error.message, message, JSON.stringify(frame));
  }
});

test('call_request frames are validated: an id, and a number of 7-15 digits', async (t) => {
  const { alice, v } = await setup(t);
  assert.equal(
    (await v.client.expectError({ type: 'call_request', phone: PHONE }, 'bad_frame')).message,
    'call_request needs an id',
  );
  for (const phone of ['123456', '+1234567890123456', 'call me', '', 14084987855, null, '1'.repeat(33)]) {
    const error = await v.client.expectError({ type: 'call_request', id: 'c', phone }, 'invalid_field');
    assert.equal(error.message, 'phone is not a valid number: 7-15 digits, optionally starting with +');
    assert.equal(error.id, 'c');
  }
  await alice.client.none('call');
});

test('refused requests say why, carry the id, and store nothing', async (t) => {
  // Off by configuration: refused even with an agent online.
  const off = await setup(t, { callbacks: false });
  assert.equal(off.v.welcome.callbackEnabled, false);
  let error = await off.v.client.expectError({ type: 'call_request', id: 'c1', phone: PHONE }, 'callback_disabled');
  assert.deepEqual(error, { type: 'error', code: 'callback_disabled', message: 'Callback disabled', id: 'c1' });
  await off.v.client.none('callback');

  // Nobody online.
  const b = await backend(t);
  const lonely = await visitor(t, b);
  error = await lonely.client.expectError({ type: 'call_request', id: 'c1', phone: PHONE }, 'callback_disabled');
  assert.equal(error.id, 'c1');

  // One call at a time.
  const { alice, v, id } = await setup(t);
  await requestCall(v, alice, 'first');
  error = await v.client.expectError({ type: 'call_request', id: 'second', phone: PHONE }, 'call_in_progress');
  assert.deepEqual(error, {
    type: 'error',
    code: 'call_in_progress',
    message: 'A call is already in progress',
    id: 'second',
  });
  alice.client.send({ type: 'call_status', visitorId: id, id: 'first', status: 'connected' });
  await v.client.next('call');
  await v.client.expectError({ type: 'call_request', id: 'second', phone: PHONE }, 'call_in_progress');
  alice.client.send({ type: 'call_status', visitorId: id, id: 'first', status: 'finished' });
  await v.client.next('call');
  await requestCall(v, alice, 'second');
  const carol = await agent(t, b, 'Carol');
  assert.deepEqual(carol.welcome.calls, [], 'the refused requests stored nothing');
});

test('call requests are rate limited per visitor, across sockets; a resend is free', async (t) => {
  const { b, alice, v, id } = await setup(t, { callbacks: { rate: { burst: 2, windowMs: 60_000 } } });
  const fail = (callId: Frame) =>
    alice.client.send({ type: 'call_status', visitorId: id, id: callId, status: 'failed', reason: 'Busy' });
  await requestCall(v, alice, 'c1');
  fail('c1');
  await v.client.next('call');
  // Another tab of the same visitor shares the limit.
  const tab = await visitor(t, b, { visitorId: v.hello.visitorId });
  tab.client.send({ type: 'call_request', id: 'c2', phone: PHONE });
  await tab.client.next((f) => f.type === 'call' && f.call.id === 'c2');
  fail('c2');
  await tab.client.next((f) => f.type === 'call' && f.call.status === 'failed');
  // The first socket heard of c2 as well.
  await v.client.next((f) => f.type === 'call' && f.call.id === 'c2' && f.call.status === 'requested');
  await v.client.next((f) => f.type === 'call' && f.call.id === 'c2' && f.call.status === 'failed');
  const error = await v.client.expectError({ type: 'call_request', id: 'c3', phone: PHONE }, 'rate_limited');
  assert.equal(error.id, 'c3');
  await alice.client.none((f) => f.type === 'call' && f.call.id === 'c3');
  v.client.send({ type: 'call_request', id: 'c2', phone: PHONE });
  assert.equal((await v.client.next('call')).call.status, 'failed', 'a resend is answered, not limited');
});

test('a call balance per widget id: spent calls turn call backs off for that widget only, and stay spent after a restart', async (t) => {
  const dataDir = await tempDir(t);
  const first = await start(t, { dataDir, callbacks: { balance: 1 } });
  const alice = await agent(t, first, 'Alice', true);
  const shop = await visitor(t, first, { widgetId: 'shop' });
  const sameShop = await visitor(t, first, { widgetId: 'shop' });
  const blog = await visitor(t, first, { widgetId: 'blog' });
  assert.equal(shop.welcome.callbackEnabled, true);
  await requestCall(shop, alice, 'only');
  assert.deepEqual(await shop.client.next('callback'), { type: 'callback', enabled: false });
  assert.deepEqual(await sameShop.client.next('callback'), { type: 'callback', enabled: false });
  await blog.client.none('callback');
  await sameShop.client.expectError({ type: 'call_request', id: 'x', phone: PHONE }, 'callback_disabled');

  await first.close();
  const second = await start(t, { dataDir, port: portOf(first), callbacks: { balance: 1 } });
  await agent(t, second, 'Alice', true);
  assert.equal((await visitor(t, second, { widgetId: 'shop' })).welcome.callbackEnabled, false);
  assert.equal((await visitor(t, second, { widgetId: 'blog' })).welcome.callbackEnabled, true);
});

test('the journal keeps calls and their steps; a restart replays them; bad call records are skipped', async (t) => {
  const dataDir = await tempDir(t);
  const first = await start(t, { dataDir });
  const alice = await agent(t, first, 'Alice', true);
  const v = await visitor(t, first);
  const id = await visitorIdFor(alice.client, 1);
  await requestCall(v, alice, 'c1');
  alice.client.send({ type: 'call_status', visitorId: id, id: 'c1', status: 'connected' });
  alice.client.send({ type: 'call_status', visitorId: id, id: 'c1', status: 'failed', reason: 'Line dropped' });
  await alice.client.next((f) => f.type === 'call' && f.call.status === 'failed');
  const records = (await journal(dataDir)).filter((r) => r.k.startsWith('call'));
  assert.deepEqual(
    records.map((r) => [r.k, r.id, r.status ?? null, r.reason ?? null, r.by ?? null]),
    [
      ['call', 'c1', null, null, null],
      ['call_status', 'c1', 'connected', null, 'Alice'],
      ['call_status', 'c1', 'failed', 'Line dropped', 'Alice'],
    ],
  );
  assert.equal(records[0].phone, PHONE);
  await first.close();

  // Records that do not fit: malformed, an impossible step, a duplicate, a call for no visitor.
  const file = join(dataDir, 'journal.jsonl');
  const lines = [
    { k: 'call', v: id, id: 'c2', phone: 'not a phone', at: 1, page: null },
    { k: 'call_status', v: id, id: 'c1', status: 'finished', reason: null, at: 2, by: 'Mallory' },
    { k: 'call_status', v: id, id: 'c1', status: 'ringing', reason: null, at: 2, by: 'Mallory' },
    { k: 'call', v: id, id: 'c1', phone: PHONE, at: 3, page: null },
    { k: 'call', v: 'v-nobody', id: 'c9', phone: PHONE, at: 3, page: null },
  ];
  await appendFile(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  const warnings: Frame[] = [];
  const second = await start(t, { dataDir, port: portOf(first), warn: (m: Frame) => warnings.push(m) });
  assert.match(warnings.join('\n'), /skipped 5 journal record/);
  const carol = await agent(t, second, 'Carol', true);
  assert.deepEqual(
    carol.welcome.calls.map((c: Frame) => [c.id, c.status, c.reason, c.by]),
    [['c1', 'failed', 'Line dropped', 'Alice']],
  );
  const back = await visitor(t, second, { visitorId: v.hello.visitorId });
  assert.deepEqual(back.welcome.call, {
    id: 'c1',
    phone: PHONE,
    status: 'failed',
    reason: 'Line dropped',
    at: records[0].at,
  });
  // The visitor may ask again, and the resend of the old id is recognised.
  back.client.send({ type: 'call_request', id: 'c1', phone: PHONE });
  assert.equal((await back.client.next('call')).call.status, 'failed');
  await requestCall(back, carol, 'c3');
});

test("the console checks the backend's call frames too, and the journal check refuses malformed call records", async () => {
  const call = {
    id: 'c1',
    visitorId: 'v-1',
    widgetId: 'site',
    visitorNumber: 1,
    phone: PHONE,
    status: 'requested',
    reason: null,
    page: null,
    at: 1,
    updatedAt: 1,
    by: null,
  };
  assert.deepEqual(parseAgentServerFrame(JSON.stringify({ type: 'call', call: { ...call, extra: 'dropped' } })), {
    ok: true,
    frame: { type: 'call', call },
  });
  for (const bad of [
    { phone: '+1 408' },
    { status: 'ringing' },
    { reason: 7 },
    { by: 5 },
    { page: 'x' },
    { visitorNumber: -1 },
    { at: 'now' },
  ]) {
    assert.equal(
      parseAgentServerFrame(JSON.stringify({ type: 'call', call: { ...call, ...bad } })).ok,
      false,
      JSON.stringify(bad),
    );
  }
  const welcome = {
    type: 'welcome',
    v: 1,
    name: 'A',
    agentId: 'ag-a0000000001',
    online: true,
    chatMode: 'online',
    agents: [],
    visitors: [],
    offlineMessages: [],
  };
  const noCalls = parseAgentServerFrame(JSON.stringify(welcome));
  assert.deepEqual(noCalls.ok && noCalls.frame.calls, [], 'a backend without call backs may leave calls out');
  assert.equal(parseAgentServerFrame(JSON.stringify({ ...welcome, calls: [{ ...call, status: 'x' }] })).ok, false);

  assert.deepEqual(checkRecord({ k: 'call', v: 'v-1', id: 'c1', phone: PHONE, at: 1, page: null }), {
    k: 'call',
    v: 'v-1',
    id: 'c1',
    phone: PHONE,
    at: 1,
    page: null,
  });
  for (const bad of [
    { k: 'call', v: 'v-1', id: 'c1', phone: '+1 408 498 7855', at: 1, page: null },
    { k: 'call', v: 'v-1', id: 'c 1', phone: PHONE, at: 1, page: null },
    { k: 'call', v: 'v-1', id: 'c1', phone: PHONE, at: 1 },
    { k: 'call_status', v: 'v-1', id: 'c1', status: 'requested', reason: null, at: 1, by: 'A' },
    { k: 'call_status', v: 'v-1', id: 'c1', status: 'failed', reason: 5, at: 1, by: 'A' },
    { k: 'call_status', v: 'v-1', id: 'c1', status: 'failed', reason: null, at: 1 },
  ]) {
    assert.equal(checkRecord(bad), null, JSON.stringify(bad));
  }
});
