import { expect } from '@open-wc/testing';
import { LIMITS } from '../../src/model/limits.js';
import { PROTOCOL_VERSION, type Parsed } from '../../src/transport/protocol.js';
import { utf8Length } from '../../src/model/guards.js';
import { parseBackendFrame, parseVisitorFrame } from '../../src/transport/frames.js';

const json = (value: unknown) => JSON.stringify(value);

const hello = {
  type: 'hello',
  v: 1,
  widgetId: 'site-1',
  visitorId: 'visitor_1',
  after: 0,
  page: { url: 'https://example.com/', title: 'Home' },
  department: null,
  lang: 'en',
};

const offline = {
  type: 'offline_message',
  id: 'o1',
  name: '  Ann  ',
  email: ' ann@example.com ',
  phone: '',
  description: '',
  message: '  Call me back  ',
};

const wire = { id: 'a1', seq: 3, from: 'agent', text: 'Hello', at: 1_700_000_000_000, agentName: 'Anna' };

const welcome = {
  type: 'welcome',
  visitorNumber: 7,
  chatMode: 'online',
  agent: { name: 'Anna' },
  messages: [wire],
  readSeq: 0,
};

/** The failure of a parse, asserting it failed. */
function failure<T>(parsed: Parsed<T>) {
  if (parsed.ok) throw new Error(`expected a rejection, got ${JSON.stringify(parsed.frame)}`);
  return parsed;
}

function frame<T>(parsed: Parsed<T>): T {
  if (!parsed.ok) throw new Error(`expected a frame, got ${parsed.code}: ${parsed.message}`);
  return parsed.frame;
}

/** A JSON frame padded with an ignored field to exactly `bytes` UTF-8 bytes. */
function padded(base: Record<string, unknown>, bytes: number): string {
  const empty = json({ ...base, pad: '' });
  const raw = json({ ...base, pad: 'a'.repeat(bytes - empty.length) });
  expect(utf8Length(raw)).to.equal(bytes);
  return raw;
}

