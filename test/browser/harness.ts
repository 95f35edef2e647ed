/**
 * Real-browser test harness: Debian's Chromium driven by playwright-core, with the built extension
 * (`dist/chrome`, run `npm run build` first) loaded unpacked (see `scripts/chromium.ts`), and
 * helpers that read what the service worker knows, exactly as the popup asks it.
 */
import { launchWithExtension as launch, type ExtensionBrowser } from '../../scripts/chromium';

export { ROOT, EXTENSION_DIR, CORPUS_DIR, chromiumPath, serve, extensionPageOf, tabIdOf, tabMentions, settledMentions } from '../../scripts/chromium';
export type { ExtensionBrowser, StaticServer, FrameReport } from '../../scripts/chromium';

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
