/**
 * Precision and recall against the ground truth, with the corpus contract's rule (`../shared/README.md`):
 * a found mention is right when its entity matches and its normalised text contains the expected text;
 * found and expected lists are aligned in document order (longest common subsequence).
 *
 * The test harness's `score` fills an n×m table; bench pages hold up to ~20 000 mentions, so this
 * computes the same LCS length with Myers' O((n+m)·D) algorithm (D = number of misses plus extras).
 * Greedy diagonal moves stay optimal for any match predicate, so "contains" is fine.
 */
import { normalise } from '../test/browser/harness';
import type { Truth } from './pages';

/** A mention as a tool found it. */
export interface Found {
  entityId: string;
  text: string;
}

/** How a tool did on one page. */
export interface Accuracy {
  expected: number;
  found: number;
  matched: number;
  /** matched / found (1 when nothing was found). */
  precision: number;
  /** matched / expected (1 when nothing was expected). */
  recall: number;
}

/**
 * Scores found mentions against the truth.
 * @param truth expected mentions in document order.
 * @param found mentions a tool reported, in document order.
 */
export function scoreMentions(truth: readonly Truth[], found: readonly Found[]): Accuracy {
  const ids = truth.map(([id]) => id);
  const texts = truth.map(([, text]) => normalise(text));
  const b = found.map((m) => ({ id: m.entityId, text: normalise(m.text) }));
  const matches = (i: number, j: number): boolean => b[j]!.id === ids[i] && b[j]!.text.includes(texts[i]!);
  const n = truth.length;
  const m = b.length;
  const max = n + m;
  const v = new Int32Array(2 * max + 2);
  let distance = max;
  outer: for (let d = 0; d <= max; d++) {
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[max + k - 1]! < v[max + k + 1]!) ? v[max + k + 1]! : v[max + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && matches(x, y)) {
        x++;
        y++;
      }
      v[max + k] = x;
      if (x >= n && y >= m) {
        distance = d;
        break outer;
      }
    }
  }
  const matched = (n + m - distance) / 2;
  return { expected: n, found: m, matched, precision: m === 0 ? 1 : matched / m, recall: n === 0 ? 1 : matched / n };
}
