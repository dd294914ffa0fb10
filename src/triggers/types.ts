/**
 * Proactive triggers: the rules `jivo_api.setRules(rules)` takes (docs/rules.md), as parsed by `parseRules`, and the
 * inputs and outputs of the `TriggerEngine` that runs them. Plain TypeScript: no Lit, no DOM.
 */

/** The rules format's version; `parseRules` takes this one only. */
export const RULES_VERSION = 1;

/** Limits `parseRules` enforces, so that a page cannot make the widget hold or scan much. */
export const RULE_LIMITS = {
  rules: 50,
  conditionsPerRule: 20,
  /** One action of each type at most. */
  actionsPerRule: 4,
  /** Rule ids: letters, digits, `_`, `-`, `.`. */
  id: 64,
  /** The longest wait a condition may ask for: 30 days, in seconds. */
  seconds: 30 * 24 * 60 * 60,
  /** URL patterns, in UTF-16 units (the same as the longest page URL the backend takes). */
  urlPattern: 2048,
  /** A JSON string given to `parseRules` instead of an object. */
  jsonChars: 200_000,
} as const;

export type RuleMatch = 'any' | 'all';

export type UrlOperator = 'contains' | 'equals' | 'starts_with' | 'glob';

/** What a rule waits for. Every condition is either true now, true from a known moment on, or false until a fact changes. */
export type TriggerCondition =
  /** Whether at least one agent is online equals `value`. */
  | { readonly type: 'agents_online'; readonly value: boolean }
  /** Whether the site is within its business hours (always, for a site without a schedule) equals `value`. */
  | { readonly type: 'business_hours'; readonly value: boolean }
  /** At least `seconds` since this page view started. */
  | { readonly type: 'time_on_page'; readonly seconds: number }
  /** At least `seconds` since the first page view of this visit started. */
  | { readonly type: 'time_on_site'; readonly seconds: number }
  /** The page URL matches `value` (`glob`: `*` stands for any run of characters, and the whole URL must match). */
  | { readonly type: 'page_url'; readonly operator: UrlOperator; readonly value: string }
  /** The window is closed, and was closed at least `seconds` ago (or never in this browser). */
  | { readonly type: 'since_window_closed'; readonly seconds: number }
  /** At least `seconds` since the last proactive invitation (or there was none in this browser). */
  | { readonly type: 'since_last_invitation'; readonly seconds: number };

export type TriggerConditionType = TriggerCondition['type'];

/** What a rule does when it fires. The engine only announces it; the widget carries it out. */
export type TriggerAction =
  /** Show `text` as a proactive invitation; `department` routes the chat (from the JSON's `department_id`). */
  | { readonly type: 'show_invitation'; readonly text: string; readonly department: string | null }
  | { readonly type: 'open_offline_form' }
  | { readonly type: 'open_callback_form' }
  | { readonly type: 'hide_widget' };

export type TriggerActionType = TriggerAction['type'];

/** One rule, as `parseRules` returns it (the JSON's snake_case limits become camelCase, defaults filled in). */
export interface TriggerRule {
  /** Unique among the rules; the once-per-day and once-per-session bookkeeping is kept by id. */
  readonly id: string;
  readonly enabled: boolean;
  readonly match: RuleMatch;
  readonly conditions: readonly TriggerCondition[];
  readonly actions: readonly TriggerAction[];
  /** At most once per calendar day in the visitor's time zone (across page views and tabs). */
  readonly oncePerDay: boolean;
  /** At most once per visit (across page views and tabs). */
  readonly oncePerSession: boolean;
}

export type ParseRulesResult =
  { readonly ok: true; readonly rules: readonly TriggerRule[] } | { readonly ok: false; readonly reason: string };

/**
 * What the engine knows about the widget and the page. The widget feeds a new value whenever one changes; the
 * engine re-evaluates at once. Times are milliseconds since the epoch, on the same clock as the engine's `now()`.
 */
export interface TriggerFacts {
  /** At least one agent is online (`chatMode() === 'online'`). */
  readonly agentsOnline: boolean;
  /** The site is within its business hours (true for a site without a schedule). Absent: true. */
  readonly businessHours?: boolean;
  /** The chat window (or menu, or a form) is on screen. No rule fires while it is. */
  readonly windowOpen: boolean;
  /** When the window was last closed; null if never (the engine remembers the latest across page views). */
  readonly windowClosedAt: number | null;
  /** When the last proactive invitation was shown; null if never (remembered across page views as well). */
  readonly lastInvitationAt: number | null;
  /** The page URL that `page_url` conditions match against. */
  readonly url: string;
}

/** One rule firing: its actions, in the order the rule lists them. */
export interface TriggerFiring {
  readonly ruleId: string;
  readonly actions: readonly TriggerAction[];
  /** `now()` when it fired. */
  readonly at: number;
}

/**
 * Where the engine keeps its bookkeeping between page views: one JSON value (the widget backs it with one
 * `localStorage` key). `get` returns what `set` last stored, or undefined/null when nothing was; either may throw
 * (storage disabled), which the engine survives.
 */
export interface TriggerStorage {
  get(): unknown;
  set(value: unknown): void;
}

/** Calendar days in the visitor's time zone, for `once_per_day`. */
export interface TriggerCalendar {
  /** A string that differs between any two calendar days, e.g. `2024-05-01`. */
  dayKey(time: number): string;
  /** The first millisecond of the day after the one `time` is in. */
  nextDayStart(time: number): number;
}
