/**
 * `npm run bench` (full, ~15 min on 2 cores) and `npm run bench -- --quick` (< 1 min, CI proves the bench works).
 *
 * Builds the release extension, generates the bench pages from a fixed seed (bench/pages.ts), and
 * measures in headless Chromium, at 1× and 4× CPU throttling:
 * - the floor (one TreeWalker pass), our content script's Lens and mark.js, in the page (bench/inpage.ts);
 * - the shipped extension end to end (DOMContentLoaded → report at the service worker);
 * - the live page, heap growth, the gzipped content-script size and idle CPU.
 * Prints every figure beside its target, writes `out/bench/latest.json` (and `latest-full.json` or
 * `latest-quick.json`, so a quick run keeps the last full one) and `out/bench/latest.md`,
 * and with `--readme` puts the tables into README.md's Performance section.
 * Exits 0 whenever the bench ran, whatever the figures; non-zero only when the bench itself broke.
 *
 * Options: `--quick`, `--readme`, `--only=NAME,NAME` (pages by name), `--rates=1,4`, `--no-extension`,
 * `--from=FILE` (print, and with `--readme` write, the tables of a saved results file without measuring).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from './build';
import { bundleInPage } from '../bench/bundle';
import { deepPage, livePage, manyNodesPage, newsPage, singleNodePage, type BenchPage, type LexiconLike } from '../bench/pages';
import { launchPlain, measureHeap, measureInPage, measureLive, type InPageFigures, type LiveFigures, type MarkFigures } from '../bench/inpage-runner';
import { launchExtension, measureExtension, measureIdle, type ExtensionFigures, type IdleFigures } from '../bench/extension-runner';
import { serve } from '../test/browser/harness';
import type { Accuracy } from '../bench/score';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const KB = 1024;
const MB = 1024 * 1024;

/** Targets from issue 6. */
export const TARGETS = {
  oursOverFloor: 3,
  oursOverFloorAim: 2,
  markOverOurs: 50,
  longestTaskMs: 50,
  liveP95Ms: 16,
  contentScriptGzipBytes: 40 * KB,
};

interface Options {
  quick: boolean;
  readme: boolean;
  only: string[] | null;
  rates: number[];
  extension: boolean;
  from: string | null;
}

function parseOptions(args: string[]): Options {
  const value = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  return {
    quick: args.includes('--quick'),
    readme: args.includes('--readme'),
    only: value('only')?.split(',') ?? null,
    rates: (value('rates') ?? '1,4').split(',').map(Number),
    extension: !args.includes('--no-extension'),
    from: value('from') ?? null,
  };
}

/** The pages of a run: the full set, or one small page in quick mode. */
function pagesFor(lexicon: LexiconLike[], quick: boolean): BenchPage[] {
  if (quick) return [newsPage(lexicon, 30 * KB, 0.01)];
  return [
    newsPage(lexicon, 100 * KB, 0.001),
    newsPage(lexicon, 100 * KB, 0.01),
    newsPage(lexicon, 1 * MB, 0.001),
    newsPage(lexicon, 1 * MB, 0.01),
    newsPage(lexicon, 5 * MB, 0.001),
    newsPage(lexicon, 5 * MB, 0.01),
    manyNodesPage(lexicon, 100_000, 0.01),
    deepPage(lexicon, 1 * MB, 30, 0.01),
    singleNodePage(lexicon, 10 * MB, 0.01),
  ];
}

interface PageResult {
  name: string;
  description: string;
  textChars: number;
  names: number;
  rates: Record<string, { inPage: InPageFigures | null; extension: ExtensionFigures | null }>;
}

interface Results {
  date: string;
  machine: { cpus: number; cpuModel: string; node: string; chromium: string };
  mode: 'quick' | 'full';
  plan: { runs: number; markCapMs: number; rates: number[]; markRates: number[] };
  contentScript: { bytes: number; gzipBytes: number };
  pages: PageResult[];
  live: Record<string, LiveFigures>;
  heap: { page: string; growthBytes: number; mentions: number }[];
  idle: IdleFigures | null;
  /** Measurements that failed (a timeout, a crash), with the error; the rest of the run went on. */
  errors: string[];
}

