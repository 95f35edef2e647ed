/**
 * `npx tsx bench/profile.ts [PAGE] [--rate=N] [--live [--batches=N]]`: where our Lens spends its time on one bench page.
 * Runs the in-page bench script unminified under the V8 CPU profiler (CDP `Profiler`), one warm-up
 * then one profiled run of `__bench.ours()` (or the live page with `--live`), and prints the functions
 * with the most self time and the most total time, ms. PAGE is a bench page name (default text-1mb-1pct).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bundleInPage } from './bundle';
import { launchPlain } from './inpage-runner';
import { deepPage, livePage, manyNodesPage, newsPage, singleNodePage, type LexiconLike, type LivePage } from './pages';
import { serve } from '../test/browser/harness';
import type { BenchApi } from './inpage';

declare const __bench: BenchApi;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount: number;
  children?: number[];
}

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const name = args.find((a) => !a.startsWith('--')) ?? 'text-1mb-1pct';
const rate = Number(args.find((a) => a.startsWith('--rate='))?.slice(7) ?? 1);
const lexicon = JSON.parse(readFileSync(join(root, 'src/generated/lexicon.json'), 'utf8')) as LexiconLike[];
const KB = 1024;
const MB = KB * KB;
const all = [
  ...[100 * KB, MB, 5 * MB].flatMap((size) => [newsPage(lexicon, size, 0.001), newsPage(lexicon, size, 0.01)]),
  manyNodesPage(lexicon, 100_000, 0.01),
  deepPage(lexicon, MB, 30, 0.01),
  singleNodePage(lexicon, 10 * MB, 0.01),
];
const live: LivePage = livePage(lexicon, Number(args.find((a) => a.startsWith('--batches='))?.slice(10) ?? 50), 1000, 0.01);
const page = args.includes('--live') ? live : all.find((p) => p.name === name);
if (!page) throw new Error(`no bench page ${name}; pages: ${all.map((p) => p.name).join(', ')}`);

const server = await serve([], { '/page.html': { body: page.html } });
const browser = await launchPlain();
try {
  const tab = await browser.newPage();
  await tab.goto(`${server.url}page.html`);
  await tab.addScriptTag({ content: await bundleInPage(root, { minify: false }) });
  const cdp = await tab.context().newCDPSession(tab);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
  if (!args.includes('--live')) await tab.evaluate(() => __bench.ours().then(() => undefined));
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  const summary = args.includes('--live')
    ? await tab.evaluate(
        ({ batches, counts }) => __bench.live(batches, counts, 100).then((r) => ({ latencies: r.latencies.map((l) => Math.round(l ?? -1)), busyMs: r.busyMs, longest: r.longestSliceMs })),
        { batches: live.batches.map((b) => b.html), counts: live.batches.map((b) => b.truth.length) },
      )
    : await tab.evaluate(() => __bench.ours().then((r) => ({ ms: r.ms, busyMs: r.busyMs })));
  const { profile } = (await cdp.send('Profiler.stop')) as { profile: { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[] } };
  const total = (profile.endTime - profile.startTime) / 1000;
  const perSample = total / profile.samples.length;
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const label = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.includes('briefing-lens-bench') || !n.callFrame.url ? '' : n.callFrame.url}:${n.callFrame.lineNumber + 1}`;
  const walk = (node: ProfileNode, stack: Set<string>) => {
    const key = label(node);
    const ms = node.hitCount * perSample;
    self.set(key, (self.get(key) ?? 0) + ms);
    const next = new Set(stack).add(key);
    for (const k of next) inclusive.set(k, (inclusive.get(k) ?? 0) + ms);
    for (const child of node.children ?? []) walk(byId.get(child)!, next);
  };
  walk(profile.nodes[0]!, new Set());
  const top = (map: Map<string, number>) =>
    [...map].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `${v.toFixed(1).padStart(8)} ms  ${k}`).join('\n');
  console.log(`${page.name} at ${rate}×: ${JSON.stringify(summary)}; profile ${total.toFixed(0)} ms\n\nself time:\n${top(self)}\n\ntotal time:\n${top(inclusive)}`);
} finally {
  await browser.close();
  await server.close();
}
