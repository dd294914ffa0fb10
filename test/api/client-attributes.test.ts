import { expect, fixture, fixtureCleanup, html, oneEvent, waitUntil } from '@open-wc/testing';
import sinon from 'sinon';
import '../../src/jivo-widget.js';
import type { JivoWidget } from '../../src/components/widget/widget.js';

// jivo_api.setClientAttributes: validated, merged, kept across reloads, and limited to 10 calls per rolling hour per
// visitor, counted in the browser's storage (so across tabs and reloads) and reset by clearHistory.

let seq = 0;
const uniqueId = () => `ca-${Date.now().toString(36)}-${++seq}`;
const api = () => window.jivo_api!;

async function mount(id = uniqueId()): Promise<JivoWidget> {
  const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
  const el = document.createElement('jivo-widget');
  el.setAttribute('widget-id', id);
  const loaded = oneEvent(el, 'jivo-load');
  wrapper.append(el);
  await loaded;
  return el;
}

const callsKey = (el: JivoWidget) => `jivo-widget:${el.widgetId}:clientAttributeCalls`;

describe('jivo_api.setClientAttributes', () => {
  afterEach(() => {
    sinon.restore();
    fixtureCleanup();
    for (const key of Object.keys(localStorage)) if (key.startsWith('jivo-widget:ca-')) localStorage.removeItem(key);
  });

  it("merges attributes into the visitor's, null deleting one, in the order first set", async () => {
    const el = await mount();
    expect(api().setClientAttributes({ plan: 'gold', visits: 3 })).to.deep.equal({ result: 'ok' });
    expect(api().setClientAttributes({ vip: true, visits: 4 })).to.deep.equal({ result: 'ok' });
    expect(api().setClientAttributes({ plan: null, missing: null })).to.deep.equal({ result: 'ok' });
    expect(el.store!.state.clientAttributes).to.deep.equal({ visits: 4, vip: true });
    // Markup is data: it is stored as given and rendered as text wherever it shows.
    expect(api().setClientAttributes({ note: '<img src=x onerror=alert(1)>' })).to.deep.equal({ result: 'ok' });
    expect(el.store!.state.clientAttributes!.note).to.equal('<img src=x onerror=alert(1)>');
  });

  it('bad input fails with a reason, changes nothing and is not counted', async () => {
    const el = await mount();
    api().setClientAttributes({ plan: 'gold' });
    const before = el.store!.state.clientAttributes;
    const hostile = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('boom');
        },
      },
    );
    const twenty = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, i]));
    const bad: unknown[] = [
      undefined,
      null,
      'plan=gold',
      ['gold'],
      new Date(),
      {},
      { '': 1 },
      { ['k'.repeat(65)]: 1 },
      { plan: 'x'.repeat(256) },
      { plan: NaN },
      { plan: {} },
      { plan: () => 'gold' },
      // 21 attributes at once, or 20 new ones on top of the one there is.
      { ...twenty, extra: 1 },
      twenty,
      hostile,
    ];
    for (const [i, value] of bad.entries()) {
      const result = api().setClientAttributes(value as Record<string, string>);
      expect(result.result, `bad value ${i}`).to.equal('fail');
      expect((result as { reason: string }).reason, `bad value ${i}`)
        .to.be.a('string')
        .and.match(/^setClientAttributes\(\)/);
    }
    expect(el.store!.state.clientAttributes).to.equal(before);
    expect(JSON.parse(localStorage.getItem(callsKey(el))!), 'only the good call counted').to.have.length(1);
    // Twenty is the most: deleting one makes room for another.
    expect(api().setClientAttributes({ ...Object.fromEntries(Object.entries(twenty).slice(0, 19)) })).to.deep.equal({
      result: 'ok',
    });
    expect(api().setClientAttributes({ k0: null, k19: 19 })).to.deep.equal({ result: 'ok' });
    expect(Object.keys(el.store!.state.clientAttributes!)).to.have.length(20);
  });

  it('the 11th call in an hour fails with a clear reason and changes nothing; an hour later calls work again', async () => {
    const clock = sinon.useFakeTimers({ now: Date.UTC(2025, 0, 1, 12), toFake: ['Date'] });
    const el = await mount();
    for (let i = 1; i <= 10; i++) {
      expect(api().setClientAttributes({ step: i }), `call ${i}`).to.deep.equal({ result: 'ok' });
      clock.tick(60_000);
    }
    const eleventh = api().setClientAttributes({ step: 11 });
    expect(eleventh.result).to.equal('fail');
    expect((eleventh as { reason: string }).reason).to.equal(
      'setClientAttributes() is limited to 10 calls per hour per visitor; try again in 50 min',
    );
    expect(el.store!.state.clientAttributes).to.deep.equal({ step: 10 });
    clock.tick(50 * 60_000);
    expect(api().setClientAttributes({ step: 11 })).to.deep.equal({ result: 'ok' });
    expect(api().setClientAttributes({ step: 12 }).result, 'the second call of the hour is still there').to.equal(
      'fail',
    );
  });

  it('counts across reloads and tabs (the same storage), keeps the attributes, and clearHistory resets both', async () => {
    const el = await mount();
    const id = el.widgetId!;
    for (let i = 1; i <= 6; i++) api().setClientAttributes({ step: i });
    el.remove();
    const reloaded = await mount(id);
    expect(reloaded.store!.state.clientAttributes, 'kept across a reload').to.deep.equal({ step: 6 });
    // Another tab of the site made three calls meanwhile: they count here too.
    const calls = JSON.parse(localStorage.getItem(callsKey(reloaded))!);
    localStorage.setItem(callsKey(reloaded), JSON.stringify([...calls, Date.now(), Date.now(), Date.now()]));
    expect(api().setClientAttributes({ step: 10 })).to.deep.equal({ result: 'ok' });
    expect(api().setClientAttributes({ step: 11 }).result).to.equal('fail');

    expect(api().clearHistory()).to.deep.equal({ result: 'ok' });
    expect(reloaded.store!.state.clientAttributes).to.equal(null);
    expect(localStorage.getItem(callsKey(reloaded))).to.equal(null);
    expect(api().setClientAttributes({ step: 1 })).to.deep.equal({ result: 'ok' });
  });

  it('tabs of the site share the attributes, the count, the contacts given and the skipped form', async function () {
    this.timeout(20000);
    const id = uniqueId();
    const openTab = async () => {
      const frame = document.createElement('iframe');
      frame.src = `/test/fixtures/chat-tab.html?id=${id}&endpoint=`;
      const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
      document.body.append(frame);
      await loaded;
      await waitUntil(
        () => (frame.contentWindow as Window & { widgetLoaded?: boolean }).widgetLoaded,
        'the tab’s widget has loaded (jivo_onLoadCallback)',
      );
      return [frame, frame.contentDocument!.querySelector('jivo-widget') as JivoWidget] as const;
    };
    const [frame1, tab1] = await openTab();
    const [frame2, tab2] = await openTab();
    try {
      expect(tab1.setClientAttributes({ plan: 'gold' })).to.deep.equal({ result: 'ok' });
      await waitUntil(() => tab2.store!.state.clientAttributes?.plan === 'gold', 'tab 2 takes the attributes in');
      // Tab 2 merges into what tab 1 set rather than writing its own older set back.
      expect(tab2.setClientAttributes({ visits: 2 })).to.deep.equal({ result: 'ok' });
      await waitUntil(() => tab1.store!.state.clientAttributes?.visits === 2, 'and tab 1 takes that in');
      expect(tab1.store!.state.clientAttributes).to.deep.equal({ plan: 'gold', visits: 2 });
      for (let i = 3; i <= 10; i++) expect(tab1.setClientAttributes({ visits: i }).result, `call ${i}`).to.equal('ok');
      expect(tab2.setClientAttributes({ visits: 11 }).result, 'the 11th call in either tab').to.equal('fail');

      tab2.contactsForm = 'optional';
      tab1.contactsForm = 'optional';
      tab1.store!.skipContactsForm();
      await waitUntil(() => tab2.store!.state.contactsSkipped, 'a skip in one tab holds in the other');
      tab1.store!.introduce({ name: 'Ann', email: 'ann@example.com', phone: '' });
      await waitUntil(
        () => tab2.getContactInfo().client_name === 'Ann',
        'contacts given in one tab are known in the other',
      );
    } finally {
      frame1.remove();
      frame2.remove();
    }
  });

  it('fails without a widget on the page, never throwing', async () => {
    const el = await mount();
    el.remove();
    const result = api().setClientAttributes({ plan: 'gold' });
    expect(result.result).to.equal('fail');
  });
});
