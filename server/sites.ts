/**
 * Sites: which pages may open widget sockets for a widget id (security review F12, F19). Any web page can point a
 * widget at any server, so without this anyone creates visitors under any site's widget id, and every page on the web
 * can turn its visitors' browsers into clients of yours.
 *
 * `<dataDir>/sites.json` (0600) maps a widget id to the exact page origins allowed for it:
 *   {"sites": {"shop": ["https://shop.example", "https://www.shop.example"]}}
 * A hello for a listed widget id from a page of another origin (the upgrade's Origin header) is refused: `error`
 * `bad_frame` and close 1008 "Origin not allowed for this widget"; nothing is stored. Widget ids that are not listed
 * stay open, unless `registeredSitesOnly` is set: then they are refused the same way ("Unknown widget id").
 * Admins manage the file on the command line (`sites list | allow <widgetId> <origin>… | remove <widgetId>`); a
 * running server applies a change within a second.
 *
 * The same file says what a site's widget shows of its team (model/site-profile.ts): the team's name and greeting
 * before an agent accepts, and the messenger channels of its channel menu:
 *   {"sites": {...}, "profiles": {"shop": {"team": "Acme support", "greeting": "Hi! How can we help?",
 *     "channels": [{"kind": "telegram", "url": "https://t.me/acme"}, {"kind": "email", "url": "mailto:help@acme.example"}]}}}
 * (`sites team <widgetId> <name>…`, `sites greeting <widgetId> <text>…`, `sites channel <widgetId> <kind> <url> | --off`).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isStr } from '../src/model/guards.js';
import { LIMITS } from '../src/model/limits.js';
import { NO_SITE_SETTINGS, validateSiteSettings, type SiteSettings } from '../src/model/site-settings.js';
import { privateDir, writePrivateFile } from './files.js';
import { checkOrigin } from './network.js';
import {
  checkChannelUrl,
  checkSiteProfile,
  isChannelKind,
  CHANNEL_KINDS,
  type SiteProfile,
} from '../src/model/site-profile.js';

export const SITES_FILE = 'sites.json';

/** Per widget id: the page origins allowed, and the secret its site signs visitor identities with (identity.ts). */
export interface SiteList {
  origins: Map<string, string[]>;
  identity: Map<string, string>;
  /** Per widget id: business hours and the pre-chat form (src/model/site-settings.ts); absent: none. */
  settings: Map<string, SiteSettings>;
  /** What each site's widget shows of its team: name, greeting, channels. */
  profiles: Map<string, SiteProfile>;
}

const noSites = (): SiteList => ({
  origins: new Map(),
  identity: new Map(),
  settings: new Map(),
  profiles: new Map(),
});
const NO_PROFILE: SiteProfile = { team: '', greeting: '', channels: [] };

/** The sites in `dataDir` (none when the file does not exist); throws on a damaged file. */
export function readSites(dataDir: string): SiteList {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(join(dataDir, SITES_FILE), 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return noSites();
    throw new Error(`${SITES_FILE} is not readable JSON: ${(error as Error).message}`, { cause: error });
  }
  return parseSites(raw);
}

