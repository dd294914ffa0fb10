/**
 * What a site says about its team in the widget (sites.json via server/sites.ts, the `sites` command): the team's
 * name and greeting, shown before an agent accepts the chat, and the messenger channels of the channel menu
 * (`open({start: 'menu'})`) beside chat and call back; and the agents' photos. One validator for the server, the
 * wire and the widget: only https links (a messenger's page), `mailto:` for e-mail and `tel:` for a phone.
 * Apart from limits.ts so that only the code that needs it carries it, not the launcher.
 */
import { isObj, isStr } from './guards.js';

export const CHANNEL_KINDS = ['whatsapp', 'telegram', 'viber', 'messenger', 'email', 'phone'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

export interface Channel {
  kind: ChannelKind;
  /** https for a messenger, `mailto:` for email, `tel:` for phone. */
  url: string;
}

export interface SiteProfile {
  /** The team's name ('' for none: the window's own title stays). */
  team: string;
  /** The greeting shown before an agent accepts ('' for none). */
  greeting: string;
  channels: Channel[];
}

export const PROFILE_LIMITS = { team: 100, greeting: 500, url: 2048, channels: CHANNEL_KINDS.length } as const;

/** A text of at most `max` characters without control characters (line breaks allowed in a greeting). */
function cleanText(v: unknown, max: number, lines = false): string | null {
  if (!isStr(v, max)) return null;
  // eslint-disable-next-line no-control-regex
  return (lines ? /[\u0000-\u0009\u000b-\u001f\u007f]/ : /[\u0000-\u001f\u007f]/).test(v) ? null : v.trim();
}

/** The channel's link as it may be opened, or null: https for messengers, mailto: for email, tel: for phone. */
export function checkChannelUrl(kind: ChannelKind, raw: unknown): string | null {
  if (!isStr(raw, PROFILE_LIMITS.url)) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.username || url.password) return null;
  if (kind === 'email') return url.protocol === 'mailto:' && /^[^@\s]+@[^@\s]+$/.test(url.pathname) ? url.href : null;
  if (kind === 'phone')
    return url.protocol === 'tel:' && /^\+?[\d\-.() ]{3,32}$/.test(decodeURI(url.pathname)) ? url.href : null;
  return url.protocol === 'https:' && url.hostname.includes('.') ? url.href : null;
}

export const isChannelKind = (v: unknown): v is ChannelKind => CHANNEL_KINDS.includes(v as ChannelKind);

/** A channel list: each kind at most once, each link checked; null when anything does not fit. */
export function checkChannels(v: unknown): Channel[] | null {
  if (!Array.isArray(v) || v.length > PROFILE_LIMITS.channels) return null;
  const seen = new Set<string>();
  const out: Channel[] = [];
  for (const c of v) {
    if (!isObj(c) || !isChannelKind(c.kind) || seen.has(c.kind)) return null;
    const url = checkChannelUrl(c.kind, c.url);
    if (!url) return null;
    seen.add(c.kind);
    out.push({ kind: c.kind, url });
  }
  return out;
}

/** A site profile, checked whole; null when anything does not fit. */
export function checkSiteProfile(v: unknown): SiteProfile | null {
  if (!isObj(v)) return null;
  const team = cleanText(v.team ?? '', PROFILE_LIMITS.team);
  const greeting = cleanText(v.greeting ?? '', PROFILE_LIMITS.greeting, true);
  const channels = checkChannels(v.channels ?? []);
  return team === null || greeting === null || !channels ? null : { team, greeting, channels };
}

/** An agent's photo: an absolute https URL of at most 2048 characters without credentials, or null. */
export function checkPhotoUrl(raw: unknown): string | null {
  if (!isStr(raw, PROFILE_LIMITS.url)) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  return url.protocol === 'https:' && !url.username && !url.password && url.hostname.includes('.') ? url.href : null;
}
