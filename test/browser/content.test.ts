/**
 * The content script in real Chromium with the built extension: the page stays exactly as without
 * the extension, hover cards open after the intent delay and close with Escape, the keyboard
 * command walks through mentions, live and hidden text, text/plain documents and SPA navigation.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORPUS_DIR, ROOT, chromiumPath, launchWithExtension, serve, settledMentions, tabIdOf, tabMentions, type ExtensionBrowser, type StaticServer } from './harness';

const expected = JSON.parse(readFileSync(join(CORPUS_DIR, 'expected.json'), 'utf8')) as { pages: Record<string, { wait_for?: string }> };
const SCREENSHOTS = join(ROOT, 'out/screenshots');

const PAGES: Record<string, { body: string; type?: string }> = {
  '/hidden.html': {
    body: `<!doctype html><title>hidden</title><p>Visible: Merz.</p><p id="a" style="display:none">Hidden: Witkoff.</p><p id="b" hidden>Hidden too: Umerov.</p>
<details id="d"><summary>More</summary><p>Inside details: Kushner.</p></details>`,
  },
  '/plain.txt': { body: 'Plain text news.\nWitkoff met Merz in Berlin.\nNATO was there.\n', type: 'text/plain; charset=utf-8' },
  '/spa.html': {
    body: `<!doctype html><title>spa</title><main id="view"><p>Home page about Merz.</p></main>
<script>
document.addEventListener('click', (e) => {
  if (e.target.id !== 'go') return;
  history.pushState({}, '', '/spa/next');
  document.getElementById('view').replaceChildren(Object.assign(document.createElement('p'), { textContent: 'Next view: Grynkewich and Umerov.' }));
});
</script><button id="go">go</button>`,
  },
  '/live.html': {
    body: `<!doctype html><title>live</title><div id="feed"><p id="first">Intro: Witkoff.</p></div>
<script>
const names = ['Merz', 'Umerov', 'Grynkewich', 'Witkoff'];
const feed = document.getElementById('feed');
let batch = 0;
const timer = setInterval(() => {
  const frag = document.createDocumentFragment();
  for (let i = 0; i < 200; i++) {
    const p = document.createElement('p');
    if (i % 2) p.append('Item ' + batch + '.' + i + ': ', Object.assign(document.createElement('b'), { textContent: names[(batch + i) % 4] }), ' spoke.');
    else p.textContent = 'Item ' + batch + '.' + i + ' has no name.';
    frag.append(p);
  }
  feed.append(frag);
  // Change and remove earlier text as live pages do.
  document.getElementById('first').firstChild.data = 'Intro: Kushner (batch ' + batch + ').';
  if (batch > 0) feed.children[2].remove();
  if (++batch === 20) {
    clearInterval(timer);
    document.body.dataset.done = '1';
  }
}, 50);
</script>`,
  },
  '/selection.html': {
    body: `<!doctype html><title>selection</title><p id="one">First Witkoff, then Merz.</p><p id="two">Later Umerov and NATO.</p>`,
  },
};

let ext: ExtensionBrowser;
let server: StaticServer;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  ext = await launchWithExtension();
  server = await serve([CORPUS_DIR], PAGES);
});

afterAll(async () => {
  await ext?.close();
  await server?.close();
});

/** The centre of the first occurrence of `text` in the page's text nodes, in viewport px. */
async function pointOf(page: Page, text: string): Promise<{ x: number; y: number }> {
  const point = await page.evaluate((text) => {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const i = (n as Text).data.indexOf(text);
      if (i < 0) continue;
      const r = document.createRange();
      r.setStart(n, i);
      r.setEnd(n, i + text.length);
      const b = r.getBoundingClientRect();
      return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
    }
    return null;
  }, text);
  if (!point) throw new Error(`"${text}" is not on the page`);
  return point;
}

/** Names of open ARIA dialogs (read through the accessibility tree, which sees into closed shadow roots). */
async function dialogs(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: { role?: { value: string }; name?: { value: string }; ignored: boolean }[] };
  await cdp.detach();
  return nodes.filter((n) => !n.ignored && n.role?.value === 'dialog').map((n) => n.name?.value ?? '');
}

const cardHosts = (page: Page) => page.evaluate(() => document.querySelectorAll('briefing-lens-card').length);

