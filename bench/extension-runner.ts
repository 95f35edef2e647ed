/**
 * End to end with the shipped extension: headless Chromium with the release build of `dist/chrome`
 * loaded, the page opened in a tab, and the time from the page's DOMContentLoaded to the moment the
 * content script's `mentions-changed` report reaches the service worker (a hook in the service
 * worker records arrivals). Also: long animation frames whose scripts come from the extension, and
 * the CPU the content script uses on an idle page.
 */
import type { CDPSession, Page } from 'playwright-core';
import { extensionPageOf, launchWithExtension, type ExtensionBrowser } from '../test/browser/harness';
import type { BenchPage } from './pages';
import { scoreMentions, type Accuracy } from './score';
import { timing, type Timing } from './stats';

/** A report as the service worker received it, `at` in ms since the epoch. */
interface Arrival {
  at: number;
  url: string;
  mentions: { entityId: string; text: string }[];
}

/** The extension on one page at one rate. */
export interface ExtensionFigures {
  /** DOMContentLoaded → report with every mention at the service worker, ms. */
  time: Timing;
  /** The page's load event end → that report, ms (the content script runs at document_idle, around load). */
  fromLoad: Timing;
  /**
   * Longest animation frame with a script of the extension in it, ms (0: none of 50 ms or more).
   * Chromium 156 was seen to report no `chrome-extension://` script in any long animation frame, even
   * where the same code run in the page makes 400 ms frames: the table leaves this out and the
   * extension's long tasks are read from the in-page run of the same code.
   */
  longestExtensionFrameMs: number;
  /** Sum over those frames of their blocking duration, ms. */
  extensionBlockingMs: number;
  accuracy: Accuracy;
}

/** Records long animation frames (with their scripts' URLs) from the very start of every page. */
const OBSERVE_FRAMES = `(() => {
  const seen = (window.__benchFrames = []);
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) seen.push({ start: e.startTime, duration: e.duration, blocking: e.blockingDuration || 0, urls: (e.scripts || []).map((s) => s.sourceURL || s.invoker || '') });
    }).observe({ type: 'long-animation-frame', buffered: true });
  } catch {}
})();`;

/** Installs (again, if the service worker restarted) the hook that records reports as they arrive. */
async function hookServiceWorker(browser: ExtensionBrowser): Promise<void> {
  const worker = browser.context.serviceWorkers()[0] ?? browser.serviceWorker;
  await worker.evaluate(() => {
    const g = globalThis as unknown as { __benchArrivals?: Arrival[] };
    if (g.__benchArrivals) return;
    const arrivals: Arrival[] = (g.__benchArrivals = []);
    chrome.runtime.onMessage.addListener((message: { type?: string; url?: string; mentions?: Arrival['mentions'] }) => {
      if (message?.type === 'mentions-changed') arrivals.push({ at: Date.now(), url: message.url ?? '', mentions: message.mentions ?? [] });
      return undefined;
    });
  });
}

/** Thrown when the service worker was restarted during a run (its hook, and the arrivals, are gone). */
class WorkerRestarted extends Error {}

async function arrivalsFor(browser: ExtensionBrowser, url: string): Promise<Arrival[]> {
  const worker = browser.context.serviceWorkers()[0] ?? browser.serviceWorker;
  const arrivals = await worker
    .evaluate((url) => (globalThis as unknown as { __benchArrivals?: Arrival[] }).__benchArrivals?.filter((a) => a.url === url) ?? null, url)
    .catch(() => null);
  if (!arrivals) throw new WorkerRestarted('the service worker restarted during the run');
  return arrivals;
}

/**
 * Keeps the service worker from being stopped when idle (30 s) during long page loads, by sending it
 * a message from an extension page every few seconds (as an open popup would). Returns a stop function.
 */
async function keepWorkerAlive(browser: ExtensionBrowser): Promise<() => void> {
  const page = await extensionPageOf(browser);
  const timer = setInterval(() => {
    page.evaluate(() => chrome.runtime.sendMessage({ type: 'tab-mentions', tabId: -1 })).catch(() => undefined);
  }, 5_000);
  return () => clearInterval(timer);
}

/** Launches Chromium with the built extension in `dir` and the frame observer on every page. */
export async function launchExtension(dir: string): Promise<ExtensionBrowser> {
  const browser = await launchWithExtension({ extensionDir: dir });
  await browser.context.addInitScript({ content: OBSERVE_FRAMES });
  await hookServiceWorker(browser);
  return browser;
}

