import { aTimeout, expect, waitUntil } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import '../../src/jivo-widget.js';
import type { JivoWidget } from '../../src/components/widget/widget.js';
import { useBackend } from '../helpers/agent-client.js';
import { siteSettingsOf } from '../../src/state/site-settings.js';
import { deepActive, settled } from '../helpers/widget-page.js';

// Business hours, the pre-chat form and quick replies through the real reference backend: an admin's console sets the
// site's settings over its socket, the widget shows what the visitor meets, and what the visitor does reaches agents.

const it_ = useBackend('sf-');
const connected = (el: JivoWidget) =>
  waitUntil(() => el.store!.state.connection === 'open', 'the widget is connected', { timeout: 4000 });
const win = (el: JivoWidget) => el.shadowRoot!.querySelector('jivo-chat-window')!.shadowRoot!;
const list = (el: JivoWidget) => win(el).querySelector('jivo-message-list')!.shadowRoot!;
const prechatRoot = (el: JivoWidget) => win(el).querySelector('jivo-prechat-form')?.shadowRoot ?? null;

const ALL_DAY = [{ from: '00:00', to: '24:00' }];
/** Open every day, all day, but today (UTC) is a holiday: closed now, back at the next UTC midnight. */
function closedToday() {
  return {
    timeZone: 'UTC',
    week: { mon: ALL_DAY, tue: ALL_DAY, wed: ALL_DAY, thu: ALL_DAY, fri: ALL_DAY, sat: ALL_DAY, sun: ALL_DAY },
    holidays: [{ date: new Date().toISOString().slice(0, 10), yearly: false }],
  };
}
const CONSENT = { text: 'I agree to the processing of my data', url: 'https://shop.example/privacy', version: 'v3' };

