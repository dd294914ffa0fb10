// The stores the server bench can run against. The scenarios never look inside one: they ask it for a fresh place for
// a run's data (`freshSpace`: a temporary folder, and for PostgreSQL a database of its own), the server's environment
// (`env`) and, for the start-up scenario, to fill that place with stored history (`writeHistory`, from the one
// history of bench/server/lib/history.mjs). Per store:
//   name, describe          what the table's header says
//   shared                  whether several server processes may run on one place (PostgreSQL) or only one (journal)
//   setup(), teardown()     once per bench run (PostgreSQL: start and remove a throwaway cluster)
//   prepare(dataDir), release(dataDir)    per scenario run (PostgreSQL: CREATE DATABASE, DROP DATABASE)
//   env({ dataDir, node })  the environment of server process `node` (0, 1, …)
//   writeHistory(dataDir, options)        → { bytes, records, sample }
//   counters(dataDir)       what the store itself counts (PostgreSQL: transactions, WAL flushes, its CPU time)
import { once } from 'node:events';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startPostgres } from '../../../scripts/postgres.mjs';
import { history } from './history.mjs';
import { parentPid, treeCpuMs } from './proc.mjs';
import { serverCommand } from './server-process.mjs';

/**
 * The journal (server/journal.ts): `<DATA_DIR>/journal.jsonl`, one JSON record per line, in the format of
 * server/state.ts `JournalRecord`. One server process per data directory.
 */
const journal = {
  name: 'journal',
  describe: 'the append-only journal, DATA_DIR/journal.jsonl (server/journal.ts)',
  shared: false,

  /** The server's environment for this store (one process: `node` is always 0). */
  env: ({ dataDir }) => ({ DATA_DIR: dataDir }),

  /**
   * Writes the history (bench/server/lib/history.mjs) straight into `dataDir`, as the server would have written it.
   * Returns `{ bytes, records, sample }`: `sample` is a visitor the bench can say hello as.
   */
  async writeHistory(dataDir, options) {
    const { sample, records } = history(options);
    const file = join(dataDir, 'journal.jsonl');
    const out = createWriteStream(file, { mode: 0o600 });
    let chunk = [];
    let count = 0;
    for (const record of records()) {
      chunk.push(JSON.stringify(record));
      count++;
      if (chunk.length < 5000) continue;
      const ok = out.write(`${chunk.join('\n')}\n`);
      chunk = [];
      if (!ok) await once(out, 'drain');
    }
    if (chunk.length) out.write(`${chunk.join('\n')}\n`);
    out.end();
    await once(out, 'finish');
    return { bytes: statSync(file).size, records: count, sample };
  },
};

// --- PostgreSQL ---

/** The bench run's cluster (`{ url, port, stop, pid }`: pid is its postmaster's), started on first use. */
let cluster = null;
/** The database of each scenario run, by its data directory: `{ name, url }`. */
const databases = new Map();
let databaseCount = 0;

async function withClient(url, work) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const databaseOf = (dataDir) => {
  const db = databases.get(dataDir);
  if (!db) throw new Error(`no database for ${dataDir}: the store's prepare(dataDir) makes one`);
  return db;
};

/** A visitor's `state` column as server/store/postgres.ts `stateOf` writes it (ChatState.stateRecord without k, v). */
const visitorState = (v) => ({
  lastSeenAt: v.at,
  page: v.page,
  department: v.department,
  lang: v.lang,
  ua: v.ua ?? '',
  readSeq: v.readSeq,
  agentReadSeq: v.agentReadSeq,
  acceptedBy: null,
  acceptedById: null,
  finishedSeq: 0,
  finishedChats: 0,
  contact: { name: '', email: '', phone: '', description: '' },
  customData: [],
  userToken: null,
  utm: null,
  clientAttributes: {},
  attributeChanges: [],
  contactsRequest: null,
  calls: [],
});

/** Rows per INSERT (unnest of one array per column: one statement, one round trip, whatever the row count). */
const BATCH = 5000;

/**
 * PostgreSQL (server/store/postgres.ts): every server process of a run on one database, each with a `DATA_DIR` of its
 * own for its webhook queue (docs/deploy.md, "Several servers on PostgreSQL").
 */
