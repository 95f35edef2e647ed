/**
 * The mention matcher, shared by the knowledge-base builder and the content script.
 *
 * It finds whole-word mentions of entity aliases in a string: the alias as written, with its first
 * letter capitalised ("Von der Leyen") or in ALL CAPS ("WITKOFF"), never in lowercase; an optional
 * possessive (`'s`, `’s`); any run of white space (including U+00A0) between the words of an alias.
 * Word edges are Unicode-aware ("Merzig", "Witkoffians" and "Natomas" are not mentions), and a
 * surname preceded by another person's first name ("Tony Kushner") is not a mention of the entity.
 * Callers strip soft hyphens and other invisible characters before matching (see `INVISIBLE`).
 */

/** What the matcher needs of an entity: its id, the exact spellings to find, and first names that rule a bare-surname mention out. */
export interface MatcherEntity {
  readonly id: string;
  readonly aliases: readonly string[];
  readonly excludedFirstNames: readonly string[];
}

/** A mention found in a string: entity id and UTF-16 offsets `[start, end)` into that string. */
export interface Match {
  entityId: string;
  start: number;
  end: number;
}

/** Characters a reader does not see and that never separate a name: soft hyphen, zero-width space, word joiner, BOM. */
export const INVISIBLE = /[\u00AD\u200B\u2060\uFEFF]/g;
/** Whether a string holds any of those characters (`INVISIBLE` without the global flag, so `test` keeps no state). */
export const HAS_INVISIBLE = new RegExp(INVISIBLE.source);

