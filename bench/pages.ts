/**
 * Bench pages, generated from a fixed seed so the bench knows where every name is (the ground truth).
 *
 * News-like English filler with KB aliases inserted at a given share of words, in every form the
 * matcher handles (as written, capitalised, ALL CAPS, possessive `'s`/`’s`, words joined by NBSP,
 * split by inline tags between words or inside a word), plus decoys that must not match and
 * regions that must be skipped (script, style, textarea, contenteditable), which are not in the truth.
 */
import { Prng } from './prng';

/** One expected mention: entity id and the text a tool must mark (a reported text containing it counts). */
export type Truth = [entityId: string, text: string];

/** An entity as the lexicon gives it (only what the generator needs). */
export interface LexiconLike {
  id: string;
  aliases: readonly string[];
}

/** A generated page. */
export interface BenchPage {
  /** Short stable name, e.g. `text-1mb-1pct`. */
  name: string;
  /** What the page exercises, one line. */
  description: string;
  html: string;
  /** Every mention a perfect tool reports, in document order. */
  truth: Truth[];
  /** Visible text on the page, characters (approximate: filler and names, not markup). */
  textChars: number;
  /** Whether the page holds names split by inline tags (tools that do not join elements cannot find those). */
  hasSplitNames: boolean;
}

/** A page that keeps growing: the static start, then batches the bench appends to `#feed` one at a time. */
export interface LivePage extends BenchPage {
  batches: { html: string; truth: Truth[] }[];
}

const FILLER = (
  'the talks in geneva went on late into the night as delegations weighed a draft that would freeze the front line ' +
  'officials said negotiators had made progress on prisoner exchanges but not on territory or security guarantees ' +
  'a senior diplomat described the mood as cautious while analysts warned that any deal would need parliament ' +
  'approval and a referendum the envoy arrived with a new proposal for monitoring a ceasefire along the river ' +
  'ministers from several european capitals met in berlin to discuss sanctions energy prices and reconstruction ' +
  'funding the president told reporters that his country would not accept terms dictated from outside and ' +
  'that frozen assets should pay for rebuilding schools hospitals and power plants damaged during the winter ' +
  'markets reacted calmly to the news while grain shipments continued through the corridor despite drone attacks ' +
  'aides to the chancellor said a summit could follow if the technical teams agree on a timetable for elections'
).split(' ');
const DECOYS = ['Merzig', 'Witkowski', 'Olena Zelenska', 'von der Heide', 'Tony Kushner', 'Merzouga', 'Natomas'];
const PUNCTUATION = ['', '', '', '', ',', ',', ';', ':'];
/** Example of every skipped region, each holding names no tool may report. */
const SKIPPED_REGIONS = [
  '<script>window.__benchNames = "Friedrich Merz met Steve Witkoff and Zelensky";</script>',
  '<style>/* Kushner Umerov NATO */ .bench-note { color: inherit; }</style>',
  '<textarea rows="2" cols="40">Merz and Witkoff drafted this with Zelensky</textarea>',
  '<div contenteditable="true"><p>Notes: Kushner, Umerov, von der Leyen, NATO.</p></div>',
];

type Form = 'plain' | 'possessive' | 'caps' | 'capitalised' | 'nbsp' | 'split-words' | 'split-inside';

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\u00A0/g, '&nbsp;');
}

/** Writes one mention in one form: HTML, the truth text, and its visible length. */
function writeMention(alias: string, form: Form, rng: Prng): { html: string; text: string; chars: number } {
  const words = alias.split(' ');
  switch (form) {
    case 'possessive': {
      const suffix = rng.pick(["'s", '’s']);
      return { html: escapeHtml(alias + suffix), text: alias, chars: alias.length + 2 };
    }
    case 'caps': {
      const upper = alias.toUpperCase();
      return { html: escapeHtml(upper), text: upper, chars: upper.length };
    }
    case 'capitalised': {
      const cap = alias.charAt(0).toUpperCase() + alias.slice(1);
      return { html: escapeHtml(cap), text: cap, chars: cap.length };
    }
    case 'nbsp':
      return { html: escapeHtml(words.join('\u00A0')), text: alias, chars: alias.length };
    case 'split-words': {
      const tag = rng.pick(['b', 'a', 'em', 'span']);
      const open = tag === 'a' ? '<a href="#p">' : `<${tag}>`;
      const cut = 1 + rng.int(words.length - 1);
      return { html: `${open}${escapeHtml(words.slice(0, cut).join(' '))}</${tag}> ${escapeHtml(words.slice(cut).join(' '))}`, text: alias, chars: alias.length };
    }
    case 'split-inside': {
      const last = words[words.length - 1]!;
      const cut = 1 + rng.int(last.length - 1);
      const head = [...words.slice(0, -1), last.slice(0, cut)].join(' ');
      return { html: `<i>${escapeHtml(head)}</i>${escapeHtml(last.slice(cut))}`, text: alias, chars: alias.length };
    }
    default:
      return { html: escapeHtml(alias), text: alias, chars: alias.length };
  }
}

