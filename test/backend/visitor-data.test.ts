// What the site tells about a visitor (contact, custom_data, user_token, utm frames): stored per visitor in the journal,
// replaced whole, shown to agents (never the user token), and refused when malformed without changing anything.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { readFile } from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import {
  agent,
  backend,
  Client,
  quiet,
  startBackend,
  tempDir,
  visitor,
  visitorIdFor,
  type Backend,
  type Frame,
} from './helpers.js';

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
  { title: 'Just a title' },
  { content: 'Cart total: 99 €' },
];
/** FIELDS as the protocol normalises them: `content` is always there ('' when the site gave only a title). */
const STORED = FIELDS.map((f) => ({ content: '', ...f }));
const UTM = { source: 'newsletter', medium: 'email', campaign: 'spring', content: 'banner', term: 'boots' };
const TOKEN = 'site-user-8c1f5e2a-token';

/** Every frame an agent socket receives, as the raw text it came in. */
function rawFrames(client: Frame) {
  const raw: Frame[] = [];
  client.ws.on('message', (data: Frame) => raw.push(data.toString()));
  return raw;
}

const journalLines = async (dataDir: Frame) =>
  (await readFile(join(dataDir, 'journal.jsonl'), 'utf8')).split('\n').filter(Boolean);

/** A second agent's view of one visitor, from a fresh welcome snapshot. */
async function snapshot(t: TestContext, b: Backend, number = 1) {
  const a = await agent(t, b, `Observer ${Math.random().toString(36).slice(2, 8)}`);
  a.client.terminate();
  return a.welcome.visitors.find((v: Frame) => v.number === number);
}

test('a new visitor has no contact, custom data or utm; the agent sees them empty', async (t) => {
  const b = await backend(t);
  const alice = await agent(t, b);
  await visitor(t, b);
  const seen = (await alice.client.next('visitor')).visitor;
  assert.deepEqual(seen.contact, { name: '', email: '', phone: '', description: '' });
  assert.deepEqual(seen.customData, []);
  assert.equal(seen.utm, null);
  assert.ok(!('userToken' in seen));
});

test('contact, custom data and utm reach the agents live and in the snapshot; the custom fields keep their order', async (t) => {
  const b = await backend(t);
  const alice = await agent(t, b);
  const v = await visitor(t, b);
  const id = await visitorIdFor(alice.client, 1);

  v.client.send(CONTACT);
  const withContact = await alice.client.next((f) => f.type === 'visitor' && f.visitor.contact.name === 'Ann Lee');
  assert.equal(withContact.visitor.id, id);
  assert.deepEqual(withContact.visitor.contact, {
    name: 'Ann Lee',
    email: 'ann@example.com',
    phone: '+47 555 01 02',
    description: 'Wholesale buyer',
  });

  v.client.send({ type: 'custom_data', fields: FIELDS });
  const withData = await alice.client.next((f) => f.type === 'visitor' && f.visitor.customData.length > 0);
  assert.deepEqual(withData.visitor.customData, STORED);
  assert.deepEqual(
    withData.visitor.customData.map((f: Frame) => f.content || f.title),
    ['#42', 'Gold', 'Just a title', 'Cart total: 99 €'],
  );
  // The contact is still there: each kind replaces only itself.
  assert.equal(withData.visitor.contact.name, 'Ann Lee');

  v.client.send({ type: 'utm', utm: UTM });
  const withUtm = await alice.client.next((f) => f.type === 'visitor' && f.visitor.utm !== null);
  assert.deepEqual(withUtm.visitor.utm, UTM);

  v.client.send({ type: 'page', page: { url: 'https://shop.example/checkout', title: 'Checkout' } });
  await alice.client.next((f) => f.type === 'visitor' && f.visitor.page?.title === 'Checkout');

  // None of these frames is acked or answered.
  await v.client.none(() => true);

  const snap = await snapshot(t, b);
  assert.deepEqual(snap.contact, withContact.visitor.contact);
  assert.deepEqual(snap.customData, withData.visitor.customData);
  assert.deepEqual(snap.utm, UTM);
  assert.deepEqual(snap.page, { url: 'https://shop.example/checkout', title: 'Checkout' });

  // Another hello from the same visitor (a reload) keeps them; agents see them in its visitor frame.
  await visitor(t, b, { visitorId: v.hello.visitorId });
  const again = await alice.client.next((f) => f.type === 'visitor' && f.visitor.page?.title === 'Catalog');
  assert.deepEqual(again.visitor.customData, withData.visitor.customData);
  assert.deepEqual(again.visitor.contact.email, 'ann@example.com');
});

