/**
 * The page side of the bench, bundled by esbuild (`bench/bundle.ts`) into one script injected into
 * the page's main world. It exposes `window.__bench` with the contenders:
 * - the floor: one TreeWalker(SHOW_TEXT) pass reading every text node's data;
 * - ours: the content script's own `Lens` (content/lens.ts: time slices, highlights, document
 *   order, the report), started exactly as `content/index.ts` starts it, timed until its report;
 * - mark.js, on the page's body (it mutates the DOM: the bench restores a pristine body first);
 * - the live page: batches appended while our Lens watches.
 * All times are `performance.now()` milliseconds.
 */
import Mark from 'mark.js';
import { Lens, bundledLexicon, currentSettings } from '../content/lens';
import { sink, type SentMessage } from './fake-browser';

/** A mention as found: entity and text. */
interface Found {
  entityId: string;
  text: string;
}

/** Main-thread work seen by PerformanceObserver in a time window. */
export interface LongWork {
  /** Longest `longtask` in the window, ms (0 when none reached 50 ms). */
  longestTaskMs: number;
  /** Total blocking time: sum over long tasks of (duration − 50 ms). */
  totalBlockingMs: number;
  /** Longest `long-animation-frame`, ms (0 when none). */
  longestFrameMs: number;
  longTasks: number;
}

/** One run of our Lens on the page. */
export interface OursRun {
  /** From constructing the Lens to its report with every mention, ms (wall clock, includes yields between slices). */
  ms: number;
  /** Main-thread time spent in the Lens (start plus every timer callback until the report), ms. */
  busyMs: number;
  /** Longest single piece of Lens work (start or one slice), ms. */
  longestSliceMs: number;
  slices: number;
  mentions: Found[];
  work: LongWork;
}

const lexicon = bundledLexicon();
let lens: Lens | null = null;
let pristine: HTMLElement | null = null;
const sleep = (ms: number) => new Promise<void>((ok) => setTimeout(ok, ms));

const entries: PerformanceEntry[] = [];
for (const type of ['longtask', 'long-animation-frame']) {
  try {
    new PerformanceObserver((list) => entries.push(...list.getEntries())).observe({ type, buffered: true });
  } catch {
    // Entry type not supported: the figure stays 0.
  }
}

/** Long tasks and frames that overlap `[from, to]` (ms). Waits a little so the observers have delivered. */
async function longWork(from: number, to: number): Promise<LongWork> {
  await sleep(60);
  const overlapping = (e: PerformanceEntry) => e.startTime < to && e.startTime + e.duration > from;
  const tasks = entries.filter((e) => e.entryType === 'longtask' && overlapping(e));
  const frames = entries.filter((e) => e.entryType === 'long-animation-frame' && overlapping(e));
  return {
    longestTaskMs: Math.max(0, ...tasks.map((t) => t.duration)),
    totalBlockingMs: tasks.reduce((sum, t) => sum + Math.max(0, t.duration - 50), 0),
    longestFrameMs: Math.max(0, ...frames.map((f) => f.duration)),
    longTasks: tasks.length,
  };
}

/** The floor: one TreeWalker(SHOW_TEXT) pass over the document reading every text node's data. */
function floor(): { ms: number; nodes: number; chars: number } {
  const started = performance.now();
  const walker = document.createTreeWalker(document, NodeFilter.SHOW_TEXT);
  let nodes = 0;
  let chars = 0;
  while (walker.nextNode()) {
    chars += (walker.currentNode as Text).data.length;
    nodes++;
  }
  return { ms: performance.now() - started, nodes, chars };
}

/** Stops the running Lens, if any, and lets its last (empty) report go out before anything is timed. */
async function stopLens(): Promise<void> {
  if (!lens) return;
  lens.stop();
  lens = null;
  await sleep(REPORT_SETTLE_MS);
}
/** Longer than the Lens's report throttle (100 ms), so a stopped Lens's deferred report has gone. */
const REPORT_SETTLE_MS = 250;

/**
 * Starts a fresh Lens as the content script's entry does, and times it until its first report
 * (sent only when the scan queue is empty: every mention marked). Timer callbacks are wrapped to
 * measure the main-thread time the Lens uses.
 * @param timeoutMs give up after this long (the run then rejects).
 */
