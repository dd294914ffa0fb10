import { aTimeout, expect, fixtureCleanup, waitUntil } from '@open-wc/testing';
import sinon from 'sinon';
import type { JivoWidget } from '../../src/components/widget/widget.js';
import { LOCALES, resolveLocale, type Locale } from '../../src/i18n/languages.js';
import { de } from '../../src/i18n/launcher/de.js';
import { es } from '../../src/i18n/launcher/es.js';
import { ru } from '../../src/i18n/launcher/ru.js';
import { tr } from '../../src/i18n/launcher/tr.js';
import { CATALOG_TIMEOUT, loadCatalog } from '../../src/i18n/load-catalog.js';
import { LAUNCHER_WAIT } from '../../src/components/widget/controllers/language.js';
import { formatSize } from '../../src/i18n/strings.js';
import {
  chatWindow,
  clearStored,
  inWindow,
  launcherButton,
  mountWidget,
  openWindow,
  settled,
  uniqueId,
} from '../helpers/widget-page.js';

/**
 * The widget's language on a page: where it comes from, which chunk it fetches (only the page's language: each
 * catalogue is a module of its own), what happens when that chunk fails, and switching while the page is open.
 * The tests run in order in one page, whose module cache keeps each language once fetched.
 */

const PREFIX = 'lang-test';

// Every fetch of the page from here on (an observer, unlike the page's resource timing buffer, is never full).
const fetched: string[] = [];
new PerformanceObserver((list) => fetched.push(...list.getEntries().map((e) => e.name))).observe({ type: 'resource' });

/** The names of the language modules the page has fetched, English (built into the window) aside. */
const fetchedLanguages = () =>
  fetched
    .map((name) => /\/src\/i18n\/locales\/(\w+)\.[jt]s/.exec(name)?.[1])
    .filter((code): code is string => !!code && code !== 'en');

const windowTitle = (el: JivoWidget) => inWindow(el, '#title').textContent!.trim();

