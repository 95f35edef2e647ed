/**
 * The bundled knowledge base for extension pages and the service worker: the generated
 * `src/generated/kb.json`, validated once against its schema when first used.
 */
import * as z from 'zod/mini';
import raw from '../generated/kb.json';
import { KnowledgeBase, SIDE_LABELS, type Entity } from './schema';
import { describeRole as describeEntityRole } from './describe';

let cached: KnowledgeBase | null = null;

/**
 * The knowledge base.
 * @throws Error when the bundled file does not fit the schema (a build problem, never user data).
 */
export function knowledgeBase(): KnowledgeBase {
  if (!cached) {
    const result = z.safeParse(KnowledgeBase, raw);
    if (!result.success) throw new Error(`Bundled knowledge base is invalid: ${z.prettifyError(result.error)}`);
    cached = result.data;
  }
  return cached;
}

/** An entity by id, or undefined. */
export function entityById(id: string): Entity | undefined {
  return knowledgeBase().entities.find((e) => e.id === id);
}

/** A role as a phrase (see `describe.ts`), its owner looked up in the bundled knowledge base; null when the sources give none. */
export function describeRole(entity: Entity): string | null {
  return describeEntityRole(entity, entityById);
}

/** The label of an entity's side. */
export function sideLabel(entity: Entity): string {
  return SIDE_LABELS[entity.side];
}

/** What to show where a date belongs: the articles' dates, or "date not given". */
export function dateNote(): string {
  const dates = knowledgeBase().articles.map((a) => a.date).filter((d): d is string => d !== null);
  return dates.length > 0 ? dates.join(', ') : 'date not given';
}
