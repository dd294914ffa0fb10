import { aTimeout, expect, fixtureCleanup, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { JivoAgentConsole } from '../../console/agent-console.js';
import { backend, type BackendInfo } from '../helpers/agent-client.js';
import { chatOf, consoleButton, focused, mountConsole, VisitorSocket } from '../helpers/console-page.js';

// The console's side of site settings, against the real reference backend: an admin edits a site's business hours
// and pre-chat form (errors under the field at fault, the save announced once), an agent reads them; the consent a
// visitor gave shows in the visitor's panel; quick replies go out with a reply and come back as the visitor's answer.

let n = 0;
const siteId = () => `cs-${Date.now().toString(36)}-${++n}`;
const editor = (el: JivoAgentConsole) => el.shadowRoot!.querySelector('jivo-site-settings')!;
const inEditor = <T extends Element>(el: JivoAgentConsole, selector: string) =>
  editor(el).shadowRoot!.querySelector<T>(selector)!;
const announcer = (el: JivoAgentConsole) => el.shadowRoot!.querySelector('.announcer')!;

async function type(input: HTMLInputElement | HTMLTextAreaElement, text: string) {
  input.focus();
  input.select?.();
  await sendKeys({ type: text });
}

async function openSites(el: JivoAgentConsole, widgetId: string) {
  consoleButton(el, 'Sites')!.click();
  await el.updateComplete;
  const id = el.shadowRoot!.querySelector<HTMLInputElement>('#site-id')!;
  id.value = widgetId;
  id.dispatchEvent(new Event('change'));
  await el.updateComplete;
  await editor(el).updateComplete;
}

describe('<jivo-agent-console> site settings, consent and quick replies', function () {
  this.timeout(20000);
  let info: BackendInfo;
  const sockets: VisitorSocket[] = [];

  before(async () => {
    info = await backend.info();
    if (!info.running) info = await backend.start();
  });

  afterEach(() => {
    fixtureCleanup();
    for (const s of sockets.splice(0)) s.close();
  });

  it('an admin sets business hours and a pre-chat form: a bad field is marked and focused, the save is announced and reaches widgets', async () => {
    const el = await mountConsole(info, 'Site Admin', { role: 'admin' });
    const id = siteId();
    await openSites(el, id);
    await expect(el).to.be.accessible();
    inEditor<HTMLInputElement>(el, '#hours-on').click();
    await editor(el).updateComplete;
    await type(inEditor(el, '#time-zone'), 'Mars/Olympus');
    inEditor<HTMLButtonElement>(el, '#save').click();
    await editor(el).updateComplete;
    const zone = inEditor<HTMLInputElement>(el, '#time-zone');
    expect(zone.getAttribute('aria-invalid')).to.equal('true');
    expect(inEditor(el, '#time-zone-error').textContent).to.match(/IANA time zone/);
    expect(editor(el).shadowRoot!.activeElement).to.equal(zone);
    await expect(el).to.be.accessible();

    await type(zone, 'Europe/Berlin');
    await type(inEditor(el, '#day-sat'), '10:00-14:00');
    await type(inEditor(el, '#holidays'), '2026-12-25 yearly');
    inEditor<HTMLInputElement>(el, '#prechat-on').click();
    await editor(el).updateComplete;
    inEditor<HTMLInputElement>(el, '#consent-on').click();
    await editor(el).updateComplete;
    await type(inEditor(el, '#consent-text'), 'I agree to the privacy policy');
    await type(inEditor(el, '#consent-url'), 'http://shop.example/privacy');
    await type(inEditor(el, '#consent-version'), '2026-1');
    inEditor<HTMLButtonElement>(el, '#save').click();
    await editor(el).updateComplete;
    expect(inEditor(el, '#consent-url').getAttribute('aria-invalid'), 'https only').to.equal('true');
    await type(inEditor(el, '#consent-url'), 'https://shop.example/privacy');
    inEditor<HTMLButtonElement>(el, '#save').click();
    await waitUntil(() => el.store.state.sites.has(id), 'the backend stores them');
    await waitUntil(() => announcer(el).textContent === `Settings saved for ${id}.`, 'the save is announced once');
    const saved = el.store.state.sites.get(id)!;
    expect(saved.hours!.timeZone).to.equal('Europe/Berlin');
    expect(saved.hours!.week.sat).to.deep.equal([{ from: '10:00', to: '14:00' }]);
    expect(saved.hours!.week.mon).to.deep.equal([{ from: '09:00', to: '18:00' }]);
    expect(saved.hours!.holidays).to.deep.equal([{ date: '2026-12-25', yearly: true }]);
    expect(saved.prechat!.consent).to.deep.equal({
      text: 'I agree to the privacy policy',
      url: 'https://shop.example/privacy',
      version: '2026-1',
    });
    const visitor = await VisitorSocket.open(info.visitorUrl, id);
    sockets.push(visitor);
    const welcome = visitor.frames.find((f) => f.type === 'welcome')!;
    expect(welcome.hours).to.have.keys(['open', 'next']);
    expect((welcome.prechat as { answered: boolean }).answered).to.equal(false);
  });

  it('an agent sees the settings read-only; the consent a visitor gave shows in their panel', async () => {
    const admin = await mountConsole(info, 'Site Admin', { role: 'admin' });
    const id = siteId();
    await openSites(admin, id);
    inEditor<HTMLInputElement>(admin, '#prechat-on').click();
    await editor(admin).updateComplete;
    inEditor<HTMLInputElement>(admin, '#consent-on').click();
    await editor(admin).updateComplete;
    await type(inEditor(admin, '#consent-text'), 'I agree');
    await type(inEditor(admin, '#consent-url'), 'https://shop.example/privacy');
    await type(inEditor(admin, '#consent-version'), 'v7');
    inEditor<HTMLButtonElement>(admin, '#save').click();
    await waitUntil(() => admin.store.state.sites.has(id), 'saved');
    fixtureCleanup();

    const el = await mountConsole(info, 'Plain Agent', { online: true });
    await openSites(el, id);
    expect(editor(el).shadowRoot!.querySelector('input, select, textarea, button'), 'nothing to edit').to.equal(null);
    expect(editor(el).shadowRoot!.textContent).to.contain('I agree (version v7');
    await expect(el).to.be.accessible();

    const visitor = await VisitorSocket.open(info.visitorUrl, id);
    sockets.push(visitor);
    visitor.send({ type: 'prechat', id: 'p-1', answer: '', department: null, consent: 'v7' });
    await waitUntil(() => visitor.frames.some((f) => f.type === 'ack' && f.id === 'p-1'), 'stored');
    consoleButton(el, 'Visitors')!.click();
    const chat = await chatOf(el, id);
    await waitUntil(() => el.store.state.chats.get(chat.id)?.prechat, 'the console hears of it');
    consoleButton(el, `Visitor ${chat.number}`)!.click();
    await el.updateComplete;
    const panel = el.shadowRoot!.querySelector('.prechat')!;
    expect(panel.textContent!.replace(/\s+/g, ' ')).to.match(
      /Consent Agreed on .+ to “I agree” \(version v7, privacy policy\)/,
    );
    expect(panel.querySelector('a')!.getAttribute('href')).to.equal('https://shop.example/privacy');
    await expect(el).to.be.accessible();
  });

  it('quick replies: written one a line with the reply, checked before sending, received by the widget; the choice comes back', async () => {
    const el = await mountConsole(info, 'Reply Agent', { online: true });
    const id = siteId();
    const visitor = await VisitorSocket.open(info.visitorUrl, id);
    sockets.push(visitor);
    visitor.say('Hello');
    const chat = await chatOf(el, id);
    consoleButton(el, `Visitor ${chat.number}`)!.click();
    await el.updateComplete;
    const replies = el.shadowRoot!.querySelector<HTMLTextAreaElement>('#quick-replies')!;
    await type(replies, 'x'.repeat(41));
    await type(el.shadowRoot!.querySelector<HTMLTextAreaElement>('#reply')!, 'Which size?');
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(replies.getAttribute('aria-invalid')).to.equal('true');
    expect(focused(el)).to.equal(replies);
    await expect(el).to.be.accessible();
    replies.value = '';
    await type(replies, 'Small');
    await sendKeys({ press: 'Enter' });
    await sendKeys({ type: 'Large' });
    el.shadowRoot!.querySelector<HTMLTextAreaElement>('#reply')!.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(
      () => visitor.frames.some((f) => f.type === 'message' && (f.message as { text: string }).text === 'Which size?'),
      'the widget receives it',
    );
    const got = visitor.frames.find(
      (f) => f.type === 'message' && (f.message as { text: string }).text === 'Which size?',
    )!;
    expect((got.message as { replies: string[] }).replies).to.deep.equal(['Small', 'Large']);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('.message .replies')!.textContent).to.equal('Reply buttons: Small · Large');
    visitor.say('Large');
    await waitUntil(
      () => el.store.state.chats.get(chat.id)!.messages.some((m) => m.from === 'visitor' && m.text === 'Large'),
      'the choice reaches the agent',
    );
    await aTimeout(0);
  });
});