async function ours(timeoutMs = 120_000): Promise<OursRun> {
  await stopLens();
  const timers = timeLensWork();
  try {
    const reported = new Promise<SentMessage>((resolve, reject) => {
      sink.onSend = (sent) => {
        if (sent.message.type === 'mentions-changed') resolve(sent);
      };
      const realSetTimeout = timers.realSetTimeout;
      realSetTimeout(() => reject(new Error(`no report within ${timeoutMs} ms`)), timeoutMs);
    });
    const started = performance.now();
    const current = (lens = new Lens(lexicon));
    const settings = await currentSettings();
    current.applySettings(settings);
    timers.pieces.push(performance.now() - started);
    const sent = await reported;
    const ms = sent.at - started;
    const mentions = sent.message.mentions ?? [];
    return {
      ms,
      busyMs: timers.pieces.reduce((a, b) => a + b, 0),
      longestSliceMs: Math.max(...timers.pieces),
      slices: timers.pieces.length,
      mentions,
      work: await longWork(started, sent.at),
    };
  } finally {
    timers.restore();
    sink.onSend = () => undefined;
  }
}

/**
 * Wraps `setTimeout` and `MutationObserver` so every timer callback and observer callback the Lens
 * runs is timed (`pieces`, ms each). Only what starts after the call is wrapped; `restore` undoes it.
 */
function timeLensWork(): { pieces: number[]; realSetTimeout: typeof window.setTimeout; restore(): void } {
  const pieces: number[] = [];
  const realSetTimeout = window.setTimeout;
  const RealObserver = window.MutationObserver;
  const timed = (run: () => void) => {
    const t = performance.now();
    try {
      run();
    } finally {
      pieces.push(performance.now() - t);
    }
  };
  window.setTimeout = ((handler: (...args: unknown[]) => void, delay?: number, ...args: unknown[]) =>
    realSetTimeout(() => timed(() => handler(...args)), delay)) as typeof window.setTimeout;
  window.MutationObserver = class extends RealObserver {
    constructor(callback: MutationCallback) {
      super((records, observer) => {
        observerCallbacks++;
        timed(() => callback(records, observer));
      });
    }
  };
  return {
    pieces,
    realSetTimeout,
    restore() {
      window.setTimeout = realSetTimeout;
      window.MutationObserver = RealObserver;
    },
  };
}
/** MutationObserver callbacks delivered to Lenses started by the bench. */
let observerCallbacks = 0;

/** The alias list the matcher uses, expanded as it expands it: as written, first letter capitalised, ALL CAPS. */
function keywords(): string[] {
  const all = new Set<string>();
  for (const entity of lexicon) {
    for (const alias of entity.aliases) {
      all.add(alias);
      all.add(alias.charAt(0).toUpperCase() + alias.slice(1));
      all.add(alias.toUpperCase());
    }
  }
  return [...all];
}

