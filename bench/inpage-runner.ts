/**
 * Runs the in-page contenders (floor, our Lens, mark.js, the live page) in plain headless Chromium
 * (no extension loaded, so nothing else touches the page), with CPU throttling through CDP.
 */
import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core';
import { chromiumPath } from '../test/browser/harness';
import type { BenchApi, LiveRun, LongWork, OursRun } from './inpage';
import type { BenchPage, LivePage } from './pages';
import { scoreMentions, type Accuracy } from './score';
import { max, timing, type Timing } from './stats';

declare const __bench: BenchApi;

/** How many runs and how long mark.js may take. */
export interface RunPlan {
  /** Measured runs after one warm-up. */
  runs: number;
  /** A mark.js run longer than this is stopped and reported as "> cap", ms. */
  markCapMs: number;
  /** CPU throttling rates at which mark.js runs (quick mode runs it only unthrottled). */
  markRates: number[];
}

/** Our Lens on one page at one throttling rate. */
export interface OursFigures {
  time: Timing;
  /** Main-thread time in the Lens per run, ms. */
  busy: Timing;
  /** Longest piece of Lens work over all runs, ms. */
  longestSliceMs: number;
  /** Longest task / total blocking time / longest animation frame during the scans (worst run), ms. */
  longestTaskMs: number;
  totalBlockingMs: number;
  longestFrameMs: number;
  accuracy: Accuracy;
}

/** mark.js on one page: times, or null when a run passed the cap (or it was not run). */
export interface MarkFigures {
  time: Timing | null;
  capped: boolean;
  /** Not run at this rate (quick mode). */
  skipped: boolean;
  /** Not run because it already passed the cap unthrottled: slower still when throttled. */
  cappedUnthrottled?: boolean;
  capMs: number;
  accuracy: Accuracy | null;
}

/** Everything measured in-page for one page at one rate. */
export interface InPageFigures {
  floor: Timing;
  textNodes: number;
  ours: OursFigures;
  markjs: MarkFigures;
  markjsAcross: MarkFigures;
}

/** A plain browser for in-page runs. */
export async function launchPlain(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

/** A fresh tab on `url` with the bench script in its main world, CPU throttled by `rate` (1 = none). */
async function openPage(browser: Browser, url: string, script: string, rate: number): Promise<{ page: Page; cdp: CDPSession }> {
  const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
  page.setDefaultTimeout(180_000);
  await page.goto(url, { waitUntil: 'load', timeout: 180_000 });
  await page.addScriptTag({ content: script });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
  return { page, cdp };
}

/** Heap in use (JS plus the DOM's, where Chromium tells), bytes, after a full garbage collection. */
async function heapAfterGc(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  const usage = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; embedderHeapUsedSize?: number };
  return usage.usedSize + (usage.embedderHeapUsedSize ?? 0);
}

/** Runs mark.js with a cap: the page's script is terminated when the cap passes. */
async function runMarkJs(page: Page, cdp: CDPSession, across: boolean, capMs: number): Promise<{ ms: number; mentions: { entityId: string; text: string }[] } | null> {
  let timer: NodeJS.Timeout | undefined;
  const cap = new Promise<null>((resolve) => {
    timer = setTimeout(() => {
      cdp.send('Runtime.terminateExecution').catch(() => undefined);
      resolve(null);
    }, capMs);
  });
  const run = page.evaluate((across) => __bench.markjs(across), across).catch(() => null);
  const result = await Promise.race([run, cap]);
  clearTimeout(timer);
  if (result === null) await run; // let the terminated evaluation settle
  return result;
}

async function markFigures(browser: Browser, url: string, script: string, page: BenchPage, rate: number, across: boolean, plan: RunPlan, cappedBefore: boolean): Promise<MarkFigures> {
  if (!plan.markRates.includes(rate)) return { time: null, capped: false, skipped: true, capMs: plan.markCapMs, accuracy: null };
  if (cappedBefore) return { time: null, capped: true, skipped: false, cappedUnthrottled: true, capMs: plan.markCapMs, accuracy: null };
  const { page: tab, cdp } = await openPage(browser, url, script, 1);
  try {
    await tab.evaluate(() => __bench.resetBody()); // keep the pristine body before throttling
    await cdp.send('Emulation.setCPUThrottlingRate', { rate });
    const times: number[] = [];
    let accuracy: Accuracy | null = null;
    for (let i = 0; i <= plan.runs; i++) {
      const result = await runMarkJs(tab, cdp, across, plan.markCapMs);
      if (!result) return { time: null, capped: true, skipped: false, capMs: plan.markCapMs, accuracy };
      if (i > 0) times.push(result.ms);
      accuracy ??= scoreMentions(page.truth, result.mentions);
    }
    return { time: timing(times), capped: false, skipped: false, capMs: plan.markCapMs, accuracy };
  } finally {
    await tab.close();
  }
}

