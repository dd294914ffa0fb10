import { expect } from '@open-wc/testing';
import { parseRules } from '../../src/triggers/parse.js';
import type { ParseRulesResult, TriggerRule } from '../../src/triggers/types.js';
import { EXAMPLE_RULES } from '../fixtures/example-rules.js';

/** A deep, mutable copy of a JSON value. */
const clone = <T>(value: T): any => JSON.parse(JSON.stringify(value));

/** A valid single-rule input; each invalid case breaks one thing in a copy of it. */
function base() {
  return {
    version: 1,
    rules: [
      {
        id: 'r1',
        match: 'all',
        conditions: [{ type: 'time_on_page', seconds: 10 }],
        actions: [{ type: 'show_invitation', text: 'Hello' }],
      },
    ],
  };
}

function reasonOf(result: ParseRulesResult): string {
  expect(result.ok, 'the input should have been rejected').to.equal(false);
  return (result as { reason: string }).reason;
}

function rulesOf(result: ParseRulesResult): readonly TriggerRule[] {
  if (!result.ok) throw new Error(`rejected: ${result.reason}`);
  return result.rules;
}

/** The first ```json block of a Markdown text. */
function firstJsonBlock(markdown: string): unknown {
  const match = /```json\n([\s\S]*?)\n```/.exec(markdown);
  if (!match) throw new Error('no JSON block in the document');
  return JSON.parse(match[1]);
}

