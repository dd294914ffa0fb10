// Attachments (server/uploads.ts): uploaded over HTTP with the visitor's or the agent's credentials, checked before
// anything is stored, kept through the ChatStore (the journal's data directory and PostgreSQL), carried by a message
// frame exactly once, and served only to the conversation's visitor and its agents, with safe headers.
import assert from 'node:assert/strict';
import { readdirSync, statSync, existsSync, writeFileSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import pg from 'pg';
import {
  account,
  agent,
  backend,
  freshDatabase,
  login,
  tempDir,
  visitor,
  visitorIdFor,
  type Backend,
} from './helpers.js';

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('IHDR fake image body for the test'),
]);
const PDF = Buffer.from('%PDF-1.4\n% a small document\n');
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 1)]);

interface Res {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  json: any;
}

function http(url: string, method: string, headers: Record<string, string>, body?: Buffer): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const all = Buffer.concat(chunks);
        let json: unknown = null;
        if (/json/.test(res.headers['content-type'] ?? '')) json = JSON.parse(all.toString('utf8'));
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: all, json });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const visitorHeaders = (h: { widgetId: string; visitorId: string }) => ({
  'X-Jivo-Widget': h.widgetId,
  'X-Jivo-Visitor': h.visitorId,
});

const upload = (b: Backend, headers: Record<string, string>, name: string, bytes: Buffer, id: string, query = '') =>
  http(`${b.url}/files?name=${encodeURIComponent(name)}&upload=${id}${query}`, 'POST', headers, bytes);

async function cookieOf(b: Backend, name: string): Promise<string> {
  const { account: a, password } = await account(b, name);
  return (await login(b.url, { login: a.login, password })).cookie!;
}

interface Kind {
  name: string;
  start(t: TestContext, sites?: object): Promise<{ b: Backend; stored(): Promise<number> }>;
}

const KINDS: Kind[] = [
  {
    name: 'journal',
    async start(t, sites) {
      const dataDir = await tempDir(t);
      if (sites) writeFileSync(join(dataDir, 'sites.json'), JSON.stringify(sites), { mode: 0o600 });
      const b = await backend(t, { dataDir });
      const root = join(dataDir, 'files');
      return {
        b,
        stored: () =>
          Promise.resolve(
            existsSync(root)
              ? readdirSync(root).reduce(
                  (n, v) => n + readdirSync(join(root, v)).filter((f) => !f.endsWith('.json')).length,
                  0,
                )
              : 0,
          ),
      };
    },
  },
  {
    name: 'postgres',
    async start(t) {
      const database = await freshDatabase(t);
      const b = await backend(t, { database });
      return {
        b,
        async stored() {
          const client = new pg.Client({ connectionString: database });
          await client.connect();
          try {
            return Number((await client.query('SELECT count(*) AS n FROM jivo_files')).rows[0].n);
          } finally {
            await client.end();
          }
        },
      };
    },
  },
];

