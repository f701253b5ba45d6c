/**
 * Presentation helpers for the benchmark: percentiles of a sample and the plain-text table
 * (metric | app | baseline | target | ratio) printed at the end of `npm run bench`. A baseline is
 * measured in the same run; a target (a budget, a configured rate, a figure the inbox must reach)
 * is not, so it has a column of its own and no ratio is taken against it.
 */

/** Nearest-rank percentile (p in 0..100) of unsorted samples; NaN when empty. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export type Cell = number | string | undefined;

export interface Row {
  metric: string;
  app: Cell;
  /** Measured in the same run (a bare implementation, the app without a feature...). */
  baseline?: Cell;
  /** What the app should reach, not measured: a budget, a configured rate, a required throughput. */
  target?: Cell;
  /** Defaults to app/baseline when both are numbers; never against the target. */
  ratio?: Cell;
  /** Digits after the decimal point for numbers (default 1). */
  digits?: number;
}

function fmt(v: Cell, digits: number): string {
  if (v === undefined) return '-';
  if (typeof v === 'string') return v;
  if (!Number.isFinite(v)) return 'n/a';
  return v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Aligned plain-text table: metric left-aligned, numbers right-aligned. */
export function table(rows: readonly Row[]): string {
  const header = ['metric', 'app', 'baseline', 'target', 'ratio'];
  const cells = rows.map((r) => {
    const d = r.digits ?? 1;
    const ratio = r.ratio ?? (typeof r.app === 'number' && typeof r.baseline === 'number' && r.baseline !== 0 ? `${(r.app / r.baseline).toFixed(2)}x` : undefined);
    return [r.metric, fmt(r.app, d), fmt(r.baseline, d), fmt(r.target, d), fmt(ratio, 2)];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join(' | ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...cells.map(line)].join('\n');
}
