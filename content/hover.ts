/**
 * Hover cards: maps the pointer to the mention under it, opens the card after the pointer rests
 * (intent delay from settings, 500 ms by default, as Wikipedia's Page Previews do), keeps it open
 * while the pointer moves into it, closes it after a 300 ms grace. `Escape` closes. The keyboard
 * command opens the card of the mention at or after the selection, then the next on repeat.
 */
import { send, type EntityCard } from '../src/messages';
import { CardHost } from './card';
import type { Lens } from './lens';
import { liveRange, type PageMention } from './scan';
import { HIGHLIGHT_NAMES, rangesAtPoint, setHighlight } from './highlights';
import { comparePoints } from './order';

/** Grace before a card closes after the pointer leaves the mention and the card, ms. */
const CLOSE_GRACE_MS = 300;
/** How long the popup's "flash" highlight stays, ms. */
const FLASH_MS = 1500;

type CaretDocument = Document & {
  caretPositionFromPoint?: (x: number, y: number, options?: { shadowRoots?: ShadowRoot[] }) => { offsetNode: Node; offset: number } | null;
  caretRangeFromPoint?: (x: number, y: number) => Range | null;
};

/** The mention (of a marked entity) under a viewport point, or null. */
export function mentionAtPoint(lens: Lens, x: number, y: number): PageMention | null {
  // Pointer moves run this every frame: filter the mentions only when something is under the pointer.
  const ranges = rangesAtPoint(x, y, HIGHLIGHT_NAMES[lens.settings.underline]);
  if (ranges) {
    if (ranges.length === 0) return null;
    return lens.marked().find((m) => ranges.includes(m.range)) ?? null;
  }
  const marked = lens.marked();
  const doc = document as CaretDocument;
  let node: Node | null = null;
  let offset = 0;
  const position = doc.caretPositionFromPoint?.(x, y, { shadowRoots: lens.knownShadowRoots() });
  if (position) {
    node = position.offsetNode;
    offset = position.offset;
  } else {
    const range = doc.caretRangeFromPoint?.(x, y);
    if (range) {
      node = range.startContainer;
      offset = range.startOffset;
    }
  }
  if (!node || node.nodeType !== Node.TEXT_NODE) return null;
  for (const m of marked) {
    const live: Range | null = m.node === node || m.range.endContainer === node ? liveRange(m) : null;
    if (!live) continue;
    try {
      if (!live.isPointInRange(node, offset)) continue;
    } catch {
      continue; // a point in another tree
    }
    for (const rect of live.getClientRects()) {
      if (x >= rect.left && x <= rect.right && y >= rect.top && y <= rect.bottom) return m;
    }
  }
  return null;
}

/** Elements whose content is another document: the pointer over them is the other document's. */
const FRAME_TAGS = new Set(['iframe', 'frame', 'object', 'embed']);

/** A site's own hover cards and tooltips: while one is shown, the extension opens none of its own. */
const SITE_CARD_SELECTOR = '[role="tooltip"], [popover]:popover-open';

/**
 * Whether the page shows a hover card or tooltip of its own in the viewport (an element matching
 * `SITE_CARD_SELECTOR` that is rendered), other than the extension's.
 */
export function siteCardShown(ownHost: Element | null): boolean {
  let candidates: NodeListOf<Element>;
  try {
    candidates = document.querySelectorAll(SITE_CARD_SELECTOR);
  } catch {
    return false; // a browser without :popover-open
  }
  for (const el of candidates) {
    if (el === ownHost || (typeof el.checkVisibility === 'function' && !el.checkVisibility({ opacityProperty: true, visibilityProperty: true } as CheckVisibilityOptions))) continue;
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth) return true;
  }
  return false;
}

/** The part of a mention's range the pointer is on (a name broken over two lines has two boxes). */
function anchorRect(mention: PageMention, x?: number, y?: number): DOMRect {
  const range = liveRange(mention);
  const rects = range ? [...range.getClientRects()] : [];
  const hit = x === undefined ? undefined : rects.find((r) => x >= r.left && x <= r.right && y! >= r.top && y! <= r.bottom);
  return hit ?? rects[0] ?? range?.getBoundingClientRect() ?? new DOMRect();
}