describe('parseRules', () => {
  describe('the documented example', () => {
    it('is the JSON block of docs/rules.md, exactly', async () => {
      const response = await fetch('/docs/rules.md');
      expect(response.ok, 'docs/rules.md is served').to.equal(true);
      expect(firstJsonBlock(await response.text())).to.deep.equal(EXAMPLE_RULES);
    });

    it('parses into rules with defaults filled in and limits in camelCase', () => {
      const rules = rulesOf(parseRules(EXAMPLE_RULES));
      expect(rules).to.deep.equal([
        {
          id: 'cart-help',
          enabled: true,
          match: 'all',
          conditions: [
            { type: 'agents_online', value: true },
            { type: 'page_url', operator: 'contains', value: '/cart' },
            { type: 'time_on_page', seconds: 30 },
            { type: 'since_last_invitation', seconds: 600 },
          ],
          actions: [
            { type: 'show_invitation', text: "Questions about your order? We're here to help.", department: '3' },
          ],
          oncePerDay: true,
          oncePerSession: false,
        },
        {
          id: 'pricing-welcome',
          enabled: true,
          match: 'any',
          conditions: [
            { type: 'page_url', operator: 'glob', value: 'https://shop.example/pricing*' },
            { type: 'time_on_site', seconds: 180 },
          ],
          actions: [{ type: 'show_invitation', text: 'Hi! Can I help you choose a plan?', department: null }],
          oncePerDay: false,
          oncePerSession: true,
        },
        {
          id: 'after-hours',
          enabled: true,
          match: 'all',
          conditions: [
            { type: 'agents_online', value: false },
            { type: 'time_on_site', seconds: 120 },
            { type: 'since_window_closed', seconds: 300 },
          ],
          actions: [{ type: 'open_offline_form' }],
          oncePerDay: false,
          oncePerSession: true,
        },
        {
          id: 'callback-on-contacts',
          enabled: true,
          match: 'all',
          conditions: [
            { type: 'page_url', operator: 'starts_with', value: 'https://shop.example/contacts' },
            { type: 'time_on_page', seconds: 45 },
          ],
          actions: [{ type: 'open_callback_form' }],
          oncePerDay: true,
          oncePerSession: false,
        },
        {
          id: 'quiet-checkout',
          enabled: false,
          match: 'any',
          conditions: [{ type: 'page_url', operator: 'equals', value: 'https://shop.example/checkout/pay' }],
          actions: [{ type: 'hide_widget' }],
          oncePerDay: false,
          oncePerSession: false,
        },
      ]);
    });

    it('parses the same from a JSON string', () => {
      expect(parseRules(JSON.stringify(EXAMPLE_RULES))).to.deep.equal(parseRules(EXAMPLE_RULES));
    });
  });

  describe('valid input', () => {
    it('takes an empty rule list (no triggers)', () => {
      expect(rulesOf(parseRules({ version: 1, rules: [] }))).to.deep.equal([]);
    });

    it('trims the invitation text and takes a string department id', () => {
      const input = base();
      input.rules[0].actions = [{ type: 'show_invitation', text: '  Hi there  ', department_id: ' sales ' } as never];
      expect(rulesOf(parseRules(input))[0].actions).to.deep.equal([
        { type: 'show_invitation', text: 'Hi there', department: 'sales' },
      ]);
    });

    it('takes the limits at their bounds: 50 rules, 20 conditions, 30 days, 1000-character text, 64-character id', () => {
      const rule = (i: number) => ({
        id: `${'x'.repeat(60)}${String(i).padStart(4, '0')}`,
        match: 'any',
        conditions: Array.from({ length: 20 }, () => ({ type: 'since_last_invitation', seconds: 2_592_000 })),
        actions: [{ type: 'show_invitation', text: 'y'.repeat(1000) }],
      });
      const rules = rulesOf(parseRules({ version: 1, rules: Array.from({ length: 50 }, (_, i) => rule(i)) }));
      expect(rules).to.have.length(50);
      expect(rules[49].conditions).to.have.length(20);
    });

    it('returns rules that share nothing with the input and cannot be changed', () => {
      const input = base();
      const [rule] = rulesOf(parseRules(input));
      input.rules[0].conditions[0].seconds = 99;
      expect(rule.conditions[0]).to.deep.equal({ type: 'time_on_page', seconds: 10 });
      expect(Object.isFrozen(rule) && Object.isFrozen(rule.conditions) && Object.isFrozen(rule.conditions[0])).to.equal(
        true,
      );
    });

    it('takes objects without a prototype', () => {
      const input = Object.assign(Object.create(null), base());
      expect(parseRules(input).ok).to.equal(true);
    });
  });

  describe('invalid input, with the reason naming the path', () => {
    const cases: Array<[string, (input: any) => unknown, string]> = [
      ['not an object', () => [], 'The rules must be an object such as {"version": 1, "rules": []}, not an array'],
      ['null', () => null, 'The rules must be an object such as {"version": 1, "rules": []}, not null'],
      [
        'a Date',
        () => new Date(0),
        'The rules must be an object such as {"version": 1, "rules": []}, not an object that is not plain JSON',
      ],
      ['a wrong version', (i) => ({ ...i, version: 2 }), 'version must be 1, not 2'],
      ['a version as a string', (i) => ({ ...i, version: '1' }), 'version must be 1, not "1"'],
      ['no version', (i) => ({ rules: i.rules }), 'version is required'],
      [
        'an unknown top-level key',
        (i) => ({ ...i, extra: 1 }),
        'extra is not a known key: the rules object has version, rules',
      ],
      ['rules not an array', (i) => ({ ...i, rules: {} }), 'rules must be an array, not an object'],
      [
        '51 rules',
        (i) => ({ ...i, rules: Array.from({ length: 51 }, (_, n) => ({ ...i.rules[0], id: `r${n}` })) }),
        'rules must have at most 50 rules, not 51',
      ],
      ['a rule that is not an object', (i) => ({ ...i, rules: ['x'] }), 'rules[0] must be an object, not "x"'],
      [
        'an unknown rule key',
        (i) => ((i.rules[0].delay = 5), i),
        'rules[0].delay is not a known key: a rule has id, enabled, match, conditions, actions, once_per_day, once_per_session',
      ],
      [
        'an odd unknown key',
        (i) => ((i.rules[0]['a b'] = 5), i),
        'rules[0]["a b"] is not a known key: a rule has id, enabled, match, conditions, actions, once_per_day, once_per_session',
      ],
      ['a missing id', (i) => (delete i.rules[0].id, i), 'rules[0].id is required'],
      [
        'an empty id',
        (i) => ((i.rules[0].id = ''), i),
        'rules[0].id must be 1 to 64 letters, digits, "_", "-" or ".", not ""',
      ],
      [
        'an id with a space',
        (i) => ((i.rules[0].id = 'a b'), i),
        'rules[0].id must be 1 to 64 letters, digits, "_", "-" or ".", not "a b"',
      ],
      [
        'a 65-character id',
        (i) => ((i.rules[0].id = 'a'.repeat(65)), i),
        `rules[0].id must be 1 to 64 letters, digits, "_", "-" or ".", not "${'a'.repeat(40)}…"`,
      ],
      [
        'a numeric id',
        (i) => ((i.rules[0].id = 7), i),
        'rules[0].id must be 1 to 64 letters, digits, "_", "-" or ".", not 7',
      ],
      [
        'a duplicate id',
        (i) => ({ ...i, rules: [i.rules[0], { ...i.rules[0] }] }),
        'rules[1].id "r1" is already the id of rules[0]',
      ],
      [
        'enabled not a boolean',
        (i) => ((i.rules[0].enabled = 'yes'), i),
        'rules[0].enabled must be true or false, not "yes"',
      ],
      ['a wrong match', (i) => ((i.rules[0].match = 'some'), i), 'rules[0].match must be "any" or "all", not "some"'],
      ['no match', (i) => (delete i.rules[0].match, i), 'rules[0].match is required'],
      [
        'once_per_day not a boolean',
        (i) => ((i.rules[0].once_per_day = 1), i),
        'rules[0].once_per_day must be true or false, not 1',
      ],
      [
        'once_per_session not a boolean',
        (i) => ((i.rules[0].once_per_session = null), i),
        'rules[0].once_per_session must be true or false, not null',
      ],
      ['no conditions', (i) => ((i.rules[0].conditions = []), i), 'rules[0].conditions must have at least 1 condition'],
      [
        '21 conditions',
        (i) => ((i.rules[0].conditions = Array(21).fill(i.rules[0].conditions[0])), i),
        'rules[0].conditions must have at most 20 conditions, not 21',
      ],
      [
        'conditions not an array',
        (i) => ((i.rules[0].conditions = 'time'), i),
        'rules[0].conditions must be an array, not "time"',
      ],
      [
        'a condition without a type',
        (i) => ((i.rules[0].conditions = [{ seconds: 1 }]), i),
        'rules[0].conditions[0].type is required',
      ],
      [
        'an unknown condition type',
        (i) => ((i.rules[0].conditions = [{ type: 'scroll_depth', percent: 50 }]), i),
        'rules[0].conditions[0].type must be one of "agents_online", "business_hours", "time_on_page", "time_on_site", "page_url", "since_window_closed", "since_last_invitation", not "scroll_depth"',
      ],
      [
        "another type's key in a condition",
        (i) => ((i.rules[0].conditions = [{ type: 'time_on_page', seconds: 1, value: true }]), i),
        'rules[0].conditions[0].value is not a known key: a time_on_page condition has type, seconds',
      ],
      [
        'missing seconds',
        (i) => ((i.rules[0].conditions = [{ type: 'time_on_site' }]), i),
        'rules[0].conditions[0].seconds is required',
      ],
      [
        'negative seconds',
        (i) => ((i.rules[0].conditions = [{ type: 'time_on_page', seconds: -5 }]), i),
        'rules[0].conditions[0].seconds must be a non-negative integer, not -5',
      ],
      [
        'fractional seconds',
        (i) => ((i.rules[0].conditions = [{ type: 'time_on_page', seconds: 1.5 }]), i),
        'rules[0].conditions[0].seconds must be a non-negative integer, not 1.5',
      ],
      [
        'NaN seconds',
        (i) => ((i.rules[0].conditions = [{ type: 'time_on_page', seconds: NaN }]), i),
        'rules[0].conditions[0].seconds must be a non-negative integer, not NaN',
      ],
      [
        'seconds as a string',
        (i) => ((i.rules[0].conditions = [{ type: 'time_on_page', seconds: '30' }]), i),
        'rules[0].conditions[0].seconds must be a non-negative integer, not "30"',
      ],
      [
        'absurd seconds',
        (i) => ((i.rules[0].conditions = [{ type: 'since_window_closed', seconds: 9_999_999 }]), i),
        'rules[0].conditions[0].seconds must be at most 2592000 (30 days), not 9999999',
      ],
      [
        'huge seconds',
        (i) => ((i.rules[0].conditions = [{ type: 'time_on_page', seconds: 1e300 }]), i),
        'rules[0].conditions[0].seconds must be a non-negative integer, not 1e+300',
      ],
      [
        'agents_online without a boolean',
        (i) => ((i.rules[0].conditions = [{ type: 'agents_online', value: 'yes' }]), i),
        'rules[0].conditions[0].value must be true or false, not "yes"',
      ],
      [
        'a page_url with a regex operator',
        (i) => ((i.rules[0].conditions = [{ type: 'page_url', operator: 'regex', value: '(a+)+$' }]), i),
        'rules[0].conditions[0].operator must be one of "contains", "equals", "starts_with", "glob", not "regex"',
      ],
      [
        'an empty page_url value',
        (i) => ((i.rules[0].conditions = [{ type: 'page_url', operator: 'contains', value: '' }]), i),
        'rules[0].conditions[0].value must not be empty',
      ],
      [
        'an over-long page_url value',
        (i) => ((i.rules[0].conditions = [{ type: 'page_url', operator: 'glob', value: '*'.repeat(2049) }]), i),
        'rules[0].conditions[0].value must be at most 2048 characters, not 2049',
      ],
      ['no actions', (i) => ((i.rules[0].actions = []), i), 'rules[0].actions must have at least 1 action'],
      [
        'an unknown action',
        (i) => ((i.rules[0].actions = [{ type: 'redirect', url: 'https://evil.example' }]), i),
        'rules[0].actions[0].type must be one of "show_invitation", "open_offline_form", "open_callback_form", "hide_widget", not "redirect"',
      ],
      [
        'a repeated action',
        (i) => (
          (i.rules[0].actions = [{ type: 'hide_widget' }, { type: 'open_offline_form' }, { type: 'hide_widget' }]),
          i
        ),
        'rules[0].actions[2].type "hide_widget" repeats rules[0].actions[0]: each action may appear once',
      ],
      [
        '5 actions',
        (i) => ((i.rules[0].actions = Array(5).fill({ type: 'hide_widget' })), i),
        'rules[0].actions must have at most 4 actions, not 5',
      ],
      [
        'an action with a stray key',
        (i) => ((i.rules[0].actions = [{ type: 'hide_widget', text: 'x' }]), i),
        'rules[0].actions[0].text is not a known key: a hide_widget action has type',
      ],
      [
        'an invitation without text',
        (i) => ((i.rules[0].actions = [{ type: 'show_invitation' }]), i),
        'rules[0].actions[0].text is required',
      ],
      [
        'an empty invitation text',
        (i) => ((i.rules[0].actions = [{ type: 'show_invitation', text: ' \n\t ' }]), i),
        'rules[0].actions[0].text must not be empty',
      ],
      [
        'an invitation text that is not a string',
        (i) => ((i.rules[0].actions = [{ type: 'show_invitation', text: 42 }]), i),
        'rules[0].actions[0].text must be a string, not 42',
      ],
      [
        'an over-long invitation text',
        (i) => ((i.rules[0].actions = [{ type: 'show_invitation', text: 'x'.repeat(1001) }]), i),
        'rules[0].actions[0].text must be at most 1000 characters, not 1001',
      ],
      [
        'a negative department id',
        (i) => ((i.rules[0].actions = [{ type: 'show_invitation', text: 'Hi', department_id: -1 }]), i),
        'rules[0].actions[0].department_id must be a non-negative integer or a string, not -1',
      ],
      [
        'a department id that is an object',
        (i) => ((i.rules[0].actions = [{ type: 'show_invitation', text: 'Hi', department_id: {} }]), i),
        'rules[0].actions[0].department_id must be a non-negative integer or a string, not an object',
      ],
      [
        'an over-long department id',
        (i) => ((i.rules[0].actions = [{ type: 'show_invitation', text: 'Hi', department_id: 'd'.repeat(65) }]), i),
        'rules[0].actions[0].department_id must be at most 64 characters, not 65',
      ],
      [
        'the third rule broken deep down',
        (i) => ({
          ...i,
          rules: [0, 1, 2].map((n) => ({
            ...clone(i.rules[0]),
            id: `r${n}`,
            conditions: n === 2 ? [{ type: 'time_on_page', seconds: -1 }] : i.rules[0].conditions,
          })),
        }),
        'rules[2].conditions[0].seconds must be a non-negative integer, not -1',
      ],
      ['invalid JSON text', () => '{"version": 1,', 'The rules are not valid JSON: '],
      [
        'an over-long JSON text',
        () => ' '.repeat(200_001),
        'The rules JSON must be at most 200000 characters, not 200001',
      ],
      [
        'a JSON "__proto__" key',
        () => '{"version": 1, "rules": [], "__proto__": {"x": 1}}',
        '__proto__ is not a known key: the rules object has version, rules',
      ],
    ];

    for (const [name, make, reason] of cases) {
      it(`rejects ${name}`, () => {
        const actual = reasonOf(parseRules(make(clone(base()))));
        if (reason.endsWith(': ')) expect(actual.startsWith(reason), actual).to.equal(true);
        else expect(actual).to.equal(reason);
      });
    }

    it('every case starts from a valid input', () => {
      expect(parseRules(base()).ok).to.equal(true);
    });
  });

  describe('hostile input: a reason, never an exception', () => {
    it('a cyclic object (a rule that is the rules object itself)', () => {
      const input: any = { version: 1, rules: [] };
      input.rules.push(input);
      expect(reasonOf(parseRules(input))).to.equal(
        'rules[0].version is not a known key: a rule has id, enabled, match, conditions, actions, once_per_day, once_per_session',
      );
    });

    it('a cyclic condition list (containing itself)', () => {
      const input: any = base();
      input.rules[0].conditions.push(input.rules[0].conditions);
      expect(reasonOf(parseRules(input))).to.equal('rules[0].conditions[1] must be an object, not an array');
    });

    it('a getter that throws', () => {
      const input: any = base();
      Object.defineProperty(input.rules[0].actions[0], 'text', {
        enumerable: true,
        get() {
          throw new Error('boom');
        },
      });
      expect(reasonOf(parseRules(input))).to.equal('rules[0].actions[0].text could not be read');
    });

    it('an array whose elements throw when read', () => {
      const input: any = base();
      input.rules = new Proxy([1], {
        get(target, key) {
          if (key === '0') throw new Error('boom');
          return Reflect.get(target, key);
        },
      });
      expect(reasonOf(parseRules(input))).to.equal('rules[0] could not be read');
    });

    it('a proxy whose every trap throws', () => {
      const trap = () => {
        throw new Error('boom');
      };
      const hostile = new Proxy(
        {},
        { get: trap, getPrototypeOf: trap, ownKeys: trap, has: trap, getOwnPropertyDescriptor: trap },
      );
      expect(reasonOf(parseRules(hostile))).to.equal('The rules could not be read');
      expect(reasonOf(parseRules({ version: 1, rules: [hostile] }))).to.equal('rules[0] could not be read');
    });

    it('a revoked proxy', () => {
      const { proxy, revoke } = Proxy.revocable({}, {});
      revoke();
      expect(reasonOf(parseRules({ version: 1, rules: [proxy] }))).to.equal('rules[0] could not be read');
    });

    it('a 1e6-element array is rejected by its length, without reading an element', () => {
      let reads = 0;
      const huge = new Proxy(new Array(1e6).fill(base().rules[0]), {
        get(target, key) {
          if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
          return Reflect.get(target, key);
        },
      });
      expect(reasonOf(parseRules({ version: 1, rules: huge }))).to.equal(
        'rules must have at most 50 rules, not 1000000',
      );
      expect(reads).to.equal(0);
      const conditions = base();
      (conditions.rules[0] as any).conditions = new Array(1e6).fill({ type: 'time_on_page', seconds: 1 });
      expect(reasonOf(parseRules(conditions))).to.equal(
        'rules[0].conditions must have at most 20 conditions, not 1000000',
      );
    });

    it('a megabyte of invitation text', () => {
      const input: any = base();
      input.rules[0].actions[0].text = 'x'.repeat(1_000_000);
      expect(reasonOf(parseRules(input))).to.equal(
        'rules[0].actions[0].text must be at most 1000 characters, not 1000000',
      );
    });

    it('values of types JSON does not have', () => {
      expect(reasonOf(parseRules(Symbol('x')))).to.equal(
        'The rules must be an object such as {"version": 1, "rules": []}, not a symbol',
      );
      expect(reasonOf(parseRules({ version: 1n, rules: [] }))).to.equal('version must be 1, not a bigint');
      const input: any = base();
      input.rules[0].id = () => 'r1';
      expect(reasonOf(parseRules(input))).to.equal(
        'rules[0].id must be 1 to 64 letters, digits, "_", "-" or ".", not a function',
      );
    });

    it('an instance of a class where a rule should be', () => {
      class Rule {
        id = 'r1';
      }
      expect(reasonOf(parseRules({ version: 1, rules: [new Rule()] }))).to.equal(
        'rules[0] must be an object, not an object that is not plain JSON',
      );
    });

    it('an object with a prototype of its own (keys it would inherit are not read)', () => {
      const input: any = base();
      const rule = Object.create({ id: 'inherited' });
      Object.assign(rule, { match: 'all', conditions: input.rules[0].conditions, actions: input.rules[0].actions });
      input.rules = [rule];
      expect(reasonOf(parseRules(input))).to.equal('rules[0] must be an object, not an object that is not plain JSON');
    });
  });
});
