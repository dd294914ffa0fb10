import { expect, fixture, html } from '@open-wc/testing';
import { loadedParts, loadParts, withParts } from '../../../src/components/widget/parts.js';

// The window chunk's arrival: what waited for it (restoring, connecting, the trigger rules) runs a step per task, so
// that none lengthens the chunk's own task, and the widget counts as loaded only once all of it has run.
describe('the window chunk’s arrival', () => {
  it('runs each waiting step in a task of its own, in order, and only then counts as loaded', async () => {
    const host = await fixture(html`<div></div>`);
    const seen: string[] = [];
    for (const step of ['restore', 'connect', 'triggers']) {
      withParts(
        host,
        () => true,
        () => {
          seen.push(`${step}${loadedParts() ? ' (loaded)' : ''}`);
          // A task queued by this step runs before the next step: the steps are tasks, not microtasks of one task.
          setTimeout(() => seen.push(`after ${step}`));
        },
      );
    }
    withParts(
      document.createElement('div'),
      () => true,
      () => seen.push('a host no longer on the page'),
    );
    expect(loadedParts(), 'nothing asked for the chunk yet').to.equal(undefined);
    const parts = await loadParts();
    expect(loadedParts()).to.equal(parts);
    expect(seen).to.deep.equal(['restore', 'after restore', 'connect', 'after connect', 'triggers', 'after triggers']);
    let now = false;
    withParts(
      host,
      () => true,
      () => (now = true),
    );
    expect(now, 'once loaded, at once').to.equal(true);
  });
});