describe('the page is unchanged by the extension', () => {
  it('every corpus page has the same text and element count with and without the extension', async () => {
    const plain = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update'] });
    try {
      for (const [name, spec] of Object.entries(expected.pages)) {
        const snapshot = async (page: Page, withExtension: boolean) => {
          await page.goto(server.url + name);
          if (spec.wait_for) await page.waitForSelector(spec.wait_for, { state: 'attached' });
          if (withExtension) await settledMentions(ext, page, { waitFor: spec.wait_for });
          else await page.waitForTimeout(300);
          return page.evaluate(() => ({
            text: document.documentElement.textContent,
            elements: document.getElementsByTagName('*').length,
            html: document.documentElement.outerHTML,
          }));
        };
        const withPage = await ext.context.newPage();
        const withExtension = await snapshot(withPage, true);
        const withoutPage = await plain.newPage();
        const without = await snapshot(withoutPage, false);
        expect(withExtension.text, name).toBe(without.text);
        expect(withExtension.elements, name).toBe(without.elements);
        expect(withExtension.html, name).toBe(without.html);
        await withPage.close();
        await withoutPage.close();
      }
    } finally {
      await plain.close();
    }
  });
});

describe('hover cards', () => {
  it('open after the pointer rests on a name, close with Escape, and add one host element only', async () => {
    const page = await ext.context.newPage();
    await page.goto(`${server.url}basic-article.html`);
    await settledMentions(ext, page);
    const before = await page.evaluate(() => document.getElementsByTagName('*').length);
    const point = await pointOf(page, 'Witkoff');
    await page.mouse.move(point.x - 120, point.y - 80);
    await page.mouse.move(point.x, point.y, { steps: 4 });
    await page.waitForTimeout(150);
    expect(await cardHosts(page)).toBe(0); // still within the intent delay
    await page.waitForFunction(() => document.querySelectorAll('briefing-lens-card').length === 1, undefined, { timeout: 2000 });
    await page.waitForTimeout(200); // card data arrives from the service worker
    expect(await dialogs(page)).toEqual(['Steve Witkoff']);
    expect(await page.evaluate(() => document.getElementsByTagName('*').length)).toBe(before + 1);
    // The link or text under the pointer is still what the page has there: the card sits beside the name.
    expect(await page.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.localName, point)).toBe('p');
    await page.screenshot({ path: join(SCREENSHOTS, 'card-light.png') });
    await page.keyboard.press('Escape');
    expect(await cardHosts(page)).toBe(0);
    expect(await dialogs(page)).toEqual([]);
    await page.close();
  });

  it('keep the card while the pointer moves into it, and close after the grace when it leaves', async () => {
    const page = await ext.context.newPage();
    await page.goto(`${server.url}basic-article.html`);
    await settledMentions(ext, page);
    const point = await pointOf(page, 'Grynkewich');
    await page.mouse.move(point.x, point.y, { steps: 3 });
    await page.waitForFunction(() => document.querySelectorAll('briefing-lens-card').length === 1, undefined, { timeout: 2000 });
    // Into the card, below the name: it stays open.
    await page.mouse.move(point.x, point.y + 40, { steps: 4 });
    await page.waitForTimeout(600);
    expect(await cardHosts(page)).toBe(1);
    // Far away: it closes after the grace.
    await page.mouse.move(5, 5, { steps: 2 });
    await page.waitForTimeout(700);
    expect(await cardHosts(page)).toBe(0);
    await page.close();
  });

  it('show a dark card when the reader prefers dark', async () => {
    const dark = await launchWithExtension({ colorScheme: 'dark' });
    try {
      const page = await dark.context.newPage();
      await page.goto(`${server.url}variants.html`);
      await settledMentions(dark, page);
      const point = await pointOf(page, 'Umerov');
      await page.mouse.move(point.x, point.y, { steps: 3 });
      await page.waitForFunction(() => document.querySelectorAll('briefing-lens-card').length === 1, undefined, { timeout: 2000 });
      await page.waitForTimeout(300);
      expect(await dialogs(page)).toEqual(['Rustem Umerov']);
      await page.screenshot({ path: join(SCREENSHOTS, 'card-dark.png') });
    } finally {
      await dark.close();
    }
  });

  it('the keyboard command opens the card at or after the selection, then the next one', async () => {
    const page = await ext.context.newPage();
    await page.goto(`${server.url}selection.html`);
    await settledMentions(ext, page);
    await page.evaluate(() => {
      const text = document.getElementById('one')!.firstChild as Text;
      const i = text.data.indexOf('then');
      getSelection()!.setBaseAndExtent(text, i, text, i + 4);
    });
    const tabId = await tabIdOf(ext, page);
    // What the service worker does on the `open-card` command.
    const command = () => ext.serviceWorker.evaluate((tabId) => chrome.tabs.sendMessage(tabId, { type: 'open-card-command' }, { frameId: 0 }), tabId);
    expect(await command()).toEqual({ opened: true });
    await page.waitForTimeout(300);
    expect(await dialogs(page)).toEqual(['Friedrich Merz']);
    expect(await command()).toEqual({ opened: true });
    await page.waitForTimeout(300);
    expect(await dialogs(page)).toEqual(['Rustem Umerov']);
    await page.keyboard.press('Escape');
    expect(await dialogs(page)).toEqual([]);
    await page.close();
  });
});

