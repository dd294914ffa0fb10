// The console's side of the agent protocol (parseAgentServerFrame) and the journal's record check: neither trusts what
// it reads.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Frame } from './helpers.js';

// The results are read field by field, as the console reads them.
const parseAgentServerFrame = (raw: string): Frame => parseServerFrame(raw);
const checkRecord = (raw: unknown): Frame => checkJournalRecord(raw);
const parseAgentFrame = (raw: string): Frame => parseClientFrame(raw);
import {
  parseAgentFrame as parseClientFrame,
  parseAgentServerFrame as parseServerFrame,
} from '../../server/agent-protocol.js';
import { checkRecord as checkJournalRecord } from '../../server/state.js';

const info = (overrides = {}) => ({
  id: 'v-abc',
  widgetId: 'site',
  number: 3,
  page: { url: 'https://shop.example/', title: 'Shop' },
  department: null,
  lang: 'en',
  online: true,
  typing: false,
  acceptedBy: null,
  finishedSeq: 0,
  unread: 0,
  readSeq: 0,
  lastSeq: 0,
  createdAt: 1764107990000,
  lastSeenAt: 1764107990000,
  contact: { name: 'Ann', email: 'ann@example.com', phone: '', description: '' },
  customData: [{ content: '#42', title: 'Order', key: 'Number', link: 'https://shop.example/orders/42' }],
  utm: { source: 'newsletter', medium: 'email', campaign: 'spring', content: '', term: '' },
  clientAttributes: {},
  contactsRequest: null,
  ...overrides,
});
const visitorFrame = (overrides: Frame) => JSON.stringify({ type: 'visitor', visitor: info(overrides) });
const welcome = (visitors: Frame) =>
  JSON.stringify({
    type: 'welcome',
    v: 1,
    name: 'Alice',
    agentId: 'ag-alice000001',
    online: false,
    chatMode: 'offline',
    agents: [],
    visitors,
    offlineMessages: [],
  });

test('the console accepts contact, custom data and utm, keeping the fields in order', () => {
  const parsed = parseAgentServerFrame(
    visitorFrame({ customData: [{ content: 'b' }, { content: 'a', key: 'K' }, { title: 'T', content: '' }] }),
  );
  assert.equal(parsed.ok, true);
  assert.deepEqual(parsed.frame.visitor.contact, { name: 'Ann', email: 'ann@example.com', phone: '', description: '' });
  assert.deepEqual(parsed.frame.visitor.customData, [
    { content: 'b' },
    { content: 'a', key: 'K' },
    { title: 'T', content: '' },
  ]);
  assert.deepEqual(parsed.frame.visitor.utm, {
    source: 'newsletter',
    medium: 'email',
    campaign: 'spring',
    content: '',
    term: '',
  });
  assert.equal(parseAgentServerFrame(visitorFrame({ utm: null })).frame.visitor.utm, null);
  const snap = parseAgentServerFrame(welcome([{ ...info(), messages: [] }]));
  assert.equal(snap.ok, true);
  assert.deepEqual(snap.frame.visitors[0].customData, info().customData);
});

test('the console drops a link that is not http(s) and anything it does not know, such as a user token', () => {
  const parsed = parseAgentServerFrame(
    visitorFrame({
      customData: [
        { content: 'x', link: 'javascript:alert(1)' },
        { content: 'y', link: '//evil.example/' },
        { content: 'z', link: 'https://ok.example/', extra: '<script>' },
      ],
      userToken: 'secret-token',
      user_token: 'secret-token',
    }),
  );
  assert.equal(parsed.ok, true);
  assert.deepEqual(parsed.frame.visitor.customData, [
    { content: 'x' },
    { content: 'y' },
    { content: 'z', link: 'https://ok.example/' },
  ]);
  assert.ok(!JSON.stringify(parsed.frame).includes('secret-token'));
});

test('the console refuses a visitor whose contact, custom data or utm is malformed (or missing)', () => {
  const cases = {
    'no contact': { contact: undefined },
    'contact not an object': { contact: 'Ann' },
    'contact field not a string': { contact: { name: 5, email: '', phone: '', description: '' } },
    'contact field missing': { contact: { name: 'Ann', email: '', phone: '' } },
    'contact name too long': { contact: { name: 'n'.repeat(101), email: '', phone: '', description: '' } },
    'no customData': { customData: undefined },
    'customData not an array': { customData: { content: 'x' } },
    '11 custom fields': { customData: Array.from({ length: 11 }, (_, i) => ({ content: String(i) })) },
    'custom field not an object': { customData: ['x'] },
    'custom content too long': { customData: [{ content: 'c'.repeat(1001) }] },
    'custom field empty': { customData: [{ key: 'k' }] },
    'utm missing': { utm: undefined },
    'utm a string': { utm: 'utm_source=x' },
    'utm tag missing': { utm: { source: 'x', medium: '', campaign: '', content: '' } },
    'utm tag not a string': { utm: { source: 1, medium: '', campaign: '', content: '', term: '' } },
    'utm tag too long': { utm: { source: 's'.repeat(301), medium: '', campaign: '', content: '', term: '' } },
    'finishedSeq missing': { finishedSeq: undefined },
    'finishedSeq negative': { finishedSeq: -1 },
  };
  for (const [name, overrides] of Object.entries(cases)) {
    const parsed = parseAgentServerFrame(visitorFrame(overrides));
    assert.equal(parsed.ok, false, name);
    assert.equal(parsed.code, 'bad_frame', name);
    assert.equal(parseAgentServerFrame(welcome([{ ...info(overrides), messages: [] }])).ok, false, `welcome: ${name}`);
  }
});

