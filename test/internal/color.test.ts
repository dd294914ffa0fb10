import { expect } from '@open-wc/testing';
import { isHexColor, normalizeHex, readableTextOn } from '../../src/internal/color.js';

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
});
