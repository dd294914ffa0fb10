/**
 * The chat in PostgreSQL, for any number of server processes on one database (store.ts has the contract). The server
 * applies the schema at start-up (MIGRATIONS, under an advisory lock, so that processes starting together apply it
 * once) and holds no state of its own that another process could contradict:
 *
 *   jivo_sites             per widget id: the last visitor number given out and the call backs spent
 *   jivo_visitors          per visitor: its ids and number, `state` (everything but messages, as JSON) and `version`
 *   jivo_messages          per message: (visitor_id, seq) is the primary key, (visitor_id, sender, client_id) unique
 *   jivo_offline_messages  per offline message: (visitor_id, cid) unique
 *   jivo_identities        per verified identity (widget_id, sub): the one visitor it names
 *
 * Each `commit` is one transaction, durable when it returns (`synchronous_commit` as the database has it; on by
 * default). Gapless `seq` and exactly-once ids under concurrent writers come from the keys: a message whose seq or id
 * another process took first is refused by the database, and the commit fails with `StoreConflict` after reloading the
 * visitor. Changes to the rest of a visitor are optimistic: the row's `version` must be the one this process read.
 * A visitor is read afresh whenever the server looks it up (`find`, `get`), so a process never acts on an old copy for
 * long; what it holds in `state` is a cache of the visitors it serves.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { checkSession, parseAccounts, type SharedAccounts, type Session } from '../accounts.js';
import { applyToVisitor, ChatState, checkRecord, type JournalRecord, type Visitor } from '../state.js';
import { StoreConflict, type ChatStore, type Signal, type StoreEvents } from './store.js';

export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE jivo_sites (
     widget_id text PRIMARY KEY,
     last_number bigint NOT NULL DEFAULT 0,
     calls bigint NOT NULL DEFAULT 0
   );
   CREATE TABLE jivo_visitors (
     id text PRIMARY KEY,
     widget_id text NOT NULL REFERENCES jivo_sites (widget_id),
     secret text NOT NULL,
     number bigint NOT NULL,
     created_at bigint NOT NULL,
     last_activity bigint NOT NULL,
     version bigint NOT NULL DEFAULT 0,
     state jsonb NOT NULL,
     UNIQUE (widget_id, secret),
     UNIQUE (widget_id, number)
   );
   CREATE INDEX jivo_visitors_activity ON jivo_visitors (last_activity DESC, id);
   CREATE TABLE jivo_messages (
     visitor_id text NOT NULL REFERENCES jivo_visitors (id) ON DELETE CASCADE,
     seq bigint NOT NULL,
     sender text NOT NULL,
     client_id text NOT NULL,
     at bigint NOT NULL,
     body jsonb NOT NULL,
     PRIMARY KEY (visitor_id, seq),
     UNIQUE (visitor_id, sender, client_id)
   );
   CREATE TABLE jivo_offline_messages (
     id text PRIMARY KEY,
     visitor_id text NOT NULL REFERENCES jivo_visitors (id) ON DELETE CASCADE,
     cid text NOT NULL,
     at bigint NOT NULL,
     body jsonb NOT NULL,
     UNIQUE (visitor_id, cid)
   );
   CREATE INDEX jivo_offline_messages_at ON jivo_offline_messages (at, id);`,
  // A change too large for a notification's payload (8000 bytes) is passed by reference; kept an hour.
  `CREATE TABLE jivo_notices (
     id bigserial PRIMARY KEY,
     at timestamptz NOT NULL DEFAULT now(),
     payload jsonb NOT NULL
   );`,
  // Accounts (the agents.json document, whole) and sessions (a row each, so that processes never overwrite each
  // other's): what every server process sharing the database signs agents in against.
  `CREATE TABLE jivo_documents (
     name text PRIMARY KEY,
     content text NOT NULL,
     version bigint NOT NULL DEFAULT 1
   );
   CREATE TABLE jivo_sessions (
     id text PRIMARY KEY,
     agent_id text NOT NULL,
     created_at bigint NOT NULL,
     expires_at bigint NOT NULL
   );`,
  // Verified identities (security review F14): the visitor a site's signed `sub` names on every device. Filled from
  // what visitors already hold; where two held one (before this table), the most recently active keeps it.
  `CREATE TABLE jivo_identities (
     widget_id text NOT NULL,
     sub text NOT NULL,
     visitor_id text NOT NULL REFERENCES jivo_visitors (id) ON DELETE CASCADE,
     PRIMARY KEY (widget_id, sub)
   );
   CREATE INDEX jivo_identities_visitor ON jivo_identities (visitor_id);
   INSERT INTO jivo_identities (widget_id, sub, visitor_id)
     SELECT DISTINCT ON (widget_id, state->>'userToken') widget_id, state->>'userToken', id FROM jivo_visitors
     WHERE state->>'userTokenVerified' = 'true' AND state->>'userToken' IS NOT NULL
     ORDER BY widget_id, state->>'userToken', last_activity DESC;`,
];

/** The notification channel every process listens on. */
export const CHANNEL = 'jivo';
/** Payloads up to this many bytes go in the notification itself (PostgreSQL allows 8000). */
const INLINE_PAYLOAD = 7900;

