import { isPlainObject } from '../model/guards.js';
import { LIMITS } from '../model/limits.js';
import {
  RULE_LIMITS,
  RULES_VERSION,
  type ParseRulesResult,
  type RuleMatch,
  type TriggerAction,
  type TriggerActionType,
  type TriggerCondition,
  type TriggerConditionType,
  type TriggerRule,
  type UrlOperator,
} from './types.js';

/** A reason to reject the input; thrown inside this module only, and always caught by `parseRules`. */
class Invalid {
  constructor(readonly reason: string) {}
}

function reject(reason: string): never {
  throw new Invalid(reason);
}

const ID = /^[\w.-]+$/;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `path.key`, or `path["odd key"]` for a key that is not an identifier; long keys are cut. */
function child(path: string, key: string): string {
  const shown = key.length > 40 ? `${key.slice(0, 40)}…` : key;
  if (IDENTIFIER.test(shown)) return path ? `${path}.${shown}` : shown;
  return `${path}[${JSON.stringify(shown)}]`;
}

const quoted = (values: readonly string[]) => values.map((v) => `"${v}"`).join(', ');

/** Runs `read`, turning whatever a hostile getter or proxy throws into a reason that names `path`. */
function guarded<T>(path: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof Invalid) throw error;
    return reject(`${path || 'The rules'} could not be read`);
  }
}

/**
 * The own values of `keys` in the object at `path`; any other own enumerable key is rejected. Stops at the first
 * unknown key, so an object with a million keys is rejected without looking at them all.
 */
function readObject(value: unknown, path: string, keys: readonly string[], what: string): Map<string, unknown> {
  return guarded(path, () => {
    if (!isPlainObject(value)) reject(`${path || 'The rules'} must be an object, not ${describe(value)}`);
    const allowed = new Set(keys);
    for (const key in value) {
      if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
      if (!allowed.has(key)) reject(`${child(path, key)} is not a known key: ${what} has ${keys.join(', ')}`);
    }
    const values = new Map<string, unknown>();
    for (const key of keys) {
      if (Object.prototype.hasOwnProperty.call(value, key))
        values.set(
          key,
          guarded(child(path, key), () => value[key]),
        );
    }
    return values;
  });
}

/** The elements of the array at `path`, after checking its length against `min`..`max`. */
function readArray(value: unknown, path: string, min: number, max: number, noun: string): unknown[] {
  return guarded(path, () => {
    if (!Array.isArray(value)) reject(`${path} must be an array, not ${describe(value)}`);
    const length = value.length;
    if (length < min) reject(`${path} must have at least ${min} ${noun}`);
    if (length > max) reject(`${path} must have at most ${max} ${noun}s, not ${length}`);
    const items: unknown[] = [];
    for (let i = 0; i < length; i++) items.push(guarded(`${path}[${i}]`, () => value[i]));
    return items;
  });
}

/** A short description of a wrong value, which never calls the value's own methods. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'object') return `a ${typeof value}`;
  try {
    return Array.isArray(value) ? 'an array' : isPlainObject(value) ? 'an object' : 'an object that is not plain JSON';
  } catch {
    return 'an unreadable object';
  }
}

function required(values: Map<string, unknown>, path: string, key: string): unknown {
  if (!values.has(key)) reject(`${child(path, key)} is required`);
  return values.get(key);
}

function bool(values: Map<string, unknown>, path: string, key: string, fallback: boolean): boolean {
  if (!values.has(key)) return fallback;
  const value = values.get(key);
  if (typeof value !== 'boolean') reject(`${child(path, key)} must be true or false, not ${describe(value)}`);
  return value;
}

function oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    reject(
      `${path} must be ${allowed.length === 2 ? `"${allowed[0]}" or "${allowed[1]}"` : `one of ${quoted(allowed)}`}, not ${describe(value)}`,
    );
  }
  return value as T;
}

function seconds(values: Map<string, unknown>, path: string): number {
  const at = child(path, 'seconds');
  const value = required(values, path, 'seconds');
  if (!Number.isSafeInteger(value) || (value as number) < 0)
    reject(`${at} must be a non-negative integer, not ${describe(value)}`);
  if ((value as number) > RULE_LIMITS.seconds)
    reject(`${at} must be at most ${RULE_LIMITS.seconds} (30 days), not ${value}`);
  return value as number;
}

/** A non-blank string of at most `max` UTF-16 units, trimmed. */
function text(value: unknown, path: string, max: number): string {
  if (typeof value !== 'string') reject(`${path} must be a string, not ${describe(value)}`);
  if (value.length > max) reject(`${path} must be at most ${max} characters, not ${value.length}`);
  const trimmed = value.trim();
  if (!trimmed) reject(`${path} must not be empty`);
  return trimmed;
}