describe('protocol', () => {
  describe('parseVisitorFrame: valid frames', () => {
    it('accepts hello and returns only the known fields', () => {
      const f = frame(parseVisitorFrame(json({ ...hello, extra: 'dropped', page: { ...hello.page, x: 1 } })));
      expect(f).to.deep.equal(hello);
      expect(PROTOCOL_VERSION).to.equal(1);
    });

    it('accepts hello with a department and an after', () => {
      const f = frame(parseVisitorFrame(json({ ...hello, department: 'sales', after: 42 })));
      expect(f).to.deep.include({ department: 'sales', after: 42 });
    });

    it('accepts a message', () => {
      expect(frame(parseVisitorFrame(json({ type: 'message', id: 'm-1_A', text: 'Hi there' })))).to.deep.equal({
        type: 'message',
        id: 'm-1_A',
        text: 'Hi there',
      });
    });

    it('accepts a message of exactly LIMITS.text characters', () => {
      const text = 'x'.repeat(LIMITS.text);
      expect(frame(parseVisitorFrame(json({ type: 'message', id: 'm1', text })))).to.deep.equal({
        type: 'message',
        id: 'm1',
        text,
      });
    });

    it('accepts a message of 4000 Cyrillic characters (8 KB)', () => {
      const text = 'Ж'.repeat(4000);
      expect(frame(parseVisitorFrame(json({ type: 'message', id: 'm1', text }))).type).to.equal('message');
    });

    it('keeps markup in text as plain data, neither stripping nor interpreting it', () => {
      const text = '<img src=x onerror="alert(1)"> <b>bold</b> &amp; <script>alert(2)</script>';
      const f = frame(parseVisitorFrame(json({ type: 'message', id: 'm1', text })));
      expect(f).to.deep.equal({ type: 'message', id: 'm1', text });
    });

    it('accepts typing true and false', () => {
      expect(frame(parseVisitorFrame(json({ type: 'typing', typing: true })))).to.deep.equal({
        type: 'typing',
        typing: true,
      });
      expect(frame(parseVisitorFrame(json({ type: 'typing', typing: false })))).to.deep.equal({
        type: 'typing',
        typing: false,
      });
    });

    it('accepts read with a seq of 0 or more', () => {
      expect(frame(parseVisitorFrame(json({ type: 'read', seq: 0 })))).to.deep.equal({ type: 'read', seq: 0 });
      expect(frame(parseVisitorFrame(json({ type: 'read', seq: 12 })))).to.deep.equal({ type: 'read', seq: 12 });
    });

    it('accepts page and returns only url and title', () => {
      expect(
        frame(parseVisitorFrame(json({ type: 'page', page: { url: 'https://a.example/x', title: 'X', y: 2 } }))),
      ).to.deep.equal({
        type: 'page',
        page: { url: 'https://a.example/x', title: 'X' },
      });
    });

    it('accepts an offline_message and trims its fields, filling absent ones with ""', () => {
      expect(frame(parseVisitorFrame(json(offline)))).to.deep.equal({
        type: 'offline_message',
        id: 'o1',
        name: 'Ann',
        email: 'ann@example.com',
        phone: '',
        description: '',
        message: 'Call me back',
      });
      expect(
        frame(
          parseVisitorFrame(json({ type: 'offline_message', id: 'o2', phone: ' +7 (900) 123-45-67 ', message: 'x' })),
        ),
      ).to.deep.equal({
        type: 'offline_message',
        id: 'o2',
        name: '',
        email: '',
        phone: '+7 (900) 123-45-67',
        description: '',
        message: 'x',
      });
    });

    it('accepts ids of 64 characters made of letters, digits, _ and -', () => {
      const id = 'aZ09_-'.repeat(10) + 'abcd';
      expect(id.length).to.equal(64);
      expect(frame(parseVisitorFrame(json({ type: 'message', id, text: 'x' }))).type).to.equal('message');
    });

    it('accepts a frame of exactly LIMITS.frameBytes bytes', () => {
      const raw = padded({ type: 'typing', typing: true }, LIMITS.frameBytes);
      expect(frame(parseVisitorFrame(raw))).to.deep.equal({ type: 'typing', typing: true });
    });
  });

  describe('parseVisitorFrame: rejections', () => {
    const rejects = (raw: string, code: string, message: RegExp) => {
      const r = failure(parseVisitorFrame(raw));
      expect(r.code, r.message).to.equal(code);
      expect(r.message).to.match(message);
      return r;
    };

    it('rejects what is not JSON', () => {
      rejects('{type: "typing"}', 'bad_frame', /^Not JSON$/);
      rejects('', 'bad_frame', /^Not JSON$/);
      rejects('{"type":"typing","typing":true', 'bad_frame', /^Not JSON$/);
    });

    it('rejects arrays, primitives and null', () => {
      for (const raw of ['[]', json([{ type: 'typing', typing: true }]), '"typing"', '42', 'null', 'true']) {
        rejects(raw, 'bad_frame', /JSON object with a string "type"/);
      }
    });

    it('rejects an object without a string type', () => {
      rejects(json({ typing: true }), 'bad_frame', /string "type"/);
      rejects(json({ type: 1 }), 'bad_frame', /string "type"/);
      rejects(json({ type: null }), 'bad_frame', /string "type"/);
    });

    it('rejects an unknown type, naming it (shortened)', () => {
      rejects(json({ type: 'welcome' }), 'bad_frame', /^Unknown frame type "welcome"$/);
      const r = rejects(json({ type: 'x'.repeat(100) }), 'bad_frame', /^Unknown frame type/);
      expect(r.message).to.equal(`Unknown frame type "${'x'.repeat(40)}"`);
    });

    it('rejects hello with another protocol version', () => {
      for (const v of [2, 0, '1', null, undefined]) {
        rejects(json({ ...hello, v }), 'bad_frame', /Unsupported protocol version; this backend speaks v1/);
      }
    });

    it('rejects hello with wrong field types', () => {
      rejects(json({ ...hello, widgetId: '' }), 'bad_frame', /widgetId/);
      rejects(json({ ...hello, widgetId: 5 }), 'bad_frame', /widgetId/);
      rejects(json({ ...hello, widgetId: 'w'.repeat(65) }), 'bad_frame', /widgetId/);
      rejects(json({ ...hello, visitorId: 'has space' }), 'bad_frame', /visitorId/);
      rejects(json({ ...hello, visitorId: 'v'.repeat(65) }), 'bad_frame', /visitorId/);
      rejects(json({ ...hello, after: '3' }), 'bad_frame', /after must be a non-negative integer/);
      rejects(json({ ...hello, page: null }), 'bad_frame', /page must be \{url, title\}/);
      rejects(json({ ...hello, page: { url: 'https://x' } }), 'bad_frame', /page must be/);
      rejects(json({ ...hello, page: { url: 'x'.repeat(LIMITS.url + 1), title: '' } }), 'bad_frame', /page must be/);
      rejects(json({ ...hello, page: { url: '', title: 't'.repeat(LIMITS.title + 1) } }), 'bad_frame', /page must be/);
      rejects(json({ ...hello, department: 3 }), 'bad_frame', /department/);
      rejects(json({ ...hello, department: undefined }), 'bad_frame', /department/);
      rejects(json({ ...hello, department: 'd'.repeat(65) }), 'bad_frame', /department/);
      rejects(json({ ...hello, lang: 1 }), 'bad_frame', /lang must be a string/);
      rejects(json({ ...hello, lang: 'l'.repeat(36) }), 'bad_frame', /lang/);
    });

    it('rejects a negative or fractional seq (hello after, read seq)', () => {
      for (const n of [-1, 1.5, 1e300]) {
        rejects(json({ ...hello, after: n }), 'bad_frame', /after must be a non-negative integer/);
        rejects(json({ type: 'read', seq: n }), 'bad_frame', /seq must be a non-negative integer/);
      }
      rejects(json({ type: 'read', seq: '3' }), 'bad_frame', /seq must be/);
      rejects(json({ type: 'read' }), 'bad_frame', /seq must be/);
    });

    it('rejects typing that is not a boolean', () => {
      for (const typing of ['true', 1, null, undefined])
        rejects(json({ type: 'typing', typing }), 'bad_frame', /typing must be true or false/);
    });

    it('rejects page without {url, title}', () => {
      rejects(json({ type: 'page' }), 'bad_frame', /page must be \{url, title\}/);
      rejects(json({ type: 'page', page: [] }), 'bad_frame', /page must be/);
      rejects(json({ type: 'page', page: { url: 1, title: '' } }), 'bad_frame', /page must be/);
    });

    it('rejects a message whose id is missing, not a string, has other characters or is over 64 characters', () => {
      for (const id of [undefined, 5, '', 'a b', 'a/b', 'a.b', 'héllo', 'a\nb', '<x>', 'x'.repeat(65)]) {
        const r = rejects(
          json({ type: 'message', id, text: 'Hi' }),
          'bad_frame',
          /message needs an id of 1-64 letters, digits, _ or -/,
        );
        expect(r.id).to.equal(undefined);
      }
    });

    it('rejects message text that is not a string, empty, whitespace-only or too long, with the id', () => {
      let r = rejects(json({ type: 'message', id: 'm1', text: 5 }), 'invalid_field', /^text must be a string$/);
      expect(r.id).to.equal('m1');
      r = rejects(json({ type: 'message', id: 'm2' }), 'invalid_field', /^text must be a string$/);
      expect(r.id).to.equal('m2');
      r = rejects(json({ type: 'message', id: 'm3', text: '' }), 'invalid_field', /^text is empty$/);
      expect(r.id).to.equal('m3');
      r = rejects(json({ type: 'message', id: 'm4', text: ' \n\t\u00a0 ' }), 'invalid_field', /^text is empty$/);
      expect(r.id).to.equal('m4');
      r = rejects(
        json({ type: 'message', id: 'm5', text: 'x'.repeat(LIMITS.text + 1) }),
        'invalid_field',
        /^text is longer than 4000 characters$/,
      );
      expect(r.id).to.equal('m5');
    });

    it('rejects 6000 Cyrillic characters (~12 KB) for their length, not their size', () => {
      const raw = json({ type: 'message', id: 'm1', text: 'Ж'.repeat(6000) });
      expect(utf8Length(raw)).to.be.below(LIMITS.frameBytes);
      rejects(raw, 'invalid_field', /longer than 4000/);
    });

    it('rejects a frame over LIMITS.frameBytes by its UTF-8 size: 9000 Cyrillic characters', () => {
      const raw = json({ type: 'message', id: 'm1', text: 'ok', note: 'Ж'.repeat(9000) });
      expect(raw.length, 'under the limit in UTF-16 units').to.be.below(LIMITS.frameBytes);
      const r = rejects(raw, 'too_large', /^Frames are limited to 16384 bytes$/);
      expect(r.id, 'rejected before parsing').to.equal(undefined);
    });

    it('rejects a frame one byte over the limit, valid or not', () => {
      rejects(padded({ type: 'typing', typing: true }, LIMITS.frameBytes + 1), 'too_large', /16384 bytes/);
      rejects('x'.repeat(LIMITS.frameBytes + 1), 'too_large', /16384 bytes/);
    });

    it('rejects an offline_message without a valid id', () => {
      rejects(json({ ...offline, id: 'a b' }), 'bad_frame', /^offline_message needs an id$/);
      rejects(json({ ...offline, id: undefined }), 'bad_frame', /offline_message needs an id/);
    });

    it('rejects invalid offline fields as invalid_field with the id and the problem', () => {
      let r = rejects(json({ ...offline, message: '   ' }), 'invalid_field', /^message is required$/);
      expect(r.id).to.equal('o1');
      r = rejects(json({ ...offline, email: 'nope' }), 'invalid_field', /^email is not a valid address$/);
      expect(r.id).to.equal('o1');
      r = rejects(json({ ...offline, email: '', phone: '' }), 'invalid_field', /an email or a phone is required/);
      expect(r.id).to.equal('o1');
      rejects(json({ ...offline, name: 7 }), 'invalid_field', /^name must be a string$/);
      rejects(
        json({ ...offline, description: 'd'.repeat(LIMITS.description + 1) }),
        'invalid_field',
        /^description is longer than 1000 characters$/,
      );
    });
  });

  describe('parseBackendFrame: valid frames', () => {
    it('accepts welcome and returns normalised messages', () => {
      const f = frame(
        parseBackendFrame(
          json({
            ...welcome,
            extra: 1,
            messages: [
              { ...wire, extra: 'dropped' },
              { id: 'v1', seq: 4, from: 'visitor', text: 'Hi', at: 1_700_000_000_100 },
            ],
            readSeq: 3,
          }),
        ),
      );
      expect(f).to.deep.equal({
        type: 'welcome',
        visitorNumber: 7,
        chatMode: 'online',
        agent: { name: 'Anna' },
        messages: [wire, { id: 'v1', seq: 4, from: 'visitor', text: 'Hi', at: 1_700_000_000_100 }],
        readSeq: 3,
      });
      expect(f.type === 'welcome' && 'agentName' in f.messages[1]).to.equal(false);
    });

    it('accepts welcome with no agent, offline mode and no messages', () => {
      expect(
        frame(parseBackendFrame(json({ ...welcome, agent: null, chatMode: 'offline', messages: [] }))),
      ).to.deep.equal({
        type: 'welcome',
        visitorNumber: 7,
        chatMode: 'offline',
        agent: null,
        messages: [],
        readSeq: 0,
      });
    });

    it('accepts ack, message, typing, read, chat_mode and agent', () => {
      expect(frame(parseBackendFrame(json({ type: 'ack', id: 'm1', seq: 5, at: 1_700_000_000_000 })))).to.deep.equal({
        type: 'ack',
        id: 'm1',
        seq: 5,
        at: 1_700_000_000_000,
      });
      expect(frame(parseBackendFrame(json({ type: 'message', message: wire })))).to.deep.equal({
        type: 'message',
        message: wire,
      });
      expect(frame(parseBackendFrame(json({ type: 'typing', typing: true })))).to.deep.equal({
        type: 'typing',
        typing: true,
      });
      expect(frame(parseBackendFrame(json({ type: 'read', seq: 9 })))).to.deep.equal({ type: 'read', seq: 9 });
      expect(frame(parseBackendFrame(json({ type: 'chat_mode', chatMode: 'online' })))).to.deep.equal({
        type: 'chat_mode',
        chatMode: 'online',
      });
      expect(frame(parseBackendFrame(json({ type: 'agent', agent: { name: 'Bob', x: 1 } })))).to.deep.equal({
        type: 'agent',
        agent: { name: 'Bob' },
      });
      expect(frame(parseBackendFrame(json({ type: 'agent', agent: null })))).to.deep.equal({
        type: 'agent',
        agent: null,
      });
    });

    it('keeps markup in an agent message as plain data', () => {
      const text = '<a href="javascript:alert(1)">click</a><script>x()</script>';
      const f = frame(parseBackendFrame(json({ type: 'message', message: { ...wire, text } })));
      expect(f.type === 'message' && f.message.text).to.equal(text);
    });

    it('accepts error, keeping a valid id, dropping an invalid one and shortening the message to 500 characters', () => {
      expect(
        frame(parseBackendFrame(json({ type: 'error', code: 'invalid_field', message: 'text is empty', id: 'm1' }))),
      ).to.deep.equal({
        type: 'error',
        code: 'invalid_field',
        message: 'text is empty',
        id: 'm1',
      });
      const f = frame(
        parseBackendFrame(json({ type: 'error', code: 'rate_limited', message: 'y'.repeat(800), id: 'bad id' })),
      );
      expect(f).to.deep.equal({ type: 'error', code: 'rate_limited', message: 'y'.repeat(500), id: undefined });
    });

    it('allows backend frames far larger than visitor frames', () => {
      const messages = Array.from({ length: 50 }, (_, i) => ({
        ...wire,
        id: `a${i}`,
        seq: i + 1,
        text: 'Ж'.repeat(4000),
      }));
      const raw = json({ ...welcome, messages });
      expect(utf8Length(raw)).to.be.above(LIMITS.frameBytes);
      const f = frame(parseBackendFrame(raw));
      expect(f.type === 'welcome' && f.messages.length).to.equal(50);
    });
  });

  describe('parseBackendFrame: rejections', () => {
    const rejects = (value: unknown, message: RegExp, code = 'bad_frame') => {
      const r = failure(parseBackendFrame(typeof value === 'string' ? value : json(value)));
      expect(r.code, r.message).to.equal(code);
      expect(r.message).to.match(message);
    };

    it('rejects not JSON, arrays, frames without a type and unknown types', () => {
      rejects('not json', /^Not JSON$/);
      rejects('[{"type":"typing","typing":true}]', /JSON object with a string "type"/);
      rejects({ typing: true }, /string "type"/);
      rejects({ type: 'hello' }, /^Unknown frame type$/);
    });

    it('rejects a frame over LIMITS.backendFrameBytes', () => {
      rejects(
        padded({ type: 'typing', typing: true }, LIMITS.backendFrameBytes + 1),
        /^Frames are limited to 8388608 bytes$/,
        'too_large',
      );
    });

    it('rejects a malformed welcome', () => {
      const cases: unknown[] = [
        { ...welcome, visitorNumber: '7' },
        { ...welcome, visitorNumber: 1.5 },
        { ...welcome, visitorNumber: 0 },
        { ...welcome, visitorNumber: -3 },
        { ...welcome, chatMode: 'away' },
        { ...welcome, agent: { name: '' } },
        { ...welcome, agent: 'Anna' },
        { ...welcome, agent: undefined },
        { ...welcome, messages: 'none' },
        { ...welcome, messages: undefined },
        { ...welcome, readSeq: -1 },
        { ...welcome, readSeq: 0.5 },
      ];
      for (const c of cases) rejects(c, /^welcome is malformed$/);
    });

    it('rejects a welcome carrying a malformed message', () => {
      const bad = [
        { ...wire, from: 'system' },
        { ...wire, at: 1e20 },
        { ...wire, at: -1e20 },
        { ...wire, at: '2024-01-01' },
        { ...wire, seq: -1 },
        { ...wire, seq: 2.5 },
        { ...wire, id: 'bad id' },
        { ...wire, id: 'x'.repeat(65) },
        { ...wire, text: 5 },
        { ...wire, text: 'x'.repeat(LIMITS.text + 1) },
        { ...wire, agentName: 5 },
        { ...wire, agentName: 'n'.repeat(LIMITS.name + 1) },
        null,
        'message',
      ];
      for (const m of bad) rejects({ ...welcome, messages: [wire, m] }, /^welcome has a malformed message$/);
    });

    it('rejects a welcome whose message time is Infinity (1e999 in JSON)', () => {
      rejects(
        json({ ...welcome, messages: [] }).replace(
          '"messages":[]',
          `"messages":[${json(wire).replace('1700000000000', '1e999')}]`,
        ),
        /malformed message/,
      );
    });

    it('rejects malformed ack, message, typing, read, chat_mode, agent and error frames', () => {
      rejects({ type: 'ack', id: 'bad id', seq: 1, at: 1 }, /^ack is malformed$/);
      rejects({ type: 'ack', id: 'm1', seq: -1, at: 1 }, /^ack is malformed$/);
      rejects({ type: 'ack', id: 'm1', seq: 1.5, at: 1 }, /^ack is malformed$/);
      rejects({ type: 'ack', id: 'm1', seq: 1, at: '1' }, /^ack is malformed$/);
      rejects({ type: 'message', message: { ...wire, from: 'system' } }, /^message is malformed$/);
      rejects({ type: 'message', message: { ...wire, at: 1e20 } }, /^message is malformed$/);
      rejects({ type: 'message' }, /^message is malformed$/);
      rejects({ type: 'typing', typing: 'yes' }, /^typing is malformed$/);
      rejects({ type: 'read', seq: -2 }, /^read is malformed$/);
      rejects({ type: 'read', seq: 2.5 }, /^read is malformed$/);
      rejects({ type: 'chat_mode', chatMode: 'busy' }, /^chat_mode is malformed$/);
      rejects({ type: 'agent', agent: { name: 5 } }, /^agent is malformed$/);
      rejects({ type: 'agent' }, /^agent is malformed$/);
      rejects({ type: 'error', code: 5, message: 'x' }, /^error is malformed$/);
      rejects({ type: 'error', code: 'bad_frame' }, /^error is malformed$/);
    });

    it('rejects an ack whose time a Date cannot hold, as it does for messages', () => {
      rejects({ type: 'ack', id: 'm1', seq: 1, at: 1e20 }, /^ack is malformed$/);
      rejects('{"type":"ack","id":"m1","seq":1,"at":1e999}', /^ack is malformed$/);
    });
  });
});

