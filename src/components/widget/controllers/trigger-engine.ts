import { map, skipWhile } from 'rxjs';
import { teamIn, withSite } from '../../../state/site-settings.js';
import type { StorageLike } from '../../../state/stored.js';
import type { WidgetStore } from '../../../state/store.js';
import { OPEN_VIEWS } from '../../../state/types.js';
import { TriggerEngine } from '../../../triggers/engine.js';
import type { TriggerAction, TriggerRule } from '../../../triggers/types.js';

export interface TriggerEngineOptions {
  rules: readonly TriggerRule[];
  /** Where the rules' bookkeeping is kept, and under which key. */
  storage: StorageLike;
  key: string;
  /** A backend connection runs: the rules wait for its first welcome. */
  backend: boolean;
  /** Rules that already fired in this page view. */
  fired: readonly string[];
  act: (action: TriggerAction) => void;
}

/**
 * A trigger engine judging the rules on the store's facts. Loaded with the window chunk: the launcher does not wait
 * for the engine.
 */
export function startTriggerEngine(store: WidgetStore, options: TriggerEngineOptions): TriggerEngine {
  const { storage, key, backend } = options;
  // The store's state and the site's (business hours).
  const facts = withSite(store);
  const engine = new TriggerEngine({
    teardown: facts.stop,
    facts$: facts.both$.pipe(
      skipWhile(([s]) => backend && s.connection !== 'open'),
      map(([s, site]) => ({
        agentsOnline: s.chatMode === 'online',
        businessHours: teamIn(site),
        windowOpen: OPEN_VIEWS.has(s.view),
        windowClosedAt: s.windowClosedAt,
        lastInvitationAt: s.invitation?.at ?? null,
        url: s.page?.url ?? location.href,
      })),
    ),
    storage: {
      get: () => JSON.parse(storage.getItem(key) ?? 'null'),
      set: (value) => storage.setItem(key, JSON.stringify(value)),
    },
    // Read at each call, so that a page (or a test) that swaps the clock is followed.
    now: () => Date.now(),
    pageStart: performance.timeOrigin,
    firedThisPageView: options.fired,
  });
  facts.start();
  engine.actions$.subscribe(({ actions }) => actions.forEach(options.act));
  engine.setRules(options.rules);
  return engine;
}