/** The advisory lock that serialises migrations between processes starting together ("jivo" in ASCII). */
const MIGRATION_LOCK = 0x6a69766f;

export interface PostgresOptions {
  /** A connection string: `postgres://user:password@host:5432/database`. */
  url: string;
  /** Connections per process. Default 10. */
  poolSize?: number;
  warn: (message: string) => void;
}

type Queryable = pg.Pool | pg.PoolClient;

interface VisitorRow {
  id: string;
  widget_id: string;
  secret: string;
  number: number;
  created_at: number;
  version: number;
  state: Record<string, unknown>;
  calls: number;
}

const VISITOR_COLUMNS = `v.id, v.widget_id, v.secret, v.number::float8 AS number, v.created_at::float8 AS created_at,
  v.version::float8 AS version, v.state, s.calls::float8 AS calls`;

export class PostgresStore implements ChatStore {
  readonly kind = 'postgres';
  readonly state = new ChatState();
  readonly pending = false;
  readonly #pool: pg.Pool;
  readonly #warn: (message: string) => void;
  /** The row version each held visitor was read at. */
  readonly #versions = new Map<string, number>();
  /** What runs per visitor, one at a time: a commit and a reload of the same visitor never overlap. */
  readonly #tasks = new Map<string, Promise<unknown>>();
  readonly node = randomBytes(6).toString('base64url');
  readonly #url: string;
  #events: StoreEvents | null = null;
  /** The connection that LISTENs (not from the pool: it stays open); null while there is none. */
  #listener: pg.Client | null = null;
  #closed = false;
  #pruned = 0;
  #onAccounts: (() => void) | null = null;
  readonly #onDocument = new Map<string, () => void>();

  private constructor(options: PostgresOptions) {
    this.#warn = options.warn;
    this.#url = options.url;
    this.#pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10 });
    // An idle connection that the database dropped must not take the process down.
    this.#pool.on('error', (error) => this.#warn(`PostgreSQL: ${error.message}`));
  }

  listen(events: StoreEvents): Promise<void> {
    this.#events = events;
    return this.#connectListener();
  }