/**
 * Measures the floor, our Lens and mark.js (both settings) on one page.
 * @param url where the page is served.
 * @param script the bench's page script (`bundleInPage`).
 * @param rate CPU throttling rate (1 = none, 4 = four times slower).
 * @param unthrottled this page's figures at rate 1, when known: mark.js is not run again where it passed the cap there.
 */
export async function measureInPage(browser: Browser, url: string, script: string, page: BenchPage, rate: number, plan: RunPlan, unthrottled?: InPageFigures): Promise<InPageFigures> {
  const { page: tab } = await openPage(browser, url, script, rate);
  let floor: Timing;
  let textNodes = 0;
  let ours: OursFigures;
  try {
    const floorRuns: number[] = [];
    for (let i = 0; i <= plan.runs; i++) {
      const run = await tab.evaluate(() => __bench.floor());
      textNodes = run.nodes;
      if (i > 0) floorRuns.push(run.ms);
    }
    floor = timing(floorRuns);
    const runs: OursRun[] = [];
    for (let i = 0; i <= plan.runs; i++) {
      const run = await tab.evaluate(() => __bench.ours());
      if (i > 0) runs.push(run);
    }
    const last = runs[runs.length - 1]!;
    const worst = (pick: (w: LongWork) => number) => max(runs.map((r) => pick(r.work)));
    ours = {
      time: timing(runs.map((r) => r.ms)),
      busy: timing(runs.map((r) => r.busyMs)),
      longestSliceMs: max(runs.map((r) => r.longestSliceMs)),
      longestTaskMs: worst((w) => w.longestTaskMs),
      totalBlockingMs: worst((w) => w.totalBlockingMs),
      longestFrameMs: worst((w) => w.longestFrameMs),
      accuracy: scoreMentions(page.truth, last.mentions),
    };
  } finally {
    await tab.close();
  }
  const markjs = await markFigures(browser, url, script, page, rate, false, plan, rate > 1 && !!unthrottled?.markjs.capped);
  const markjsAcross = await markFigures(browser, url, script, page, rate, true, plan, rate > 1 && !!unthrottled?.markjsAcross.capped);
  return { floor, textNodes, ours, markjs, markjsAcross };
}

/**
 * JS heap growth from marking a page with our Lens: heap after GC with the Lens's mentions alive,
 * minus heap after GC before it started, bytes.
 */
export async function measureHeap(browser: Browser, url: string, script: string): Promise<{ before: number; after: number; growth: number; mentions: number }> {
  const { page: tab, cdp } = await openPage(browser, url, script, 1);
  try {
    await tab.evaluate(() => __bench.floor());
    const before = await heapAfterGc(cdp);
    await tab.evaluate(() => __bench.ours().then(() => undefined));
    const mentions = await tab.evaluate(() => __bench.mentionCount());
    const after = await heapAfterGc(cdp);
    return { before, after, growth: after - before, mentions };
  } finally {
    await tab.close();
  }
}

/** The live page's figures. */
export interface LiveFigures {
  batches: number;
  intervalMs: number;
  latency: Timing | null;
  /** Batches whose names were not all marked within 10 s of the last append. */
  unmarked: number;
  observerCallbacks: number;
  callbacksWhenIdle: number;
  /** Longest piece of Lens work (observer callback or slice), ms. */
  longestSliceMs: number;
  /** Main-thread time in the Lens over the whole run, ms. */
  busyMs: number;
  /** Longest task in the window, the page's own appends included, ms. */
  longestTaskMs: number;
  totalBlockingMs: number;
  accuracy: Accuracy;
}

/** Appends the live page's batches every `intervalMs` while our Lens watches. */
export async function measureLive(browser: Browser, url: string, script: string, page: LivePage, intervalMs: number, rate: number): Promise<LiveFigures> {
  const { page: tab } = await openPage(browser, url, script, rate);
  try {
    const run: LiveRun = await tab.evaluate(
      ({ batches, counts, intervalMs }) => __bench.live(batches, counts, intervalMs),
      { batches: page.batches.map((b) => b.html), counts: page.batches.map((b) => b.truth.length), intervalMs },
    );
    const done = run.latencies.filter((l): l is number => l !== null);
    const truth = [...page.truth, ...page.batches.flatMap((b) => b.truth)];
    return {
      batches: page.batches.length,
      intervalMs,
      latency: done.length ? timing(done) : null,
      unmarked: run.latencies.length - done.length,
      observerCallbacks: run.observerCallbacks,
      callbacksWhenIdle: run.callbacksWhenIdle,
      longestSliceMs: run.longestSliceMs,
      busyMs: run.busyMs,
      longestTaskMs: run.work.longestTaskMs,
      totalBlockingMs: run.work.totalBlockingMs,
      accuracy: scoreMentions(truth, run.mentions),
    };
  } finally {
    await tab.close();
  }
}
