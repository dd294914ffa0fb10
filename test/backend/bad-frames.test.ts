// Every kind of bad frame gets a clear error and changes nothing; abuse closes the socket; rate limits drop frames.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import { agent, backend, Client, hello, visitor, type Backend, type Frame } from './helpers.js';

const LIMIT = 16_384;

/** After the bad frames: no visitor was created, nothing reached the agent, nothing was stored. */
async function assertNothingChanged(t: TestContext, b: Backend, alice: Frame) {
  await alice.client.none((f: Frame) => f.type !== 'agents' && f.type !== 'chat_mode');
  const fresh = await visitor(t, b);
  assert.equal(fresh.welcome.visitorNumber, 1, 'no visitor was created by the bad frames');
  assert.deepEqual(fresh.welcome.messages, []);
}

test('bad frames before hello: each gets an error with its code, and nothing changes', async (t) => {
  // More bad frames than the default 20 that close a socket.
  const b = await backend(t, { maxBadFrames: 100 });
  const alice = await agent(t, b);
  const c = await Client.open(t, b.visitorUrl);
  const cases = [
    ['not JSON', 'hello', 'bad_frame', 'Not JSON'],
    ['JSON, not an object', '[1,2]', 'bad_frame', 'A frame is a JSON object with a string "type"'],
    ['null', 'null', 'bad_frame', 'A frame is a JSON object with a string "type"'],
    ['no type', { v: 1 }, 'bad_frame', 'A frame is a JSON object with a string "type"'],
    ['type not a string', { type: 7 }, 'bad_frame', 'A frame is a JSON object with a string "type"'],
    ['unknown type', { type: 'subscribe' }, 'bad_frame', 'Unknown frame type "subscribe"'],
    ['another version', hello({ v: 2 }), 'bad_frame', 'Unsupported protocol version; this backend speaks v1'],
    ['hello without widgetId', hello({ widgetId: undefined }), 'bad_frame', 'hello needs a widgetId'],
    ['hello with an empty widgetId', hello({ widgetId: '' }), 'bad_frame', 'hello needs a widgetId'],
    ['hello with an over-long widgetId', hello({ widgetId: 'w'.repeat(65) }), 'bad_frame', 'hello needs a widgetId'],
    [
      'hello with a bad visitorId',
      hello({ visitorId: 'has spaces' }),
      'bad_frame',
      'visitorId must be 1-64 letters, digits, _ or - (or absent on a first visit)',
    ],
    [
      'hello with an over-long visitorId',
      hello({ visitorId: 'v'.repeat(65) }),
      'bad_frame',
      'visitorId must be 1-64 letters, digits, _ or - (or absent on a first visit)',
    ],
    ['hello with a bad revoke', hello({ revoke: 'a b' }), 'bad_frame', 'revoke must be 1-64 letters, digits, _ or -'],
    ['hello with a negative after', hello({ after: -1 }), 'bad_frame', 'after must be a non-negative integer'],
    ['hello with a fractional after', hello({ after: 1.5 }), 'bad_frame', 'after must be a non-negative integer'],
    ['hello without page', hello({ page: undefined }), 'bad_frame', 'page must be {url, title}'],
    [
      'hello with an over-long URL',
      hello({ page: { url: 'https://x.example/' + 'a'.repeat(2048), title: 't' } }),
      'bad_frame',
      'page must be {url, title}',
    ],
    [
      'hello with an over-long title',
      hello({ page: { url: 'https://x.example/', title: 't'.repeat(301) } }),
      'bad_frame',
      'page must be {url, title}',
    ],
    ['hello with a bad department', hello({ department: 5 }), 'bad_frame', 'department must be a string or null'],
    ['hello without lang', hello({ lang: undefined }), 'bad_frame', 'lang must be a string'],
  ];
  for (const [name, frame, code, message] of cases) {
    const error = await c.expectError(frame);
    assert.deepEqual({ code: error.code, message: error.message }, { code, message }, name);
  }
  // A valid frame that is not hello: not_ready, with the message's id so the widget knows which one.
  const early = await c.expectError({ type: 'message', id: 'early', text: 'too soon' }, 'not_ready');
  assert.deepEqual(early, { type: 'error', code: 'not_ready', message: 'The first frame must be hello', id: 'early' });
  await c.expectError({ type: 'typing', typing: true }, 'not_ready');
  await c.expectError(
    { type: 'offline_message', id: 'o1', name: '', email: 'a@b.example', phone: '', description: '', message: 'x' },
    'not_ready',
  );
  assert.equal(c.ws.readyState, c.ws.OPEN, 'the connection stays open');
  await assertNothingChanged(t, b, alice);
});

