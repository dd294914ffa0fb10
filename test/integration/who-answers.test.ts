import { expect, waitUntil } from '@open-wc/testing';
import { executeServerCommand, sendKeys } from '@web/test-runner-commands';
import '../../src/jivo-widget.js';
import type { JivoWidget } from '../../src/components/widget/widget.js';
import { useBackend } from '../helpers/agent-client.js';
import { siteOf } from '../../src/state/site.js';
import { deepActive, settled } from '../helpers/widget-page.js';

// Who is answering, through the real reference backend: before anyone accepts, the team's name and greeting the site
// configured (sites.json); then the agent's name and photo (set from the console's protocol, checked by the server)
// in the header and beside their messages, with initials when there is no photo or it does not load; and the site's
// messenger channels in the channel menu of open({start: 'menu'}).

const it_ = useBackend('who-');

const windowRoot = (el: JivoWidget) => el.shadowRoot!.querySelector('jivo-chat-window')!.shadowRoot!;
const menuRoot = (el: JivoWidget) => el.shadowRoot!.querySelector('jivo-mobile-menu')!.shadowRoot!;
const listRoot = (el: JivoWidget) => windowRoot(el).querySelector('jivo-message-list')!.shadowRoot!;

/** A profile for the widget id, as an admin's `sites team|greeting|channel` writes it; the server reads it in a second. */
async function profile(widgetId: string, p: object | null): Promise<void> {
  await executeServerCommand('site-profile', { widgetId, profile: p });
  await new Promise((r) => setTimeout(r, 1300));
}

