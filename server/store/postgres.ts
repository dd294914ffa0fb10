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
 *   jivo_webhooks          per webhook event and URL still to deliver (webhookOutbox)
 *
 * Each `commit` is one item of a batch (#grouped: the commits that come while a batch is in flight go together, one
 * transaction), durable when it returns (`synchronous_commit` as the database has it; on by default). Gapless `seq`
 * and exactly-once ids under concurrent writers come from the keys: a message whose seq or id
 * another process took first is refused by the database, and the commit fails with `StoreConflict` after reloading the
 * visitor. Changes to the rest of a visitor are optimistic: the row's `version` must be the one this process read.
 * A visitor is read afresh whenever the server looks it up (`find`, `get`), so a process never acts on an old copy for
 * long; what it holds in `state` is a cache of the visitors it serves.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { checkSession, parseAccounts, type SharedAccounts, type Session } from '../accounts.js';
import type { WireMessage } from '../../src/transport/protocol.js';
import { CALL_NEXT } from '../agent-protocol.js';
import { applyToVisitor, ChatState, checkRecord, messagesBefore, type JournalRecord, type Visitor } from '../state.js';
import { StoreConflict, type ChatStore, type Signal, type StoreEvents, type StoredFile } from './store.js';
import type { AgentOfflineMessage } from '../agent-protocol.js';
import type { ConsoleReads } from '../console-pages.js';
import { parsePosition, positionCursor } from '../ordered-index.js';
import type { QueuedEvent, WebhookOutbox } from '../webhook-queue.js';

