/**
 * Zod schemas (the `zod/mini` build, small enough for the content script) for every shape of
 * knowledge-base data: the curated seed files (`seeds/entities.json`, `seeds/topics.json`) and the
 * knowledge base the builder derives from them (`src/generated/kb.json`). One schema per shape;
 * the TypeScript types are inferred from them.
 */
import * as z from 'zod/mini';

/** The sides of the talks an entity can stand on. */
export const SIDES = ['ukraine', 'united-states', 'germany', 'nato', 'european-union', 'russia'] as const;
export const Side = z.enum(SIDES);
export type Side = z.infer<typeof Side>;

/** Human-readable label of each side, for the UI. */
export const SIDE_LABELS: Record<Side, string> = {
  ukraine: 'Ukraine',
  'united-states': 'United States',
  germany: 'Germany',
  nato: 'NATO',
  'european-union': 'European Union',
  russia: 'Russia',
};

const kebabId = z.string().check(z.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be kebab-case, e.g. "steve-witkoff"'));
const nonEmpty = z.string().check(z.trim(), z.minLength(1, 'must not be empty'));

/** A curated person: identity only. Aliases are built from first names × surnames plus surnames alone. */
export const PersonSeed = z.strictObject({
  id: kebabId,
  kind: z.literal('person'),
  name: nonEmpty,
  side: Side,
  /** Given names that, before a surname, make a full-name mention ("Steve" Witkoff). */
  firstNames: z.array(nonEmpty).check(z.minLength(1, 'needs at least one first name')),
  /** Surnames and their transliterations; each alone is also a mention ("Zelenskyy"). */
  surnames: z.array(nonEmpty).check(z.minLength(1, 'needs at least one surname')),
  /** Given names of other people with the same surname: "Tony Kushner" is not Jared Kushner. */
  excludedFirstNames: z._default(z.array(nonEmpty), []),
  /** Optional curated role; it must quote a seed sentence that supports it, verbatim. */
  roleOverride: z.optional(z.strictObject({ role: nonEmpty, sourceSentence: nonEmpty })),
});

/** A curated organisation or country: identity and spellings. Countries stand for sides and are not marked on pages. */
export const GroupSeed = z.strictObject({
  id: kebabId,
  kind: z.enum(['organisation', 'country']),
  name: nonEmpty,
  side: Side,
  aliases: z.array(nonEmpty).check(z.minLength(1, 'needs at least one alias')),
});

export const EntitySeed = z.discriminatedUnion('kind', [PersonSeed, GroupSeed]);
export type EntitySeed = z.infer<typeof EntitySeed>;

/** `seeds/entities.json`. */
export const EntitiesFile = z.strictObject({
  $comment: z.optional(z.string()),
  entities: z.array(EntitySeed),
});
export type EntitiesFile = z.infer<typeof EntitiesFile>;

/** A curated topic: which words or article sections put a sentence into it. */
export const TopicSeed = z.strictObject({
  id: kebabId,
  label: nonEmpty,
  terms: z.array(nonEmpty),
  sections: z.array(nonEmpty),
});
export type TopicSeed = z.infer<typeof TopicSeed>;

/** `seeds/topics.json`. */
export const TopicsFile = z.strictObject({
  $comment: z.optional(z.string()),
  topics: z.array(TopicSeed),
});

/** Where a statement comes from: article id (seed file name without extension), 0-based paragraph and sentence index within that paragraph, and the sentence verbatim. */
export const Provenance = z.strictObject({
  articleId: nonEmpty,
  paragraph: z.number().check(z.int(), z.nonnegative()),
  sentence: z.number().check(z.int(), z.nonnegative()),
  text: nonEmpty,
});
export type Provenance = z.infer<typeof Provenance>;

/** A role derived from the text near an entity's first full-name mention ("US envoy"). `of` names the entity the role belongs to ("chief negotiator" of volodymyr-zelensky). */
export const Role = z.strictObject({
  title: nonEmpty,
  of: z.optional(kebabId),
  rank: z.optional(nonEmpty),
  source: Provenance,
});
export type Role = z.infer<typeof Role>;

/** A quotation from the sources attributed to an entity: the quoted words and the sentence holding them. */
export const Quote = z.strictObject({ quote: nonEmpty, source: Provenance });
export type Quote = z.infer<typeof Quote>;

/** One entity of the built knowledge base. `aliases` are the exact spellings the matcher looks for. */
export const Entity = z.strictObject({
  id: kebabId,
  kind: z.enum(['person', 'organisation', 'country']),
  name: nonEmpty,
  side: Side,
  aliases: z.array(nonEmpty),
  excludedFirstNames: z.array(z.string()),
  /** Whether the content script marks this entity on pages (countries are not marked). */
  marked: z.boolean(),
  role: z.nullable(Role),
  mentions: z.array(Provenance),
  quotes: z.array(Quote),
  topics: z.array(kebabId),
  /** Other entities named in the same sentences, most frequent first. */
  related: z.array(kebabId),
});
export type Entity = z.infer<typeof Entity>;

/** A topic with the sentences that belong to it. */
export const Topic = z.strictObject({
  id: kebabId,
  label: nonEmpty,
  sentences: z.array(Provenance),
  entities: z.array(kebabId),
});
export type Topic = z.infer<typeof Topic>;

/** What one side said or is reported to hold on a topic, with the sentence that says so. */
export const Position = z.strictObject({
  topicId: kebabId,
  side: Side,
  entityId: kebabId,
  source: Provenance,
  /** `subject`: the side's own entity is the sentence's subject; `mention`: the side is only named in it. */
  via: z.enum(['subject', 'mention']),
});
export type Position = z.infer<typeof Position>;

/** One seed article as parsed: title, date (null when the seed gives none), source URL (null when none), sections. */
export const Article = z.strictObject({
  id: nonEmpty,
  title: nonEmpty,
  date: z.nullable(z.string()),
  sourceUrl: z.nullable(z.string()),
  sections: z.array(
    z.strictObject({
      heading: z.nullable(z.string()),
      /** Paragraph indexes (as in Provenance.paragraph) under this heading. */
      paragraphs: z.array(z.number()),
      /** First sentence of each paragraph of the section: the section's key points. */
      keyPoints: z.array(Provenance),
    }),
  ),
});
export type Article = z.infer<typeof Article>;

/** The whole knowledge base, as written by `npm run kb` to `src/generated/kb.json`. */
export const KnowledgeBase = z.strictObject({
  version: z.literal(1),
  articles: z.array(Article),
  entities: z.array(Entity),
  topics: z.array(Topic),
  positions: z.array(Position),
});
export type KnowledgeBase = z.infer<typeof KnowledgeBase>;

/**
 * The part of the knowledge base the content script needs to find and filter mentions
 * (`src/generated/lexicon.json`): ids, aliases, exclusions and topics of marked entities only.
 */
export const LexiconEntry = z.strictObject({
  id: kebabId,
  aliases: z.array(nonEmpty),
  excludedFirstNames: z.array(z.string()),
  topics: z.array(kebabId),
});
export type LexiconEntry = z.infer<typeof LexiconEntry>;
export const Lexicon = z.array(LexiconEntry);
export type Lexicon = z.infer<typeof Lexicon>;
