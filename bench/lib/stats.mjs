// Small statistics for the bench: every figure is the median of its runs, with min and max.

export function quantile(values, q) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (!sorted.length) return NaN;
  const i = (sorted.length - 1) * q;
  const lo = Math.floor(i);
  return sorted[lo] + (sorted[Math.ceil(i)] - sorted[lo]) * (i - lo);
}

export const median = (values) => quantile(values, 0.5);

/** `{ median, min, max, runs }` of a list of numbers (non-finite values are left out). */
export function summarize(values) {
  const finite = values.filter((v) => Number.isFinite(v));
  return { median: median(finite), min: Math.min(...finite), max: Math.max(...finite), runs: finite.length, values };
}

/**
 * Round numbers 0, 1, ... up to `runs`, stopping early once `budgetMs` has passed (but never before `min` rounds):
 * a slow figure gets fewer runs instead of making the whole bench slow, and gets more as the widget gets faster.
 */
export function* rounds(runs, { min = 1, budgetMs = Infinity } = {}) {
  const start = Date.now();
  for (let run = 0; run < runs && (run < min || Date.now() - start < budgetMs); run++) yield run;
}
