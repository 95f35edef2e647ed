/**
 * Bad input in `storage.sync`: whatever is stored, reading settings never throws, every bad key
 * falls back to its default with a problem that names it, good keys are kept, settings written by a
 * newer version are read as far as this one understands them, and failing storage (unreadable, or
 * full: Chrome's quota errors) gives the defaults or a clear error instead of a crash.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, SETTINGS_VERSION, loadSettings, readSettings, saveSettings, type SettingsStorage } from '../../src/settings';

/** An in-memory storage area; `failGet`/`failSet` make the calls reject with that message. */
function fakeStorage(initial: Record<string, unknown>, options: { failGet?: string; failSet?: string } = {}): SettingsStorage & { data: Record<string, unknown> } {
  const data = { ...initial };
  return {
    data,
    get: async () => {
      if (options.failGet) throw new Error(options.failGet);
      return structuredClone(data);
    },
    set: async (items) => {
      if (options.failSet) throw new Error(options.failSet);
      Object.assign(data, structuredClone(items));
    },
  };
}

describe('corrupt storage.sync values', () => {
  it.each([['a string', 'garbage'], ['an array', [1, 2, 3]], ['a number', 42], ['true', true]])('stored settings that are %s: defaults and one problem', (_name, raw) => {
    const { settings, problems } = readSettings(raw);
    expect(settings).toEqual(DEFAULT_SETTINGS);
    expect(problems).toEqual(['stored settings are not an object; defaults used']);
  });

  it('each invalid key falls back to its default and is named; valid keys are kept', () => {
    const raw = {
      version: SETTINGS_VERSION,
      underline: 42,
      hoverDelayMs: -5,
      cardTrigger: 'telepathy',
      disabledSites: 'example.com',
      trackedTopics: [true],
      historyRetentionDays: 1e9,
      untopicedEntities: 'yes',
      historyEnabled: false,
    };
    const { settings, problems } = readSettings(raw);
    expect(settings).toEqual({ ...DEFAULT_SETTINGS, historyEnabled: false });
    const named = problems.map((p) => /setting "(\w+)"/.exec(p)?.[1]).sort();
    expect(named).toEqual(['cardTrigger', 'disabledSites', 'historyRetentionDays', 'hoverDelayMs', 'trackedTopics', 'underline', 'untopicedEntities']);
    for (const p of problems) expect(p).toMatch(/the default is used$/);
  });

  it('values that are hostile objects or huge are reported briefly, never evaluated', () => {
    const proto = JSON.parse('{"__proto__": {"polluted": true}, "underline": {"toString": "x"}}') as Record<string, unknown>;
    const { settings, problems } = readSettings({ ...proto, disabledSites: ['x'.repeat(100_000)], version: 1 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(settings.underline).toBe('dotted');
    expect(settings.disabledSites).toEqual([]);
    for (const p of problems) expect(p.length).toBeLessThan(200);
  });

  it('settings from a newer version: known keys read, the rest ignored, a problem says so', () => {
    const { settings, problems } = readSettings({ version: 99, underline: 'solid', hologramMode: true, hoverDelayMs: 'fast' });
    expect(settings.underline).toBe('solid');
    expect(settings.hoverDelayMs).toBe(DEFAULT_SETTINGS.hoverDelayMs);
    expect(settings.version).toBe(SETTINGS_VERSION);
    expect(problems[0]).toMatch(/newer version \(99\)/);
    expect(problems.some((p) => p.includes('"hoverDelayMs"'))).toBe(true);
  });

  it('unreadable storage: defaults and a problem, no throw', async () => {
    const result = await loadSettings(fakeStorage({}, { failGet: 'IO error: .../Sync Data/LevelDB' }));
    expect(result.settings).toEqual(DEFAULT_SETTINGS);
    expect(result.problems).toEqual(['settings storage could not be read (IO error: .../Sync Data/LevelDB); defaults used']);
  });

  it('full quota while writing migrated settings: settings still read, problem names the quota error, old values kept', async () => {
    const quota = 'QUOTA_BYTES quota exceeded';
    const storage = fakeStorage({ disabledHosts: 'a.example, b.example' }, { failSet: quota });
    const result = await loadSettings(storage);
    expect(result.settings.disabledSites).toEqual(['a.example', 'b.example']);
    expect(result.problems).toEqual([`migrated settings could not be saved (${quota})`]);
    expect(storage.data).toEqual({ disabledHosts: 'a.example, b.example' });
  });

  it('full quota on save: rejects with the browser error, nothing half-written', async () => {
    const storage = fakeStorage({ underline: 'solid' }, { failSet: 'QUOTA_BYTES_PER_ITEM quota exceeded' });
    await expect(saveSettings(storage, { disabledSites: ['x.example'] })).rejects.toThrow('QUOTA_BYTES_PER_ITEM quota exceeded');
    expect(storage.data).toEqual({ underline: 'solid' });
  });

  it('an invalid value is refused before anything is written', async () => {
    const storage = fakeStorage({});
    await expect(saveSettings(storage, { underline: 'blink' as never, hoverDelayMs: 100 })).rejects.toThrow(/setting "underline"/);
    expect(storage.data).toEqual({});
  });
});