describe('who is answering', function () {
  afterEach(() => executeServerCommand('release-requests'));
  this.timeout(30000);

  it('shows the team and its greeting before an accept, then the agent with their photo, or initials', async () => {
    const id = it_.uniqueId();
    await profile(id, { team: 'Acme support', greeting: 'Hi! We usually answer within a minute.', channels: [] });
    const anna = await it_.agent(true);
    const el = await it_.mount(id);
    el.open();
    await settled(el);
    await waitUntil(() => windowRoot(el).querySelector('h2')!.textContent === 'Acme support', 'the team name');
    await settled(el);
    expect(windowRoot(el).querySelector('.greeting')!.textContent).to.equal('Hi! We usually answer within a minute.');
    await expect(el).to.be.accessible();

    el.store!.sendMessage('Hello');
    const visitorId = await anna.visitorOf(id);
    // A photo that is not https is refused by the server, and nothing changes.
    anna.send({ type: 'profile', photo: 'http://cdn.example/anna.png' });
    await waitUntil(() => anna.frames.some((f) => f.type === 'error' && f.code === 'invalid_field'), 'refused');
    // An https photo, on a server that does not answer (the browser holds the request): it stays in the header, with
    // its text alternative.
    const slow = 'https://photos.example/anna.png';
    await executeServerCommand('hold-requests', { url: 'https://photos.example/*' });
    anna.send({ type: 'profile', photo: slow });
    await waitUntil(() => anna.frames.some((f) => f.type === 'profile'), 'the console hears of its photo');
    anna.accept(visitorId);
    await waitUntil(() => el.store!.state.agent?.name === anna.name, 'accepted');
    await waitUntil(() => windowRoot(el).querySelector('header img.avatar'), 'the photo in the header');
    expect(windowRoot(el).querySelector('.greeting'), 'the greeting is for before an accept').to.equal(null);
    const img = windowRoot(el).querySelector<HTMLImageElement>('header img.avatar')!;
    expect(img.alt).to.equal(`Photo of ${anna.name}`);
    expect(img.getAttribute('src')).to.equal(slow);
    await expect(el).to.be.accessible();

    // A photo that fails to load (no such host): initials instead, hidden from screen readers (the name is beside).
    await executeServerCommand('release-requests');
    anna.send({ type: 'profile', photo: 'https://photos.invalid/anna.png' });
    await waitUntil(() => windowRoot(el).querySelector('header .initials'), 'initials once the photo fails', {
      timeout: 8000,
    });
    const initials = windowRoot(el).querySelector('header .initials')!;
    const words = anna.name.split(/\s+/).filter(Boolean);
    expect(initials.textContent).to.equal(
      `${words[0][0]}${words.length > 1 ? words[words.length - 1][0] : ''}`.toUpperCase(),
    );
    expect(initials.getAttribute('aria-hidden')).to.equal('true');

    anna.say(visitorId, 'Hello, how can I help?');
    await waitUntil(() => listRoot(el).querySelector('li.agent .byline .avatar'), 'the avatar beside the message', {
      timeout: 4000,
    });
    expect(listRoot(el).querySelector('li.agent .author')!.textContent).to.contain(anna.name);
    await expect(el).to.be.accessible();

    // The photo removed in the console: the widget follows at once, without a second accept.
    anna.send({ type: 'profile', photo: null });
    await waitUntil(() => !siteOf(el.store!).photos.has(anna.name), 'the photo is forgotten');
    await settled(el);
    expect(windowRoot(el).querySelector('header img')).to.equal(null);
    expect(windowRoot(el).querySelector('header .initials')).to.not.equal(null);
  });

  it("the channel menu offers the site's messengers beside chat and call back, by keyboard", async () => {
    const id = it_.uniqueId();
    await profile(id, {
      team: '',
      greeting: '',
      channels: [
        { kind: 'whatsapp', url: 'https://wa.me/4755501020' },
        { kind: 'telegram', url: 'https://t.me/acme_support' },
        { kind: 'email', url: 'mailto:help@acme.example' },
        { kind: 'phone', url: 'tel:+4755501020' },
      ],
    });
    const el = await it_.mount(id);
    await waitUntil(() => el.store!.state.connection === 'open', 'connected');
    expect(el.open({ start: 'menu' }).result).to.equal('ok');
    await settled(el);
    const links = () => [...menuRoot(el).querySelectorAll<HTMLAnchorElement>('.channels a')];
    await waitUntil(() => links().length === 4, 'four channels');
    expect(links().map((a) => [a.textContent!.replace(/\s+/g, ' ').trim(), a.getAttribute('href')])).to.deep.equal([
      ['WhatsApp (opens another app)', 'https://wa.me/4755501020'],
      ['Telegram (opens another app)', 'https://t.me/acme_support'],
      ['E-mail (opens another app)', 'mailto:help@acme.example'],
      ['Phone (opens another app)', 'tel:+4755501020'],
    ]);
    expect(links()[0].target).to.equal('_blank');
    expect(links()[0].rel).to.equal('noopener noreferrer');
    expect(links()[2].hasAttribute('target'), 'mailto: opens the mail app, not a tab').to.equal(false);
    expect(menuRoot(el).querySelector('.channels')!.getAttribute('aria-label')).to.equal('Other ways to reach us');
    await expect(el).to.be.accessible();
    // Keyboard: from Chat, Tab goes through the channels in order.
    const chat = menuRoot(el).querySelector<HTMLButtonElement>('button.choice')!;
    chat.focus();
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) {
      await sendKeys({ press: 'Tab' });
      seen.push(deepActive()?.getAttribute('href') ?? deepActive()?.textContent?.trim() ?? '');
    }
    expect(seen.filter((h) => links().some((a) => a.getAttribute('href') === h))).to.have.length.at.least(3);
  });

  it('a site without a profile keeps the window title and no channels', async () => {
    const el = await it_.mount(it_.uniqueId());
    await waitUntil(() => el.store!.state.connection === 'open', 'connected');
    el.open({ start: 'menu' });
    await settled(el);
    expect(menuRoot(el).querySelector('.channels')).to.equal(null);
    el.open();
    await settled(el);
    expect(windowRoot(el).querySelector('h2')!.textContent).to.equal('Chat');
  });
});
