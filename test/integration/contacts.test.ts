import { aTimeout, expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import sinon from 'sinon';
import '../../src/jivo-widget.js';
import '../../console/index.js';
import type { JivoAgentConsole } from '../../console/agent-console.js';
import type { JivoWidget } from '../../src/components/widget/widget.js';
import { signIn, useBackend } from '../helpers/agent-client.js';

// The contacts form and client attributes through the real reference backend: an agent asks, the widget shows the form,
// the visitor answers, the page hears jivo_onIntroduction and the agent gets the details; client attributes reach the
// agent, and the backend holds the hourly limit even against a widget that does not count.

const it_ = useBackend('ct-');
const connected = (el: JivoWidget) =>
  waitUntil(() => el.store!.state.connection === 'open', 'the widget is connected', { timeout: 4000 });
const windowRoot = (el: JivoWidget) => el.shadowRoot!.querySelector('jivo-chat-window')?.shadowRoot ?? null;
const formOf = (el: JivoWidget) => windowRoot(el)?.querySelector('jivo-contacts-form') ?? null;
const field = (el: JivoWidget, name: string) => formOf(el)!.shadowRoot!.querySelector<HTMLInputElement>(`#${name}`)!;
const buttonOf = (el: JivoWidget, label: string) =>
  [...formOf(el)!.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent!.trim() === label)!;

async function settle(el: Element): Promise<void> {
  await aTimeout(0);
  const visit = async (node: Element) => {
    await (node as unknown as { updateComplete?: Promise<unknown> }).updateComplete;
    for (const child of node.shadowRoot?.querySelectorAll('*') ?? []) await visit(child);
  };
  await visit(el);
}

describe('contacts and client attributes through the reference backend', function () {
  this.timeout(20000);

  afterEach(() => {
    sinon.restore();
    delete window.jivo_onIntroduction;
  });

  it('an agent asks, the form appears under the conversation, the visitor answers: jivo_onIntroduction, the agent has the contacts', async () => {
    const anna = await it_.agent();
    const el = await it_.mount(it_.uniqueId());
    const introductions: unknown[] = [];
    window.jivo_onIntroduction = () => introductions.push(window.jivo_api!.getContactInfo());
    await connected(el);
    el.open();
    await settle(el);
    const visitorId = await anna.visitorOf(el.widgetId!);
    anna.say(visitorId, 'Hello! How can we reach you?');
    await waitUntil(() => el.store!.state.messages.length === 1, 'the agent message arrives');

    anna.send({ type: 'request_contacts', visitorId });
    await waitUntil(() => formOf(el) !== null, 'the form appears', { timeout: 4000 });
    await settle(el);
    expect(formOf(el)!.reason).to.equal('request');
    expect(windowRoot(el)!.querySelector('jivo-message-list'), 'the conversation stays').to.exist;
    expect(windowRoot(el)!.querySelector('jivo-composer'), 'and so does the composer').to.exist;
    await waitUntil(
      () => anna.visitors.get(visitorId)?.contactsRequest?.state === 'pending',
      'the agent sees it requested',
    );

    field(el, 'name').focus();
    await sendKeys({ type: 'Ann <b>Lee</b>' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ type: 'ann@example.com' });
    await sendKeys({ press: 'Enter' });
    await settle(el);
    expect(introductions).to.deep.equal([
      { client_name: 'Ann <b>Lee</b>', email: 'ann@example.com', phone: null, description: null },
    ]);
    expect(formOf(el)?.reason ?? null).to.equal(null);

    await waitUntil(
      () => anna.visitors.get(visitorId)?.contactsRequest?.state === 'given',
      'the agent sees it answered',
      { timeout: 4000 },
    );
    expect(anna.visitors.get(visitorId)!.contact).to.deep.equal({
      name: 'Ann <b>Lee</b>',
      email: 'ann@example.com',
      phone: '',
      description: '',
    });
    await waitUntil(() => el.store!.state.contactsRequest === null, 'the backend confirms nothing is pending');
    expect(introductions).to.have.length(1);
  });

  it('a pending request comes back with the welcome after a reload; Not now declines it for good', async () => {
    const anna = await it_.agent();
    const id = it_.uniqueId();
    const el = await it_.mount(id);
    await connected(el);
    const visitorId = await anna.visitorOf(id);
    anna.send({ type: 'request_contacts', visitorId });
    await waitUntil(() => el.store!.state.contactsRequest?.state === 'pending', 'the widget has the request');

    el.remove();
    // Without what this browser kept, only the backend's welcome can bring the request back.
    localStorage.removeItem(`jivo-widget:${id}:contactsRequest`);
    const again = await it_.mount(id);
    await connected(again);
    again.open();
    await settle(again);
    expect(formOf(again)?.reason).to.equal('request');
    buttonOf(again, 'Not now').click();
    await settle(again);
    expect(formOf(again)?.reason ?? null).to.equal(null);
    await waitUntil(
      () => anna.visitors.get(visitorId)?.contactsRequest?.state === 'declined',
      'the agent sees it declined',
      { timeout: 4000 },
    );

    again.remove();
    const third = await it_.mount(id);
    await connected(third);
    third.open();
    await settle(third);
    expect(formOf(third)?.reason ?? null).to.equal(null);
  });

  it('client attributes reach the agent, merged and whole, also when set before the connection', async () => {
    const anna = await it_.agent();
    const el = await it_.mount(it_.uniqueId());
    expect(el.setClientAttributes({ plan: 'gold', visits: 3 })).to.deep.equal({ result: 'ok' });
    await connected(el);
    const visitorId = await anna.visitorOf(el.widgetId!);
    await waitUntil(() => anna.visitors.get(visitorId)?.clientAttributes.plan === 'gold', 'the agent gets them', {
      timeout: 4000,
    });
    expect(window.jivo_api!.setClientAttributes({ plan: null, vip: true, visits: 4 })).to.deep.equal({ result: 'ok' });
    await waitUntil(() => anna.visitors.get(visitorId)?.clientAttributes.vip === true, 'and the change', {
      timeout: 4000,
    });
    expect(anna.visitors.get(visitorId)!.clientAttributes).to.deep.equal({ visits: 4, vip: true });
  });

  it('the backend refuses the 11th change in an hour even from a widget that lost its count', async () => {
    const anna = await it_.agent();
    const el = await it_.mount(it_.uniqueId());
    await connected(el);
    const visitorId = await anna.visitorOf(el.widgetId!);
    for (let i = 1; i <= 10; i++)
      expect(el.setClientAttributes({ step: i }), `call ${i}`).to.deep.equal({ result: 'ok' });
    await waitUntil(() => anna.visitors.get(visitorId)?.clientAttributes.step === 10, 'ten changes stored', {
      timeout: 4000,
    });
    expect(el.setClientAttributes({ step: 11 }).result, 'the widget counts').to.equal('fail');

    // A widget whose count is gone (storage cleared by hand): the backend still counts.
    localStorage.removeItem(`jivo-widget:${el.widgetId}:clientAttributeCalls`);
    const warn = sinon.stub(console, 'warn');
    expect(el.setClientAttributes({ step: 11 })).to.deep.equal({ result: 'ok' });
    await waitUntil(
      () => warn.args.some((args) => String(args[0]).includes('rate_limited')),
      'the backend refuses it',
      { timeout: 4000 },
    );
    await aTimeout(100);
    expect(anna.visitors.get(visitorId)!.clientAttributes).to.deep.equal({ step: 10 });
  });

  it('the agent console asks with its button, shows the request, then the contacts', async () => {
    await signIn(it_.info().agentUrl, 'Console Carol');
    const el = await it_.mount(it_.uniqueId());
    await connected(el);
    const console_ = await fixture<JivoAgentConsole>(
      html`<jivo-agent-console endpoint=${it_.info().agentUrl}></jivo-agent-console>`,
    );
    const root = console_.shadowRoot!;
    const button = (label: string) =>
      [...root.querySelectorAll('button')].find((b) => b.textContent!.trim().startsWith(label));
    await waitUntil(() => console_.store.state.connection === 'open', 'the console connects', { timeout: 4000 });
    button('Online')!.click();
    await waitUntil(() => console_.store.state.online, 'the console is online');
    await waitUntil(
      () => [...console_.store.state.chats.values()].some((c) => c.widgetId === el.widgetId),
      'the console sees the visitor',
    );
    const chat = [...console_.store.state.chats.values()].find((c) => c.widgetId === el.widgetId)!;
    await console_.updateComplete;
    [...root.querySelectorAll<HTMLButtonElement>('.chat-item')]
      .find((b) => b.textContent!.includes(`Visitor ${chat.number}`))!
      .click();
    await console_.updateComplete;
    button('Ask for contacts')!.click();

    await waitUntil(
      () => formOf(el) !== null || el.store!.state.contactsRequest !== null,
      'the widget gets the request',
      { timeout: 4000 },
    );
    await waitUntil(
      () => root.querySelector('.contacts-request')?.textContent?.includes('Contacts requested by Console Carol'),
      'the console says so',
    );
    expect(button('Ask for contacts')!.disabled, 'no second request while one waits').to.equal(true);

    el.open();
    await settle(el);
    field(el, 'name').value = 'Ann';
    field(el, 'name').dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
    field(el, 'phone').value = '+47 555 01 02';
    field(el, 'phone').dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
    buttonOf(el, 'Send my details').click();
    await waitUntil(
      () => root.querySelector('.contacts-request')?.textContent?.includes('gave their contacts'),
      'the console shows the answer',
      { timeout: 4000 },
    );
    const panel = root.querySelector('.visitor-panel')!.textContent!;
    expect(panel).to.contain('Ann').and.contain('+47 555 01 02');
    console_.remove();
  });
});
