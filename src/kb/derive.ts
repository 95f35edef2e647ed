/**
 * Derives the knowledge base from parsed seed articles and the curated identity and topic lists.
 * Everything here is read off the article text: which sentences mention whom (with the same
 * `Matcher` the content script uses), roles from the words around a person's first full-name
 * mention, attributed quotations, co-mentions, topic membership and each side's stated positions.
 * Every derived statement carries its provenance (article, paragraph, sentence, verbatim text).
 */
import { Matcher, type Match } from '../matcher';
import type { ArticleSentence, ParsedArticle } from './article';
import type { EntitySeed, KnowledgeBase, Provenance, Role, TopicSeed, Entity, Position, Quote } from './schema';

/** Words that make a phrase a role ("US envoy", "chief negotiator"). */
const ROLE_WORDS =
  /\b(?:president|chancellor|envoy|negotiator|commander|minister|secretary|adviser|advisor|ambassador|leader|chief|head|spokes(?:man|woman|person)|director|official|diplomat|representative|premier|king|queen|senator|governor|mayor|chair(?:man|woman)?|emissary|mediator|aide|deputy|general|admiral|envoys|prime)\b/i;
/** Ranks and honorifics that stand directly before a name and say less than an appositive role. */
const RANKS = /^(?:General|Gen\.|Admiral|Adm\.|Colonel|Col\.|Lieutenant|Dr\.?|Mr\.?|Mrs\.?|Ms\.?|Sir|Dame)$/;
/** Words after which a phrase starts anew: the role phrase is what follows the last of them. */
const PHRASE_BREAK = /(?:[,;:(\u2013\u2014]|\b(?:and|with|by|of|from|to|for|as|that|said|met|on|in|at|between|joined|including)\b)\s*/g;
const DETERMINERS = /^(?:the|a|an|his|her|its|their|our)\s+/i;
const POSSESSIVE_PRONOUN = /^(?:his|her|their)\s+/i;
const PREPOSITIONS = /\b(?:in|of|to|for|with|from|into|against|on|at|by|over|about|between|among)\s+(?:the\s+)?$/i;
const SPEECH_VERBS =
  /\b(?:said|says|stated|stating|states|reported|reports|described|describes|acknowledged|indicated|told|warned|demanded|called|considered|insisted|added|announced|declared|argued|claimed|wrote|noted)\b/g;
const QUOTATION = /["“]([^"”]+)["”]/g;

/** A sentence with its source location and the mentions found in it. */
interface ScannedSentence extends ArticleSentence {
  articleId: string;
  matches: Match[];
  /** Entity the sentence is about (its grammatical subject), when one can be told. */
  subject: string | null;
}

function provenance(s: ScannedSentence): Provenance {
  return { articleId: s.articleId, paragraph: s.paragraph, sentence: s.sentence, text: s.text };
}

/** The phrase after the last phrase break in `text`, without leading determiners; whether it began with "his"/"her". */
function lastPhrase(text: string): { phrase: string; possessive: boolean } {
  let cut = 0;
  for (const m of text.matchAll(PHRASE_BREAK)) cut = m.index + m[0].length;
  const phrase = text.slice(cut).trim();
  return { phrase: phrase.replace(DETERMINERS, ''), possessive: POSSESSIVE_PRONOUN.test(phrase) };
}

/**
 * Reads a person's role off the words around a full-name mention: a title right before the name
 * ("US envoy Steve Witkoff"), an appositive before it ("his chief negotiator, Rustem Umerov";
 * "NATO Supreme Allied Commander Europe, General Alexus Grynkewich") or after it ("Rustem Umerov,
 * Ukraine's chief negotiator,"). Returns null when the text gives no role.
 */
function deriveRole(s: ScannedSentence, match: Match, persons: ReadonlySet<string>): Omit<Role, 'source'> | null {
  const prefix = s.text.slice(0, match.start);
  const ownerBefore = () => [...s.matches].reverse().find((m) => m.end <= match.start && persons.has(m.entityId))?.entityId;
  const withOwner = (title: string, possessive: boolean, rank?: string): Omit<Role, 'source'> => {
    const role: Omit<Role, 'source'> = { title };
    const owner = possessive ? ownerBefore() : undefined;
    if (owner) role.of = owner;
    if (rank) role.rank = rank;
    return role;
  };
  const immediate = /,\s*$/.test(prefix) ? { phrase: '', possessive: false } : lastPhrase(prefix);
  const immediateIsRank = RANKS.test(immediate.phrase);
  if (immediate.phrase && !immediateIsRank && ROLE_WORDS.test(immediate.phrase) && immediate.phrase.split(/\s+/).length <= 6) {
    return withOwner(immediate.phrase, immediate.possessive);
  }
  // An appositive: "<role>, [Rank] Name".
  const beforeComma = /^(.*),\s*(?:\S+\s+)?$/.exec(immediateIsRank || !immediate.phrase ? prefix : '');
  if (beforeComma) {
    const appositive = lastPhrase(beforeComma[1]!);
    if (appositive.phrase && ROLE_WORDS.test(appositive.phrase) && appositive.phrase.split(/\s+/).length <= 6) {
      return withOwner(appositive.phrase, appositive.possessive, immediateIsRank ? immediate.phrase : undefined);
    }
  }
  // After the name: "Name, <role>,".
  const after = /^['’]?s?,\s*([^,;.]+?)\s*(?:[,;.]|$)/.exec(s.text.slice(match.end));
  if (after && ROLE_WORDS.test(after[1]!) && after[1]!.split(/\s+/).length <= 6) {
    const phrase = after[1]!.replace(DETERMINERS, '');
    return withOwner(phrase, POSSESSIVE_PRONOUN.test(after[1]!));
  }
  if (immediateIsRank) return { title: immediate.phrase };
  return null;
}

/**
 * Mentions that can be a sentence's subject: not after a preposition ("in NATO") and not a
 * possessive modifier ("Kyiv's membership"); "For Russia, …" (a point of view) counts.
 */
function subjectCandidates(text: string, matches: readonly Match[]): Match[] {
  const result: Match[] = [];
  let previous: { match: Match; candidate: boolean } | null = null;
  for (const m of matches) {
    const before = text.slice(0, m.start);
    let candidate: boolean;
    if (previous && /^\s*,?\s*and\s+(?:the\s+)?$/i.test(text.slice(previous.match.end, m.start))) {
      candidate = previous.candidate; // "between Ukraine and the United States": both or neither
    } else if (/^\s*for\s+$/i.test(before)) {
      candidate = true;
    } else {
      candidate = !PREPOSITIONS.test(before) && !/['’]s$/.test(text.slice(m.start, m.end));
    }
    if (candidate) result.push(m);
    previous = { match: m, candidate };
  }
  return result;
}

/** The first verb that can end a sentence's subject: an auxiliary or a past form ("is", "has", "participated"). */
const MAIN_VERB = /\b(?:is|are|was|were|has|have|had|will|would|may|might|can|could|should|must|does|do|did|held|met|made|took|gave|went|came|left|began|spoke|sat|led|told|became|remains|remain|seeks|wants|[a-z]{3,}ed)\b/;

/**
 * The entity a sentence is about: a leading He/She refers to the last person before; otherwise the
 * last candidate before a speech verb ("Zelensky stated"), else before the main verb ("The United
 * States has"); null when no candidate stands there.
 */
function findSubject(text: string, matches: readonly Match[], lastPerson: string | null): string | null {
  if (/^(?:He|She)\b/.test(text)) return lastPerson;
  const candidates = subjectCandidates(text, matches);
  const lastBefore = (index: number) => candidates.filter((m) => m.end <= index).at(-1)?.entityId ?? null;
  const speech = [...text.matchAll(SPEECH_VERBS)][0];
  const bySpeech = speech ? lastBefore(speech.index) : null;
  if (bySpeech) return bySpeech;
  const verb = MAIN_VERB.exec(text);
  return verb ? lastBefore(verb.index) : null;
}

function compileTerms(terms: readonly string[]): RegExp | null {
  if (terms.length === 0) return null;
  const escaped = terms.map((t) => t.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&').replace(/\s+/g, '\\s+').replace(/'/g, "['’]"));
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${escaped.join('|')})(?![\\p{L}\\p{N}])`, 'iu');
}

/** Aliases of a curated entity: every first name × surname, then every surname alone; or the curated aliases. */
export function aliasesOf(seed: EntitySeed): string[] {
  if (seed.kind !== 'person') return [...new Set(seed.aliases)];
  const full = seed.firstNames.flatMap((first) => seed.surnames.map((last) => `${first} ${last}`));
  return [...new Set([...full, ...seed.surnames])];
}

/** Builds the matcher for every curated entity (marked or not). */
export function matcherFor(seeds: readonly EntitySeed[]): Matcher {
  return new Matcher(
    seeds.map((seed) => ({
      id: seed.id,
      aliases: aliasesOf(seed),
      excludedFirstNames: seed.kind === 'person' ? seed.excludedFirstNames : [],
    })),
  );
}

/**
 * Derives the knowledge base.
 * @param articles parsed seed articles, in file-name order.
 * @param seeds curated entities (validated).
 * @param topicSeeds curated topics (validated).
 * @returns the knowledge base (validate it with `KnowledgeBase` before writing) and human-readable warnings.
 * @throws Error when a curated role override quotes a sentence no article contains.
 */
export function deriveKnowledgeBase(
  articles: readonly ParsedArticle[],
  seeds: readonly EntitySeed[],
  topicSeeds: readonly TopicSeed[],
): { kb: KnowledgeBase; warnings: string[] } {
  const warnings: string[] = [];
  const matcher = matcherFor(seeds);
  const persons = new Set(seeds.filter((s) => s.kind === 'person').map((s) => s.id));
  const sideOf = new Map(seeds.map((s) => [s.id, s.side]));

  const sentences: ScannedSentence[] = [];
  for (const article of articles) {
    let lastPerson: string | null = null;
    for (const sentence of article.sentences) {
      const matches = matcher.find(sentence.text);
      const subject = findSubject(sentence.text, matches, lastPerson);
      if (subject && persons.has(subject)) lastPerson = subject;
      else {
        const firstPerson = subjectCandidates(sentence.text, matches).find((m) => persons.has(m.entityId));
        if (firstPerson) lastPerson = firstPerson.entityId;
      }
      sentences.push({ ...sentence, articleId: article.id, matches, subject });
    }
  }

  const topicRules = topicSeeds.map((t) => ({ seed: t, terms: compileTerms(t.terms), sections: new Set(t.sections) }));
  const topicsOf = (s: ScannedSentence) =>
    topicRules.filter((r) => r.terms?.test(s.text) || (s.section !== null && r.sections.has(s.section))).map((r) => r.seed.id);
  const sentenceTopics = new Map(sentences.map((s) => [s, topicsOf(s)]));

  const entities: Entity[] = seeds.map((seed) => {
    const own = sentences.filter((s) => s.matches.some((m) => m.entityId === seed.id));
    const aliases = aliasesOf(seed);
    if (own.length === 0) warnings.push(`entity ${seed.id}: none of its aliases (${aliases.join(', ')}) occurs in any seed article`);

    let role: Role | null = null;
    if (seed.kind === 'person' && seed.roleOverride) {
      const override = seed.roleOverride;
      const source = sentences.find((s) => s.text === override.sourceSentence || s.text.includes(override.sourceSentence));
      if (!source) throw new Error(`seeds/entities.json: entity "${seed.id}" field "roleOverride.sourceSentence": no seed article contains this sentence`);
      role = { title: override.role, source: provenance(source) };
    } else if (seed.kind === 'person') {
      for (const s of own) {
        const full = s.matches.find((m) => m.entityId === seed.id && /\s/.test(s.text.slice(m.start, m.end)));
        if (!full) continue;
        const derived = deriveRole(s, full, persons);
        if (derived) role = { ...derived, source: provenance(s) };
        break;
      }
    }

    const quotes: Quote[] = [];
    for (const s of sentences) {
      if (s.subject !== seed.id) continue;
      for (const q of s.text.matchAll(QUOTATION)) quotes.push({ quote: q[1]!.trim(), source: provenance(s) });
    }

    const coCount = new Map<string, number>();
    for (const s of own) for (const m of s.matches) if (m.entityId !== seed.id) coCount.set(m.entityId, (coCount.get(m.entityId) ?? 0) + 1);
    const related = [...coCount].sort((a, b) => b[1] - a[1]).map(([id]) => id);
    const topics = [...new Set(own.flatMap((s) => sentenceTopics.get(s) ?? []))];

    return {
      id: seed.id,
      kind: seed.kind,
      name: seed.name,
      side: seed.side,
      aliases,
      excludedFirstNames: seed.kind === 'person' ? seed.excludedFirstNames : [],
      marked: seed.kind !== 'country',
      role,
      mentions: own.map(provenance),
      quotes,
      topics,
      related,
    };
  });

  const topics = topicSeeds.map((t) => {
    const own = sentences.filter((s) => sentenceTopics.get(s)?.includes(t.id));
    if (own.length === 0) warnings.push(`topic ${t.id}: no seed sentence belongs to it`);
    const ids = [...new Set(own.flatMap((s) => s.matches.map((m) => m.entityId)))];
    return { id: t.id, label: t.label, sentences: own.map(provenance), entities: ids };
  });

  // Positions: per topic and side, the sentences whose subject stands on that side; a side that
  // states none but is named in the topic's sentences gets those as "reported" positions.
  const positions: Position[] = [];
  for (const t of topicSeeds) {
    const own = sentences.filter((s) => sentenceTopics.get(s)?.includes(t.id));
    const sidesWithSubject = new Set<string>();
    for (const s of own) {
      if (!s.subject) continue;
      const side = sideOf.get(s.subject)!;
      sidesWithSubject.add(side);
      positions.push({ topicId: t.id, side, entityId: s.subject, source: provenance(s), via: 'subject' });
    }
    const terms = compileTerms(t.terms);
    const globalTerms = terms ? new RegExp(terms.source, 'giu') : null;
    for (const s of own) {
      // An entity named inside the topic's own words ("NATO membership") is what the topic is about, not a side in it.
      const termSpans = globalTerms ? [...s.text.matchAll(globalTerms)].map((m) => [m.index, m.index + m[0].length] as const) : [];
      for (const m of s.matches) {
        if (termSpans.some(([a, b]) => m.start >= a && m.end <= b)) continue;
        const side = sideOf.get(m.entityId)!;
        if (sidesWithSubject.has(side) || m.entityId === s.subject) continue;
        if (positions.some((p) => p.topicId === t.id && p.side === side && p.source.text === s.text)) continue;
        positions.push({ topicId: t.id, side, entityId: m.entityId, source: provenance(s), via: 'mention' });
      }
    }
  }

  const kbArticles = articles.map((a) => ({
    id: a.id,
    title: a.title,
    date: a.date,
    sourceUrl: a.sourceUrl,
    sections: a.sections.map((sec) => ({
      heading: sec.heading,
      paragraphs: sec.paragraphs,
      keyPoints: sec.paragraphs
        .map((p) => sentences.find((s) => s.articleId === a.id && s.paragraph === p && s.sentence === 0))
        .filter((s): s is ScannedSentence => s !== undefined)
        .map(provenance),
    })),
  }));

  return { kb: { version: 1, articles: kbArticles, entities, topics, positions }, warnings };
}
