import { expect } from '@open-wc/testing';
import { BehaviorSubject } from 'rxjs';
import { map } from 'rxjs/operators';
import sinon from 'sinon';
import { WidgetStore } from '../../src/state/chat.js';
import { OPEN_VIEWS } from '../../src/state/types.js';
import { TriggerEngine } from '../../src/triggers/engine.js';
import { parseRules } from '../../src/triggers/parse.js';
import { memoryStorage } from '../../src/triggers/record.js';
import type { TriggerFacts, TriggerFiring, TriggerRule, TriggerStorage } from '../../src/triggers/types.js';
import { EXAMPLE_RULES } from '../fixtures/example-rules.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const DAY = 24 * 60 * MINUTE;

/** Rules from their JSON form, through the real parser. */
function rules(...list: unknown[]): readonly TriggerRule[] {
  const parsed = parseRules({ version: 1, rules: list });
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.rules;
}

/** A rule that fires after `seconds` on the page. */
const afterOnPage = (id: string, seconds: number, extra: object = {}) => ({
  id,
  match: 'all',
  conditions: [{ type: 'time_on_page', seconds }],
  actions: [{ type: 'show_invitation', text: `Hi from ${id}` }],
  ...extra,
});

describe('TriggerEngine', () => {
  let clock: sinon.SinonFakeTimers;
  /** 10:00 local time, so that local midnight is 14 hours away whatever the machine's time zone. */
  let start: number;
  const engines: TriggerEngine[] = [];

  beforeEach(() => {
    start = new Date(2024, 4, 15, 10, 0, 0).getTime();
    clock = sinon.useFakeTimers({ now: start });
  });

  afterEach(() => {
    engines.splice(0).forEach((e) => e.destroy());
    clock.restore();
  });

  /** One page view: an engine on the fake clock, fed facts through a subject, recording what fires. */
  function pageView(
    options: {
      facts?: Partial<TriggerFacts>;
      storage?: TriggerStorage;
      rules?: readonly TriggerRule[];
      pageStart?: number;
    } = {},
  ) {
    const facts$ = new BehaviorSubject<TriggerFacts>({
      agentsOnline: true,
      windowOpen: false,
      windowClosedAt: null,
      lastInvitationAt: null,
      url: 'https://shop.example/',
      ...options.facts,
    });
    let timersSet = 0;
    const engine = new TriggerEngine({
      facts$,
      now: () => clock.now,
      setTimeout: (callback, ms) => {
        timersSet++;
        return clock.setTimeout(callback, ms);
      },
      clearTimeout: clock.clearTimeout,
      storage: options.storage ?? memoryStorage(),
      pageStart: options.pageStart,
    });
    engines.push(engine);
    const firings: TriggerFiring[] = [];
    const fired: string[] = [];
    engine.actions$.subscribe((firing) => {
      firings.push(firing);
      fired.push(firing.ruleId);
    });
    if (options.rules) engine.setRules(options.rules);
    const set = (patch: Partial<TriggerFacts>) => facts$.next({ ...facts$.value, ...patch });
    return { engine, facts$, firings, fired, set, timersSet: () => timersSet };
  }

  describe('time on page and on site', () => {
    it('fires exactly when the time on page reaches the threshold, not a millisecond before', () => {
      const { fired, firings } = pageView({ rules: rules(afterOnPage('a', 30)) });
      clock.tick(30 * SECOND - 1);
      expect(fired).to.deep.equal([]);
      clock.tick(1);
      expect(fired).to.deep.equal(['a']);
      expect(firings[0]).to.deep.equal({
        ruleId: 'a',
        actions: [{ type: 'show_invitation', text: 'Hi from a', department: null }],
        at: start + 30 * SECOND,
      });
    });

    it('counts time on page from the page start, not from setRules', () => {
      const { engine, fired } = pageView({ pageStart: start - 20 * SECOND });
      engine.setRules(rules(afterOnPage('a', 30)));
      clock.tick(10 * SECOND - 1);
      expect(fired).to.deep.equal([]);
      clock.tick(1);
      expect(fired).to.deep.equal(['a']);
    });

    it('fires at once when the threshold has passed already, during setRules', () => {
      const { engine, fired } = pageView({ pageStart: start - MINUTE });
      engine.setRules(rules(afterOnPage('a', 30)));
      expect(fired).to.deep.equal(['a']);
      expect(clock.countTimers()).to.equal(0);
    });

    it('counts time on site from the first page view of the visit', () => {
      const storage = memoryStorage();
      const first = pageView({ storage });
      expect(first.engine.visitStart).to.equal(start);
      first.engine.destroy();
      clock.tick(60 * SECOND);
      const second = pageView({
        storage,
        rules: rules({
          id: 's',
          match: 'all',
          conditions: [{ type: 'time_on_site', seconds: 90 }],
          actions: [{ type: 'hide_widget' }],
        }),
      });
      expect(second.engine.visitStart, 'the visit goes on').to.equal(start);
      clock.tick(30 * SECOND - 1);
      expect(second.fired).to.deep.equal([]);
      clock.tick(1);
      expect(second.fired).to.deep.equal(['s']);
    });

    it('starts a new visit after 30 minutes without a page view', () => {
      const storage = memoryStorage();
      pageView({ storage }).engine.destroy();
      clock.tick(30 * MINUTE);
      const later = pageView({
        storage,
        rules: rules({
          id: 's',
          match: 'all',
          conditions: [{ type: 'time_on_site', seconds: 10 }],
          actions: [{ type: 'hide_widget' }],
        }),
      });
      expect(later.engine.visitStart).to.equal(start + 30 * MINUTE);
      clock.tick(10 * SECOND - 1);
      expect(later.fired).to.deep.equal([]);
      clock.tick(1);
      expect(later.fired).to.deep.equal(['s']);
    });
  });

  describe('any and all', () => {
    it('all: fires when the last of its conditions holds', () => {
      const both = {
        id: 'both',
        match: 'all',
        conditions: [
          { type: 'time_on_page', seconds: 10 },
          { type: 'time_on_page', seconds: 20 },
        ],
        actions: [{ type: 'hide_widget' }],
      };
      const { fired } = pageView({ rules: rules(both) });
      clock.tick(20 * SECOND - 1);
      expect(fired).to.deep.equal([]);
      clock.tick(1);
      expect(fired).to.deep.equal(['both']);
    });

    it('any: fires when the first of its conditions holds', () => {
      const either = {
        id: 'either',
        match: 'any',
        conditions: [
          { type: 'time_on_page', seconds: 20 },
          { type: 'time_on_page', seconds: 10 },
        ],
        actions: [{ type: 'hide_widget' }],
      };
      const { fired } = pageView({ rules: rules(either) });
      clock.tick(10 * SECOND - 1);
      expect(fired).to.deep.equal([]);
      clock.tick(1);
      expect(fired).to.deep.equal(['either']);
    });

    it('any: a fact that holds fires it before its time condition', () => {
      const either = {
        id: 'either',
        match: 'any',
        conditions: [
          { type: 'agents_online', value: true },
          { type: 'time_on_page', seconds: 60 },
        ],
        actions: [{ type: 'hide_widget' }],
      };
      const { fired, set } = pageView({ facts: { agentsOnline: false }, rules: rules(either) });
      clock.tick(5 * SECOND);
      expect(fired).to.deep.equal([]);
      set({ agentsOnline: true });
      expect(fired).to.deep.equal(['either']);
    });

    it('all: a fact that does not hold keeps it from firing at its time', () => {
      const both = {
        id: 'both',
        match: 'all',
        conditions: [
          { type: 'agents_online', value: true },
          { type: 'time_on_page', seconds: 10 },
        ],
        actions: [{ type: 'hide_widget' }],
      };
      const { fired } = pageView({ facts: { agentsOnline: false }, rules: rules(both) });
      clock.tick(DAY);
      expect(fired).to.deep.equal([]);
    });
  });

  describe('business hours', () => {
    it('business_hours: false fires outside hours only; a site without a schedule counts as within hours', () => {
      const closed = {
        id: 'closed',
        match: 'all',
        conditions: [{ type: 'business_hours', value: false }],
        actions: [{ type: 'open_offline_form' }],
      };
      const open = { ...closed, id: 'open', conditions: [{ type: 'business_hours', value: true }] };
      const unknown = pageView({ rules: rules(closed, open) });
      expect(unknown.fired, 'no schedule: within hours').to.deep.equal(['open']);
      const { fired, set } = pageView({ facts: { businessHours: true }, rules: rules(closed) });
      clock.tick(5 * SECOND);
      expect(fired).to.deep.equal([]);
      set({ businessHours: false });
      expect(fired).to.deep.equal(['closed']);
    });
  });

  describe('agents online', () => {
    it('reacts to agents coming online at once, and needs no timer while they are offline', () => {
      const rule = {
        id: 'online',
        match: 'all',
        conditions: [
          { type: 'agents_online', value: true },
          { type: 'time_on_page', seconds: 5 },
        ],
        actions: [{ type: 'hide_widget' }],
      };
      const { fired, set } = pageView({ facts: { agentsOnline: false }, rules: rules(rule) });
      expect(clock.countTimers(), 'nothing can fire while nobody is online').to.equal(0);
      clock.tick(10 * SECOND);
      expect(fired).to.deep.equal([]);
      set({ agentsOnline: true });
      expect(fired).to.deep.equal(['online']);
    });

    it('a rule for nobody online fires when the last agent goes offline', () => {
      const rule = {
        id: 'offline',
        match: 'all',
        conditions: [{ type: 'agents_online', value: false }],
        actions: [{ type: 'open_offline_form' }],
      };
      const { fired, set } = pageView({ rules: rules(rule) });
      expect(fired).to.deep.equal([]);
      set({ agentsOnline: false });
      expect(fired).to.deep.equal(['offline']);
    });

    it('a timer pending for a rule goes when the agents go offline, and comes back with them', () => {
      const rule = {
        id: 'online',
        match: 'all',
        conditions: [
          { type: 'agents_online', value: true },
          { type: 'time_on_page', seconds: 30 },
        ],
        actions: [{ type: 'hide_widget' }],
      };
      const { fired, set, engine } = pageView({ rules: rules(rule) });
      expect(engine.nextCheckAt).to.equal(start + 30 * SECOND);
      set({ agentsOnline: false });
      expect(clock.countTimers()).to.equal(0);
      clock.tick(40 * SECOND);
      expect(fired).to.deep.equal([]);
      set({ agentsOnline: true });
      expect(fired, 'the time condition holds by now').to.deep.equal(['online']);
    });
  });

  describe('page URL', () => {
    const urlRule = (operator: string, value: string) => ({
      id: 'url',
      match: 'all',
      conditions: [{ type: 'page_url', operator, value }],
      actions: [{ type: 'hide_widget' }],
    });
    const cases: Array<[string, string, string, boolean]> = [
      ['contains', '/cart', 'https://shop.example/cart?step=2', true],
      ['contains', '/cart', 'https://shop.example/Cart', false],
      ['equals', 'https://shop.example/a', 'https://shop.example/a', true],
      ['equals', 'https://shop.example/a', 'https://shop.example/a/', false],
      ['starts_with', 'https://shop.example/contacts', 'https://shop.example/contacts/berlin', true],
      ['starts_with', 'https://shop.example/contacts', 'https://evil.example/?https://shop.example/contacts', false],
      ['glob', 'https://shop.example/product/*', 'https://shop.example/product/42', true],
      ['glob', 'https://shop.example/product/*', 'https://shop.example/products', false],
      ['glob', '*/blog/*/comments', 'https://shop.example/blog/2024/05/comments', true],
      ['glob', '*/blog/*/comments', 'https://shop.example/blog/2024/comments/page2', false],
      ['glob', '*?utm_source=ads*', 'https://shop.example/?utm_source=ads&x=1', true],
      ['glob', 'https://shop.example/', 'https://shop.example/x', false],
    ];
    for (const [operator, pattern, url, matches] of cases) {
      it(`${operator} ${JSON.stringify(pattern)} ${matches ? 'matches' : 'does not match'} ${url}`, () => {
        const { fired } = pageView({ facts: { url }, rules: rules(urlRule(operator, pattern)) });
        expect(fired).to.deep.equal(matches ? ['url'] : []);
      });
    }

    it('fires when the URL changes to a matching one (single-page apps)', () => {
      const { fired, set } = pageView({ rules: rules(urlRule('contains', '/cart')) });
      expect(fired).to.deep.equal([]);
      set({ url: 'https://shop.example/cart' });
      expect(fired).to.deep.equal(['url']);
    });

    it('matches a worst-case glob against a long URL quickly', () => {
      const pattern = `*${'a*'.repeat(1000)}b`;
      const url = `https://shop.example/${'a'.repeat(2000)}`;
      const began = performance.now();
      const { fired } = pageView({ facts: { url }, rules: rules(urlRule('glob', pattern)) });
      expect(fired).to.deep.equal([]);
      expect(performance.now() - began).to.be.below(200);
    });
  });

  describe('time since the window was closed', () => {
    const rule = {
      id: 'closed',
      match: 'all',
      conditions: [{ type: 'since_window_closed', seconds: 60 }],
      actions: [{ type: 'hide_widget' }],
    };

    it('fires the given time after the window closed, and never while it is open', () => {
      const { fired, set } = pageView({ facts: { windowOpen: true }, rules: rules(rule) });
      expect(clock.countTimers(), 'no rule fires while the window is open').to.equal(0);
      clock.tick(5 * MINUTE);
      expect(fired).to.deep.equal([]);
      set({ windowOpen: false, windowClosedAt: clock.now });
      clock.tick(60 * SECOND - 1);
      expect(fired).to.deep.equal([]);
      clock.tick(1);
      expect(fired).to.deep.equal(['closed']);
    });

    it('holds at once when the window was never closed', () => {
      expect(pageView({ rules: rules(rule) }).fired).to.deep.equal(['closed']);
    });

    it('remembers the close from an earlier page view', () => {
      const storage = memoryStorage();
      pageView({ storage, facts: { windowClosedAt: start } }).engine.destroy();
      clock.tick(20 * SECOND);
      const next = pageView({ storage, rules: rules(rule) });
      clock.tick(40 * SECOND - 1);
      expect(next.fired).to.deep.equal([]);
      clock.tick(1);
      expect(next.fired).to.deep.equal(['closed']);
    });
  });

  describe('time since the last invitation', () => {
    const rule = (seconds: number) => ({
      id: 'again',
      match: 'all',
      conditions: [{ type: 'since_last_invitation', seconds }],
      actions: [{ type: 'show_invitation', text: 'Still there?' }],
    });

    it('fires the given time after the last invitation', () => {
      const { fired } = pageView({ facts: { lastInvitationAt: start - 10 * SECOND }, rules: rules(rule(60)) });
      clock.tick(50 * SECOND - 1);
      expect(fired).to.deep.equal([]);
      clock.tick(1);
      expect(fired).to.deep.equal(['again']);
    });

    it('waits again when a new invitation is shown meanwhile', () => {
      const { fired, set } = pageView({ facts: { lastInvitationAt: start }, rules: rules(rule(60)) });
      clock.tick(30 * SECOND);
      set({ lastInvitationAt: clock.now });
      clock.tick(59 * SECOND);
      expect(fired).to.deep.equal([]);
      clock.tick(SECOND);
      expect(fired).to.deep.equal(['again']);
    });

    it('remembers the invitation across page views, even when the widget no longer reports it', () => {
      const storage = memoryStorage();
      pageView({ storage, facts: { lastInvitationAt: start } }).engine.destroy();
      const next = pageView({ storage, facts: { lastInvitationAt: null }, rules: rules(rule(60)) });
      expect(next.fired).to.deep.equal([]);
      clock.tick(60 * SECOND);
      expect(next.fired).to.deep.equal(['again']);
    });

    it('waits 30 days through timers no longer than a browser takes (2^31-1 ms)', () => {
      const { fired, engine } = pageView({ facts: { lastInvitationAt: start }, rules: rules(rule(2_592_000)) });
      expect(engine.nextCheckAt).to.equal(start + 2 ** 31 - 1);
      clock.tick(30 * DAY - 1);
      expect(fired).to.deep.equal([]);
      expect(clock.countTimers()).to.equal(1);
      clock.tick(1);
      expect(fired).to.deep.equal(['again']);
    });
  });

  describe('once per page view, day and visit', () => {
    it('fires a rule once per page view, however often its conditions hold again', () => {
      const rule = {
        id: 'online',
        match: 'all',
        conditions: [{ type: 'agents_online', value: true }],
        actions: [{ type: 'hide_widget' }],
      };
      const { fired, set, engine } = pageView({ rules: rules(rule) });
      set({ agentsOnline: false });
      set({ agentsOnline: true });
      engine.setRules(rules(rule));
      expect(fired).to.deep.equal(['online']);
      expect(pageView({ rules: rules(rule) }).fired, 'a new page view fires it again').to.deep.equal(['online']);
    });

    it('an engine taking over on the same page (the widget was moved) does not repeat what fired', () => {
      const rule = rules(afterOnPage('a', 0), afterOnPage('b', 60));
      const first = pageView({ rules: rule });
      expect(first.fired).to.deep.equal(['a']);
      expect(first.engine.firedThisPageView).to.deep.equal(['a']);
      first.engine.destroy();
      const facts$ = new BehaviorSubject<TriggerFacts>({
        agentsOnline: true,
        windowOpen: false,
        windowClosedAt: null,
        lastInvitationAt: null,
        url: '',
      });
      const second = new TriggerEngine({
        facts$,
        now: () => clock.now,
        setTimeout: clock.setTimeout,
        clearTimeout: clock.clearTimeout,
        pageStart: first.engine.pageStart,
        firedThisPageView: first.engine.firedThisPageView,
      });
      engines.push(second);
      const fired: string[] = [];
      second.actions$.subscribe((f) => fired.push(f.ruleId));
      second.setRules(rule);
      expect(fired).to.deep.equal([]);
      clock.tick(60 * SECOND);
      expect(fired).to.deep.equal(['b']);
    });

    it('once_per_day: not again the same day in the next page view, again the next day', () => {
      const storage = memoryStorage();
      const rule = rules(afterOnPage('daily', 10, { once_per_day: true }));
      const first = pageView({ storage, rules: rule });
      clock.tick(10 * SECOND);
      expect(first.fired).to.deep.equal(['daily']);
      first.engine.destroy();

      clock.tick(2 * 60 * MINUTE);
      const sameDay = pageView({ storage, rules: rule });
      clock.tick(MINUTE);
      expect(sameDay.fired).to.deep.equal([]);
      sameDay.engine.destroy();

      clock.setSystemTime(new Date(2024, 4, 16, 9, 0, 0));
      const nextDay = pageView({ storage, rules: rule });
      clock.tick(10 * SECOND);
      expect(nextDay.fired).to.deep.equal(['daily']);
    });

    it('once_per_day: a page view that spans midnight fires it from midnight, with one timer until then', () => {
      const storage = memoryStorage();
      const rule = rules(afterOnPage('daily', 0, { once_per_day: true }));
      expect(pageView({ storage, rules: rule }).fired).to.deep.equal(['daily']);
      const later = pageView({ storage, rules: rule });
      const midnight = new Date(2024, 4, 16).getTime();
      expect(later.fired).to.deep.equal([]);
      expect(later.engine.nextCheckAt).to.equal(midnight);
      expect(clock.countTimers()).to.equal(1);
      clock.tick(midnight - clock.now - 1);
      expect(later.fired).to.deep.equal([]);
      clock.tick(1);
      expect(later.fired).to.deep.equal(['daily']);
    });

    it('once_per_day: two tabs open at once fire it in one of them only', () => {
      const storage = memoryStorage();
      const rule = rules(afterOnPage('daily', 10, { once_per_day: true }));
      const tabA = pageView({ storage, rules: rule });
      const tabB = pageView({ storage, rules: rule });
      clock.tick(10 * SECOND);
      expect([...tabA.fired, ...tabB.fired]).to.deep.equal(['daily']);
    });

    it('once_per_session: not again in the visit, again in the next visit', () => {
      const storage = memoryStorage();
      const rule = rules(afterOnPage('visit', 0, { once_per_session: true }));
      expect(pageView({ storage, rules: rule }).fired).to.deep.equal(['visit']);
      clock.tick(10 * MINUTE);
      const sameVisit = pageView({ storage, rules: rule });
      expect(sameVisit.fired).to.deep.equal([]);
      expect(clock.countTimers(), 'nothing to wait for in this visit').to.equal(0);
      clock.tick(31 * MINUTE);
      expect(pageView({ storage, rules: rule }).fired).to.deep.equal(['visit']);
    });

    it('without limits a rule fires again in the next page view of the same visit', () => {
      const storage = memoryStorage();
      const rule = rules(afterOnPage('every', 0));
      expect(pageView({ storage, rules: rule }).fired).to.deep.equal(['every']);
      expect(pageView({ storage, rules: rule }).fired).to.deep.equal(['every']);
    });
  });

  describe('timers', () => {
    it('keeps exactly one timer while waiting, for the earliest pending rule', () => {
      const { fired, engine } = pageView({
        rules: rules(afterOnPage('c', 30), afterOnPage('a', 10), afterOnPage('b', 20)),
      });
      expect(clock.countTimers()).to.equal(1);
      expect(engine.nextCheckAt).to.equal(start + 10 * SECOND);
      clock.tick(10 * SECOND);
      expect(fired).to.deep.equal(['a']);
      expect(clock.countTimers()).to.equal(1);
      expect(engine.nextCheckAt).to.equal(start + 20 * SECOND);
      clock.tick(10 * SECOND);
      expect(fired).to.deep.equal(['a', 'b']);
      expect(clock.countTimers()).to.equal(1);
      clock.tick(10 * SECOND);
      expect(fired).to.deep.equal(['a', 'b', 'c']);
      expect(clock.countTimers(), 'nothing left to fire').to.equal(0);
      expect(engine.nextCheckAt).to.equal(null);
    });

    it('keeps no timer when nothing can fire without a fact changing', () => {
      const { engine } = pageView({
        facts: { agentsOnline: false },
        rules: rules(
          {
            id: 'needs-agent',
            match: 'all',
            conditions: [
              { type: 'agents_online', value: true },
              { type: 'time_on_page', seconds: 5 },
            ],
            actions: [{ type: 'hide_widget' }],
          },
          afterOnPage('off', 5, { enabled: false }),
          {
            id: 'url',
            match: 'any',
            conditions: [{ type: 'page_url', operator: 'contains', value: '/never' }],
            actions: [{ type: 'hide_widget' }],
          },
        ),
      });
      expect(clock.countTimers()).to.equal(0);
      expect(engine.nextCheckAt).to.equal(null);
    });

    it('keeps no timer while the window is open, and re-arms when it closes', () => {
      const { set, fired } = pageView({ facts: { windowOpen: true }, rules: rules(afterOnPage('a', 10)) });
      expect(clock.countTimers()).to.equal(0);
      set({ windowOpen: false, windowClosedAt: clock.now });
      expect(clock.countTimers()).to.equal(1);
      clock.tick(10 * SECOND);
      expect(fired).to.deep.equal(['a']);
    });

    it('setRules replaces the rules and cancels the old rules’ timer', () => {
      const { engine, fired } = pageView({ rules: rules(afterOnPage('old', 10)) });
      expect(clock.countTimers()).to.equal(1);
      engine.setRules(rules(afterOnPage('new', 20)));
      expect(clock.countTimers()).to.equal(1);
      expect(engine.nextCheckAt).to.equal(start + 20 * SECOND);
      clock.tick(20 * SECOND - 1);
      expect(fired, 'the old rule is gone').to.deep.equal([]);
      clock.tick(1);
      expect(fired).to.deep.equal(['new']);
    });

    it('setRules with rules that cannot fire, or none, leaves no timer', () => {
      const { engine, fired } = pageView({ rules: rules(afterOnPage('old', 10)) });
      engine.setRules(
        rules({
          id: 'x',
          match: 'all',
          conditions: [{ type: 'agents_online', value: false }],
          actions: [{ type: 'hide_widget' }],
        }),
      );
      expect(clock.countTimers()).to.equal(0);
      engine.setRules(rules(afterOnPage('old', 10)));
      expect(clock.countTimers()).to.equal(1);
      engine.setRules([]);
      expect(clock.countTimers()).to.equal(0);
      clock.tick(MINUTE);
      expect(fired).to.deep.equal([]);
    });

    it('repeated facts neither re-arm the timer nor write the storage', () => {
      const storage = memoryStorage();
      const write = sinon.spy(storage, 'set');
      const { set, timersSet } = pageView({ storage, rules: rules(afterOnPage('a', 10)) });
      expect(timersSet()).to.equal(1);
      const writes = write.callCount;
      set({});
      set({ url: 'https://shop.example/' });
      expect(write.callCount, 'the same facts again are not evaluated').to.equal(writes);
      set({ agentsOnline: false });
      set({ agentsOnline: true });
      expect(timersSet(), 'an unchanged earliest moment keeps its timer').to.equal(1);
      expect(clock.countTimers()).to.equal(1);
    });

    it('destroy cancels the timer, stops listening and completes actions$', () => {
      const { engine, fired, set } = pageView({
        rules: rules(afterOnPage('a', 10), {
          id: 'b',
          match: 'all',
          conditions: [{ type: 'agents_online', value: false }],
          actions: [{ type: 'hide_widget' }],
        }),
      });
      let completed = false;
      engine.actions$.subscribe({ complete: () => (completed = true) });
      expect(clock.countTimers()).to.equal(1);
      engine.destroy();
      expect(clock.countTimers()).to.equal(0);
      expect(completed).to.equal(true);
      clock.tick(MINUTE);
      set({ agentsOnline: false });
      engine.setRules(rules(afterOnPage('c', 0)));
      expect(fired).to.deep.equal([]);
      expect(clock.countTimers()).to.equal(0);
    });
  });

  describe('acting on firings', () => {
    it('a firing that opens the window holds back the next rule until it closes', () => {
      const { engine, fired, set } = pageView();
      engine.actions$.subscribe(() => set({ windowOpen: true, lastInvitationAt: clock.now }));
      engine.setRules(rules(afterOnPage('first', 0), afterOnPage('second', 0)));
      expect(fired).to.deep.equal(['first']);
      set({ windowOpen: false, windowClosedAt: clock.now });
      expect(fired).to.deep.equal(['first', 'second']);
    });

    it('with facts from the real store, which defers changes made while it emits, a second invitation waits for the window', () => {
      const store = new WidgetStore({ now: () => clock.now });
      const facts$ = store.state$.pipe(
        map((s) => ({
          agentsOnline: s.chatMode === 'online',
          windowOpen: OPEN_VIEWS.has(s.view),
          windowClosedAt: null,
          lastInvitationAt: s.invitation?.at ?? null,
          url: 'https://shop.example/',
        })),
      );
      const engine = new TriggerEngine({
        facts$,
        now: () => clock.now,
        setTimeout: clock.setTimeout,
        clearTimeout: clock.clearTimeout,
      });
      engines.push(engine);
      const fired: string[] = [];
      engine.actions$.subscribe(({ ruleId, actions }) => {
        fired.push(ruleId);
        for (const action of actions)
          if (action.type === 'show_invitation') store.showInvitation(action.text, action.department);
      });
      const invite = (id: string) => ({
        id,
        match: 'all',
        conditions: [{ type: 'agents_online', value: true }],
        actions: [{ type: 'show_invitation', text: `Hi from ${id}` }],
      });
      engine.setRules(rules(invite('first'), invite('second')));
      expect(fired).to.deep.equal([]);
      // The engine fires while the store is emitting this change; the invitation's own change comes after that round.
      store.setChatMode('online');
      clock.tick(10);
      expect(fired).to.deep.equal(['first']);
      expect(store.state.invitation?.text).to.equal('Hi from first');
      expect(clock.countTimers(), 'nothing can fire while the invitation is open').to.equal(0);
      store.minimize();
      clock.tick(10);
      expect(fired).to.deep.equal(['first', 'second']);
      expect(store.state.invitation?.text).to.equal('Hi from second');
      store.destroy();
    });

    it('two rules ready at once without the facts changing both fire, the second right after the current task', () => {
      const { engine, fired } = pageView();
      engine.setRules(rules(afterOnPage('first', 0), afterOnPage('second', 0)));
      expect(fired).to.deep.equal(['first']);
      expect(clock.countTimers()).to.equal(1);
      clock.tick(0);
      expect(fired).to.deep.equal(['first', 'second']);
      expect(clock.countTimers()).to.equal(0);
    });

    it('a subscriber that destroys the engine while it fires stops the rest', () => {
      const { engine, fired } = pageView();
      engine.actions$.subscribe(() => engine.destroy());
      engine.setRules(rules(afterOnPage('first', 0), afterOnPage('second', 0)));
      expect(fired).to.deep.equal(['first']);
      expect(clock.countTimers()).to.equal(0);
    });

    it('runs the documented example: cart-help invites after 30 s on the cart with an agent online', () => {
      const parsed = parseRules(EXAMPLE_RULES);
      if (!parsed.ok) throw new Error(parsed.reason);
      const { fired, firings } = pageView({ facts: { url: 'https://shop.example/cart' }, rules: parsed.rules });
      clock.tick(30 * SECOND - 1);
      expect(fired).to.deep.equal([]);
      clock.tick(1);
      expect(fired).to.deep.equal(['cart-help']);
      expect(firings[0].actions).to.deep.equal([
        { type: 'show_invitation', text: "Questions about your order? We're here to help.", department: '3' },
      ]);
    });
  });

  describe('facts', () => {
    it('reads malformed facts as unknown, and goes on listening', () => {
      const rule = rules({
        id: 'online',
        match: 'all',
        conditions: [{ type: 'agents_online', value: true }],
        actions: [{ type: 'hide_widget' }],
      });
      const { facts$, fired, set } = pageView({ facts: { agentsOnline: false }, rules: rule });
      facts$.next(null as unknown as TriggerFacts);
      facts$.next({
        agentsOnline: 'yes',
        windowOpen: 1,
        windowClosedAt: NaN,
        lastInvitationAt: 'x',
        url: 5,
      } as unknown as TriggerFacts);
      expect(fired).to.deep.equal([]);
      set({ agentsOnline: true, windowOpen: false, windowClosedAt: null, lastInvitationAt: null, url: '' });
      expect(fired).to.deep.equal(['online']);
    });
  });

  describe('storage', () => {
    it('survives a storage that throws or holds junk', () => {
      const broken: TriggerStorage = {
        get: () => {
          throw new Error('SecurityError');
        },
        set: () => {
          throw new Error('QuotaExceededError');
        },
      };
      const { fired } = pageView({ storage: broken, rules: rules(afterOnPage('a', 1, { once_per_day: true })) });
      clock.tick(SECOND);
      expect(fired).to.deep.equal(['a']);
      const junk = memoryStorage();
      junk.set({ v: 1, visit: { start: 'x' }, daily: [['a', 5], 'b'], closedAt: 'soon' });
      const second = pageView({ storage: junk, rules: rules(afterOnPage('a', 0, { once_per_day: true })) });
      expect(second.fired).to.deep.equal(['a']);
    });

    it('keeps only what still matters: today’s once-per-day entries', () => {
      const storage = memoryStorage();
      pageView({ storage, rules: rules(afterOnPage('a', 0, { once_per_day: true })) }).engine.destroy();
      expect(JSON.parse(storage.json!).daily).to.deep.equal([['a', '2024-05-15']]);
      clock.setSystemTime(new Date(2024, 4, 16, 9, 0, 0));
      pageView({ storage, rules: rules(afterOnPage('b', 0, { once_per_day: true })) }).engine.destroy();
      expect(JSON.parse(storage.json!).daily).to.deep.equal([['b', '2024-05-16']]);
    });

    it('a rule id such as __proto__ is bookkept like any other', () => {
      const storage = memoryStorage();
      const rule = rules(afterOnPage('__proto__', 0, { once_per_day: true }));
      expect(pageView({ storage, rules: rule }).fired).to.deep.equal(['__proto__']);
      expect(pageView({ storage, rules: rule }).fired).to.deep.equal([]);
    });
  });
});
