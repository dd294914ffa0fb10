import { expect, fixtureCleanup } from '@open-wc/testing';
import sinon from 'sinon';
import type { JivoTexts } from '../../src/i18n/texts.js';
import { clearStored, inWindow, launcherButton, mountWidget, openWindow, settled } from '../helpers/widget-page.js';

/** A site's own wording (the `texts` property and attribute), as the visitor sees it. */

const PREFIX = 'texts-test';

describe('the texts of a site', function () {
  this.timeout(15000);

  afterEach(() => {
    sinon.restore();
    fixtureCleanup();
    clearStored(PREFIX);
  });

  it('replace the launcher’s and the window’s strings, nested ones too, and follow a new value', async () => {
    const el = await mountWidget(PREFIX);
    el.texts = { launcherText: 'Questions?', windowTitle: 'Help desk', unread: { one: ', {count} new answer' } };
    await settled(el);
    expect(launcherButton(el)!.textContent).to.contain('Questions?');
    expect(launcherButton(el)!.getAttribute('aria-label')).to.equal('Questions?');
    el.store!.receiveMessage({ id: 'a1', from: 'agent', agentName: 'Ann', text: 'Hello', at: Date.now() });
    await settled(el);
    expect(launcherButton(el)!.getAttribute('aria-label'), 'a plural form').to.equal('Questions?, 1 new answer');
    await openWindow(el);
    expect(inWindow(el, '#title').textContent!.trim()).to.equal('Help desk');
    expect(inWindow(el, 'jivo-composer').shadowRoot!.querySelector('textarea')!.placeholder).to.equal(
      'Type a message…',
    );
    el.texts = { windowTitle: 'Support' };
    await settled(el);
    expect(inWindow(el, '#title').textContent!.trim()).to.equal('Support');
    await expect(el).to.be.accessible();
  });

  it('come as JSON in the attribute, over the language of the page', async () => {
    const el = await mountWidget(PREFIX, { lang: 'ru', texts: JSON.stringify({ launcherText: 'Вопросы?' }) });
    expect(launcherButton(el)!.textContent).to.contain('Вопросы?');
    el.setAttribute('texts', '{"launcherText": "Есть вопрос?"}');
    await settled(el);
    expect(launcherButton(el)!.textContent).to.contain('Есть вопрос?');
  });

  it('are text, never HTML, each cut at 500 characters', async () => {
    const el = await mountWidget(PREFIX);
    el.texts = { launcherText: '<img src=x onerror=alert(1)><b>Hi</b>', windowTitle: 'x'.repeat(800) };
    await settled(el);
    const button = launcherButton(el)!;
    expect(button.querySelector('img, b')).to.equal(null);
    expect(button.textContent).to.contain('<img src=x onerror=alert(1)><b>Hi</b>');
    await openWindow(el);
    expect(inWindow(el, '#title').textContent!.trim()).to.have.length(500);
  });

  it('ignore, with a warning, keys the widget does not know and values that are not strings', async () => {
    const warn = sinon.spy(console, 'warn');
    const el = await mountWidget(PREFIX);
    el.texts = { launcherTxt: 'typo', windowTitle: 42, send: 'Go' } as unknown as JivoTexts;
    await openWindow(el);
    expect(inWindow(el, '#title').textContent!.trim()).to.equal('Chat');
    const said = warn.getCalls().map((c) => String(c.args[0]));
    expect(said.join('\n')).to.contain('unknown key launcherTxt').and.contain('windowTitle is not a string');
    expect(
      inWindow(el, 'jivo-composer').shadowRoot!.querySelector('.send')!.getAttribute('aria-label'),
      'the rest still applies',
    ).to.equal('Go');
  });

  it('a texts attribute that is not JSON is ignored with a warning', async () => {
    const warn = sinon.spy(console, 'warn');
    const el = await mountWidget(PREFIX, { texts: '{launcherText: oops' });
    expect(launcherButton(el)!.textContent).to.contain('Chat with us');
    expect(
      warn
        .getCalls()
        .map((c) => String(c.args[0]))
        .join('\n'),
    ).to.contain('texts attribute is not a JSON object');
  });
});
