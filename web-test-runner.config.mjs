import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CHROME_FLAGS } from './scripts/chrome-flags.mjs';
import { backendPlugin } from './scripts/wtr-backend-plugin.mjs';
import { mediaPlugin } from './scripts/wtr-media-plugin.mjs';

const chromeFlags = [
  ...CHROME_FLAGS,
  // For test/perf/leak.test.ts: window.gc() and an exact performance.memory.usedJSHeapSize.
  '--js-flags=--expose-gc',
  '--enable-precise-memory-info',
];

/**
 * A page of test/fixtures/ asked for with `?csp=<policy>` comes with that policy as its Content-Security-Policy header,
 * as a site sends it (test/api/trusted-types.test.ts).
 */
async function cspFromQuery(context, next) {
  await next();
  const policy = context.URL.searchParams.get('csp');
  if (policy && context.path.startsWith('/test/fixtures/') && context.path.endsWith('.html')) {
    context.set('Content-Security-Policy', policy);
  }
}

/**
 * A module the source imports under a computed name (a language's catalogue, `import(\`./locales/${code}.js\`)`) is
 * asked for as `.js`, which the esbuild plugin maps to the `.ts` source only for names it sees written: serve the
 * source for those too.
 */
async function tsForJs(context, next) {
  if (context.path.startsWith('/src/') && context.path.endsWith('.js')) {
    const ts = context.path.replace(/\.js$/, '.ts');
    if (
      !existsSync(fileURLToPath(new URL(`.${context.path}`, import.meta.url))) &&
      existsSync(fileURLToPath(new URL(`.${ts}`, import.meta.url)))
    )
      context.path = ts;
  }
  return next();
}

/**
 * A language's chunk fails (503) while the browser has the cookie `jivo-test-failing-language=<code>`: the source module
 * (`/src/i18n/locales/<code>.js`) and the built chunk (`/dist/chunks/lang-<code>-*.js`) alike
 * (test/i18n/widget-language.test.ts).
 */
async function failingLanguage(context, next) {
  const failing = context.cookies.get('jivo-test-failing-language');
  const code = /^\/(?:src\/i18n\/locales\/(\w+)\.[jt]s|dist\/chunks\/lang-(\w+)-)/.exec(context.path);
  if (failing && code && (code[1] ?? code[2]) === failing) {
    context.status = 503;
    return;
  }
  // With `jivo-test-slow-language=<code>`, it answers after 4 s, by which a test with a fake clock has passed 10 s.
  if (code && (code[1] ?? code[2]) === context.cookies.get('jivo-test-slow-language')) {
    await new Promise((resolve) => setTimeout(resolve, 4000));
  }
  await next();
  // Not from the browser's cache, which the test files share: a later page may want it to fail.
  if (code) context.set('Cache-Control', 'no-store');
}

/**
 * /test/fixtures/slow.svg?ms=<n>: an empty image that answers after n ms (at most 10 s): on a page, it holds back the
 * load event (test/api/page-loading.test.ts).
 */
async function slowImage(context, next) {
  if (context.path !== '/test/fixtures/slow.svg') return next();
  const ms = Math.min(Number(context.URL.searchParams.get('ms')) || 0, 10_000);
  await new Promise((resolve) => setTimeout(resolve, ms));
  context.set('Cache-Control', 'no-store');
  context.type = 'image/svg+xml';
  context.body = '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>';
}

/**
 * /test/fixtures/ssr-page.html?attrs=<JSON>: a page whose <jivo-widget> (with those attributes) Lit SSR rendered on the
 * server (test/fixtures/ssr-render.mjs, in a process of its own), for test/package/ssr-hydration.test.ts.
 */
async function ssrPage(context, next) {
  if (context.path !== '/test/fixtures/ssr-page.html') return next();
  const attrs = context.URL.searchParams.get('attrs') ?? '{}';
  const script = fileURLToPath(new URL('./test/fixtures/ssr-render.mjs', import.meta.url));
  context.body = await new Promise((resolve, reject) =>
    execFile(process.execPath, [script, attrs], { maxBuffer: 4 << 20 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
    ),
  );
  context.type = 'html';
}

export default {
  // test/backend/ holds the server's Node tests (scripts/test-backend.mjs).
  files: ['test/**/*.test.ts', '!test/backend/**'],
  // Pages on 127.0.0.1, the backend's host: an agent signed in from a test page gets a SameSite=Strict session cookie,
  // which the browser sends only to the same site (another port of the same host is the same site).
  hostname: '127.0.0.1',
  nodeResolve: { exportConditions: ['es2015', 'browser'] },
  middleware: [cspFromQuery, ssrPage, slowImage, failingLanguage, tsForJs],
  plugins: [
    esbuildPlugin({
      ts: true,
      target: 'es2022',
      tsconfig: fileURLToPath(new URL('./tsconfig.json', import.meta.url)),
    }),
    // The reference backend, for the integration tests (test/integration/): a real server on a real port.
    backendPlugin(),
    // forced-colors emulation, which emulateMedia does not pass on with this launcher.
    mediaPlugin(),
  ],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
        headless: true,
        args: chromeFlags,
      },
    }),
  ],
  // One test file at a time: a second file runs in a background tab, whose document is hidden, so animation frames,
  // ResizeObserver and focus never happen there (and no Chromium flag makes a background tab visible).
  concurrency: 1,
  testFramework: { config: { timeout: 5000 } },
  testsFinishTimeout: 180000,
};