test('each frame replaces the last value whole; an unchanged value sends nothing to agents', async (t) => {
  const b = await backend(t);
  const alice = await agent(t, b);
  const v = await visitor(t, b);
  await alice.client.next('visitor');

  v.client.send(CONTACT);
  await alice.client.next((f) => f.type === 'visitor' && f.visitor.contact.phone !== '');
  // A contact without a phone clears the phone: the frame is the whole contact.
  v.client.send({ type: 'contact', name: 'Ann', email: 'ann@example.com', phone: '', description: '' });
  const replaced = await alice.client.next('visitor');
  assert.deepEqual(replaced.visitor.contact, { name: 'Ann', email: 'ann@example.com', phone: '', description: '' });

  v.client.send({ type: 'custom_data', fields: FIELDS });
  await alice.client.next('visitor');
  v.client.send({ type: 'custom_data', fields: [{ content: 'only this' }] });
  assert.deepEqual((await alice.client.next('visitor')).visitor.customData, [{ content: 'only this' }]);

  v.client.send({ type: 'utm', utm: UTM });
  await alice.client.next('visitor');
  v.client.send({ type: 'utm', utm: { ...UTM, campaign: 'autumn', term: '' } });
  assert.deepEqual((await alice.client.next('visitor')).visitor.utm, { ...UTM, campaign: 'autumn', term: '' });

  // The widget sends all of them again after every welcome: the same values change nothing and tell nobody.
  v.client.send({ type: 'contact', name: 'Ann', email: 'ann@example.com', phone: '', description: '' });
  v.client.send({ type: 'custom_data', fields: [{ content: 'only this' }] });
  v.client.send({ type: 'utm', utm: { ...UTM, campaign: 'autumn', term: '' } });
  await alice.client.none('visitor');

  // Empty values clear: no contact, no fields, blank utm tags (null).
  v.client.send({ type: 'contact', name: '', email: '', phone: '', description: '' });
  v.client.send({ type: 'custom_data', fields: [] });
  v.client.send({ type: 'utm', utm: { source: '', medium: '', campaign: '', content: '', term: '' } });
  const cleared = [
    await alice.client.next('visitor'),
    await alice.client.next('visitor'),
    await alice.client.next('visitor'),
  ].at(-1).visitor;
  assert.deepEqual(cleared.contact, { name: '', email: '', phone: '', description: '' });
  assert.deepEqual(cleared.customData, []);
  assert.equal(cleared.utm, null);
});

test('a link that is not http(s) is dropped by the protocol; the rest of the field is kept', async (t) => {
  const b = await backend(t);
  const alice = await agent(t, b);
  const v = await visitor(t, b);
  await alice.client.next('visitor');
  v.client.send({
    type: 'custom_data',
    fields: [
      { content: 'Click me', link: 'javascript:alert(document.cookie)' },
      { content: 'Data', link: 'data:text/html,<script>alert(1)</script>', key: 'K' },
      { content: 'Relative', link: '/orders/42' },
      { content: 'Fine', link: 'http://shop.example/ok' },
    ],
  });
  const seen = await alice.client.next('visitor');
  assert.deepEqual(seen.visitor.customData, [
    { content: 'Click me' },
    { content: 'Data', key: 'K' },
    { content: 'Relative' },
    { content: 'Fine', link: 'http://shop.example/ok' },
  ]);
  assert.ok(!alice.client.frames.some((f) => JSON.stringify(f).includes('javascript:')));
});

