/**
 * Wording of knowledge-base facts for the UI, shared by the hover card (service worker) and the
 * popup's briefing. Pure: the caller says how to look entities up.
 */
import type { Entity } from './schema';

/**
 * A role as a phrase: "Chief negotiator of Volodymyr Zelensky", "NATO Supreme Allied Commander
 * Europe (General)"; null when the sources give none.
 * @param entity the entity whose role to describe.
 * @param lookup finds the entity a role belongs to (`role.of`).
 */
export function describeRole(entity: Entity, lookup: (id: string) => Entity | undefined): string | null {
  if (!entity.role) return null;
  const owner = entity.role.of ? lookup(entity.role.of) : undefined;
  const raw = owner ? `${entity.role.title} of ${owner.name}` : entity.role.title;
  const title = raw.charAt(0).toUpperCase() + raw.slice(1);
  return entity.role.rank ? `${title} (${entity.role.rank})` : title;
}
