// The package as a user gets it. `npm pack` makes the tarball (prepack builds everything first, so the types are
// there whatever was built before: npm start rebuilds dist/ without them), then a new project installs it with no
// network (`npm ci --offline`, from a lockfile made of this repository's: npm's cache has every runtime dependency
// since `npm ci` here, but not their registry metadata, which a plain `npm install <tarball> --offline` needs), and:
// its jivo-widget-server command starts and serves the demo page and the bundle, its type entries resolve and
// type-check, and the manifest's modules are all in it. It rebuilds dist/, so npm test runs it last, on its own.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

const root = new URL('../..', import.meta.url).pathname;
const rootJson = (file) => JSON.parse(readFileSync(join(root, file), 'utf8'));

/**
 * package-lock.json entries for `dependencies`, as this repository's lockfile resolved them (Node's lookup: a nested
 * copy first, then the hoisted one), with their own dependencies, transitively.
 */
function lockEntriesFor(dependencies) {
  const { packages } = rootJson('package-lock.json');
  const entries = {};
  const queue = Object.keys(dependencies).map((name) => ['', name]);
  while (queue.length) {
    const [from, name] = queue.shift();
    let at = null;
    for (let dir = from; ; dir = dir.slice(0, dir.lastIndexOf('/node_modules/'))) {
      const path = `${dir ? `${dir}/` : ''}node_modules/${name}`;
      if (packages[path]) {
        at = path;
        break;
      }
      if (!dir) break;
    }
    assert.ok(at, `package-lock.json has ${name}`);
    if (entries[at]) continue;
    // The flags describe this repository's install, not the new project's.
    const entry = { ...packages[at] };
    for (const flag of ['dev', 'devOptional', 'peer']) delete entry[flag];
    entries[at] = entry;
    // Optional ones too (pg's pg-cloudflare): npm ci wants every package a lock entry names.
    for (const dependency of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies }))
      queue.push([at, dependency]);
  }
  return entries;
}

