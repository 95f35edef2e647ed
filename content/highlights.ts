/**
 * Marks mentions with the CSS Custom Highlight API: ranges registered in `CSS.highlights` and styled
 * by `::highlight()` rules in `content.css`. The page's DOM is never touched. Where the API is
 * missing (or a page broke it in some way the isolated world sees), marking degrades to nothing.
 */

/** Highlight names, one per underline style, plus the hovered mention and the popup's flash. */
export const HIGHLIGHT_NAMES = {
  dotted: 'briefing-lens-dotted',
  solid: 'briefing-lens-solid',
  background: 'briefing-lens-background',
  active: 'briefing-lens-active',
  flash: 'briefing-lens-flash',
} as const;

function registry(): HighlightRegistry | null {
  try {
    return typeof Highlight === 'function' && typeof CSS !== 'undefined' && CSS.highlights ? CSS.highlights : null;
  } catch {
    return null;
  }
}

/** Whether this browser can mark text. */
export function canHighlight(): boolean {
  return registry() !== null;
}

/** Replaces the ranges of one highlight (creating it on first use). No-op without the API. */
export function setHighlight(name: string, ranges: Iterable<AbstractRange>): void {
  const reg = registry();
  if (!reg) return;
  const list = [...ranges];
  if (list.length === 0) {
    reg.delete(name);
    return;
  }
  const existing = reg.get(name);
  if (existing) {
    existing.clear();
    for (const r of list) existing.add(r);
  } else {
    reg.set(name, new Highlight(...list));
  }
}

/** Adds ranges to a highlight (creating it on first use), in one change. */
export function addToHighlight(name: string, ranges: readonly AbstractRange[]): void {
  const reg = registry();
  if (!reg || ranges.length === 0) return;
  const existing = reg.get(name);
  if (existing) for (const r of ranges) existing.add(r);
  else reg.set(name, new Highlight(...ranges));
}

/**
 * Whether a highlight holds at least one range in the document's registry. True without the API
 * (nothing to restore). A page can empty the registry it shares with us (`CSS.highlights.clear()`).
 */
export function isHighlightRegistered(name: string): boolean {
  const reg = registry();
  if (!reg) return true;
  return (reg.get(name)?.size ?? 0) > 0;
}

/** Removes every highlight of the extension. */
export function clearHighlights(): void {
  const reg = registry();
  if (!reg) return;
  for (const name of Object.values(HIGHLIGHT_NAMES)) reg.delete(name);
}

/**
 * The highlight ranges of ours under a viewport point (CSS px), when the browser can tell
 * (`CSS.highlights.highlightsFromPoint`, Chrome 140+); null when it cannot, so the caller falls back.
 */
export function rangesAtPoint(x: number, y: number, name: string): AbstractRange[] | null {
  const reg = registry() as (HighlightRegistry & { highlightsFromPoint?: (x: number, y: number) => { highlight: Highlight; ranges: AbstractRange[] }[] }) | null;
  if (!reg?.highlightsFromPoint) return null;
  const ours = reg.get(name);
  const hits = reg.highlightsFromPoint(x, y);
  return hits.filter((h) => h.highlight === ours).flatMap((h) => h.ranges);
}
