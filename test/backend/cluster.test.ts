// Several server processes on one PostgreSQL database (server/store/postgres.ts, server/cluster.ts): visitors and
// agents on different processes see each other in real time — messages, typing, read marks, who has the chat, who is
// online — and a process killed with SIGKILL loses nothing that was acknowledged while visitors move to the others.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import { execFileSync } from 'node:child_process';
import {
  account,
  agent,
  Client,
  httpRequest,
  login,
  SERVER,
  signIn,
  freshDatabase,
  hello,
  quiet,
  sleep,
  spawnServer,
  startBackend,
  tempDir,
  visitor,
  type Backend,
  type Frame,
} from './helpers.js';

async function nodes(t: TestContext, count: number, aliveMs = 5000): Promise<Backend[]> {
  const database = await freshDatabase(t);
  const started: Backend[] = [];
  for (let i = 0; i < count; i++) {
    const b = await startBackend({ port: 0, host: '127.0.0.1', staticRoot: null, warn: quiet, database, aliveMs });
    t.after(() => b.close());
    started.push(b);
  }
  return started;
}

test('an agent on one server and a visitor on another chat in real time: messages, typing, reads, accept', async (t) => {
  const [a, b, c] = await nodes(t, 3);
  assert.equal(a.store, 'postgres');
  const alice = await agent(t, a, 'Alice', true);
  const ann = await visitor(t, b, { widgetId: 'shop' });
  // The visitor that said hello on B reaches the console on A, online.
  const seen = await alice.client.next((f) => f.type === 'visitor' && f.visitor.number === 1 && f.visitor.online);
  const annId = seen.visitor.id;
  // Alice (on A) being online reaches the widget on B.
  assert.equal(ann.welcome.chatMode === 'online' || (await ann.client.next('chat_mode')).chatMode === 'online', true);

  ann.client.send({ type: 'typing', typing: true });
  assert.deepEqual(await alice.client.next('typing'), { type: 'typing', visitorId: annId, typing: true });
  ann.client.send({ type: 'message', id: 'q1', text: 'Do you ship to Norway?' });
  await ann.client.next('ack');
  const asked = await alice.client.next('message');
  assert.equal(asked.message.text, 'Do you ship to Norway?');

  alice.client.send({ type: 'typing', visitorId: annId, typing: true });
  assert.equal((await ann.client.next('typing')).typing, true);
  alice.client.send({ type: 'message', visitorId: annId, id: 'r1', text: 'We do!' });
  await alice.client.next('ack');
  assert.deepEqual((await ann.client.next('agent')).agent, { name: 'Alice' });
  const reply = await ann.client.next('message');
  assert.deepEqual([reply.message.seq, reply.message.text, reply.message.agentName], [2, 'We do!', 'Alice']);

  // A second tab on C: the whole conversation, and its messages reach the first tab on B and the console on A.
  const tab = await visitor(t, c, { widgetId: 'shop', visitorId: ann.hello.visitorId });
  assert.deepEqual(
    tab.welcome.messages.map((m: Frame) => m.text),
    ['Do you ship to Norway?', 'We do!'],
  );
  assert.deepEqual(tab.welcome.agent, { name: 'Alice' });
  tab.client.send({ type: 'message', id: 'q2', text: 'Great, thanks' });
  assert.equal((await tab.client.next('ack')).seq, 3);
  assert.equal((await ann.client.next('message')).message.text, 'Great, thanks');
  // (Alice's console had her own reply as seq 2.)
  assert.equal(
    (await alice.client.next((f) => f.type === 'message' && f.message.seq === 3)).message.text,
    'Great, thanks',
  );

  ann.client.send({ type: 'read', seq: 2 });
  await alice.client.next((f) => f.type === 'visitor' && f.visitor.readSeq === 2);
  assert.deepEqual(await tab.client.next('read'), { type: 'read', seq: 2 });

  // Bob on C sees Alice among the agents, and that Alice has this chat.
  const bob = await agent(t, c, 'Bob', true);
  assert.deepEqual(
    bob.welcome.agents.map((x: Frame) => [x.name, x.online]),
    [
      ['Alice', true],
      ['Bob', true],
    ],
  );
  const shown = bob.welcome.visitors.find((v: Frame) => v.id === annId);
  assert.equal(shown.acceptedBy, 'Alice');
  assert.equal(shown.online, true);
  bob.client.send({ type: 'message', visitorId: annId, id: 'b1', text: 'Me too' });
  assert.equal((await bob.client.next('error')).code, 'taken');
});