test('journal records of visitor data are checked when read back', () => {
  const good = [
    { k: 'contact', v: 'v-abc', contact: { name: 'Ann', email: '', phone: '', description: '' } },
    { k: 'custom_data', v: 'v-abc', fields: [{ content: 'a' }, { content: 'b', link: 'https://x.example/' }] },
    { k: 'user_token', v: 'v-abc', token: 'tok' },
    { k: 'user_token', v: 'v-abc', token: null },
    { k: 'utm', v: 'v-abc', utm: { source: 's', medium: '', campaign: '', content: '', term: '' } },
    { k: 'utm', v: 'v-abc', utm: null },
  ];
  for (const record of good) assert.deepEqual(checkRecord(record), record, JSON.stringify(record));
  // A link edited into the file is dropped like one from a widget; the field stays.
  assert.deepEqual(
    checkRecord({ k: 'custom_data', v: 'v-abc', fields: [{ content: 'a', link: 'javascript:x' }] }).fields,
    [{ content: 'a' }],
  );
  const bad = [
    { k: 'contact', v: 'v-abc', contact: null },
    { k: 'contact', v: 'bad id!', contact: { name: '', email: '', phone: '', description: '' } },
    { k: 'custom_data', v: 'v-abc', fields: Array.from({ length: 11 }, () => ({ content: 'x' })) },
    { k: 'user_token', v: 'v-abc', token: 't'.repeat(257) },
    { k: 'user_token', v: 'v-abc', token: '' },
    { k: 'user_token', v: 'v-abc' },
    { k: 'utm', v: 'v-abc', utm: 'x' },
    { k: 'utm', v: 'v-abc' },
  ];
  for (const record of bad) assert.equal(checkRecord(record), null, JSON.stringify(record));
});

test('finish: the frame needs a visitorId, and the console keeps where the last finished chat ended', () => {
  assert.deepEqual(parseAgentFrame(JSON.stringify({ type: 'finish', visitorId: 'v-abc' })), {
    ok: true,
    frame: { type: 'finish', visitorId: 'v-abc' },
  });
  for (const frame of [
    { type: 'finish' },
    { type: 'finish', visitorId: 'bad id!' },
    { type: 'finish', visitorId: 7 },
  ]) {
    const parsed = parseAgentFrame(JSON.stringify(frame));
    assert.equal(parsed.ok, false, JSON.stringify(frame));
    assert.equal(parsed.code, 'bad_frame');
    assert.match(parsed.message, /finish needs a visitorId/);
  }
  assert.equal(parseAgentServerFrame(visitorFrame({ finishedSeq: 4, lastSeq: 6 })).frame.visitor.finishedSeq, 4);
});

test('journal records of finished chats and user agents are checked when read back', () => {
  const visitorRecord = {
    k: 'visitor',
    id: 'v-abc',
    widgetId: 'site',
    visitorId: 'secret-1',
    number: 1,
    at: 1764107990000,
    page: null,
    department: null,
    lang: 'en',
  };
  const good = [
    { k: 'finish', v: 'v-abc', seq: 0 },
    { k: 'finish', v: 'v-abc', seq: 12 },
    visitorRecord,
    { ...visitorRecord, ua: 'Mozilla/5.0 (X11; Linux x86_64)' },
    { k: 'update', v: 'v-abc', at: 1764107990000, ua: '' },
  ];
  for (const record of good) assert.deepEqual(checkRecord(record), record, JSON.stringify(record));
  const bad = [
    { k: 'finish', v: 'v-abc' },
    { k: 'finish', v: 'v-abc', seq: -1 },
    { k: 'finish', v: 'v-abc', seq: 1.5 },
    { ...visitorRecord, ua: 5 },
    { ...visitorRecord, ua: 'u'.repeat(513) },
    { k: 'update', v: 'v-abc', at: 1764107990000, ua: null },
  ];
  for (const record of bad) assert.equal(checkRecord(record), null, JSON.stringify(record));
});

