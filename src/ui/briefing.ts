/**
 * The popup's briefing, derived from the knowledge base alone (no browser APIs, so it is unit
 * tested in Node): the talks' headline, each section's key points, who is who by side, a positions
 * table per topic, and the source sentences every item links to. Nothing is invented: where the
 * sources give no date, link, role or position, the briefing says so.
 */
import { SIDES, SIDE_LABELS, type Entity, type KnowledgeBase, type Provenance, type Side } from '../kb/schema';
import { describeRole } from '../kb/describe';

/** The sides every positions table shows, in this order, even when the sources give them no position. */
export const MAIN_SIDES: readonly Side[] = ['ukraine', 'united-states', 'russia', 'european-union'];

/** What the sources do not give, in the words the UI uses. */
export const NOT_GIVEN = {
  date: 'date not given',
  sourceLink: 'no link to the original given',
  role: 'role not given in the sources',
  position: 'not stated in the sources',
} as const;

/** The element id of a source sentence in the briefing's source list: `src-<articleId>-<paragraph>-<sentence>`. */
export function sourceAnchor(p: Pick<Provenance, 'articleId' | 'paragraph' | 'sentence'>): string {
  return `src-${p.articleId}-${p.paragraph}-${p.sentence}`.replace(/[^A-Za-z0-9_-]/g, '_');
}

/** A short label of a sentence's place: "¶3.2" (1-based paragraph and sentence). */
export function sourceLabel(p: Pick<Provenance, 'paragraph' | 'sentence'>): string {
  return `¶${p.paragraph + 1}.${p.sentence + 1}`;
}

/** One person or organisation in "who is who". */
export interface WhoEntry {
  id: string;
  name: string;
  kind: Entity['kind'];
  /** The role phrase, or null when the sources give none. */
  role: string | null;
  /** The sentence the role comes from. */
  roleSource: Provenance | null;
}

/** One cell of a positions table: what one side said or is reported to hold on a topic. */
export interface PositionCell {
  side: Side;
  sideLabel: string;
  /** The sentences, each at most once; empty when the sources give nothing. `via: 'mention'` means the side is only named in it. */
  quotes: { source: Provenance; via: 'subject' | 'mention'; entityName: string }[];
}

/** The whole briefing. */
export interface Briefing {
  /** The first article's title: the talks' headline. */
  headline: string;
  /** The articles' dates, or "date not given". */
  date: string;
  /** True when no article gives a date. */
  dateMissing: boolean;
  /** Source links of the articles; empty when none is given. */
  sourceUrls: string[];
  /** Each article section (headed or not) with its key points. */
  sections: { articleId: string; heading: string | null; keyPoints: Provenance[] }[];
  /** Who is who: sides in the knowledge base's order, people first, then organisations. Countries are left out. */
  sides: { side: Side; label: string; entries: WhoEntry[] }[];
  /** One positions table per topic: the main sides, then any other side with a position. */
  issues: { topicId: string; label: string; cells: PositionCell[] }[];
  /** Every sentence the briefing cites, in article order, under its section heading. */
  sources: { articleId: string; title: string; sections: { heading: string | null; sentences: Provenance[] }[] }[];
}

const key = (p: Provenance) => `${p.articleId}\u0000${p.paragraph}\u0000${p.sentence}`;

/**
 * Builds the briefing.
 * @param kb the knowledge base (`knowledgeBase()` in the extension).
 */