describe('the widget’s language', function () {
  this.timeout(15000);
  const page = document.documentElement;
  const pageLang = page.lang;

  afterEach(() => {
    sinon.restore();
    fixtureCleanup();
    clearStored(PREFIX);
    page.lang = pageLang;
    page.removeAttribute('dir');
    document.cookie = 'jivo-test-failing-language=; max-age=0; path=/';
    document.cookie = 'jivo-test-slow-language=; max-age=0; path=/';
  });

  it('speaks the page’s language at once in the launcher, and in the window, fetching only that language', async () => {
    expect(fetchedLanguages(), 'nothing fetched before').to.deep.equal([]);
    page.lang = 'de-AT';
    const el = await mountWidget(PREFIX);
    expect(launcherButton(el)!.textContent).to.contain(de.launcherText);
    await openWindow(el);
    const german = (await loadCatalog('de'))!;
    expect(windowTitle(el)).to.equal(german.windowTitle);
    expect(inWindow(el, 'jivo-composer').shadowRoot!.querySelector('textarea')!.placeholder).to.equal(
      german.composerPlaceholder,
    );
    expect(chatWindow(el)!.matches(':lang(de)'), 'the window is marked German').to.equal(true);
    const sent = el.store!.sendMessage('Hallo');
    await settled(el);
    const time = inWindow(el, 'jivo-message-list').shadowRoot!.querySelector('time')!.textContent;
    const inGerman = new Intl.DateTimeFormat('de', { hour: '2-digit', minute: '2-digit' }).format(sent.at);
    expect(time, 'the time as German writes it').to.equal(inGerman);
    expect(time).to.not.equal(new Intl.DateTimeFormat('en', { hour: '2-digit', minute: '2-digit' }).format(sent.at));
    await aTimeout(50);
    expect(fetchedLanguages()).to.deep.equal(['de']);
    await expect(el).to.be.accessible();
  });

  it('takes the lang attribute first, then the page’s, then the browser’s languages in order, then English', async () => {
    expect(resolveLocale('fr', 'de', 'es')).to.equal('fr');
    expect(resolveLocale('xx', 'de', 'es')).to.equal('de');
    expect(resolveLocale(undefined, '', 'xx-XX', 'pt-BR', 'es')).to.equal('pt');
    expect(resolveLocale('klingon', 'tlh')).to.equal('en');
    // Old Java and Android software says iw for Hebrew.
    expect(resolveLocale('iw-IL')).to.equal(LOCALES.includes('he' as Locale) ? 'he' : 'en');

    sinon.stub(Navigator.prototype, 'languages').get(() => ['xx-XX', 'es-MX', 'fr']);
    page.lang = 'zz';
    const el = await mountWidget(PREFIX);
    await waitUntil(() => el.store!.state.locale === 'es', 'the browser’s second language, es, is not spoken');
    await settled(el);
    expect(launcherButton(el)!.textContent).to.contain(es.launcherText);
    el.setAttribute('lang', 'ru');
    await waitUntil(() => launcherButton(el)?.textContent?.includes(ru.launcherText));
  });

  it('follows the lang attribute and the page’s lang while the page is open, window and all', async () => {
    page.lang = 'en';
    const el = await mountWidget(PREFIX);
    await openWindow(el);
    expect(windowTitle(el)).to.equal('Chat');
    const fr = (await loadCatalog('fr'))!;
    page.lang = 'fr';
    await waitUntil(() => windowTitle(el) === fr.windowTitle, 'the page’s new lang was not followed');
    expect(chatWindow(el)!.matches(':lang(fr)')).to.equal(true);
    el.setAttribute('lang', 'en');
    await waitUntil(() => windowTitle(el) === 'Chat', 'the element’s lang was not followed');
    el.removeAttribute('lang');
    await waitUntil(() => windowTitle(el) === fr.windowTitle, 'without its lang, the page’s again');
  });

  it('goes on in English, with a warning, when the language’s chunk fails', async () => {
    document.cookie = 'jivo-test-failing-language=it; path=/';
    const warn = sinon.spy(console, 'warn');
    page.lang = 'it';
    const el = await mountWidget(PREFIX);
    await waitUntil(
      () => warn.getCalls().some((c) => String(c.args[0]).includes('the it texts could not be loaded')),
      'no warning',
      { timeout: 5000 },
    );
    await settled(el);
    expect(el.store!.state.locale).to.equal('en');
    expect(launcherButton(el)!.textContent).to.contain('Chat with us');
    await openWindow(el);
    expect(windowTitle(el)).to.equal('Chat');
    expect(chatWindow(el)!.matches(':lang(en)')).to.equal(true);
  });

  it('shows no launcher in English while the language’s chunk is on its way, and English after a while', async () => {
    // The chunk carries the launcher's strings too: a Turkish page's launcher waits for it (answered after 4 s here).
    document.cookie = 'jivo-test-slow-language=tr; path=/';
    page.lang = 'tr';
    const started = performance.now();
    const el = await mountWidget(PREFIX);
    const seen = new Set<string>();
    const record = () => {
      const text = launcherButton(el)?.textContent?.trim();
      if (text) seen.add(`${text} @${Math.round((performance.now() - started) / 100) / 10} s`);
    };
    const watcher = setInterval(record, 20);
    try {
      await waitUntil(() => launcherButton(el)?.textContent?.includes('Chat with us'), 'no English meanwhile', {
        timeout: 5000,
      });
      const english = performance.now() - started;
      expect(english, 'English only after LAUNCHER_WAIT').to.be.at.least(LAUNCHER_WAIT - 100);
      await waitUntil(() => launcherButton(el)?.textContent?.includes(tr.launcherText), 'no Turkish once it came', {
        timeout: 5000,
      });
      record();
      // Before LAUNCHER_WAIT, nothing: the first text the launcher showed was English, from LAUNCHER_WAIT on.
      const first = [...seen][0];
      expect(first, [...seen].join(', ')).to.contain('Chat with us');
      expect(el.store!.state.locale).to.equal('tr');
    } finally {
      clearInterval(watcher);
    }
  });

  it('leaves no timer of its own when it leaves the page while its language is on its way', async () => {
    document.cookie = 'jivo-test-slow-language=pl; path=/';
    page.lang = 'pl';
    const set = sinon.spy(window, 'setTimeout');
    const clear = sinon.spy(window, 'clearTimeout');
    const el = document.createElement('jivo-widget');
    el.setAttribute('widget-id', uniqueId(PREFIX));
    document.body.append(el);
    await el.updateComplete;
    const wait = set.getCalls().find((c) => c.args[1] === LAUNCHER_WAIT);
    expect(wait, 'the launcher waits for Polish').to.not.equal(undefined);
    expect(launcherButton(el), 'no launcher in English meanwhile').to.equal(null);
    el.remove();
    expect(clear.getCalls().some((c) => c.args[0] === wait!.returnValue)).to.equal(true);
  });

  it('gives up on a language whose chunk takes longer than 10 s, with a warning, and tries again later', async () => {
    document.cookie = 'jivo-test-slow-language=pt; path=/';
    const warn = sinon.spy(console, 'warn');
    const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    // The widget's own warnings (a timer of another test's helper cleared under the fake clock warns too).
    const ours = () =>
      warn
        .getCalls()
        .map((c) => String(c.args[0]))
        .filter((m) => m.startsWith('jivo-widget:'));
    const loading = loadCatalog('pt');
    await clock.tickAsync(CATALOG_TIMEOUT - 1);
    expect(ours(), 'still waiting').to.deep.equal([]);
    await clock.tickAsync(1);
    expect(await loading).to.equal(null);
    expect(ours()).to.have.length(1);
    expect(ours()[0]).to.contain('the pt texts could not be loaded');
    clock.restore();
    document.cookie = 'jivo-test-slow-language=; max-age=0; path=/';
    const pt = await loadCatalog('pt');
    expect(pt?.windowTitle, 'once it answers, a new try has it').to.be.a('string');
  });

  it('writes file sizes with the language’s digits and units', () => {
    expect(formatSize('en', 512)).to.equal('512 bytes');
    expect(formatSize('en', 1536)).to.equal('2 kB');
    expect(formatSize('de', 1.5 * 1024 * 1024)).to.equal('1,5 MB');
    expect(formatSize('ru', 20 * 1024 * 1024)).to.equal('20 МБ');
  });
});
