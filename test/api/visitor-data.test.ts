// @ts-nocheck -- the blocks between "verbatim" markers are the vendor document's JavaScript, copied character for
// character (the global `jivo_api`, untyped values), so parts of this file are JavaScript in a .ts file.
import { expect, fixture, fixtureCleanup, html, oneEvent, waitUntil } from '@open-wc/testing';
import sinon from 'sinon';
import '../../src/jivo-widget.js';

// The visitor-data half of jivo_api: setContactInfo/getContactInfo, setCustomData, setUserToken, sendPageTitle,
// getUtm. Good and bad input; bad input fails and changes nothing; the document's examples run verbatim.

let seq = 0;
const uniqueId = () => `vd-${Date.now().toString(36)}-${++seq}`;

async function mount(id = uniqueId()) {
  const wrapper = await fixture(html`<div></div>`);
  const el = document.createElement('jivo-widget');
  el.setAttribute('widget-id', id);
  const loaded = oneEvent(el, 'jivo-load');
  wrapper.append(el);
  await loaded;
  return el;
}

const stored = (el, key) => JSON.parse(localStorage.getItem(`jivo-widget:${el.widgetId}:${key}`));

describe('jivo_api: visitor data', () => {
  let log;
  beforeEach(() => {
    log = sinon.stub(console, 'log');
  });
  afterEach(() => {
    sinon.restore();
    fixtureCleanup();
    for (const key of Object.keys(localStorage)) if (key.startsWith('jivo-widget:vd-')) localStorage.removeItem(key);
  });

  describe('setContactInfo / getContactInfo', () => {
    it('the documented examples: set, then read back with client_name', async () => {
      await mount();
      // ---- verbatim: setContactInfo ----
      jivo_api.setContactInfo({
        name: 'John Smith',
        email: 'email@example.com',
        phone: '+14084987855',
        description: 'Description text',
      });
      // ---- verbatim: getContactInfo ----
      let apiResult = jivo_api.getContactInfo();
      console.log('Name: ', apiResult.client_name);
      console.log('Email: ', apiResult.email);
      console.log('Phone: ', apiResult.phone);
      console.log('Description: ', apiResult.description);
      // ---- end of verbatim ----
      expect(log.args).to.deep.equal([
        ['Name: ', 'John Smith'],
        ['Email: ', 'email@example.com'],
        ['Phone: ', '+14084987855'],
        ['Description: ', 'Description text'],
      ]);
    });

    it('null where unknown; a partial update keeps the other fields; kept across a reload', async () => {
      const el = await mount();
      expect(jivo_api.getContactInfo()).to.deep.equal({
        client_name: null,
        email: null,
        phone: null,
        description: null,
      });
      expect(jivo_api.setContactInfo({ name: '  Ann  ' })).to.deep.equal({ result: 'ok' });
      expect(jivo_api.setContactInfo({ phone: '+7 999 123-45-67' })).to.deep.equal({ result: 'ok' });
      expect(jivo_api.getContactInfo()).to.deep.equal({
        client_name: 'Ann',
        email: null,
        phone: '+7 999 123-45-67',
        description: null,
      });
      const id = el.widgetId;
      el.remove();
      await mount(id);
      expect(jivo_api.getContactInfo().client_name).to.equal('Ann');
    });

    it('bad input fails with a reason and changes nothing', async () => {
      await mount();
      jivo_api.setContactInfo({ name: 'Ann', email: 'ann@example.com' });
      const before = jivo_api.getContactInfo();
      for (const bad of [
        null,
        'Ann',
        42,
        { email: 'not an email' },
        { phone: 'call me' },
        { name: 7 },
        { name: 'x'.repeat(101) },
      ]) {
        const result = jivo_api.setContactInfo(bad);
        expect(result.result, JSON.stringify(bad)).to.equal('fail');
        expect(result.reason).to.be.a('string').and.not.be.empty;
      }
      expect(jivo_api.getContactInfo()).to.deep.equal(before);
    });

    it('markup in the contact details stays text', async () => {
      await mount();
      jivo_api.setContactInfo({ name: '<img src=x onerror=alert(1)>' });
      expect(jivo_api.getContactInfo().client_name).to.equal('<img src=x onerror=alert(1)>');
    });
  });

  describe('setCustomData', () => {
    it('the documented example is accepted; the placeholder links are dropped, the fields kept in order', async () => {
      const el = await mount();
      // ---- verbatim: setCustomData ----
      jivo_api.setCustomData([
        {
          content: 'User balance: $56',
        },
        {
          content: 'Open customer profile',
          link: '...',
        },
        {
          title: 'Actions',
          content: 'Add contact',
          link: '...',
        },
      ]);
      // ---- end of verbatim ----
      expect(el.store.state.customData).to.deep.equal([
        { content: 'User balance: $56' },
        { content: 'Open customer profile' },
        { content: 'Add contact', title: 'Actions' },
      ]);
    });

    it('keeps http and https links only, and markup as data', async () => {
      const el = await mount();
      const result = jivo_api.setCustomData([
        { content: '<b>VIP</b>', key: 'Plan', link: 'https://crm.example.com/c/1' },
        { content: 'x', link: 'javascript:alert(1)' },
        { content: 'y', link: 'data:text/html,<b>' },
        { content: 'z', link: 'http://crm.example.com/' },
      ]);
      expect(result).to.deep.equal({ result: 'ok' });
      expect(el.store.state.customData).to.deep.equal([
        { content: '<b>VIP</b>', key: 'Plan', link: 'https://crm.example.com/c/1' },
        { content: 'x' },
        { content: 'y' },
        { content: 'z', link: 'http://crm.example.com/' },
      ]);
      expect(stored(el, 'customData')).to.deep.equal(el.store.state.customData);
    });

    it('bad input fails and keeps the old fields', async () => {
      const el = await mount();
      jivo_api.setCustomData([{ content: 'kept' }]);
      const eleven = Array.from({ length: 11 }, (_, i) => ({ content: `f${i}` }));
      for (const bad of [
        null,
        'x',
        { content: 'x' },
        eleven,
        [null],
        [{ content: 5 }],
        [{}],
        [{ content: 'x'.repeat(1001) }],
      ]) {
        expect(jivo_api.setCustomData(bad).result, JSON.stringify(bad)?.slice(0, 40)).to.equal('fail');
      }
      expect(el.store.state.customData).to.deep.equal([{ content: 'kept' }]);
      // Each field within its limit, but together more than one frame to the backend can carry.
      const heavy = Array.from({ length: 10 }, () => ({ content: 'я'.repeat(1000) }));
      expect(jivo_api.setCustomData(heavy).reason).to.contain('bytes');
      expect(el.store.state.customData).to.deep.equal([{ content: 'kept' }]);
      expect(jivo_api.setCustomData([]), 'an empty list clears').to.deep.equal({ result: 'ok' });
      expect(el.store.state.customData).to.deep.equal([]);
    });
  });

  describe('setUserToken', () => {
    it('the documented example stores the token, never shown on the page', async () => {
      const el = await mount();
      const token = 'user-8f14e45fceea167a5a36dedd4bea2543';
      // ---- verbatim: setUserToken ----
      jivo_api.setUserToken(token);
      // ---- end of verbatim ----
      expect(el.store.state.userToken).to.equal(token);
      expect(stored(el, 'userToken')).to.equal(token);
      el.open();
      await el.updateComplete;
      expect(el.shadowRoot.innerHTML).to.not.contain(token);
    });

    it('bad input fails and keeps the token', async () => {
      const el = await mount();
      jivo_api.setUserToken('abc');
      for (const bad of [null, undefined, {}, ['a'], 'x'.repeat(257)])
        expect(jivo_api.setUserToken(bad).result).to.equal('fail');
      expect(el.store.state.userToken).to.equal('abc');
    });
  });

  describe('sendPageTitle', () => {
    it('the documented example reports the title and URL', async () => {
      const el = await mount();
      // ---- verbatim: sendPageTitle ----
      let title = 'This is custom page title';
      let url = 'https://site.com/url_to_page?q=params';

      jivo_api.sendPageTitle(title, true, url);
      // ---- end of verbatim ----
      expect(el.store.state.page).to.deep.equal({
        title: 'This is custom page title',
        url: 'https://site.com/url_to_page?q=params',
      });
    });

    it('a relative URL resolves against the page; no URL means the current one', async () => {
      const el = await mount();
      expect(jivo_api.sendPageTitle('Cart', true, '/cart?step=2')).to.deep.equal({ result: 'ok' });
      expect(el.store.state.page.url).to.equal(new URL('/cart?step=2', location.href).href);
      jivo_api.sendPageTitle('Home');
      expect(el.store.state.page).to.deep.equal({ title: 'Home', url: location.href });
    });

    it('bad input fails and keeps the page', async () => {
      const el = await mount();
      jivo_api.sendPageTitle('Home');
      const before = el.store.state.page;
      for (const [title, url] of [
        [null, undefined],
        [42, undefined],
        ['T', 'javascript:alert(1)'],
        ['T', 'http://[bad'],
        ['T', 42],
      ]) {
        expect(jivo_api.sendPageTitle(title, true, url).result, `${title} ${url}`).to.equal('fail');
      }
      expect(el.store.state.page).to.equal(before);
    });
  });

  describe('getUtm', () => {
    it('the documented example reads the first visit’s tags', async () => {
      const id = uniqueId();
      localStorage.setItem(
        `jivo-widget:${id}:utm`,
        JSON.stringify({ source: 'newsletter', medium: 'email', campaign: 'spring', content: 'banner-2', term: '' }),
      );
      await mount(id);
      // ---- verbatim: getUtm ----
      let utm = jivo_api.getUtm();

      console.log('Utm content: ', utm.content);
      console.log('Utm campaign: ', utm.campaign);
      console.log('Utm source: ', utm.source);
      console.log('Utm medium: ', utm.medium);
      console.log('Utm term: ', utm.term);
      // ---- end of verbatim ----
      expect(log.args).to.deep.equal([
        ['Utm content: ', 'banner-2'],
        ['Utm campaign: ', 'spring'],
        ['Utm source: ', 'newsletter'],
        ['Utm medium: ', 'email'],
        ['Utm term: ', null],
      ]);
    });

    it('is captured from the address of the first visit and kept on later visits', async () => {
      const id = uniqueId();
      const frame = document.createElement('iframe');
      frame.title = 'a visit';
      const visit = async (query: string) => {
        const loaded = new Promise((r) => frame.addEventListener('load', r, { once: true }));
        frame.src = `/test/fixtures/chat-tab.html?id=${id}&endpoint=&${query}`;
        if (!frame.isConnected) document.body.append(frame);
        await loaded;
        await waitUntil(
          () => frame.contentWindow.jivo_api && frame.contentDocument.querySelector('jivo-widget')?.store,
        );
        return frame.contentWindow.jivo_api.getUtm();
      };
      try {
        expect(await visit('utm_source=google&utm_medium=cpc&utm_campaign=kettles&utm_term=blue+kettle')).to.deep.equal(
          {
            source: 'google',
            medium: 'cpc',
            campaign: 'kettles',
            content: null,
            term: 'blue kettle',
          },
        );
        expect((await visit('utm_source=facebook')).source, 'a later visit does not replace the first').to.equal(
          'google',
        );
      } finally {
        frame.remove();
      }
    });
  });
});
