/**
 * The knowledge base built from `seeds/`: schema, the scored entities with derived roles and
 * verbatim provenance, topics, and extension by a second article with no code change.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as z from 'zod/mini';
import { describe, expect, it } from 'vitest';
import { buildKnowledgeBase } from '../../src/kb/seeds';
import { KnowledgeBase } from '../../src/kb/schema';
import { matcherFor } from '../../src/kb/derive';
import { unknownNames } from '../../src/kb/report';
import { splitSentences } from '../../src/kb/article';

const ROOT = resolve(import.meta.dirname, '../..');
const SEEDS = join(ROOT, 'seeds');
const SHARED = resolve(ROOT, '../shared');
const { kb, warnings } = buildKnowledgeBase(SEEDS);
const seedText = readFileSync(join(SEEDS, '000_94cb5e7c09e284fb.txt'), 'utf8');
const scored = (JSON.parse(readFileSync(join(SHARED, 'corpus/expected.json'), 'utf8')) as { scored_entities: string[] }).scored_entities;
const entity = (id: string) => kb.entities.find((e) => e.id === id)!;

describe('knowledge base from the seed article', () => {
  it('passes its schema, and the generated file is what the build wrote', () => {
    expect(z.safeParse(KnowledgeBase, kb).success).toBe(true);
    const generated = JSON.parse(readFileSync(join(ROOT, 'src/generated/kb.json'), 'utf8')) as unknown;
    expect(generated).toEqual(JSON.parse(JSON.stringify(kb)));
  });

  it('keeps the seed file unchanged from the shared copy', () => {
    expect(seedText).toBe(readFileSync(join(SHARED, 'seeds/000_94cb5e7c09e284fb.txt'), 'utf8'));
  });

  it('reads title, sections, and says there is no date or source link', () => {
    const [article] = kb.articles;
    expect(article!.title).toBe('Ukraine and US Continue Peace Talks in Berlin, NATO Membership Remains a Key Issue');
    expect(article!.date).toBeNull();
    expect(article!.sourceUrl).toBeNull();
    expect(article!.sections.map((s) => s.heading)).toEqual([
      null,
      'Negotiations Overview',
      "Ukraine's Position on NATO and Security",
      'Peace Plan Proposals',
      'International Perspectives',
    ]);
  });

  it.each(scored)('holds %s with at least one verbatim source sentence', (id) => {
    const e = entity(id);
    expect(e).toBeDefined();
    expect(e.mentions.length).toBeGreaterThan(0);
    for (const p of [...e.mentions, ...e.quotes.map((q) => q.source), ...(e.role ? [e.role.source] : [])]) {
      expect(seedText).toContain(p.text);
      expect(splitSentences(seedText.split('\n').find((line) => line.includes(p.text))!)).toContain(p.text);
    }
  });

  it('derives each person\'s role from the words around the first full-name mention', () => {
    const roles = Object.fromEntries(kb.entities.filter((e) => e.kind === 'person').map((e) => [e.id, e.role && { title: e.role.title, of: e.role.of, rank: e.role.rank }]));
    expect(roles).toEqual({
      'volodymyr-zelensky': { title: 'Ukrainian President', of: undefined, rank: undefined },
      'rustem-umerov': { title: 'chief negotiator', of: 'volodymyr-zelensky', rank: undefined },
      'steve-witkoff': { title: 'US envoy', of: undefined, rank: undefined },
      'jared-kushner': null,
      'friedrich-merz': { title: 'German Chancellor', of: undefined, rank: undefined },
      'alexus-grynkewich': { title: 'NATO Supreme Allied Commander Europe', of: undefined, rank: 'General' },
      'ursula-von-der-leyen': { title: 'European Commission President', of: undefined, rank: undefined },
    });
    for (const e of kb.entities) if (e.role) expect(e.role.source.text).toContain(e.name);
  });

  it('gives Kushner no invented title', () => {
    const kushner = entity('jared-kushner');
    expect(kushner.role).toBeNull();
    expect(kushner.quotes).toEqual([]);
    // Nothing but the source sentences may speak of roles; the sentences themselves are verbatim seed text.
    const withoutSources = { ...kushner, mentions: [] };
    expect(JSON.stringify(withoutSources)).not.toMatch(/envoy|adviser|advisor|son-in-law/i);
    expect(kushner.mentions.map((m) => m.text)).toEqual([
      'On Sunday, Ukrainian President Volodymyr Zelensky and his chief negotiator, Rustem Umerov, held a five-hour meeting with US envoy Steve Witkoff and Jared Kushner.',
    ]);
  });

  it('attributes quotations to who said them', () => {
    expect(entity('volodymyr-zelensky').quotes.map((q) => q.quote)).toEqual(['some partners from the US and Europe', 'foundation']);
    expect(entity('united-states').quotes.map((q) => q.quote)).toEqual(['a lot of progress was made.']);
    expect(entity('russia').quotes.map((q) => q.quote)).toEqual(['red line.', 'is one of the cornerstones and requires special discussion.']);
  });

  it('puts the right sentences into the 20-point plan and NATO-membership topics', () => {
    const sentences = (id: string) => kb.topics.find((t) => t.id === id)!.sentences.map((s) => s.text);
    expect(sentences('peace-plan')).toEqual([
      'A core component of the Berlin discussions is a 20-point peace plan proposal presented by Ukraine to the US last week.',
      'This proposal is intended to counter an earlier American plan that was reportedly seen as heavily favoring Russia.',
      'While specific details of Ukraine\'s plan have not been made public, President Zelensky previously described these points as a "foundation" for developing provisions related to Ukraine\'s reconstruction and security guarantees.',
    ]);
    expect(sentences('nato-membership')).toEqual([
      'Prior to the start of the current round of meetings, President Zelensky indicated a willingness to abandon ambitions for NATO membership in exchange for specific security guarantees.',
      'He acknowledged that "some partners from the US and Europe" did not endorse Ukraine\'s aspiration for NATO membership.',
      'For Russia, Kyiv\'s membership in NATO is considered a "red line."',
      'Moscow has consistently demanded the permanent cessation of Ukraine\'s ambitions to join the alliance, with the Kremlin stating on Monday that this issue "is one of the cornerstones and requires special discussion."',
      'The United States has also reiterated its position against Ukraine\'s inclusion in NATO.',
    ]);
  });

  it('states each side\'s position on NATO membership with its source sentence', () => {
    const bySide = (side: string) => kb.positions.filter((p) => p.topicId === 'nato-membership' && p.side === side).map((p) => p.source.sentence + p.source.paragraph * 100);
    expect(bySide('ukraine')).toEqual([200, 201]);
    expect(bySide('russia')).toEqual([400, 401]);
    expect(bySide('united-states')).toEqual([402]);
    expect(bySide('european-union')).toEqual([201]);
  });

  it('warns about an entity whose aliases never occur', () => {
    expect(warnings).toContain('entity germany: none of its aliases (Germany) occurs in any seed article');
  });
});

describe('extending the knowledge base', () => {
  it('takes a second article from the seeds folder with no code change', () => {
    const dir = mkdtempSync(join(tmpdir(), 'seeds-'));
    cpSync(SEEDS, dir, { recursive: true });
    cpSync(join(ROOT, 'test/fixtures/second-article'), dir, { recursive: true });
    const extended = buildKnowledgeBase(dir);
    expect(extended.kb.articles.map((a) => a.id)).toEqual(['000_94cb5e7c09e284fb', '001_invented_followup']);
    const merz = extended.kb.entities.find((e) => e.id === 'friedrich-merz')!;
    expect(new Set(merz.mentions.map((m) => m.articleId))).toEqual(new Set(['000_94cb5e7c09e284fb', '001_invented_followup']));
    expect(merz.quotes.map((q) => q.quote)).toEqual(['serious and constructive.']);
    expect(merz.related).toContain('steve-witkoff');
    expect(extended.kb.articles[1]!.sections.map((s) => s.heading)).toEqual(['Follow-up Meeting', 'Next Steps']);
    const plan = extended.kb.topics.find((t) => t.id === 'peace-plan')!;
    expect(plan.sentences.at(-1)!.text).toBe('Rustem Umerov will travel to Washington next week to present the 20-point plan again.');
    // The report names the new person for curation.
    const unknown = unknownNames(extended.seeds.articles, matcherFor(extended.seeds.entities)).map((u) => u.name);
    expect(unknown).toEqual(['Kaja Kallas']);
  });
});

describe('malformed seeds fail the build naming file, line, entry and field', () => {
  function build(entities: string, topics?: string): () => unknown {
    const dir = mkdtempSync(join(tmpdir(), 'bad-seeds-'));
    cpSync(SEEDS, dir, { recursive: true });
    writeFileSync(join(dir, 'entities.json'), entities);
    if (topics !== undefined) writeFileSync(join(dir, 'topics.json'), topics);
    return () => buildKnowledgeBase(dir);
  }
  const good = readFileSync(join(SEEDS, 'entities.json'), 'utf8');

  it('names a person without surnames', () => {
    const bad = good.replace(/"surnames": \["Kushner", "Кушнер"\]/, '"surnames": []');
    const lineOfKushner = bad.split('\n').findIndex((l) => l.includes('"surnames": []')) + 1;
    expect(build(bad)).toThrow(new RegExp(`entities\\.json:${lineOfKushner}: entry "jared-kushner" field "surnames": needs at least one surname`));
  });

  it('names an unknown side', () => {
    expect(build(good.replace('"side": "germany"', '"side": "bavaria"'))).toThrow(/entities\.json:\d+: entry "friedrich-merz" field "side": /);
  });

  it('names a field the schema does not know', () => {
    expect(build(good.replace('"id": "nato", ', '"id": "nato", "colour": "blue", '))).toThrow(/entities\.json:\d+: entry "nato" field "colour": Unrecognized key: "colour"/);
  });

  it('names a bad id', () => {
    expect(build(good.replace('"id": "kremlin"', '"id": "The Kremlin"'))).toThrow(/entry "The Kremlin" field "id": must be kebab-case/);
  });

  it('points at the line of a JSON syntax error', () => {
    const bad = good.replace('"kind": "organisation", "name": "NATO",', '"kind": "organisation" "name": "NATO",');
    const line = bad.split('\n').findIndex((l) => l.includes('"kind": "organisation" "name"')) + 1;
    expect(build(bad)).toThrow(new RegExp(`entities\\.json:${line}: invalid JSON`));
  });

  it('names a topic entry and field', () => {
    const topics = readFileSync(join(SEEDS, 'topics.json'), 'utf8').replace('"label": "NATO membership"', '"label": ""');
    expect(build(good, topics)).toThrow(/topics\.json:\d+: entry "nato-membership" field "label": must not be empty/);
  });

  it('rejects a repeated id', () => {
    expect(build(good.replace('"id": "kremlin"', '"id": "nato"'))).toThrow(/entry "nato" field "id": the id is used twice/);
  });
});
