/**
 * Parses a seed article (`seeds/*.txt`, plain text as the product owner supplies it) into title,
 * date, source link, sections and sentences. Boilerplate lines of the export format ("Back",
 * "Source Article", "Generated on:") are read for what they say and never become body text; when
 * they say nothing (no date, no link) the result says null rather than inventing a value.
 */

/** A sentence of a seed article with its position: 0-based paragraph index among body paragraphs, 0-based sentence index in that paragraph. */
export interface ArticleSentence {
  paragraph: number;
  sentence: number;
  text: string;
  /** Heading of the section the paragraph sits under, or null before the first heading. */
  section: string | null;
}

/** A parsed seed article. */
export interface ParsedArticle {
  id: string;
  title: string;
  date: string | null;
  sourceUrl: string | null;
  sections: { heading: string | null; paragraphs: number[] }[];
  sentences: ArticleSentence[];
}

/** Thrown for a seed article that cannot be read; the message names the file and line. */
export class SeedError extends Error {
  constructor(file: string, line: number | null, detail: string) {
    super(`${file}${line === null ? '' : `:${line}`}: ${detail}`);
    this.name = 'SeedError';
  }
}

const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

/** Splits a paragraph into trimmed sentences with `Intl.Segmenter`. */
export function splitSentences(paragraph: string): string[] {
  return [...segmenter.segment(paragraph)].map((s) => s.segment.trim()).filter((s) => s.length > 0);
}

/** A heading is a short single line that does not end like a sentence. */
function isHeading(block: string): boolean {
  return !block.includes('\n') && block.length <= 100 && !/[.!?:;,"”)]$/.test(block) && block.split(/\s+/).length <= 12;
}

/**
 * Parses one seed article.
 * @param id article id (the file name without extension).
 * @param text the file's text (UTF-8 decoded).
 * @param file path used in error messages.
 * @throws SeedError when the article has no title or no body paragraph.
 */
export function parseArticle(id: string, text: string, file: string): ParsedArticle {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let date: string | null = null;
  let sourceUrl: string | null = null;
  let title: string | null = null;
  const blocks: { text: string; line: number }[] = [];
  let current: { text: string; line: number } | null = null;
  lines.forEach((raw, index) => {
    const line = raw.trim();
    const generated = /^Generated on:\s*(.*)$/i.exec(line);
    const source = /^Source Article:?\s*(.*)$/i.exec(line);
    if (line === '' || /^Back$/i.test(line) || generated || source) {
      if (generated) date = generated[1]!.trim() || null;
      if (source) sourceUrl = /^https?:\/\/\S+$/.test(source[1]!.trim()) ? source[1]!.trim() : null;
      if (current) blocks.push(current);
      current = null;
      return;
    }
    if (current) current.text += `\n${line}`;
    else current = { text: line, line: index + 1 };
  });
  if (current) blocks.push(current);
  const first = blocks.shift();
  if (!first) throw new SeedError(file, null, 'the article has no title line');
  title = first.text.replace(/\n/g, ' ');

  const sections: ParsedArticle['sections'] = [];
  const sentences: ArticleSentence[] = [];
  let section: ParsedArticle['sections'][number] = { heading: null, paragraphs: [] };
  let paragraph = 0;
  for (const block of blocks) {
    if (isHeading(block.text)) {
      if (section.heading !== null || section.paragraphs.length > 0) sections.push(section);
      section = { heading: block.text, paragraphs: [] };
      continue;
    }
    section.paragraphs.push(paragraph);
    splitSentences(block.text.replace(/\n/g, ' ')).forEach((text, sentence) => {
      sentences.push({ paragraph, sentence, text, section: section.heading });
    });
    paragraph += 1;
  }
  if (section.heading !== null || section.paragraphs.length > 0) sections.push(section);
  if (paragraph === 0) throw new SeedError(file, first.line, 'the article has a title but no body paragraph');
  return { id, title, date, sourceUrl, sections, sentences };
}
