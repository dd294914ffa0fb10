// What every browser figure runs against: the reference backend in a child process with one agent online (so the
// widget is in online mode), the bench pages and the built files on a localhost static server, and the machine's
// Chromium. Used by `npm run bench` (bench/run.mjs) and `npm run bench:profile` (bench/profile.mjs).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { Agent, startBackendProcess } from './backend.mjs';
import { launchBrowser } from './browser.mjs';
import { serveStatic } from './server.mjs';

/** Chromium installed if missing (Debian's package), and dist/ built if it is missing. */
export function prepare(root, log) {
  execFileSync(process.execPath, [join(root, 'scripts/ensure-chromium.mjs')], { stdio: 'inherit' });
  if (!existsSync(join(root, 'dist/jivo-widget.js')) || !existsSync(join(root, 'dist/server/main.mjs'))) {
    log('dist/ is missing: building');
    execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: 'inherit' });
  }
}

/**
 * The floor element, bundled as the widget is (scripts/build.mjs): minified ES2022 module, rxjs's ES2015 build, into
 * `dir`/floor.js (and floor.js.map). Resolves to that file's path.
 */
export async function buildFloor(root, dir) {
  await build({
    entryPoints: [join(root, 'bench/floor/floor.js')],
    outfile: join(dir, 'floor.js'),
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    conditions: ['es2015'],
    legalComments: 'none',
    // A map beside it for `npm run bench:profile`, with no comment pointing to it: floor.js keeps its byte count.
    sourcemap: 'external',
    logLevel: 'warning',
  });
  return join(dir, 'floor.js');
}

/**
 * Starts it all. `floorDir` holds the floor bundle (floor.js); `against` is another build's dist/ folder or undefined.
 * Resolves to `{ browser, origin, backend, agent, close() }`; `close` stops whatever started, also after a failure.
 */
export async function startBenchEnv({ root, floorDir, against, log = () => {} }) {
  const cleanups = [];
  const close = async () => {
    for (const cleanup of cleanups.splice(0))
      await Promise.resolve()
        .then(cleanup)
        .catch((error) => log(`cleanup: ${error}`));
  };
  try {
    const backend = await startBackendProcess();
    cleanups.unshift(() => backend.close());
    const agent = await Agent.connect(backend.agentUrl, backend.agentLogin);
    cleanups.unshift(() => agent.close());
    const server = await serveStatic(
      {
        '/': join(root, 'bench/pages'),
        '/dist/': join(root, 'dist'),
        '/floor/': floorDir,
        ...(against ? { '/against/': against } : {}),
      },
      (query) => ({
        ENDPOINT: backend.visitorUrl,
        WIDGET_ID: (query.get('wid') ?? 'bench').replace(/[^\w-]/g, '').slice(0, 64),
        // The widget page loads this build's bundle, or with `dist=against` the one given by --against.
        DIST: query.get('dist') === 'against' && against ? '/against/' : '/dist/',
      }),
    );
    cleanups.unshift(() => server.close());
    const browser = await launchBrowser();
    cleanups.unshift(() => browser.close());
    return { browser, origin: server.url, backend, agent, close };
  } catch (error) {
    await close();
    throw error;
  }
}
