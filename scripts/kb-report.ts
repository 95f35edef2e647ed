/**
 * `npm run kb:report [seedsDir]`: what to curate after adding an article: entities whose aliases
 * never occur, topics with no sentence, and capitalised personal names that match no entity.
 * Exits 1 only when the seeds cannot be read.
 */
import { join, resolve } from 'node:path';
import { buildKnowledgeBase } from '../src/kb/seeds';
import { matcherFor } from '../src/kb/derive';
import { unknownNames } from '../src/kb/report';

const dir = resolve(process.argv[2] ?? join(import.meta.dirname, '../seeds'));
try {
  const { kb, warnings, seeds } = buildKnowledgeBase(dir);
  console.log(`${kb.articles.length} article(s), ${kb.entities.length} entities, ${kb.topics.length} topics from ${dir}`);
  for (const w of warnings) console.log(`warning: ${w}`);
  const unknown = unknownNames(seeds.articles, matcherFor(seeds.entities));
  if (unknown.length === 0) console.log('every capitalised personal name matches an entity');
  for (const u of unknown) console.log(`unknown name: "${u.name}" (${u.articleId}, paragraph ${u.paragraph}, sentence ${u.sentence})`);
} catch (error) {
  console.error(`error: ${(error as Error).message}`);
  process.exit(1);
}