/** Options of the filler writer. */
interface WriterOptions {
  /** Share of words that are names, e.g. 0.01. */
  density: number;
  /** Which forms may be used (split forms need elements, so a single text node cannot hold them). */
  forms: readonly Form[];
  /** Whether filler may carry inline links and emphasis (more text nodes per paragraph). */
  inlineTags: boolean;
}

/** Writes news-like sentences with names and decoys, recording the truth. */
class Writer {
  readonly truth: Truth[] = [];
  textChars = 0;
  private readonly aliases: { id: string; alias: string }[];

  constructor(
    private readonly rng: Prng,
    lexicon: readonly LexiconLike[],
    private readonly options: WriterOptions,
  ) {
    this.aliases = lexicon.flatMap((e) => e.aliases.map((alias) => ({ id: e.id, alias })));
  }

  /**
   * One sentence of about `words` words.
   * @param words how many word slots (a name or decoy takes one slot).
   * @param tokens when given, receives the sentence as separate pieces of HTML (one per word slot), for pages of many text nodes.
   */
  sentence(words: number, tokens?: string[]): string {
    const rng = this.rng;
    const parts: string[] = [];
    let previousSpecial = true; // no name at the start: a capitalised filler word could run into it
    for (let i = 0; i < words; i++) {
      const roll = rng.next();
      let piece: string;
      if (!previousSpecial && roll < this.options.density) {
        const { id, alias } = rng.pick(this.aliases);
        const multi = alias.includes(' ');
        const forms = this.options.forms.filter((f) => (f !== 'nbsp' && f !== 'split-words') || multi).filter((f) => f !== 'capitalised' || /^\p{Ll}/u.test(alias));
        const written = writeMention(alias, rng.pick(forms), rng);
        this.truth.push([id, written.text]);
        this.textChars += written.chars;
        piece = written.html;
        previousSpecial = true;
      } else if (!previousSpecial && roll < this.options.density * 1.5) {
        const decoy = rng.pick(DECOYS);
        this.textChars += decoy.length;
        piece = escapeHtml(decoy);
        previousSpecial = true;
      } else {
        let word = rng.pick(FILLER);
        if (i === 0) word = word.charAt(0).toUpperCase() + word.slice(1);
        this.textChars += word.length;
        piece = word;
        if (this.options.inlineTags && rng.next() < 0.03) piece = rng.next() < 0.5 ? `<a href="#n">${word}</a>` : `<em>${word}</em>`;
        previousSpecial = false;
      }
      const end = i === words - 1 ? '.' : rng.pick(PUNCTUATION);
      this.textChars += end.length + 1;
      parts.push(piece + end);
    }
    if (tokens) tokens.push(...parts.map((p) => `${p} `));
    return parts.join(' ');
  }

  /** A paragraph of a few sentences. */
  paragraph(): string {
    const count = 2 + this.rng.int(4);
    const sentences: string[] = [];
    for (let i = 0; i < count; i++) sentences.push(this.sentence(8 + this.rng.int(14)));
    return sentences.join(' ');
  }
}

const ALL_FORMS: readonly Form[] = ['plain', 'plain', 'plain', 'possessive', 'caps', 'capitalised', 'nbsp', 'split-words', 'split-inside'];
const TEXT_NODE_FORMS: readonly Form[] = ['plain', 'plain', 'plain', 'possessive', 'caps', 'capitalised', 'nbsp'];

