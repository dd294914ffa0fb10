// Who answers (docs/protocol.md#welcome, #profile; docs/deploy.md "Sites"): a site's team name, greeting and messenger
// channels, set with the `sites` command and sent in the widget's welcome; an agent's photo, set from the console,
// checked (https only), kept with the account across a restart and shown to the visitors whose chats the agent has.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { agent, SERVER, startBackend, tempDir, visitor, visitorIdFor } from './helpers.js';
import { checkChannelUrl, checkPhotoUrl, checkSiteProfile } from '../../src/model/site-profile.js';

async function sites(dataDir: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const child = spawn(process.execPath, [SERVER, 'sites', ...args], { env: { ...process.env, DATA_DIR: dataDir } });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const [code] = await once(child, 'exit');
  return { code: code as number, out, err };
}

test('links: https for messengers, mailto: for e-mail, tel: for a phone; nothing else', () => {
  assert.equal(checkChannelUrl('telegram', 'https://t.me/acme'), 'https://t.me/acme');
  assert.equal(checkChannelUrl('whatsapp', 'https://wa.me/4755501020'), 'https://wa.me/4755501020');
  assert.equal(checkChannelUrl('email', 'mailto:help@acme.example'), 'mailto:help@acme.example');
  assert.equal(checkChannelUrl('phone', 'tel:+4755501020'), 'tel:+4755501020');
  for (const [kind, url] of [
    ['telegram', 'http://t.me/acme'],
    ['telegram', 'javascript:alert(1)'],
    ['viber', 'viber://chat?number=123'],
    ['messenger', 'https://user:pw@m.me/acme'],
    ['email', 'https://acme.example/contact'],
    ['email', 'mailto:not-an-address'],
    ['phone', 'tel:call-me'],
    ['whatsapp', 'data:text/html,hi'],
  ] as const)
    assert.equal(checkChannelUrl(kind, url), null, `${kind} ${url}`);
  assert.equal(checkPhotoUrl('https://cdn.example/a.png'), 'https://cdn.example/a.png');
  for (const url of ['http://cdn.example/a.png', 'data:image/png;base64,AAAA', 'javascript:1', '//cdn.example/a', 42])
    assert.equal(checkPhotoUrl(url), null, String(url));
  assert.equal(checkSiteProfile({ team: 'A\u0007B' }), null, 'no control characters');
  assert.equal(
    checkSiteProfile({
      channels: [
        { kind: 'telegram', url: 'https://t.me/a' },
        { kind: 'telegram', url: 'https://t.me/b' },
      ],
    }),
    null,
  );
});

test('the sites command sets a team, a greeting and channels; the widget gets them in its welcome', async (t) => {
  const dataDir = await tempDir(t);
  assert.equal((await sites(dataDir, 'team', 'shop', 'Acme', 'support')).code, 0);
  assert.equal((await sites(dataDir, 'greeting', 'shop', 'Hi!', 'We', 'answer', 'fast.')).code, 0);
  assert.equal((await sites(dataDir, 'channel', 'shop', 'telegram', 'https://t.me/acme')).code, 0);
  assert.equal((await sites(dataDir, 'channel', 'shop', 'email', 'mailto:help@acme.example')).code, 0);
  const refused = await sites(dataDir, 'channel', 'shop', 'whatsapp', 'http://wa.me/123');
  assert.notEqual(refused.code, 0);
  assert.match(refused.err, /whatsapp: an https link is needed/);
  assert.notEqual((await sites(dataDir, 'channel', 'shop', 'email', 'https://acme.example')).code, 0);
  assert.notEqual((await sites(dataDir, 'channel', 'shop', 'fax', 'tel:123')).code, 0);
  const listed = await sites(dataDir, 'list');
  assert.match(listed.out, /shop: team "Acme support", greeting "Hi! We answer fast\."/);
  assert.match(listed.out, /telegram\thttps:\/\/t\.me\/acme/);
  const file = JSON.parse(await readFile(join(dataDir, 'sites.json'), 'utf8'));
  assert.deepEqual(file.profiles.shop, {
    team: 'Acme support',
    greeting: 'Hi! We answer fast.',
    channels: [
      { kind: 'telegram', url: 'https://t.me/acme' },
      { kind: 'email', url: 'mailto:help@acme.example' },
    ],
  });
  assert.equal((await sites(dataDir, 'channel', 'shop', 'telegram', '--off')).code, 0);

  const b = await startBackend({ dataDir });
  t.after(() => b.close());
  const v = await visitor(t, b, { widgetId: 'shop' });
  assert.deepEqual(v.welcome.site, {
    team: 'Acme support',
    greeting: 'Hi! We answer fast.',
    channels: [{ kind: 'email', url: 'mailto:help@acme.example' }],
  });
  const other = await visitor(t, b, { widgetId: 'blog' });
  assert.equal(other.welcome.site, undefined, 'a site without a profile gets none');
});

test("an agent's photo: https only, kept with the account, shown to the visitor whose chat the agent has", async (t) => {
  const dataDir = await tempDir(t);
  let b = await startBackend({ dataDir });
  const alice = await agent(null, b, 'Alice', true);
  assert.equal(alice.welcome.photo, null);
  for (const photo of ['http://cdn.example/alice.png', 'javascript:alert(1)', 'https://', 42]) {
    const error = await alice.client.expectError({ type: 'profile', photo });
    assert.equal(error.code, 'invalid_field', String(photo));
  }
  const ann = await visitor(null, b);
  const id = await visitorIdFor(alice.client, 1);
  alice.client.send({ type: 'profile', photo: 'https://cdn.example/alice.png' });
  assert.deepEqual(await alice.client.next('profile'), { type: 'profile', photo: 'https://cdn.example/alice.png' });
  alice.client.send({ type: 'accept', visitorId: id });
  assert.deepEqual((await ann.client.next('agent')).agent, { name: 'Alice', photo: 'https://cdn.example/alice.png' });
  // Changed while the agent has the chat: the visitor follows at once.
  alice.client.send({ type: 'profile', photo: 'https://cdn.example/alice-2.png' });
  assert.deepEqual((await ann.client.next('agent')).agent, { name: 'Alice', photo: 'https://cdn.example/alice-2.png' });
  alice.client.terminate();
  ann.client.terminate();
  await b.close();

  // After a restart: in the agent's welcome, and in the visitor's.
  b = await startBackend({ dataDir });
  t.after(() => b.close());
  const again = await agent(t, b, 'Alice', true);
  assert.equal(again.welcome.photo, 'https://cdn.example/alice-2.png');
  const back = await visitor(t, b, { visitorId: ann.hello.visitorId });
  assert.deepEqual(back.welcome.agent, { name: 'Alice', photo: 'https://cdn.example/alice-2.png' });
  // Removed.
  again.client.send({ type: 'profile', photo: null });
  assert.deepEqual(await again.client.next('profile'), { type: 'profile', photo: null });
  assert.deepEqual((await back.client.next('agent')).agent, { name: 'Alice' });
});