test('the console takes client attributes and contacts requests as they are, and refuses malformed ones', () => {
  const request = { by: 'Alice', at: 1764108000000, state: 'given', answeredAt: 1764108060000 };
  const parsed = parseAgentServerFrame(
    visitorFrame({ clientAttributes: { plan: 'gold', n: 2, vip: false }, contactsRequest: request }),
  );
  assert.equal(parsed.ok, true);
  assert.deepEqual(parsed.frame.visitor.clientAttributes, { plan: 'gold', n: 2, vip: false });
  assert.deepEqual(parsed.frame.visitor.contactsRequest, request);
  // A request id sent by mistake is not passed on.
  const withId = parseAgentServerFrame(
    visitorFrame({ contactsRequest: { ...request, state: 'pending', answeredAt: null, id: 'r-secret' } }),
  );
  assert.ok(!JSON.stringify(withId.frame).includes('r-secret'));
  const cases = {
    'no clientAttributes': { clientAttributes: undefined },
    'attributes an array': { clientAttributes: ['gold'] },
    'attribute an object': { clientAttributes: { plan: {} } },
    'attribute null': { clientAttributes: { plan: null } },
    'no contactsRequest': { contactsRequest: undefined },
    'request state unknown': { contactsRequest: { ...request, state: 'maybe' } },
    'request without by': { contactsRequest: { ...request, by: undefined } },
    'request at not a time': { contactsRequest: { ...request, at: 'now' } },
  };
  for (const [name, overrides] of Object.entries(cases))
    assert.equal(parseAgentServerFrame(visitorFrame(overrides)).ok, false, name);
});

test('journal records of client attributes and contacts requests are checked when read back', () => {
  const good = [
    { k: 'client_attributes', v: 'v-abc', at: 1764108000000, attributes: { plan: 'gold', n: 1, vip: true } },
    { k: 'client_attributes', v: 'v-abc', at: 1764108000000, attributes: {} },
    { k: 'contacts_request', v: 'v-abc', id: 'r-1', at: 1764108000000, by: 'Alice' },
    { k: 'contacts_answer', v: 'v-abc', id: 'r-1', at: 1764108000000, given: false },
  ];
  for (const record of good) assert.deepEqual(checkRecord(record), record, JSON.stringify(record));
  const bad = [
    { k: 'client_attributes', v: 'v-abc', attributes: {} },
    { k: 'client_attributes', v: 'v-abc', at: 1, attributes: { plan: null } },
    {
      k: 'client_attributes',
      v: 'v-abc',
      at: 1,
      attributes: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, i])),
    },
    { k: 'contacts_request', v: 'v-abc', id: 'r 1', at: 1, by: 'Alice' },
    { k: 'contacts_request', v: 'v-abc', id: 'r-1', at: 1, by: ' Alice ' },
    { k: 'contacts_request', v: 'v-abc', id: 'r-1', at: 1 },
    { k: 'contacts_answer', v: 'v-abc', id: 'r-1', at: 1, given: 'yes' },
    { k: 'contacts_answer', v: 'v-abc', id: 'r-1', given: true },
  ];
  for (const record of bad) assert.equal(checkRecord(record), null, JSON.stringify(record));
});

test('older_* requests: the console asks with an id, a cursor (or a seq) and an optional limit; defaults are filled in', () => {
  const ok = (frame: object) => parseAgentFrame(JSON.stringify(frame));
  assert.deepEqual(ok({ type: 'older_messages', id: 'q1', visitorId: 'v-abc', before: 41 }), {
    ok: true,
    frame: { type: 'older_messages', id: 'q1', visitorId: 'v-abc', before: 41 },
  });
  assert.deepEqual(ok({ type: 'older_visitors', id: 'q2', cursor: '1764108000000~v-abc', limit: 10 }).frame, {
    type: 'older_visitors',
    id: 'q2',
    cursor: '1764108000000~v-abc',
    limit: 10,
    active: false,
  });
  assert.deepEqual(ok({ type: 'older_calls', id: 'q3', open: true }).frame, {
    type: 'older_calls',
    id: 'q3',
    cursor: null,
    open: true,
  });
  assert.deepEqual(ok({ type: 'older_offline_messages', id: 'q4', cursor: null, extra: 1 }).frame, {
    type: 'older_offline_messages',
    id: 'q4',
    cursor: null,
  });
  for (const frame of [
    { type: 'older_messages', visitorId: 'v-abc', before: 1 },
    { type: 'older_messages', id: 'q', visitorId: 'v-abc', before: 1, limit: -3 },
    { type: 'older_messages', id: 'q', visitorId: 'v-abc', before: 2 ** 60 },
    { type: 'older_visitors', id: 'q', cursor: 'tab\there' },
    { type: 'older_visitors', id: 'q', cursor: '' },
    { type: 'older_visitors', id: 'q', cursor: 'é' },
    { type: 'older_calls', id: 'q', cursor: null, open: 'true' },
  ]) {
    const parsed = ok(frame);
    assert.equal(parsed.ok, false, JSON.stringify(frame));
    assert.equal(parsed.code, 'bad_frame', JSON.stringify(frame));
  }
});