describe('site settings through the reference backend', function () {
  this.timeout(20000);

  afterEach(async () => {
    delete window.jivo_onIntroduction;
    await setViewport({ width: 800, height: 600 });
  });

  /** At 320 CSS px wide, nothing in `root` is wider than its box: no scrolling sideways (WCAG 1.4.10). */
  async function reflows(el: JivoWidget, root: ShadowRoot) {
    await setViewport({ width: 320, height: 640 });
    await settled(el);
    for (const node of root.querySelectorAll<HTMLElement>('form, [role="group"], button, input, select, label, p')) {
      const box = node.getBoundingClientRect();
      expect(box.right, `${node.tagName} ${node.textContent?.slice(0, 30)} fits`).to.be.at.most(320.5);
    }
    await setViewport({ width: 800, height: 600 });
    await settled(el);
  }

  it("outside business hours with nobody online: the window says when the team is back, in the visitor's time; chatMode() is offline until an agent goes online anyway", async () => {
    const admin = await it_.agent(false, 'admin');
    const id = it_.uniqueId();
    await admin.siteSettings(id, { hours: closedToday() });
    const el = await it_.mount(id);
    await connected(el);
    el.open();
    await settled(el);
    const now = new Date();
    const next = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
    // Read back in this browser's own time zone, as a visitor would: today, tomorrow, or a date.
    const time = new Intl.DateTimeFormat('en', { hour: 'numeric', minute: '2-digit' }).format(next);
    const day = new Date(next).getDate() === now.getDate() ? 'today' : 'tomorrow';
    const hours = win(el).querySelector('[part="hours"]');
    expect(hours?.textContent).to.equal(`We are away now. We are back ${day} at ${time}.`);
    expect(win(el).querySelector('jivo-offline-form'), 'the offline form is offered').to.exist;
    expect(String(window.jivo_api!.chatMode())).to.equal('offline');
    await expect(el).to.be.accessible();

    // An agent goes online outside hours: the chat is online, and the notice goes.
    await it_.agent(true);
    await waitUntil(() => String(window.jivo_api!.chatMode()) === 'online', 'the chat goes online');
    await settled(el);
    expect(win(el).querySelector('[part="hours"]')).to.equal(null);
    // The site reopens (no more holiday): connected widgets hear it at once.
    await admin.siteSettings(id, { hours: { ...closedToday(), holidays: [] } });
    await waitUntil(() => siteSettingsOf(el.store!).state.hours?.open === true, 'the widget hears it is open', {
      timeout: 4000,
    });
  });

  it('the pre-chat form: known fields are not asked, required ones marked and checked, consent before chatting; the agent sees the consent', async () => {
    const admin = await it_.agent(true, 'admin');
    const id = it_.uniqueId();
    await admin.siteSettings(id, {
      prechat: {
        name: 'required',
        email: 'optional',
        phone: 'off',
        department: { mode: 'required', options: ['Sales', 'Support'] },
        question: { mode: 'off', label: '' },
        consent: CONSENT,
      },
    });
    const introductions: unknown[] = [];
    window.jivo_onIntroduction = () => introductions.push(window.jivo_api!.getContactInfo());
    const el = await it_.mount(id);
    window.jivo_api!.setContactInfo({ name: 'Ann Lee' });
    await connected(el);
    el.open();
    await settled(el);
    const form = prechatRoot(el)!;
    expect(form, 'the pre-chat form shows').to.exist;
    expect(win(el).querySelector('jivo-composer'), 'no composer before it is sent').to.equal(null);
    // The name is known (setContactInfo): not asked again. Required fields say so in their label.
    expect(form.querySelector('#name')).to.equal(null);
    expect(form.querySelector('label[for="department"]')!.textContent).to.equal('Department (required)');
    expect(form.querySelector('label[for="email"]')!.textContent).to.equal('Email');
    const link = form.querySelector<HTMLAnchorElement>('.consent a')!;
    expect(link.href).to.equal(CONSENT.url);
    expect(link.target).to.equal('_blank');
    await expect(el).to.be.accessible();
    await reflows(el, form);

    // Sent empty: each field in error is marked and described, and focus goes to the first.
    form.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await settled(el);
    const department = form.querySelector<HTMLSelectElement>('#department')!;
    const consent = form.querySelector<HTMLInputElement>('#consent')!;
    expect(department.getAttribute('aria-invalid')).to.equal('true');
    expect(form.getElementById(department.getAttribute('aria-describedby')!)!.textContent).to.equal(
      'Please choose a department.',
    );
    expect(consent.getAttribute('aria-invalid')).to.equal('true');
    expect(form.getElementById(consent.getAttribute('aria-describedby')!)!.textContent).to.equal(
      'Please agree to continue.',
    );
    expect(deepActive()).to.equal(department);
    await expect(el).to.be.accessible();

    // The keyboard alone: choose a department, type an email, tick the consent, send.
    department.focus();
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'ArrowDown' });
    expect(department.value, 'chosen with the arrow keys').to.equal('Support');
    form.querySelector<HTMLInputElement>('#email')!.focus();
    await sendKeys({ type: 'ann@example.com' });
    consent.focus();
    await sendKeys({ press: 'Space' });
    await settled(el);
    expect(consent.getAttribute('aria-invalid')).to.equal('false');
    form.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await settled(el);
    expect(prechatRoot(el), 'the form gives way').to.equal(null);
    const composer = win(el).querySelector('jivo-composer');
    expect(composer, 'to the composer').to.exist;
    expect(deepActive()?.tagName).to.equal('TEXTAREA');
    expect(introductions).to.deep.equal([
      { client_name: 'Ann Lee', email: 'ann@example.com', phone: null, description: null },
    ]);

    const visitorId = await admin.visitorOf(id);
    await waitUntil(() => admin.visitors.get(visitorId)?.prechat?.consent, 'the agent sees the consent', {
      timeout: 4000,
    });
    const record = admin.visitors.get(visitorId)!.prechat!;
    expect(record.consent!.version).to.equal('v3');
    expect(record.consent!.text).to.equal(CONSENT.text);
    expect(Math.abs(record.consent!.at - Date.now())).to.be.below(60_000);
    expect(admin.visitors.get(visitorId)!.department).to.equal('Support');

    // Now the visitor may chat.
    await sendKeys({ type: 'Hello after consent' });
    await sendKeys({ press: 'Enter' });
    await admin.waitForText(visitorId, 'Hello after consent');
  });

  it("quick replies: a named group of buttons, kept across a reload, chosen by keyboard, sent as the visitor's message; then gone", async () => {
    const agent = await it_.agent(true);
    const id = it_.uniqueId();
    let el = await it_.mount(id);
    await connected(el);
    el.open();
    await settled(el);
    const visitorId = await agent.visitorOf(id);
    agent.offer(visitorId, 'Which size do you need?', ['Small', 'Large']);
    await waitUntil(() => list(el).querySelector('[role="group"]'), 'the buttons show', { timeout: 4000 });
    await settled(el);
    let group = list(el).querySelector('[role="group"]')!;
    expect(group.getAttribute('aria-label')).to.equal('Quick replies');
    expect([...group.querySelectorAll('button')].map((b) => b.textContent)).to.deep.equal(['Small', 'Large']);
    const box = group.querySelector('button')!.getBoundingClientRect();
    expect(box.height, '24 px targets at least').to.be.at.least(24);
    await expect(el).to.be.accessible();
    await reflows(el, list(el));

    // A reload: the buttons come back with the conversation, unused.
    el.remove();
    el = await it_.mount(id);
    await connected(el);
    el.open();
    await settled(el);
    group = list(el).querySelector('[role="group"]')!;
    expect(group, 'kept until used').to.exist;

    // Tab to "Large" and press Enter: the visitor's message, through the outbox; the buttons go; focus to the composer.
    group.querySelectorAll('button')[1].focus();
    await sendKeys({ press: 'Enter' });
    await settled(el);
    await agent.waitForText(visitorId, 'Large');
    const mine = el.store!.state.messages.at(-1)!;
    expect(mine.from).to.equal('visitor');
    expect(mine.text).to.equal('Large');
    await waitUntil(() => el.store!.state.messages.at(-1)!.status === 'sent', 'acknowledged');
    expect(list(el).querySelector('[role="group"]'), 'the buttons go once used').to.equal(null);
    expect(deepActive()?.tagName).to.equal('TEXTAREA');

    // Offered again and answered in the visitor's own words: they go too.
    agent.offer(visitorId, 'Anything else?', ['No', 'Yes']);
    await waitUntil(() => list(el).querySelector('[role="group"]'), 'new buttons', { timeout: 4000 });
    await sendKeys({ type: 'A gift box, please' });
    await settled(el);
    expect(list(el).querySelector('[role="group"]'), 'typing alone keeps them').to.exist;
    await sendKeys({ press: 'Enter' });
    await settled(el);
    expect(list(el).querySelector('[role="group"]'), 'sending their own message removes them').to.equal(null);
    await agent.waitForText(visitorId, 'A gift box, please');
    await aTimeout(0);
  });
});
