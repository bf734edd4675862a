/** Summary of a set of samples: the middle, the best, the tail. */
export interface Stats {
  n: number;
  mean: number;
  median: number;
  min: number;
  p50: number;
  p99: number;
  max: number;
}

/** The value at fraction `q` (0–1) of sorted samples, nearest rank. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

/** Median, min, p50, p99, max and mean of `samples` (NaN everywhere for none). */
export function stats(samples: readonly number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const n = sorted.length;
  const mean = n === 0 ? Number.NaN : sorted.reduce((sum, x) => sum + x, 0) / n;
  const p50 = quantile(sorted, 0.5);
  return { n, mean, median: p50, min: sorted[0] ?? Number.NaN, p50, p99: quantile(sorted, 0.99), max: sorted[n - 1] ?? Number.NaN };
}
