/**
 * Reads a page's text as the reader sees it and finds mentions in it, without changing the page.
 *
 * A `TextScan` walks a subtree (descending into open shadow roots at their host's position) and
 * joins consecutive text nodes of the same block into one run, so a name split across inline
 * elements (`<a>Steve</a> Witkoff`) is one mention; block boundaries, line breaks and replaced
 * elements separate runs. Soft hyphens and zero-width characters are dropped from the run (with an
 * offset map back to the text nodes). Skipped: form fields, editable regions, scripts, styles,
 * templates, `hidden` subtrees and the extension's own UI. The scan is resumable: `step(deadline)`
 * does work until `deadline` (a `performance.now()` time, ms) and says whether it has finished.
 */
import { HAS_INVISIBLE, INVISIBLE, type Matcher } from '../src/matcher';

/** Elements whose content is never read. */
const SKIPPED = new Set([
  'script', 'style', 'noscript', 'template', 'textarea', 'input', 'select', 'option', 'optgroup', 'datalist',
  'iframe', 'frame', 'object', 'embed', 'canvas', 'video', 'audio', 'head', 'math',
]);
/** Skipped elements that do not separate the text around them (they take no room on the page). */
const INVISIBLE_SKIPPED = new Set(['script', 'style', 'noscript', 'template', 'head']);
/** Elements that start a new block of text. Anything else is inline (custom elements too, as browsers do). */
const BLOCKS = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'caption', 'dd', 'details', 'dialog', 'div', 'dl', 'dt',
  'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup',
  'hr', 'html', 'legend', 'li', 'main', 'menu', 'nav', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'tbody',
  'td', 'tfoot', 'th', 'thead', 'tr', 'ul', 'center', 'listing', 'plaintext', 'xmp', 'frameset', 'button',
  'svg', 'text', 'foreignobject', 'desc', 'title',
]);
/** Inline elements that still break a run (a line break, or something replaced on screen). */
const BREAKS = new Set(['br', 'img', 'wbr', 'picture', 'meter', 'progress']);

/** Runs longer than this are matched in windows, checking the deadline between windows. Characters. */
const WINDOW = 1 << 15;

/**
 * A mention found on the page: entity, a `StaticRange` over its text (static ranges cost the page
 * nothing when its DOM changes; the observer rescans changed text), and the text as it reads.
 */
export interface PageMention {
  entityId: string;
  range: StaticRange;
  text: string;
  /** The block element (or shadow root, or document) whose run holds the mention. */
  block: Node;
  /** The text node the mention starts in. */
  node: Text;
}

/**
 * A live `Range` over a mention, for geometry (`getClientRects`) and hit-testing.
 * @returns null when the text changed so that the mention's offsets no longer fit.
 */
export function liveRange(mention: PageMention): Range | null {
  const r = mention.range;
  try {
    const range = mention.node.ownerDocument.createRange();
    range.setStart(r.startContainer, r.startOffset);
    range.setEnd(r.endContainer, r.endOffset);
    return range;
  } catch {
    return null;
  }
}

/** A run of text being read: its text nodes, where each starts in `text`, and offset maps for cleaned nodes. */
interface Run {
  block: Node;
  nodes: Text[];
  starts: number[];
  /** For a node whose invisible characters were dropped: cleaned index → original offset. */
  maps: (Uint32Array | null)[];
  text: string;
  /** How far matching has got, in characters of `text`. */
  cursor: number;
  /** Matching must not start before this (end of the last mention). */
  minStart: number;
}

/** The element (or root) a node's text belongs to as a block. */
export function blockOf(node: Node, cache?: Map<Node, Node>): Node {
  let current: Node | null = node.nodeType === Node.TEXT_NODE ? node.parentNode : node;
  // Most text sits right in its block (<p>text</p>): answer without touching the cache.
  if (current && (current.nodeType !== Node.ELEMENT_NODE || BLOCKS.has((current as Element).localName))) return current;
  const path: Node[] = [];
  let result: Node | null = null;
  while (current) {
    const cached = cache?.get(current);
    if (cached) {
      result = cached;
      break;
    }
    if (current.nodeType !== Node.ELEMENT_NODE || BLOCKS.has((current as Element).localName)) {
      result = current;
      break;
    }
    path.push(current);
    current = current.parentNode;
  }
  result ??= node.getRootNode();
  if (cache) for (const n of path) cache.set(n, result);
  return result;
}