/** Extension end to end at throttled rates only on pages up to this much text (5 and 10 MB loads take minutes at 4×), characters. */
const THROTTLED_EXTENSION_MAX_CHARS = 1.5 * MB;

const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));
const pct = (a: Accuracy | null) => (a ? `${(a.precision * 100).toFixed(1)} / ${(a.recall * 100).toFixed(1)}` : '–');
const ratio = (x: number) => (!Number.isFinite(x) ? 'n/a' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const check = (ok: boolean) => (ok ? '✓' : '✗');

function markCell(m: MarkFigures): string {
  if (m.skipped) return 'not run';
  if (m.cappedUnthrottled) return `> ${fmt(m.capMs)} (at 1×)`;
  return m.time ? `${fmt(m.time.median)} (${fmt(m.time.p95)})` : `> ${fmt(m.capMs)}`;
}
function markRatio(m: MarkFigures, ours: number): string {
  if (m.skipped) return '–';
  return m.time ? ratio(m.time.median / ours) : `> ${ratio(m.capMs / ours)}`;
}

/** Markdown tables of every figure beside its target. */
export function report(results: Results): string {
  const lines: string[] = [];
  const { plan } = results;
  lines.push(
    `Run ${results.date} (${results.mode}), ${results.machine.cpus} × ${results.machine.cpuModel}, Chromium ${results.machine.chromium}, Node ${results.machine.node}. ` +
      `Times in ms: median (p95) of ${plan.runs} runs after 1 warm-up; mark.js capped at ${fmt(plan.markCapMs)} ms per run.`,
    '',
  );
  for (const rate of plan.rates) {
    lines.push(`### CPU ${rate}×`, '');
    lines.push(
      '| page | text | names | floor | ours | ours busy | ours/floor (≤ 3) | busy/floor | longest slice / task (≤ 50) | mark.js | mark.js across | mark.js/ours (≥ 50) | P / R ours | P / R mark.js | P / R across | extension e2e, P / R |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    );
    for (const page of results.pages) {
      const r = page.rates[rate];
      if (!r?.inPage) {
        lines.push(`| ${page.name} | failed: see errors below |`);
        continue;
      }
      const { floor, ours, markjs, markjsAcross } = r.inPage;
      // A floor below the timer's resolution (one 10 MB node reads in "0 ms") gives no ratio.
      const over = floor.median > 0 ? ours.time.median / floor.median : Number.NaN;
      const best = markjsAcross.accuracy && markjs.accuracy && markjs.accuracy.recall > markjsAcross.accuracy.recall ? markjs : markjsAcross;
      const recallOk = !best.accuracy || ours.accuracy.recall >= best.accuracy.recall;
      const markOk = recallOk && (best.time ? best.time.median / ours.time.median >= TARGETS.markOverOurs : best.capped && best.capMs / ours.time.median >= TARGETS.markOverOurs);
      const worstTask = Math.max(ours.longestSliceMs, ours.longestTaskMs);
      const e = r.extension;
      lines.push(
        `| ${page.name} | ${(page.textChars / KB).toFixed(0)} KB | ${page.names} | ${fmt(floor.median)} (${fmt(floor.p95)}) | ${fmt(ours.time.median)} (${fmt(ours.time.p95)}) | ${fmt(ours.busy.median)} | ` +
          `${ratio(over)} ${check(over <= TARGETS.oursOverFloor)} | ${ratio(ours.busy.median / floor.median)} | ${fmt(ours.longestSliceMs)} / ${fmt(ours.longestTaskMs)} ${check(worstTask <= TARGETS.longestTaskMs)} | ` +
          `${markCell(markjs)} | ${markCell(markjsAcross)} | ${markRatio(markjs, ours.time.median)} / ${markRatio(markjsAcross, ours.time.median)} ${check(markOk)} | ` +
          `${pct(ours.accuracy)} | ${pct(markjs.accuracy)} | ${pct(markjsAcross.accuracy)} | ` +
          `${e ? `${fmt(e.time.median)} (${fmt(e.time.p95)}), ${pct(e.accuracy)}` : 'not run'} |`,
      );
    }
    lines.push('');
  }
  lines.push('### Live page, heap, size, idle', '');
  lines.push('| figure | value | target |', '| --- | --- | --- |');
  for (const [rate, live] of Object.entries(results.live)) {
    const lat = live.latency;
    lines.push(
      `| live page ${rate}×: ${live.batches} batches, every ${live.intervalMs} ms: append → marked, p50 / p95 | ${lat ? `${fmt(lat.median)} / ${fmt(lat.p95)} ms` : 'never'}${live.unmarked ? ` (${live.unmarked} batches never fully marked)` : ''} | p95 ≤ ${TARGETS.liveP95Ms} ms ${check(!!lat && live.unmarked === 0 && lat.p95 <= TARGETS.liveP95Ms)} |`,
      `| live page ${rate}×: observer callbacks while appending / in the idle second after | ${live.observerCallbacks} / ${live.callbacksWhenIdle} | ≈ ${live.batches} / 0 ${check(live.callbacksWhenIdle === 0)} |`,
      `| live page ${rate}×: longest piece of Lens work; Lens busy time | ${fmt(live.longestSliceMs)} ms; ${fmt(live.busyMs)} ms | ≤ 50 ms ${check(live.longestSliceMs <= TARGETS.longestTaskMs)} |`,
      `| live page ${rate}×: longest task, total blocking time (the page's own appends included) | ${fmt(live.longestTaskMs)} ms, ${fmt(live.totalBlockingMs)} ms | – |`,
      `| live page ${rate}×: precision / recall | ${pct(live.accuracy)} | 100 / 100 |`,
    );
  }
  for (const h of results.heap) lines.push(`| heap growth after marking ${h.page} (${h.mentions} mentions) | ${(h.growthBytes / MB).toFixed(2)} MB | – |`);
  const gz = results.contentScript.gzipBytes;
  lines.push(`| content script (release) gzipped | ${(gz / KB).toFixed(1)} KB (${(results.contentScript.bytes / KB).toFixed(1)} KB raw) | ≤ 40 KB ${check(gz <= TARGETS.contentScriptGzipBytes)} |`);
  if (results.idle) {
    const idle = results.idle;
    lines.push(`| idle marked page, ${idle.seconds} s: script time / all main-thread task time | ${fmt(idle.scriptMs)} ms / ${fmt(idle.taskMs)} ms (${((idle.scriptMs / (idle.seconds * 1000)) * 100).toFixed(2)}% of one core in script) | ≈ 0 ${check(idle.scriptMs < 5)} |`);
  }
  if (results.errors.length) lines.push('', 'Errors (these measurements are missing):', '', ...results.errors.map((e) => `- ${e}`));
  lines.push('');
  return lines.join('\n');
}

function updateReadme(markdown: string, command: string): void {
  const path = join(root, 'README.md');
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    text = '';
  }
  const start = '<!-- bench:start -->';
  const end = '<!-- bench:end -->';
  const block = `${start}\nLatest figures (\`${command}\`):\n\n${markdown}${end}`;
  if (text.includes(start) && text.includes(end)) text = text.slice(0, text.indexOf(start)) + block + text.slice(text.indexOf(end) + end.length);
  else text = `${text}${text && !text.endsWith('\n') ? '\n' : ''}\n## Performance\n\n${block}\n`;
  writeFileSync(path, text);
}

function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options.from) {
    const saved = JSON.parse(readFileSync(resolve(options.from), 'utf8')) as Results;
    const markdown = report(saved);
    process.stdout.write(`${markdown}\n`);
    if (options.readme) updateReadme(markdown, `npm run bench${saved.mode === 'quick' ? ' -- --quick' : ''}`);
    return;
  }
  const plan = { runs: options.quick ? 2 : 5, markCapMs: options.quick ? 3_000 : 10_000, rates: options.rates, markRates: options.quick ? [1] : options.rates };
  log(`${options.quick ? 'quick' : 'full'} run: building the release extension`);
  const dirs = await build(true);
  const contentJs = readFileSync(join(dirs.chrome, 'content.js'));
  const lexicon = JSON.parse(readFileSync(join(root, 'src/generated/lexicon.json'), 'utf8')) as LexiconLike[];
  const script = await bundleInPage(root);
  let pages = pagesFor(lexicon, options.quick);
  if (options.only) pages = pages.filter((p) => options.only!.includes(p.name));
  const live = livePage(lexicon, options.quick ? 5 : 50, 1000, 0.01);
  const idlePage = newsPage(lexicon, 100 * KB, 0.01, 11);
  const served: [string, BenchPage][] = [...pages.map((p): [string, BenchPage] => [p.name, p]), [live.name, live], ['idle', idlePage]];
  const routes = Object.fromEntries(served.map(([name, p]) => [`/${name}.html`, { body: p.html }]));
  const server = await serve([], routes);
  const urlOf = (name: string) => `${server.url}${name}.html`;

  const results: Results = {
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model.trim() ?? '?', node: process.version, chromium: '?' },
    mode: options.quick ? 'quick' : 'full',
    plan,
    contentScript: { bytes: contentJs.length, gzipBytes: gzipSync(contentJs, { level: 9 }).length },
    pages: pages.map((p) => ({ name: p.name, description: p.description, textChars: p.textChars, names: p.truth.length, rates: {} })),
    live: {},
    heap: [],
    idle: null,
    errors: [],
  };
  const outDir = join(root, 'out/bench');
  mkdirSync(outDir, { recursive: true });
  /** Runs one measurement; a failure is recorded and the run goes on. Partial results are saved after each. */
  const attempt = async <T>(what: string, measure: () => Promise<T>): Promise<T | null> => {
    log(what);
    try {
      return await measure();
    } catch (error) {
      const message = `${what}: ${(error as Error).message.split('\n')[0]}`;
      log(`FAILED ${message}`);
      results.errors.push(message);
      return null;
    } finally {
      writeFileSync(join(outDir, 'partial.json'), `${JSON.stringify(results, null, 2)}\n`);
    }
  };
  try {
    const plain = await launchPlain();
    results.machine.chromium = plain.version();
    try {
      for (const rate of plan.rates) {
        for (const [i, page] of pages.entries()) {
          const unthrottled = results.pages[i]!.rates[1]?.inPage ?? undefined;
          const inPage = await attempt(`in page, ${rate}×: ${page.name} (${page.truth.length} names)`, () =>
            measureInPage(plain, urlOf(page.name), script, page, rate, plan, unthrottled),
          );
          results.pages[i]!.rates[rate] = { inPage, extension: null };
        }
        const liveFigures = await attempt(`live page, ${rate}×`, () => measureLive(plain, urlOf(live.name), script, live, 100, rate));
        if (liveFigures) results.live[rate] = liveFigures;
      }
      const heapPages = options.quick ? pages : pages.filter((p) => /^text-(100kb|1mb|5mb)-1pct$/.test(p.name));
      for (const page of heapPages) {
        const heap = await attempt(`heap: ${page.name}`, () => measureHeap(plain, urlOf(page.name), script));
        if (heap) results.heap.push({ page: page.name, growthBytes: heap.growth, mentions: heap.mentions });
      }
    } finally {
      await plain.close();
    }
    if (options.extension) {
      const browser = await launchExtension(dirs.chrome);
      try {
        for (const rate of plan.rates) {
          for (const [i, page] of pages.entries()) {
            if (rate > 1 && page.textChars > THROTTLED_EXTENSION_MAX_CHARS) continue;
            results.pages[i]!.rates[rate]!.extension = await attempt(`extension, ${rate}×: ${page.name}`, () => measureExtension(browser, urlOf(page.name), page, rate, plan.runs));
          }
        }
        results.idle = await attempt(`idle CPU over ${options.quick ? 2 : 10} s`, () => measureIdle(browser, urlOf('idle'), options.quick ? 2 : 10));
      } finally {
        await browser.close();
      }
    }
  } finally {
    await server.close();
  }

  const markdown = report(results);
  writeFileSync(join(outDir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  // A quick run must not overwrite the last full run's figures.
  writeFileSync(join(outDir, `latest-${results.mode}.json`), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(outDir, 'latest.md'), markdown);
  process.stdout.write(`${markdown}\n`);
  if (options.readme) updateReadme(markdown, `npm run bench${options.quick ? ' -- --quick' : ''}`);
  log('wrote out/bench/latest.json and out/bench/latest.md');
  // Quick mode proves the bench works: any failed measurement is a broken bench there.
  if (options.quick && results.errors.length) throw new Error(`${results.errors.length} measurement(s) failed`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`bench failed: ${(error as Error).stack ?? String(error)}`);
    process.exit(1);
  },
);
