import { Subject, type Observable, type Subscription } from 'rxjs';
import { distinctUntilChanged, map } from 'rxjs/operators';
import { isTime } from '../model/guards.js';
import { localCalendar } from './calendar.js';
import { loadRecord, memoryStorage, saveRecord, type TriggerRecord } from './record.js';
import type {
  TriggerCalendar,
  TriggerCondition,
  TriggerFacts,
  TriggerFiring,
  TriggerRule,
  TriggerStorage,
} from './types.js';
import { matchUrl } from './url-pattern.js';

/** A visit ends when no page of it was seen for this long (as web analytics count visits). */
export const DEFAULT_VISIT_TIMEOUT = 30 * 60 * 1000;

/** The longest delay a browser's setTimeout takes as given (2^31 - 1 ms, about 24.8 days); longer ones fire at once. */
const MAX_TIMER_DELAY = 2 ** 31 - 1;

export interface TriggerEngineOptions {
  /** What the engine knows about the widget and the page; it evaluates on every change and keeps the latest. */
  readonly facts$: Observable<TriggerFacts>;
  /** Milliseconds since the epoch. Default `Date.now`. */
  readonly now?: () => number;
  /** The timer functions. Default the global ones; tests pass a fake clock's. Called without a receiver. */
  readonly setTimeout?: (callback: () => void, ms: number) => unknown;
  readonly clearTimeout?: (handle: never) => void;
  /** Bookkeeping kept between page views (visit start, once-per-day and once-per-session firings). Default in memory. */
  readonly storage?: TriggerStorage;
  /** When this page view started (for `time_on_page`), e.g. `performance.timeOrigin`. Default `now()` at construction. */
  readonly pageStart?: number;
  /** How long without a page view ends a visit, ms. Default 30 minutes. */
  readonly visitTimeout?: number;
  /** Calendar days for `once_per_day`. Default the runtime's (the visitor's) time zone. */
  readonly calendar?: TriggerCalendar;
  /**
   * Ids of rules that already fired in this page view, for an engine that takes over from an earlier one on the same
   * page (the widget was moved in the DOM: disconnected, then connected again). See `firedThisPageView`.
   */
  readonly firedThisPageView?: Iterable<string>;
  /** Called once on `destroy()`: whatever feeds `facts$` may stop. */
  readonly teardown?: () => void;
}

/** The facts as the engine trusts them: a wrong type reads as "unknown" (false, never, no URL). */
function cleanFacts(facts: TriggerFacts | null | undefined): TriggerFacts {
  return {
    agentsOnline: facts?.agentsOnline === true,
    businessHours: facts?.businessHours !== false,
    windowOpen: facts?.windowOpen === true,
    windowClosedAt: isTime(facts?.windowClosedAt) ? facts.windowClosedAt : null,
    lastInvitationAt: isTime(facts?.lastInvitationAt) ? facts.lastInvitationAt : null,
    url: typeof facts?.url === 'string' ? facts.url : '',
  };
}

const sameFacts = (a: TriggerFacts, b: TriggerFacts) =>
  a.agentsOnline === b.agentsOnline &&
  a.businessHours === b.businessHours &&
  a.windowOpen === b.windowOpen &&
  a.windowClosedAt === b.windowClosedAt &&
  a.lastInvitationAt === b.lastInvitationAt &&
  a.url === b.url;

const latest = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

/**
 * Runs proactive-trigger rules (from `parseRules`) for one page view and announces the rules that fire on
 * `actions$`; the widget carries out their actions. Plain TypeScript and rxjs: the clock, timers, storage and facts are
 * given to it.
 *
 * It never polls. Every condition is true now, true from a moment it can compute, or false until a fact changes, so
 * after each evaluation it keeps at most one timer, set for the earliest moment a pending rule could fire, and none
 * when nothing can fire without a fact changing. A change of facts re-evaluates at once.
 *
 * A rule fires at most once per page view (by id, so `setRules` with the same rule again does not repeat it), at most
 * once a calendar day with `oncePerDay` and once a visit with `oncePerSession` (across page views and tabs sharing the
 * storage). No rule fires while the window is open. Rules are checked in order; after one fires the engine looks again
 * with the latest facts, so a first invitation that opens the window holds back the rest.
 */
export class TriggerEngine {
  readonly #actions$ = new Subject<TriggerFiring>();
  readonly #now: () => number;
  readonly #setTimeout: (callback: () => void, ms: number) => unknown;
  readonly #clearTimeout: (handle: never) => void;
  readonly #storage: TriggerStorage;
  readonly #calendar: TriggerCalendar;
  readonly #pageStart: number;
  readonly #visitStart: number;
  readonly #subscription: Subscription;
  #rules: readonly TriggerRule[] = [];
  #facts: TriggerFacts | null = null;
  /** Ids of the rules that fired in this page view. */
  readonly #fired = new Set<string>();
  /** The one pending timer, if any, and the moment it is set for. */
  #timer: { handle: unknown; at: number } | null = null;
  #evaluating = false;
  #again = false;
  #destroyed = false;
  readonly #teardown: (() => void) | undefined;
  /** `page_url` results for the current URL, so that patterns are not matched again at every evaluation. */
  #urlMatches = new WeakMap<TriggerCondition, boolean>();