describe('call-back frames', () => {
  it('call_request needs an id and a phone number, and carries the number normalised', () => {
    const parsed = parseVisitorFrame(json({ type: 'call_request', id: 'c-1', phone: '+1 (408) 498-7855' }));
    expect(parsed).to.deep.equal({ ok: true, frame: { type: 'call_request', id: 'c-1', phone: '+14084987855' } });
    expect(parseVisitorFrame(json({ type: 'call_request', phone: '+14084987855' }))).to.include({
      ok: false,
      code: 'bad_frame',
    });
    expect(parseVisitorFrame(json({ type: 'call_request', id: 'c-1', phone: 'call me' }))).to.deep.equal({
      ok: false,
      code: 'invalid_field',
      message: 'phone is not a valid number: 7-15 digits, optionally starting with +',
      id: 'c-1',
    });
  });

  it("parses callback and call frames, and the welcome's optional call-back fields", () => {
    const call = { id: 'c-1', phone: '+14084987855', status: 'failed', reason: 'No answer', at: 5 };
    expect(parseBackendFrame(json({ type: 'callback', enabled: true }))).to.deep.equal({
      ok: true,
      frame: { type: 'callback', enabled: true },
    });
    expect(parseBackendFrame(json({ type: 'call', call, extra: 1 }))).to.deep.equal({
      ok: true,
      frame: { type: 'call', call },
    });
    const welcome = { type: 'welcome', visitorNumber: 1, chatMode: 'online', agent: null, messages: [], readSeq: 0 };
    const withCall = parseBackendFrame(json({ ...welcome, callbackEnabled: false, call }));
    expect(withCall.ok && withCall.frame).to.deep.equal({ ...welcome, callbackEnabled: false, call });
    const withNull = parseBackendFrame(json({ ...welcome, call: null }));
    expect(withNull.ok && withNull.frame).to.deep.equal({ ...welcome, call: null });
    for (const bad of [
      { type: 'callback', enabled: 'yes' },
      { type: 'call', call: { ...call, status: 'ringing' } },
      { type: 'call', call: { ...call, phone: '+1 408 498 7855' } },
      { type: 'call', call: { ...call, reason: 'x'.repeat(201) } },
      { type: 'call', call: { ...call, id: 'a b' } },
      { ...welcome, callbackEnabled: 1 },
      { ...welcome, call: { ...call, at: 'now' } },
    ]) {
      expect(parseBackendFrame(json(bad)).ok, json(bad)).to.equal(false);
    }
  });
});

