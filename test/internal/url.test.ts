import { expect } from '@open-wc/testing';
import { linkify, safeHttpUrl, shownText } from '../../src/internal/url.js';

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

describe('shownText', () => {
  it('F18: drops bidi embeddings, overrides, isolates and zero-width characters; keeps joiners and direction marks', () => {
    expect(shownText('invoice\u202efdp.exe')).to.equal('invoicefdp.exe');
    expect(shownText('a\u200bb\u2060c\ufeffd\u00ade\u2066f\u2069g\u202ah\u202ci')).to.equal('abcdefghi');
    // Emoji and scripts need the joiners; right-to-left writing uses the marks.
    expect(shownText('👨\u200d👩\u200d👧 क्\u200dष \u200fשלום\u200e')).to.equal(
      '👨\u200d👩\u200d👧 क्\u200dष \u200fשלום\u200e',
    );
  });

  it('linkify shows the text without them, so a link cannot be disguised either', () => {
    expect(linkify('see https://example.com/\u202egnp.exe')).to.deep.equal([
      { text: 'see ' },
      { text: 'https://example.com/gnp.exe', href: 'https://example.com/gnp.exe' },
    ]);
  });
});