test('the user token is stored but never appears in any frame an agent receives', async (t) => {
  const dataDir = await tempDir(t);
  const first = await startBackend({ port: 0, host: '127.0.0.1', staticRoot: null, warn: quiet, dataDir });
  t.after(() => first.close());
  const alice = await agent(t, first);
  const raw = rawFrames(alice.client);
  const v = await visitor(t, first);
  await alice.client.next('visitor');

  v.client.send({ type: 'user_token', token: TOKEN });
  v.client.send(CONTACT);
  v.client.send({ type: 'custom_data', fields: FIELDS });
  v.client.send({ type: 'utm', utm: UTM });
  v.client.send({ type: 'message', id: 'm1', text: 'Hello' });
  await v.client.next('ack');
  await alice.client.next('message');
  // The visitor reloads and the widget sends everything again; then it leaves.
  const reload = await visitor(t, first, { visitorId: v.hello.visitorId });
  reload.client.send({ type: 'user_token', token: TOKEN });
  v.client.terminate();
  reload.client.terminate();
  await alice.client.next((f) => f.type === 'visitor' && !f.visitor.online);
  const bob = await agent(t, first, 'Bob');
  const bobRaw = JSON.stringify(bob.welcome);

  // The token frame itself changed nothing agents see: no visitor frame carries it, under any name.
  for (const text of [...raw, bobRaw]) {
    assert.ok(!text.includes(TOKEN), `an agent frame holds the token: ${text.slice(0, 200)}`);
    assert.ok(!/user_?token/i.test(text), `an agent frame names the token: ${text.slice(0, 200)}`);
  }
  assert.ok(raw.length >= 6, 'the agent did receive frames');
  assert.ok(
    raw.some((text) => text.includes('Ann Lee')),
    'the contact did reach the agent',
  );

  // It is in the journal, once: the resend after the reload wrote nothing.
  const lines = await journalLines(dataDir);
  const tokenRecords = lines.map((l) => JSON.parse(l)).filter((r) => r.k === 'user_token');
  assert.equal(tokenRecords.length, 1);
  assert.equal(tokenRecords[0].token, TOKEN);

  // After a restart the backend still knows it (the same token writes nothing; a new one does), and agents still do not see it.
  await first.close();
  const second = await startBackend({ port: 0, host: '127.0.0.1', staticRoot: null, warn: quiet, dataDir });
  t.after(() => second.close());
  const carol = await agent(t, second, 'Carol');
  const carolRaw = rawFrames(carol.client);
  assert.ok(!JSON.stringify(carol.welcome).includes(TOKEN));
  const back = await visitor(t, second, { visitorId: v.hello.visitorId });
  await carol.client.next('visitor');
  back.client.send({ type: 'user_token', token: TOKEN });
  back.client.send({ type: 'user_token', token: 'another-token' });
  // The frames are handled in order: a following message's ack means both token frames are through.
  back.client.send({ type: 'message', id: 'm2', text: 'Still me' });
  await back.client.next('ack');
  const after = (await journalLines(dataDir)).map((l) => JSON.parse(l)).filter((r) => r.k === 'user_token');
  assert.deepEqual(
    after.map((r) => r.token),
    [TOKEN, 'another-token'],
  );
  assert.ok(!carolRaw.some((text) => text.includes('another-token') || text.includes(TOKEN)));
  // An empty token clears it (stored as null).
  back.client.send({ type: 'user_token', token: '' });
  back.client.send({ type: 'message', id: 'm3', text: 'again' });
  await back.client.next('ack');
  assert.equal(
    (await journalLines(dataDir))
      .map((l) => JSON.parse(l))
      .filter((r) => r.k === 'user_token')
      .at(-1).token,
    null,
  );
});

test('contact, custom data and utm survive a restart on the same data dir, and resending them writes nothing', async (t) => {
  const dataDir = await tempDir(t);
  const first = await startBackend({ port: 0, host: '127.0.0.1', staticRoot: null, warn: quiet, dataDir });
  t.after(() => first.close());
  const alice = await agent(t, first);
  const v = await visitor(t, first);
  v.client.send(CONTACT);
  v.client.send({ type: 'custom_data', fields: FIELDS });
  v.client.send({ type: 'utm', utm: UTM });
  v.client.send({ type: 'user_token', token: TOKEN });
  await alice.client.next((f) => f.type === 'visitor' && f.visitor.utm !== null);
  v.client.send({ type: 'message', id: 'sync', text: 'everything before this is through' });
  await v.client.next('ack');
  await first.close();

  const warnings: Frame[] = [];
  const second = await startBackend({
    port: 0,
    host: '127.0.0.1',
    staticRoot: null,
    warn: (w) => warnings.push(w),
    dataDir,
  });
  t.after(() => second.close());
  assert.deepEqual(warnings, []);
  const bob = await agent(t, second, 'Bob');
  const snap = bob.welcome.visitors.find((x: Frame) => x.number === 1);
  assert.deepEqual(snap.contact, {
    name: 'Ann Lee',
    email: 'ann@example.com',
    phone: '+47 555 01 02',
    description: 'Wholesale buyer',
  });
  assert.deepEqual(snap.customData, STORED);
  assert.deepEqual(snap.utm, UTM);

  // The widget reconnects and sends it all again, as it does after every welcome: nothing new is written.
  const before = (await journalLines(dataDir)).length;
  const back = await visitor(t, second, { visitorId: v.hello.visitorId });
  const afterHello = (await journalLines(dataDir)).length;
  assert.equal(afterHello, before + 1, 'the hello writes its update record');
  back.client.send(CONTACT);
  back.client.send({ type: 'custom_data', fields: FIELDS });
  back.client.send({ type: 'utm', utm: UTM });
  back.client.send({ type: 'user_token', token: TOKEN });
  back.client.send({ type: 'message', id: 'sync2', text: 'and now' });
  await back.client.next('ack');
  assert.equal((await journalLines(dataDir)).length, afterHello + 1, 'only the message was written');
  await bob.client.next('visitor');
  await bob.client.none((f) => f.type === 'visitor' && f.visitor.contact.name !== 'Ann Lee');
});

