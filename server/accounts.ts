/**
 * Agent accounts and their sessions.
 *
 * An account has a random id (chats belong to it), a login, a display name that visitors see (unique, free of
 * control, bidi and zero-width characters: checkAgentName), a role (`admin` or `agent`), a password hash and a
 * `disabled` flag. Passwords are hashed with scrypt from node:crypto, off the event loop, with OWASP's minimum cost
 * (N = 2^15, r = 8, p = 3: 32 MiB, about 0.3-0.7 s on a small server); the parameters are stored with each hash, so
 * they can be raised later without invalidating existing passwords.
 *
 * Files, in the data directory (0700), each 0600 and replaced whole (write, fsync, rename):
 *   agents.json    the accounts; written by the command line (`agents add|disable|enable|password`) and by the demo's
 *                  first start. A running server notices a change within `reloadMs` and applies it: a disabled
 *                  account or a new password ends the account's sessions and closes its sockets.
 *   sessions.json  the sessions, written by the server only. A session is kept as the SHA-256 of its token, never
 *                  the token itself, with its expiry.
 * Without a data directory both live in memory only.
 */
import { createHash, randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { checkAgentName } from './agent-protocol.js';
import { checkPhotoUrl } from '../src/model/site-profile.js';
import { privateDir, writePrivateFile } from './files.js';

export const AGENTS_FILE = 'agents.json';
export const SESSIONS_FILE = 'sessions.json';

export type Role = 'admin' | 'agent';

export interface AgentAccount {
  /** `ag-` and 96 random bits: what chats, webhooks and sessions refer to. */
  readonly id: string;
  /** What the agent signs in with: 1-254 characters, no spaces or control characters, compared case-insensitively. */
  readonly login: string;
  /** What visitors and other agents see. */
  readonly name: string;
  role: Role;
  /** `scrypt$N$r$p$salt$hash` (base64url). */
  passwordHash: string;
  disabled: boolean;
  readonly createdAt: number;
  /** When the password last changed: sessions from before it are no longer valid. */
  passwordChangedAt: number;
  /** The agent's photo, an https URL the agent set in the console (model/site-profile.ts checkPhotoUrl); absent when none. */
  photo?: string;
}

export interface Session {
  /** SHA-256 of the token, base64url: the session's id. */
  readonly id: string;
  readonly agentId: string;
  readonly createdAt: number;
  readonly expiresAt: number;
}

// --- passwords ---

export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

/** OWASP's minimum for scrypt (Password Storage Cheat Sheet): N = 2^15, r = 8, p = 3. */
export const SCRYPT_COST: ScryptCost = { N: 2 ** 15, r: 8, p: 3 };

function scrypt(password: string, salt: Buffer, { N, r, p }: ScryptCost, keylen: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCallback(password, salt, keylen, { N, r, p, maxmem: 256 * N * r }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

export async function hashPassword(password: string, cost: ScryptCost = SCRYPT_COST): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, cost, 32);
  return `scrypt$${cost.N}$${cost.r}$${cost.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0) || N > 2 ** 20 || r > 32 || p > 16) return false;
  const salt = Buffer.from(parts[4], 'base64url');
  const expected = Buffer.from(parts[5], 'base64url');
  if (expected.length < 16 || expected.length > 64) return false;
  const key = await scrypt(password, salt, { N, r, p }, expected.length);
  return timingSafeEqual(key, expected);
}

/** A password for a new account or a reset: 128 random bits, shown once. */
export const generatePassword = (): string => randomBytes(16).toString('base64url');

/** Passwords: 12-256 characters (NIST 800-63B: length, not composition rules). */
export function checkPassword(v: unknown): string | null {
  if (typeof v !== 'string') return 'The password must be a string';
  if (v.length < 12 || v.length > 256) return 'The password must have 12-256 characters';
  return null;
}

export function normalizeLogin(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const login = v.trim().toLowerCase();
  // eslint-disable-next-line no-control-regex -- control characters are what this refuses
  if (!login || login.length > 254 || /[\s\u0000-\u001f\u007f]/.test(login)) return null;
  return login;
}

// --- files ---

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`${file} is not readable JSON: ${(error as Error).message}`, { cause: error });
  }
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkAccount(v: unknown): AgentAccount | null {
  if (!isObj(v)) return null;
  const login = normalizeLogin(v.login);
  const name = checkAgentName(v.name);
  if (typeof v.id !== 'string' || !/^ag-[A-Za-z0-9_-]{8,64}$/.test(v.id) || !login || login !== v.login) return null;
  if (!name || name !== v.name || (v.role !== 'admin' && v.role !== 'agent') || typeof v.passwordHash !== 'string')
    return null;
  if (typeof v.disabled !== 'boolean' || typeof v.createdAt !== 'number' || typeof v.passwordChangedAt !== 'number')
    return null;
  const photo = v.photo === undefined ? undefined : checkPhotoUrl(v.photo);
  if (photo === null) return null;
  return {
    ...(photo ? { photo } : {}),
    id: v.id,
    login,
    name,
    role: v.role,
    passwordHash: v.passwordHash,
    disabled: v.disabled,
    createdAt: v.createdAt,
    passwordChangedAt: v.passwordChangedAt,
  };
}

/** The accounts in `dataDir` (none when the file does not exist); throws on a damaged file. */
export function readAccounts(dataDir: string): AgentAccount[] {
  return parseAccounts(readJson(join(dataDir, AGENTS_FILE)));
}

/** The accounts in an agents.json document (`{"agents": [...]}`; null: none); throws on a damaged one. */
export function parseAccounts(raw: unknown): AgentAccount[] {
  if (raw === null) return [];
  if (!isObj(raw) || !Array.isArray(raw.agents)) throw new Error(`${AGENTS_FILE} has no "agents" list`);
  return raw.agents.map((a, i) => {
    const account = checkAccount(a);
    if (!account) throw new Error(`${AGENTS_FILE}: agent #${i + 1} is malformed`);
    return account;
  });
}

