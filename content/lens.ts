/**
 * The content script's controller: scans the page in time slices, keeps the mentions current as the
 * page changes (MutationObserver), marks them with highlights, applies the user's settings live,
 * and reports the frame's mentions to the service worker whenever they change.
 */
import * as z from 'zod/mini';
import browser from 'webextension-polyfill';
import { Matcher } from '../src/matcher';
import { Lexicon } from '../src/kb/schema';
import { isEntityTracked, isSiteDisabled, readSettings, DEFAULT_SETTINGS, type Settings } from '../src/settings';
import { listen, send, type ReportedMention } from '../src/messages';
import lexiconData from '../src/generated/lexicon.json';
import { TextScan, blockOf, hasAncestorIn, isBlockElement, type PageMention } from './scan';
import { comparePoints } from './order';
import { HIGHLIGHT_NAMES, addToHighlight, clearHighlights, isHighlightRegistered, setHighlight } from './highlights';

/** Work per slice before yielding to the page, ms. Keeps every task well under 50 ms. */
const SLICE_MS = 8;
/** Pause after a slice that used its whole budget, ms: the page's own tasks run in between. */
const BUSY_PAUSE_MS = 2;
/**
 * Longest time new marks wait during a long scan, ms. Every change to a highlight costs the browser
 * a repaint that grows with the page (about 50 ms on a 5 MB page), so marks are applied when the
 * work queue drains, or at most this often while it does not.
 */
const MARK_FLUSH_MS = 250;
/** Minimum time between two reports to the service worker, ms. */
const REPORT_GAP_MS = 100;
const OBSERVE: MutationObserverInit = {
  childList: true,
  characterData: true,
  subtree: true,
  attributes: true,
  attributeFilter: ['hidden', 'contenteditable', 'role', 'class', 'style', 'open'],
};
/** Attributes whose change can change what is read, not only what is visible. */
const STRUCTURAL_ATTRIBUTES = new Set(['hidden', 'contenteditable', 'role']);

interface Work {
  step(deadline: number): boolean;
}

/** Everything the content script of one frame knows. */
export class Lens {
  readonly matcher: Matcher;
  private readonly topicsOf: Map<string, readonly string[]>;
  settings: Settings = { ...DEFAULT_SETTINGS };
  /** Every mention found and visible, in composed document order. */
  mentions: PageMention[] = [];
  /** Mentions found in text that is not rendered; rechecked when styles change. */
  private hiddenMentions: PageMention[] = [];
  private readonly queue: Work[] = [];
  /** Blocks whose text changed: their mentions are dropped and they are read again. */
  private readonly changed = new Set<Node>();
  /** Blocks added to the page: read, nothing to drop. */
  private readonly fresh = new Set<Node>();
  /** Whether nodes were removed since the last batch (their mentions must go). */
  private removedSomething = false;
  private readonly visibilityTargets = new Set<Element>();
  private observer: MutationObserver | null = null;
  private readonly shadowRoots = new Set<ShadowRoot>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running = false;
  private lastReport = '';
  private lastReportAt = 0;
  private reportTimer: ReturnType<typeof setTimeout> | null = null;
  /** The highlight must be rebuilt from `mentions` (mentions were removed, or settings changed). */
  private highlightDirty = false;
  /** Ranges found since the marks were last applied. */
  private pendingMarks: StaticRange[] = [];
  private lastMarkFlush = 0;
  /** Called after the marked mentions change (the hover module listens). */
  onChange: (() => void) | null = null;
  /** The extension's own card host, never read. */
  ownHost: Element | null = null;

  constructor(lexicon: Lexicon) {
    this.matcher = new Matcher(lexicon);
    this.topicsOf = new Map(lexicon.map((e) => [e.id, e.topics]));
  }

  /** Whether an entity is marked under the current settings. */
  isTracked(entityId: string): boolean {
    return isEntityTracked(this.topicsOf.get(entityId) ?? [], this.settings);
  }

