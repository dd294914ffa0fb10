// A site's settings through the agent socket (admins change them, agents read them), business hours told to widgets
// (welcome and `hours`), the pre-chat form (consent before chatting, required answers, the record agents see, kept
// across a restart on the journal and on PostgreSQL) and quick replies (validated, delivered, kept).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import {
  account,
  agent,
  backend,
  freshDatabase,
  startBackend,
  tempDir,
  testOptions,
  visitor,
  visitorIdFor,
  type Backend,
  type Frame,
} from './helpers.js';

const CONSENT = { text: 'I agree to the privacy policy', url: 'https://shop.example/privacy', version: '2026-01' };
const PRECHAT = {
  name: 'required',
  email: 'optional',
  phone: 'off',
  department: { mode: 'required', options: ['Sales', 'Support'] },
  question: { mode: 'optional', label: 'Your order number?' },
  consent: CONSENT,
};
/** Open every day, all day, except today (UTC) as a holiday: closed now, open at the next UTC midnight. */
function closedToday() {
  const today = new Date().toISOString().slice(0, 10);
  const all = [{ from: '00:00', to: '24:00' }];
  return {
    timeZone: 'UTC',
    week: { mon: all, tue: all, wed: all, thu: all, fri: all, sat: all, sun: all },
    holidays: [{ date: today, yearly: false }],
  };
}
const nextUtcMidnight = () => {
  const d = new Date();
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
};

async function admin(t: TestContext, b: Backend) {
  await account(b, 'Root', 'admin');
  return agent(t, b, 'Root', true);
}

async function save(client: Frame, widgetId: string, settings: object): Promise<Frame> {
  const id = `s-${Math.random().toString(36).slice(2, 10)}`;
  client.send({ type: 'site_settings', id, widgetId, settings });
  return client.next((f: Frame) => (f.type === 'site_settings' && f.id === id) || (f.type === 'error' && f.id === id));
}

test("admins change a site's settings, agents may not; bad settings change nothing; sites.json keeps them", async (t) => {
  const dataDir = await tempDir(t);
  const b = await backend(t, { dataDir });
  const root = await admin(t, b);
  const alice = await agent(t, b, 'Alice');
  assert.deepEqual(root.welcome.sites, []);

  const forbidden = await save(alice.client, 'shop', { hours: closedToday(), prechat: null });
  assert.equal(forbidden.code, 'forbidden');
  const bad = await save(root.client, 'shop', { hours: { ...closedToday(), timeZone: 'Mars/Base' } });
  assert.equal(bad.code, 'invalid_field');
  const http = await save(root.client, 'shop', {
    prechat: { ...PRECHAT, consent: { ...CONSENT, url: 'http://x.example' } },
  });
  assert.equal(http.code, 'invalid_field');

  const saved = await save(root.client, 'shop', { hours: closedToday(), prechat: PRECHAT });
  assert.equal(saved.type, 'site_settings');
  assert.equal(saved.settings.hours.timeZone, 'UTC');
  // Every console hears of it: agents read the settings.
  const told = await alice.client.next('site_settings');
  assert.deepEqual(told.settings, saved.settings);
  const file = JSON.parse(await readFile(join(dataDir, 'sites.json'), 'utf8'));
  assert.deepEqual(file.settings.shop, saved.settings);
  // A console that connects later has them in its welcome.
  const bob = await agent(t, b, 'Bob');
  assert.deepEqual(bob.welcome.sites, [{ widgetId: 'shop', settings: saved.settings }]);
});

test('business hours: the welcome says closed and when the team is back; a change reaches connected widgets', async (t) => {
  const b = await backend(t);
  const root = await admin(t, b);
  const before = await visitor(t, b, { widgetId: 'shop' });
  assert.equal(before.welcome.hours, undefined, 'no schedule, no hours');
  await save(root.client, 'shop', { hours: closedToday() });
  // The widget connected before the change hears it.
  const told = await before.client.next('hours');
  assert.deepEqual(told.hours, { open: false, next: nextUtcMidnight() });
  const v = await visitor(t, b, { widgetId: 'shop' });
  assert.deepEqual(v.welcome.hours, { open: false, next: nextUtcMidnight() });
  // The chat mode is the agents' (Root is online): business hours do not take the chat offline.
  assert.equal(v.welcome.chatMode, 'online');
  // Today is no longer a holiday: open now.
  await save(root.client, 'shop', { hours: { ...closedToday(), holidays: [] } });
  const open = await v.client.next('hours');
  assert.equal(open.hours.open, true);
  // Another site's widget hears nothing.
  const other = await visitor(t, b, { widgetId: 'blog' });
  await save(root.client, 'shop', { hours: null });
  assert.equal((await v.client.next('hours')).hours, null);
  await other.client.none('hours');
});

