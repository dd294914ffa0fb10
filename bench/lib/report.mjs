// Rows of the bench's table: a figure, its median/min/max over the runs, its ratios to the two reference pages, and
// its target. Ratios are paired: each run's figure is divided by the reference measured in the same round, and the
// median of those ratios is reported, so that drift of the shared machine between rounds cancels out. Next to the
// ratio to the floor stands the range of the rounds' ratios, and a target's verdict says "within noise" when the
// rounds fall on both sides of it: then this run cannot tell whether the target is met.
import { median, summarize } from './stats.mjs';

/**
 * A row. `values` are the runs; `none`/`floor` the reference pages' values of the same rounds (or a single number);
 * `target` is `{ of: 'value' | 'floor', op: '<=' | '<' | '=', value }`. With `ratioOfMedians`, the ratios are of the
 * medians instead: for differences ("time added"), whose per-round values can come near zero and make a per-round
 * ratio meaningless.
 */
export function row(section, figure, unit, values, { none, floor, target, note, ratioOfMedians = false } = {}) {
  const s = summarize(values);
  const ratio = (ref) => {
    if (ref === undefined) return null;
    const refs = Array.isArray(ref) ? ref : values.map(() => ref);
    // A reference of zero or less (a difference lost in noise) gives no meaningful ratio.
    const r = ratioOfMedians
      ? median(refs) > 0
        ? s.median / median(refs)
        : NaN
      : median(values.map((v, i) => (refs[i] > 0 ? v / refs[i] : NaN)).filter((x) => Number.isFinite(x)));
    return Number.isFinite(r) ? r : null;
  };
  /** The lowest and highest of the per-round ratios to `ref` (null with fewer than two rounds that give one). */
  const spread = (ref) => {
    if (!Array.isArray(ref)) return null;
    const rs = values.map((v, i) => (ref[i] > 0 ? v / ref[i] : NaN)).filter((x) => Number.isFinite(x));
    return rs.length < 2 ? null : [Math.min(...rs), Math.max(...rs)];
  };
  const result = {
    section,
    figure,
    unit,
    median: s.median,
    min: s.min,
    max: s.max,
    runs: s.runs,
    xNone: ratio(none),
    xFloor: ratio(floor),
    xFloorRange: spread(floor),
  };
  if (target) {
    const actual = target.of === 'floor' ? result.xFloor : result.median;
    const meets = (v) =>
      target.op === '<=' ? v <= target.value : target.op === '<' ? v < target.value : v === target.value;
    result.target = target;
    // null: no figure to judge (no runs, or a ratio to a reference lost in noise).
    result.pass = actual === null || !Number.isFinite(actual) ? null : meets(actual);
    // Whether the rounds agree: every round's ratio on the same side of the target. When they do not, the verdict
    // of the median is within the noise of this run, and the table says so.
    const range = target.of === 'floor' ? result.xFloorRange : s.runs > 1 ? [s.min, s.max] : null;
    result.separated = range === null ? null : meets(range[0]) === meets(range[1]);
  }
  if (note) result.note = note;
  return result;
}

const UNITS = {
  ms: (v) => `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ms`,
  KB: (v) => `${(v / 1024).toFixed(1)} KB`,
  MB: (v) => `${(v / 1048576).toFixed(2)} MB`,
  count: (v) => String(Math.round(v * 10) / 10),
  'msg/s': (v) => `${v.toFixed(0)}/s`,
};

const verdict = (r) =>
  r.pass === null ? 'n/a' : `${r.pass ? 'pass' : 'FAIL'}${r.separated === false ? ' (within noise)' : ''}`;
const fmt = (unit, v) => (v === null || v === undefined || !Number.isFinite(v) ? '-' : UNITS[unit](v));
const times = (v) => (v === null || !Number.isFinite(v) ? '-' : `${v.toFixed(2)}x`);
/** A ratio with the range of its rounds' ratios, e.g. `1.12x (0.98–1.31)`. */
const timesWithRange = (v, range) =>
  range && v !== null ? `${times(v)} (${range.map((x) => x.toFixed(2)).join('–')})` : times(v);

function describeTarget(r) {
  const t = r.target;
  if (!t) return '';
  const op = t.op === '<=' ? '≤' : t.op;
  return t.of === 'floor' ? `${op} ${t.value}x floor` : `${op} ${fmt(r.unit, t.value)}`;
}

/** The table as text: one line per row, a blank line between sections. */
export function formatTable(rows) {
  const header = ['figure', 'median', 'min', 'max', 'n', 'x no-widget', 'x floor', 'target', 'result'];
  const lines = [];
  let section = null;
  for (const r of rows) {
    if (r.section !== section) {
      if (section !== null) lines.push(null);
      section = r.section;
    }
    const single = r.runs <= 1 || r.min === r.max;
    lines.push([
      r.figure,
      fmt(r.unit, r.median),
      single ? '' : fmt(r.unit, r.min),
      single ? '' : fmt(r.unit, r.max),
      String(r.runs),
      times(r.xNone),
      timesWithRange(r.xFloor, r.xFloorRange),
      describeTarget(r),
      r.target ? verdict(r) : '',
    ]);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...lines.filter(Boolean).map((l) => l[i].length)));
  const render = (cells) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [render(header), rule, ...lines.map((l) => (l ? render(l) : ''))].join('\n');
}

/** The same rows as a Markdown table, for docs/bench.md. */
export function formatMarkdown(rows) {
  const out = [
    '| figure | median | min | max | n | × no-widget | × floor | target | result |',
    '|---|--:|--:|--:|--:|--:|--:|--:|:-:|',
  ];
  for (const r of rows) {
    const single = r.runs <= 1 || r.min === r.max;
    out.push(
      `| ${r.figure} | ${fmt(r.unit, r.median)} | ${single ? '' : fmt(r.unit, r.min)} | ${single ? '' : fmt(r.unit, r.max)} | ${r.runs} | ${times(r.xNone)} | ${timesWithRange(r.xFloor, r.xFloorRange)} | ${describeTarget(r)} | ${r.target ? verdict(r).replace('FAIL', '**FAIL**') : ''} |`,
    );
  }
  return out.join('\n');
}