test('bad frames after hello: errors, the connection stays open, nothing is stored or sent on', async (t) => {
  const b = await backend(t);
  const alice = await agent(t, b);
  const v = await visitor(t, b);
  await alice.client.next('visitor');
  const cases = [
    [{ type: 'message', text: 'no id' }, 'bad_frame', undefined],
    [{ type: 'message', id: 'bad id!', text: 'x' }, 'bad_frame', undefined],
    [{ type: 'message', id: 'i'.repeat(65), text: 'x' }, 'bad_frame', undefined],
    [{ type: 'message', id: 'm1' }, 'invalid_field', 'm1'],
    [{ type: 'message', id: 'm2', text: 42 }, 'invalid_field', 'm2'],
    [{ type: 'message', id: 'm3', text: ' \n\t ' }, 'invalid_field', 'm3'],
    [{ type: 'message', id: 'm4', text: 'x'.repeat(4001) }, 'invalid_field', 'm4'],
    [{ type: 'typing', typing: 'yes' }, 'bad_frame', undefined],
    [{ type: 'read', seq: -3 }, 'bad_frame', undefined],
    [{ type: 'read', seq: '2' }, 'bad_frame', undefined],
    [{ type: 'page', page: { url: 'https://x.example/' } }, 'bad_frame', undefined],
    [{ type: 'offline_message', id: 'o1', email: 'a@b.example', message: 'm'.repeat(4001) }, 'invalid_field', 'o1'],
    [
      { type: 'offline_message', id: 'o2', email: 'a@b.example', message: 'hi', name: 'n'.repeat(101) },
      'invalid_field',
      'o2',
    ],
    [hello(), 'bad_frame', undefined],
  ];
  for (const [frame, code, id] of cases) {
    const error = await v.client.expectError(frame, code);
    assert.equal(error.id, id, JSON.stringify(frame).slice(0, 80));
    assert.equal(typeof error.message, 'string');
  }
  assert.equal((await v.client.expectError(hello(), 'bad_frame')).message, 'hello was already received on this socket');
  // A binary frame is refused too.
  v.client.ws.send(Buffer.from('{"type":"typing","typing":true}'));
  assert.equal((await v.client.next('error')).message, 'Frames are JSON text; binary frames are not accepted');

  await alice.client.none((f) => f.type === 'message' || f.type === 'typing' || f.type === 'offline_message');
  // Still usable: a good message after all that gets seq 1.
  v.client.send({ type: 'message', id: 'good', text: 'finally' });
  assert.equal((await v.client.next('ack')).seq, 1);
  const again = await visitor(t, b, { visitorId: v.hello.visitorId });
  assert.deepEqual(
    again.welcome.messages.map((m: Frame) => m.id),
    ['good'],
  );
});

test('a 4000-character text is accepted; a frame at the byte limit is parsed, one byte more closes the socket with 1009', async (t) => {
  const b = await backend(t);
  const v = await visitor(t, b);
  v.client.send({ type: 'message', id: 'long', text: 'я'.repeat(4000) });
  assert.equal((await v.client.next('ack')).seq, 1);

  const pad = (n: Frame) => {
    const base = JSON.stringify({ type: 'typing', typing: true, pad: '' });
    return JSON.stringify({ type: 'typing', typing: true, pad: 'p'.repeat(n - base.length) });
  };
  assert.equal(Buffer.byteLength(pad(LIMIT)), LIMIT);
  v.client.send(pad(LIMIT));
  await v.client.none('error');
  v.client.send(pad(LIMIT + 1));
  // ws refuses it from the frame header, with no reason text and no error frame.
  assert.deepEqual(await v.client.closed, { code: 1009, reason: '' });
  // Nothing was stored by it, and the visitor can come back.
  const back = await visitor(t, b, { visitorId: v.hello.visitorId });
  assert.equal(back.welcome.messages.length, 1);
});

test('invalid UTF-8 closes the socket with 1007 (the library checks it)', async (t) => {
  const b = await backend(t);
  const v = await visitor(t, b);
  // A text frame with a lone continuation byte: ws sends raw bytes when given a Buffer with binary: false.
  v.client.ws.send(Buffer.from([0x7b, 0x80, 0x7d]), { binary: false });
  assert.equal((await v.client.closed).code, 1007);
});

