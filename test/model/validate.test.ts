import { expect } from '@open-wc/testing';
import { LIMITS } from '../../src/model/limits.js';
import {
  validateClientAttributes,
  validateContactFields,
  validateContactForm,
  validateCustomData,
  validateOfflineFields,
  validatePhone,
  validateText,
  validateUtm,
} from '../../src/model/validate.js';

// Most rules below were pinned when each validator had a result shape of its own; these read one Result in those
// shapes, so that each expectation stays exactly as it was written.
const checkOfflineFields = (v: Record<string, unknown>) => {
  const r = validateOfflineFields(v);
  return r.ok ? null : { field: r.field, code: r.problem, error: r.message };
};
const checkContactForm = (v: { name: string; email: string; phone: string }) => {
  const r = validateContactForm(v);
  return r.ok ? null : { field: r.field, code: r.problem };
};
const checkClientAttributes = (v: unknown, allowNull = false) => {
  const r = validateClientAttributes(v, allowNull);
  return r.ok ? { entries: r.value } : { error: r.message };
};
const normalizePhone = (v: unknown) => {
  const r = validatePhone(v);
  return r.ok ? r.value : null;
};

describe('checkOfflineFields', () => {
  const ok = { name: 'Ann', email: 'ann@example.com', phone: '', description: '', message: 'Hello' };

  it('accepts a message with an email, or with a phone', () => {
    expect(checkOfflineFields(ok)).to.equal(null);
    expect(checkOfflineFields({ message: 'Hello', phone: '+1 (555) 010-9999' })).to.equal(null);
    expect(checkOfflineFields({ message: 'Hello', email: 'a.b+c@sub.example.org', name: null })).to.equal(null);
  });

  it('requires a message that is not just whitespace', () => {
    for (const message of [undefined, null, '', '   \n']) {
      expect(checkOfflineFields({ ...ok, message })).to.deep.equal({
        field: 'message',
        code: 'required',
        error: 'message is required',
      });
    }
  });

  it('requires an email or a phone', () => {
    expect(checkOfflineFields({ message: 'Hello' })).to.deep.equal({
      field: 'email',
      code: 'contact_required',
      error: 'an email or a phone is required to answer',
    });
    expect(checkOfflineFields({ message: 'Hello', email: '  ', phone: ' ' })).to.include({
      field: 'email',
      code: 'contact_required',
    });
  });

  it('rejects a bad email', () => {
    for (const email of [
      'ann',
      'ann@',
      '@example.com',
      'ann@example',
      'ann@example.c',
      'a b@example.com',
      'ann@exa mple.com',
      '<a>@example.com',
      'a@b@example.com',
    ]) {
      expect(checkOfflineFields({ ...ok, email }), email).to.deep.equal({
        field: 'email',
        code: 'invalid',
        error: 'email is not a valid address',
      });
    }
  });

  it('rejects a bad phone', () => {
    for (const phone of ['12', 'call me', '+7 900 abc', '++79001234567', '12345x']) {
      expect(checkOfflineFields({ ...ok, email: '', phone }), phone).to.deep.equal({
        field: 'phone',
        code: 'invalid',
        error: 'phone is not a valid number',
      });
    }
  });

  it('rejects a bad phone even when the email is good', () => {
    expect(checkOfflineFields({ ...ok, phone: 'abc' })).to.include({ field: 'phone', code: 'invalid' });
  });

  it('rejects fields over their limits', () => {
    const cases: Array<[keyof typeof ok, number]> = [
      ['name', LIMITS.name],
      ['email', LIMITS.email],
      ['phone', LIMITS.phone],
      ['description', LIMITS.description],
      ['message', LIMITS.text],
    ];
    for (const [field, max] of cases) {
      expect(checkOfflineFields({ ...ok, [field]: 'x'.repeat(max + 1) }), field).to.deep.equal({
        field,
        code: 'too_long',
        error: `${field} is longer than ${max} characters`,
      });
    }
    expect(checkOfflineFields({ ...ok, name: 'x'.repeat(LIMITS.name) }), 'at the limit').to.equal(null);
  });

  it('rejects fields that are not strings', () => {
    for (const field of ['name', 'email', 'phone', 'description', 'message'] as const) {
      for (const value of [1, true, {}, ['a']]) {
        expect(checkOfflineFields({ ...ok, [field]: value }), `${field}=${JSON.stringify(value)}`).to.deep.equal({
          field,
          code: 'type',
          error: `${field} must be a string`,
        });
      }
    }
  });
});

describe('checkContactForm', () => {
  const form = (f: Partial<Record<'name' | 'email' | 'phone', string>>) => ({ name: '', email: '', phone: '', ...f });

  it('wants a name, and an email or a phone', () => {
    expect(checkContactForm(form({ name: 'Ann', email: 'ann@example.com' }))).to.equal(null);
    expect(checkContactForm(form({ name: 'Ann', phone: '+47 555 01 02' }))).to.equal(null);
    expect(checkContactForm(form({ email: 'ann@example.com' }))).to.deep.equal({ field: 'name', code: 'required' });
    expect(checkContactForm(form({ name: '   ', email: 'ann@example.com' }))).to.deep.equal({
      field: 'name',
      code: 'required',
    });
    expect(checkContactForm(form({ name: 'Ann' }))).to.deep.equal({ field: 'email', code: 'contact_required' });
  });

  it('checks the formats as setContactInfo does, and the lengths', () => {
    expect(checkContactForm(form({ name: 'Ann', email: 'not an email' }))).to.deep.equal({
      field: 'email',
      code: 'invalid',
    });
    expect(checkContactForm(form({ name: 'Ann', email: 'ann@example.com', phone: 'call me' }))).to.deep.equal({
      field: 'phone',
      code: 'invalid',
    });
    expect(checkContactForm(form({ name: 'x'.repeat(LIMITS.name + 1), email: 'ann@example.com' }))).to.deep.equal({
      field: 'name',
      code: 'too_long',
    });
  });
});

