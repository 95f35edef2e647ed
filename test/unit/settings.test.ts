/** Settings: defaults, migration, invalid-key fallback, saving, and the export/import file. */
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS, SETTINGS_VERSION, isEntityTracked, isSiteDisabled, loadSettings, readSettings, saveSettings, type SettingsStorage } from '../../src/settings';
import { exportSettings, parseSettingsFile } from '../../src/settings-file';

/** An in-memory `storage.sync`. */
function memoryStorage(initial: Record<string, unknown> = {}): SettingsStorage & { data: Record<string, unknown> } {
  const data = { ...initial };
  return {
    data,
    get: async () => ({ ...data }),
    set: async (items) => void Object.assign(data, items),
  };
}

describe('reading settings', () => {
  it('gives the defaults for empty storage, with no problems and nothing to write back', () => {
    expect(readSettings({})).toEqual({ settings: DEFAULT_SETTINGS, problems: [], migrated: {} });
    expect(readSettings(undefined).settings).toEqual(DEFAULT_SETTINGS);
  });

  it('fills missing keys with defaults and keeps valid ones', () => {
    const { settings, problems } = readSettings({ version: SETTINGS_VERSION, underline: 'solid', trackedTopics: { 'berlin-talks': false } });
    expect(settings).toEqual({ ...DEFAULT_SETTINGS, underline: 'solid', trackedTopics: { 'berlin-talks': false } });
    expect(problems).toEqual([]);
  });

  it('replaces an invalid key by its default, reports and logs it, and keeps the other keys', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { settings, problems } = readSettings({ version: SETTINGS_VERSION, hoverDelayMs: -5, underline: 'wavy', historyEnabled: false });
    expect(settings.hoverDelayMs).toBe(DEFAULT_SETTINGS.hoverDelayMs);
    expect(settings.underline).toBe(DEFAULT_SETTINGS.underline);
    expect(settings.historyEnabled).toBe(false);
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).toMatch(/"hoverDelayMs" had an invalid value \(-5\)/);
    expect(problems.join('\n')).toMatch(/"underline" had an invalid value \("wavy"\)/);
    expect(warn).toHaveBeenCalledTimes(2);
    warn.mockRestore();
  });

  it('never throws on garbage', () => {
    for (const raw of [null, 42, 'x', [1, 2], { version: 'one', disabledSites: 'nope' }]) {
      expect(() => readSettings(raw)).not.toThrow();
      expect(readSettings(raw).settings.version).toBe(SETTINGS_VERSION);
    }
  });

  it('migrates version 0 (comma-separated disabledHosts) and writes the migrated values back', async () => {
    const storage = memoryStorage({ disabledHosts: 'a.test, b.test,', underline: 'solid' });
    const { settings, problems } = await loadSettings(storage);
    expect(problems).toEqual([]);
    expect(settings.disabledSites).toEqual(['a.test', 'b.test']);
    expect(settings.underline).toBe('solid');
    expect(storage.data.version).toBe(SETTINGS_VERSION);
    expect(storage.data.disabledSites).toEqual(['a.test', 'b.test']);
  });

  it('gives defaults and a problem when storage cannot be read', async () => {
    const { settings, problems } = await loadSettings({ get: () => Promise.reject(new Error('quota')), set: async () => undefined });
    expect(settings).toEqual(DEFAULT_SETTINGS);
    expect(problems[0]).toMatch(/quota/);
  });
});

describe('saving settings', () => {
  it('writes valid changes with the version', async () => {
    const storage = memoryStorage();
    await saveSettings(storage, { trackedTopics: { 'peace-plan': false } });
    expect(storage.data).toEqual({ trackedTopics: { 'peace-plan': false }, version: SETTINGS_VERSION });
  });

  it('refuses an invalid or unknown key and writes nothing', async () => {
    const storage = memoryStorage();
    await expect(saveSettings(storage, { hoverDelayMs: 99_999 })).rejects.toThrow(/hoverDelayMs/);
    await expect(saveSettings(storage, { nope: 1 } as never)).rejects.toThrow(/Unknown setting "nope"/);
    expect(storage.data).toEqual({});
  });
});

describe('tracking rules', () => {
  it('marks an entity when one of its topics is tracked; untopiced ones follow the default', () => {
    const s = { trackedTopics: { a: false, b: true }, untopicedEntities: false };
    expect(isEntityTracked(['a'], s)).toBe(false);
    expect(isEntityTracked(['a', 'b'], s)).toBe(true);
    expect(isEntityTracked(['c'], s)).toBe(true);
    expect(isEntityTracked([], s)).toBe(false);
    expect(isEntityTracked([], { ...s, untopicedEntities: true })).toBe(true);
  });

  it('disables a site and its subdomains, not look-alikes', () => {
    expect(isSiteDisabled('news.example.com', ['example.com'])).toBe(true);
    expect(isSiteDisabled('EXAMPLE.com', ['example.com'])).toBe(true);
    expect(isSiteDisabled('badexample.com', ['example.com'])).toBe(false);
  });
});

describe('settings file', () => {
  it('round-trips an export', () => {
    const settings = { ...DEFAULT_SETTINGS, disabledSites: ['a.test'], underline: 'background' as const };
    expect(parseSettingsFile(exportSettings(settings))).toEqual({ ok: true, settings });
  });

  it('accepts a partial bare object and migrates an old one', () => {
    expect(parseSettingsFile('{"hoverDelayMs": 100}')).toEqual({ ok: true, settings: { hoverDelayMs: 100, version: SETTINGS_VERSION } });
    const old = parseSettingsFile('{"version": 0, "disabledHosts": "x.test,y.test"}');
    expect(old).toEqual({ ok: true, settings: { disabledSites: ['x.test', 'y.test'], version: SETTINGS_VERSION } });
  });

  it('refuses invalid files with a clear error', () => {
    const cases: [string, RegExp][] = [
      ['{oops', /not valid JSON/],
      ['[1]', /does not hold a settings object/],
      ['{"format": "other", "settings": {}}', /not a Briefing Lens settings export/],
      ['{"hoverDelayMs": "fast", "underline": "solid"}', /invalid values for: "hoverDelayMs" \("fast"\)\.$/],
      ['{"colour": "red"}', /unknown settings: "colour"/],
      ['{"version": 7}', /newer version/],
    ];
    for (const [text, error] of cases) {
      const result = parseSettingsFile(text);
      expect(result.ok, text).toBe(false);
      expect(result.ok ? '' : result.error, text).toMatch(error);
    }
  });
});
