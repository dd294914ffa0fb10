/** Proactive triggers for `jivo_api.setRules`: the rules format's parser and the engine that runs the rules. */
export { parseRules } from './parse.js';
export { TriggerEngine, DEFAULT_VISIT_TIMEOUT, type TriggerEngineOptions } from './engine.js';
export { localCalendar } from './calendar.js';
export { memoryStorage } from './record.js';
export { globMatch, matchUrl } from './url-pattern.js';
export {
  RULES_VERSION,
  RULE_LIMITS,
  type ParseRulesResult,
  type RuleMatch,
  type TriggerAction,
  type TriggerActionType,
  type TriggerCalendar,
  type TriggerCondition,
  type TriggerConditionType,
  type TriggerFacts,
  type TriggerFiring,
  type TriggerRule,
  type TriggerStorage,
  type UrlOperator,
} from './types.js';