describe('checkClientAttributes', () => {
  it('accepts strings, finite numbers and booleans, in order; null only for a call', () => {
    expect(checkClientAttributes({ plan: 'gold', visits: 3, vip: true })).to.deep.equal({
      entries: [
        ['plan', 'gold'],
        ['visits', 3],
        ['vip', true],
      ],
    });
    expect(checkClientAttributes({ plan: null })).to.have.property('error');
    expect(checkClientAttributes({ plan: null }, true)).to.deep.equal({ entries: [['plan', null]] });
  });

  it('refuses what is not a plain object, bad names and values, too many, and never throws', () => {
    const hostile = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('boom');
        },
      },
    );
    const bad: unknown[] = [
      null,
      'plan=gold',
      ['gold'],
      new Date(),
      new Map([['plan', 'gold']]),
      { '': 'x' },
      { '   ': 'x' },
      { ['k'.repeat(LIMITS.attributeKey + 1)]: 'x' },
      { plan: 'x'.repeat(LIMITS.attributeValue + 1) },
      { plan: NaN },
      { plan: Infinity },
      { plan: { nested: true } },
      { plan: ['a'] },
      { plan: undefined },
      Object.fromEntries(Array.from({ length: LIMITS.clientAttributes + 1 }, (_, i) => [`k${i}`, i])),
      hostile,
    ];
    for (const [i, value] of bad.entries()) {
      const checked = checkClientAttributes(value, true);
      expect(checked, `bad value ${i}`).to.have.property('error').that.is.a('string');
    }
    expect(
      checkClientAttributes(
        Object.fromEntries(Array.from({ length: LIMITS.clientAttributes }, (_, i) => [`k${i}`, i])),
      ),
    ).to.have.property('entries');
    // Twenty long values of three-byte characters would not fit one frame.
    const wide = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`${'€'.repeat(60)}${i}`, '€'.repeat(255)]));
    expect(checkClientAttributes(wide)).to.have.property('error').that.matches(/bytes/);
  });

  it('keeps a __proto__ name as an attribute, not as a prototype', () => {
    const checked = checkClientAttributes(JSON.parse('{"__proto__": "x", "plan": "gold"}'));
    expect(checked).to.deep.equal({
      entries: [
        ['__proto__', 'x'],
        ['plan', 'gold'],
      ],
    });
  });
});

describe('normalizePhone', () => {
  it('normalizePhone keeps an optional + and 7-15 digits, dropping spaces, dashes, dots and parentheses', () => {
    expect(normalizePhone('+14084987855')).to.equal('+14084987855');
    expect(normalizePhone('+1 (408) 498-78.55')).to.equal('+14084987855');
    expect(normalizePhone('8 800 555 35 35')).to.equal('88005553535');
    expect(normalizePhone('1234567')).to.equal('1234567');
    expect(normalizePhone('123456789012345')).to.equal('123456789012345');
    for (const bad of [
      '123456',
      '1234567890123456',
      '+',
      '',
      '++14084987855',
      '1+4084987855',
      '+1 408 CALL ME',
      '+1\u0660234567',
      42,
      null,
      undefined,
      {},
      '1'.repeat(33),
    ]) {
      expect(normalizePhone(bad), String(bad)).to.equal(null);
    }
  });
});

describe('the Result shape', () => {
  it('gives the normalised value when valid', () => {
    expect(validateOfflineFields({ message: ' Hi ', email: ' a@b.org ', name: null })).to.deep.equal({
      ok: true,
      value: { name: '', email: 'a@b.org', phone: '', description: '', message: 'Hi' },
    });
    expect(validateContactFields({ name: ' Ann ', phone: undefined })).to.deep.equal({
      ok: true,
      value: { name: 'Ann' },
    });
    expect(validatePhone('+1 (408) 498-78.55')).to.deep.equal({ ok: true, value: '+14084987855' });
    expect(validateUtm({ source: 's', medium: 'm', campaign: 'c', content: '', term: '', extra: 1 })).to.deep.equal({
      ok: true,
      value: { source: 's', medium: 'm', campaign: 'c', content: '', term: '' },
    });
  });

  it('gives the message, and for form fields the field and the problem, when not', () => {
    expect(validateOfflineFields({ message: 'Hi', email: 'nope' })).to.deep.equal({
      ok: false,
      message: 'email is not a valid address',
      field: 'email',
      problem: 'invalid',
    });
    expect(validateContactForm({ name: ' ', email: 'a@b.org', phone: '' })).to.include({
      ok: false,
      field: 'name',
      problem: 'required',
    });
    expect(validateText('   ')).to.include({ ok: false, message: 'text is empty' });
    expect(validateCustomData('x')).to.include({ ok: false, message: 'fields must be an array' });
    expect(validateClientAttributes([])).to.include({ ok: false });
    expect(validateUtm({ source: 1 })).to.include({
      ok: false,
      message: 'utm must be {source, medium, campaign, content, term} strings',
    });
  });
});