describe('contacts and client attribute frames', () => {
  it('client_attributes: a whole set, validated', () => {
    expect(parseVisitorFrame(json({ type: 'client_attributes', attributes: { plan: 'gold', n: 1 } }))).to.deep.equal({
      ok: true,
      frame: { type: 'client_attributes', attributes: { plan: 'gold', n: 1 } },
    });
    for (const attributes of [null, [], { plan: null }, { plan: {} }, 'x']) {
      const parsed = parseVisitorFrame(json({ type: 'client_attributes', attributes }));
      expect(parsed.ok === false && parsed.code, json(attributes)).to.equal('invalid_field');
    }
  });

  it('contacts_answer: a request id and given', () => {
    expect(parseVisitorFrame(json({ type: 'contacts_answer', request: 'r-1', given: true }))).to.deep.equal({
      ok: true,
      frame: { type: 'contacts_answer', request: 'r-1', given: true },
    });
    for (const f of [
      { request: 'r-1' },
      { request: 'r 1', given: true },
      { given: false },
      { request: 'r-1', given: 'yes' },
    ]) {
      const parsed = parseVisitorFrame(json({ type: 'contacts_answer', ...f }));
      expect(parsed.ok === false && parsed.code, json(f)).to.equal('bad_frame');
    }
  });

  it('contacts_request and the welcome carry a request id, or none', () => {
    expect(parseBackendFrame(json({ type: 'contacts_request', request: 'r-1' }))).to.deep.equal({
      ok: true,
      frame: { type: 'contacts_request', request: 'r-1' },
    });
    expect(parseBackendFrame(json({ type: 'contacts_request', request: null }))).to.deep.equal({
      ok: true,
      frame: { type: 'contacts_request', request: null },
    });
    expect(parseBackendFrame(json({ type: 'contacts_request' })).ok).to.equal(false);
    expect(parseBackendFrame(json({ type: 'contacts_request', request: 42 })).ok).to.equal(false);
    const welcome = { type: 'welcome', visitorNumber: 1, chatMode: 'online', agent: null, messages: [], readSeq: 0 };
    const parsed = parseBackendFrame(json({ ...welcome, contactsRequest: 'r-1' }));
    expect(parsed.ok && parsed.frame.type === 'welcome' && parsed.frame.contactsRequest).to.equal('r-1');
    expect(parseBackendFrame(json({ ...welcome, contactsRequest: null })).ok).to.equal(true);
    expect(parseBackendFrame(json({ ...welcome, contactsRequest: '<b>' })).ok).to.equal(false);
  });
});
