/**
 * A full storage quota in real Chromium (the extension origin's quota cut to 1 kB through the
 * DevTools protocol before the history database is first written): marking goes on, the options page
 * says in plain words that history cannot be saved, and once the quota is back, history works again
 * and the message goes. No extension context makes a network request.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CDPSession } from 'playwright-core';
import { ROOT, extensionPageOf, launchWithExtension, serve, settledMentions, type ExtensionBrowser, type StaticServer } from './harness';

let ext: ExtensionBrowser;
let server: StaticServer;
let cdp: CDPSession;
let origin: string;

beforeAll(async () => {
  ext = await launchWithExtension();
  server = await serve([], {
    '/a.html': { body: '<!doctype html><title>A</title><p>Special envoy Steve Witkoff met Friedrich Merz.</p>' },
    '/b.html': { body: '<!doctype html><title>B</title><p>Rustem Umerov spoke for Volodymyr Zelensky.</p>' },
    '/favicon.ico': { body: '', type: 'image/x-icon' },
  });
  const ep = await extensionPageOf(ext);
  cdp = await ext.context.newCDPSession(ep);
  origin = `chrome-extension://${ext.extensionId}`;
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 1024 });
});

afterAll(async () => {
  await ext?.close();
  await server?.close();
});

async function visit(path: string): Promise<string[]> {
  const page = await ext.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${server.url}${path}`);
  const frames = await settledMentions(ext, page);
  expect(errors).toEqual([]);
  await page.close();
  return frames[0]?.mentions.map((m) => m.entityId) ?? [];
}

async function historyStatus(): Promise<{ ok: boolean; count: number; error: string | null }> {
  const ep = await extensionPageOf(ext);
  return ep.evaluate(() => chrome.runtime.sendMessage({ type: 'history-status' }));
}

describe('full storage quota', () => {
  it('marking goes on; the options page says history cannot be saved', async () => {
    expect(await visit('a.html')).toEqual(['steve-witkoff', 'friedrich-merz']);
    await expect.poll(historyStatus, { timeout: 5000 }).toMatchObject({ ok: false, count: 0 });
    expect((await historyStatus()).error).toMatch(/QuotaExceededError: the browser's storage for the extension is full/);
    const options = await ext.context.newPage();
    await options.goto(`chrome-extension://${ext.extensionId}/options/options.html`);
    await options.waitForSelector('#history-error');
    expect(await options.textContent('#history-error')).toMatch(/not working: history write failed: QuotaExceededError: the browser's storage for the extension is full.*Marking names is not affected/);
    mkdirSync(join(ROOT, 'out/screenshots'), { recursive: true });
    await options.locator('#history').screenshot({ path: join(ROOT, 'out/screenshots/hostile-quota-options.png') });
    await options.close();
  });

  it('with the quota back, history is saved again and the message goes', async () => {
    await cdp.send('Storage.overrideQuotaForOrigin', { origin });
    expect(await visit('b.html')).toEqual(['rustem-umerov', 'volodymyr-zelensky']);
    await expect.poll(historyStatus, { timeout: 5000 }).toEqual({ ok: true, count: 2, error: null });
    const options = await ext.context.newPage();
    await options.goto(`chrome-extension://${ext.extensionId}/options/options.html`);
    await options.waitForFunction(() => /\d+ entr/.test(document.querySelector('#history-count')?.textContent ?? ''));
    expect(await options.$('#history-error')).toBeNull();
    await options.close();
  });

  it('no extension context made a network request', () => {
    expect(ext.extensionRequests).toEqual([]);
  });
});