  /** The mentions currently marked (tracked entities), in document order. */
  marked(): PageMention[] {
    return this.mentions.filter((m) => this.isTracked(m.entityId));
  }

  /** Whether any mention is marked, without building the list (for per-frame pointer handling). */
  hasMarked(): boolean {
    return this.mentions.some((m) => this.isTracked(m.entityId));
  }

  /** The open shadow roots met so far (for hit-testing inside them). */
  knownShadowRoots(): ShadowRoot[] {
    return [...this.shadowRoots].filter((r) => r.host.isConnected);
  }

  /** Whether the extension is switched off on this frame's site. */
  isDisabled(): boolean {
    return isSiteDisabled(location.hostname, this.settings.disabledSites);
  }

  /** Starts reading the page and watching it. Idempotent. */
  start(): void {
    if (this.running || this.isDisabled()) return;
    this.running = true;
    this.observer = new MutationObserver((records) => this.onMutations(records));
    this.observer.observe(document, OBSERVE);
    this.queue.push(this.newScan(document));
    this.schedule(0);
  }

  /** Stops all work and removes every mark (site disabled). */
  stop(): void {
    this.running = false;
    this.observer?.disconnect();
    this.observer = null;
    this.shadowRoots.clear();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.queue.length = 0;
    this.changed.clear();
    this.fresh.clear();
    this.removedSomething = false;
    this.visibilityTargets.clear();
    this.mentions = [];
    this.hiddenMentions = [];
    // Ranges found before the stop must not come back as marks after a restart.
    this.pendingMarks = [];
    this.highlightDirty = false;
    clearHighlights();
    this.onChange?.();
    this.report();
  }

  /** Applies new settings: start or stop for the site, re-mark for topics and style. */
  applySettings(settings: Settings): void {
    const previous = this.settings;
    this.settings = settings;
    if (this.isDisabled()) {
      if (this.running) this.stop();
      else this.report();
      return;
    }
    if (!this.running) {
      this.start();
      return;
    }
    if (previous.underline !== settings.underline) setHighlight(HIGHLIGHT_NAMES[previous.underline], []);
    this.highlightDirty = true;
    this.refreshMarks();
    this.report();
  }

  private newScan(roots: Node | Node[]): TextScan {
    return new TextScan(
      roots,
      this.matcher,
      this.ownHost,
      (mention) => this.addMention(mention),
      (shadow) => {
        if (!this.shadowRoots.has(shadow)) {
          this.shadowRoots.add(shadow);
          this.observer?.observe(shadow, OBSERVE);
        }
      },
    );
  }

  private visibleCache = new Map<Element, boolean>();

  private isRendered(node: Text): boolean {
    const el = node.parentElement ?? (node.parentNode instanceof ShadowRoot ? node.parentNode.host : null);
    if (!el) return false;
    let visible = this.visibleCache.get(el);
    if (visible === undefined) {
      visible = typeof el.checkVisibility === 'function' ? el.checkVisibility({ visibilityProperty: true } as CheckVisibilityOptions) : true;
      this.visibleCache.set(el, visible);
    }
    return visible;
  }

  private addMention(mention: PageMention): void {
    if (!this.isRendered(mention.node)) {
      this.hiddenMentions.push(mention);
      return;
    }
    this.insertSorted(mention);
  }

  private static compare(a: PageMention, b: PageMention): number {
    return comparePoints(a.range.startContainer, a.range.startOffset, b.range.startContainer, b.range.startOffset);
  }