/** The notification channel every process listens on. */
export const CHANNEL = 'jivo';
/** Payloads up to this many bytes go in the notification itself (PostgreSQL allows 8000). */
const INLINE_PAYLOAD = 7900;

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
  // The console's pages read the database (console-pages.ts): visitors by last activity newest first (the index read
  // backwards), the ones that need an agent (a taken chat, a pending contacts request, an open call, or a visitor
  // message after the agents' read mark) through a partial index, and call-back requests by time. And `jivo_commit`:
  // a commit in one statement, one round trip (PostgresStore.commit).
  `ALTER TABLE jivo_visitors
     ADD COLUMN last_seq bigint NOT NULL DEFAULT 0,
     ADD COLUMN visitor_seq bigint NOT NULL DEFAULT 0,
     ADD COLUMN agent_read_seq bigint NOT NULL DEFAULT 0,
     ADD COLUMN held boolean NOT NULL DEFAULT false;
   UPDATE jivo_visitors v SET
     last_seq = coalesce((SELECT max(seq) FROM jivo_messages m WHERE m.visitor_id = v.id), 0),
     visitor_seq = coalesce((SELECT max(seq) FROM jivo_messages m WHERE m.visitor_id = v.id AND m.sender = 'visitor'), 0),
     agent_read_seq = coalesce((v.state->>'agentReadSeq')::bigint, 0),
     held = v.state->>'acceptedBy' IS NOT NULL
       OR coalesce(v.state #>> '{contactsRequest,state}' = 'pending', false)
       OR EXISTS (SELECT 1 FROM jsonb_array_elements(coalesce(v.state->'calls', '[]')) c
                  WHERE c->>'status' IN ('requested', 'connected'));
   DROP INDEX jivo_visitors_activity;
   CREATE INDEX jivo_visitors_activity ON jivo_visitors (last_activity, id);
   CREATE INDEX jivo_visitors_attention ON jivo_visitors (last_activity, id) WHERE held OR visitor_seq > agent_read_seq;
   CREATE TABLE jivo_calls (
     visitor_id text NOT NULL REFERENCES jivo_visitors (id) ON DELETE CASCADE,
     id text NOT NULL,
     key text NOT NULL,
     at bigint NOT NULL,
     open boolean NOT NULL,
     PRIMARY KEY (visitor_id, id)
   );
   INSERT INTO jivo_calls (visitor_id, id, key, at, open)
     SELECT v.id, c->>'id', v.id || '.' || (c->>'id'), (c->>'at')::bigint, c->>'status' IN ('requested', 'connected')
     FROM jivo_visitors v, jsonb_array_elements(coalesce(v.state->'calls', '[]')) c;
   CREATE INDEX jivo_calls_at ON jivo_calls (at, key);
   CREATE INDEX jivo_calls_open ON jivo_calls (at, key) WHERE open;
   CREATE FUNCTION jivo_commit(c jsonb, notice text, OUT o_number bigint, OUT o_calls bigint, OUT o_version bigint)
   LANGUAGE plpgsql AS $fn$
   DECLARE
     vid text := c->>'id';
     changed boolean := (c->>'changed')::boolean;
     recs jsonb;
     n_rows bigint;
     ref bigint;
   BEGIN
     IF c ? 'visitor' THEN
       INSERT INTO jivo_sites AS s (widget_id, last_number) VALUES (c#>>'{visitor,widgetId}', 1)
         ON CONFLICT (widget_id) DO UPDATE SET last_number = s.last_number + 1
         RETURNING s.last_number, s.calls INTO o_number, o_calls;
       INSERT INTO jivo_visitors (id, widget_id, secret, number, created_at, last_activity, state, last_seq,
           visitor_seq, agent_read_seq, held)
         VALUES (vid, c#>>'{visitor,widgetId}', c#>>'{visitor,secret}', o_number, (c#>>'{visitor,at}')::bigint,
           greatest((c#>>'{visitor,at}')::bigint, (c->>'activity')::bigint), c->'state', (c->>'lastSeq')::bigint,
           (c->>'visitorSeq')::bigint, (c->>'agentReadSeq')::bigint, (c->>'held')::boolean)
         ON CONFLICT DO NOTHING;
       GET DIAGNOSTICS n_rows = ROW_COUNT;
       IF n_rows = 0 THEN
         RAISE EXCEPTION 'the widget already has a visitor with this id' USING ERRCODE = 'JV409';
       END IF;
       o_version := 0;
       -- The notification carries the new visitor's number, known only now.
       recs := jsonb_set(c->'records', ARRAY[c#>>'{visitor,index}', 'number'], to_jsonb(o_number));
       notice := jsonb_build_object('n', c->'node', 'v', vid, 'prev', c->'prev', 'ver', o_version, 'r', recs)::text;
     ELSIF (c->>'erase')::boolean THEN
       DELETE FROM jivo_visitors WHERE id = vid;
       o_version := (c->>'prev')::bigint;
     ELSE
       -- The row lock taken here orders the writers of one visitor; a changed visitor must be at the version read.
       UPDATE jivo_visitors v SET
           last_activity = greatest(v.last_activity, (c->>'activity')::bigint),
           last_seq = greatest(v.last_seq, (c->>'lastSeq')::bigint),
           visitor_seq = greatest(v.visitor_seq, (c->>'visitorSeq')::bigint),
           agent_read_seq = CASE WHEN changed THEN greatest(v.agent_read_seq, (c->>'agentReadSeq')::bigint)
                            ELSE v.agent_read_seq END,
           held = CASE WHEN changed THEN (c->>'held')::boolean ELSE v.held END,
           state = CASE WHEN changed THEN c->'state' ELSE v.state END,
           version = v.version + CASE WHEN changed THEN 1 ELSE 0 END
         WHERE v.id = vid AND (NOT changed OR v.version = (c->>'prev')::bigint)
         RETURNING v.version INTO o_version;
       IF NOT FOUND THEN
         RAISE EXCEPTION '%', CASE WHEN changed THEN 'the visitor was changed by another server'
                                   ELSE 'no visitor ' || vid END USING ERRCODE = 'JV409';
       END IF;
     END IF;
     IF c ? 'rotate' THEN
       UPDATE jivo_visitors SET secret = c->>'rotate' WHERE id = vid
         AND NOT EXISTS (SELECT 1 FROM jivo_visitors WHERE widget_id = c->>'widgetId' AND secret = c->>'rotate');
       IF NOT FOUND THEN
         RAISE EXCEPTION 'the widget already has a visitor with this id' USING ERRCODE = 'JV409';
       END IF;
     END IF;
     IF c ? 'identity' THEN
       -- The identity names one visitor (the database says who, whatever this process holds).
       INSERT INTO jivo_identities (widget_id, sub, visitor_id) VALUES (c->>'widgetId', c->>'identity', vid)
         ON CONFLICT DO NOTHING;
       IF (SELECT visitor_id FROM jivo_identities WHERE widget_id = c->>'widgetId' AND sub = c->>'identity')
          IS DISTINCT FROM vid THEN
         RAISE EXCEPTION 'the identity belongs to another visitor' USING ERRCODE = 'JV409';
       END IF;
     END IF;
     IF jsonb_array_length(c->'messages') > 0 THEN
       recs := notice::jsonb;
       INSERT INTO jivo_messages (visitor_id, seq, sender, client_id, at, body)
         SELECT vid, (m->>'seq')::bigint, m->>'sender', m->>'clientId', (m->>'at')::bigint,
           recs#>ARRAY['r', m->>'r', 'm']
         FROM jsonb_array_elements(c->'messages') m
         ON CONFLICT DO NOTHING;
       GET DIAGNOSTICS n_rows = ROW_COUNT;
       IF n_rows < jsonb_array_length(c->'messages') THEN
         RAISE EXCEPTION 'the seq or the message id was taken by another server' USING ERRCODE = 'JV409';
       END IF;
     END IF;
     IF jsonb_array_length(c->'offline') > 0 THEN
       INSERT INTO jivo_offline_messages (id, visitor_id, cid, at, body)
         SELECT o->>'id', vid, o->>'cid', (o->>'at')::bigint, o->'body' FROM jsonb_array_elements(c->'offline') o
         ON CONFLICT DO NOTHING;
       GET DIAGNOSTICS n_rows = ROW_COUNT;
       IF n_rows < jsonb_array_length(c->'offline') THEN
         RAISE EXCEPTION 'the offline message is stored' USING ERRCODE = 'JV409';
       END IF;
     END IF;
     IF jsonb_array_length(c->'calls') > 0 THEN
       INSERT INTO jivo_calls (visitor_id, id, key, at, open)
         SELECT vid, k->>'id', vid || '.' || (k->>'id'), (k->>'at')::bigint, (k->>'open')::boolean
         FROM jsonb_array_elements(c->'calls') k
         ON CONFLICT (visitor_id, id) DO UPDATE SET open = excluded.open;
     END IF;
     IF (c->>'callsAdded')::int > 0 THEN
       UPDATE jivo_sites s SET calls = s.calls + (c->>'callsAdded')::int WHERE s.widget_id = c->>'widgetId'
         RETURNING s.calls INTO o_calls;
     END IF;
     -- Delivered to the other processes when (and only if) this commits, in commit order.
     IF octet_length(notice) > ${INLINE_PAYLOAD} THEN
       INSERT INTO jivo_notices (payload) VALUES (jsonb_build_object('r', (notice::jsonb)->'r')) RETURNING id INTO ref;
       notice := jsonb_build_object('n', c->'node', 'v', vid, 'prev', c->'prev', 'ver', o_version, 'ref', ref)::text;
       IF (c->>'prune')::boolean THEN
         DELETE FROM jivo_notices WHERE at < now() - interval '1 hour';
       END IF;
     END IF;
     PERFORM pg_notify('${CHANNEL}', notice);
   END
   $fn$;`,
  // Attachments: the bytes beside their fields, gone with their visitor.
  `CREATE TABLE jivo_files (
     visitor_id text NOT NULL REFERENCES jivo_visitors (id) ON DELETE CASCADE,
     id text NOT NULL,
     name text NOT NULL,
     type text NOT NULL,
     size bigint NOT NULL,
     at bigint NOT NULL,
     data bytea NOT NULL,
     PRIMARY KEY (visitor_id, id)
   );`,
  // The webhook outbox (webhooks.ts OutboxLane, webhookOutbox here): a row per event and URL, in the order queued.
  // Whichever process holds the oldest row of a URL (FOR UPDATE SKIP LOCKED) delivers it, then deletes it, or counts
  // the attempt and sets when the next one is due; the others wait for that URL meanwhile.
  `CREATE TABLE jivo_webhooks (
     seq bigserial PRIMARY KEY,
     id text NOT NULL,
     url text NOT NULL,
     payload jsonb NOT NULL,
     attempts int NOT NULL DEFAULT 0,
     due timestamptz NOT NULL DEFAULT now(),
     UNIQUE (id, url)
   );
   CREATE INDEX jivo_webhooks_url ON jivo_webhooks (url, seq);`,
  // Group commit (PostgresStore #flush): the commits that wait while one batch is in flight go as one statement, one
  // transaction and one WAL flush. Each item is `jivo_commit` in a subtransaction of its own, so that an item the
  // database refuses (JV409, a key taken, the visitor gone) is rolled back alone, its notification with it, and comes
  // back as its row's `o_code`; the others commit, their notifications delivered in the batch's order. The webhook
  // events an item causes (`webhooks`) are queued in its subtransaction: with it, or not at all.
  `CREATE FUNCTION jivo_commit_many(cs jsonb, notices text[])
   RETURNS TABLE (o_index int, o_number bigint, o_calls bigint, o_version bigint, o_code text, o_error text)
   LANGUAGE plpgsql AS $fn$
   BEGIN
     FOR k IN 1 .. coalesce(array_length(notices, 1), 0) LOOP
       o_index := k;
       o_number := NULL;
       o_calls := NULL;
       o_version := NULL;
       o_code := NULL;
       o_error := NULL;
       BEGIN
         SELECT r.o_number, r.o_calls, r.o_version INTO o_number, o_calls, o_version
           FROM jivo_commit(cs->(k - 1), notices[k]) r;
         -- Webhook events the commit causes, queued with it.
         IF cs->(k - 1) ? 'webhooks' THEN
           INSERT INTO jivo_webhooks (id, url, payload)
             SELECT e.value->>'id', u.value, e.value->'p'
             FROM jsonb_array_elements(cs->(k - 1)->'webhooks') WITH ORDINALITY e,
               jsonb_array_elements_text(e.value->'urls') WITH ORDINALITY u
             ORDER BY e.ordinality, u.ordinality
             ON CONFLICT (id, url) DO NOTHING;
         END IF;
       EXCEPTION WHEN SQLSTATE 'JV409' OR unique_violation OR foreign_key_violation THEN
         GET STACKED DIAGNOSTICS o_code = RETURNED_SQLSTATE, o_error = MESSAGE_TEXT;
       END;
       RETURN NEXT;
     END LOOP;
   END
   $fn$;`,
];

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