const MATCHES: readonly RuleMatch[] = ['any', 'all'];
const OPERATORS: readonly UrlOperator[] = ['contains', 'equals', 'starts_with', 'glob'];
const CONDITION_KEYS: Record<TriggerConditionType, readonly string[]> = {
  agents_online: ['type', 'value'],
  business_hours: ['type', 'value'],
  time_on_page: ['type', 'seconds'],
  time_on_site: ['type', 'seconds'],
  page_url: ['type', 'operator', 'value'],
  since_window_closed: ['type', 'seconds'],
  since_last_invitation: ['type', 'seconds'],
};
const CONDITION_TYPES = Object.keys(CONDITION_KEYS) as TriggerConditionType[];
const ACTION_KEYS: Record<TriggerActionType, readonly string[]> = {
  show_invitation: ['type', 'text', 'department_id'],
  open_offline_form: ['type'],
  open_callback_form: ['type'],
  hide_widget: ['type'],
};
const ACTION_TYPES = Object.keys(ACTION_KEYS) as TriggerActionType[];
const RULE_KEYS = ['id', 'enabled', 'match', 'conditions', 'actions', 'once_per_day', 'once_per_session'];

/** The `type` of the object at `path`, read before its other keys so that their check can name the right ones. */
function readType(value: unknown, path: string): unknown {
  return guarded(path, () => {
    if (!isPlainObject(value)) reject(`${path} must be an object, not ${describe(value)}`);
    if (!Object.prototype.hasOwnProperty.call(value, 'type')) reject(`${child(path, 'type')} is required`);
    return guarded(child(path, 'type'), () => value.type);
  });
}

function parseCondition(value: unknown, path: string): TriggerCondition {
  const type = oneOf(readType(value, path), child(path, 'type'), CONDITION_TYPES);
  const keys = CONDITION_KEYS[type];
  const values = readObject(value, path, keys, `a ${type} condition`);
  switch (type) {
    case 'agents_online':
    case 'business_hours': {
      const online = required(values, path, 'value');
      if (typeof online !== 'boolean') reject(`${child(path, 'value')} must be true or false, not ${describe(online)}`);
      return { type, value: online };
    }
    case 'page_url': {
      const operator = oneOf(required(values, path, 'operator'), child(path, 'operator'), OPERATORS);
      const pattern = required(values, path, 'value');
      const at = child(path, 'value');
      if (typeof pattern !== 'string') reject(`${at} must be a string, not ${describe(pattern)}`);
      if (pattern.length > RULE_LIMITS.urlPattern)
        reject(`${at} must be at most ${RULE_LIMITS.urlPattern} characters, not ${pattern.length}`);
      if (!pattern) reject(`${at} must not be empty`);
      return { type, operator, value: pattern };
    }
    default:
      return { type, seconds: seconds(values, path) };
  }
}

function parseAction(value: unknown, path: string): TriggerAction {
  const type = oneOf(readType(value, path), child(path, 'type'), ACTION_TYPES);
  const values = readObject(value, path, ACTION_KEYS[type], `a ${type} action`);
  if (type !== 'show_invitation') return { type };
  const invitation = text(required(values, path, 'text'), child(path, 'text'), LIMITS.invitation);
  const department = values.get('department_id');
  let departmentId: string | null = null;
  if (department !== undefined && department !== null) {
    const at = child(path, 'department_id');
    if (typeof department === 'number') {
      if (!Number.isSafeInteger(department) || department < 0)
        reject(`${at} must be a non-negative integer or a string, not ${describe(department)}`);
      departmentId = String(department);
    } else if (typeof department === 'string') {
      departmentId = text(department, at, LIMITS.department);
    } else reject(`${at} must be a non-negative integer or a string, not ${describe(department)}`);
  }
  return { type, text: invitation, department: departmentId };
}

