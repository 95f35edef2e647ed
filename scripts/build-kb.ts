/**
 * `npm run kb`: derives the knowledge base from `seeds/` and writes `src/generated/kb.json` (the
 * whole knowledge base, for the service worker, popup and options) and `src/generated/lexicon.json`
 * (ids, aliases, exclusions and topics of marked entities, for the content script).
 * Exits 1 with the seed error (file, line, entry, field) when a seed is malformed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildKnowledgeBase } from '../src/kb/seeds';
import type { KnowledgeBase, Lexicon } from '../src/kb/schema';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The content script's share of the knowledge base. */
export function lexiconOf(kb: KnowledgeBase): Lexicon {
  return kb.entities
    .filter((e) => e.marked)
    .map((e) => ({ id: e.id, aliases: e.aliases, excludedFirstNames: e.excludedFirstNames, topics: e.topics }));
}

/** Builds the knowledge base from `seedsDir` into `outDir`; returns the warnings. */
export function writeKnowledgeBase(seedsDir = join(root, 'seeds'), outDir = join(root, 'src/generated')): string[] {
  const { kb, warnings } = buildKnowledgeBase(seedsDir);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'kb.json'), `${JSON.stringify(kb, null, 1)}\n`);
  writeFileSync(join(outDir, 'lexicon.json'), `${JSON.stringify(lexiconOf(kb))}\n`);
  return warnings;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const warnings = writeKnowledgeBase();
    for (const w of warnings) console.warn(`warning: ${w}`);
    console.log('knowledge base written to src/generated/kb.json');
  } catch (error) {
    console.error(`error: ${(error as Error).message}`);
    process.exit(1);
  }
}