/** A session read back from storage, or null when it is malformed or over. */
export function checkSession(s: unknown, now = Date.now()): Session | null {
  if (!isObj(s) || typeof s.id !== 'string' || typeof s.agentId !== 'string') return null;
  if (typeof s.createdAt !== 'number' || typeof s.expiresAt !== 'number' || s.expiresAt <= now) return null;
  return { id: s.id, agentId: s.agentId, createdAt: s.createdAt, expiresAt: s.expiresAt };
}

/**
 * Accounts and sessions kept where every server process sharing a database sees them (store/postgres.ts), instead of
 * the data directory's files.
 */
export interface SharedAccounts {
  load(): Promise<{ accounts: AgentAccount[]; sessions: Session[] }>;
  saveAccounts(accounts: readonly AgentAccount[]): Promise<void>;
  addSession(session: Session): Promise<void>;
  removeSessions(ids: readonly string[]): Promise<void>;
}

export function writeAccounts(dataDir: string, accounts: readonly AgentAccount[]): void {
  privateDir(dataDir);
  writePrivateFile(join(dataDir, AGENTS_FILE), `${JSON.stringify({ agents: accounts }, null, 2)}\n`);
}

export interface NewAccount {
  login: string;
  name: string;
  role?: Role;
  /** Generated (and returned) when absent. */
  password?: string;
}

/**
 * Adds an account to a list, checking login, name and password; the name must not be taken by any account (a
 * disabled one included), case-insensitively, so that a name always means one person. Returns the password.
 */
export async function addAccount(
  accounts: AgentAccount[],
  input: NewAccount,
  cost: ScryptCost = SCRYPT_COST,
  now = Date.now(),
): Promise<{ account: AgentAccount; password: string }> {
  const login = normalizeLogin(input.login);
  if (!login) throw new Error('The login must have 1-254 characters without spaces');
  const name = checkAgentName(input.name);
  if (!name || name !== input.name)
    throw new Error('The name must have 1-100 characters without control, bidi or zero-width characters');
  if (accounts.some((a) => a.login === login)) throw new Error(`The login ${login} is taken`);
  if (accounts.some((a) => a.name.toLowerCase() === name.toLowerCase())) throw new Error(`The name ${name} is taken`);
  const role = input.role ?? 'agent';
  if (role !== 'admin' && role !== 'agent') throw new Error('The role must be admin or agent');
  const password = input.password ?? generatePassword();
  const problem = checkPassword(password);
  if (problem) throw new Error(problem);
  const account: AgentAccount = {
    id: `ag-${randomBytes(12).toString('base64url')}`,
    login,
    name,
    role,
    passwordHash: await hashPassword(password, cost),
    disabled: false,
    createdAt: now,
    passwordChangedAt: now,
  };
  accounts.push(account);
  return { account, password };
}

// --- the server's view ---

export interface AccountsOptions {
  /** null keeps accounts and sessions in memory. */
  dataDir: string | null;
  /** How long a session lasts from sign-in. Default 12 h. */
  sessionTtlMs?: number;
  /** How often agents.json is checked for changes made by the command line. Default 1000 ms. */
  reloadMs?: number;
  /** The scrypt cost of new hashes. Default SCRYPT_COST; tests lower it to save time. */
  cost?: ScryptCost;
  warn: (message: string) => void;
  /** Told when sessions end (sign-out, expiry, a disabled account, a new password): their sockets are closed. */
  onSessionsEnded?: (sessionIds: Set<string>) => void;
  /**
   * Accounts and sessions shared by several server processes, and what they hold now (instead of `dataDir`'s files):
   * checked again every `reloadMs` and whenever `refresh` is called.
   */
  shared?: { store: SharedAccounts; accounts: AgentAccount[]; sessions: Session[] };
}