describe('npm pack, and the tarball installed into a new project', () => {
  const pkg = rootJson('package.json');
  let dir;
  let info;
  let files;
  let app;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'jivo-pack-'));
    [info] = JSON.parse(
      execFileSync('npm', ['pack', '--pack-destination', dir, '--json'], { cwd: root, encoding: 'utf8' }),
    );
    files = new Set(info.files.map((f) => f.path));
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('ships the bundles, the npm build with its .d.ts files, the typings, the editor data, the server, the manifest and the docs', () => {
    for (const path of [
      'dist/jivo-widget.js',
      'dist/jivo-widget.iife.js',
      'dist/esm/index.js',
      'dist/esm/index.d.ts',
      'dist/esm/jivo-widget.d.ts',
      'dist/esm/api/types.d.ts',
      'dist/types/react.d.ts',
      'dist/types/vue.d.ts',
      'dist/types/svelte.d.ts',
      'dist/web-types.json',
      'dist/vscode.html-custom-data.json',
      'dist/server/main.mjs',
      'demo/public/index.html',
      'console/public/agent.html',
      'custom-elements.json',
      'README.md',
      'LICENSE',
      'docs/protocol.md',
      'docs/deploy.md',
    ]) {
      assert.ok(files.has(path), `${path} is in the tarball`);
    }
  });

  it("has every file that package.json's exports, bin and web-types name, and every module of custom-elements.json", () => {
    const targets = [pkg.main, pkg.types, pkg['web-types'], ...Object.values(pkg.bin)];
    const collect = (value) =>
      typeof value === 'string' ? targets.push(value) : Object.values(value).forEach(collect);
    collect(pkg.exports);
    for (const mod of rootJson('custom-elements.json').modules) targets.push(mod.path);
    for (const target of targets) {
      const path = target.replace(/^\.\//, '');
      assert.ok(path === 'package.json' || files.has(path), `${target} is in the tarball`);
    }
  });

  it('the widget (bundles and npm build) imports no ws: only the server does', () => {
    const importsWs = /\bfrom\s*["']ws["']|\bimport\(\s*["']ws["']\s*\)|\brequire\(\s*["']ws["']\s*\)/;
    const widgetFiles = [...files].filter(
      (f) => f.startsWith('dist/') && f.endsWith('.js') && !/^dist\/(server|console)\//.test(f),
    );
    assert.ok(widgetFiles.length > 50);
    for (const file of widgetFiles) assert.doesNotMatch(readFileSync(join(root, file), 'utf8'), importsWs, file);
    assert.match(readFileSync(join(root, 'dist/server/main.mjs'), 'utf8'), importsWs);
    assert.ok('ws' in pkg.dependencies, 'ws is a run-time dependency, for the server');
  });

  it('installs into a new project with no network', () => {
    app = join(dir, 'app');
    mkdirSync(app);
    const tarball = `file:../${info.filename}`;
    const dependencies = { 'jivo-widget': tarball };
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({ name: 'app', private: true, type: 'module', dependencies }),
    );
    const lock = {
      name: 'app',
      lockfileVersion: 3,
      requires: true,
      packages: {
        '': { name: 'app', dependencies },
        'node_modules/jivo-widget': {
          version: info.version,
          resolved: tarball,
          integrity: info.integrity,
          license: pkg.license,
          dependencies: pkg.dependencies,
          bin: pkg.bin,
          engines: pkg.engines,
        },
        ...lockEntriesFor(pkg.dependencies),
      },
    };
    writeFileSync(join(app, 'package-lock.json'), JSON.stringify(lock, null, 2));
    execFileSync('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: app,
      stdio: 'pipe',
    });
    assert.ok(existsSync(join(app, 'node_modules/jivo-widget/dist/esm/index.js')));
    assert.deepEqual(readdirSync(join(app, 'node_modules/.bin')), ['jivo-widget-server']);
  });

  it('npx jivo-widget-server --help prints its usage', () => {
    const usage = execFileSync('npx', ['--offline', '--no-install', 'jivo-widget-server', '--help'], {
      cwd: app,
      encoding: 'utf8',
    });
    assert.match(usage, /^jivo-widget-server: /);
    assert.match(usage, /DATA_DIR/);
  });

  it('the installed jivo-widget-server starts and serves the demo page, the widget bundle and the agent console', async () => {
    const dataDir = mkdtempSync(join(dir, 'data-'));
    const server = spawn(join(app, 'node_modules/.bin/jivo-widget-server'), [], {
      cwd: app,
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let output = '';
      const url = await new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no address in 20 s:\n${output}`)), 20000);
        const read = (chunk) => {
          output += chunk;
          const found = /jivo-widget demo: (http:\/\/\S+?)\/?$/m.exec(output);
          if (found) {
            clearTimeout(timer);
            resolve(found[1]);
          }
        };
        server.stdout.on('data', read);
        server.stderr.on('data', read);
        server.on('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
      });
      const page = await fetch(`${url}/`);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /<jivo-widget/);
      const bundle = await fetch(`${url}/dist/jivo-widget.js`);
      assert.equal(bundle.status, 200);
      assert.equal((await fetch(`${url}/agent.html`)).status, 200);
    } finally {
      server.kill();
    }
  });

  it('its type entries resolve and type-check in the project: the classes, jivo_api, and <jivo-widget> in React JSX', () => {
    // The app's own React types, as an app has them (the package does not depend on React).
    for (const name of ['@types/react', 'csstype']) {
      mkdirSync(join(app, 'node_modules', name, '..'), { recursive: true });
      symlinkSync(join(root, 'node_modules', name), join(app, 'node_modules', name));
    }
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          lib: ['ES2022', 'DOM'],
          jsx: 'react-jsx',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: [],
        },
        include: ['*.ts', '*.tsx'],
      }),
    );
    writeFileSync(
      join(app, 'app.tsx'),
      `import { JivoWidget, type JivoChangeStateEvent } from 'jivo-widget';
import 'jivo-widget/jivo-widget.js';
import type {} from 'jivo-widget/react';
import type {} from 'jivo-widget/vue';
import type {} from 'jivo-widget/svelte';
import type {} from 'jivo-widget/preact';
import type {} from 'jivo-widget/solid';

export const tag: typeof JivoWidget = JivoWidget;
export const state = (event: JivoChangeStateEvent): string => event.detail.state;
export const chat = <jivo-widget widget-id="shop" position="left" onjivo-change-state={state} />;
export const mode = (): string | undefined => jivo_api?.chatMode().result;
// @ts-expect-error: a corner the widget does not have
export const wrong = <jivo-widget position="top" />;
`,
    );
    execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', app], { cwd: app, encoding: 'utf8' });
  });
});
