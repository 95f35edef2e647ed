/**
 * Chromium with the extension, and a static server on loopback: shared by the browser tests,
 * `npm start` and the benchmark. Chromium is Debian's (`CHROMIUM_PATH`, then `/usr/bin/chromium`);
 * nothing is ever downloaded.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';

export const ROOT = resolve(import.meta.dirname, '..');
export const EXTENSION_DIR = join(ROOT, 'dist/chrome');
export const CORPUS_DIR = resolve(ROOT, '../shared/corpus');

/** The Chromium executable, or an Error saying how to get one. */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].filter((p): p is string => !!p);
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error('No Chromium found: install Debian\'s package (`apt-get install -y chromium`) or set CHROMIUM_PATH');
  return found;
}

/** A running browser with the extension loaded. */
export interface ExtensionBrowser {
  context: BrowserContext;
  extensionId: string;
  serviceWorker: Worker;
  /** Every request the extension's own contexts made (service worker and extension pages), for the no-network check. */
  extensionRequests: string[];
  close(): Promise<void>;
}

/**
 * Launches headless Chromium with the extension.
 * @param options.extensionDir unpacked extension to load (default `dist/chrome`).
 * @throws Error when the extension is not built or its service worker does not start in 10 s.
 */
export async function launchWithExtension(options: { extensionDir?: string; colorScheme?: 'light' | 'dark'; headless?: boolean } = {}): Promise<ExtensionBrowser> {
  const dir = options.extensionDir ?? EXTENSION_DIR;
  if (!existsSync(join(dir, 'manifest.json'))) throw new Error(`No built extension in ${dir}: run \`npm run build\` first`);
  const profile = mkdtempSync(join(tmpdir(), 'briefing-lens-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: options.headless ?? true,
    colorScheme: options.colorScheme ?? 'light',
    viewport: { width: 1100, height: 800 },
    args: [
      ...(options.headless === false ? [] : ['--headless=new']),
      '--no-sandbox',
      `--disable-extensions-except=${dir}`,
      `--load-extension=${dir}`,
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-gpu',
      '--disable-quic',
    ],
  });
  const serviceWorker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 10_000 }));
  const extensionId = new URL(serviceWorker.url()).host;
  const extensionRequests: string[] = [];
  context.on('request', (request) => {
    const frameUrl = (() => {
      try {
        return request.frame().url();
      } catch {
        return '';
      }
    })();
    if (frameUrl.startsWith('chrome-extension://') || request.serviceWorker()) {
      if (!request.url().startsWith('chrome-extension://')) extensionRequests.push(request.url());
    }
  });
  return {
    context,
    extensionId,
    serviceWorker,
    extensionRequests,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

/** A static file server on 127.0.0.1. */
export interface StaticServer {
  /** Base URL ending in `/`. */
  url: string;
  close(): Promise<void>;
}

/**
 * Serves files from `dirs` (first match wins) and `routes` (path → body and content type) on a free loopback port.
 */
export async function serve(dirs: string[], routes: Record<string, { body: string; type?: string; headers?: Record<string, string> }> = {}): Promise<StaticServer> {
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const route = routes[path];
    if (route) {
      res.writeHead(200, { 'content-type': route.type ?? 'text/html; charset=utf-8', ...route.headers });
      res.end(route.body);
      return;
    }
    for (const dir of dirs) {
      const file = normalize(join(dir, path));
      if (!file.startsWith(dir)) break;
      if (existsSync(file) && statSync(file).isFile()) {
        res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
        res.end(readFileSync(file));
        return;
      }
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
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
