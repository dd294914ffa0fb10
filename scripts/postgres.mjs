// A throwaway PostgreSQL cluster for the tests and the server bench: Debian's `postgresql` package (installed with apt
// when it is missing and we are root, as a fresh CI machine needs), a new cluster in a temporary folder, listening on
// 127.0.0.1 and a free port, removed when stopped. initdb and pg_ctl refuse to run as root: as root they run as the
// package's `postgres` user.
//   const pg = await startPostgres();   // { url: 'postgres://postgres@127.0.0.1:PORT/postgres', stop() }
//   node scripts/postgres.mjs            // starts one and prints its URL until Ctrl-C
import { execFileSync, execSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = '/usr/lib/postgresql';

/** The newest installed server's bin folder, or null. */
function findBin() {
  if (!existsSync(ROOT)) return null;
  const versions = readdirSync(ROOT)
    .filter((v) => existsSync(join(ROOT, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(ROOT, versions[0], 'bin') : null;
}

/** The bin folder of an installed PostgreSQL server, installing Debian's package when we may. */
export function ensurePostgres() {
  const found = findBin();
  if (found) return found;
  const canApt = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
  if (!canApt) {
    throw new Error(
      `PostgreSQL is not installed (no ${ROOT}/*/bin/pg_ctl). Install it (Debian: apt-get install postgresql) and run the tests again.`,
    );
  }
  console.log("PostgreSQL is missing: installing Debian's postgresql package…");
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execSync('apt-get update -qq && apt-get install -y -qq --no-install-recommends postgresql', {
    stdio: 'inherit',
    env,
  });
  const bin = findBin();
  if (!bin) throw new Error(`apt installed postgresql, but ${ROOT}/*/bin/pg_ctl is still missing`);
  return bin;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts a new cluster; resolves with its URL and a stop() that removes it. */
export async function startPostgres() {
  const bin = ensurePostgres();
  const root = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'jivo-pg-'));
  chmodSync(dir, 0o700);
  if (root) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  const run = (tool, args) => {
    const command = root ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]] : [join(bin, tool), args];
    return execFileSync(command[0], command[1], { stdio: ['ignore', 'pipe', 'pipe'] });
  };
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const port = await freePort();
  // fsync stays on: the tests check that what was acknowledged survives, and the bench measures real commits.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200`;
  run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-o', options, '-w', '-t', '30', 'start']);
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, port, stop };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const pg = await startPostgres();
  console.log(pg.url);
  const stop = () => {
    pg.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  setInterval(() => {}, 1 << 30);
}