/** Wires pointer, keyboard and message events of one frame to its lens and card. */
export class HoverCards {
  private card: CardHost | null = null;
  private current: PageMention | null = null;
  private candidate: PageMention | null = null;
  private openTimer: ReturnType<typeof setTimeout> | null = null;
  private closeTimer: ReturnType<typeof setTimeout> | null = null;
  private frame = 0;
  private lastPointer: { x: number; y: number; alt: boolean } | null = null;
  private readonly cache = new Map<string, EntityCard>();
  private restoreFocus: Element | null = null;
  private readonly flashCursor = new Map<string, number>();

  constructor(private readonly lens: Lens) {}

  /** Starts listening to the page (passive listeners; nothing is prevented). */
  attach(): void {
    addEventListener('pointermove', this.onPointerMove, { passive: true, capture: true });
    addEventListener('keydown', this.onKeyDown, { capture: true });
    addEventListener('scroll', this.onScroll, { passive: true, capture: true });
    addEventListener('pointerout', this.onPointerOut, { passive: true, capture: true });
  }

  /**
   * The pointer left this document (out of the window, or into a frame, whose document gets the
   * events from then on): a pending card is not opened and an open one closes after the grace, so
   * two frames never show a card at once.
   */
  private readonly onPointerOut = (event: PointerEvent): void => {
    const to = event.relatedTarget as Element | null;
    if (to && !FRAME_TAGS.has(to.localName)) return;
    this.lastPointer = null;
    this.candidate = null;
    if (this.openTimer) clearTimeout(this.openTimer);
    this.openTimer = null;
    if (this.card?.isOpen && !this.card.element.matches(':focus-within')) this.scheduleClose();
  };

