/**
 * What a new article asks of the curator: capitalised personal names in the seed articles that no
 * entity's alias covers. A heuristic, meant to be read by a person (`npm run kb:report`).
 */
import type { Matcher } from '../matcher';
import type { ParsedArticle } from './article';

/** Capitalised words that begin or make up non-name phrases (titles, places, days, function words). */
const NOT_NAMES = new Set(
  (
    'A An The This That These Those On In At For From With By Of And But Or Also Additionally Several Some Many Most While When After Before Prior ' +
    'Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August September October November December ' +
    'President Chancellor General Commander Supreme Allied Europe European Commission Minister Prime Secretary Envoy Ambassador Foreign Defence Defense ' +
    'Ukraine Ukrainian Ukraine’s Russia Russian United States American German Germany Britain British French France Kremlin Kyiv Moscow Berlin Washington ' +
    'NATO Nato EU US UN Article Peace Plan Plans Talks Negotiations Overview Position Security Proposals International Perspectives Continue Remains Key Issue Membership'
  ).split(' '),
);

/** A capitalised phrase of two or three words that looks like a personal name. */
const NAME_PHRASE = /(?<![\p{L}\p{M}])\p{Lu}[\p{Ll}\p{M}]+(?:[ \u00A0-]\p{Lu}[\p{Ll}\p{M}]+){1,2}(?![\p{L}\p{M}])/gu;

/** One unknown name and where it was seen. */
export interface UnknownName {
  name: string;
  articleId: string;
  paragraph: number;
  sentence: number;
}

/**
 * Lists capitalised two- or three-word phrases that look like personal names and that no entity
 * alias covers.
 * @param articles parsed seed articles.
 * @param matcher the matcher built from every curated entity.
 */
export function unknownNames(articles: readonly ParsedArticle[], matcher: Matcher): UnknownName[] {
  const found: UnknownName[] = [];
  for (const article of articles) {
    for (const s of article.sentences) {
      const covered = matcher.find(s.text);
      for (const m of s.text.matchAll(NAME_PHRASE)) {
        const start = m.index;
        const end = start + m[0].length;
        if (covered.some((c) => c.start < end && c.end > start)) continue;
        const words = m[0].split(/[ \u00A0-]/);
        if (words.some((w) => NOT_NAMES.has(w))) continue;
        found.push({ name: m[0], articleId: article.id, paragraph: s.paragraph, sentence: s.sentence });
      }
    }
  }
  return found;
}