/** The sites in a sites.json document (null: none); throws on a damaged one. */
export function parseSites(raw: unknown): SiteList {
  const list = noSites();
  if (raw === null) return list;
  const {
    sites,
    identity = {},
    settings = {},
    profiles = {},
  } = (raw ?? {}) as { sites?: unknown; identity?: unknown; settings?: unknown; profiles?: unknown };
  if (typeof sites !== 'object' || sites === null || Array.isArray(sites))
    throw new Error(`${SITES_FILE} has no "sites" object`);
  if (typeof identity !== 'object' || identity === null || Array.isArray(identity))
    throw new Error(`${SITES_FILE}: "identity" is not an object`);
  for (const [widgetId, origins] of Object.entries(sites)) {
    if (!isStr(widgetId, LIMITS.widgetId) || !Array.isArray(origins))
      throw new Error(`${SITES_FILE}: ${JSON.stringify(widgetId)} is malformed`);
    list.origins.set(
      widgetId,
      origins.map((o) => checkOrigin(String(o), `${SITES_FILE}: ${widgetId}`)),
    );
  }
  if (typeof profiles !== 'object' || profiles === null || Array.isArray(profiles))
    throw new Error(`${SITES_FILE}: "profiles" is not an object`);
  for (const [widgetId, profile] of Object.entries(profiles)) {
    const checked = isStr(widgetId, LIMITS.widgetId) ? checkSiteProfile(profile) : null;
    if (!checked) throw new Error(`${SITES_FILE}: the profile of ${JSON.stringify(widgetId)} is malformed`);
    list.profiles.set(widgetId, checked);
  }
  for (const [widgetId, secret] of Object.entries(identity)) {
    if (!isStr(widgetId, LIMITS.widgetId) || typeof secret !== 'string' || secret.length < 32)
      throw new Error(`${SITES_FILE}: the identity secret of ${JSON.stringify(widgetId)} is malformed`);
    list.identity.set(widgetId, secret);
  }
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings))
    throw new Error(`${SITES_FILE}: "settings" is not an object`);
  for (const [widgetId, value] of Object.entries(settings)) {
    const checked = validateSiteSettings(value);
    if (!isStr(widgetId, LIMITS.widgetId) || !widgetId || !checked.ok)
      throw new Error(
        `${SITES_FILE}: the settings of ${JSON.stringify(widgetId)} are malformed${checked.ok ? '' : `: ${checked.message}`}`,
      );
    list.settings.set(widgetId, checked.value);
  }
  return list;
}

export const sitesDocument = (sites: SiteList): string =>
  `${JSON.stringify(
    {
      sites: Object.fromEntries(sites.origins),
      ...(sites.identity.size ? { identity: Object.fromEntries(sites.identity) } : {}),
      ...(sites.settings.size ? { settings: Object.fromEntries(sites.settings) } : {}),
      ...(sites.profiles.size ? { profiles: Object.fromEntries(sites.profiles) } : {}),
    },
    null,
    2,
  )}\n`;

export function writeSites(dataDir: string, sites: SiteList): void {
  privateDir(dataDir);
  writePrivateFile(join(dataDir, SITES_FILE), sitesDocument(sites));
}

/** Where the site list is: sites.json in the data directory, or the database (with DATABASE_URL). */
export interface SitesIo {
  sites: SiteList;
  save(sites: SiteList): Promise<void>;
}

export const sitesFile = (dataDir: string): SitesIo => ({
  sites: readSites(dataDir),
  save: (sites) => Promise.resolve(writeSites(dataDir, sites)),
});

