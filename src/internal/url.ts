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

export type TextSegment =
  { readonly text: string; readonly href?: undefined } | { readonly text: string; readonly href: string };

// A run of non-space characters that starts like a web address.
const CANDIDATE = /\b(?:https?:\/\/|www\.)[^\s<>"]+/gi;
// Closing punctuation that usually ends the sentence rather than the address.
const TRAILING = /[.,:;!?'")\]}]+$/;

/**
 * Splits plain text into text and link segments. Only http and https addresses become links; the text itself is
 * never interpreted as markup, so the caller renders every segment as text.
 */
export function linkify(text: string): TextSegment[] {
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
