/**
 * `npx tsx bench/highlight-frame.ts [MB ...]`: what one change to a CSS highlight costs Chromium.
 * On a news page of each size (default 0.1, 1 and 5 MB of text) it adds one range to a registered
 * highlight and times the next rendering frame (rAF to the task after it), against a frame with no
 * change. Diagnoses why marking big pages is dominated by native time: every slice of the Lens that
 * adds a range to the highlight costs one such frame. Prints ms.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { launchPlain } from './inpage-runner';
import { newsPage, type LexiconLike } from './pages';
import { serve } from '../test/browser/harness';

const root = resolve(import.meta.dirname, '..');
const lexicon = JSON.parse(readFileSync(join(root, 'src/generated/lexicon.json'), 'utf8')) as LexiconLike[];
const sizes = process.argv.slice(2).map(Number);

/** Runs in the page (as a string, so no build helper leaks in): median frame times over 5 tries, ms. */
const MEASURE = `(async () => {
  const frame = () => new Promise((ok) => requestAnimationFrame(() => { const t = performance.now(); setTimeout(() => ok(performance.now() - t), 0); }));
  const median = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];
  await frame(); await frame();
  const paragraphs = [...document.querySelectorAll('p')];
  const highlight = new Highlight();
  CSS.highlights.set('bench', highlight);
  await frame();
  const changed = [], unchanged = [];
  for (let i = 0; i < 5; i++) {
    const range = document.createRange();
    range.setStart(paragraphs[i].firstChild, 0);
    range.setEnd(paragraphs[i].firstChild, 3);
    highlight.add(range);
    changed.push(await frame());
    unchanged.push(await frame());
  }
  return { elements: document.getElementsByTagName('*').length, frameAfterOneAddMs: median(changed), frameWithoutChangeMs: median(unchanged) };
})()`;

const browser = await launchPlain();
try {
  for (const mb of sizes.length ? sizes : [0.1, 1, 5]) {
    const page = newsPage(lexicon, mb * 1024 * 1024, 0.001);
    const html = page.html.replace('</head>', '<style>::highlight(bench){text-decoration:underline dotted 2px blue}</style></head>');
    const server = await serve([], { '/p.html': { body: html } });
    const tab = await browser.newPage({ viewport: { width: 1100, height: 800 } });
    await tab.goto(`${server.url}p.html`);
    console.log(`${mb} MB:`, await tab.evaluate(MEASURE));
    await tab.close();
    await server.close();
  }
} finally {
  await browser.close();
}
