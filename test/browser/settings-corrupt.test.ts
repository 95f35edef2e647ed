/**
 * Corrupt `storage.sync` in the real extension: the service worker's `settings-status` (what the
 * options page shows) names every bad key and answers the defaults, content scripts keep marking
 * with the defaults and throw nothing, and the bad values are left in storage (nothing is lost
 * until the user saves). No extension context makes a network request meanwhile.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extensionPageOf, launchWithExtension, serve, settledMentions, type ExtensionBrowser, type StaticServer } from './harness';

let ext: ExtensionBrowser;
let server: StaticServer;

const CORRUPT = { version: 42, underline: 7, disabledSites: '127.0.0.1', hoverDelayMs: 'soon', trackedTopics: null, futureFeature: { nested: [1, 2] } };

beforeAll(async () => {
  ext = await launchWithExtension();
  server = await serve([], {
    '/article.html': { body: '<!doctype html><title>a</title><p>Special envoy Steve Witkoff met Friedrich Merz.</p>' },
    '/favicon.ico': { body: '', type: 'image/x-icon' },
  });
  await ext.serviceWorker.evaluate((values) => chrome.storage.sync.set(values), CORRUPT);
});

afterAll(async () => {
  await ext?.close();
  await server?.close();
});

describe('corrupt storage.sync in the browser', () => {
  it('settings-status names each bad key, answers the defaults, and leaves storage as it was', async () => {
    const ep = await extensionPageOf(ext);
    const status = (await ep.evaluate(() => chrome.runtime.sendMessage({ type: 'settings-status' }))) as { settings: Record<string, unknown>; problems: string[] };
    expect(status.settings).toMatchObject({ underline: 'dotted', disabledSites: [], hoverDelayMs: 500, trackedTopics: {}, version: 1 });
    expect(status.problems[0]).toMatch(/newer version \(42\)/);
    for (const key of ['underline', 'disabledSites', 'hoverDelayMs', 'trackedTopics']) expect(status.problems.join('\n')).toContain(`"${key}"`);
    expect(await ext.serviceWorker.evaluate(() => chrome.storage.sync.get(null))).toEqual(CORRUPT);
  });

  it('content scripts mark with the defaults and throw nothing (the bad disabledSites string does not switch the site off)', async () => {
    const page = await ext.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${server.url}article.html`);
    const frames = await settledMentions(ext, page);
    expect(frames[0]?.mentions.map((m) => m.entityId)).toEqual(['steve-witkoff', 'friedrich-merz']);
    expect(await page.evaluate(() => CSS.highlights.has('briefing-lens-dotted'))).toBe(true);
    // A valid change made afterwards still applies live.
    await ext.serviceWorker.evaluate(() => chrome.storage.sync.set({ underline: 'solid' }));
    await page.waitForFunction(() => CSS.highlights.has('briefing-lens-solid'), undefined, { timeout: 5000 });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('no extension context made a network request', () => {
    expect(ext.extensionRequests).toEqual([]);
  });
});
