/**
 * Popup, options page and reading history in real Chromium with the built extension. The popup is
 * opened as `popup/popup.html?tabId=N` in a tab of its own (it then describes tab N). Screenshots of
 * the popup (light and dark) and the options page are written to `out/screenshots/`.
 * The steps share one browser and run in order.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CORPUS_DIR, ROOT, launchWithExtension, serve, settledMentions, tabIdOf, tabMentions, type ExtensionBrowser, type FrameReport, type StaticServer } from './harness';

const SHOTS = join(ROOT, 'out/screenshots');
const expected = JSON.parse(readFileSync(join(CORPUS_DIR, 'expected.json'), 'utf8')) as { pages: Record<string, { top: [string, string][] }> };
const kb = JSON.parse(readFileSync(join(ROOT, 'src/generated/kb.json'), 'utf8')) as { entities: { id: string; name: string; topics: string[] }[]; topics: { id: string; label: string }[] };
const nameOf = (id: string) => kb.entities.find((e) => e.id === id)?.name ?? id;

let browser: ExtensionBrowser;
let server: StaticServer;
let article: Page;
let articleTab: number;
let popup: Page;

/** Mention counts per entity over all frames. */
function counts(frames: FrameReport[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of frames) for (const m of f.mentions) out[m.entityId] = (out[m.entityId] ?? 0) + 1;
  return out;
}

/** The popup's "On this page" list as entity id → count. */
async function popupCounts(page: Page): Promise<Record<string, number>> {
  return page.$$eval('#on-page .entity', (buttons) => Object.fromEntries(buttons.map((b) => [b.getAttribute('data-entity')!, Number(b.querySelector('.count')!.textContent)])));
}

/** Polls `read` until `accept` holds or `timeoutMs` passes; returns the last value. */
async function until<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 8000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let value = await read();
  while (!accept(value) && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 100));
    value = await read();
  }
  return value;
}

async function openPopup(tabId: number, colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 400, height: 600 });
  await page.emulateMedia({ colorScheme });
  await page.goto(`chrome-extension://${browser.extensionId}/popup/popup.html?tabId=${tabId}`);
  await page.waitForSelector('#on-page .entity, #on-page .empty');
  return page;
}