  private insertSorted(mention: PageMention): void {
    const list = this.mentions;
    const last = list[list.length - 1];
    let index = list.length;
    if (last && Lens.compare(last, mention) >= 0) {
      let lo = 0;
      let hi = list.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (Lens.compare(list[mid]!, mention) < 0) lo = mid + 1;
        else hi = mid;
      }
      index = lo;
      const same = list[lo];
      if (same && same.entityId === mention.entityId && Lens.compare(same, mention) === 0) return;
    }
    list.splice(index, 0, mention);
    if (this.isTracked(mention.entityId)) this.pendingMarks.push(mention.range);
  }

  private onMutations(records: MutationRecord[]): void {
    for (const record of records) {
      const target = record.target;
      if (this.ownHost && (target === this.ownHost || this.isOwnHostRecord(record))) continue;
      if (record.type === 'attributes') {
        if (STRUCTURAL_ATTRIBUTES.has(record.attributeName ?? '')) this.changed.add(blockOf(target));
        else this.visibilityTargets.add(target as Element);
        continue;
      }
      if (record.type === 'characterData') {
        this.changed.add(blockOf(target));
        continue;
      }
      // childList: an added block stands alone (nothing of ours is inside it yet); added or removed
      // inline content changes the run of the block around it.
      if (record.removedNodes.length > 0) {
        this.removedSomething = true;
        for (const node of record.removedNodes) {
          if (!isBlockElement(node)) {
            this.changed.add(blockOf(target));
            break;
          }
        }
      }
      for (const node of record.addedNodes) {
        if (isBlockElement(node)) this.fresh.add(node);
        else this.changed.add(target.nodeType === Node.ELEMENT_NODE ? blockOf(target) : target);
      }
    }
    if (!this.hasDirt()) return;
    // Right away, in this microtask, before the page renders: new text is marked in the same frame.
    // The slice budget still bounds the work; what is left goes on in later tasks.
    if (this.timer === null && this.queue.length === 0 && !this.working) this.work();
    else this.schedule(0);
  }

  private isOwnHostRecord(record: MutationRecord): boolean {
    const host = this.ownHost;
    if (record.type !== 'childList' || !host) return false;
    const nodes = [...record.addedNodes, ...record.removedNodes];
    return nodes.length > 0 && nodes.every((n) => n === host);
  }

  /**
   * Turns changed nodes into rescans: drops the mentions inside changed blocks and in removed
   * text, then reads the changed blocks and the added blocks again. Costs O(roots × depth +
   * mentions × depth) per batch, never roots × mentions.
   */
  private processDirty(): void {
    const changed = [...this.changed].filter((n) => n.isConnected);
    const roots = new Set([...changed, ...[...this.fresh].filter((n) => n.isConnected)]);
    const mustPurge = changed.length > 0 || this.removedSomething;
    this.changed.clear();
    this.fresh.clear();
    this.removedSomething = false;
    const minimal = [...roots].filter((r) => !hasAncestorIn(r, roots));
    if (mustPurge) {
      const changedSet = new Set(changed);
      const stale = (m: PageMention) => !m.node.isConnected || (changedSet.size > 0 && (changedSet.has(m.node) || hasAncestorIn(m.node, changedSet)));
      const before = this.mentions.length;
      this.mentions = this.mentions.filter((m) => !stale(m));
      this.hiddenMentions = this.hiddenMentions.filter((m) => !stale(m));
      if (this.mentions.length !== before) this.highlightDirty = true;
    }
    // One scan for all of them (skipped regions are left out by the scan).
    if (minimal.length > 0) this.queue.push(this.newScan(minimal));
  }

  /** Rechecks whether mentions inside elements whose class/style changed are rendered. */
  private processVisibility(): void {
    const targets = [...this.visibilityTargets];
    this.visibilityTargets.clear();
    const affected = (m: PageMention) => targets.length > 64 || targets.some((t) => t.contains(m.node));
    const nowHidden: PageMention[] = [];
    this.mentions = this.mentions.filter((m) => {
      if (!affected(m) || this.isRendered(m.node)) return true;
      nowHidden.push(m);
      return false;
    });
    const stillHidden: PageMention[] = [];
    for (const m of this.hiddenMentions) {
      if (m.node.isConnected && affected(m) && this.isRendered(m.node)) this.insertSorted(m);
      else if (m.node.isConnected) stillHidden.push(m);
    }
    this.hiddenMentions = stillHidden.concat(nowHidden);
    if (nowHidden.length > 0) this.highlightDirty = true;
  }

  /** Whether text was added, changed or removed since the last batch. */
  private hasTextDirt(): boolean {
    return this.changed.size > 0 || this.fresh.size > 0 || this.removedSomething;
  }

  private hasDirt(): boolean {
    return this.hasTextDirt() || this.visibilityTargets.size > 0;
  }

  private schedule(delay: number): void {
    if (this.timer !== null || !this.running) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.work();
    }, delay);
  }

  private working = false;

  private work(): void {
    if (!this.running || this.working) return;
    this.working = true;
    try {
      this.workSlice();
    } finally {
      this.working = false;
    }
  }

  private workSlice(): void {
    const started = performance.now();
    const deadline = started + SLICE_MS;
    this.visibleCache.clear();
    this.ensureMarks();
    if (this.hasTextDirt()) this.processDirty();
    if (this.visibilityTargets.size > 0) this.processVisibility();
    while (this.queue.length > 0 && performance.now() < deadline) {
      if (!this.queue[0]!.step(deadline)) break;
      this.queue.shift();
    }
    const more = this.queue.length > 0 || this.hasDirt();
    if (!more || performance.now() - this.lastMarkFlush >= MARK_FLUSH_MS) this.refreshMarks();
    if (more) {
      this.schedule(performance.now() - started >= SLICE_MS ? BUSY_PAUSE_MS : 0);
    } else {
      this.report();
    }
  }

  /**
   * Registers the marks again when the page took them out of the document's highlight registry it
   * shares with us (`CSS.highlights.clear()`, `.delete()`, or emptying our highlight). Cheap when
   * nothing is missing: one registry look-up.
   */
  ensureMarks(): void {
    if (!this.running || isHighlightRegistered(HIGHLIGHT_NAMES[this.settings.underline])) return;
    if (this.marked().length === 0) return;
    this.highlightDirty = true;
    this.refreshMarks();
  }

  /** Applies the marks: adds the ranges found since last time, or rebuilds the highlight when mentions went away or settings changed. */
  private refreshMarks(): void {
    this.lastMarkFlush = performance.now();
    const name = HIGHLIGHT_NAMES[this.settings.underline];
    if (this.highlightDirty) {
      this.highlightDirty = false;
      this.pendingMarks = [];
      setHighlight(name, this.marked().map((m) => m.range));
      this.onChange?.();
    } else if (this.pendingMarks.length > 0) {
      addToHighlight(name, this.pendingMarks);
      this.pendingMarks = [];
      this.onChange?.();
    }
  }

  /** Sends this frame's marked mentions to the service worker when they (or the URL) changed. */
  report(): void {
    const disabled = this.isDisabled();
    const mentions: ReportedMention[] = disabled ? [] : this.marked().map((m) => ({ entityId: m.entityId, text: m.text }));
    const payload = { type: 'mentions-changed' as const, url: location.href, title: document.title, mentions, disabled };
    const key = JSON.stringify(payload);
    if (key === this.lastReport) return;
    const wait = this.lastReportAt + REPORT_GAP_MS - Date.now();
    if (wait > 0) {
      if (!this.reportTimer) this.reportTimer = setTimeout(() => ((this.reportTimer = null), this.report()), wait);
      return;
    }
    this.lastReport = key;
    this.lastReportAt = Date.now();
    this.onChange?.();
    send(payload).catch(() => undefined);
  }

  /** Forgets the last report so the next one is sent (after a page comes back from the back/forward cache). */
  resetReport(): void {
    this.lastReport = '';
  }
}

/** Reads settings from `storage.sync`, never throwing (defaults on any problem). */
export async function currentSettings(): Promise<Settings> {
  try {
    return readSettings(await browser.storage.sync.get(null)).settings;
  } catch {
    return { ...DEFAULT_SETTINGS };
  }
}

/** The lexicon bundled with the content script, validated. */
export function bundledLexicon(): Lexicon {
  return z.parse(Lexicon, lexiconData);
}

export { listen };