const keyOf = (text: string) => text.replace(/\s+/g, ' ').replace(/’/g, "'").replace(/'[sS]$/, '');
const entityOfKeyword = new Map<string, string>();
for (const entity of lexicon) {
  for (const alias of entity.aliases) {
    for (const variant of [alias, alias.charAt(0).toUpperCase() + alias.slice(1), alias.toUpperCase()]) entityOfKeyword.set(keyOf(variant), entity.id);
  }
}

/** Punctuation that ends a word for mark.js ("exactly" accuracy), ASCII and typographic. */
const LIMITERS = [...'!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~¡¿', '’', '‘', '“', '”', '«', '»', '…', '–', '—'];
/** The regions our Lens skips, as mark.js `exclude` selectors (tested against each text node's parent). */
const EXCLUDE = ['mark', 'mark *', 'textarea', 'textarea *', 'noscript', 'template', '[contenteditable]:not([contenteditable="false"])', '[contenteditable]:not([contenteditable="false"]) *'];

/** Restores the body as it was before the first mark.js run (mark.js wraps matches in `<mark>`). */
function resetBody(): void {
  if (!pristine) pristine = document.body.cloneNode(true) as HTMLElement;
  else document.body.replaceWith(pristine.cloneNode(true));
}

/** Reads mark.js's `<mark>` elements back as mentions: adjacent marks with no unmarked text between are one mention. */
function markedByMarkJs(): Found[] {
  const found: Found[] = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let open: string | null = null;
  const close = () => {
    if (open !== null) found.push({ entityId: entityOfKeyword.get(keyOf(open)) ?? '?', text: open });
    open = null;
  };
  while (walker.nextNode()) {
    const node = walker.currentNode as Text;
    if (node.data.length === 0) continue;
    if (node.parentElement?.closest('mark[data-markjs]')) open = (open ?? '') + node.data;
    else close();
  }
  close();
  return found;
}

/**
 * mark.js set up as fairly as it allows for names: the same alias list, case-sensitive, whole words
 * with punctuation limiters, no word splitting, no diacritics folding, the same skipped regions.
 * Runs synchronously (no iframes); the bench caps it from outside (`Runtime.terminateExecution`).
 */
function markjs(acrossElements: boolean): { ms: number; mentions: Found[] } {
  resetBody();
  const list = keywords();
  const started = performance.now();
  let doneAt = 0;
  new Mark(document.body).mark(list, {
    separateWordSearch: false,
    accuracy: { value: 'exactly', limiters: LIMITERS },
    diacritics: false,
    caseSensitive: true,
    acrossElements,
    ignoreJoiners: true,
    exclude: EXCLUDE,
    done: () => {
      doneAt = performance.now();
    },
  });
  if (!doneAt) throw new Error('mark.js did not finish synchronously');
  return { ms: doneAt - started, mentions: markedByMarkJs() };
}

/** What the live page measured. */
export interface LiveRun {
  /** Per batch: from its append to the highlight holding all its names, ms (null: never, within the wait). */
  latencies: (number | null)[];
  /** MutationObserver callbacks the Lens received while batches were appended and marked. */
  observerCallbacks: number;
  /** Callbacks in the second after everything was marked (a self-triggered loop shows here). */
  callbacksWhenIdle: number;
  /** Longest piece of Lens work (observer callback or slice) while batches came in, ms. */
  longestSliceMs: number;
  /** Main-thread time in the Lens while batches came in, ms. */
  busyMs: number;
  mentions: Found[];
  /** Long tasks in the window: the page's own appends (HTML parsing, layout) as well as the Lens. */
  work: LongWork;
}

/**
 * Starts a fresh Lens, waits for its first report, then appends each batch to `#feed` every
 * `intervalMs`, recording when the highlight first holds every name of the batch (and the ones before).
 * @param batches HTML of each batch.
 * @param counts names in each batch (ground truth).
 */
async function live(batches: string[], counts: number[], intervalMs: number): Promise<LiveRun> {
  await stopLens();
  const targets: number[] = [];
  const appendedAt: number[] = [];
  const markedAt: (number | null)[] = batches.map(() => null);
  let next = 0;
  const check = (size: number) => {
    while (next < appendedAt.length && size >= targets[next]!) markedAt[next++] = performance.now();
  };
  const realAdd = Highlight.prototype.add;
  Highlight.prototype.add = function (this: Highlight, range: AbstractRange) {
    const result = realAdd.call(this, range);
    check(this.size);
    return result;
  };
  const realSet = HighlightRegistry.prototype.set;
  HighlightRegistry.prototype.set = function (this: HighlightRegistry, name: string, highlight: Highlight) {
    const result = realSet.call(this, name, highlight);
    check(highlight.size);
    return result;
  };
  const timers = timeLensWork();
  try {
    const reported = new Promise<void>((resolve) => {
      sink.onSend = () => resolve();
    });
    lens = new Lens(lexicon);
    lens.applySettings(await currentSettings());
    await reported;
    sink.onSend = () => undefined;
    let total = lens.marked().length;
    const feed = document.getElementById('feed')!;
    observerCallbacks = 0;
    timers.pieces.length = 0;
    const started = performance.now();
    for (let i = 0; i < batches.length; i++) {
      const due = started + i * intervalMs;
      if (performance.now() < due) await sleep(due - performance.now());
      total += counts[i]!;
      targets.push(total);
      appendedAt.push(performance.now());
      feed.insertAdjacentHTML('beforeend', batches[i]!);
    }
    const waitUntil = performance.now() + 10_000;
    while (next < batches.length && performance.now() < waitUntil) await sleep(20);
    const ended = performance.now();
    const callbacks = observerCallbacks;
    const pieces = [...timers.pieces];
    await sleep(1000);
    return {
      latencies: markedAt.map((t, i) => (t === null ? null : t - appendedAt[i]!)),
      observerCallbacks: callbacks,
      callbacksWhenIdle: observerCallbacks - callbacks,
      longestSliceMs: Math.max(0, ...pieces),
      busyMs: pieces.reduce((a, b) => a + b, 0),
      mentions: lens.marked().map((m) => ({ entityId: m.entityId, text: m.text })),
      work: await longWork(started, ended),
    };
  } finally {
    timers.restore();
    Highlight.prototype.add = realAdd;
    HighlightRegistry.prototype.set = realSet;
    sink.onSend = () => undefined;
  }
}

/** Keeps the Lens of the last run (and its ranges) alive, for the heap figure. */
function mentionCount(): number {
  return lens?.mentions.length ?? 0;
}

const api = { floor, ours, markjs, resetBody, live, stopLens, mentionCount };
export type BenchApi = typeof api;
(window as unknown as { __bench: BenchApi }).__bench = api;
