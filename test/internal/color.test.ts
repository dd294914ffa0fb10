import { expect } from '@open-wc/testing';
import {
  contrast,
  isHexColor,
  luminance,
  normalizeHex,
  readableBackground,
  readableTextOn,
} from '../../src/internal/color.js';

describe('colors', () => {
  it('accepts the hex forms and nothing else', () => {
    for (const good of ['#fff', '#FFFF', '#a1b2c3', '#a1b2c3d4', ' #abc '])
      expect(isHexColor(good), good).to.equal(true);
    for (const bad of ['fff', '#ff', '#abcde', 'red', 'rgb(0,0,0)', '#ggg', '', null, 123, {}])
      expect(isHexColor(bad), String(bad)).to.equal(false);
  });

  it('normalizes to lowercase #rrggbb', () => {
    expect(normalizeHex('#ABC')).to.equal('#aabbcc');
    expect(normalizeHex('#abcd')).to.equal('#aabbcc');
    expect(normalizeHex('#11223344')).to.equal('#112233');
    expect(normalizeHex('blue')).to.equal(null);
  });

  it('picks the text colour that reads better on the background', () => {
    expect(readableTextOn('#ffffff')).to.equal('#000000');
    expect(readableTextOn('#000000')).to.equal('#ffffff');
    expect(readableTextOn('#2a5bd7')).to.equal('#ffffff');
    expect(readableTextOn('#ffd600')).to.equal('#000000');
    // Across a gradient, the worse end decides.
    expect(readableTextOn('#ffffff', '#2a5bd7')).to.equal('#000000');
  });

  describe('readableBackground', () => {
    const on = (bg: string, text: string) => contrast(luminance(bg), luminance(text));

    it('keeps a background that text already reads on', () => {
      expect(readableBackground('#ffeb3b', '#000000')).to.equal('#ffeb3b');
      expect(readableBackground('#2a5bd7', '#ffffff')).to.equal('#2a5bd7');
    });

    it('lightens a dark end under black text, darkens a light end under white text, just to 4.5:1', () => {
      const navy = readableBackground('#1a237e', '#000000');
      expect(on(navy, '#000000')).to.be.at.least(4.5).and.below(4.6);
      expect(luminance(navy)).to.be.above(luminance('#1a237e'));
      const grey = readableBackground('#ffffff', '#ffffff');
      expect(on(grey, '#ffffff')).to.be.at.least(4.5).and.below(4.6);
    });

    it('every colour, as either end of a gradient, ends at 4.5:1 or more for black text and for white text', () => {
      for (let i = 0; i < 4096; i++) {
        const hex = '#' + [i >> 8, (i >> 4) & 15, i & 15].map((d) => (d * 17).toString(16).padStart(2, '0')).join('');
        for (const text of ['#000000', '#ffffff'] as const) {
          const ratio = on(readableBackground(hex, text), text);
          expect(ratio, `${text} on ${hex}`)
            .to.be.at.least(4.5)
            .and.below(hex === readableBackground(hex, text) ? 22 : 4.7);
        }
      }
    });

    it('a single colour never changes: black or white always reaches 4.5:1 on it', () => {
      for (let i = 0; i < 4096; i += 7) {
        const hex = '#' + [i >> 8, (i >> 4) & 15, i & 15].map((d) => (d * 17).toString(16).padStart(2, '0')).join('');
        expect(readableBackground(hex, readableTextOn(hex)), hex).to.equal(hex);
      }
    });
  });
});