function document(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>` +
    '<style>body{font:16px/1.5 Georgia,serif;max-width:46em;margin:2em auto;padding:0 1em}</style></head>' +
    `<body>${body}</body></html>`;
}

/**
 * A news-like page: headlines, paragraphs with links and emphasis, names in every form, decoys, and
 * now and then a skipped region (script, style, textarea, contenteditable) holding names.
 * @param bytes target visible text size, characters (UTF-16 units ≈ bytes for this mostly-ASCII text).
 * @param density share of words that are names (0.001 = 0.1%).
 */
export function newsPage(lexicon: readonly LexiconLike[], bytes: number, density: number, seed = 6): BenchPage {
  const rng = new Prng(seed);
  const writer = new Writer(rng, lexicon, { density, forms: ALL_FORMS, inlineTags: true });
  const parts: string[] = [];
  let paragraphs = 0;
  while (writer.textChars < bytes) {
    if (paragraphs % 12 === 0) parts.push(`<h2>${writer.sentence(6 + rng.int(5)).replace(/\.$/, '')}</h2>`);
    if (paragraphs % 20 === 7) parts.push(SKIPPED_REGIONS[(paragraphs / 20) % SKIPPED_REGIONS.length | 0]!);
    parts.push(`<p>${writer.paragraph()}</p>`);
    paragraphs++;
  }
  const label = bytes >= 1 << 20 ? `${Math.round(bytes / (1 << 20))}mb` : `${Math.round(bytes / 1024)}kb`;
  const pct = `${density * 100}`.replace('.', '_');
  return {
    name: `text-${label}-${pct}pct`,
    description: `news-like text, ${label.toUpperCase()}, names at ${density * 100}% of words`,
    html: document('Bench: news page', `<article><h1>Talks resume</h1>${parts.join('\n')}</article>`),
    truth: writer.truth,
    textChars: writer.textChars,
    hasSplitNames: true,
  };
}

/** A page of `count` small text nodes: every word its own `<span>`, so every multi-word name spans elements. */
export function manyNodesPage(lexicon: readonly LexiconLike[], count: number, density: number, seed = 7): BenchPage {
  const rng = new Prng(seed);
  const writer = new Writer(rng, lexicon, { density, forms: TEXT_NODE_FORMS, inlineTags: false });
  const paragraphs: string[] = [];
  let nodes = 0;
  while (nodes < count) {
    const tokens: string[] = [];
    const words = Math.min(8 + rng.int(30), count - nodes);
    writer.sentence(words, tokens);
    // A name's words go into separate spans too (that is how such pages split names).
    const spans = tokens.flatMap(splitWords);
    nodes += spans.length;
    paragraphs.push(`<p>${spans.map((t) => `<span>${t}</span>`).join('')}</p>`);
  }
  return {
    name: `nodes-${Math.round(count / 1000)}k`,
    description: `${count} small text nodes (a <span> per word), names at ${density * 100}% of words`,
    html: document('Bench: many nodes', `<article>${paragraphs.join('\n')}</article>`),
    truth: writer.truth,
    textChars: writer.textChars,
    hasSplitNames: true,
  };
}

/** `"Friedrich Merz, "` → `["Friedrich ", "Merz, "]`; a one-word token stays as it is. */
function splitWords(token: string): string[] {
  return token.trimEnd().split(' ').map((w) => `${w} `);
}

/** A page whose text sits `depth` elements deep (block wrappers, then a paragraph, then inline wrappers). */
export function deepPage(lexicon: readonly LexiconLike[], bytes: number, depth: number, density: number, seed = 8): BenchPage {
  const rng = new Prng(seed);
  const writer = new Writer(rng, lexicon, { density, forms: ALL_FORMS, inlineTags: true });
  const blocks = Math.ceil((depth - 1) * 0.7);
  const inlines = depth - 1 - blocks;
  const open = '<div>'.repeat(blocks) + '<p>' + '<span>'.repeat(inlines);
  const close = '</span>'.repeat(inlines) + '</p>' + '</div>'.repeat(blocks);
  const parts: string[] = [];
  while (writer.textChars < bytes) parts.push(open + writer.paragraph() + close);
  return {
    name: `deep-${depth}`,
    description: `text nested ${depth} elements deep (${blocks} div, p, ${inlines} span), ${Math.round(bytes / (1 << 20))} MB, names at ${density * 100}% of words`,
    html: document('Bench: deep nesting', parts.join('\n')),
    truth: writer.truth,
    textChars: writer.textChars,
    hasSplitNames: true,
  };
}

/** One paragraph holding a single text node of `bytes` characters. */
export function singleNodePage(lexicon: readonly LexiconLike[], bytes: number, density: number, seed = 9): BenchPage {
  const rng = new Prng(seed);
  const writer = new Writer(rng, lexicon, { density, forms: TEXT_NODE_FORMS, inlineTags: false });
  const sentences: string[] = [];
  while (writer.textChars < bytes) sentences.push(writer.sentence(8 + rng.int(14)));
  return {
    name: `single-node-${Math.round(bytes / (1 << 20))}mb`,
    description: `one text node of ${Math.round(bytes / (1 << 20))} MB, names at ${density * 100}% of words`,
    html: document('Bench: single node', `<p id="one">${sentences.join(' ')}</p>`),
    truth: writer.truth,
    textChars: writer.textChars,
    hasSplitNames: false,
  };
}

/**
 * A live page: a static news start, then `batches` batches of `perBatch` paragraphs (one sentence each),
 * appended by the bench to `<main id="feed">`.
 */
export function livePage(lexicon: readonly LexiconLike[], batches: number, perBatch: number, density: number, seed = 10): LivePage {
  const start = newsPage(lexicon, 100 * 1024, density, seed);
  const rng = new Prng(seed + 1);
  const list: LivePage['batches'] = [];
  let textChars = start.textChars;
  for (let b = 0; b < batches; b++) {
    const writer = new Writer(rng, lexicon, { density, forms: ALL_FORMS, inlineTags: true });
    const paragraphs: string[] = [];
    for (let i = 0; i < perBatch; i++) paragraphs.push(`<p>${writer.sentence(8 + rng.int(10))}</p>`);
    list.push({ html: paragraphs.join(''), truth: writer.truth });
    textChars += writer.textChars;
  }
  return {
    ...start,
    name: `live-${batches}x${perBatch}`,
    description: `live page: 100 KB start, then ${batches} batches of ${perBatch} paragraphs appended`,
    html: start.html.replace('</body>', '<main id="feed"></main></body>'),
    batches: list,
    textChars,
  };
}