const WORD_CHAR = /[\p{L}\p{M}\p{N}]/u;
const WHITESPACE_TOKEN = '\u0000ws';
const APOSTROPHE_TOKEN = '\u0000ap';
const PRECEDING_WORD = /([\p{L}\p{M}'’.-]+)\s+$/u;

interface AliasInfo {
  entityId: string;
  /** True for a one-word alias (a bare surname) that excluded first names apply to. */
  singleWord: boolean;
  excluded: ReadonlySet<string>;
}

/** Splits an alias into tokens: characters, with white space runs and apostrophes as wildcard tokens. */
function tokenize(alias: string): string[] {
  const tokens: string[] = [];
  for (const ch of alias.trim()) {
    if (/\s/.test(ch)) {
      if (tokens[tokens.length - 1] !== WHITESPACE_TOKEN) tokens.push(WHITESPACE_TOKEN);
    } else if (ch === "'" || ch === '’') tokens.push(APOSTROPHE_TOKEN);
    else tokens.push(ch);
  }
  return tokens;
}

interface TrieNode {
  end: boolean;
  children: Map<string, TrieNode>;
}

function escapeToken(token: string): string {
  if (token === WHITESPACE_TOKEN) return '\\s+';
  if (token === APOSTROPHE_TOKEN) return "['’]";
  return token.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

/** Turns a trie of tokens into a regular expression source that shares common prefixes. */
function trieToSource(node: TrieNode): string {
  const branches = [...node.children].map(([token, child]) => escapeToken(token) + trieToSource(child));
  if (branches.length === 0) return '';
  const body = branches.length === 1 ? branches[0]! : `(?:${branches.join('|')})`;
  return node.end ? `(?:${body})?` : body;
}

/** Key under which a matched text is looked up: white space folded to one space, apostrophes unified. */
function lookupKey(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/’/g, "'");
}

function capitaliseFirst(alias: string): string {
  return alias.charAt(0).toUpperCase() + alias.slice(1);
}

function isWordCharAt(text: string, index: number, before: boolean): boolean {
  if (index < 0 || index >= text.length) return false;
  const code = text.charCodeAt(index);
  // ASCII fast path: letters and digits are word characters, everything else is not.
  if (code < 0x80) return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x39);
  let ch = text.charAt(index);
  if (before && code >= 0xdc00 && code <= 0xdfff && index > 0) ch = text.slice(index - 1, index + 1);
  else if (!before && code >= 0xd800 && code <= 0xdbff) ch = text.slice(index, index + 2);
  return WORD_CHAR.test(ch);
}

/** A compiled matcher for a fixed set of entities. Build once, reuse for every string. */
export class Matcher {
  private readonly regex: RegExp;
  private readonly byKey = new Map<string, AliasInfo>();
  /** Matched text (possessive included) → its alias, or null: a few distinct strings recur on a page. */
  private readonly byMatch = new Map<string, AliasInfo | null>();
  /** Longest alias variant plus a possessive, in UTF-16 units: the overlap needed between windows. */
  readonly maxMatchLength: number;

  /**
   * @param entities entities with their aliases (from the knowledge base).
   * @throws Error when two entities share an alias spelling, or no alias is given at all.
   */
  constructor(entities: readonly MatcherEntity[]) {
    const root: TrieNode = { end: false, children: new Map() };
    let maxLength = 0;
    for (const entity of entities) {
      const excluded = new Set(entity.excludedFirstNames.map((n) => n.toLowerCase()));
      for (const alias of entity.aliases) {
        const variants = new Set([alias, capitaliseFirst(alias), alias.toUpperCase()]);
        for (const variant of variants) {
          const key = lookupKey(variant);
          const previous = this.byKey.get(key);
          if (previous && previous.entityId !== entity.id) {
            throw new Error(`Alias "${variant}" is claimed by both ${previous.entityId} and ${entity.id}`);
          }
          this.byKey.set(key, { entityId: entity.id, singleWord: !/\s/.test(alias), excluded });
          let node = root;
          for (const token of tokenize(variant)) {
            let next = node.children.get(token);
            if (!next) node.children.set(token, (next = { end: false, children: new Map() }));
            node = next;
          }
          node.end = true;
          maxLength = Math.max(maxLength, variant.length);
        }
      }
    }
    if (root.children.size === 0) throw new Error('The matcher needs at least one alias');
    // A possessive is part of the mention; white space inside an alias may be wider than one character.
    this.regex = new RegExp(`${trieToSource(root)}(?:['’][sS])?`, 'g');
    this.maxMatchLength = maxLength * 4 + 2;
  }

  private aliasOf(matched: string): AliasInfo | null {
    let info = this.byMatch.get(matched);
    if (info === undefined) {
      info = this.byKey.get(lookupKey(matched.replace(/['’][sS]$/, ''))) ?? this.byKey.get(lookupKey(matched)) ?? null;
      if (this.byMatch.size < 10_000) this.byMatch.set(matched, info);
    }
    return info;
  }

  /**
   * Finds the mentions that start in `text[from, to)`, in order, not overlapping.
   * A mention may end after `to`; word edges are checked against the whole `text`.
   * @param text the string to search (soft hyphens already removed).
   * @param from first UTF-16 offset a mention may start at (default 0).
   * @param to offset before which a mention must start (default `text.length`).
   */
  find(text: string, from = 0, to = text.length): Match[] {
    const matches: Match[] = [];
    const windowEnd = Math.min(text.length, to + this.maxMatchLength);
    const slice = from === 0 && windowEnd === text.length ? text : text.slice(from, windowEnd);
    const regex = this.regex;
    regex.lastIndex = 0;
    const limit = to - from;
    let m: RegExpExecArray | null;
    while ((m = regex.exec(slice)) !== null) {
      if (m.index >= limit) break;
      const start = from + m.index;
      let end = start + m[0].length;
      let matched = m[0];
      if (isWordCharAt(text, start - 1, true)) {
        regex.lastIndex = m.index + 1;
        continue;
      }
      if (isWordCharAt(text, end, false) && matched.length > 2 && (matched.charCodeAt(matched.length - 2) === 0x27 || matched.charCodeAt(matched.length - 2) === 0x2019) && (matched.endsWith('s') || matched.endsWith('S'))) {
        // "Merz'sche": the apostrophe ends the name, the rest is another word.
        matched = matched.slice(0, -2);
        end -= 2;
      }
      if (isWordCharAt(text, end, false)) {
        regex.lastIndex = m.index + 1;
        continue;
      }
      const info = this.aliasOf(matched);
      if (!info) {
        regex.lastIndex = m.index + 1;
        continue;
      }
      if (info.singleWord && info.excluded.size > 0) {
        const before = PRECEDING_WORD.exec(text.slice(Math.max(0, start - 40), start));
        if (before && info.excluded.has(before[1]!.toLowerCase())) continue;
      }
      matches.push({ entityId: info.entityId, start, end });
    }
    return matches;
  }
}