const postgres = {
  name: 'postgres',
  describe:
    'PostgreSQL (server/store/postgres.ts): a throwaway cluster per bench run (scripts/postgres.mjs), a database per ' +
    'scenario run, DATA_DIR per server process for its webhook queue',
  shared: true,

  async setup() {
    if (cluster) return;
    const started = await startPostgres();
    try {
      // The postmaster is the parent of every backend: read it while this one is still connected.
      const pid = await withClient(started.url, async (c) =>
        parentPid((await c.query('SELECT pg_backend_pid() AS pid')).rows[0].pid),
      );
      cluster = { ...started, pid };
    } catch (error) {
      started.stop();
      throw error;
    }
  },

  teardown() {
    cluster?.stop();
    cluster = null;
    databases.clear();
  },

  async prepare(dataDir) {
    await postgres.setup();
    const name = `jivo_bench_${process.pid}_${++databaseCount}`;
    await withClient(cluster.url, (c) => c.query(`CREATE DATABASE ${name}`));
    const url = new URL(cluster.url);
    url.pathname = `/${name}`;
    databases.set(dataDir, { name, url: url.href });
  },

  async release(dataDir) {
    const db = databases.get(dataDir);
    databases.delete(dataDir);
    if (db && cluster) await withClient(cluster.url, (c) => c.query(`DROP DATABASE IF EXISTS ${db.name} WITH (FORCE)`));
  },

  env({ dataDir, node = 0 }) {
    const own = join(dataDir, `node-${node}`);
    mkdirSync(own, { recursive: true, mode: 0o700 });
    const pool = this.poolSize ? { DATABASE_POOL_SIZE: String(this.poolSize) } : {};
    return { DATABASE_URL: databaseOf(dataDir).url, DATA_DIR: own, ...pool };
  },

  /**
   * What the database has done so far: transactions committed in this run's database (`xact_commit`), WAL flushes to
   * disk and WAL records in the whole cluster (`pg_stat_wal`), and the CPU time of the cluster's processes (the
   * postmaster, its children, and what the children that ended used). PostgreSQL's statistics reach these views up
   * to about a second late (each backend flushes them at most once a second), so a difference over a window of
   * seconds is off by about a second's worth at either end.
   */
  async counters(dataDir) {
    const db = databaseOf(dataDir);
    const cpu = treeCpuMs(cluster.pid);
    return withClient(db.url, async (c) => {
      const { rows } = await c.query(
        `SELECT (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database())::float8 AS commits,
                wal_sync::float8 AS "walSyncs", wal_records::float8 AS "walRecords" FROM pg_stat_wal`,
      );
      return { ...rows[0], cpuMs: cpu, at: performance.now() };
    });
  },

  /**
   * Writes the history (bench/server/lib/history.mjs) into the run's database as the server's own commits would have
   * left it (server/store/postgres.ts `#commit`; read back by `#load`): the schema is the server's, applied by one of
   * its commands; a `jivo_sites` row per widget id with its last visitor number; a `jivo_visitors` row per visitor
   * with its `state` as the last of its commits wrote it (read marks included), a `version` counted up once per
   * change to it, and `last_activity` its newest message; a `jivo_messages` row per message, keyed by seq and by its
   * client's id (the widget's message id, the console's id for an agent's). Rows go in with multi-row INSERTs.
   * Then VACUUM ANALYZE and a CHECKPOINT, so that a start-up does not meet the load's dirty pages or missing
   * statistics. `bytes` is the size of the chat's tables with their indexes.
   */
  async writeHistory(dataDir, options) {
    // Any command opens the store, which applies the migrations (PostgresStore.open).
    await serverCommand(postgres, dataDir, ['sites', 'list']);
    const { sample, records } = history(options);
    return withClient(databaseOf(dataDir).url, async (c) => {
      const visitors = new Map();
      let newVisitors = [];
      let messages = [];
      let count = 0;
      const insertVisitors = async () => {
        const last = new Map();
        for (const v of newVisitors) last.set(v.widgetId, Math.max(v.number, last.get(v.widgetId) ?? 0));
        await c.query(
          `INSERT INTO jivo_sites AS s (widget_id, last_number) SELECT * FROM unnest($1::text[], $2::bigint[])
           ON CONFLICT (widget_id) DO UPDATE SET last_number = greatest(s.last_number, excluded.last_number)`,
          [[...last.keys()], [...last.values()]],
        );
        for (let i = 0; i < newVisitors.length; i += BATCH) {
          const batch = newVisitors.slice(i, i + BATCH);
          await c.query(
            `INSERT INTO jivo_visitors (id, widget_id, secret, number, created_at, last_activity, state)
             SELECT id, w, s, n, at, at, state::jsonb
             FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::text[])
               AS u(id, w, s, n, at, state)`,
            [
              batch.map((v) => v.id),
              batch.map((v) => v.widgetId),
              batch.map((v) => v.visitorId),
              batch.map((v) => v.number),
              batch.map((v) => v.at),
              batch.map((v) => JSON.stringify(visitorState(v))),
            ],
          );
        }
        newVisitors = [];
      };
      const insertMessages = async () => {
        if (!messages.length) return;
        await c.query(
          `INSERT INTO jivo_messages (visitor_id, seq, sender, client_id, at, body)
           SELECT v, seq, sender, cid, at, body::jsonb
           FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::bigint[], $6::text[])
             AS u(v, seq, sender, cid, at, body)`,
          [
            messages.map((r) => r.v),
            messages.map((r) => r.m.seq),
            messages.map((r) => r.m.from),
            messages.map((r) => (r.m.from === 'visitor' ? r.m.id : r.cid)),
            messages.map((r) => r.m.at),
            messages.map((r) => JSON.stringify(r.m)),
          ],
        );
        messages = [];
      };

      for (const r of records()) {
        count++;
        if (r.k === 'visitor') {
          const v = { ...r, readSeq: 0, agentReadSeq: 0, version: 0, activity: r.at };
          visitors.set(r.id, v);
          newVisitors.push(v);
          continue;
        }
        if (newVisitors.length) await insertVisitors();
        const v = visitors.get(r.v);
        if (r.k === 'message') {
          v.activity = Math.max(v.activity, r.m.at);
          messages.push(r);
          if (messages.length >= BATCH) await insertMessages();
        } else if (r.k === 'read' || r.k === 'agent_read') {
          // A change to the rest of the visitor: its state row is written again, one version up.
          if (r.k === 'read') v.readSeq = Math.max(v.readSeq, r.seq);
          else v.agentReadSeq = Math.max(v.agentReadSeq, r.seq);
          v.version++;
        } else {
          throw new Error(`the history has a ${r.k} record, which this writer does not store`);
        }
      }
      if (newVisitors.length) await insertVisitors();
      await insertMessages();
      const all = [...visitors.values()];
      for (let i = 0; i < all.length; i += BATCH) {
        const batch = all.slice(i, i + BATCH);
        await c.query(
          `UPDATE jivo_visitors AS v SET state = u.state::jsonb, version = u.version, last_activity = u.activity
           FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[]) AS u(id, state, version, activity)
           WHERE v.id = u.id`,
          [
            batch.map((v) => v.id),
            batch.map((v) => JSON.stringify(visitorState(v))),
            batch.map((v) => v.version),
            batch.map((v) => v.activity),
          ],
        );
      }
      await c.query('VACUUM (ANALYZE) jivo_sites, jivo_visitors, jivo_messages');
      await c.query('CHECKPOINT');
      const { rows } = await c.query(
        `SELECT sum(pg_total_relation_size(c.oid))::float8 AS bytes FROM pg_class c
         WHERE c.relname IN ('jivo_sites', 'jivo_visitors', 'jivo_messages', 'jivo_offline_messages')`,
      );
      return { bytes: rows[0].bytes, records: count, sample };
    });
  },
};

export const STORES = { journal, postgres };

/** The store named `name`, or an error that lists the ones there are. */
export function store(name) {
  const found = STORES[name];
  if (!found) throw new Error(`--store: unknown store ${name} (${Object.keys(STORES).join(', ')})`);
  return found;
}

/**
 * A fresh place for one scenario run's data: a temporary folder (`dataDir`) and what the store keeps beside it (a
 * database). `remove()` deletes both.
 */
export async function freshSpace(store) {
  const dataDir = mkdtempSync(join(tmpdir(), 'jivo-bench-server-'));
  try {
    await store.prepare?.(dataDir);
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    dataDir,
    async remove() {
      try {
        await store.release?.(dataDir);
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}
