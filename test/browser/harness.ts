/**
 * Real-browser test harness: Debian's Chromium driven by playwright-core, with the built extension
 * (`dist/chrome`, run `npm run build` first) loaded unpacked (see `scripts/chromium.ts`), and
 * helpers that read what the service worker knows, exactly as the popup asks it.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { launchWithExtension as launch, type ExtensionBrowser } from '../../scripts/chromium';

export { ROOT, EXTENSION_DIR, CORPUS_DIR, chromiumPath, serve } from '../../scripts/chromium';
export type { ExtensionBrowser, StaticServer } from '../../scripts/chromium';

/**
 * Launches Chromium with the extension (`scripts/chromium.ts`) for a test file. Its `close()` (the
 * file's `afterAll`) fails the file when any extension context made a network request meanwhile, so
 * every real-browser test checks that the extension never goes on the network.
 * @param options as `launchWithExtension` in `scripts/chromium.ts`.
 * @throws Error from the launch; `close()` throws Error listing the requests when there were any.
 */
export async function launchWithExtension(options?: Parameters<typeof launch>[0]): Promise<ExtensionBrowser> {
  const browser = await launch(options);
  const close = browser.close.bind(browser);
  browser.close = async () => {
    const requests = [...browser.extensionRequests];
    await close();
    if (requests.length > 0) throw new Error(`The extension made network requests: ${requests.join(', ')}`);
  };
  return browser;
}

/** A frame's mentions as the service worker answers `tab-mentions`. */
export interface FrameReport {
  frameId: number;
  url: string;
  mentions: { entityId: string; text: string }[];
}

let extensionPage: Page | null = null;
let extensionPageContext: BrowserContext | null = null;

/** An extension page (the popup's HTML opened as a tab) used to talk to the service worker as the popup would. */
export async function extensionPageOf(browser: ExtensionBrowser): Promise<Page> {
  if (extensionPage && extensionPageContext === browser.context && !extensionPage.isClosed()) return extensionPage;
  extensionPage = await browser.context.newPage();
  extensionPageContext = browser.context;
  await extensionPage.goto(`chrome-extension://${browser.extensionId}/popup/popup.html`);
  return extensionPage;
}

/** The tab id of a page, found by asking the service worker for each tab's top-frame URL (no `tabs` permission needed). */
export async function tabIdOf(browser: ExtensionBrowser, page: Page): Promise<number> {
  const ext = await extensionPageOf(browser);
  const url = page.url();
  for (let attempt = 0; attempt < 100; attempt++) {
    const id = await ext.evaluate(async (url) => {
      const tabs = await chrome.tabs.query({});
      for (const tab of tabs) {
        if (tab.id === undefined) continue;
        const answer = (await chrome.runtime.sendMessage({ type: 'tab-mentions', tabId: tab.id })) as { frames: { frameId: number; url: string }[] };
        if (answer.frames.some((f) => f.frameId === 0 && f.url === url)) return tab.id;
      }
      return null;
    }, url);
    if (id !== null) return id;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`No content-script report for ${url}`);
}

/** Asks the service worker for a tab's mentions, exactly as the popup does. */
export async function tabMentions(browser: ExtensionBrowser, tabId: number): Promise<FrameReport[]> {
  const ext = await extensionPageOf(browser);
  const answer = await ext.evaluate((tabId) => chrome.runtime.sendMessage({ type: 'tab-mentions', tabId }), tabId);
  return (answer as { frames: FrameReport[] }).frames;
}

/**
 * Waits until a page's reported mentions have not changed for `quietMs` (the corpus contract: 500 ms),
 * after `waitFor` (a CSS selector) matches when given.
 * @returns the settled report.
 */
export async function settledMentions(browser: ExtensionBrowser, page: Page, options: { waitFor?: string; quietMs?: number; timeoutMs?: number } = {}): Promise<FrameReport[]> {
  if (options.waitFor) await page.waitForSelector(options.waitFor, { state: 'attached', timeout: options.timeoutMs ?? 20_000 });
  const tabId = await tabIdOf(browser, page);
  const quiet = options.quietMs ?? 500;
  const until = Date.now() + (options.timeoutMs ?? 20_000);
  let last = JSON.stringify(await tabMentions(browser, tabId));
  let stableSince = Date.now();
  while (Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    const now = JSON.stringify(await tabMentions(browser, tabId));
    if (now !== last) {
      last = now;
      stableSince = Date.now();
    } else if (Date.now() - stableSince >= quiet) break;
  }
  return JSON.parse(last) as FrameReport[];
}

/** Normalises text as the corpus scoring does: drop soft hyphens, fold white space (incl. U+00A0), trim. */
export function normalise(text: string): string {
  return text.replace(/\u00AD/g, '').replace(/[\s\u00A0]+/g, ' ').trim();
}

/** Precision and recall of reported mentions against expected ones, aligned in order (contract of `../shared/README.md`). */
export function score(expected: [string, string][], reported: { entityId: string; text: string }[], scored: ReadonlySet<string>): { matched: number; precision: number; recall: number } {
  const got = reported.filter((m) => scored.has(m.entityId));
  // Longest common subsequence where a reported mention matches when entity equal and its text contains the expected text.
  const n = expected.length;
  const m = got.length;
  const dp = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      const [id, text] = expected[i - 1]!;
      const r = got[j - 1]!;
      const match = r.entityId === id && normalise(r.text).includes(normalise(text));
      dp[i]![j] = Math.max(dp[i - 1]![j]!, dp[i]![j - 1]!, match ? dp[i - 1]![j - 1]! + 1 : 0);
    }
  }
  const matched = dp[n]![m]!;
  return { matched, precision: m === 0 ? 1 : matched / m, recall: n === 0 ? 1 : matched / n };
}
