import { expect } from '@open-wc/testing';
import { globMatch, matchUrl } from '../../src/triggers/url-pattern.js';

describe('globMatch', () => {
  const cases: Array<[string, string, boolean]> = [
    ['abc', 'abc', true],
    ['abc', 'abcd', false],
    ['*', '', true],
    ['*', 'anything at all', true],
    ['a*', 'a', true],
    ['*c', 'abc', true],
    ['*c', 'abcd', false],
    ['a**c', 'abbbc', true],
    ['ab*ba', 'aba', false],
    ['ab*ba', 'abba', true],
    ['*a*b', 'xaab', true],
    ['a*b*c', 'abcbc', true],
    ['a*b*c', 'acb', false],
    ['a*b*b', 'ab', false],
    ['a*b*b', 'abb', true],
    ['*x*x*', 'x', false],
    ['*x*x*', 'xx', true],
    ['a.c', 'abc', false],
    ['(a+)+', '(a+)+', true],
    ['?', 'a', false],
  ];
  for (const [pattern, text, expected] of cases) {
    it(`${JSON.stringify(pattern)} ${expected ? 'matches' : 'does not match'} ${JSON.stringify(text)}`, () => {
      expect(globMatch(pattern, text)).to.equal(expected);
    });
  }

  it('treats regular-expression syntax as plain characters', () => {
    expect(matchUrl('contains', '.*', 'https://a.example/')).to.equal(false);
    expect(matchUrl('starts_with', '^https', 'https://a.example/')).to.equal(false);
  });
});
