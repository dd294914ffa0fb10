// Rows of the server bench's table: a figure, its median, min and max over the runs, and the target when it
// has one. A latency row holds one percentile (p50 or p99) of each run; its spread is that percentile's spread.
import { summarize } from '../../lib/stats.mjs';

const OPS = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>=': (a, b) => a >= b,
  '=': (a, b) => a === b,
};

/** A row from the runs' `values`; `target` is `{ op: '<' | '<=' | '>=' | '=', value }`, judged on the median. */
export function figure(section, name, unit, values, { target, note } = {}) {
  const s = summarize(values);
  const row = { section, figure: name, unit, median: s.median, min: s.min, max: s.max, runs: s.runs, values };
  if (target) {
    row.target = target;
    row.pass = Number.isFinite(s.median) ? OPS[target.op](s.median, target.value) : null;
  }
  if (note) row.note = note;
  return row;
}

const UNITS = {
  µs: (v) => `${v.toFixed(0)} µs`,
  ms: (v) => `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)} ms`,
  KB: (v) => `${(v / 1024).toFixed(1)} KB`,
  MB: (v) => `${(v / 1048576).toFixed(v >= 100 * 1048576 ? 0 : 1)} MB`,
  count: (v) => Math.round(v).toLocaleString('en-US'),
  '/s': (v) => `${v.toFixed(0)}/s`,
  '%': (v) => `${v.toFixed(0)}%`,
};

const fmt = (unit, v) => (v === null || v === undefined || !Number.isFinite(v) ? '-' : UNITS[unit](v));
const verdict = (pass) => (pass === null ? 'n/a' : pass ? 'pass' : 'FAIL');
const describeTarget = (r) =>
  r.target
    ? `${r.target.op === '<=' ? '≤' : r.target.op === '>=' ? '≥' : r.target.op} ${fmt(r.unit, r.target.value)}`
    : '';

function cells(r) {
  const single = r.runs <= 1 || r.min === r.max;
  return [
    r.figure,
    fmt(r.unit, r.median),
    single ? '' : fmt(r.unit, r.min),
    single ? '' : fmt(r.unit, r.max),
    String(r.runs),
    describeTarget(r),
    r.target ? verdict(r.pass) : '',
  ];
}

const HEADER = ['figure', 'median', 'min', 'max', 'n', 'target', 'result'];

/** The rows as text, one line each, a blank line between sections. */
export function formatTable(rows) {
  const lines = [];
  let section = null;
  for (const r of rows) {
    if (section !== null && r.section !== section) lines.push(null);
    section = r.section;
    lines.push(cells(r));
  }
  const widths = HEADER.map((h, i) => Math.max(h.length, ...lines.filter(Boolean).map((l) => l[i].length)));
  const render = (c) =>
    c
      .map((x, i) => (i === 0 ? x.padEnd(widths[i]) : x.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  return [render(HEADER), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map((l) => (l ? render(l) : ''))].join(
    '\n',
  );
}

/** The same rows as a Markdown table, for docs/bench.md. */
export function formatMarkdown(rows) {
  const out = [`| ${HEADER.join(' | ')} |`, '|---|--:|--:|--:|--:|--:|:-:|'];
  for (const r of rows) {
    const c = cells(r);
    if (c[6] === 'FAIL') c[6] = '**FAIL**';
    out.push(`| ${c.join(' | ')} |`);
  }
  return out.join('\n');
}
