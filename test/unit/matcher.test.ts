import { describe, expect, it } from 'vitest';
import { Matcher, INVISIBLE } from '../../src/matcher';
import lexicon from '../../src/generated/lexicon.json';

const matcher = new Matcher(lexicon);

/** Mentions in a string as [entityId, matched text]. */
function find(text: string): [string, string][] {
  const clean = text.replace(INVISIBLE, '');
  return matcher.find(clean).map((m) => [m.entityId, clean.slice(m.start, m.end)]);
}

describe('Matcher', () => {
  it('finds full names and surnames, longest first', () => {
    expect(find('US envoy Steve Witkoff met Merz; later Witkoff left.')).toEqual([
      ['steve-witkoff', 'Steve Witkoff'],
      ['friedrich-merz', 'Merz'],
      ['steve-witkoff', 'Witkoff'],
    ]);
    expect(find('Ursula von der Leyen and von der Leyen')).toEqual([
      ['ursula-von-der-leyen', 'Ursula von der Leyen'],
      ['ursula-von-der-leyen', 'von der Leyen'],
    ]);
  });

  it('matches whole words only, with Unicode word edges', () => {
    expect(find('Merzig, Witkoffians, Natomas, Merzöl, ÖMerz, Merz2, Zelenska')).toEqual([]);
    expect(find('Olena Zelenska met the press')).toEqual([]);
  });

  it('takes possessives, straight and curly, into the mention', () => {
    expect(find("Merz’s office and Witkoff's deputy")).toEqual([
      ['friedrich-merz', 'Merz’s'],
      ['steve-witkoff', "Witkoff's"],
    ]);
    expect(find("MERZ'S PLAN")).toEqual([['friedrich-merz', "MERZ'S"]]);
  });

  it('matches capitalised and ALL-CAPS forms, never lowercase', () => {
    expect(find('WITKOFF AND MERZ MEET; Von der Leyen spoke')).toEqual([
      ['steve-witkoff', 'WITKOFF'],
      ['friedrich-merz', 'MERZ'],
      ['ursula-von-der-leyen', 'Von der Leyen'],
    ]);
    expect(find('merz and witkoff and nato')).toEqual([]);
  });

  it('knows NATO and Nato, and splits hyphenated compounds', () => {
    expect(find('the Nato summit and a NATO-style pact')).toEqual([
      ['nato', 'Nato'],
      ['nato', 'NATO'],
    ]);
    expect(find('a Zelensky-Witkoff meeting')).toEqual([
      ['volodymyr-zelensky', 'Zelensky'],
      ['steve-witkoff', 'Witkoff'],
    ]);
  });

  it('knows transliterations', () => {
    expect(find('Zelenskyy, Zelenskiy, Selenskyj, Zelenski, Umerow, Зеленский').map(([id]) => id)).toEqual([
      'volodymyr-zelensky',
      'volodymyr-zelensky',
      'volodymyr-zelensky',
      'volodymyr-zelensky',
      'rustem-umerov',
      'volodymyr-zelensky',
    ]);
  });

  it('rules out a surname after another person\'s first name', () => {
    expect(find("Tony Kushner's new play; Charles Kushner; TONY KUSHNER")).toEqual([]);
    expect(find('Jared Kushner and Kushner')).toEqual([
      ['jared-kushner', 'Jared Kushner'],
      ['jared-kushner', 'Kushner'],
    ]);
  });

  it('treats any white space, NBSP included, as the space in a name, and ignores soft hyphens once removed', () => {
    expect(find('Friedrich\u00A0Merz and Steve \n Witkoff and Gryn\u00ADkewich')).toEqual([
      ['friedrich-merz', 'Friedrich\u00A0Merz'],
      ['steve-witkoff', 'Steve \n Witkoff'],
      ['alexus-grynkewich', 'Grynkewich'],
    ]);
  });

  it('finds only mentions that start inside the window, checking edges against the whole text', () => {
    const text = 'xxMerz Merz';
    expect(matcher.find(text, 2, 6)).toEqual([]); // "xxMerz": not a word start
    expect(matcher.find(text, 7).map((m) => m.start)).toEqual([7]);
    const long = `${'a '.repeat(50_000)}Witkoff`;
    expect(matcher.find(long, 0, long.length - 3).map((m) => m.start)).toEqual([100_000]);
  });

  it('rejects an alias claimed by two entities', () => {
    expect(() => new Matcher([{ id: 'a', aliases: ['Merz'], excludedFirstNames: [] }, { id: 'b', aliases: ['Merz'], excludedFirstNames: [] }])).toThrow(/claimed by both a and b/);
  });
});