function parseRule(value: unknown, path: string): TriggerRule {
  const values = readObject(value, path, RULE_KEYS, 'a rule');
  const idPath = child(path, 'id');
  const id = required(values, path, 'id');
  if (typeof id !== 'string' || id.length > RULE_LIMITS.id || !ID.test(id)) {
    reject(`${idPath} must be 1 to ${RULE_LIMITS.id} letters, digits, "_", "-" or ".", not ${describe(id)}`);
  }
  const enabled = bool(values, path, 'enabled', true);
  const match = oneOf(required(values, path, 'match'), child(path, 'match'), MATCHES);
  const conditionsPath = child(path, 'conditions');
  const conditions = readArray(
    required(values, path, 'conditions'),
    conditionsPath,
    1,
    RULE_LIMITS.conditionsPerRule,
    'condition',
  ).map((c, i) => parseCondition(c, `${conditionsPath}[${i}]`));
  const actionsPath = child(path, 'actions');
  const actions = readArray(
    required(values, path, 'actions'),
    actionsPath,
    1,
    RULE_LIMITS.actionsPerRule,
    'action',
  ).map((a, i) => parseAction(a, `${actionsPath}[${i}]`));
  actions.forEach((action, i) => {
    const first = actions.findIndex((a) => a.type === action.type);
    if (first < i)
      reject(
        `${actionsPath}[${i}].type "${action.type}" repeats ${actionsPath}[${first}]: each action may appear once`,
      );
  });
  return Object.freeze({
    id,
    enabled,
    match,
    conditions: Object.freeze(conditions.map((c) => Object.freeze(c))),
    actions: Object.freeze(actions.map((a) => Object.freeze(a))),
    oncePerDay: bool(values, path, 'once_per_day', false),
    oncePerSession: bool(values, path, 'once_per_session', false),
  });
}

function parse(input: unknown): TriggerRule[] {
  if (typeof input === 'string') {
    if (input.length > RULE_LIMITS.jsonChars)
      reject(`The rules JSON must be at most ${RULE_LIMITS.jsonChars} characters, not ${input.length}`);
    try {
      input = JSON.parse(input);
    } catch (error) {
      const message = error instanceof Error ? error.message.slice(0, 200) : 'a syntax error';
      reject(`The rules are not valid JSON: ${message}`);
    }
  }
  if (!isPlainObjectGuarded(input))
    reject(`The rules must be an object such as {"version": 1, "rules": []}, not ${describe(input)}`);
  const values = readObject(input, '', ['version', 'rules'], 'the rules object');
  const version = required(values, '', 'version');
  if (version !== RULES_VERSION) reject(`version must be ${RULES_VERSION}, not ${describe(version)}`);
  const list = readArray(required(values, '', 'rules'), 'rules', 0, RULE_LIMITS.rules, 'rule');
  const rules: TriggerRule[] = [];
  const seen = new Map<string, number>();
  list.forEach((item, i) => {
    const rule = parseRule(item, `rules[${i}]`);
    const earlier = seen.get(rule.id);
    if (earlier !== undefined) reject(`rules[${i}].id "${rule.id}" is already the id of rules[${earlier}]`);
    seen.set(rule.id, i);
    rules.push(rule);
  });
  return rules;
}

function isPlainObjectGuarded(value: unknown): boolean {
  return guarded('', () => isPlainObject(value));
}

/**
 * Checks rules in the format of docs/rules.md: an object `{version: 1, rules: [...]}`, or the same as a JSON string.
 * Strict: an unknown key, a wrong type, a number out of range or a text out of bounds is rejected with a reason that
 * names where it is (`rules[2].conditions[0].seconds must be a non-negative integer, not -1`). Never throws, whatever
 * the input: cyclic objects, throwing getters and proxies, huge arrays (their length is checked before anything else).
 */
export function parseRules(input: unknown): ParseRulesResult {
  try {
    return { ok: true, rules: Object.freeze(parse(input)) };
  } catch (error) {
    if (error instanceof Invalid) return { ok: false, reason: error.reason };
    // Not ours: a stack overflow, or a proxy trap we did not anticipate. Still an answer, never an exception.
    return { ok: false, reason: 'The rules could not be read' };
  }
}
