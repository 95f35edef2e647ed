/**
 * The hover card: a Preact component rendered inside a closed shadow root on one host element
 * (created on first use, the only node the extension ever adds to a page). Page CSS cannot reach
 * the card and the card's CSS cannot reach the page. Every piece of data is rendered as text.
 */
import { render } from 'preact';
import type { EntityCard } from '../src/messages';

/** Where the card goes, in viewport CSS px, and the rectangle of the mention it describes. */
export interface CardPlacement {
  anchor: { left: number; top: number; right: number; bottom: number };
}

const CARD_CSS = `
:host { all: initial; }
.card {
  position: fixed; box-sizing: border-box; width: min(360px, calc(100vw - 16px)); max-height: min(70vh, 520px); overflow: auto;
  pointer-events: auto; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2937; background: #fff;
  border: 1px solid #d1d5db; border-radius: 10px; box-shadow: 0 10px 30px rgb(0 0 0 / .18); padding: 12px 14px; text-align: start;
  direction: ltr; visibility: hidden; z-index: 1;
}
.card.ready { visibility: visible; }
.card:focus { outline: 2px solid #2563eb; outline-offset: 2px; }
h2 { font-size: 16px; margin: 0; line-height: 1.3; }
.head { display: flex; align-items: baseline; justify-content: space-between; gap: 8px; }
.side { font-size: 12px; padding: 1px 8px; border-radius: 999px; background: #eef2ff; color: #3730a3; white-space: nowrap; }
.role { margin: 2px 0 8px; color: #374151; }
.role.missing { color: #6b7280; font-style: italic; }
blockquote { margin: 8px 0; padding: 6px 10px; border-inline-start: 3px solid #93c5fd; background: #f8fafc; color: #111827; }
.cite { display: block; margin-top: 4px; font-size: 12px; color: #6b7280; }
.label { font-size: 12px; color: #6b7280; margin: 8px 0 4px; }
.chips { display: flex; flex-wrap: wrap; gap: 4px; margin: 0; padding: 0; list-style: none; }
.chips li { font-size: 12px; padding: 1px 8px; border-radius: 999px; background: #f3f4f6; color: #374151; }
.foot { display: flex; justify-content: space-between; align-items: center; margin-top: 10px; gap: 8px; font-size: 12px; color: #6b7280; }
button { font: inherit; font-size: 13px; color: #1d4ed8; background: none; border: 0; padding: 2px 0; cursor: pointer; text-decoration: underline; }
button:focus-visible { outline: 2px solid #2563eb; }
.close { position: absolute; inset-inline-end: 6px; top: 4px; text-decoration: none; font-size: 18px; color: #6b7280; padding: 0 6px; }
.head { padding-inline-end: 18px; }
@media (prefers-color-scheme: dark) {
  .card { color: #e5e7eb; background: #111827; border-color: #374151; box-shadow: 0 10px 30px rgb(0 0 0 / .5); }
  .side { background: #1e1b4b; color: #c7d2fe; }
  .role { color: #d1d5db; }
  blockquote { background: #1f2937; border-color: #3b82f6; color: #f3f4f6; }
  .chips li { background: #1f2937; color: #d1d5db; }
  button { color: #93c5fd; }
}
`;

interface CardProps {
  card: EntityCard | null;
  error: string | null;
  onClose: () => void;
  onOpenBriefing: () => void;
}

/** The card's content. `card` null means still loading (the frame keeps its size to avoid a jump). */
export function Card({ card, error, onClose, onOpenBriefing }: CardProps) {
  if (!card) {
    return <p class="role missing">{error ?? 'Loading…'}</p>;
  }
  const summaryDiffers = card.summary && card.summary !== card.keyQuote?.text;
  return (
    <>
      <button type="button" class="close" aria-label="Close" onClick={onClose}>
        ×
      </button>
      <div class="head">
        <h2 id="briefing-lens-card-title">{card.name}</h2>
        <span class="side" title="Side in the talks">
          {card.sideLabel}
        </span>
      </div>
      <p class={card.role ? 'role' : 'role missing'}>{card.role ?? 'Role in the talks not stated in the sources'}</p>
      {card.keyQuote && (
        <blockquote>
          {card.keyQuote.text}
          <cite class="cite">
            {card.keyQuote.articleTitle}
            {card.keyQuote.section ? ` › ${card.keyQuote.section}` : ''}
          </cite>
        </blockquote>
      )}
      {summaryDiffers && (
        <>
          <p class="label">First mentioned</p>
          <p class="role">{card.summary}</p>
        </>
      )}
      {card.topics.length > 0 && (
        <>
          <p class="label">Topics</p>
          <ul class="chips">
            {card.topics.map((t) => (
              <li key={t.id}>{t.label}</li>
            ))}
          </ul>
        </>
      )}
      {card.related.length > 0 && (
        <>
          <p class="label">Mentioned alongside</p>
          <ul class="chips">
            {card.related.map((r) => (
              <li key={r.id}>{r.name}</li>
            ))}
          </ul>
        </>
      )}
      <div class="foot">
        <span>Sources: {card.dateNote}</span>
        <button type="button" onClick={onOpenBriefing}>
          Full briefing
        </button>
      </div>
    </>
  );
}

const HTML_NS = 'http://www.w3.org/1999/xhtml';
/** Least height worth showing the card in above or below its mention, px; with less, it goes beside when it can. */
const MIN_ROOM = 120;

/**
 * Creates the host element and its closed shadow root: `<briefing-lens-card>` in the HTML namespace
 * (so it works in XML and SVG documents too). A page may have defined `briefing-lens-card` as its own
 * custom element (whose constructor can throw or take the shadow root first); then a plain `<div>`,
 * which no page can redefine, is the host instead.
 */