/** What `jivo_commit_many` answers for one item: `code` (and `error`) when the database refused it, else null. */
interface CommitRow {
  number: number;
  calls: number | null;
  version: number;
  code: string | null;
  error: string | null;
}

interface PendingCommit {
  id: string;
  outcome: object;
  notice: string;
  resolve: (row: CommitRow) => void;
  reject: (error: Error) => void;
}

/**
 * Batches of commits in flight at once per process: the commits that come meanwhile wait and go together in the next
 * one. Items per batch: each is a subtransaction, and past 64 of them in one transaction PostgreSQL's snapshots of
 * every other connection get slower (the subtransaction cache overflows).
 */
const COMMITS_IN_FLIGHT = 1;
const MAX_BATCH = 60;

type FileRow = { id: string; name: string; type: string; size: number; at: number };

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
  readonly webhookQueue = true;
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
  /** Commits waiting for a batch (#grouped), and the batches in flight. */
  readonly #waiting: PendingCommit[] = [];
  #inFlight = 0;

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

  async putFile(file: StoredFile, bytes: Buffer): Promise<void> {
    // One statement, so the row is there whole or not at all; a file with this id stored already is kept.
    await this.#pool.query(
      `INSERT INTO jivo_files (visitor_id, id, name, type, size, at, data) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT DO NOTHING`,
      [file.visitorId, file.id, file.name, file.type, file.size, file.at, bytes],
    );
  }

  async fileInfo(visitorId: string, fileId: string): Promise<StoredFile | null> {
    const { rows } = await this.#pool.query<FileRow>(
      'SELECT id, name, type, size::float8 AS size, at::float8 AS at FROM jivo_files WHERE visitor_id = $1 AND id = $2',
      [visitorId, fileId],
    );
    return rows[0] ? { ...rows[0], visitorId } : null;
  }

  async readFile(visitorId: string, fileId: string): Promise<{ file: StoredFile; bytes: Buffer } | null> {
    const { rows } = await this.#pool.query<FileRow & { data: Buffer }>(
      `SELECT id, name, type, size::float8 AS size, at::float8 AS at, data FROM jivo_files
       WHERE visitor_id = $1 AND id = $2`,
      [visitorId, fileId],
    );
    if (!rows[0]) return null;
    const { data, ...file } = rows[0];
    return { file: { ...file, visitorId }, bytes: data };
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

  commit(records: JournalRecord[], webhooks: readonly QueuedEvent[] = []): Promise<void> {
    const first = records[0];
    if (!first) return Promise.resolve();
    const id = first.k === 'visitor' ? first.id : 'v' in first ? first.v : null;
    if (id === null) return Promise.reject(new Error(`a ${first.k} record is not stored in PostgreSQL`));
    return this.#serial(id, () => this.#commit(id, records, webhooks));
  }

  /**
   * One round trip: the records are checked and applied to a copy here, and `jivo_commit` (MIGRATIONS) stores the
   * outcome in one statement, an implicit transaction (the visitor row first, under the version check when its state
   * changes, then the messages, offline messages and calls, and the notification to the other processes). A message
   * whose seq or id is taken, a stale version, a visitor gone or already there: the function raises JV409 and nothing
   * is written.
   */
  async #commit(id: string, records: JournalRecord[], webhooks: readonly QueuedEvent[]): Promise<void> {
    const held = this.state.visitors.get(id);
    // The records are applied to a copy first: the copy held stays as it was if the database refuses them.
    let work = held && copyVisitor(held);
    const prev = this.#versions.get(id) ?? 0;
    /** The messages' keys; `r`: the record (in the notification) whose `m` is the message. */
    const messages: Array<{ seq: number; sender: string; clientId: string; at: number; r: number }> = [];
    const offline: Array<{ id: string; cid: string; at: number; body: unknown }> = [];
    const calls = new Set<string>();
    let created: Extract<JournalRecord, { k: 'visitor' }> | null = null;
    let callsAdded = 0;
    let rotate: string | null = null;
    let identity: string | null = null;
    let changed = false;
    let erase = false;
    let activity = 0;
    let conflict: string | null = null;
    for (const record of records) {
      if (record.k === 'visitor') {
        const fresh = new ChatState();
        created = record;
        fresh.apply({ ...record, number: 0 });
        work = fresh.visitors.get(id)!;
        activity = Math.max(activity, record.at);
      } else if (record.k === 'rotate') {
        if (!work) conflict = `no visitor ${id}`;
        else {
          rotate = record.secret;
          work.secret = record.secret;
        }
      } else if (record.k === 'erase') {
        erase = true;
        work = undefined;
      } else if (!work || record.k === 'site' || record.k === 'state') {
        conflict = work ? `a ${record.k} record is not stored in PostgreSQL` : `no visitor ${id}`;
      } else {
        const refusal = this.state.refusal(record) ?? (applyToVisitor(work, record) ? null : 'changed meanwhile');
        if (refusal) conflict = refusal;
        else if (record.k === 'message') {
          const m = record.m;
          const clientId = m.from === 'visitor' ? m.id : record.cid!;
          messages.push({ seq: m.seq, sender: m.from, clientId, at: m.at, r: records.indexOf(record) });
          activity = Math.max(activity, m.at);
        } else if (record.k === 'offline') {
          offline.push({ id: record.o.id, cid: record.cid, at: record.o.at, body: record.o });
          activity = Math.max(activity, record.o.at);
        } else {
          if (record.k === 'user_token' && record.verified && record.token !== null) identity = record.token;
          if (record.k === 'call') callsAdded++;
          if (record.k === 'call' || record.k === 'call_status') calls.add(record.id);
          if ('at' in record) activity = Math.max(activity, record.at);
          changed = true;
        }
      }
      if (conflict) break;
    }
    if (conflict) {
      await this.#load(id);
      throw new StoreConflict(conflict);
    }
    let visitorSeq = 0;
    if (work) {
      for (let i = work.messages.length - 1; i >= 0; i--) {
        if (work.messages[i].from === 'visitor') {
          visitorSeq = work.messages[i].seq;
          break;
        }
      }
    }
    const outcome = {
      id,
      node: this.node,
      prev,
      ...(created && { records }),
      changed: changed || created !== null,
      erase,
      activity,
      messages,
      offline,
      callsAdded,
      widgetId: work?.widgetId ?? null,
      ...(rotate !== null && { rotate }),
      ...(identity !== null && { identity }),
      ...(created && {
        visitor: {
          widgetId: created.widgetId,
          secret: created.visitorId,
          at: created.at,
          index: records.indexOf(created),
        },
      }),
      ...(work && {
        ...((changed || created) && { state: JSON.parse(stateOf(this.state, work)) as unknown }),
        lastSeq: work.lastSeq,
        visitorSeq,
        agentReadSeq: work.agentReadSeq,
        held: needsAgent(work),
        calls: [...calls].map((callId) => {
          const call = work!.callIds.get(callId)!;
          return { id: call.id, at: call.at, open: CALL_NEXT[call.status].length > 0 };
        }),
      }),
      ...(!work && { messages: [], offline: [], calls: [] }),
      prune: Date.now() - this.#pruned > 600_000,
      ...(webhooks.length > 0 && { webhooks: webhooks.map((e) => ({ id: e.id, urls: e.urls, p: e.payload })) }),
    };
    if (outcome.prune) this.#pruned = Date.now();
    // The notification as the other processes read it (#notified); a new visitor's is made in the database, which gives
    // its number. `ver`: the version this commit leaves, as this process counts it.
    const ver = created ? 0 : changed ? prev + 1 : prev;
    const notice = JSON.stringify({ n: this.node, v: id, prev, ver, r: records });
    const result = await this.#grouped(id, outcome, notice);
    if (result.code !== null) {
      // JV409: refused by jivo_commit; 23505 and 23503: a key taken, or the visitor gone, meanwhile.
      await this.#load(id);
      throw new StoreConflict(result.error ?? result.code);
    }
    if (erase) return this.#forget(id);
    if (!work) return;
    if (created) Object.assign(work, { number: result.number });
    this.#versions.set(id, result.version);
    if (result.calls !== null) this.state.setCallCount(work.widgetId, result.calls);
    this.state.adopt(work);
  }

  /** The webhook outbox in the database (migration 7; webhook-queue.ts WebhookOutbox has the contract). */
  webhookOutbox(): WebhookOutbox {
    const pool = this.#pool;
    return {
      async add(events) {
        if (!events.length) return;
        await pool.query(
          `INSERT INTO jivo_webhooks (id, url, payload)
           SELECT e.value->>'id', u.value, e.value->'p'
           FROM jsonb_array_elements($1) WITH ORDINALITY e, jsonb_array_elements_text(e.value->'urls') WITH ORDINALITY u
           ORDER BY e.ordinality, u.ordinality
           ON CONFLICT (id, url) DO NOTHING`,
          [JSON.stringify(events.map((e) => ({ id: e.id, urls: e.urls, p: e.payload })))],
        );
      },
      async next(url, deliver) {
        const client = await pool.connect();
        let open = false;
        try {
          await client.query('BEGIN');
          open = true;
          // The oldest row of the URL, unless another process holds it (then SKIP LOCKED gives a later one, or none).
          const { rows } = await client.query<{
            seq: string;
            head: string;
            id: string;
            payload: QueuedEvent['payload'];
            attempts: number;
            wait: number;
          }>(
            `SELECT seq, (SELECT min(seq) FROM jivo_webhooks WHERE url = $1) AS head, id, payload, attempts,
               greatest(0, extract(epoch FROM due - clock_timestamp()) * 1000)::float8 AS wait
             FROM jivo_webhooks WHERE url = $1 ORDER BY seq LIMIT 1 FOR UPDATE SKIP LOCKED`,
            [url],
          );
          const row = rows[0];
          if (!row) return { idle: true };
          if (row.seq !== row.head) return { idle: true };
          if (row.wait > 0) return { wait: row.wait };
          const outcome = await deliver({ id: row.id, urls: [url], payload: row.payload }, row.attempts);
          if (outcome === 'done') await client.query('DELETE FROM jivo_webhooks WHERE seq = $1', [row.seq]);
          else
            await client.query(
              `UPDATE jivo_webhooks SET attempts = attempts + 1,
                 due = clock_timestamp() + $2 * interval '1 millisecond' WHERE seq = $1`,
              [row.seq, outcome.retryIn],
            );
          await client.query('COMMIT');
          open = false;
          return { wait: 0 };
        } finally {
          if (open) await client.query('ROLLBACK').catch(() => {});
          client.release();
        }
      },
      async size() {
        const { rows } = await pool.query<{ n: number }>('SELECT count(DISTINCT id)::float8 AS n FROM jivo_webhooks');
        return rows[0].n;
      },
      async dropOldest(keep) {
        const { rows } = await pool.query<{ n: number }>(
          // The oldest events that no delivery holds (a row in flight is locked, and stays): as many as the queue
          // has past `keep`, so that it is back at the bound whether or not one of the oldest was in flight.
          `WITH free AS (
             SELECT seq, id FROM jivo_webhooks ORDER BY seq FOR UPDATE SKIP LOCKED
           ), victims AS (
             SELECT id FROM free GROUP BY id ORDER BY min(seq)
             LIMIT greatest(0, (SELECT count(DISTINCT id) FROM jivo_webhooks) - $1)
           ), gone AS (
             DELETE FROM jivo_webhooks w USING free f
             WHERE w.seq = f.seq AND f.id IN (SELECT id FROM victims) RETURNING w.id
           ) SELECT count(DISTINCT id)::float8 AS n FROM gone`,
          [keep],
        );
        return rows[0].n;
      },
    };
  }

  /**
   * Group commit: one commit (`outcome`, `notice`: what `jivo_commit` takes) joins the batch that waits while
   * COMMITS_IN_FLIGHT batches are in flight, and resolves once its batch is committed (durable): with its row, or with
   * `code` set when the database refused this item alone. A batch that failed as a whole (the connection lost) rejects
   * every item in it. One commit per visitor at a time (#serial), so a batch holds each visitor at most once.
   */
  #grouped(id: string, outcome: object, notice: string): Promise<CommitRow> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ id, outcome, notice, resolve, reject });
      this.#flush();
    });
  }

  #flush(): void {
    while (this.#inFlight < COMMITS_IN_FLIGHT && this.#waiting.length) {
      // In visitor id order, so that batches of different processes lock the visitors' rows in one order.
      const batch = this.#waiting.splice(0, MAX_BATCH).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      this.#inFlight++;
      void this.#send(batch).finally(() => {
        this.#inFlight--;
        this.#flush();
      });
    }
  }

  async #send(batch: PendingCommit[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        const { rows } = await this.#pool.query<CommitRow & { index: number }>(
          `SELECT o_index AS index, o_number::float8 AS number, o_calls::float8 AS calls,
             o_version::float8 AS version, o_code AS code, o_error AS error
           FROM jivo_commit_many($1, $2)`,
          [JSON.stringify(batch.map((c) => c.outcome)), batch.map((c) => c.notice)],
        );
        for (const row of rows) batch[row.index - 1].resolve(row);
        return;
      } catch (error) {
        // A deadlock with another process's batch, or a serialization failure: nothing was written; try again.
        const code = (error as { code?: string }).code;
        if ((code === '40P01' || code === '40001') && attempt < 5) continue;
        for (const c of batch) c.reject(error as Error);
        return;
      }
    }
  }

  /**
   * The console's pages read from the database (console-pages.ts), so that a console pages back through everything
   * stored, not only what this process holds: keyset reads on the indexes of MIGRATIONS, a page at a time. A visitor
   * this process holds is shown as held (it is as fresh as anything here); another is read for the page alone, with
   * its newest `recentMessages` and its unread count, and not kept. `online`: the visitors with a socket on any
   * process (an active visitor may need no agent yet).
   */
  consoleReads(options: { online: () => string[]; recentMessages: number }): ConsoleReads {
    const { state } = this;
    const recent = new WeakMap<Visitor, WireMessage[]>();
    const unread = new WeakMap<Visitor, number>();
    const pool = this.#pool;
    /** Visitors by id, in `ids` order: held ones as held, others read (missing ones left out). */
    const visitors = async (ids: string[]): Promise<Map<string, Visitor>> => {
      const out = new Map<string, Visitor>();
      const missing = ids.filter((id) => !this.state.visitors.has(id));
      const read = new Map<string, Visitor>();
      if (missing.length) {
        const { rows } = await pool.query<VisitorRow & { last_seq: number; unread: number; recent: WireMessage[] }>(
          `SELECT ${VISITOR_COLUMNS}, v.last_seq::float8 AS last_seq,
             (SELECT count(*) FROM jivo_messages m
              WHERE m.visitor_id = v.id AND m.seq > v.agent_read_seq AND m.sender = 'visitor')::float8 AS unread,
             (SELECT coalesce(jsonb_agg(r.body ORDER BY r.seq), '[]') FROM
               (SELECT body, seq FROM jivo_messages m WHERE m.visitor_id = v.id ORDER BY seq DESC LIMIT $2) r) AS recent
           FROM jivo_visitors v JOIN jivo_sites s USING (widget_id) WHERE v.id = ANY($1)`,
          [missing, options.recentMessages],
        );
        for (const row of rows) {
          const v = this.#detached(row, row.last_seq);
          if (!v) continue;
          recent.set(v, row.recent);
          unread.set(v, row.unread);
          read.set(v.id, v);
        }
      }
      for (const id of ids) {
        const v = this.state.visitors.get(id) ?? read.get(id);
        if (v) out.set(id, v);
      }
      return out;
    };
    const place = (cursor: string | null): [number, string] => {
      const p = cursor === null ? null : parsePosition(cursor);
      return p ? [p.at, p.key] : [Number.MAX_SAFE_INTEGER, ''];
    };
    return {
      async visitor(id) {
        return (await visitors([id])).get(id);
      },
      async visitorsByActivity(cursor, limit, active) {
        if (limit <= 0) return [];
        const [at, key] = place(cursor);
        const after = '(last_activity, id) < ($1, $2)';
        const order = 'ORDER BY last_activity DESC, id DESC LIMIT $3';
        const { rows } = await pool.query<{ id: string; at: number }>(
          active
            ? `SELECT id, at FROM (
                 (SELECT id, last_activity::float8 AS at, last_activity FROM jivo_visitors
                  WHERE (held OR visitor_seq > agent_read_seq) AND ${after} ${order})
                 UNION
                 (SELECT id, last_activity::float8 AS at, last_activity FROM jivo_visitors
                  WHERE id = ANY($4) AND ${after} ${order})
               ) p ${order}`
            : `SELECT id, last_activity::float8 AS at FROM jivo_visitors WHERE ${after} ${order}`,
          active ? [at, key, limit, options.online()] : [at, key, limit],
        );
        const found = await visitors(rows.map((r) => r.id));
        return rows.flatMap((r) => {
          const item = found.get(r.id);
          return item ? [{ cursor: positionCursor({ at: r.at, key: r.id }), item }] : [];
        });
      },
      unread: (v) => unread.get(v) ?? state.unread(v),
      async messagesBefore(visitor, before, limit) {
        if (state.visitors.get(visitor.id) === visitor) return messagesBefore(visitor, before, limit);
        const newest = recent.get(visitor);
        if (newest && before > visitor.lastSeq && (limit <= newest.length || newest.length < options.recentMessages))
          return newest.slice(-limit);
        const { rows } = await pool.query<{ body: WireMessage }>(
          'SELECT body FROM jivo_messages WHERE visitor_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3',
          [visitor.id, before, limit],
        );
        return rows.map((r) => r.body).reverse();
      },
      async offlineMessages(cursor, limit) {
        if (limit <= 0) return [];
        const [at, key] = place(cursor);
        const { rows } = await pool.query<{ id: string; at: number; body: AgentOfflineMessage }>(
          `SELECT id, at::float8 AS at, body FROM jivo_offline_messages WHERE (at, id) < ($1, $2)
           ORDER BY at DESC, id DESC LIMIT $3`,
          [at, key, limit],
        );
        return rows.map((r) => ({ cursor: positionCursor({ at: r.at, key: r.id }), item: r.body }));
      },
      async calls(cursor, limit, open) {
        if (limit <= 0) return [];
        const [at, key] = place(cursor);
        const { rows } = await pool.query<{ visitor_id: string; id: string; key: string; at: number }>(
          `SELECT visitor_id, id, key, at::float8 AS at FROM jivo_calls
           WHERE ${open ? 'open AND ' : ''}(at, key) < ($1, $2) ORDER BY at DESC, key DESC LIMIT $3`,
          [at, key, limit],
        );
        const found = await visitors([...new Set(rows.map((r) => r.visitor_id))]);
        return rows.flatMap((r) => {
          const visitor = found.get(r.visitor_id);
          const call = visitor?.callIds.get(r.id);
          return visitor && call ? [{ cursor: positionCursor({ at: r.at, key: r.key }), item: { visitor, call } }] : [];
        });
      },
      validCursor: (cursor) => parsePosition(cursor) !== null,
    };
  }

  /**
   * Writes whole visitors (read from a journal into `from`) in bulk, a batch per transaction: what moving the chat
   * from the embedded store to PostgreSQL needs, and how tests and the bench fill a database. Visitors already stored
   * (by id) are left as they are; their numbers are kept, and each widget id's counters move past them.
   */
  async importState(from: ChatState, batch = 500): Promise<void> {
    const all = [...from.visitors.values()];
    for (let i = 0; i < all.length; i += batch) {
      const part = all.slice(i, i + batch);
      const visitors = part.map((v) => ({
        id: v.id,
        widget_id: v.widgetId,
        secret: v.secret,
        number: v.number,
        created_at: Math.floor(v.createdAt),
        last_activity: Math.floor(activityOf(v)),
        state: JSON.parse(stateOf(from, v)) as unknown,
        last_seq: v.lastSeq,
        visitor_seq: [...v.messages].reverse().find((m) => m.from === 'visitor')?.seq ?? 0,
        agent_read_seq: v.agentReadSeq,
        held: needsAgent(v),
      }));
      const messages = part.flatMap((v) => {
        const cids = new Map([...v.agentMessageIds].map(([cid, m]) => [m, cid]));
        return v.messages.map((m) => ({
          visitor_id: v.id,
          seq: m.seq,
          sender: m.from,
          client_id: m.from === 'visitor' ? m.id : cids.get(m),
          at: Math.floor(m.at),
          body: m,
        }));
      });
      const offline = part.flatMap((v) =>
        [...v.offlineIds].map(([cid, o]) => ({ id: o.id, visitor_id: v.id, cid, at: Math.floor(o.at), body: o })),
      );
      const calls = part.flatMap((v) =>
        v.calls.map((c) => ({
          visitor_id: v.id,
          id: c.id,
          key: `${v.id}.${c.id}`,
          at: Math.floor(c.at),
          open: CALL_NEXT[c.status].length > 0,
        })),
      );
      const sites = [...new Set(part.map((v) => v.widgetId))].map((widget_id) => ({
        widget_id,
        last_number: Math.max(...part.filter((v) => v.widgetId === widget_id).map((v) => v.number)),
        calls: from.callCount(widget_id),
      }));
      await this.#transaction(async (client) => {
        await client.query(
          `INSERT INTO jivo_sites AS s (widget_id, last_number, calls)
           SELECT widget_id, last_number, calls FROM jsonb_to_recordset($1) AS x(widget_id text, last_number bigint, calls bigint)
           ON CONFLICT (widget_id) DO UPDATE SET last_number = greatest(s.last_number, excluded.last_number),
             calls = greatest(s.calls, excluded.calls)`,
          [JSON.stringify(sites)],
        );
        const { rows } = await client.query<{ id: string }>(
          `INSERT INTO jivo_visitors (id, widget_id, secret, number, created_at, last_activity, state, last_seq,
             visitor_seq, agent_read_seq, held)
           SELECT * FROM jsonb_to_recordset($1) AS x(id text, widget_id text, secret text, number bigint,
             created_at bigint, last_activity bigint, state jsonb, last_seq bigint, visitor_seq bigint,
             agent_read_seq bigint, held boolean)
           ON CONFLICT DO NOTHING RETURNING id`,
          [JSON.stringify(visitors)],
        );
        const fresh = new Set(rows.map((r) => r.id));
        const only = <T extends { visitor_id: string }>(list: T[]) =>
          JSON.stringify(list.filter((x) => fresh.has(x.visitor_id)));
        await client.query(
          `INSERT INTO jivo_messages (visitor_id, seq, sender, client_id, at, body)
           SELECT * FROM jsonb_to_recordset($1) AS x(visitor_id text, seq bigint, sender text, client_id text,
             at bigint, body jsonb)`,
          [only(messages)],
        );
        await client.query(
          `INSERT INTO jivo_offline_messages (id, visitor_id, cid, at, body)
           SELECT * FROM jsonb_to_recordset($1) AS x(id text, visitor_id text, cid text, at bigint, body jsonb)`,
          [only(offline)],
        );
        await client.query(
          `INSERT INTO jivo_calls (visitor_id, id, key, at, open)
           SELECT * FROM jsonb_to_recordset($1) AS x(visitor_id text, id text, key text, at bigint, open boolean)`,
          [only(calls)],
        );
        return true;
      });
    }
  }

  /** A visitor read for a console's page: everything but its messages and offline messages, not put in `state`. */
  #detached(row: VisitorRow, lastSeq: number): Visitor | undefined {
    const fresh = new ChatState();
    const created = checkRecord({
      k: 'visitor',
      id: row.id,
      widgetId: row.widget_id,
      visitorId: row.secret,
      number: row.number,
      at: row.created_at,
      page: null,
      department: null,
      lang: row.state.lang,
    });
    if (!created || !fresh.apply(created)) return undefined;
    const visitor = fresh.visitors.get(row.id)!;
    visitor.lastSeq = lastSeq;
    const state = checkRecord({ ...row.state, k: 'state', v: row.id });
    if (!state || !fresh.apply(state)) return undefined;
    return visitor;
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

/** A visitor's last activity, as the console orders visitors (state.ts keeps the same for what a process holds). */
function activityOf(v: Visitor): number {
  let at = Math.max(v.createdAt, v.lastSeenAt, v.messages.at(-1)?.at ?? v.createdAt);
  for (const o of v.offlineIds.values()) at = Math.max(at, o.at);
  for (const c of v.calls) at = Math.max(at, c.updatedAt);
  return at;
}

/**
 * Whether the visitor waits for an agent whatever its messages: a chat somebody has, a contacts request not answered, an
 * open call back (the `held` column; the console's active list adds unread visitor messages and presence).
 */
function needsAgent(v: Visitor): boolean {
  return (
    v.acceptedBy !== null ||
    v.contactsRequest?.state === 'pending' ||
    v.calls.some((c) => CALL_NEXT[c.status].length > 0)
  );
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