  /** The rules that fire, one emission per firing, synchronously while the engine evaluates. Completes on `destroy()`. */
  readonly actions$: Observable<TriggerFiring> = this.#actions$.asObservable();

  constructor(options: TriggerEngineOptions) {
    this.#now = options.now ?? Date.now;
    this.#teardown = options.teardown;
    this.#setTimeout = options.setTimeout ?? ((callback, ms) => globalThis.setTimeout(callback, ms));
    this.#clearTimeout = options.clearTimeout ?? ((handle) => globalThis.clearTimeout(handle));
    this.#storage = options.storage ?? memoryStorage();
    this.#calendar = options.calendar ?? localCalendar;
    for (const id of options.firedThisPageView ?? []) if (typeof id === 'string') this.#fired.add(id);
    const now = this.#now();
    this.#pageStart = options.pageStart ?? now;
    this.#visitStart = this.#startVisit(now, options.visitTimeout ?? DEFAULT_VISIT_TIMEOUT);
    this.#subscription = options.facts$.pipe(map(cleanFacts), distinctUntilChanged(sameFacts)).subscribe({
      next: (facts) => {
        if (facts.url !== this.#facts?.url) this.#urlMatches = new WeakMap();
        this.#facts = facts;
        this.#evaluate();
      },
      // The facts stop changing; the engine goes on with the last ones.
      error: () => {},
    });
  }

  /** When this page view started. */
  get pageStart(): number {
    return this.#pageStart;
  }

  /** When the first page view of this visit started (`time_on_site` counts from it). */
  get visitStart(): number {
    return this.#visitStart;
  }

  /** The moment the pending timer is set for, or null when none is. */
  get nextCheckAt(): number | null {
    return this.#timer?.at ?? null;
  }

  /** Ids of the rules that fired in this page view, to hand to an engine that takes over on the same page. */
  get firedThisPageView(): readonly string[] {
    return [...this.#fired];
  }

  /** The rules being run. */
  get rules(): readonly TriggerRule[] {
    return this.#rules;
  }

  /** Replaces the rules (as `parseRules` returned them) and evaluates them at once; the old rules' timer goes. */
  setRules(rules: readonly TriggerRule[]): void {
    if (this.#destroyed) return;
    this.#rules = rules.slice();
    this.#urlMatches = new WeakMap();
    this.#evaluate();
  }

  /** Cancels the timer and stops listening to the facts; `actions$` completes and nothing fires any more. */
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#disarm();
    this.#subscription.unsubscribe();
    this.#teardown?.();
    this.#actions$.complete();
  }

  /** Continues the stored visit if a page of it was seen within the timeout, else starts one with this page view. */
  #startVisit(now: number, timeout: number): number {
    const record = loadRecord(this.#storage);
    const visit = record.visit;
    let start: number;
    if (visit && this.#pageStart - visit.last < timeout) {
      start = Math.min(visit.start, this.#pageStart);
      visit.last = Math.max(visit.last, now);
    } else {
      start = this.#pageStart;
      record.visit = { start, last: now, fired: [] };
    }
    saveRecord(this.#storage, record, this.#calendar.dayKey(now));
    return start;
  }

  /**
   * Fires the rules that are ready, one at a time, then arms the timer for the earliest moment a pending rule could
   * fire. A call made while an evaluation is under way (a subscriber feeding new facts or rules) makes the running one
   * look again instead.
   *
   * Each firing may change the facts (an invitation opens the window). When the new facts arrive during the firing,
   * the engine looks again at once. When they do not, they may still be on their way: a store that is itself emitting
   * defers what its subscribers change until its round is over. So if another rule is ready too, it is fired only after
   * the current task, through the one timer (delay 0), and is judged on the facts the firing brought about.
   */
  #evaluate(): void {
    if (this.#destroyed) return;
    if (this.#evaluating) {
      this.#again = true;
      return;
    }
    this.#evaluating = true;
    try {
      do {
        this.#again = false;
        const fired = this.#step(true);
        if (fired && !this.#again && !this.#destroyed) this.#step(false);
      } while (this.#again && !this.#destroyed);
    } finally {
      this.#evaluating = false;
    }
  }

  /**
   * Fires the first ready rule and says so, or arms the timer for the earliest pending one. With `fire` false, a ready
   * rule is not fired but arms the timer for after the current task.
   */
  #step(fire: boolean): boolean {
    const facts = this.#facts;
    if (!facts) {
      this.#disarm();
      return false;
    }
    const now = this.#now();
    const today = this.#calendar.dayKey(now);
    // Read afresh each time: another tab (another engine on the same storage) may have fired a rule since.
    const record = loadRecord(this.#storage);
    const closedAt = latest(record.closedAt, facts.windowClosedAt);
    const invitedAt = latest(record.invitedAt, facts.lastInvitationAt);
    const learned = closedAt !== record.closedAt || invitedAt !== record.invitedAt;
    record.closedAt = closedAt;
    record.invitedAt = invitedAt;
    if (this.#rules.length === 0) {
      // Nothing to run, but a later page view's rules may ask how long ago the window closed or the last invitation was.
      if (learned) saveRecord(this.#storage, record, today);
      this.#disarm();
      return false;
    }
    record.visit ??= { start: this.#visitStart, last: now, fired: [] };
    record.visit.last = Math.max(record.visit.last, now);
    let earliest = Infinity;
    for (const rule of this.#rules) {
      const at = this.#readyAt(rule, facts, record, now, today);
      if (at <= now && fire) {
        this.#fire(rule, record, now, today);
        return true;
      }
      earliest = Math.min(earliest, at);
    }
    saveRecord(this.#storage, record, today);
    this.#arm(earliest, now);
    return false;
  }

  /** The first moment the rule can fire if no fact changes: at or before `now` means now, Infinity means not. */
  #readyAt(rule: TriggerRule, facts: TriggerFacts, record: TriggerRecord, now: number, today: string): number {
    if (!rule.enabled || facts.windowOpen || this.#fired.has(rule.id)) return Infinity;
    if (rule.oncePerSession && record.visit?.fired.includes(rule.id)) return Infinity;
    // Fired today in another page view: it may fire again from the next local midnight on.
    const notBefore =
      rule.oncePerDay && record.daily.get(rule.id) === today ? this.#calendar.nextDayStart(now) : -Infinity;
    let at = rule.match === 'all' ? -Infinity : Infinity;
    for (const condition of rule.conditions) {
      const t = this.#conditionAt(condition, facts, record);
      at = rule.match === 'all' ? Math.max(at, t) : Math.min(at, t);
    }
    return Math.max(at, notBefore);
  }

  /**
   * The first moment the condition holds if no fact changes. Time conditions, once true, stay true as time passes,
   * which is what lets `all` take the latest of its conditions' moments and `any` the earliest.
   */
  #conditionAt(condition: TriggerCondition, facts: TriggerFacts, record: TriggerRecord): number {
    switch (condition.type) {
      case 'agents_online':
        return facts.agentsOnline === condition.value ? -Infinity : Infinity;
      case 'business_hours':
        return (facts.businessHours !== false) === condition.value ? -Infinity : Infinity;
      case 'page_url': {
        let matches = this.#urlMatches.get(condition);
        if (matches === undefined) {
          matches = matchUrl(condition.operator, condition.value, facts.url);
          this.#urlMatches.set(condition, matches);
        }
        return matches ? -Infinity : Infinity;
      }
      case 'time_on_page':
        return this.#pageStart + condition.seconds * 1000;
      case 'time_on_site':
        return this.#visitStart + condition.seconds * 1000;
      case 'since_window_closed':
        if (facts.windowOpen) return Infinity;
        return record.closedAt === null ? -Infinity : record.closedAt + condition.seconds * 1000;
      case 'since_last_invitation':
        return record.invitedAt === null ? -Infinity : record.invitedAt + condition.seconds * 1000;
    }
  }

  /** Books the firing (so that neither this nor another page view repeats it wrongly), then announces it. */
  #fire(rule: TriggerRule, record: TriggerRecord, now: number, today: string): void {
    this.#fired.add(rule.id);
    if (rule.oncePerDay) record.daily.set(rule.id, today);
    if (rule.oncePerSession && record.visit && !record.visit.fired.includes(rule.id)) record.visit.fired.push(rule.id);
    saveRecord(this.#storage, record, today);
    this.#actions$.next({ ruleId: rule.id, actions: rule.actions, at: now });
  }

  /** Keeps one timer for `at` (Infinity: none; `now`: after the current task). A timer already set for that moment stays. */
  #arm(at: number, now: number): void {
    if (at === Infinity) return this.#disarm();
    const delay = Math.min(Math.max(at - now, 0), MAX_TIMER_DELAY);
    const target = now + delay;
    if (this.#timer?.at === target) return;
    this.#disarm();
    const timer = {
      at: target,
      handle: this.#setTimeout(() => {
        if (this.#timer !== timer) return;
        this.#timer = null;
        this.#evaluate();
      }, delay),
    };
    this.#timer = timer;
  }

  #disarm(): void {
    if (!this.#timer) return;
    const { handle } = this.#timer;
    this.#timer = null;
    this.#clearTimeout(handle as never);
  }
}
