/**
 * Smoke test of the bench in real Chromium (no timing asserted: timing lives in `npm run bench`):
 * on a small generated page the in-page contenders run, our Lens finds exactly the ground truth,
 * mark.js across elements finds every name, and the live page ends marked without observer loops.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleInPage } from '../../bench/bundle';
import { launchPlain, measureInPage, measureLive } from '../../bench/inpage-runner';
import { livePage, newsPage, type LexiconLike } from '../../bench/pages';
import { ROOT, serve, type StaticServer } from './harness';

const lexicon = JSON.parse(readFileSync(join(ROOT, 'src/generated/lexicon.json'), 'utf8')) as LexiconLike[];
const page = newsPage(lexicon, 20_000, 0.01);
const live = livePage(lexicon, 3, 200, 0.01);
let browser: Browser;
let server: StaticServer;
let script: string;

beforeAll(async () => {
  script = await bundleInPage(ROOT);
  browser = await launchPlain();
  server = await serve([], { '/page.html': { body: page.html }, '/live.html': { body: live.html } });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('bench smoke', () => {
  it('measures the floor, our Lens and mark.js on a generated page', async () => {
    const figures = await measureInPage(browser, `${server.url}page.html`, script, page, 1, { runs: 1, markCapMs: 30_000, markRates: [1] });
    expect(figures.textNodes).toBeGreaterThan(100);
    expect(figures.ours.accuracy).toMatchObject({ precision: 1, recall: 1, expected: page.truth.length });
    expect(figures.markjsAcross.capped).toBe(false);
    expect(figures.markjsAcross.accuracy?.recall).toBe(1);
    // Without acrossElements mark.js cannot find names split by tags.
    expect(figures.markjs.accuracy?.recall).toBeLessThan(1);
  });

  it('runs the live page to the end, every name marked, no self-triggered observer calls', async () => {
    const figures = await measureLive(browser, `${server.url}live.html`, script, live, 100, 1);
    expect(figures.unmarked).toBe(0);
    expect(figures.accuracy).toMatchObject({ precision: 1, recall: 1 });
    expect(figures.callbacksWhenIdle).toBe(0);
  });
});