test('bad visitor-data frames get errors and change nothing; the socket stays usable', async (t) => {
  const b = await backend(t);
  const alice = await agent(t, b);
  const v = await visitor(t, b);
  await alice.client.next('visitor');
  v.client.send(CONTACT);
  v.client.send({ type: 'custom_data', fields: FIELDS });
  v.client.send({ type: 'utm', utm: UTM });
  for (let i = 0; i < 3; i++) await alice.client.next('visitor');
  const before = await snapshot(t, b);
  assert.deepEqual(before.utm, UTM);

  const eleven = Array.from({ length: 11 }, (_, i) => ({ content: `field ${i}` }));
  const cases = [
    [{ type: 'custom_data', fields: eleven }, 'invalid_field', 'at most 10 fields'],
    [{ type: 'custom_data', fields: 'a string' }, 'invalid_field', 'fields must be an array'],
    [{ type: 'custom_data' }, 'invalid_field', 'fields must be an array'],
    [{ type: 'custom_data', fields: [{ content: 'ok' }, 7] }, 'invalid_field', 'field 1 must be an object'],
    [
      { type: 'custom_data', fields: [{ content: 'c'.repeat(1001) }] },
      'invalid_field',
      'field 0: content must be a string of at most 1000 characters',
    ],
    [
      { type: 'custom_data', fields: [{ content: 'ok', link: 42 }] },
      'invalid_field',
      'field 0: link must be a string of at most 1000 characters',
    ],
    [
      { type: 'custom_data', fields: [{ key: 'only a key' }] },
      'invalid_field',
      'field 0 has neither content nor title',
    ],
    [
      { type: 'user_token', token: 't'.repeat(257) },
      'invalid_field',
      'token must be a string of at most 256 characters',
    ],
    [{ type: 'user_token', token: 12345 }, 'invalid_field', 'token must be a string of at most 256 characters'],
    [{ type: 'user_token' }, 'invalid_field', 'token must be a string of at most 256 characters'],
    [
      { type: 'utm', utm: 'utm_source=spam' },
      'bad_frame',
      'utm must be {source, medium, campaign, content, term} strings',
    ],
    [{ type: 'utm', utm: null }, 'bad_frame', 'utm must be {source, medium, campaign, content, term} strings'],
    [{ type: 'utm', utm: [UTM] }, 'bad_frame', 'utm must be {source, medium, campaign, content, term} strings'],
    [
      { type: 'utm', utm: { source: 'x' } },
      'bad_frame',
      'utm must be {source, medium, campaign, content, term} strings',
    ],
    [
      { type: 'utm', utm: { ...UTM, term: 'x'.repeat(301) } },
      'bad_frame',
      'utm must be {source, medium, campaign, content, term} strings',
    ],
    [{ ...CONTACT, email: 'not an email' }, 'invalid_field', 'email is not a valid address'],
    [{ ...CONTACT, phone: 'call me' }, 'invalid_field', 'phone is not a valid number'],
    [{ ...CONTACT, name: 'n'.repeat(101) }, 'invalid_field', 'name is longer than 100 characters'],
    [{ ...CONTACT, description: { html: '<b>' } }, 'invalid_field', 'description must be a string'],
  ];
  for (const [frame, code, message] of cases) {
    const error = await v.client.expectError(frame);
    assert.deepEqual(
      { code: error.code, message: error.message },
      { code, message },
      JSON.stringify(frame).slice(0, 80),
    );
    assert.equal(error.id, undefined);
  }
  assert.equal(v.client.ws.readyState, v.client.ws.OPEN);
  await alice.client.none('visitor');
  const after = await snapshot(t, b);
  assert.deepEqual({ ...after, lastSeenAt: 0 }, { ...before, lastSeenAt: 0 });

  // Still usable: a good frame after the bad ones is stored.
  v.client.send({ type: 'custom_data', fields: [{ content: 'good' }] });
  assert.deepEqual((await alice.client.next('visitor')).visitor.customData, [{ content: 'good' }]);
  assert.deepEqual((await snapshot(t, b)).contact, before.contact);
});