/** Whether a node is an element that starts its own block of text. */
export function isBlockElement(node: Node): boolean {
  return node.nodeType === Node.ELEMENT_NODE && BLOCKS.has((node as Element).localName);
}

/** Whether a proper ancestor of `node` (across shadow boundaries, via the host) is in `set`. */
export function hasAncestorIn(node: Node, set: ReadonlySet<Node>): boolean {
  let current: Node | null = node.parentNode ?? (node instanceof ShadowRoot ? node.host : null);
  while (current) {
    if (set.has(current)) return true;
    current = current.parentNode ?? (current instanceof ShadowRoot ? current.host : null);
  }
  return false;
}

/** Whether an element's subtree is never read (skipped tag, editable, hidden attribute, or the extension's own UI). */
export function isSkipped(el: Element, ownHost: Element | null): boolean {
  if (SKIPPED.has(el.localName) || el === ownHost) return true;
  if (el.hasAttribute('hidden') || el.getAttribute('role') === 'textbox') return true;
  const editable = el.getAttribute('contenteditable');
  return editable !== null && editable !== 'false';
}

/** Whether any ancestor (across shadow boundaries) of a node is skipped, or the document is in design mode. */
export function isInSkippedRegion(node: Node, ownHost: Element | null): boolean {
  if (node.ownerDocument?.designMode === 'on') return true;
  let current: Node | null = node.nodeType === Node.ELEMENT_NODE ? node : node.parentNode;
  while (current) {
    if (current.nodeType === Node.ELEMENT_NODE && isSkipped(current as Element, ownHost)) return true;
    current = current.parentNode ?? (current instanceof ShadowRoot ? current.host : null);
  }
  return false;
}

/** Moves a walker past its current node's subtree; returns the node it lands on, or null at the end. */
function nextAfterSubtree(walker: TreeWalker): Node | null {
  for (;;) {
    const sibling = walker.nextSibling();
    if (sibling) return sibling;
    if (!walker.parentNode()) return null;
  }
}

/** A resumable scan of one subtree. */
export class TextScan {
  private readonly walkers: TreeWalker[] = [];
  private run: Run | null = null;
  private readonly pending: Run[] = [];
  private readonly blockCache = new Map<Node, Node>();
  private lastParent: Node | null = null;
  private lastBlock: Node | null = null;
  private done = false;
  /** The walker whose current element's subtree is to be skipped. */
  private skipped: TreeWalker | null = null;