test('presence across servers: agents going offline, a visitor leaving, and a server that stops', async (t) => {
  const [a, b] = await nodes(t, 2, 200);
  const alice = await agent(t, a, 'Alice', true);
  const ann = await visitor(t, b, { widgetId: 'shop' });
  const seen = await alice.client.next((f) => f.type === 'visitor' && f.visitor.online);
  if (ann.welcome.chatMode !== 'online') await ann.client.next((f) => f.type === 'chat_mode');
  alice.client.send({ type: 'status', online: false });
  assert.equal((await ann.client.next('chat_mode')).chatMode, 'offline');

  ann.client.terminate();
  await alice.client.next((f) => f.type === 'visitor' && f.visitor.id === seen.visitor.id && !f.visitor.online);

  // A server that stops takes its agents with it: the visitor on B hears the chat go offline.
  const carol = await agent(t, a, 'Carol', true);
  const back = await visitor(t, b, { widgetId: 'shop', visitorId: ann.hello.visitorId });
  if (back.welcome.chatMode !== 'online') await back.client.next((f) => f.type === 'chat_mode');
  assert.ok(carol);
  await a.close();
  assert.equal((await back.client.next('chat_mode', 5000)).chatMode, 'offline');
});

test('SIGKILL of servers under load: visitors move to the others, no acknowledged message lost or repeated', async (t) => {
  const database = await freshDatabase(t);
  const start = async () =>
    spawnServer(t, { PORT: '0', DATA_DIR: await tempDir(t), DATABASE_URL: database, HOST: '127.0.0.1' });
  const servers = await Promise.all([start(), start(), start()]);
  // Each visitor's id is the one its first welcome issued (none before).
  const visitors = Array.from({ length: 9 }, (_, i) => ({
    name: `visitor-chaos-${i}`,
    id: undefined as string | undefined,
    sent: [] as string[],
    acked: new Map<string, number>(),
  }));
  let counter = 0;
  /** One visitor's widget: connect to a live server, resend what was not acked (same ids), send a new message. */
  const run = async (v: (typeof visitors)[number], until: number) => {
    while (Date.now() < until) {
      const server = servers[Math.floor(Math.random() * servers.length)];
      let c: Client;
      try {
        c = await Client.open(t, server.visitorUrl);
      } catch {
        await sleep(20);
        continue;
      }
      c.ws.on('message', (data) => {
        const f = JSON.parse(data.toString());
        if (f.type === 'ack') v.acked.set(f.id, f.seq);
      });
      c.send(hello(v.id ? { visitorId: v.id } : {}));
      try {
        v.id = (await c.next('welcome', 2000)).visitorId;
        for (const id of v.sent) if (!v.acked.has(id)) c.send({ type: 'message', id, text: id });
        while (Date.now() < until && c.ws.readyState === c.ws.OPEN) {
          if (v.sent.length - v.acked.size < 3) {
            const id = `m-${++counter}`;
            v.sent.push(id);
            c.send({ type: 'message', id, text: id });
          }
          await sleep(150);
        }
      } catch {
        // The server went away: another one takes over.
      }
      c.terminate();
    }
  };
  const until = Date.now() + 4000;
  const killer = (async () => {
    for (let round = 0; round < 3; round++) {
      await sleep(900);
      const i = round % servers.length;
      servers[i].child.kill('SIGKILL');
      servers[i] = await start();
    }
  })();
  await Promise.all([...visitors.map((v) => run(v, until)), killer]);
  // Everything still unacknowledged is resent once more, to a live server.
  await Promise.all(visitors.map((v) => run(v, Date.now() + 600)));

  const check = servers[0];
  let acked = 0;
  for (const v of visitors) {
    const c = await Client.open(t, check.visitorUrl);
    c.send(hello({ visitorId: v.id }));
    const welcome = await c.next('welcome');
    const ids = welcome.messages.map((m: Frame) => m.id);
    assert.deepEqual(
      welcome.messages.map((m: Frame) => m.seq),
      ids.map((_: string, i: number) => i + 1),
      'gapless',
    );
    assert.equal(welcome.visitorId, v.id, `${v.name} keeps its id`);
    assert.equal(new Set(ids).size, ids.length, `${v.name}: a message stored twice`);
    for (const [id, seq] of v.acked) assert.equal(ids[seq - 1], id, `${v.name}: acked ${id} at ${seq}`);
    acked += v.acked.size;
    c.terminate();
  }
  assert.ok(acked >= 30, `only ${acked} messages were acknowledged`);
});

test('one set of accounts and sessions for every server: sign in on one, work on another, sign out everywhere', async (t) => {
  const [a, b] = await nodes(t, 2);
  await account(a, 'Alice');
  // Signed in on A; the console's socket reaches B at once with the same cookie.
  const cookie = await signIn(a, 'Alice');
  const onB = await Client.open(t, b.agentUrl, { headers: { Cookie: cookie } });
  onB.send({ type: 'hello', v: 1, online: true });
  assert.equal((await onB.next('welcome')).name, 'Alice');
  // Signing out on A ends the session on B too: its socket closes.
  const out = await httpRequest(`${a.url}/api/logout`, 'POST', { headers: { Cookie: cookie } });
  assert.equal(out.status, 204);
  assert.equal((await onB.closed).code, 1008);
  const refused = await httpRequest(`${b.url}/api/session`, 'GET', { headers: { Cookie: cookie } });
  assert.equal(refused.status, 401);
  // An account disabled on B cannot sign in on A.
  b.accounts.setDisabled('alice', true);
  for (let waited = 0; !a.accounts.byLogin('alice')?.disabled; waited += 20) {
    assert.ok(waited < 5000, 'A never heard that Alice was disabled');
    await sleep(20);
  }
  await assert.rejects(signIn(a, 'Alice'), /could not sign in: 401/);
});