test('visitor-data frames before hello are not_ready and store nothing', async (t) => {
  const b = await backend(t);
  const c = await Client.open(t, b.visitorUrl);
  for (const frame of [
    CONTACT,
    { type: 'custom_data', fields: FIELDS },
    { type: 'user_token', token: TOKEN },
    { type: 'utm', utm: UTM },
  ]) {
    const error = await c.expectError(frame, 'not_ready');
    assert.equal(error.message, 'The first frame must be hello');
  }
  const alice = await agent(t, b);
  assert.deepEqual(alice.welcome.visitors, []);
});

test(
  'a failed journal write does not crash: the socket is closed with 1011, nothing changes, a resend later is stored',
  { timeout: 10_000 },
  async (t) => {
    const dataDir = await tempDir(t);
    const warnings: Frame[] = [];
    const b = await startBackend({
      port: 0,
      host: '127.0.0.1',
      staticRoot: null,
      warn: (w) => warnings.push(w),
      dataDir,
    });
    t.after(() => b.close());
    const alice = await agent(t, b);
    const v = await visitor(t, b);
    await alice.client.next('visitor');
    const before = (await journalLines(dataDir)).length;

    // The disk refuses every write while the contact arrives (the journal's own writeSync, through the ESM binding).
    const writeSync = fs.writeSync;
    fs.writeSync = () => {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    };
    syncBuiltinESMExports();
    try {
      v.client.send(CONTACT);
      assert.deepEqual(await v.client.closed, { code: 1011, reason: 'Storage unavailable' });
    } finally {
      fs.writeSync = writeSync;
      syncBuiltinESMExports();
    }
    assert.ok(
      warnings.some((w) => /journal write failed: ENOSPC/.test(w)),
      warnings.join('\n'),
    );
    assert.equal((await journalLines(dataDir)).length, before);
    const gone = await alice.client.next((f) => f.type === 'visitor' && !f.visitor.online);
    assert.equal(gone.visitor.contact.name, '', 'agents were not told about a contact that was not stored');
    assert.equal((await snapshot(t, b)).contact.name, '');

    // The widget reconnects and sends it again: now it is stored.
    const back = await visitor(t, b, { visitorId: v.hello.visitorId });
    back.client.send(CONTACT);
    assert.equal(
      (await alice.client.next((f) => f.type === 'visitor' && f.visitor.contact.name !== '')).visitor.contact.name,
      'Ann Lee',
    );
  },
);

test('a department frame routes the chat: agents see it live and after a restart; the same department writes nothing', async (t) => {
  const dataDir = await tempDir(t);
  const first = await startBackend({ port: 0, host: '127.0.0.1', staticRoot: null, warn: quiet, dataDir });
  t.after(() => first.close());
  const alice = await agent(t, first);
  const v = await visitor(t, first);
  await alice.client.next('visitor');
  v.client.send({ type: 'department', department: 'sales' });
  const routed = await alice.client.next((f) => f.type === 'visitor' && f.visitor.department === 'sales');
  assert.equal(routed.visitor.number, 1);

  const before = (await journalLines(dataDir)).length;
  v.client.send({ type: 'department', department: 'sales' });
  v.client.send({ type: 'department', department: 'x'.repeat(65) });
  assert.equal((await v.client.next('error')).code, 'bad_frame');
  assert.equal((await journalLines(dataDir)).length, before, 'an unchanged or refused department writes nothing');

  v.client.send({ type: 'department', department: null });
  await alice.client.next((f) => f.type === 'visitor' && f.visitor.department === null);
  v.client.send({ type: 'department', department: 'support' });
  await alice.client.next((f) => f.type === 'visitor' && f.visitor.department === 'support');
  await first.close();

  const second = await startBackend({ port: 0, host: '127.0.0.1', staticRoot: null, warn: quiet, dataDir });
  t.after(() => second.close());
  const bob = await agent(t, second, 'Bob');
  assert.equal(bob.welcome.visitors.find((x: Frame) => x.number === 1).department, 'support');
});
