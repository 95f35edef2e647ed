/** The popup's briefing model, built from the generated knowledge base, and the popup's small helpers. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KnowledgeBase } from '../../src/kb/schema';
import { MAIN_SIDES, NOT_GIVEN, buildBriefing, countPageEntities, groupHistory, normaliseSite, siteOf, sourceAnchor } from '../../src/ui/briefing';

const kb = JSON.parse(readFileSync(join(import.meta.dirname, '../../src/generated/kb.json'), 'utf8')) as KnowledgeBase;
const briefing = buildBriefing(kb);

describe('buildBriefing', () => {
  it('gives the headline and says that the seed has no date and no link', () => {
    expect(briefing.headline).toBe(kb.articles[0]!.title);
    expect(briefing.dateMissing).toBe(true);
    expect(briefing.date).toBe(NOT_GIVEN.date);
    expect(briefing.sourceUrls).toEqual([]);
  });

  it('lists each section with its key points, every one of them in the cited sources', () => {
    expect(briefing.sections.map((s) => s.heading)).toEqual(kb.articles[0]!.sections.map((s) => s.heading));
    const cited = new Set(briefing.sources.flatMap((a) => a.sections.flatMap((s) => s.sentences.map(sourceAnchor))));
    for (const s of briefing.sections) for (const p of s.keyPoints) expect(cited.has(sourceAnchor(p)), p.text).toBe(true);
  });

  it('groups who is who by side, without countries, with roles or null', () => {
    const us = briefing.sides.find((s) => s.side === 'united-states')!;
    expect(us.entries.map((e) => [e.name, e.role])).toEqual([
      ['Steve Witkoff', 'US envoy'],
      ['Jared Kushner', null],
    ]);
    expect(briefing.sides.flatMap((s) => s.entries).some((e) => e.kind === 'country')).toBe(false);
    const umerov = briefing.sides.flatMap((s) => s.entries).find((e) => e.id === 'rustem-umerov')!;
    expect(umerov.role).toBe('Chief negotiator of Volodymyr Zelensky');
    expect(umerov.roleSource?.text).toMatch(/Rustem Umerov/);
  });

  it('builds the NATO membership table with the main sides, quoting sources, and empty cells where nothing is said', () => {
    const nato = briefing.issues.find((i) => i.topicId === 'nato-membership')!;
    expect(nato.cells.map((c) => c.side)).toEqual([...MAIN_SIDES]);
    const cell = (side: string) => nato.cells.find((c) => c.side === side)!;
    expect(cell('united-states').quotes[0]!.source.text).toMatch(/^The United States has also reiterated/);
    expect(cell('russia').quotes.map((q) => q.via)).toEqual(['subject', 'subject']);
    expect(cell('european-union').quotes[0]!.via).toBe('mention');
    const guarantees = briefing.issues.find((i) => i.topicId === 'security-guarantees')!;
    expect(guarantees.cells.find((c) => c.side === 'russia')!.quotes).toEqual([]);
    // Each sentence at most once per cell.
    for (const issue of briefing.issues) for (const c of issue.cells) expect(new Set(c.quotes.map((q) => q.source.text)).size).toBe(c.quotes.length);
  });
});

describe('popup helpers', () => {
  it('counts mentions per entity over frames, top frame first', () => {
    const frames = [
      { frameId: 3, mentions: [{ entityId: 'b' }, { entityId: 'a' }] },
      { frameId: 0, mentions: [{ entityId: 'a' }, { entityId: 'a' }] },
    ];
    expect(countPageEntities(frames)).toEqual([
      { entityId: 'a', count: 3, frameIds: [0, 3] },
      { entityId: 'b', count: 1, frameIds: [3] },
    ]);
  });

  it('groups history by entity, newest first, capped per entity', () => {
    const e = (entityId: string, lastSeen: number) => ({ entityId, lastSeen, url: `u${lastSeen}` });
    expect(groupHistory([e('a', 1), e('b', 5), e('a', 3), e('a', 4)], 2)).toEqual([
      { entityId: 'b', entries: [e('b', 5)] },
      { entityId: 'a', entries: [e('a', 4), e('a', 3)] },
    ]);
  });

  it('reads sites from URLs and from what a user types', () => {
    expect(siteOf('http://127.0.0.1:8080/x')).toBe('127.0.0.1');
    expect(siteOf('chrome://newtab/')).toBeNull();
    expect(siteOf(undefined)).toBeNull();
    expect(normaliseSite(' https://www.Example.com/path?q ')).toBe('example.com');
    expect(normaliseSite('news.bbc.co.uk/world')).toBe('news.bbc.co.uk');
    expect(normaliseSite('localhost:3000')).toBe('localhost');
    expect(normaliseSite('not a site')).toBeNull();
    expect(normaliseSite('-bad-.com')).toBeNull();
    expect(normaliseSite('')).toBeNull();
  });
});