/** `sites` on the command line; returns what to print. */
export async function sitesCommand(io: SitesIo, args: string[]): Promise<string> {
  const [command, widgetId, ...origins] = args;
  const { sites } = io;
  const usage =
    'usage: sites list | allow <widgetId> <origin>… | remove <widgetId> | identity <widgetId> [--off]' +
    ` | team <widgetId> <name>… | greeting <widgetId> <text>… | channel <widgetId> <${CHANNEL_KINDS.join('|')}> <url>|--off`;
  const profileOf = (id: string) => ({ ...NO_PROFILE, ...sites.profiles.get(id) });
  /** Saves a site's profile after checking it whole, as the server will read it. */
  const saveProfile = async (id: string, profile: SiteProfile): Promise<string> => {
    const checked = checkSiteProfile(profile);
    if (!checked) throw new Error(usage);
    if (!checked.team && !checked.greeting && !checked.channels.length) sites.profiles.delete(id);
    else sites.profiles.set(id, checked);
    await io.save(sites);
    return describeProfile(id, checked);
  };
  switch (command) {
    case 'team':
    case 'greeting': {
      if (!widgetId || !isStr(widgetId, LIMITS.widgetId)) throw new Error(usage);
      return saveProfile(widgetId, { ...profileOf(widgetId), [command]: origins.join(' ') });
    }
    case 'channel': {
      const [kind, url] = origins;
      if (!widgetId || !isStr(widgetId, LIMITS.widgetId) || !isChannelKind(kind) || !url || origins.length > 2)
        throw new Error(usage);
      const profile = profileOf(widgetId);
      const channels = profile.channels.filter((c) => c.kind !== kind);
      if (url !== '--off') {
        const checked = checkChannelUrl(kind, url);
        if (!checked)
          throw new Error(
            `${kind}: ${kind === 'email' ? 'a mailto: address' : kind === 'phone' ? 'a tel: number' : 'an https link'} is needed`,
          );
        channels.push({ kind, url: checked });
      }
      return saveProfile(widgetId, { ...profile, channels });
    }
    case 'list': {
      const ids = new Set([...sites.origins.keys(), ...sites.identity.keys(), ...sites.profiles.keys()]);
      return ids.size
        ? [...ids]
            .map(
              (id) =>
                `${id}\t${(sites.origins.get(id) ?? ['(any origin)']).join(' ')}${sites.identity.has(id) ? '\tverified identities' : ''}${sites.profiles.has(id) ? `\n  ${describeProfile(id, sites.profiles.get(id)!).replace(/\n/g, '\n  ')}` : ''}`,
            )
            .join('\n')
        : 'no sites: every widget id is open';
    }
    case 'allow': {
      if (!widgetId || !isStr(widgetId, LIMITS.widgetId) || !origins.length) throw new Error(usage);
      const list = new Set(sites.origins.get(widgetId) ?? []);
      for (const o of origins) list.add(checkOrigin(o, 'origin'));
      sites.origins.set(widgetId, [...list]);
      await io.save(sites);
      return `${widgetId}: ${[...list].join(' ')}`;
    }
    case 'remove':
      if (!widgetId || !sites.origins.delete(widgetId)) throw new Error(`no site ${widgetId ?? '(none)'}`);
      sites.identity.delete(widgetId);
      await io.save(sites);
      return `${widgetId} removed: it is open again unless registeredSitesOnly is set`;
    case 'identity': {
      if (!widgetId || !isStr(widgetId, LIMITS.widgetId) || origins.some((o) => o !== '--off')) throw new Error(usage);
      if (origins.includes('--off')) {
        sites.identity.delete(widgetId);
        await io.save(sites);
        return `${widgetId}: user tokens are no longer verified (webhooks say user_token_verified: false)`;
      }
      const secret = randomBytes(32).toString('base64url');
      sites.identity.set(widgetId, secret);
      await io.save(sites);
      return [
        `${widgetId}: identity secret ${secret}`,
        "(shown once: keep it on the site's server. It signs each visitor's id as an HS256 JWT {sub, exp} that the",
        'page passes to jivo_api.setUserToken; unsigned tokens are refused from now on. Run this again to replace it.)',
      ].join('\n');
    }
    default:
      throw new Error(usage);
  }
}

function describeProfile(id: string, p: SiteProfile): string {
  return [
    `${id}: team ${p.team ? JSON.stringify(p.team) : '(none)'}, greeting ${p.greeting ? JSON.stringify(p.greeting) : '(none)'}`,
    ...p.channels.map((c) => `${c.kind}\t${c.url}`),
  ].join('\n');
}

/** The server's view of sites.json, reloaded when it changes. */
export class Sites {
  readonly #dataDir: string | null;
  readonly #only: boolean;
  readonly #warn: (message: string) => void;
  #sites: SiteList = noSites();
  #mtime = 0;
  readonly #timer: ReturnType<typeof setInterval> | undefined;
  readonly #shared: (() => Promise<SiteList>) | null;
  readonly #save: ((sites: SiteList) => Promise<void>) | null;
  /** Called after the settings may have changed (a save here, the file edited, another process's save). */
  onChange: () => void = () => {};

