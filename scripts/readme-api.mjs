// Writes the <jivo-widget> API tables into README.md, between the markers below, from custom-elements.json, so the
// README never drifts from the sources. `node scripts/readme-api.mjs --check` only reports whether it is current.
import { readFileSync, writeFileSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const START = '<!-- api:start (generated from custom-elements.json by `npm run analyze`) -->';
const END = '<!-- api:end -->';

const manifest = JSON.parse(readFileSync(`${root}custom-elements.json`, 'utf8'));
const widget = manifest.modules.flatMap((m) => m.declarations ?? []).find((d) => d.tagName === 'jivo-widget');
if (!widget) throw new Error('custom-elements.json has no <jivo-widget>');

const cell = (text = '') => String(text).replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim();
const table = (head, rows) =>
  [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ].join('\n');

const attributes = (widget.attributes ?? []).map((a) => [
  `\`${a.name}\``,
  a.fieldName ? `\`${a.fieldName}\`` : '',
  a.description,
]);
const methods = (widget.members ?? [])
  .filter((m) => m.kind === 'method' && !m.privacy && !m.static)
  .map((m) => {
    const params = (m.parameters ?? []).map((p) => `${p.name}${p.optional ? '?' : ''}`).join(', ');
    return [`\`${m.name}(${params})\``, m.return?.type?.text ? `\`${m.return.type.text}\`` : '', m.description];
  });
const events = (widget.events ?? []).map((e) => [`\`${e.name}\``, e.description]);
const properties = (widget.cssProperties ?? []).map((p) => [
  `\`${p.name}\``,
  p.default ? `\`${p.default}\`` : '',
  p.description,
]);
const parts = (widget.cssParts ?? []).map((p) => [`\`${p.name}\``, p.description]);

const generated = [
  START,
  '',
  '#### Attributes',
  '',
  table(['attribute', 'property', 'description'], attributes),
  '',
  '#### Methods',
  '',
  table(['method', 'returns', 'description'], methods),
  '',
  '#### Events',
  '',
  table(['event', 'description'], events),
  '',
  '#### CSS custom properties',
  '',
  table(['property', 'default', 'description'], properties),
  '',
  '#### CSS parts',
  '',
  table(['part', 'description'], parts),
  '',
  END,
].join('\n');

const readme = readFileSync(`${root}README.md`, 'utf8');
const from = readme.indexOf(START);
const to = readme.indexOf(END);
if (from < 0 || to < from) throw new Error('README.md lacks the api markers');
const next = readme.slice(0, from) + generated + readme.slice(to + END.length);

if (process.argv.includes('--check')) {
  if (next !== readme) {
    console.error('README.md API tables are stale: run `npm run analyze` and commit the result.');
    process.exitCode = 1;
  } else {
    console.log('README.md API tables are up to date.');
  }
} else if (next !== readme) {
  writeFileSync(`${root}README.md`, next);
}
