/**
 * What the server keeps of a page address (security review F13, F19). The widget reports the whole `location.href`,
 * and addresses carry secrets (`?reset_token=…`, `#access_token=…`) that would otherwise be stored for good, shown to
 * agents and sent in webhooks. Kept: the origin and the path, plus the query parameters the operator lists
 * (`pageQueryParams`, e.g. `utm_source` or `product`); never the fragment. An address that is not http(s)
 * (`javascript:`, `data:`, a malformed one) keeps nothing: its `url` becomes ''.
 */
import type { PageInfo } from '../src/model/types.js';

export function storedPage(page: PageInfo, keepParams: ReadonlySet<string>): PageInfo;
export function storedPage(page: PageInfo | null, keepParams: ReadonlySet<string>): PageInfo | null;
export function storedPage(page: PageInfo | null, keepParams: ReadonlySet<string>): PageInfo | null {
  if (page === null) return null;
  let url: URL;
  try {
    url = new URL(page.url);
  } catch {
    return { url: '', title: page.title };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { url: '', title: page.title };
  const kept = new URLSearchParams();
  for (const [key, value] of url.searchParams) if (keepParams.has(key)) kept.append(key, value);
  const query = kept.toString();
  return { url: `${url.origin}${url.pathname}${query ? `?${query}` : ''}`, title: page.title };
}