/** Waits until the reports for `url` have not changed for `quietMs`; returns them all. */
async function settledArrivals(browser: ExtensionBrowser, url: string, quietMs = 500, timeoutMs = 120_000): Promise<Arrival[]> {
  const until = Date.now() + timeoutMs;
  let count = -1;
  let since = Date.now();
  for (;;) {
    const arrivals = await arrivalsFor(browser, url);
    if (arrivals.length !== count) {
      count = arrivals.length;
      since = Date.now();
    } else if (count > 0 && Date.now() - since >= quietMs) return arrivals;
    if (Date.now() > until) throw new Error(`no settled report for ${url} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Loads the page `runs + 1` times (the first is the warm-up) and times the content script.
 * @param rate CPU throttling rate for the tab (1 = none).
 */
export async function measureExtension(browser: ExtensionBrowser, url: string, page: BenchPage, rate: number, runs: number): Promise<ExtensionFigures> {
  const tab = await browser.context.newPage();
  tab.setDefaultTimeout(180_000);
  const cdp = await browser.context.newCDPSession(tab);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
  const times: number[] = [];
  const fromLoad: number[] = [];
  let longest = 0;
  let blocking = 0;
  let accuracy: Accuracy | null = null;
  const stopKeepAlive = await keepWorkerAlive(browser);
  let retries = 2;
  try {
    for (let i = 0; i <= runs; i++) {
      await hookServiceWorker(browser);
      const runUrl = `${url}?run=${rate}-${i}-${Date.now()}`;
      await tab.goto(runUrl, { waitUntil: 'domcontentloaded', timeout: 180_000 });
      let arrivals: Arrival[];
      try {
        arrivals = await settledArrivals(browser, runUrl);
      } catch (error) {
        if (!(error instanceof WorkerRestarted) || retries-- === 0) throw error;
        i--; // the arrival was lost with the old worker: run again
        continue;
      }
      const final = arrivals[arrivals.length - 1]!;
      const complete = arrivals.find((a) => a.mentions.length === final.mentions.length)!;
      const facts = await frameFacts(tab);
      if (i > 0) {
        times.push(complete.at - facts.domContentLoaded);
        fromLoad.push(complete.at - facts.load);
        longest = Math.max(longest, facts.longestExtensionFrameMs);
        blocking = Math.max(blocking, facts.extensionBlockingMs);
      }
      accuracy = scoreMentions(page.truth, final.mentions);
    }
  } finally {
    stopKeepAlive();
    await cdp.detach().catch(() => undefined);
    await tab.close();
  }
  return { time: timing(times), fromLoad: timing(fromLoad), longestExtensionFrameMs: longest, extensionBlockingMs: blocking, accuracy: accuracy! };
}

/** DOMContentLoaded (ms since the epoch) and the long frames the extension's scripts took part in. */
async function frameFacts(tab: Page): Promise<{ domContentLoaded: number; load: number; longestExtensionFrameMs: number; extensionBlockingMs: number }> {
  return tab.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    const frames = ((window as unknown as { __benchFrames?: { duration: number; blocking: number; urls: string[] }[] }).__benchFrames ?? []).filter((f) =>
      f.urls.some((u) => u.startsWith('chrome-extension://')),
    );
    return {
      domContentLoaded: performance.timeOrigin + nav.domContentLoadedEventEnd,
      load: performance.timeOrigin + nav.loadEventEnd,
      longestExtensionFrameMs: frames.reduce((m, f) => Math.max(m, f.duration), 0),
      extensionBlockingMs: frames.reduce((s, f) => s + f.blocking, 0),
    };
  });
}

/** CPU the renderer's main thread spends in scripts and tasks on an idle, fully marked page. */
export interface IdleFigures {
  seconds: number;
  /** Script time over the window, ms (the page has no script of its own: this is the extension's). */
  scriptMs: number;
  /** All main-thread task time over the window, ms (includes the browser's own housekeeping). */
  taskMs: number;
}

/** Opens `url`, waits for marking to settle, then samples CDP `Performance.getMetrics` over `seconds`. */
export async function measureIdle(browser: ExtensionBrowser, url: string, seconds: number): Promise<IdleFigures> {
  const tab = await browser.context.newPage();
  const cdp: CDPSession = await browser.context.newCDPSession(tab);
  const stopKeepAlive = await keepWorkerAlive(browser);
  try {
    await hookServiceWorker(browser);
    const runUrl = `${url}?idle=${Date.now()}`;
    await tab.goto(runUrl);
    await settledArrivals(browser, runUrl);
    await cdp.send('Performance.enable');
    const read = async () => {
      const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
      const get = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0;
      return { script: get('ScriptDuration'), task: get('TaskDuration') };
    };
    const before = await read();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const after = await read();
    return { seconds, scriptMs: (after.script - before.script) * 1000, taskMs: (after.task - before.task) * 1000 };
  } finally {
    stopKeepAlive();
    await cdp.detach().catch(() => undefined);
    await tab.close();
  }
}
