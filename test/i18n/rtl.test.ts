import { expect, fixtureCleanup, waitUntil } from '@open-wc/testing';
import type { JivoWidget } from '../../src/components/widget/widget.js';
import {
  chatWindow,
  clearStored,
  inWindow,
  launcherButton,
  mountWidget,
  openWindow,
  settled,
} from '../helpers/widget-page.js';

/**
 * Right to left: the whole widget mirrors, measured as the visitor sees it. The launcher and the window go to the
 * other corner, the composer's controls swap sides, the send and leave icons point the other way, and each message
 * and name takes the direction of its own text.
 */

const PREFIX = 'rtl-test';
const middle = () => window.innerWidth / 2;

const composerPart = (el: JivoWidget, selector: string) =>
  inWindow(el, 'jivo-composer').shadowRoot!.querySelector(selector)!;

describe('right to left', function () {
  this.timeout(15000);
  const page = document.documentElement;

  afterEach(() => {
    fixtureCleanup();
    clearStored(PREFIX);
    page.removeAttribute('dir');
  });

  it('left to right: the launcher and the window are at the right, the send button after the input', async () => {
    const el = await mountWidget(PREFIX);
    expect(launcherButton(el)!.getBoundingClientRect().left).to.be.above(middle());
    await openWindow(el);
    expect(chatWindow(el)!.getBoundingClientRect().left).to.be.above(middle());
    const input = composerPart(el, 'textarea').getBoundingClientRect();
    const send = composerPart(el, '.send').getBoundingClientRect();
    expect(send.left).to.be.at.least(input.right - 1);
  });

  it('dir="rtl" on the element mirrors it: the launcher and the window at the left, the send button before', async () => {
    const el = await mountWidget(PREFIX, { dir: 'rtl' });
    const launcher = launcherButton(el)!.getBoundingClientRect();
    expect(launcher.right).to.be.below(middle());
    expect(launcher.left, 'as far from the left edge as it was from the right').to.be.within(19, 21);
    await expect(el).to.be.accessible();
    await openWindow(el);
    expect(chatWindow(el)!.getBoundingClientRect().right).to.be.below(middle());
    const input = composerPart(el, 'textarea').getBoundingClientRect();
    const send = composerPart(el, '.send').getBoundingClientRect();
    expect(send.right, 'the send button is at the left of the input').to.be.at.most(input.left + 1);
    expect(getComputedStyle(composerPart(el, '.send svg')).transform, 'its arrow points left').to.equal(
      'matrix(-1, 0, 0, 1, 0, 0)',
    );
    await expect(el).to.be.accessible();
  });

  for (const lang of ['ar', 'he']) {
    it(`${lang} mirrors it, the window too, and axe finds nothing`, async () => {
      const el = await mountWidget(PREFIX, { lang });
      await waitUntil(() => el.store!.state.locale === lang && !el.store!.state.catalogLoading, `${lang} not spoken`);
      await settled(el);
      expect(el.shadowRoot!.querySelector('.root')!.getAttribute('dir')).to.equal('rtl');
      expect(launcherButton(el)!.getBoundingClientRect().right).to.be.below(middle());
      await expect(el).to.be.accessible();
      await openWindow(el);
      expect(chatWindow(el)!.getBoundingClientRect().right).to.be.below(middle());
      expect(chatWindow(el)!.matches(`:lang(${lang})`)).to.equal(true);
      await expect(el).to.be.accessible();
    });
  }

  it('a page with dir="rtl" mirrors it, and position="left" is then the right corner', async () => {
    page.dir = 'rtl';
    const el = await mountWidget(PREFIX);
    expect(el.shadowRoot!.querySelector('.root')!.getAttribute('dir')).to.equal('rtl');
    expect(launcherButton(el)!.getBoundingClientRect().right).to.be.below(middle());
    el.setAttribute('position', 'left');
    await settled(el);
    expect(launcherButton(el)!.getBoundingClientRect().left).to.be.above(middle());
    page.dir = 'ltr';
    await waitUntil(
      () => !el.shadowRoot!.querySelector('.root')!.hasAttribute('dir'),
      'the page’s change not followed',
    );
    await settled(el);
    expect(launcherButton(el)!.getBoundingClientRect().right, 'left again').to.be.below(middle());
  });

  it('each message and each name takes the direction of its own text', async () => {
    const el = await mountWidget(PREFIX, { dir: 'rtl' });
    await openWindow(el);
    el.store!.sendMessage('Hello, is anyone there?');
    el.store!.receiveMessage({
      id: 'a1',
      from: 'agent',
      agentName: 'דנה',
      text: 'שלום, איך אפשר לעזור?',
      at: Date.now(),
    });
    await settled(el);
    const list = inWindow(el, 'jivo-message-list').shadowRoot!;
    const bubbles = [...list.querySelectorAll('.bubble')];
    expect(bubbles).to.have.length(2);
    for (const bubble of bubbles) expect(bubble.getAttribute('dir')).to.equal('auto');
    expect(getComputedStyle(bubbles[0]).direction, 'English reads left to right').to.equal('ltr');
    expect(getComputedStyle(bubbles[1]).direction).to.equal('rtl');
    expect(list.querySelector('.author')!.getAttribute('dir')).to.equal('auto');
    await expect(el).to.be.accessible();
  });
});