  /**
   * @param roots subtrees to read (elements, shadow roots or a document), in document order.
   * @param matcher compiled from the lexicon.
   * @param ownHost the extension's card host, never read.
   * @param onMention called for each mention, in document order (shadow content at its host).
   * @param onShadowRoot called for each open shadow root met, so the caller can observe it.
   */
  constructor(
    roots: Node | readonly Node[],
    private readonly matcher: Matcher,
    private readonly ownHost: Element | null,
    private readonly onMention: (mention: PageMention) => void,
    private readonly onShadowRoot: (root: ShadowRoot) => void,
  ) {
    const list = Array.isArray(roots) ? roots : [roots as Node];
    // Walkers form a stack: push the last root first so the first is read first.
    const skippedParents = new Map<Node, boolean>();
    for (let i = list.length - 1; i >= 0; i--) {
      const root = list[i]!;
      const doc = root.ownerDocument ?? (root as Document);
      if (doc.designMode === 'on') continue;
      if (root.nodeType === Node.ELEMENT_NODE) {
        if (isSkipped(root as Element, ownHost)) continue;
        const parent = root.parentNode;
        if (parent) {
          let skipped = skippedParents.get(parent);
          if (skipped === undefined) skippedParents.set(parent, (skipped = isInSkippedRegion(parent, ownHost)));
          if (skipped) continue;
        }
      }
      this.walkers.push(doc.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT));
      if (root instanceof ShadowRoot) this.onShadowRoot(root);
    }
    if (this.walkers.length === 0) this.done = true;
  }

  /**
   * Reads and matches until `deadline` (ms, `performance.now()` clock).
   * @returns true when the whole subtree has been read and matched.
   */
  step(deadline: number): boolean {
    let budgetCheck = 0;
    while (!this.done) {
      if (this.pending.length > 0) {
        if (!this.matchRun(this.pending[0]!, deadline)) return false;
        this.pending.shift();
        continue;
      }
      const walker = this.walkers[this.walkers.length - 1];
      if (!walker) {
        this.flush();
        if (this.pending.length === 0) this.done = true;
        continue;
      }
      const node = this.skipped === walker ? nextAfterSubtree(walker) : walker.nextNode();
      this.skipped = null;
      if (!node) {
        this.flush();
        this.walkers.pop();
        continue;
      }
      if (node.nodeType === Node.TEXT_NODE) this.addText(node as Text);
      else if (!this.enterElement(node as Element)) this.skipped = walker;
      if ((++budgetCheck & 255) === 0 && performance.now() > deadline) return false;
    }
    return true;
  }

  /** Handles an element; returns false when its subtree is skipped (the walker then sits on the node after it). */
  private enterElement(el: Element): boolean {
    const tag = el.localName;
    if (isSkipped(el, this.ownHost)) {
      if (!INVISIBLE_SKIPPED.has(tag)) this.flush();
      return false;
    }
    if (BLOCKS.has(tag) || BREAKS.has(tag)) this.flush();
    const shadow = el.shadowRoot;
    if (shadow) {
      this.flush();
      this.onShadowRoot(shadow);
      // Read the shadow tree now, at the host's position, then carry on with the host's children.
      this.walkers.push(el.ownerDocument.createTreeWalker(shadow, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT));
      this.lastParent = null;
    }
    return true;
  }

  private addText(node: Text): void {
    const parent = node.parentNode;
    let block: Node;
    if (parent === this.lastParent && this.lastBlock) block = this.lastBlock;
    else {
      block = parent ? blockOf(node, this.blockCache) : node;
      this.lastParent = parent;
      this.lastBlock = block;
    }
    let run = this.run;
    if (run && run.block !== block) {
      this.flush();
      run = null;
    }
    if (!run) run = this.run = { block, nodes: [], starts: [], maps: [], text: '', cursor: 0, minStart: 0 };
    let data = node.data;
    let map: Uint32Array | null = null;
    if (HAS_INVISIBLE.test(data)) {
      map = new Uint32Array(data.length + 1);
      let j = 0;
      for (let i = 0; i < data.length; i++) if (!HAS_INVISIBLE.test(data[i]!)) map[j++] = i;
      map[j] = data.length;
      data = data.replace(INVISIBLE, '');
    }
    run.nodes.push(node);
    run.starts.push(run.text.length);
    run.maps.push(map);
    run.text = run.text.length === 0 ? data : run.text + data;
  }

  private flush(): void {
    const run = this.run;
    if (!run) return;
    this.run = null;
    if (run.text.length < 2) return;
    // Short runs (nearly all) are matched at once; long ones go to the queue, matched window by window.
    if (run.text.length <= WINDOW) this.matchRun(run, Infinity);
    else this.pending.push(run);
  }

  /** Matches one run, window by window, until done (true) or past the deadline (false). */
  private matchRun(run: Run, deadline: number): boolean {
    const text = run.text;
    while (run.cursor < text.length) {
      const to = Math.min(text.length, run.cursor + WINDOW);
      for (const m of this.matcher.find(text, Math.max(run.cursor, run.minStart), to)) {
        const mention = this.toMention(run, m.entityId, m.start, m.end);
        if (mention) this.onMention(mention);
        run.minStart = m.end;
      }
      run.cursor = to;
      if (run.cursor < text.length && performance.now() > deadline) return false;
    }
    return true;
  }

  private locate(run: Run, index: number, isEnd: boolean): [Text, number] {
    // Last node starting at or before index (for an end, strictly before unless at 0).
    let lo = 0;
    let hi = run.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      const start = run.starts[mid]!;
      if (start < index || (!isEnd && start === index)) lo = mid;
      else hi = mid - 1;
    }
    const offset = index - run.starts[lo]!;
    const map = run.maps[lo];
    return [run.nodes[lo]!, map ? map[offset]! : offset];
  }

  private toMention(run: Run, entityId: string, start: number, end: number): PageMention | null {
    const [startNode, startOffset] = this.locate(run, start, false);
    const [endNode, endOffset] = this.locate(run, end, true);
    // The text changed under the scan: the observer will rescan it.
    if (!startNode.isConnected || !endNode.isConnected || startOffset > startNode.length || endOffset > endNode.length) return null;
    const range = new StaticRange({ startContainer: startNode, startOffset, endContainer: endNode, endOffset });
    return { entityId, range, text: run.text.slice(start, end), block: run.block, node: startNode };
  }
}
