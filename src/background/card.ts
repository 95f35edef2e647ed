/**
 * Assembles an entity's hover card from the knowledge base (service worker side, so the content
 * script does not carry the knowledge base).
 */
import { dateNote, describeRole, entityById, knowledgeBase, sideLabel } from '../kb';
import type { EntityCard } from '../messages';

/**
 * The card of an entity.
 * @throws Error when the id is not in the knowledge base.
 */
export function entityCard(entityId: string): EntityCard {
  const kb = knowledgeBase();
  const entity = entityById(entityId);
  if (!entity) throw new Error(`Unknown entity "${entityId}"`);
  const source = (articleId: string, paragraph: number) => {
    const article = kb.articles.find((a) => a.id === articleId);
    const section = article?.sections.find((s) => s.paragraphs.includes(paragraph))?.heading ?? null;
    return { articleTitle: article?.title ?? articleId, section };
  };
  const quote = entity.quotes[0];
  const keySentence = quote?.source ?? entity.role?.source ?? entity.mentions[0];
  const topicLabels = new Map(kb.topics.map((t) => [t.id, t.label]));
  return {
    id: entity.id,
    name: entity.name,
    kind: entity.kind,
    sideLabel: sideLabel(entity),
    role: describeRole(entity),
    summary: entity.mentions[0]?.text ?? null,
    keyQuote: keySentence
      ? { text: keySentence.text, isQuotation: quote !== undefined, ...source(keySentence.articleId, keySentence.paragraph) }
      : null,
    topics: entity.topics.map((id) => ({ id, label: topicLabels.get(id) ?? id })),
    related: entity.related
      .map((id) => entityById(id))
      .filter((e): e is NonNullable<typeof e> => e !== undefined && e.kind !== 'country')
      .slice(0, 5)
      .map((e) => ({ id: e.id, name: e.name })),
    dateNote: dateNote(),
  };
}
