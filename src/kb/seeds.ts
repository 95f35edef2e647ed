/**
 * Reads and validates a seeds folder (Node only): `entities.json`, `topics.json` and every `*.txt`
 * article, then derives the knowledge base. Any problem in a seed file is thrown as a `SeedError`
 * whose message names the file, the line, the entry and the field.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import * as z from 'zod/mini';
import { findNodeAtLocation, parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { parseArticle, SeedError, type ParsedArticle } from './article';
import { deriveKnowledgeBase } from './derive';
import { EntitiesFile, KnowledgeBase, TopicsFile, type EntitySeed, type TopicSeed } from './schema';

export { SeedError } from './article';

// zod/mini ships without messages; the build speaks English.
z.config(z.locales.en());

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * Parses and validates one JSON seed file.
 * @throws SeedError naming file, line, entry (its `id` when it has one) and field.
 */
export function readJsonSeed<T>(file: string, schema: z.ZodMiniType<T>): T {
  const text = readFileSync(file, 'utf8');
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  if (errors.length > 0 || !tree) {
    const first = errors[0];
    throw new SeedError(file, first ? lineAt(text, first.offset) : 1, `invalid JSON (${first ? printParseErrorCode(first.error) : 'empty file'})`);
  }
  const data: unknown = JSON.parse(text);
  const result = z.safeParse(schema, data);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  // Point at the deepest part of the path that exists in the file.
  let node = undefined;
  for (let n = path.length; n >= 0 && !node; n--) node = findNodeAtLocation(tree, path.slice(0, n));
  const entryIndex = path.findIndex((p) => typeof p === 'number');
  let entry = '';
  if (entryIndex >= 0) {
    const entryValue = (path.slice(0, entryIndex + 1) as (string | number)[]).reduce<unknown>(
      (v, key) => (v as Record<string | number, unknown> | undefined)?.[key],
      data,
    ) as { id?: unknown } | undefined;
    entry = typeof entryValue?.id === 'string' ? `entry "${entryValue.id}"` : `entry #${path[entryIndex]}`;
  }
  const fieldPath = path.slice(entryIndex + 1).join('.') || (entryIndex < 0 ? path.join('.') : '');
  const field = issue.code === 'unrecognized_keys' ? [fieldPath, ...issue.keys].filter(Boolean).join('.') : fieldPath;
  throw new SeedError(file, node ? lineAt(text, node.offset) : null, `${entry ? `${entry} ` : ''}field "${field}": ${issue.message}`);
}

/** Everything read from a seeds folder, validated. */
export interface Seeds {
  articles: ParsedArticle[];
  entities: EntitySeed[];
  topics: TopicSeed[];
}

/**
 * Reads a seeds folder.
 * @param dir folder holding `entities.json`, `topics.json` and `*.txt` articles.
 * @throws SeedError on a malformed file; Error when ids repeat or no article exists.
 */
export function readSeeds(dir: string): Seeds {
  const entitiesFile = join(dir, 'entities.json');
  const { entities } = readJsonSeed(entitiesFile, EntitiesFile);
  const { topics } = readJsonSeed(join(dir, 'topics.json'), TopicsFile);
  const seen = new Set<string>();
  for (const e of entities) {
    if (seen.has(e.id)) throw new SeedError(entitiesFile, null, `entry "${e.id}" field "id": the id is used twice`);
    seen.add(e.id);
  }
  const files = readdirSync(dir).filter((f) => f.endsWith('.txt')).sort();
  if (files.length === 0) throw new SeedError(dir, null, 'no article (*.txt) in the seeds folder');
  const articles = files.map((f) => parseArticle(basename(f, '.txt'), readFileSync(join(dir, f), 'utf8'), join(dir, f)));
  return { articles, entities, topics };
}

/**
 * Reads a seeds folder and derives the validated knowledge base.
 * @returns the knowledge base and warnings (aliases that never occur, topics with no sentence).
 * @throws SeedError on malformed seeds; Error when the derived knowledge base fails its schema.
 */
export function buildKnowledgeBase(dir: string): { kb: KnowledgeBase; warnings: string[]; seeds: Seeds } {
  const seeds = readSeeds(dir);
  const { kb, warnings } = deriveKnowledgeBase(seeds.articles, seeds.entities, seeds.topics);
  const checked = z.safeParse(KnowledgeBase, kb);
  if (!checked.success) throw new Error(`The derived knowledge base fails its schema:\n${z.prettifyError(checked.error)}`);
  return { kb: checked.data, warnings, seeds };
}