async function prechatFlow(t: TestContext, b: Backend) {
  const root = await admin(t, b);
  await save(root.client, 'shop', { prechat: PRECHAT });
  const v = await visitor(t, b, { widgetId: 'shop' });
  assert.deepEqual(v.welcome.prechat, { ...PRECHAT, answered: false });
  const visitorId = await visitorIdFor(root.client, v.welcome.visitorNumber, 'shop');
  // The same visitor in another tab.
  const tab2 = await visitor(t, b, { widgetId: 'shop', visitorId: v.hello.visitorId });

  // No message before consent.
  const refused = await v.client.expectError({ type: 'message', id: 'm-1', text: 'Hello' }, 'consent_required');
  assert.equal(refused.id, 'm-1');
  // Required answers: the name (from the contact frame) and a department of the list; the consent's current version.
  const form = { type: 'prechat', id: 'p-1', answer: 'A-42', department: 'Sales', consent: CONSENT.version };
  assert.match((await v.client.expectError(form, 'invalid_field')).message, /name/);
  v.client.send({ type: 'contact', name: 'Ann', email: 'ann@example.com', phone: '', description: '' });
  assert.match((await v.client.expectError({ ...form, department: 'Billing' }, 'invalid_field')).message, /department/);
  assert.match((await v.client.expectError({ ...form, consent: '2025-01' }, 'invalid_field')).message, /consent/);
  v.client.send({ type: 'department', department: 'Sales' });
  v.client.send(form);
  const ack = await v.client.next('ack');
  assert.equal(ack.id, 'p-1');
  assert.equal(ack.seq, 0);
  // The other tab drops its form.
  assert.deepEqual((await tab2.client.next('prechat')).prechat, { ...PRECHAT, answered: true });
  await v.client.none('prechat');
  // Agents see what was consented to, and when.
  const shown = await root.client.next(
    (f: Frame) => f.type === 'visitor' && f.visitor.id === visitorId && f.visitor.prechat,
  );
  assert.deepEqual(shown.visitor.prechat, {
    at: ack.at,
    question: 'Your order number?',
    answer: 'A-42',
    consent: { ...CONSENT, at: ack.at },
  });
  // A resend (after a reconnect) stores nothing new and is acked with the first time.
  v.client.send(form);
  assert.equal((await v.client.next('ack')).at, ack.at);
  // Now the visitor may chat.
  v.client.send({ type: 'message', id: 'm-1', text: 'Hello' });
  assert.equal((await v.client.next('ack')).seq, 1);
  return { v, visitorId, at: ack.at };
}

test('pre-chat form on the journal: consent before chatting, required answers, the record kept across a restart', async (t) => {
  const dataDir = await tempDir(t);
  const b = await startBackend(testOptions({ dataDir }));
  const { v, visitorId, at } = await prechatFlow(t, b);
  v.client.terminate();
  await b.close();
  const again = await backend(t, { dataDir });
  await account(again, 'Root', 'admin');
  const root = await agent(t, again, 'Root');
  const kept = root.welcome.visitors.find((x: Frame) => x.id === visitorId);
  assert.deepEqual(kept.prechat.consent, { ...CONSENT, at });
  const back = await visitor(t, again, { widgetId: 'shop', visitorId: v.hello.visitorId });
  assert.equal(back.welcome.prechat.answered, true);
});

test('pre-chat form on PostgreSQL: the consent record is stored and read back by another server', async (t) => {
  const database = await freshDatabase(t);
  const b = await backend(t, { database });
  const { visitorId, at } = await prechatFlow(t, b);
  const other = await backend(t, { database });
  await account(other, 'Root2', 'admin');
  const root = await agent(t, other, 'Root2');
  assert.equal(root.welcome.sites[0].settings.prechat.consent.version, CONSENT.version);
  const kept = root.welcome.visitors.find((x: Frame) => x.id === visitorId);
  assert.deepEqual(kept.prechat.consent, { ...CONSENT, at });
});

test('a new consent version asks again: the welcome says the form is not answered', async (t) => {
  const b = await backend(t);
  const { v } = await prechatFlow(t, b);
  const root = await agent(t, b, 'Root', true);
  const changed = { ...PRECHAT, consent: { ...CONSENT, version: '2026-06' } };
  await save(root.client, 'shop', { prechat: changed });
  // The widget connected now is told at once: the form shows again.
  assert.deepEqual((await v.client.next('prechat')).prechat, { ...changed, answered: false });
  // Business hours alone changing tells widgets nothing about the form.
  await save(root.client, 'shop', { prechat: changed, hours: closedToday() });
  await v.client.none('prechat');
  const back = await visitor(t, b, { widgetId: 'shop', visitorId: v.hello.visitorId, after: 1 });
  assert.equal(back.welcome.prechat.answered, false);
  await back.client.expectError({ type: 'message', id: 'm-2', text: 'Again' }, 'consent_required');
});

test('quick replies: validated server-side, delivered with the message, kept for a reload', async (t) => {
  const b = await backend(t);
  const alice = await agent(t, b, 'Alice', true);
  const v = await visitor(t, b);
  const visitorId = await visitorIdFor(alice.client, v.welcome.visitorNumber);
  const send = (id: string, replies: unknown) =>
    alice.client.send({ type: 'message', visitorId, id, text: 'Which size?', replies });
  for (const replies of [
    [],
    Array.from({ length: 11 }, (_, i) => `Size ${i}`),
    ['x'.repeat(41)],
    [1, 2],
    'S',
    ['S', 'S'],
  ]) {
    send('c-bad', replies);
    const error = await alice.client.next('error');
    assert.equal(error.code, 'invalid_field', JSON.stringify(replies));
  }
  await v.client.none('message');
  send('c-1', ['S', ' M ', 'L']);
  const got = await v.client.next('message');
  assert.deepEqual(got.message.replies, ['S', 'M', 'L']);
  assert.equal(got.message.from, 'agent');
  // The visitor's choice is an ordinary message.
  v.client.send({ type: 'message', id: 'm-choice', text: 'M' });
  assert.equal((await v.client.next('ack')).seq, 2);
  const choice = await alice.client.next((f: Frame) => f.type === 'message' && f.message.from === 'visitor');
  assert.equal(choice.message.text, 'M');
  // A reload gets the buttons back with the history.
  const again = await visitor(t, b, { visitorId: v.hello.visitorId });
  assert.deepEqual(again.welcome.messages[0].replies, ['S', 'M', 'L']);
});
