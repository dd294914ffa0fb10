// The dependency-rule check (scripts/check-imports.mjs): that it holds for the tree, and that it catches what it must.
import assert from 'node:assert/strict';
import { dirname, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { check, importsOf, readTree } from '../../scripts/check-imports.mjs';

const root = resolve(dirname(new URL(import.meta.url).pathname), '../..');
const tree = (files) => new Map(Object.entries(files));

describe('the dependency rule', () => {
  it('holds for src/, server/ and console/: no import against the rule, no cycle', () => {
    assert.deepEqual(check(readTree(root, ['src', 'server', 'console'])), []);
  });

  it('reads static, re-exported, type-only and dynamic imports, and not those quoted in comments', () => {
    const source = `import { a } from './a.js';
import type { B } from '../b.js';
export { c } from './c.js';
export * from './d.js';
import './e.js';
const f = () => import('./f.js');
// import { g } from './g.js';
/* import { h } from './h.js'; */
import { x } from 'lit';`;
    assert.deepEqual(importsOf(source), ['./a.js', '../b.js', './c.js', './d.js', './e.js', './f.js']);
  });

  it('fails on state/ importing transport/, the wire format included', () => {
    const problems = check(
      tree({
        'src/state/store.ts':
          "import { ChatSession } from '../transport/session.js';\nimport { LIMITS } from '../transport/protocol.js';",
      }),
    );
    assert.deepEqual(problems, [
      'src/state/store.ts imports src/transport/session.ts: state/ may not import transport/',
      'src/state/store.ts imports src/transport/protocol.ts: state/ may not import wire/',
    ]);
  });

  it("fails on the console importing the server's internals; its agent protocol is allowed", () => {
    const problems = check(
      tree({
        'console/store.ts':
          "import { parseAgentServerFrame } from '../server/agent-protocol.js';\nimport { Hub } from '../server/hub.js';",
      }),
    );
    assert.deepEqual(problems, ['console/store.ts imports server/hub.ts: console/ may not import server/']);
  });

  it('fails on model/ importing anything of ours', () => {
    const problems = check(
      tree({ 'src/model/limits.ts': "import type { Locale } from '../i18n/strings.js';", 'src/i18n/strings.ts': '' }),
    );
    assert.equal(problems.length, 1);
  });

  it("fails on a component importing transport/, api/ or another component's files; the root may", () => {
    const problems = check(
      tree({
        'src/components/composer/composer.ts': [
          "import { ChatSession } from '../../transport/session.js';",
          "import { ok } from '../../api/result.js';",
          "import { styles } from '../offline-form/offline-form.styles.js';",
          "import { own } from './composer.styles.js';",
          "import { storeContext } from '../shared/context.js';",
        ].join('\n'),
        'src/components/widget/controllers/session.ts': "import { ChatSession } from '../../../transport/session.js';",
      }),
    );
    assert.deepEqual(problems, [
      'src/components/composer/composer.ts imports src/transport/session.ts: component/ may not import transport/',
      'src/components/composer/composer.ts imports src/api/result.ts: component/ may not import api/',
      'src/components/composer/composer.ts imports src/components/offline-form/offline-form.styles.ts: a component imports only its own files (shared styles go to src/styles/)',
    ]);
  });

  it('fails on an import cycle, naming its files in order', () => {
    const problems = check(
      tree({
        'src/state/a.ts': "import { b } from './b.js';",
        'src/state/b.ts': "import { c } from './c.js';",
        'src/state/c.ts': "import { a } from './a.js';",
      }),
    );
    assert.deepEqual(problems, ['import cycle: src/state/a.ts -> src/state/b.ts -> src/state/c.ts -> src/state/a.ts']);
  });

  it('counts no type-only import in a cycle: it is gone once compiled', () => {
    const problems = check(
      tree({
        'server/hub.ts': "import { onFrame } from './socket.js';",
        'server/socket.ts': "import type { Hub } from './hub.js';",
      }),
    );
    assert.deepEqual(problems, []);
  });

  it('allows only the lazy window chunk as an arrow up to an entry', () => {
    assert.deepEqual(
      check(
        tree({
          'src/components/widget/load-window-chunk.ts': "const load = () => import('../../entry/window-chunk.js');",
          'src/entry/window-chunk.ts': '',
        }),
      ),
      [],
    );
    assert.equal(
      check(tree({ 'src/components/widget/widget.ts': "import { x } from '../../entry/define.js';" })).length,
      1,
    );
  });
});