  async #connectListener(delay = 0): Promise<void> {
    if (this.#closed) return;
    if (delay) await new Promise((resolve) => setTimeout(resolve, delay).unref());
    const client = new pg.Client({ connectionString: this.#url });
    const retry = (error: Error) => {
      if (this.#listener === client) this.#listener = null;
      client.removeAllListeners();
      client.on('error', () => {});
      void client.end().catch(() => {});
      if (this.#closed) return;
      this.#warn(`PostgreSQL notifications: ${error.message}; connecting again`);
      void this.#connectListener(Math.min(5000, Math.max(250, delay * 2)));
    };
    client.on('error', retry);
    client.on('notification', (n) => {
      if (n.channel === CHANNEL && n.payload) this.#notified(n.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (error) {
      retry(error as Error);
      return;
    }
    if (this.#closed) {
      await client.end().catch(() => {});
      return;
    }
    this.#listener = client;
    // Whatever happened while nobody listened is unknown: held visitors are read again, presence asked for again.
    if (delay > 0) for (const id of [...this.state.visitors.keys()]) void this.#serial(id, () => this.#load(id));
    this.#events?.resync();
  }

  publish(signal: Signal): void {
    if (this.#closed) return;
    const payload = JSON.stringify({ n: this.node, s: signal });
    if (Buffer.byteLength(payload) > INLINE_PAYLOAD) {
      this.#warn(`a ${signal.t} signal of ${Buffer.byteLength(payload)} bytes is too large to publish`);
      return;
    }
    this.#pool.query('SELECT pg_notify($1, $2)', [CHANNEL, payload]).catch((error: Error) => {
      if (!this.#closed) this.#warn(`PostgreSQL notify: ${error.message}`);
    });
  }

  #notified(raw: string): void {
    let notice: { n?: string; s?: Signal; v?: string; prev?: number; ver?: number; r?: JournalRecord[]; ref?: number };
    try {
      notice = JSON.parse(raw) as typeof notice;
    } catch {
      return;
    }
    if (notice.n === this.node || typeof notice.n !== 'string') return;
    const node = notice.n;
    if (notice.s?.t === 'accounts') {
      this.#onAccounts?.();
      return;
    }
    if (notice.s?.t === 'document') {
      if (typeof notice.s.name === 'string') this.#onDocument.get(notice.s.name)?.();
      return;
    }
    if (notice.s) {
      this.#events?.signal(node, notice.s);
      return;
    }
    const id = notice.v;
    if (typeof id !== 'string') return;
    void this.#serial(id, async () => {
      let records: JournalRecord[] = [];
      if (typeof notice.ref === 'number') {
        const { rows } = await this.#pool.query<{ payload: { r: unknown[] } }>(
          'SELECT payload FROM jivo_notices WHERE id = $1',
          [notice.ref],
        );
        records = rows[0] ? (rows[0].payload.r.map(checkRecord).filter(Boolean) as JournalRecord[]) : [];
      } else if (Array.isArray(notice.r)) {
        records = notice.r.map(checkRecord).filter((r): r is JournalRecord => r !== null);
      }
      const held = this.state.visitors.get(id);
      if (held) {
        // Applied here when this copy is the one the change was made to; read again otherwise.
        const fits = this.#versions.get(id) === notice.prev && records.every((r) => this.state.apply(r));
        if (fits) this.#versions.set(id, notice.ver ?? 0);
        else await this.#load(id);
      }
      this.#events?.changed(id, records, this.state.visitors.get(id));
    }).catch((error: Error) => this.#warn(`a change from another server could not be read: ${error.message}`));
  }

  /** What the notification about a commit carries: the records, or (too large) a reference to a copy of them. */
  async #notify(client: pg.PoolClient, id: string, prev: number, ver: number, records: JournalRecord[]): Promise<void> {
    const inline = JSON.stringify({ n: this.node, v: id, prev, ver, r: records });
    if (Buffer.byteLength(inline) <= INLINE_PAYLOAD) {
      await client.query('SELECT pg_notify($1, $2)', [CHANNEL, inline]);
      return;
    }
    const { rows } = await client.query<{ id: string }>('INSERT INTO jivo_notices (payload) VALUES ($1) RETURNING id', [
      JSON.stringify({ r: records }),
    ]);
    await client.query('SELECT pg_notify($1, $2)', [
      CHANNEL,
      JSON.stringify({ n: this.node, v: id, prev, ver, ref: Number(rows[0].id) }),
    ]);
    if (Date.now() - this.#pruned > 600_000) {
      this.#pruned = Date.now();
      await client.query("DELETE FROM jivo_notices WHERE at < now() - interval '1 hour'");
    }
  }

  /**
   * Accounts and sessions in the database (accounts.ts SharedAccounts). A change is signalled (`accounts`), so that
   * the other processes read them again at once rather than at their next reload.
   */
  sharedAccounts(onChange: () => void): SharedAccounts {
    this.#onAccounts = onChange;
    const changed = () => this.publish({ t: 'accounts' });
    return {
      load: async () => {
        const [doc, sessions] = await Promise.all([
          this.#pool.query<{ content: string }>("SELECT content FROM jivo_documents WHERE name = 'agents.json'"),
          this.#pool.query<{ id: string; agent_id: string; created_at: number; expires_at: number }>(
            `SELECT id, agent_id, created_at::float8 AS created_at, expires_at::float8 AS expires_at
             FROM jivo_sessions WHERE expires_at > $1`,
            [Date.now()],
          ),
        ]);
        const accounts = parseAccounts(doc.rows[0] ? JSON.parse(doc.rows[0].content) : null);
        const live = sessions.rows
          .map((r) => checkSession({ id: r.id, agentId: r.agent_id, createdAt: r.created_at, expiresAt: r.expires_at }))
          .filter((x): x is Session => x !== null);
        return { accounts, sessions: live };
      },
      saveAccounts: async (accounts) => {
        await this.#pool.query(
          `INSERT INTO jivo_documents (name, content) VALUES ('agents.json', $1)
           ON CONFLICT (name) DO UPDATE SET content = excluded.content, version = jivo_documents.version + 1`,
          [`${JSON.stringify({ agents: accounts }, null, 2)}\n`],
        );
        changed();
      },
      addSession: async (session) => {
        await this.#pool.query(
          'INSERT INTO jivo_sessions (id, agent_id, created_at, expires_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
          [session.id, session.agentId, session.createdAt, session.expiresAt],
        );
        changed();
      },
      removeSessions: async (ids) => {
        await this.#pool.query('DELETE FROM jivo_sessions WHERE id = ANY($1) OR expires_at <= $2', [ids, Date.now()]);
        changed();
      },
    };
  }

  /**
   * A document kept whole in the database (sites.json): `load` gives its parsed JSON (null when there is none), `save`
   * replaces it and signals the other processes, which call their `onChange`.
   */
  sharedDocument(
    name: string,
    onChange: () => void,
  ): { load(): Promise<unknown>; save(content: string): Promise<void> } {
    this.#onDocument.set(name, onChange);
    return {
      load: async () => {
        const { rows } = await this.#pool.query<{ content: string }>(
          'SELECT content FROM jivo_documents WHERE name = $1',
          [name],
        );
        return rows[0] ? (JSON.parse(rows[0].content) as unknown) : null;
      },
      save: async (content) => {
        await this.#pool.query(
          `INSERT INTO jivo_documents (name, content) VALUES ($1, $2)
           ON CONFLICT (name) DO UPDATE SET content = excluded.content, version = jivo_documents.version + 1`,
          [name, content],
        );
        this.publish({ t: 'document', name });
      },
    };
  }

  async idleSince(before: number, limit: number): Promise<string[]> {
    const { rows } = await this.#pool.query<{ id: string }>(
      'SELECT id FROM jivo_visitors WHERE last_activity < $1 ORDER BY last_activity LIMIT $2',
      [before, limit],
    );
    return rows.map((r) => r.id);
  }

  async preload(limit: number): Promise<void> {
    const { rows } = await this.#pool.query<{ id: string }>(
      'SELECT id FROM jivo_visitors ORDER BY last_activity DESC, id LIMIT $1',
      [limit],
    );
    const missing = rows.map((r) => r.id).filter((id) => !this.state.visitors.has(id));
    // A few at a time: the pool is shared with the chat.
    for (let i = 0; i < missing.length; i += 8) await Promise.all(missing.slice(i, i + 8).map((id) => this.get(id)));
  }

  /** Connects and brings the schema up to date. */
  static async open(options: PostgresOptions): Promise<PostgresStore> {
    const store = new PostgresStore(options);
    try {
      await store.#migrate();
    } catch (error) {
      await store.#pool.end();
      throw error;
    }
    return store;
  }

  async #migrate(): Promise<void> {
    await this.#transaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await client.query(
        'CREATE TABLE IF NOT EXISTS jivo_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
      );
      const { rows } = await client.query<{ v: number }>('SELECT coalesce(max(version), 0) AS v FROM jivo_migrations');
      const current = rows[0].v;
      if (current > MIGRATIONS.length)
        throw new Error(
          `the database's schema (version ${current}) is newer than this server's (${MIGRATIONS.length})`,
        );
      for (let version = current + 1; version <= MIGRATIONS.length; version++) {
        await client.query(MIGRATIONS[version - 1]);
        await client.query('INSERT INTO jivo_migrations (version) VALUES ($1)', [version]);
      }
      return true;
    });
  }

  /** Runs `work` in a transaction: committed when it returns true, rolled back when it returns false or throws. */
  async #transaction(work: (client: pg.PoolClient) => Promise<boolean>): Promise<boolean> {
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      const commit = await work(client);
      await client.query(commit ? 'COMMIT' : 'ROLLBACK');
      return commit;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  #serial<T>(id: string, task: () => Promise<T>): Promise<T> {
    const before = this.#tasks.get(id) ?? Promise.resolve();
    const result = before.then(task, task);
    const tail = result.catch(() => {});
    this.#tasks.set(id, tail);
    void tail.then(() => {
      if (this.#tasks.get(id) === tail) this.#tasks.delete(id);
    });
    return result;
  }

  async find(widgetId: string, secret: string): Promise<Visitor | undefined> {
    const { rows } = await this.#pool.query<{ id: string }>(
      'SELECT id FROM jivo_visitors WHERE widget_id = $1 AND secret = $2',
      [widgetId, secret],
    );
    return rows.length ? this.get(rows[0].id) : undefined;
  }

  async findIdentity(widgetId: string, sub: string): Promise<Visitor | undefined> {
    const { rows } = await this.#pool.query<{ visitor_id: string }>(
      'SELECT visitor_id FROM jivo_identities WHERE widget_id = $1 AND sub = $2',
      [widgetId, sub],
    );
    return rows.length ? this.get(rows[0].visitor_id) : undefined;
  }

  get(id: string): Promise<Visitor | undefined> {
    return this.#serial(id, () => this.#load(id));
  }

  /** Reads the visitor into `state` (in place of the copy held), or forgets it when it is no longer stored. */
  async #load(id: string, db: Queryable = this.#pool): Promise<Visitor | undefined> {
    const { rows } = await db.query<VisitorRow>(
      `SELECT ${VISITOR_COLUMNS} FROM jivo_visitors v JOIN jivo_sites s USING (widget_id) WHERE v.id = $1`,
      [id],
    );
    const row = rows[0];
    if (!row) {
      this.#forget(id);
      return undefined;
    }
    const [messages, offline] = await Promise.all([
      db.query<{ body: unknown; sender: string; client_id: string }>(
        'SELECT body, sender, client_id FROM jivo_messages WHERE visitor_id = $1 ORDER BY seq',
        [id],
      ),
      db.query<{ cid: string; body: unknown }>(
        'SELECT cid, body FROM jivo_offline_messages WHERE visitor_id = $1 ORDER BY at, id',
        [id],
      ),
    ]);
    const records: unknown[] = [
      {
        k: 'visitor',
        id: row.id,
        widgetId: row.widget_id,
        visitorId: row.secret,
        number: row.number,
        at: row.created_at,
        page: null,
        department: null,
        lang: row.state.lang,
      },
      ...messages.rows.map((m) => ({
        k: 'message',
        v: row.id,
        m: m.body,
        ...(m.sender === 'agent' ? { cid: m.client_id } : {}),
      })),
      { ...row.state, k: 'state', v: row.id },
      ...offline.rows.map((o) => ({ k: 'offline', v: row.id, cid: o.cid, o: o.body })),
    ];
    // Checked like a journal read back: the database may have been edited by hand.
    const fresh = new ChatState();
    let skipped = 0;
    for (const raw of records) {
      const record = checkRecord(raw);
      if (!record || !fresh.apply(record)) skipped++;
    }
    const visitor = fresh.visitors.get(row.id);
    if (!visitor) throw new Error(`the visitor ${id} in the database does not fit the schema`);
    if (skipped) this.#warn(`skipped ${skipped} stored record(s) of visitor ${id} that did not fit`);
    this.#versions.set(id, row.version);
    this.state.setCallCount(row.widget_id, row.calls);
    return this.state.adopt(visitor);
  }

  #forget(id: string): void {
    this.#versions.delete(id);
    if (this.state.visitors.has(id)) this.state.apply({ k: 'erase', v: id, at: Date.now(), reason: 'admin' });
  }

  commit(records: JournalRecord[]): Promise<void> {
    const first = records[0];
    if (!first) return Promise.resolve();
    const id = first.k === 'visitor' ? first.id : 'v' in first ? first.v : null;
    if (id === null) return Promise.reject(new Error(`a ${first.k} record is not stored in PostgreSQL`));
    return this.#serial(id, () => this.#commit(id, records));
  }

  async #commit(id: string, records: JournalRecord[]): Promise<void> {
    const held = this.state.visitors.get(id);
    // The records are applied to a copy first: the copy held stays as it was if the database refuses them.
    let work = held && copyVisitor(held);
    let version = this.#versions.get(id) ?? 0;
    const prev = version;
    /** The records as stored (a new visitor's with its number). */
    const stored: JournalRecord[] = [];
    let calls: number | null = null;
    let erased = false;
    let conflict: string | null = null;
    await this.#transaction(async (client) => {
      let changed = false;
      let activity = 0;
      for (const record of records) {
        if (record.k === 'visitor') {
          const site = await client.query<{ n: number; calls: number }>(
            `INSERT INTO jivo_sites AS s (widget_id, last_number) VALUES ($1, 1)
             ON CONFLICT (widget_id) DO UPDATE SET last_number = s.last_number + 1
             RETURNING last_number::float8 AS n, calls::float8 AS calls`,
            [record.widgetId],
          );
          const fresh = new ChatState();
          const numbered = { ...record, number: site.rows[0].n };
          stored.push(numbered);
          fresh.apply(numbered);
          work = fresh.visitors.get(id)!;
          calls = site.rows[0].calls;
          const inserted = await client.query(
            `INSERT INTO jivo_visitors (id, widget_id, secret, number, created_at, last_activity, state)
             VALUES ($1, $2, $3, $4, $5, $5, $6) ON CONFLICT DO NOTHING`,
            [id, record.widgetId, record.visitorId, work.number, record.at, stateOf(fresh, work)],
          );
          if (inserted.rowCount === 0) conflict = 'the widget already has a visitor with this id';
          version = 0;
        } else if (record.k === 'rotate') {
          if (!work) conflict = `no visitor ${id}`;
          else {
            const rotated = await client.query(
              `UPDATE jivo_visitors SET secret = $2 WHERE id = $1
               AND NOT EXISTS (SELECT 1 FROM jivo_visitors WHERE widget_id = $3 AND secret = $2)`,
              [id, record.secret, work.widgetId],
            );
            if (rotated.rowCount === 0) conflict = 'the widget already has a visitor with this id';
            else work.secret = record.secret;
          }
        } else if (record.k === 'erase') {
          await client.query('DELETE FROM jivo_visitors WHERE id = $1', [id]);
          erased = true;
          work = undefined;
        } else if (!work || record.k === 'site' || record.k === 'state') {
          conflict = work ? `a ${record.k} record is not stored in PostgreSQL` : `no visitor ${id}`;
        } else {
          const refusal = this.state.refusal(record) ?? (applyToVisitor(work, record) ? null : 'changed meanwhile');
          if (refusal) conflict = refusal;
          else if (record.k === 'message') {
            const m = record.m;
            const stored = await client.query(
              `INSERT INTO jivo_messages (visitor_id, seq, sender, client_id, at, body)
               VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
              [id, m.seq, m.from, m.from === 'visitor' ? m.id : record.cid, m.at, JSON.stringify(m)],
            );
            if (stored.rowCount === 0) conflict = `seq ${m.seq} or message ${m.id} was taken by another server`;
            activity = Math.max(activity, m.at);
          } else if (record.k === 'offline') {
            const stored = await client.query(
              `INSERT INTO jivo_offline_messages (id, visitor_id, cid, at, body) VALUES ($1, $2, $3, $4, $5)
               ON CONFLICT DO NOTHING`,
              [record.o.id, id, record.cid, record.o.at, JSON.stringify(record.o)],
            );
            if (stored.rowCount === 0) conflict = `the offline message ${record.cid} is stored`;
            activity = Math.max(activity, record.o.at);
          } else {
            if (record.k === 'user_token' && record.verified && record.token !== null) {
              // The identity names one visitor (the database says who, whatever this process holds).
              await client.query(
                'INSERT INTO jivo_identities (widget_id, sub, visitor_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
                [work.widgetId, record.token, id],
              );
              const owner = await client.query<{ visitor_id: string }>(
                'SELECT visitor_id FROM jivo_identities WHERE widget_id = $1 AND sub = $2',
                [work.widgetId, record.token],
              );
              if (owner.rows[0]?.visitor_id !== id) conflict = 'the identity belongs to another visitor';
            }
            if (record.k === 'call') {
              const site = await client.query<{ calls: number }>(
                'UPDATE jivo_sites SET calls = calls + 1 WHERE widget_id = $1 RETURNING calls::float8 AS calls',
                [work.widgetId],
              );
              calls = site.rows[0].calls;
            }
            if ('at' in record) activity = Math.max(activity, record.at);
            changed = true;
          }
        }
        if (conflict) return false;
        if (record.k !== 'visitor') stored.push(record);
      }
      if (changed && work) {
        const updated = await client.query(
          `UPDATE jivo_visitors SET state = $2, version = version + 1, last_activity = greatest(last_activity, $4)
           WHERE id = $1 AND version = $3`,
          [id, stateOf(this.state, work), version, activity],
        );
        if (updated.rowCount === 0) {
          conflict = 'the visitor was changed by another server';
          return false;
        }
        version++;
      } else if (activity && work) {
        await client.query('UPDATE jivo_visitors SET last_activity = greatest(last_activity, $2) WHERE id = $1', [
          id,
          activity,
        ]);
      }
      // Delivered to the other processes when (and only if) this transaction commits, in commit order.
      await this.#notify(client, id, prev, version, stored);
      return true;
    });
    if (conflict) {
      await this.#load(id);
      throw new StoreConflict(conflict);
    }
    if (erased) return this.#forget(id);
    if (!work) return;
    this.#versions.set(id, version);
    if (calls !== null) this.state.setCallCount(work.widgetId, calls);
    this.state.adopt(work);
  }

  whenDurable(callback: (error: Error | null) => void): void {
    callback(null);
  }

  callCount(widgetId: string): number {
    return this.state.callCount(widgetId);
  }

  /** PostgreSQL keeps its own files compact (autovacuum). */
  compact(): Promise<void> {
    return Promise.resolve();
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#tasks.values());
    const listener = this.#listener;
    this.#listener = null;
    await listener?.end().catch(() => {});
    await this.#pool.end();
  }
}

/** The visitor's `state` column: everything but its ids, messages and offline messages. */
function stateOf(state: ChatState, visitor: Visitor): string {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { k, v, ...rest } = state.stateRecord(visitor);
  return JSON.stringify(rest);
}

/** A copy that records can be applied to without touching the original. */
function copyVisitor(v: Visitor): Visitor {
  const calls = v.calls.map((c) => ({ ...c }));
  return {
    ...v,
    messages: [...v.messages],
    messageIds: new Map(v.messageIds),
    agentMessageIds: new Map(v.agentMessageIds),
    offlineIds: new Map(v.offlineIds),
    calls,
    callIds: new Map(calls.map((c) => [c.id, c])),
  };
}