test("the console checks the welcome's cursors and each visitor's olderMessages, and every reply to an older_* request", () => {
  const visitor = { ...info(), messages: [{ id: 'm1', seq: 7, from: 'visitor', text: 'Hi', at: 1764108000000 }] };
  // A backend that sends everything says neither: no cursors, no older messages.
  const old = parseAgentServerFrame(welcome([visitor]));
  assert.equal(old.ok, true);
  assert.deepEqual(old.frame.cursors, {
    visitors: null,
    activeVisitors: null,
    offlineMessages: null,
    calls: null,
    openCalls: null,
  });
  assert.equal(old.frame.visitors[0].olderMessages, false);
  const paged = JSON.parse(welcome([{ ...visitor, olderMessages: true }]));
  paged.cursors = { visitors: '1~v-abc', activeVisitors: null, offlineMessages: '5~o-1', calls: null, openCalls: null };
  const parsed = parseAgentServerFrame(JSON.stringify(paged));
  assert.equal(parsed.ok, true);
  assert.equal(parsed.frame.cursors.visitors, '1~v-abc');
  assert.equal(parsed.frame.visitors[0].olderMessages, true);
  for (const cursors of [{ visitors: 'a b' }, { calls: 5 }, 'x', null]) {
    assert.equal(parseAgentServerFrame(JSON.stringify({ ...paged, cursors })).ok, false, JSON.stringify(cursors));
  }
  assert.equal(parseAgentServerFrame(welcome([{ ...visitor, olderMessages: 'yes' }])).ok, false);

  const replies: Array<[object, boolean]> = [
    [{ type: 'older_messages', id: 'q1', visitorId: 'v-abc', messages: visitor.messages, more: true }, true],
    [{ type: 'older_messages', id: 'q1', visitorId: 'v-abc', messages: visitor.messages }, false],
    [{ type: 'older_messages', id: 'q1', visitorId: 'v-abc', messages: [{ seq: 1 }], more: false }, false],
    [{ type: 'older_messages', visitorId: 'v-abc', messages: [], more: false }, false],
    [{ type: 'older_visitors', id: 'q2', visitors: [visitor], cursor: null }, true],
    [{ type: 'older_visitors', id: 'q2', visitors: [{ ...visitor, contact: null }], cursor: null }, false],
    [{ type: 'older_visitors', id: 'q2', visitors: [], cursor: 'has space' }, false],
    [{ type: 'older_visitors', id: 'q2', visitors: [] }, false],
    [{ type: 'older_offline_messages', id: 'q3', offlineMessages: [], cursor: '9~o-1' }, true],
    [{ type: 'older_offline_messages', id: 'q3', offlineMessages: [{ id: 'o-1' }], cursor: null }, false],
    [{ type: 'older_calls', id: 'q4', calls: [], cursor: null }, true],
    [{ type: 'older_calls', id: 'q4', calls: [{ id: 'c' }], cursor: null }, false],
  ];
  for (const [frame, valid] of replies) {
    assert.equal(parseAgentServerFrame(JSON.stringify(frame)).ok, valid, JSON.stringify(frame));
  }
  const reply = parseAgentServerFrame(JSON.stringify({ ...replies[0][0], extra: 'x' }));
  assert.deepEqual(reply.frame, {
    type: 'older_messages',
    id: 'q1',
    visitorId: 'v-abc',
    messages: visitor.messages,
    more: true,
  });
});

test("snapshot state records are checked: a call's status must be one of the four, not any key of an object", () => {
  const call = {
    id: 'call-1',
    phone: '+14084987855',
    status: 'connected',
    reason: null,
    page: null,
    at: 1,
    updatedAt: 2,
    by: 'Alice',
  };
  const state = {
    k: 'state',
    v: 'v-1',
    lastSeenAt: 1,
    page: null,
    department: null,
    lang: 'en',
    ua: '',
    readSeq: 0,
    agentReadSeq: 0,
    acceptedBy: null,
    acceptedById: null,
    finishedSeq: 0,
    finishedChats: 0,
    contact: { name: '', email: '', phone: '', description: '' },
    customData: [],
    userToken: null,
    utm: null,
    clientAttributes: {},
    attributeChanges: [],
    contactsRequest: null,
    calls: [call],
  };
  assert.equal(checkJournalRecord(state)?.k, 'state');
  for (const status of ['constructor', 'toString', '__proto__', 'ringing'])
    assert.equal(checkJournalRecord({ ...state, calls: [{ ...call, status }] }), null, status);
});