test('20 bad frames close the socket with 1008; fewer do not', async (t) => {
  const b = await backend(t);
  const c = await Client.open(t, b.visitorUrl);
  for (let i = 0; i < 19; i++) await c.expectError('nope', 'bad_frame');
  assert.equal(c.ws.readyState, c.ws.OPEN);
  c.send('nope');
  const closed = await c.closed;
  assert.deepEqual(closed, { code: 1008, reason: 'Too many bad frames' });

  const custom = await backend(t, { maxBadFrames: 2 });
  const d = await Client.open(t, custom.visitorUrl);
  d.send('x');
  d.send('y');
  assert.equal((await d.closed).code, 1008);
});

test('rate limits: messages beyond the burst are refused with their id and not stored', async (t) => {
  const b = await backend(t);
  const alice = await agent(t, b);
  const v = await visitor(t, b);
  for (let i = 1; i <= 12; i++) v.client.send({ type: 'message', id: `r${i}`, text: `burst ${i}` });
  const acks = [];
  for (let i = 1; i <= 10; i++) acks.push(await v.client.next('ack'));
  assert.deepEqual(
    acks.map((a) => a.id),
    ['r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9', 'r10'],
  );
  const limited = [await v.client.next('error'), await v.client.next('error')];
  assert.deepEqual(
    limited.map((e) => [e.code, e.id]),
    [
      ['rate_limited', 'r11'],
      ['rate_limited', 'r12'],
    ],
  );
  await v.client.none('ack');
  // A resend of a stored id is free: it is acked even while the bucket is empty.
  v.client.send({ type: 'message', id: 'r3', text: 'burst 3' });
  assert.equal((await v.client.next('ack')).seq, 3);
  const again = await visitor(t, b, { visitorId: v.hello.visitorId });
  assert.equal(again.welcome.messages.length, 10);
  let seen = 0;
  while (seen < 10) {
    await alice.client.next('message');
    seen++;
  }
  await alice.client.none('message');
});

test('rate limits refill over time, and typing and all frames have their own buckets', async (t) => {
  const b = await backend(t, {
    visitorRates: {
      messages: { burst: 2, windowMs: 400 },
      typing: { burst: 3, windowMs: 400 },
      frames: { burst: 12, windowMs: 60_000 },
    },
  });
  const v = await visitor(t, b);
  for (const id of ['a', 'b', 'c']) v.client.send({ type: 'message', id, text: id });
  await v.client.next('ack');
  await v.client.next('ack');
  assert.equal((await v.client.next('error')).code, 'rate_limited');
  await new Promise((r) => setTimeout(r, 450));
  v.client.send({ type: 'message', id: 'c', text: 'c' });
  assert.equal((await v.client.next('ack')).id, 'c');

  for (let i = 0; i < 4; i++) v.client.send({ type: 'typing', typing: i % 2 === 0 });
  const typingError = await v.client.next('error');
  assert.deepEqual(
    [typingError.code, typingError.message],
    ['rate_limited', 'Too many typing frames; this one was dropped'],
  );

  // 1 hello + 3 messages + 1 resend + 4 typing = 9 frames so far; 3 more fit, then every frame is dropped.
  for (let i = 0; i < 5; i++) v.client.send({ type: 'read', seq: 0 });
  const frameErrors = [await v.client.next('error'), await v.client.next('error')];
  assert.deepEqual(
    frameErrors.map((e) => e.message),
    ['Too many frames; this one was dropped', 'Too many frames; this one was dropped'],
  );
  v.client.send({ type: 'message', id: 'd', text: 'dropped' });
  assert.equal((await v.client.next('error')).code, 'rate_limited');
  assert.equal(v.client.ws.readyState, v.client.ws.OPEN, 'rate limiting does not close the socket');
});

test('the default visitor rates: 5 typing frames a second, 30 frames in 10 s', async (t) => {
  const b = await backend(t);
  const v = await visitor(t, b);
  // All in one go, so that the buckets do not refill meanwhile: hello + 6 typing + 23 reads are 30 frames.
  for (let i = 0; i < 6; i++) v.client.send({ type: 'typing', typing: i % 2 === 0 });
  for (let i = 0; i < 24; i++) v.client.send({ type: 'read', seq: 0 });
  assert.equal((await v.client.next('error')).message, 'Too many typing frames; this one was dropped');
  assert.equal((await v.client.next('error')).message, 'Too many frames; this one was dropped');
  await v.client.none('error');
});
