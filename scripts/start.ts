/**
 * `npm start`: builds the extension, serves the seed article as a plain news page (and the shared
 * corpus under /corpus/) on 127.0.0.1, and opens Chromium with the extension on it.
 * With a display (`DISPLAY` set, no `--headless`), the browser stays open until Ctrl+C.
 * Without one, it runs headless: hovers a name, and writes screenshots of the page and the card
 * and the list of mentions to `out/start/`, printing where.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { build } from './build';
import { CORPUS_DIR, ROOT, launchWithExtension, serve, settledMentions } from './chromium';
import { parseArticle } from '../src/kb/article';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The first seed article as a simple news page (HTML-escaped text). */
export function seedArticlePage(): string {
  const file = readdirSync(join(ROOT, 'seeds')).filter((f) => f.endsWith('.txt')).sort()[0]!;
  const article = parseArticle(basename(file, '.txt'), readFileSync(join(ROOT, 'seeds', file), 'utf8'), file);
  const body = article.sections
    .map((section) => {
      const paragraphs = section.paragraphs.map((p) => {
        const text = article.sentences.filter((s) => s.paragraph === p).map((s) => s.text).join(' ');
        return `<p>${escapeHtml(text)}</p>`;
      });
      return `${section.heading ? `<h2>${escapeHtml(section.heading)}</h2>` : ''}${paragraphs.join('\n')}`;
    })
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(article.title)}</title>
<style>body{font:17px/1.6 Georgia,serif;max-width:42em;margin:2em auto;padding:0 1em;color:#222}h1{font-size:1.8em;line-height:1.2}.meta{color:#666;font-size:.9em}</style></head>
<body><header><h1>${escapeHtml(article.title)}</h1><p class="meta">Date not given in the source · Briefing Lens demo page</p></header>
<article>${body}</article></body></html>`;
}

async function main(): Promise<void> {
  const headless = process.argv.includes('--headless') || !process.env.DISPLAY;
  await build(false);
  const routes = { '/': { body: seedArticlePage() } };
  const server = await serve(existsSync(CORPUS_DIR) ? [join(CORPUS_DIR, '..')] : [], routes);
  const browser = await launchWithExtension({ headless });
  const page = await browser.context.newPage();
  await page.goto(server.url);
  console.log(`seed article: ${server.url}${existsSync(CORPUS_DIR) ? `  corpus: ${server.url}corpus/basic-article.html` : ''}`);
  if (!headless) {
    console.log('Chromium is open with the extension; hover a name. Ctrl+C to stop.');
    await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  } else {
    const out = join(ROOT, 'out/start');
    mkdirSync(out, { recursive: true });
    // Wait for the content script's report to settle, then hover the first mention of Witkoff.
    const frames = await settledMentions(browser, page);
    await page.bringToFront();
    await page.screenshot({ path: join(out, 'page.png'), fullPage: true });
    const point = await page.evaluate(() => {
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const i = (n as Text).data.indexOf('Witkoff');
        if (i < 0) continue;
        const r = document.createRange();
        r.setStart(n, i);
        r.setEnd(n, i + 7);
        r.startContainer.parentElement?.scrollIntoView({ block: 'center' });
        const b = r.getBoundingClientRect();
        return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
      }
      return null;
    });
    if (point) {
      await page.mouse.move(point.x - 150, point.y - 60);
      await page.mouse.move(point.x, point.y, { steps: 8 });
      await page.waitForTimeout(1200);
    }
    await page.screenshot({ path: join(out, 'card.png') });
    const mentions = frames.flatMap((f) => f.mentions.map((m) => ({ frameId: f.frameId, ...m })));
    writeFileSync(join(out, 'mentions.json'), `${JSON.stringify(frames, null, 2)}\n`);
    console.log(`${mentions.length} mentions marked on the seed article:`);
    for (const m of mentions) console.log(`  ${m.entityId.padEnd(22)} ${m.text}`);
    console.log(`screenshots: ${join(out, 'page.png')}, ${join(out, 'card.png')}; mentions: ${join(out, 'mentions.json')}`);
  }
  await browser.close();
  await server.close();
}

main().catch((error: unknown) => {
  console.error(`npm start failed: ${(error as Error).message}`);
  process.exit(1);
});