describe('reading the page', () => {
  it('skips hidden text and picks it up when it is shown', async () => {
    const page = await ext.context.newPage();
    await page.goto(`${server.url}hidden.html`);
    const ids = async () => (await settledMentions(ext, page))[0]!.mentions.map((m) => m.entityId);
    expect(await ids()).toEqual(['friedrich-merz']);
    await page.evaluate(() => {
      document.getElementById('a')!.style.display = 'block';
      document.getElementById('b')!.hidden = false;
      (document.getElementById('d') as HTMLDetailsElement).open = true;
    });
    expect(await ids()).toEqual(['friedrich-merz', 'steve-witkoff', 'rustem-umerov', 'jared-kushner']);
    await page.close();
  });

  it('marks text/plain documents', async () => {
    const page = await ext.context.newPage();
    await page.goto(`${server.url}plain.txt`);
    const frames = await settledMentions(ext, page);
    expect(frames[0]!.mentions).toEqual([
      { entityId: 'steve-witkoff', text: 'Witkoff' },
      { entityId: 'friedrich-merz', text: 'Merz' },
      { entityId: 'nato', text: 'NATO' },
    ]);
    await page.close();
  });

  it('follows single-page-app navigation: new URL, new mentions, none stale', async () => {
    const page = await ext.context.newPage();
    await page.goto(`${server.url}spa.html`);
    expect((await settledMentions(ext, page))[0]!.mentions.map((m) => m.entityId)).toEqual(['friedrich-merz']);
    const tabId = await tabIdOf(ext, page);
    await page.click('#go');
    await page.waitForTimeout(800);
    const frames = await tabMentions(ext, tabId);
    expect(frames[0]!.url).toBe(`${server.url}spa/next`);
    expect(frames[0]!.mentions.map((m) => m.entityId)).toEqual(['alexus-grynkewich', 'rustem-umerov']);
    await page.close();
  });

  it('shows the mention count on the toolbar badge', async () => {
    const page = await ext.context.newPage();
    await page.goto(`${server.url}basic-article.html`);
    await settledMentions(ext, page);
    const tabId = await tabIdOf(ext, page);
    expect(await ext.serviceWorker.evaluate((tabId) => chrome.action.getBadgeText({ tabId }), tabId)).toBe('11');
    await page.close();
  });

  it('applies settings live: a topic switched off unmarks its entities, a disabled site gets nothing', async () => {
    const page = await ext.context.newPage();
    await page.goto(`${server.url}basic-article.html`);
    const ids = async () => [...new Set((await settledMentions(ext, page))[0]!.mentions.map((m) => m.entityId))];
    const all = await ids();
    expect(all).toContain('jared-kushner');
    const options = await ext.context.newPage();
    await options.goto(`chrome-extension://${ext.extensionId}/options/options.html`);
    // Kushner appears only in the Berlin-talks topic; NATO in several.
    await options.evaluate(() => chrome.storage.sync.set({ version: 1, trackedTopics: { 'berlin-talks': false } }));
    const fewer = await ids();
    expect(fewer).not.toContain('jared-kushner');
    expect(fewer).toContain('nato');
    await options.evaluate(() => chrome.storage.sync.set({ disabledSites: ['127.0.0.1'] }));
    expect(await ids()).toEqual([]);
    await page.reload();
    await page.waitForTimeout(500);
    expect(await ids()).toEqual([]);
    await options.evaluate(() => chrome.storage.sync.clear());
    expect(await ids()).toEqual(all);
    await options.close();
    await page.close();
  });

  it('keeps up with a live page: batches appended, text changed and removed, final state exact', async () => {
    const page = await ext.context.newPage();
    await page.goto(`${server.url}live.html`);
    const frames = await settledMentions(ext, page, { waitFor: 'body[data-done]' });
    // What the page holds now, read with a plain regex over each paragraph: the ground truth.
    const truth = await page.evaluate(() =>
      [...document.querySelectorAll('p')].flatMap((p) => [...p.textContent!.matchAll(/Merz|Umerov|Grynkewich|Witkoff|Kushner/g)].map((m) => m[0])),
    );
    expect(truth.length).toBeGreaterThan(1900); // 20 batches of 100 named items, less the ones removed
    expect(frames[0]!.mentions.map((m) => m.text)).toEqual(truth);
    await page.close();
  });
});