for (const kind of KINDS) {
  test(`${kind.name}: a file both ways: visitor to agent and agent to visitor, with safe headers`, async (t) => {
    const { b } = await kind.start(t);
    const alice = await agent(t, b, 'Alice', true);
    const v = await visitor(t, b);
    const vid = await visitorIdFor(alice.client, 1);

    const up = await upload(b, visitorHeaders(v.hello), 'photo.png', PNG, 'm-photo');
    assert.equal(up.status, 201, JSON.stringify(up.json));
    assert.deepEqual({ ...up.json.file, id: '' }, { id: '', name: 'photo.png', size: PNG.length, type: 'image/png' });
    v.client.send({ type: 'message', id: 'm-photo', text: '', file: up.json.file.id });
    assert.equal((await v.client.next('ack')).id, 'm-photo');
    const got = await alice.client.next('message');
    assert.deepEqual(got.message.file, up.json.file);
    assert.equal(got.message.text, '');

    const cookie = await cookieOf(b, 'Alice');
    const image = await http(`${b.url}/files/${up.json.file.id}?visitor=${vid}`, 'GET', { Cookie: cookie });
    assert.equal(image.status, 200);
    assert.deepEqual(image.body, PNG);
    assert.equal(image.headers['content-type'], 'image/png');
    assert.match(String(image.headers['content-disposition']), /^inline; filename\*=UTF-8''photo\.png$/);
    assert.equal(image.headers['x-content-type-options'], 'nosniff');
    assert.match(String(image.headers['content-security-policy']), /^default-src 'none'/);

    // The agent's way: uploaded with the session for this visitor, then a message frame naming it.
    const doc = await upload(b, { Cookie: cookie }, 'Счёт №5.pdf', PDF, 'c-doc', `&visitor=${vid}`);
    assert.equal(doc.status, 201, JSON.stringify(doc.json));
    alice.client.send({ type: 'message', visitorId: vid, id: 'c-doc', text: 'Your invoice', file: doc.json.file.id });
    assert.equal((await alice.client.next('ack')).id, 'c-doc');
    const received = await v.client.next((f) => f.type === 'message' && f.message.from === 'agent');
    assert.deepEqual(received.message.file, {
      id: doc.json.file.id,
      name: 'Счёт №5.pdf',
      size: PDF.length,
      type: 'application/pdf',
    });
    assert.equal(received.message.text, 'Your invoice');
    const pdf = await http(`${b.url}/files/${doc.json.file.id}`, 'GET', visitorHeaders(v.hello));
    assert.equal(pdf.status, 200);
    assert.deepEqual(pdf.body, PDF);
    assert.equal(
      pdf.headers['content-disposition'],
      "attachment; filename*=UTF-8''%D0%A1%D1%87%D1%91%D1%82%20%E2%84%965.pdf",
    );
    assert.equal(pdf.headers['x-content-type-options'], 'nosniff');

    // The history a reconnecting widget gets carries the file too.
    const again = await visitor(t, b, { visitorId: v.hello.visitorId });
    assert.deepEqual(
      again.welcome.messages.map((m: any) => m.file?.name),
      ['photo.png', 'Счёт №5.pdf'],
    );
  });

  test(`${kind.name}: an upload retried with its client id stores one file; the message is stored once`, async (t) => {
    const { b, stored } = await kind.start(t);
    const v = await visitor(t, b);
    const first = await upload(b, visitorHeaders(v.hello), 'a.pdf', PDF, 'm-1');
    const second = await upload(b, visitorHeaders(v.hello), 'a.pdf', PDF, 'm-1');
    assert.deepEqual([first.status, second.status], [201, 200]);
    assert.equal(second.json.file.id, first.json.file.id);
    assert.equal(await stored(), 1);
    v.client.send({ type: 'message', id: 'm-1', text: '', file: first.json.file.id });
    v.client.send({ type: 'message', id: 'm-1', text: '', file: first.json.file.id });
    const [a, b2] = [await v.client.next('ack'), await v.client.next('ack')];
    assert.deepEqual([a.seq, b2.seq], [1, 1]);
  });

  test(`${kind.name}: a refused type or an executable is refused with a clear message and nothing is stored`, async (t) => {
    const { b, stored } = await kind.start(t);
    const v = await visitor(t, b);
    const h = visitorHeaders(v.hello);
    for (const [name, bytes] of [
      ['setup.exe', EXE],
      ['logo.svg', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')],
      ['invoice.pdf', EXE],
      ['photo.png', PDF],
      ['notes.txt', EXE],
      ['run.sh', Buffer.from('#!/bin/sh\necho hi\n')],
      ['plain', PDF],
    ] as const) {
      const res = await upload(b, h, name, bytes, `m-${name.replace(/\W/g, '')}`);
      assert.equal(res.status, 415, name);
      assert.equal(res.json.error, 'file_type', name);
      assert.match(res.json.message, /not accepted|not a \./, name);
    }
    assert.equal(await stored(), 0);
  });

  test(`${kind.name}: someone else's file is refused: another visitor, no credentials, a message naming it`, async (t) => {
    const { b } = await kind.start(t);
    const owner = await visitor(t, b);
    const other = await visitor(t, b);
    const up = await upload(b, visitorHeaders(owner.hello), 'private.pdf', PDF, 'm-x');
    assert.equal(up.status, 201);
    const id = up.json.file.id;
    assert.equal((await http(`${b.url}/files/${id}`, 'GET', visitorHeaders(other.hello))).status, 404);
    assert.equal((await http(`${b.url}/files/${id}`, 'GET', {})).status, 401);
    assert.equal(
      (await http(`${b.url}/files/${id}`, 'GET', { 'X-Jivo-Widget': 'site', 'X-Jivo-Visitor': 'guessed-visitor' }))
        .status,
      401,
    );
    // An agent without a session, or with an ended one.
    const alice = await agent(t, b, 'Alice');
    const vid = alice.welcome.visitors.find((x: any) => x.number === 1).id;
    assert.equal((await http(`${b.url}/files/${id}?visitor=${vid}`, 'GET', {})).status, 401);
    assert.equal(
      (await http(`${b.url}/files/${id}?visitor=${vid}`, 'GET', { Cookie: 'jivo_session=not-a-session' })).status,
      401,
    );
    const err = await other.client.expectError({ type: 'message', id: 'm-steal', text: '', file: id }, 'unknown_file');
    assert.equal(err.id, 'm-steal');
  });
}

test('journal: a site sets its own limits; an over-size file is refused before it is stored; files are 0600', async (t) => {
  const { b, stored } = await KINDS[0].start(t, {
    sites: {},
    files: { site: { maxBytes: 1000, types: ['pdf', 'png'] } },
  });
  const v = await visitor(t, b);
  const h = visitorHeaders(v.hello);
  const big = Buffer.concat([PDF, Buffer.alloc(2000, 0x20)]);
  const over = await upload(b, h, 'big.pdf', big, 'm-big');
  assert.equal(over.status, 413);
  assert.equal(over.json.error, 'file_too_large');
  assert.match(over.json.message, /larger than 1000 B/);
  const zip = await upload(b, h, 'a.zip', Buffer.from('PK\x03\x04rest'), 'm-zip');
  assert.equal(zip.status, 415);
  assert.equal(await stored(), 0);
  const ok = await upload(b, h, 'small.pdf', PDF, 'm-small');
  assert.equal(ok.status, 201);
  assert.equal(await stored(), 1);
});

test('journal: files are private (0600 in 0700 folders) and leave with their erased visitor', async (t) => {
  const dataDir = await tempDir(t);
  const b = await backend(t, { dataDir });
  const v = await visitor(t, b);
  const up = await upload(b, visitorHeaders(v.hello), 'a.pdf', PDF, 'm-1');
  const dir = join(dataDir, 'files');
  const [visitorDir] = readdirSync(dir);
  assert.equal(statSync(join(dir, visitorDir)).mode & 0o777, 0o700);
  assert.equal(statSync(join(dir, visitorDir, up.json.file.id)).mode & 0o777, 0o600);
  // Erased by retention at the next start: no socket open and nothing new for longer than the period (1 ms).
  v.client.terminate();
  await b.close();
  await new Promise((r) => setTimeout(r, 20));
  const again = await backend(t, { dataDir, retentionDays: 1 / 86_400_000 });
  assert.equal(existsSync(join(dir, visitorDir)), false);
  assert.equal((await http(`${again.url}/files/${up.json.file.id}`, 'GET', visitorHeaders(v.hello))).status, 401);
});
