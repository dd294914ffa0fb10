import { expect } from '@open-wc/testing';
import { linkify, safeHttpUrl } from '../../src/internal/url.js';

describe('safeHttpUrl', () => {
  it('keeps http and https only', () => {
    expect(safeHttpUrl('https://example.com/a?b=1')).to.equal('https://example.com/a?b=1');
    expect(safeHttpUrl('http://example.com')).to.equal('http://example.com/');
    for (const bad of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      ' javascript:alert(1)',
      'data:text/html,<b>x</b>',
      'vbscript:x',
      'ftp://x',
      'not a url',
      '',
    ]) {
      expect(safeHttpUrl(bad), bad).to.equal(null);
    }
  });
});

describe('linkify', () => {
  const links = (text: string) =>
    linkify(text)
      .filter((s) => s.href)
      .map((s) => [s.text, s.href]);

  it('returns the text unchanged as one segment when there is no address', () => {
    expect(linkify('<b>hi</b> & bye')).to.deep.equal([{ text: '<b>hi</b> & bye' }]);
    expect(linkify('')).to.deep.equal([]);
  });

  it('finds http, https and www addresses and leaves sentence punctuation outside', () => {
    expect(links('See https://example.com/a, or www.example.org. (http://x.io/p)')).to.deep.equal([
      ['https://example.com/a', 'https://example.com/a'],
      ['www.example.org', 'https://www.example.org/'],
      ['http://x.io/p', 'http://x.io/p'],
    ]);
  });

  it('keeps a closing bracket that belongs to the address', () => {
    expect(links('https://en.wikipedia.org/wiki/Lit_(software)')).to.deep.equal([
      ['https://en.wikipedia.org/wiki/Lit_(software)', 'https://en.wikipedia.org/wiki/Lit_(software)'],
    ]);
  });

  it('never makes links of other schemes', () => {
    expect(links('javascript:alert(1) data:text/html,x mailto:a@b.c')).to.deep.equal([]);
  });

  it('keeps every character of the input, in order', () => {
    const text = 'a https://x.io/y. b www.z.com! <script>alert(1)</script>';
    expect(
      linkify(text)
        .map((s) => s.text)
        .join(''),
    ).to.equal(text);
  });
});