  /**
   * `shared`: the list as every server process sharing a database has it, and how to read it again (instead of
   * `dataDir`'s file); read again every `reloadMs` and on `refresh`.
   */
  constructor(
    dataDir: string | null,
    registeredOnly: boolean,
    reloadMs: number,
    warn: (message: string) => void,
    shared?: { sites: SiteList; load: () => Promise<SiteList>; save: (sites: SiteList) => Promise<void> },
  ) {
    this.#dataDir = shared ? null : dataDir;
    this.#only = registeredOnly;
    this.#warn = warn;
    this.#shared = shared?.load ?? null;
    this.#save = shared?.save ?? (dataDir ? (sites) => Promise.resolve(writeSites(dataDir, sites)) : null);
    if (shared) {
      this.#sites = shared.sites;
      this.#timer = setInterval(() => void this.refresh(), reloadMs);
      this.#timer.unref();
    } else if (dataDir) {
      this.#sites = readSites(dataDir);
      this.#mtime = this.#stat();
      this.#timer = setInterval(() => this.#reload(), reloadMs);
      this.#timer.unref();
    }
  }

  /** Null when a page of `origin` may open a widget socket for `widgetId`; otherwise why not. */
  refusal(widgetId: string, origin: string | undefined): string | null {
    const allowed = this.#sites.origins.get(widgetId);
    if (!allowed) return this.#only ? 'Unknown widget id' : null;
    return origin !== undefined && allowed.includes(origin.toLowerCase()) ? null : 'Origin not allowed for this widget';
  }

  /** The secret the site of `widgetId` signs visitor identities with (identity.ts), or null when it has none. */
  identitySecret(widgetId: string): string | null {
    return this.#sites.identity.get(widgetId) ?? null;
  }

  /** A site's business hours and pre-chat form (none of either when it has no settings). */
  settings(widgetId: string): SiteSettings {
    return this.#sites.settings.get(widgetId) ?? NO_SITE_SETTINGS;
  }

  /** Every widget id with settings, and its settings. */
  allSettings(): Array<[string, SiteSettings]> {
    return [...this.#sites.settings];
  }

  /**
   * Replaces a site's settings (already validated) and saves them: to sites.json, or to the database shared by every
   * server process. Only in memory for a server without a data directory.
   */
  async setSettings(widgetId: string, settings: SiteSettings): Promise<void> {
    const next: SiteList = { ...this.#sites, settings: new Map(this.#sites.settings) };
    if (settings.hours === null && settings.prechat === null) next.settings.delete(widgetId);
    else next.settings.set(widgetId, settings);
    await this.#save?.(next);
    this.#sites = next;
    if (this.#dataDir) this.#mtime = this.#stat();
    this.onChange();
  }

  /** What the site's widget shows of its team, or null when nothing is configured. */
  profile(widgetId: string): SiteProfile | null {
    return this.#sites.profiles.get(widgetId) ?? null;
  }

  /** Reads the shared list again (a change on another server process). */
  async refresh(): Promise<void> {
    if (!this.#shared) return;
    try {
      this.#sites = await this.#shared();
      this.onChange();
    } catch (error) {
      this.#warn(`kept the previous sites: ${(error as Error).message}`);
    }
  }

  close(): void {
    clearInterval(this.#timer);
  }

  #stat(): number {
    try {
      return statSync(join(this.#dataDir!, SITES_FILE)).mtimeMs;
    } catch {
      return 0;
    }
  }

  #reload(): void {
    const mtime = this.#stat();
    if (mtime === this.#mtime) return;
    this.#mtime = mtime;
    try {
      this.#sites = readSites(this.#dataDir!);
      this.onChange();
    } catch (error) {
      this.#warn(`kept the previous sites: ${(error as Error).message}`);
    }
  }
}
