// The HTTP side (static files under a strict CSP, no path traversal), the upgrade rules and the heartbeat.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { test } from 'node:test';
import { WebSocket } from 'ws';
import { agent, agentSocket, backend, Client, hello, ROOT, signIn, sleep, visitor, type Frame } from './helpers.js';

/** A raw request: the path is sent exactly as given (fetch would normalise `..` away). */
function get(base: string, path: string, method = 'GET'): Promise<Frame> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('the demo page, the agent console and the bundles are served under a strict CSP', async (t) => {
  const b = await backend(t, { staticRoot: ROOT });
  const page = await get(b.url, '/');
  assert.equal(page.status, 200);
  assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
  assert.match(page.body, /<jivo-widget/);
  assert.match(page.body, /href="\/agent\.html"/);
  const csp = page.headers['content-security-policy'];
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /script-src 'self'(;|$)/);
  assert.match(csp, /style-src 'self'(;|$)/);
  assert.match(csp, /connect-src 'self'(;|$)/);
  assert.equal(page.headers['x-content-type-options'], 'nosniff');

  const console_ = await get(b.url, '/agent.html');
  assert.equal(console_.status, 200);
  assert.match(console_.body, /<jivo-agent-console>/);
  assert.match(console_.body, /<script type="module" src="\/dist\/console\/index\.js"><\/script>/);
  assert.doesNotMatch(console_.body, /<script>|<style|\sstyle=|\son[a-z]+=/i, 'no inline script or style');
  const bundle = await get(b.url, '/dist/console/index.js');
  assert.equal(bundle.status, 200);
  assert.equal(bundle.headers['content-type'], 'text/javascript; charset=utf-8');
  assert.equal((await get(b.url, '/dist/jivo-widget.js', 'HEAD')).status, 200);
});

test('no path leaves demo/public or dist', async (t) => {
  const b = await backend(t, { staticRoot: ROOT });
  for (const path of [
    '/../package.json',
    '/%2e%2e/package.json',
    '/..%2fpackage.json',
    '/..%5cpackage.json',
    '/dist/..%2f..%2fpackage.json',
    '/dist/%2e%2e/package.json',
    '/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    '/demo.js%00.html',
  ]) {
    const res = await get(b.url, path);
    assert.ok(res.status === 404 || res.status === 400, `${path} → ${res.status}`);
    assert.doesNotMatch(res.body, /"name": "jivo-widget"|root:/, path);
  }
  assert.equal((await get(b.url, '/%E0%A4%A')).status, 400);
  assert.equal((await get(b.url, '/', 'POST')).status, 405);
  assert.equal((await get(b.url, '/ws/visitor')).status, 426);
  const none = await backend(t, { staticRoot: null });
  assert.equal((await get(none.url, '/')).status, 404);
});

test('only /ws/visitor and /ws/agent upgrade; too many sockets from one address are refused', async (t) => {
  const b = await backend(t, { maxConnectionsPerIp: 2 });
  await assert.rejects(new Client(b.url.replace('http', 'ws') + '/ws/other').opened, /404/);
  const one = await Client.open(t, b.visitorUrl);
  await agentSocket(t, b);
  await assert.rejects(new Client(b.visitorUrl).opened, /429/);
  await one.close();
  await sleep(50);
  await Client.open(t, b.visitorUrl);
});

test('the heartbeat terminates a socket that stops answering pings, and keeps the others', async (t) => {
  const b = await backend(t, { heartbeatMs: 100 });
  const one = await visitor(t, b);
  const two = await visitor(t, b);
  // A peer that no longer answers pings: its pong handler is gone.
  const silent = new Client(b.visitorUrl, { autoPong: false });
  t.after(() => silent.terminate());
  await silent.opened;
  silent.send(hello());
  await silent.next('welcome');
  const t0 = Date.now();
  const closed = await silent.closed;
  assert.equal(closed.code, 1006);
  const ms = Date.now() - t0;
  assert.ok(ms >= 100 && ms < 3000, `terminated after ${ms} ms`);
  await sleep(300);
  assert.equal(one.client.ws.readyState, one.client.ws.OPEN);
  assert.equal(two.client.ws.readyState, two.client.ws.OPEN);
});

test('a heartbeat that comes late, after the process was stalled, terminates no socket that answers', async (t) => {
  const b = await backend(t, { heartbeatMs: 100 });
  const one = await visitor(t, b);
  const agentSocket = await agent(t, b, 'Alice');
  // The process stalls for three beats (a long GC pause, a starved CPU) right after a beat has sent its pings: the
  // pongs arrive meanwhile, but they are read only after the late beat has run.
  const ping = WebSocket.prototype.ping;
  let stalled = false;
  WebSocket.prototype.ping = function (this: WebSocket, ...args: Parameters<WebSocket['ping']>) {
    ping.apply(this, args);
    if (stalled) return;
    stalled = true;
    const until = Date.now() + 350;
    while (Date.now() < until);
  };
  t.after(() => (WebSocket.prototype.ping = ping));
  while (!stalled) await sleep(10);
  await sleep(60);
  assert.equal(one.client.ws.readyState, one.client.ws.OPEN);
  assert.equal(agentSocket.client.ws.readyState, agentSocket.client.ws.OPEN);
  // The beats after it still find a socket that stopped answering.
  const silent = new Client(b.visitorUrl, { autoPong: false });
  t.after(() => silent.terminate());
  await silent.opened;
  silent.send(hello());
  await silent.next('welcome');
  assert.equal((await silent.closed).code, 1006);
  assert.equal(one.client.ws.readyState, one.client.ws.OPEN);
});

test('a socket that never says hello is closed with 1008 by the second heartbeat', async (t) => {
  const b = await backend(t, { heartbeatMs: 100 });
  // Signed in first: the clock below starts when the sockets open.
  const cookies = [await signIn(b, 'Mute'), await signIn(b, 'Alice')];
  const mute = await Client.open(t, b.visitorUrl);
  const muteAgent = await Client.open(t, b.agentUrl, { headers: { Cookie: cookies[0] } });
  const polite = { client: await Client.open(t, b.agentUrl, { headers: { Cookie: cookies[1] } }) };
  polite.client.send({ type: 'hello', v: 1 });
  await polite.client.next('welcome');
  const t0 = Date.now();
  assert.deepEqual(await mute.closed, { code: 1008, reason: 'No hello' });
  assert.deepEqual(await muteAgent.closed, { code: 1008, reason: 'No hello' });
  const ms = Date.now() - t0;
  assert.ok(ms >= 100 && ms < 3000, `closed after ${ms} ms`);
  assert.equal(polite.client.ws.readyState, polite.client.ws.OPEN);
});
