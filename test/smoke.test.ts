import { expect, fixture, html } from '@open-wc/testing';
import '../src/jivo-widget.js';

describe('smoke', () => {
  it('renders', async () => {
    const el = await fixture(html`<jivo-widget widget-id="smoke"></jivo-widget>`);
    await expect(el).to.be.accessible();
    expect(el.shadowRoot!.querySelector('jivo-launcher')).to.exist;
  });
});