async function openOptions(): Promise<Page> {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 900, height: 900 });
  await page.goto(`chrome-extension://${browser.extensionId}/options/options.html`);
  await page.waitForSelector('#topics input[role="switch"]');
  return page;
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await launchWithExtension();
  server = await serve([CORPUS_DIR]);
  article = await browser.context.newPage();
  await article.goto(`${server.url}basic-article.html`);
  const frames = await settledMentions(browser, article);
  expect(frames.length).toBeGreaterThan(0);
  articleTab = await tabIdOf(browser, article);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('popup, options and history in Chromium', () => {
  it('popup lists the entities of the tab with the right counts', async () => {
    const frames = await tabMentions(browser, articleTab);
    popup = await openPopup(articleTab);
    const shown = await popupCounts(popup);
    expect(shown).toEqual(counts(frames));
    // And the scored entities match the corpus' expectation for this page.
    const want: Record<string, number> = {};
    for (const [id] of expected.pages['basic-article.html']!.top) want[id] = (want[id] ?? 0) + 1;
    for (const [id, n] of Object.entries(want)) expect(shown[id], id).toBe(n);
    // Names, not ids, are shown; the total is in the heading.
    expect(await popup.textContent('#on-page .entity[data-entity="steve-witkoff"] .name')).toBe('Steve Witkoff');
    const total = Object.values(shown).reduce((a, b) => a + b, 0);
    expect(await popup.textContent('#on-page-title')).toContain(`${total} mentions`);
  });

  it('popup counts mentions of every frame and scrolls inside a subframe', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.url}iframe.html`);
    const frames = await settledMentions(browser, page);
    expect(frames.length).toBeGreaterThan(1);
    const tab = await tabIdOf(browser, page);
    const view = await openPopup(tab);
    expect(await popupCounts(view)).toEqual(counts(frames));
    expect(await popupCounts(view)).toMatchObject({ 'rustem-umerov': 1, 'alexus-grynkewich': 1 });
    // Grynkewich is only in the frame: the popup asks that frame's content script.
    await view.click('#on-page .entity[data-entity="alexus-grynkewich"]');
    await view.waitForFunction(() => document.querySelector('#on-page .status')?.textContent === 'Scrolled to Alexus Grynkewich.');
    await view.close();
    await page.close();
  });

  it('popup keeps its layout whatever the state of the tab (no jump while data loads)', async () => {
    const topOf = (page: Page) => page.evaluate(() => Math.round(document.querySelector('#topics')!.getBoundingClientRect().top));
    const loaded = await topOf(popup);
    await new Promise((r) => setTimeout(r, 1200)); // a poll of the tab's mentions
    expect(await topOf(popup)).toBe(loaded);
    // A tab without content script (nothing reported) renders the same height above the topics.
    const empty = await openPopup(2_000_000_000);
    expect(await empty.textContent('#on-page .empty')).toMatch(/web pages/);
    expect(await topOf(empty)).toBe(loaded);
    await empty.close();
  });

  it('opened in a tab from a hover card (?entity=ID), the briefing shows that entity and claims no current page', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 400, height: 600 });
    await page.goto(`chrome-extension://${browser.extensionId}/popup/popup.html?entity=jared-kushner`);
    await page.waitForSelector('.who dd[data-entity="jared-kushner"].flash');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-entity'))).toBe('jared-kushner');
    expect(await page.textContent('#on-page .empty')).toMatch(/Open Briefing Lens from the toolbar/);
    await page.close();
  });

  it('popup briefing says what the sources do not give and links every key point to its source sentence', async () => {
    expect(await popup.textContent('.headline')).toMatch(/Peace Talks in Berlin/);
    expect(await popup.textContent('.meta')).toContain('Date: not given in the sources');
    const links = await popup.$$eval('#key-points a.src', (as) => as.map((a) => a.getAttribute('href')!));
    expect(links.length).toBeGreaterThanOrEqual(5);
    for (const href of links) expect(await popup.$(`[id="${href.slice(1)}"]`), href).not.toBeNull();
    // Following a link opens the source list and shows the sentence.
    await popup.click('#key-points a.src');
    const target = links[0]!.slice(1);
    await popup.waitForFunction((id) => document.getElementById(id)?.classList.contains('flash') && (document.getElementById(id)!.closest('details') as HTMLDetailsElement).open, target);
    // Who is who, grouped by side with roles; positions table quotes its sources.
    expect(await popup.textContent('.who')).toMatch(/United States.*Steve Witkoff — US envoy/s);
    const nato = popup.locator('table.positions[data-topic="nato-membership"]');
    const rows = await nato.locator('tbody tr').allTextContents();
    expect(rows).toHaveLength(4);
    expect(rows.join('\n')).toMatch(/Ukraine\s*Prior to the start/);
    expect(rows.join('\n')).toMatch(/United States\s*The United States has also reiterated/);
    expect(rows.join('\n')).toMatch(/Russia\s*For Russia/);
    expect(rows.join('\n')).toMatch(/European Union\s*Only named in: He acknowledged/);
  });

  it('clicking an entity asks the content script to scroll to it', async () => {
    await popup.click('#on-page .entity[data-entity="ursula-von-der-leyen"]');
    // The status line repeats the content script's answer ({ found: true }).
    await popup.waitForFunction(() => document.querySelector('#on-page .status')?.textContent === 'Scrolled to Ursula von der Leyen.');
  });

  it('screenshots of the popup, light and dark', async () => {
    await popup.evaluate(() => {
      window.scrollTo(0, 0);
      document.querySelector('.on-page-body')?.scrollTo(0, 0);
    });
    await popup.screenshot({ path: join(SHOTS, 'popup-light.png'), fullPage: true });
    await popup.screenshot({ path: join(SHOTS, 'popup-light-top.png') });
    // Each section on its own, at full size, for review.
    for (const id of ['on-page', 'key-points', 'who', 'positions', 'recent', 'sources']) await popup.locator(`#${id}`).screenshot({ path: join(SHOTS, `popup-light-${id}.png`) });
    const dark = await openPopup(articleTab, 'dark');
    const bg = await dark.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(bg).toBe('rgb(23, 25, 28)');
    await dark.screenshot({ path: join(SHOTS, 'popup-dark.png'), fullPage: true });
    await dark.screenshot({ path: join(SHOTS, 'popup-dark-top.png') });
    for (const id of ['who', 'positions']) await dark.locator(`#${id}`).screenshot({ path: join(SHOTS, `popup-dark-${id}.png`) });
    // The keyboard reaches the entity list first (no mouse needed), and Enter scrolls to it.
    await dark.keyboard.press('Tab');
    expect(await dark.evaluate(() => document.activeElement?.getAttribute('data-entity'))).toBe('steve-witkoff');
    await dark.keyboard.press('Enter');
    await dark.waitForFunction(() => document.querySelector('#on-page .status')?.textContent === 'Scrolled to Steve Witkoff.');
    await dark.close();
  });

  it('switching a topic off in the options unmarks its entities in the open tab without reload', async () => {
    const before = counts(await tabMentions(browser, articleTab));
    const options = await openOptions();
    await options.screenshot({ path: join(SHOTS, 'options-light.png'), fullPage: true });
    await options.emulateMedia({ colorScheme: 'dark' });
    await options.screenshot({ path: join(SHOTS, 'options-dark.png'), fullPage: true });
    await options.emulateMedia({ colorScheme: 'light' });
    const loadsBefore = await article.evaluate(() => performance.getEntriesByType('navigation').length + ':' + performance.timeOrigin);
    await options.click('input[data-name="topic:berlin-talks"]');
    // Only entities with another tracked topic stay marked (Zelensky and NATO are in several topics).
    const onlyBerlin = kb.entities.filter((e) => e.topics.length === 1 && e.topics[0] === 'berlin-talks').map((e) => e.id);
    const after = await until(
      async () => counts(await tabMentions(browser, articleTab)),
      (c) => onlyBerlin.every((id) => c[id] === undefined),
    );
    for (const id of onlyBerlin) expect(after[id], id).toBeUndefined();
    expect(after['volodymyr-zelensky']).toBe(before['volodymyr-zelensky']);
    expect(after.nato).toBe(before.nato);
    expect(Object.values(after).reduce((a, b) => a + b, 0)).toBeLessThan(Object.values(before).reduce((a, b) => a + b, 0));
    // Same document: no reload happened.
    expect(await article.evaluate(() => performance.getEntriesByType('navigation').length + ':' + performance.timeOrigin)).toBe(loadsBefore);
    // The open popup follows (storage.onChanged and its poll): switch shows off, list shrinks.
    expect(await popup.isChecked('#topics input[data-topic="berlin-talks"]')).toBe(false);
    const popupAfter = await until(() => popupCounts(popup), (c) => c['steve-witkoff'] === undefined);
    expect(popupAfter).toEqual(after);
    // Back on from the popup's quick toggle: the marks come back.
    await popup.click('#topics input[data-topic="berlin-talks"]');
    const restored = await until(async () => counts(await tabMentions(browser, articleTab)), (c) => c['steve-witkoff'] !== undefined);
    expect(restored).toEqual(before);
    await options.close();
  });

  it('a disabled site gets no marks', async () => {
    await popup.click('#on-page .switch-row input');
    const off = await until(async () => counts(await tabMentions(browser, articleTab)), (c) => Object.keys(c).length === 0);
    expect(off).toEqual({});
    await popup.waitForSelector('text=Switched off on 127.0.0.1');
    // A page of the same site opened now is not marked either.
    const other = await browser.context.newPage();
    await other.goto(`${server.url}variants.html`);
    const frames = await settledMentions(browser, other);
    expect(counts(frames)).toEqual({});
    // Enabled again from the options page's list.
    const options = await openOptions();
    await options.click('#sites button[aria-label="Remove 127.0.0.1"]');
    await options.waitForSelector('#sites >> text=No site is disabled.');
    // Adding takes a host or a page address, and refuses what is neither.
    await options.fill('#site-input', 'not a site');
    await options.press('#site-input', 'Enter');
    expect(await options.textContent('#site-error')).toMatch(/is not a site name/);
    await options.fill('#site-input', 'https://www.Example.org/news?x=1');
    await options.click('#sites button[type="submit"]');
    await options.waitForSelector('#sites button[aria-label="Remove example.org"]');
    expect(await options.evaluate(() => chrome.storage.sync.get('disabledSites'))).toEqual({ disabledSites: ['example.org'] });
    await options.click('#sites button[aria-label="Remove example.org"]');
    const back = await until(async () => counts(await settledMentions(browser, other)), (c) => Object.keys(c).length > 0);
    expect(back['steve-witkoff']).toBeGreaterThan(0);
    await other.close();
    await options.close();
  });

  it('history shows the visited page, and clearing it empties it', async () => {
    // A page seen last of all, after every other page has settled.
    const latest = await browser.context.newPage();
    await latest.goto(`${server.url}shadow-dom.html`);
    expect(counts(await settledMentions(browser, latest))['steve-witkoff']).toBeGreaterThan(0);
    const recent = await openPopup(articleTab);
    const link = recent.locator(`#recent [data-entity="steve-witkoff"] a[href="${server.url}basic-article.html"]`);
    await link.waitFor();
    expect(await link.textContent()).toBe(await article.title());
    // Newest first: shadow-dom.html was seen after basic-article.html.
    const firstUrl = await recent.$eval('#recent [data-entity="steve-witkoff"] a', (a) => a.getAttribute('href'));
    expect(firstUrl).toBe(`${server.url}shadow-dom.html`);
    await latest.close();
    const options = await openOptions();
    await options.waitForFunction(() => /\d+ entr/.test(document.querySelector('#history-count')?.textContent ?? ''));
    expect(await options.textContent('#history-count')).not.toMatch(/^0 /);
    await options.click('#clear-history');
    await options.waitForFunction(() => document.querySelector('#history-count')?.textContent === '0 entries stored');
    await recent.reload();
    await recent.waitForSelector('#recent .empty');
    await recent.close();
    await options.close();
  });

  it('an invalid settings file is refused with a clear error and changes nothing', async () => {
    const options = await openOptions();
    const before = await options.evaluate(() => chrome.storage.sync.get(null));
    await options.setInputFiles('#import-file', { name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"hoverDelayMs": "fast", "underline": "solid"}') });
    await options.waitForSelector('#import-error:has-text("nothing changed")');
    expect(await options.textContent('#import-error')).toMatch(/“bad\.json” was not imported.*"hoverDelayMs" \("fast"\)/s);
    expect(await options.evaluate(() => chrome.storage.sync.get(null))).toEqual(before);
    // Export gives a file that imports back.
    const [download] = await Promise.all([options.waitForEvent('download'), options.click('#export')]);
    expect(download.suggestedFilename()).toBe('briefing-lens-settings.json');
    const exported = JSON.parse(readFileSync(await download.path(), 'utf8')) as { format: string; settings: Record<string, unknown> };
    expect(exported.format).toBe('briefing-lens-settings');
    expect(exported.settings).toMatchObject({ version: 1, underline: 'dotted', disabledSites: [] });
    // A valid one applies.
    await options.setInputFiles('#import-file', { name: 'good.json', mimeType: 'application/json', buffer: Buffer.from('{"underline": "background", "hoverDelayMs": 200}') });
    await options.waitForFunction(() => (document.querySelector('input[name="underline"][value="background"]') as HTMLInputElement | null)?.checked === true);
    expect(await options.evaluate(() => chrome.storage.sync.get(['underline', 'hoverDelayMs']))).toEqual({ underline: 'background', hoverDelayMs: 200 });
    expect(await options.inputValue('#hover-delay')).toBe('200');
    await options.close();
  });

  it('the options page reports invalid stored settings, replaced by defaults', async () => {
    const options = await openOptions();
    await options.evaluate(() => chrome.storage.sync.set({ hoverDelayMs: -40 }));
    await options.waitForSelector('#settings-problems');
    expect(await options.textContent('#settings-problems')).toMatch(/"hoverDelayMs" had an invalid value \(-40\)/);
    expect(await options.inputValue('#hover-delay')).toBe('500');
    // Saving a valid value repairs it, and the warning goes.
    await options.fill('#hover-delay', '300');
    await options.press('#hover-delay', 'Enter');
    await options.waitForSelector('#settings-problems', { state: 'detached' });
    expect(await options.evaluate(() => chrome.storage.sync.get('hoverDelayMs'))).toEqual({ hoverDelayMs: 300 });
    await options.close();
  });

  it('a broken history database is reported in the options page and marking goes on', async () => {
    // A newer version of the database appears (as after a downgrade): ours closes and cannot reopen.
    await browser.serviceWorker.evaluate(
      () =>
        new Promise<void>((ok, fail) => {
          const req = indexedDB.open('briefing-lens-history', 99);
          req.onsuccess = () => {
            req.result.close();
            ok();
          };
          req.onerror = () => fail(req.error);
        }),
    );
    const page = await browser.context.newPage();
    await page.goto(`${server.url}split-across-elements.html`);
    const frames = await settledMentions(browser, page);
    expect(counts(frames)['steve-witkoff']).toBe(1);
    const options = await openOptions();
    await options.waitForSelector('#history-error');
    expect(await options.textContent('#history-error')).toMatch(/not working: .*VersionError.*Marking names is not affected/);
    await options.locator('#history').screenshot({ path: join(SHOTS, 'options-history-error.png') });
    // Topic switches still work while history is broken.
    await options.click('input[data-name="topic:berlin-talks"]');
    const after = await until(async () => counts(await tabMentions(browser, await tabIdOf(browser, page))), (c) => c['steve-witkoff'] === undefined);
    expect(after['steve-witkoff']).toBeUndefined();
    await options.click('input[data-name="topic:berlin-talks"]');
    // Once the stray database is gone, history works again.
    await browser.serviceWorker.evaluate(() => new Promise<void>((ok) => (indexedDB.deleteDatabase('briefing-lens-history').onsuccess = () => ok())));
    await options.reload();
    await options.waitForFunction(() => /\d+ entr/.test(document.querySelector('#history-count')?.textContent ?? ''));
    expect(await options.$('#history-error')).toBeNull();
    await page.close();
    await options.close();
  });
});