function createHost(doc: Document): [HTMLElement, ShadowRoot] {
  try {
    const host = doc.createElementNS(HTML_NS, 'briefing-lens-card') as HTMLElement;
    return [host, host.attachShadow({ mode: 'closed' })];
  } catch {
    const host = doc.createElementNS(HTML_NS, 'div') as HTMLElement;
    return [host, host.attachShadow({ mode: 'closed' })];
  }
}

/** The card's host element and closed shadow root, created on first use. */
export class CardHost {
  readonly host: HTMLElement;
  private readonly frame: HTMLDivElement;
  private placement: CardPlacement | null = null;

  /**
   * @param doc the document the card goes in (an HTML element is created even in XML documents).
   * @throws DOMException only if no host element at all can take a shadow root (not seen in practice).
   */
  constructor(doc: Document) {
    const [host, shadow] = createHost(doc);
    this.host = host;
    // Inline !important beats any page rule, including `* { all: unset !important }`.
    this.host.setAttribute(
      'style',
      'all: initial !important; display: block !important; position: fixed !important; top: 0 !important; left: 0 !important; width: 0 !important; height: 0 !important; overflow: visible !important; z-index: 2147483647 !important; pointer-events: none !important; opacity: 1 !important; transform: none !important; visibility: visible !important;',
    );
    const style = doc.createElementNS(HTML_NS, 'style') as HTMLStyleElement;
    style.textContent = CARD_CSS;
    this.frame = doc.createElementNS(HTML_NS, 'div') as HTMLDivElement;
    this.frame.className = 'card';
    this.frame.setAttribute('role', 'dialog');
    this.frame.setAttribute('aria-labelledby', 'briefing-lens-card-title');
    this.frame.tabIndex = -1;
    shadow.append(style, this.frame);
    // In the top layer the card escapes whatever the page does to <html> (filter, transform, contain,
    // z-index of its own top-layer elements shown earlier), which would otherwise move or hide it.
    if (typeof this.host.showPopover === 'function') this.host.setAttribute('popover', 'manual');
  }

  /** The card's outer element (inside the shadow root). */
  get element(): HTMLDivElement {
    return this.frame;
  }

  /** Whether the card is on the page. */
  get isOpen(): boolean {
    return this.host.isConnected;
  }

  /**
   * Shows the card for a mention: renders `props` and places the card below the mention (above
   * when there is no room), inside the viewport.
   */
  show(props: CardProps, placement: CardPlacement): void {
    this.placement = placement;
    const doc = this.host.ownerDocument;
    if (!this.host.isConnected) (doc.documentElement ?? doc).appendChild(this.host);
    this.toTopLayer();
    render(<Card {...props} />, this.frame);
    this.place();
  }

  /** Shows the host as a popover (top layer) when the browser can; never throws (the card then stays a fixed box). */
  private toTopLayer(): void {
    if (!this.host.hasAttribute('popover')) return;
    try {
      if (!this.host.matches(':popover-open')) this.host.showPopover();
    } catch {
      // A page that removes or moves the host as it is shown: the card stays an ordinary fixed box.
    }
  }

  /** Re-renders with new props at the same place (data arrived). */
  update(props: CardProps): void {
    if (!this.isOpen) return;
    render(<Card {...props} />, this.frame);
    this.place();
  }

  /**
   * Places the card next to its mention, inside the viewport, never over the mention (so the link
   * or text under the pointer stays reachable): below, or above when there is more room there; when
   * neither side holds the whole card, it keeps to the roomier side and scrolls; when neither side
   * has even `MIN_ROOM` px but the left or right of the mention holds the card's width, it goes there.
   * In a frame too small for any of these the card is cut to what fits, still off the mention.
   */
  private place(): void {
    const p = this.placement;
    if (!p) return;
    const view = this.host.ownerDocument.defaultView!;
    const vw = view.innerWidth;
    const vh = view.innerHeight;
    const margin = 8;
    const gap = 6;
    const style = this.frame.style;
    style.maxHeight = '';
    const width = this.frame.offsetWidth;
    let height = this.frame.offsetHeight;
    const a = p.anchor;
    const below = vh - a.bottom - gap - margin;
    const above = a.top - gap - margin;
    const right = vw - a.right - gap - margin;
    const leftRoom = a.left - gap - margin;
    let top: number;
    let left: number;
    if (Math.max(below, above) < Math.min(height, MIN_ROOM) && Math.max(right, leftRoom) >= width) {
      // A short viewport with room at a side: beside the mention.
      left = right >= width ? a.right + gap : a.left - gap - width;
      height = Math.min(height, vh - 2 * margin);
      style.maxHeight = `${Math.floor(height)}px`;
      top = Math.max(margin, Math.min(a.top, vh - height - margin));
    } else {
      const useBelow = below >= height || below >= above;
      const room = Math.max(0, useBelow ? below : above);
      if (height > room) {
        height = room;
        style.maxHeight = `${Math.floor(room)}px`;
      }
      top = useBelow ? a.bottom + gap : a.top - gap - height;
      left = Math.max(margin, Math.min(a.left, vw - width - margin));
    }
    style.top = `${Math.round(top)}px`;
    style.left = `${Math.round(left)}px`;
    this.frame.classList.add('ready');
  }

  /** Whether a viewport point is over the card. */
  contains(x: number, y: number): boolean {
    if (!this.isOpen) return false;
    const r = this.frame.getBoundingClientRect();
    return x >= r.left && x <= r.right && y >= r.top && y <= r.bottom;
  }

  /** Removes the card from the page. */
  hide(): void {
    if (!this.host.isConnected) return;
    render(null, this.frame);
    this.frame.classList.remove('ready');
    this.host.remove();
    this.placement = null;
  }
}
