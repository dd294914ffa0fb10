import { expect } from '@open-wc/testing';
import { utf8Length } from '../../src/model/guards.js';

describe('utf8Length', () => {
  const encoded = (s: string) => new TextEncoder().encode(s).length;

  for (const [name, text] of [
    ['empty', ''],
    ['ASCII', 'Hello, world! {"type":"x"}'],
    ['Latin-1 and two-byte', 'café ß ñ ©'],
    ['Cyrillic', 'Привет, как дела?'],
    ['CJK (three bytes)', '你好世界'],
    ['emoji (surrogate pairs)', '👋🏽 hi 🎉👨‍👩‍👧'],
    ['a mix', 'a€Ж😀z'],
    ['lone surrogates (encoded as U+FFFD)', '\uD800\u4e00 x\uDC00 \uD83D'],
  ] as const) {
    it(`matches TextEncoder for ${name}`, () => {
      expect(utf8Length(text)).to.equal(encoded(text));
    });
  }

  it('counts two bytes per Cyrillic letter and four per emoji', () => {
    expect(utf8Length('Ж'.repeat(6000))).to.equal(12_000);
    expect(utf8Length('😀')).to.equal(4);
    expect('😀'.length).to.equal(2);
  });
});
