/** The URL as an absolute http(s) string, or null for anything else (`javascript:`, `data:`, relative junk). */
export function safeHttpUrl(raw: string, base?: string): string | null {
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    return null;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
}

/**
 * Characters that change how text reads without being seen: bidi embeddings, overrides and isolates (U+202E turns
 * "invoice‮fdp.exe" into "invoiceexe.pdf" on screen, and can reorder what surrounds the text), zero-width spaces, the
 * word joiner and invisible operators, the soft hyphen, the Mongolian vowel separator and the byte-order mark. Kept:
 * the joiners (U+200C, U+200D), which scripts and emoji need, and the direction marks (U+200E, U+200F, U+061C), which
 * right-to-left writing uses and which reorder nothing beyond their neighbours.
 */
const INVISIBLE = /[\u00ad\u180e\u200b\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/** Text as shown to a visitor or an agent (messages, names, page titles): without the invisible characters above. */
export function shownText(text: string): string {
  return text.replace(INVISIBLE, '');
}

export type TextSegment =
  { readonly text: string; readonly href?: undefined } | { readonly text: string; readonly href: string };

// A run of non-space characters that starts like a web address.
const CANDIDATE = /\b(?:https?:\/\/|www\.)[^\s<>"]+/gi;
// Closing punctuation that usually ends the sentence rather than the address.
const TRAILING = /[.,:;!?'")\]}]+$/;

/**
 * Splits plain text into text and link segments, as shown (`shownText`). Only http and https addresses become links;
 * the text itself is never interpreted as markup, so the caller renders every segment as text.
 */
export function linkify(raw: string): TextSegment[] {
  const text = shownText(raw);
  const segments: TextSegment[] = [];
  let last = 0;
  for (const match of text.matchAll(CANDIDATE)) {
    let candidate = match[0];
    const trailing = TRAILING.exec(candidate);
    // Keep a closing bracket that has its opening partner inside the address (e.g. Wikipedia links).
    if (trailing && !(trailing[0] === ')' && candidate.includes('(')))
      candidate = candidate.slice(0, -trailing[0].length);
    const href = safeHttpUrl(candidate.startsWith('www.') ? `https://${candidate}` : candidate);
    if (!href) continue;
    const start = match.index;
    if (start > last) segments.push({ text: text.slice(last, start) });
    segments.push({ text: candidate, href });
    last = start + candidate.length;
  }
  if (last < text.length) segments.push({ text: text.slice(last) });
  return segments;
}
