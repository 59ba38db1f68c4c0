/** Small statistics over samples: the harness reports medians of runs and percentiles of latencies. */

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Nearest-rank percentile (p in 0..100) of unsorted samples. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/** Per field, the median over runs: each figure of a run set is the median of that figure. */
export function medianOf<T extends { readonly [K in keyof T]: number }>(runs: readonly T[]): T {
  const first = runs[0];
  if (first === undefined) throw new Error('no runs to take the median of');
  const result = { ...first };
  for (const key of Object.keys(first) as (keyof T)[]) result[key] = median(runs.map((run) => run[key])) as T[keyof T];
  return result;
}
