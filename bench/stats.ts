/** Small statistics over run times (ms). */

/** Median, 95th percentile (nearest rank) and the runs themselves, ms. */
export interface Timing {
  median: number;
  p95: number;
  runs: number[];
}

/** @param runs measured values (at least one), ms. */
export function timing(runs: number[]): Timing {
  const sorted = [...runs].sort((a, b) => a - b);
  const rank = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, p95: rank(0.95), runs };
}

/** The largest value, 0 for none. */
export function max(values: number[]): number {
  return values.reduce((a, b) => Math.max(a, b), 0);
}
