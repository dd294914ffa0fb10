import { aTimeout, expect, fixtureCleanup } from '@open-wc/testing';
import '../../../src/jivo-widget.js';
import type { JivoWidget } from '../../../src/components/widget/widget.js';
import { startAccessibility } from '../../../src/components/widget/controllers/accessibility.js';
import { alertsOf } from '../../../src/state/alerts.js';
import { clearStored, mountWidget, settled } from '../../helpers/widget-page.js';
import { createStore } from '../../helpers/store-provider.js';

// How the widget's start is cut into tasks, so that none of them holds up the page for long: what runs in the task
// that asked for it, and what waits for a task of its own.

const PREFIX = 'start-tasks';

/** Runs the microtasks queued so far, and those they queue, without letting a task run. */
async function drainMicrotasks(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

describe('the widget’s start, task by task', () => {
  afterEach(() => {
    fixtureCleanup();
    clearStored(PREFIX);
  });

  it('renders its launcher in a task after the one that put it on the page', async () => {
    const el = document.createElement('jivo-widget') as JivoWidget;
    el.setAttribute('widget-id', `${PREFIX}-launcher`);
    document.body.append(el);
    try {
      await drainMicrotasks();
      expect(el.shadowRoot?.querySelector('jivo-launcher') ?? null, 'rendered within the task that added it').to.equal(
        null,
      );
      await el.updateComplete;
      expect(el.shadowRoot!.querySelector('jivo-launcher'), 'rendered once that task is over').to.exist;
    } finally {
      el.remove();
    }
  });

  it('starts focus, status and notifications each in a task of its own, and a stop before then starts none', async () => {
    const el = await mountWidget(PREFIX);
    await settled(el);

    const store = createStore();
    const started = startAccessibility(el, store);
    await drainMicrotasks();
    expect(alertsOf(store).onToggle, 'notifications started within the caller’s task').to.equal(undefined);
    await started.started;
    expect(alertsOf(store).onToggle, 'notifications once started').to.be.a('function');
    started.stop();

    const other = createStore();
    startAccessibility(el, other).stop();
    await aTimeout(50);
    expect(alertsOf(other).onToggle, 'started after it was stopped').to.equal(undefined);
  });
});