test('the agents and sites commands with DATABASE_URL: every server applies them at once', async (t) => {
  const database = await freshDatabase(t);
  const a = await startBackend({ port: 0, host: '127.0.0.1', staticRoot: null, warn: quiet, database });
  t.after(() => a.close());
  const run = (...args: string[]) =>
    execFileSync(process.execPath, [SERVER, ...args], { env: { ...process.env, DATABASE_URL: database } }).toString();
  const added = run('agents', 'add', 'root', 'Support lead', '--admin');
  const password = /password: (\S+)/.exec(added)![1];
  const signedIn = await login(a.url, { login: 'root', password });
  assert.equal(signedIn.status, 200);
  assert.match(run('agents', 'list'), /^root\tSupport lead\tadmin\t/);

  run('sites', 'allow', 'shop', 'https://shop.example');
  const b = await startBackend({ port: 0, host: '127.0.0.1', staticRoot: null, warn: quiet, database });
  t.after(() => b.close());
  for (const server of [a, b]) {
    for (let waited = 0; ; waited += 20) {
      const evil = await Client.open(t, server.visitorUrl, { headers: { Origin: 'https://evil.example' } });
      evil.send(hello({ widgetId: 'shop' }));
      const first = await evil.next((f) => f.type === 'error' || f.type === 'welcome');
      evil.terminate();
      if (first.type === 'error') break;
      assert.ok(waited < 5000, 'the site list never arrived');
      await sleep(20);
    }
    const good = await Client.open(t, server.visitorUrl, { headers: { Origin: 'https://shop.example' } });
    good.send(hello({ widgetId: 'shop' }));
    await good.next('welcome');
  }
});

test('F14: a verified identity is one visitor across servers; devices signing in at once on two servers share it', async (t) => {
  const database = await freshDatabase(t);
  const made = execFileSync(process.execPath, [SERVER, 'sites', 'identity', 'shop'], {
    env: { ...process.env, DATABASE_URL: database },
  }).toString();
  const secret = /identity secret (\S+)/.exec(made)![1];
  const { signIdentity } = await import('../../server/identity.js');
  const token = (sub: string) => signIdentity(sub, secret);
  const [a, b] = await Promise.all(
    [1, 2].map(async () => {
      const node = await startBackend({ port: 0, host: '127.0.0.1', staticRoot: null, warn: quiet, database });
      t.after(() => node.close());
      return node;
    }),
  );

  const phone = await visitor(t, a, { widgetId: 'shop' });
  phone.client.send({ type: 'user_token', token: token('customer-1001') });
  phone.client.send({ type: 'message', id: 'p1', text: 'Where is order #991?' });
  await phone.client.next('ack');
  const laptop = await visitor(t, b, { widgetId: 'shop' });
  laptop.client.send({ type: 'user_token', token: token('customer-1001') });
  const moved = await laptop.client.next('welcome');
  assert.deepEqual(
    [moved.visitorId, moved.messages.map((m: Frame) => m.text)],
    [phone.welcome.visitorId, ['Where is order #991?']],
  );
  laptop.client.send({ type: 'message', id: 'l1', text: 'From the laptop' });
  await laptop.client.next('ack');
  assert.equal((await phone.client.next('message')).message.text, 'From the laptop');

  // Two new devices of another customer sign in at the same moment, one on each server: one visitor for both.
  const [one, two] = await Promise.all([visitor(t, a, { widgetId: 'shop' }), visitor(t, b, { widgetId: 'shop' })]);
  one.client.send({ type: 'user_token', token: token('customer-2002') });
  two.client.send({ type: 'user_token', token: token('customer-2002') });
  // The device whose own visitor took the identity gets no new welcome; the other moves to it.
  const ids = await Promise.all(
    [one, two].map(async (d) => {
      const next = await d.client.next((f) => f.type === 'welcome', 3000).catch(() => null);
      return next ? next.visitorId : d.welcome.visitorId;
    }),
  );
  assert.equal(ids[0], ids[1], 'one visitor for the identity');
  // And that visitor is the identity's on both servers from now on.
  for (const node of [a, b]) {
    const device = await visitor(t, node, { widgetId: 'shop' });
    device.client.send({ type: 'user_token', token: token('customer-2002') });
    assert.equal((await device.client.next('welcome')).visitorId, ids[0]);
  }
});