  private readonly onPointerMove = (event: PointerEvent): void => {
    if (event.pointerType === 'touch') return;
    this.lastPointer = { x: event.clientX, y: event.clientY, alt: event.altKey };
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.track();
    });
  };

  private readonly onScroll = (): void => {
    if (this.card?.isOpen && !this.card.element.matches(':focus-within')) this.close();
  };

  private readonly onKeyDown = (event: KeyboardEvent): void => {
    if (event.key === 'Escape' && this.card?.isOpen) this.close();
  };

  private track(): void {
    const p = this.lastPointer;
    if (!p) return;
    this.lens.ensureMarks();
    if (!this.lens.hasMarked() && !this.card?.isOpen) return;
    if (this.card?.contains(p.x, p.y)) {
      this.cancelClose();
      return;
    }
    // Never two cards at once: the site's own card wins over a card opened by hovering.
    if (this.card?.isOpen && !this.restoreFocus && siteCardShown(this.card.host)) {
      this.close();
      return;
    }
    const mention = mentionAtPoint(this.lens, p.x, p.y);
    if (mention && mention === this.current) {
      this.cancelClose();
      return;
    }
    if (mention !== this.candidate) {
      this.candidate = mention;
      if (this.openTimer) clearTimeout(this.openTimer);
      this.openTimer = null;
      if (mention && (this.lens.settings.cardTrigger === 'hover' || p.alt)) {
        this.openTimer = setTimeout(() => {
          this.openTimer = null;
          if (this.candidate === mention && !siteCardShown(this.card?.host ?? null)) this.open(mention, false);
        }, this.lens.settings.hoverDelayMs);
      }
    }
    if (!mention && this.card?.isOpen) this.scheduleClose();
  }

  private cancelClose(): void {
    if (this.closeTimer) clearTimeout(this.closeTimer);
    this.closeTimer = null;
  }

  private scheduleClose(): void {
    if (this.closeTimer) return;
    this.closeTimer = setTimeout(() => {
      this.closeTimer = null;
      this.close();
    }, CLOSE_GRACE_MS);
  }

  /** Opens the card of a mention (not in SVG/XML documents, where it could not render). With `focus`, the card takes keyboard focus (keyboard command). */
  open(mention: PageMention, focus: boolean): void {
    // An SVG or other XML document renders no HTML element at its root: no card there (marks stay).
    if (!(document.documentElement instanceof HTMLElement)) return;
    this.cancelClose();
    this.current = mention;
    this.card ??= new CardHost(document);
    this.lens.ownHost = this.card.host;
    setHighlight(HIGHLIGHT_NAMES.active, [mention.range]);
    const rect = anchorRect(mention, this.lastPointer?.x, this.lastPointer?.y);
    const props = { card: this.cache.get(mention.entityId) ?? null, error: null as string | null, onClose: () => this.close(), onOpenBriefing: () => void send({ type: 'open-briefing', entityId: mention.entityId }).catch(() => undefined) };
    this.card.show(props, { anchor: { left: rect.left, top: rect.top, right: rect.right, bottom: rect.bottom } });
    if (focus) {
      this.restoreFocus = document.activeElement;
      this.card.element.focus({ preventScroll: true });
    }
    if (!props.card) {
      send({ type: 'entity-card', entityId: mention.entityId })
        .then((card) => {
          this.cache.set(mention.entityId, card);
          if (this.current === mention) this.card?.update({ ...props, card });
        })
        .catch((error: unknown) => {
          if (this.current === mention) this.card?.update({ ...props, error: `Card unavailable: ${(error as Error).message}` });
        });
    }
  }

  /** Closes the card. */
  close(): void {
    this.cancelClose();
    const hadFocus = this.card?.element.matches(':focus-within') ?? false;
    this.card?.hide();
    this.current = null;
    this.candidate = null;
    setHighlight(HIGHLIGHT_NAMES.active, []);
    if (hadFocus && this.restoreFocus instanceof HTMLElement) this.restoreFocus.focus({ preventScroll: true });
    this.restoreFocus = null;
  }

  /** Whether a card is open, and for which entity. */
  openEntity(): string | null {
    return this.card?.isOpen ? (this.current?.entityId ?? null) : null;
  }

  /**
   * Keyboard command: opens the card of the first marked mention at or after the selection (or the
   * viewport's top when nothing is selected), the next one when a card opened this way is open.
   * @returns whether a card was opened.
   */
  openFromSelection(): boolean {
    const marked = this.lens.marked();
    if (marked.length === 0) return false;
    let index: number;
    if (this.current && this.card?.isOpen) {
      index = (marked.indexOf(this.current) + 1) % marked.length;
    } else {
      const selection = getSelection();
      if (selection && selection.rangeCount > 0) {
        const sel = selection.getRangeAt(0);
        // The mention the selection starts in, or the first after it.
        index = marked.findIndex((m) => comparePoints(m.range.endContainer, m.range.endOffset, sel.startContainer, sel.startOffset) > 0);
      } else {
        index = marked.findIndex((m) => (liveRange(m)?.getBoundingClientRect().bottom ?? -1) >= 0);
      }
      if (index < 0) index = 0;
    }
    const mention = marked[index]!;
    this.scrollTo(mention);
    this.lastPointer = null;
    this.open(mention, true);
    return true;
  }

  private scrollTo(mention: PageMention): void {
    const el = mention.node.parentElement ?? (mention.node.parentNode instanceof ShadowRoot ? mention.node.parentNode.host : null);
    const rect = liveRange(mention)?.getBoundingClientRect();
    if (el && rect && (rect.top < 0 || rect.bottom > innerHeight)) el.scrollIntoView({ block: 'center', inline: 'nearest' });
  }

  /**
   * Popup's "show me": scrolls to the next marked mention of an entity (cycling) and flashes it.
   * @returns whether the entity has a mention in this frame.
   */
  flashNext(entityId: string): boolean {
    const list = this.lens.marked().filter((m) => m.entityId === entityId);
    if (list.length === 0) return false;
    const i = (this.flashCursor.get(entityId) ?? -1) + 1;
    const mention = list[i % list.length]!;
    this.flashCursor.set(entityId, i % list.length);
    this.scrollTo(mention);
    setHighlight(HIGHLIGHT_NAMES.flash, [mention.range]);
    setTimeout(() => setHighlight(HIGHLIGHT_NAMES.flash, []), FLASH_MS);
    return true;
  }
}
