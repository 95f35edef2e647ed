/**
 * The bench's own machinery (no timing here: timing lives in `npm run bench`): pages are the same
 * from the same seed and their truth matches what the shared matcher finds in their plain text;
 * the fast scorer agrees with the harness's table-based one.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newsPage, singleNodePage, type LexiconLike } from '../../bench/pages';
import { Prng } from '../../bench/prng';
import { scoreMentions } from '../../bench/score';
import { timing } from '../../bench/stats';
import { Matcher } from '../../src/matcher';
import { ROOT, score } from '../browser/harness';

const lexicon = JSON.parse(readFileSync(join(ROOT, 'src/generated/lexicon.json'), 'utf8')) as (LexiconLike & { excludedFirstNames: string[] })[];

describe('bench pages', () => {
  it('are the same from the same seed', () => {
    expect(newsPage(lexicon, 20_000, 0.01).html).toBe(newsPage(lexicon, 20_000, 0.01).html);
    expect(newsPage(lexicon, 20_000, 0.01, 1).html).not.toBe(newsPage(lexicon, 20_000, 0.01, 2).html);
  });

  it('hold the names of their truth, and the matcher finds exactly those in a single text node', () => {
    const page = singleNodePage(lexicon, 200_000, 0.01);
    expect(page.truth.length).toBeGreaterThan(100);
    const text = /<p id="one">([^<]*)<\/p>/.exec(page.html)![1]!.replace(/&nbsp;/g, '\u00A0').replace(/&amp;/g, '&');
    const matcher = new Matcher(lexicon);
    const found = matcher.find(text).map((m) => ({ entityId: m.entityId, text: text.slice(m.start, m.end) }));
    expect(scoreMentions(page.truth, found)).toMatchObject({ precision: 1, recall: 1 });
  });

  it('reach the asked size and density', () => {
    const page = newsPage(lexicon, 100_000, 0.01);
    expect(page.textChars).toBeGreaterThanOrEqual(100_000);
    const words = page.textChars / 7;
    expect(page.truth.length / words).toBeGreaterThan(0.005);
    expect(page.truth.length / words).toBeLessThan(0.02);
  });
});

describe('bench scoring', () => {
  it('agrees with the harness LCS on random lists', () => {
    const rng = new Prng(42);
    const pool = lexicon.slice(0, 4).map((e) => [e.id, e.aliases[0]!] as [string, string]);
    for (let round = 0; round < 200; round++) {
      const truth = Array.from({ length: rng.int(30) }, () => rng.pick(pool));
      const found = truth.filter(() => rng.next() > 0.2).map(([entityId, text]) => ({ entityId, text: rng.next() > 0.9 ? text.slice(1) : `${text}’s` }));
      for (let i = rng.int(5); i > 0; i--) found.splice(rng.int(found.length + 1), 0, { entityId: rng.pick(pool)[0], text: rng.pick(pool)[1] });
      const want = score(truth, found, new Set(pool.map(([id]) => id)));
      expect(scoreMentions(truth, found)).toMatchObject({ matched: want.matched, precision: want.precision, recall: want.recall });
    }
  });

  it('computes median and p95 by nearest rank', () => {
    expect(timing([5, 1, 3, 2, 4])).toMatchObject({ median: 3, p95: 5 });
    expect(timing([1, 2, 3, 4])).toMatchObject({ median: 2.5, p95: 4 });
  });
});