export function buildBriefing(kb: KnowledgeBase): Briefing {
  const byId = new Map(kb.entities.map((e) => [e.id, e]));
  const dates = kb.articles.map((a) => a.date).filter((d): d is string => d !== null);

  const describe = (e: Entity): string | null => describeRole(e, (id) => byId.get(id));
  const kindOrder = { person: 0, organisation: 1, country: 2 } as const;
  const sides = SIDES.map((side) => ({
    side,
    label: SIDE_LABELS[side],
    entries: kb.entities
      .filter((e) => e.side === side && e.kind !== 'country' && e.mentions.length > 0)
      .sort((a, b) => kindOrder[a.kind] - kindOrder[b.kind])
      .map((e) => ({ id: e.id, name: e.name, kind: e.kind, role: describe(e), roleSource: e.role?.source ?? null })),
  })).filter((s) => s.entries.length > 0);

  const issues = kb.topics.map((topic) => {
    const positions = kb.positions.filter((p) => p.topicId === topic.id);
    const extraSides = SIDES.filter((s) => !MAIN_SIDES.includes(s) && positions.some((p) => p.side === s));
    const cells = [...MAIN_SIDES, ...extraSides].map((side): PositionCell => {
      const seen = new Set<string>();
      const quotes = positions
        .filter((p) => p.side === side)
        .sort((a, b) => (a.via === b.via ? 0 : a.via === 'subject' ? -1 : 1))
        .filter((p) => !seen.has(key(p.source)) && seen.add(key(p.source)))
        .map((p) => ({ source: p.source, via: p.via, entityName: byId.get(p.entityId)?.name ?? p.entityId }));
      return { side, sideLabel: SIDE_LABELS[side], quotes };
    });
    return { topicId: topic.id, label: topic.label, cells };
  });

  const cited = new Map<string, Provenance>();
  const cite = (p: Provenance | null | undefined) => {
    if (p && !cited.has(key(p))) cited.set(key(p), p);
  };
  for (const a of kb.articles) for (const s of a.sections) s.keyPoints.forEach(cite);
  for (const e of kb.entities) {
    cite(e.role?.source);
    e.mentions.forEach(cite);
    e.quotes.forEach((q) => cite(q.source));
  }
  for (const t of kb.topics) t.sentences.forEach(cite);
  for (const p of kb.positions) cite(p.source);
  const sources = kb.articles.map((article) => ({
    articleId: article.id,
    title: article.title,
    sections: article.sections
      .map((section) => ({
        heading: section.heading,
        sentences: [...cited.values()]
          .filter((p) => p.articleId === article.id && section.paragraphs.includes(p.paragraph))
          .sort((a, b) => a.paragraph - b.paragraph || a.sentence - b.sentence),
      }))
      .filter((s) => s.sentences.length > 0),
  }));

  return {
    headline: kb.articles[0]?.title ?? 'No briefing: the knowledge base has no article',
    date: dates.length > 0 ? dates.join(', ') : NOT_GIVEN.date,
    dateMissing: dates.length === 0,
    sourceUrls: kb.articles.map((a) => a.sourceUrl).filter((u): u is string => u !== null),
    sections: kb.articles.flatMap((a) => a.sections.map((s) => ({ articleId: a.id, heading: s.heading, keyPoints: s.keyPoints }))),
    sides,
    issues,
    sources,
  };
}

/** One entity found on the current tab, with its number of mentions over all frames. */
export interface PageEntity {
  entityId: string;
  count: number;
  /** Frame ids holding a mention, in ascending order (where to send `scroll-to-entity`). */
  frameIds: number[];
}

/**
 * Counts a tab's mentions per entity, over all frames, in order of first appearance (top frame first).
 * @param frames the `tab-mentions` answer's frames.
 */
export function countPageEntities(frames: readonly { frameId: number; mentions: readonly { entityId: string }[] }[]): PageEntity[] {
  const out = new Map<string, PageEntity>();
  for (const frame of [...frames].sort((a, b) => a.frameId - b.frameId)) {
    for (const m of frame.mentions) {
      let e = out.get(m.entityId);
      if (!e) out.set(m.entityId, (e = { entityId: m.entityId, count: 0, frameIds: [] }));
      e.count++;
      if (!e.frameIds.includes(frame.frameId)) e.frameIds.push(frame.frameId);
    }
  }
  return [...out.values()];
}

/**
 * Groups history records by entity: groups ordered by their newest record, records newest first.
 * @param entries `history-recent` entries (any order).
 * @param perEntity most records kept per entity.
 */
export function groupHistory<T extends { entityId: string; lastSeen: number }>(entries: readonly T[], perEntity = 3): { entityId: string; entries: T[] }[] {
  const groups = new Map<string, T[]>();
  for (const e of [...entries].sort((a, b) => b.lastSeen - a.lastSeen)) {
    const list = groups.get(e.entityId) ?? [];
    if (list.length < perEntity) list.push(e);
    groups.set(e.entityId, list);
  }
  return [...groups].map(([entityId, list]) => ({ entityId, entries: list }));
}

/**
 * The host name to switch the lens off for, from a page URL; null for pages the content script does not run on.
 * @param url the top frame's URL from `tab-mentions`.
 */
export function siteOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname ? u.hostname : null;
  } catch {
    return null;
  }
}

/**
 * Reads what a user typed as a site to disable: a host name or a URL. Lower-cased, without "www.".
 * @returns the host name, or null when it is not a valid host name.
 */
export function normaliseSite(input: string): string | null {
  let text = input.trim().toLowerCase();
  if (!text) return null;
  if (/^[a-z][a-z0-9+.-]*:\/\//.test(text)) {
    try {
      text = new URL(text).hostname;
    } catch {
      return null;
    }
  } else {
    text = text.replace(/[/?#].*$/, '').replace(/:\d+$/, '');
  }
  text = text.replace(/^www\./, '').replace(/\.$/, '');
  const label = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
  if (text.length > 253 || !new RegExp(`^(?:${label}\\.)*${label}$`).test(text)) return null;
  return text;
}