export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

const tokenId = (token: string): string => createHash('sha256').update(token).digest('base64url');

export class Accounts {
  readonly #dataDir: string | null;
  readonly #ttl: number;
  readonly #warn: (message: string) => void;
  #accounts: AgentAccount[] = [];
  readonly #sessions = new Map<string, Session>();
  #mtime = 0;
  readonly #cost: ScryptCost;
  /** A hash no password matches, to spend the same time on an unknown login as on a known one. */
  #decoy: Promise<string> | null = null;
  readonly #timer: ReturnType<typeof setInterval> | undefined;
  readonly #shared: SharedAccounts | null;
  #refreshing: Promise<void> | null = null;
  onSessionsEnded: (sessionIds: Set<string>) => void;

  constructor(options: AccountsOptions) {
    this.#dataDir = options.shared ? null : options.dataDir;
    this.#ttl = options.sessionTtlMs ?? SESSION_TTL_MS;
    this.#warn = options.warn;
    this.#cost = options.cost ?? SCRYPT_COST;
    this.onSessionsEnded = options.onSessionsEnded ?? (() => {});
    this.#shared = options.shared?.store ?? null;
    if (options.shared) {
      this.#accounts = options.shared.accounts;
      for (const s of options.shared.sessions) this.#sessions.set(s.id, s);
      this.#timer = setInterval(() => void this.refresh(), options.reloadMs ?? 1000);
      this.#timer.unref();
    } else if (this.#dataDir) {
      privateDir(this.#dataDir);
      this.#accounts = readAccounts(this.#dataDir);
      this.#mtime = this.#agentsMtime();
      const raw = readJson(join(this.#dataDir, SESSIONS_FILE));
      if (isObj(raw) && Array.isArray(raw.sessions)) {
        for (const s of raw.sessions) {
          const session = checkSession(s);
          if (session) this.#sessions.set(session.id, session);
        }
      }
      this.#timer = setInterval(() => this.#tick(), options.reloadMs ?? 1000);
      this.#timer.unref();
    }
  }

  get list(): readonly AgentAccount[] {
    return this.#accounts;
  }

  byId(id: string): AgentAccount | undefined {
    return this.#accounts.find((a) => a.id === id);
  }

  byLogin(login: string): AgentAccount | undefined {
    const l = normalizeLogin(login);
    return l === null ? undefined : this.#accounts.find((a) => a.login === l);
  }

  /** Adds an account (and saves it). Returns its password (generated unless given). */
  async add(input: NewAccount): Promise<{ account: AgentAccount; password: string }> {
    const result = await addAccount(this.#accounts, input, this.#cost);
    await this.#saveAccounts();
    return result;
  }

  /** Sets (an https URL, checked by the caller) or removes (null) the agent's photo, and saves it. */
  async setPhoto(id: string, photo: string | null): Promise<void> {
    const account = this.byId(id);
    if (!account) throw new Error(`No account has the id ${id}`);
    if (photo === null) delete account.photo;
    else account.photo = photo;
    await this.#saveAccounts();
  }

  /** Disables or enables an account; disabling ends its sessions. */
  setDisabled(login: string, disabled: boolean): void {
    const account = this.byLogin(login);
    if (!account) throw new Error(`No account has the login ${login}`);
    account.disabled = disabled;
    void this.#saveAccounts();
    if (disabled) this.#endSessions((s) => s.agentId === account.id);
  }

  /** Checks a login and password; the account when they match an enabled account. Always costs one scrypt. */
  async verify(login: unknown, password: unknown): Promise<AgentAccount | null> {
    // Shared accounts are read afresh: one added or changed a moment ago elsewhere counts (sign-ins are throttled).
    await this.refresh();
    const account = typeof login === 'string' ? this.byLogin(login) : undefined;
    const pw = typeof password === 'string' && password.length <= 256 ? password : '';
    this.#decoy ??= hashPassword(randomBytes(16).toString('base64url'), this.#cost);
    const ok = await verifyPassword(pw, account?.passwordHash ?? (await this.#decoy));
    return ok && account && !account.disabled ? account : null;
  }

  /**
   * Starts a session; returns its token (for the cookie: never stored) and `saved`, which resolves once every server
   * process sharing the accounts can find the session (at once with files).
   */
  startSession(account: AgentAccount, now = Date.now()): { token: string; session: Session; saved: Promise<void> } {
    const token = randomBytes(32).toString('base64url');
    const session: Session = { id: tokenId(token), agentId: account.id, createdAt: now, expiresAt: now + this.#ttl };
    this.#sessions.set(session.id, session);
    const saved = this.#shared ? this.#shared.addSession(session) : (this.#saveSessions(), Promise.resolve());
    return { token, session, saved };
  }

  /**
   * Reads the shared accounts and sessions again: changes made on another server process (a new session, a sign-out,
   * a disabled account) apply here; sessions that ended there close their sockets here.
   */
  refresh(): Promise<void> {
    if (!this.#shared) return Promise.resolve();
    this.#refreshing ??= this.#shared
      .load()
      .then(({ accounts, sessions }) => {
        this.#accounts = accounts;
        const live = new Map(sessions.map((s) => [s.id, s]));
        for (const s of live.values()) if (!this.#sessions.has(s.id)) this.#sessions.set(s.id, s);
        this.#endSessions((s) => !live.has(s.id), false);
        this.#expire();
      })
      .catch((error: Error) => this.#warn(`accounts could not be read: ${error.message}`))
      .finally(() => (this.#refreshing = null));
    return this.#refreshing;
  }

  /** The session and account a token stands for, if the session is live and the account enabled. */
  session(token: string | undefined, now = Date.now()): { session: Session; account: AgentAccount } | null {
    if (!token || token.length > 100) return null;
    const session = this.#sessions.get(tokenId(token));
    if (!session) return null;
    const account = this.byId(session.agentId);
    if (session.expiresAt <= now || !account || account.disabled || session.createdAt < account.passwordChangedAt) {
      this.#endSessions((s) => s === session);
      return null;
    }
    return { session, account };
  }

  /**
   * `session`, and when the token is unknown here but the accounts are shared, once more after reading them again: a
   * session another server process started a moment ago is found (refreshes are shared, so unknown tokens cost one
   * read at a time).
   */
  async sessionAnywhere(token: string | undefined): Promise<{ session: Session; account: AgentAccount } | null> {
    const found = this.session(token);
    if (found || !this.#shared || !token || token.length > 100) return found;
    await this.refresh();
    return this.session(token);
  }

  /** Ends the session a token stands for (sign-out). */
  endSession(token: string | undefined): void {
    if (!token) return;
    const id = tokenId(token);
    this.#endSessions((s) => s.id === id);
  }

  close(): void {
    clearInterval(this.#timer);
  }

  /** `store`: false when the sessions ended elsewhere (a shared store no longer has them). */
  #endSessions(which: (s: Session) => boolean, store = true): void {
    const ended = new Set<string>();
    for (const s of this.#sessions.values()) if (which(s)) ended.add(s.id);
    if (!ended.size) return;
    for (const id of ended) this.#sessions.delete(id);
    if (this.#shared) {
      if (store)
        this.#shared
          .removeSessions([...ended])
          .catch((error: Error) => this.#warn(`ended sessions could not be removed: ${error.message}`));
    } else this.#saveSessions();
    this.onSessionsEnded(ended);
  }

  #agentsMtime(): number {
    try {
      return statSync(join(this.#dataDir!, AGENTS_FILE)).mtimeMs;
    } catch {
      return 0;
    }
  }

  /** Picks up what the command line changed, and ends expired sessions. */
  #tick(): void {
    const mtime = this.#agentsMtime();
    if (mtime !== this.#mtime) {
      this.#mtime = mtime;
      try {
        this.#accounts = readAccounts(this.#dataDir!);
      } catch (error) {
        this.#warn(`kept the previous accounts: ${(error as Error).message}`);
      }
    }
    this.#expire();
  }

  /** Ends sessions that are over: expired, of a removed or disabled account, or from before a new password. */
  #expire(): void {
    const now = Date.now();
    this.#endSessions((s) => {
      const a = this.byId(s.agentId);
      return s.expiresAt <= now || !a || a.disabled || s.createdAt < a.passwordChangedAt;
    });
  }

  async #saveAccounts(): Promise<void> {
    if (this.#shared) {
      await this.#shared
        .saveAccounts(this.#accounts)
        .catch((error: Error) => this.#warn(`accounts could not be saved: ${error.message}`));
      return;
    }
    if (!this.#dataDir) return;
    writeAccounts(this.#dataDir, this.#accounts);
    this.#mtime = this.#agentsMtime();
  }

  #saveSessions(): void {
    if (!this.#dataDir) return;
    try {
      writePrivateFile(
        join(this.#dataDir, SESSIONS_FILE),
        `${JSON.stringify({ sessions: [...this.#sessions.values()] })}\n`,
      );
    } catch (error) {
      // Sessions then last until the next restart only; the accounts are unaffected.
      this.#warn(`sessions could not be saved: ${(error as Error).message}`);
    }
  }
}
