import type { UrlOperator } from './types.js';

/**
 * Whether the whole of `text` matches `pattern`, where `*` stands for any run of characters (none included) and every
 * other character stands for itself. No regular expression is built: the pieces between stars are found left to right
 * with `indexOf`, taking the earliest place each can go, which is always right for this kind of pattern (a later
 * piece can only gain from an earlier one ending sooner). So the work is bounded by pattern × text length, with no
 * backtracking to blow up.
 */
export function globMatch(pattern: string, text: string): boolean {
  const pieces = pattern.split('*');
  if (pieces.length === 1) return pattern === text;
  const first = pieces[0];
  const last = pieces[pieces.length - 1];
  if (first.length + last.length > text.length) return false;
  if (!text.startsWith(first) || !text.endsWith(last)) return false;
  let at = first.length;
  const end = text.length - last.length;
  for (let i = 1; i < pieces.length - 1; i++) {
    const piece = pieces[i];
    if (!piece) continue;
    const found = text.indexOf(piece, at);
    if (found < 0 || found + piece.length > end) return false;
    at = found + piece.length;
  }
  return true;
}

/** Whether `url` matches a `page_url` condition. Case-sensitive, on the URL as given (normally `location.href`). */
export function matchUrl(operator: UrlOperator, pattern: string, url: string): boolean {
  switch (operator) {
    case 'contains':
      return url.includes(pattern);
    case 'equals':
      return url === pattern;
    case 'starts_with':
      return url.startsWith(pattern);
    case 'glob':
      return globMatch(pattern, url);
  }
}
