/**
 * User settings: one zod schema with defaults, stored in `storage.sync` one key per setting, so a
 * bad value costs only its own key. Reading never throws: a missing key gets its default, an
 * invalid one is replaced by its default and reported as a problem. A `version` key drives
 * ordered migrations of older stored shapes.
 */
import * as z from 'zod/mini';

/** The current settings version. */
export const SETTINGS_VERSION = 1;

/** Each setting's schema, in the shape it is stored. */
export const SETTING_SCHEMAS = {
  version: z.number().check(z.int(), z.nonnegative()),
  /** Topic id → tracked. A topic that is not listed is tracked. */
  trackedTopics: z.record(z.string(), z.boolean()),
  /** Whether entities in no topic ("people in the talks") are marked. */
  untopicedEntities: z.boolean(),
  /** Host names (e.g. "example.com") where the extension marks nothing. */
  disabledSites: z.array(z.string().check(z.minLength(1), z.maxLength(253))),
  /** How mentions are marked on the page. */
  underline: z.enum(['dotted', 'solid', 'background']),
  /** How long the pointer rests on a mention before its card opens, ms. */
  hoverDelayMs: z.number().check(z.int(), z.gte(0), z.lte(5000)),
  /** `hover`: the card opens on hover; `modifier`: only while Alt is held. */
  cardTrigger: z.enum(['hover', 'modifier']),
  /** Whether pages with mentions are recorded in the local reading history. */
  historyEnabled: z.boolean(),
  /** Days after which history entries are pruned. */
  historyRetentionDays: z.number().check(z.int(), z.gte(1), z.lte(3650)),
} as const;

/** The whole settings object. */
export const Settings = z.object(SETTING_SCHEMAS);
export type Settings = z.infer<typeof Settings>;
export type SettingKey = keyof Settings;

/** Defaults: what a new install uses and what replaces an invalid stored value. */
export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  version: SETTINGS_VERSION,
  trackedTopics: {},
  untopicedEntities: true,
  disabledSites: [],
  underline: 'dotted',
  hoverDelayMs: 500,
  cardTrigger: 'hover',
  historyEnabled: true,
  historyRetentionDays: 90,
});

/** A migration turns the raw stored values of version `from` into those of `from + 1`. */
interface Migration {
  from: number;
  migrate(raw: Record<string, unknown>): Record<string, unknown>;
}

/**
 * Ordered migrations. Version 0 is an install from before settings were versioned, which kept
 * disabled sites as one comma-separated string under `disabledHosts`.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    from: 0,
    migrate(raw) {
      const { disabledHosts, ...rest } = raw;
      if (typeof disabledHosts === 'string' && rest.disabledSites === undefined) {
        rest.disabledSites = disabledHosts.split(',').map((h) => h.trim()).filter(Boolean);
      }
      return rest;
    },
  },
];

/** Settings as read, with what was wrong in storage (empty when nothing). */
export interface SettingsReadResult {
  settings: Settings;
  problems: string[];
  /** Keys to write back (migrated values); empty when storage is current. */
  migrated: Partial<Settings>;
}

/**
 * Turns raw stored values into valid settings. Never throws.
 * @param raw whatever `storage.sync.get(null)` returned (may be anything).
 */
export function readSettings(raw: unknown): SettingsReadResult {
  const problems: string[] = [];
  const isObject = raw !== null && typeof raw === 'object' && !Array.isArray(raw);
  let values: Record<string, unknown> = isObject ? { ...(raw as Record<string, unknown>) } : {};
  if (!isObject && raw !== undefined && raw !== null) problems.push('stored settings are not an object; defaults used');
  const storedVersion = typeof values.version === 'number' ? values.version : Object.keys(values).length > 0 ? 0 : SETTINGS_VERSION;
  let migratedFrom: number | null = null;
  if (storedVersion > SETTINGS_VERSION) problems.push(`settings are from a newer version (${storedVersion}); reading what this version understands`);
  for (const m of MIGRATIONS) {
    if (m.from >= storedVersion && m.from < SETTINGS_VERSION) {
      values = m.migrate(values);
      migratedFrom ??= storedVersion;
    }
  }
  const settings = { ...DEFAULT_SETTINGS } as Record<SettingKey, unknown>;
  for (const key of Object.keys(SETTING_SCHEMAS) as SettingKey[]) {
    if (key === 'version' || values[key] === undefined) continue;
    const result = z.safeParse(SETTING_SCHEMAS[key] as z.ZodMiniType, values[key]);
    if (result.success) settings[key] = result.data;
    else {
      problems.push(`setting "${key}" had an invalid value (${JSON.stringify(values[key])?.slice(0, 80)}); the default is used`);
      console.warn(`Briefing Lens: ${problems[problems.length - 1]}`);
    }
  }
  settings.version = SETTINGS_VERSION;
  const migrated: Partial<Settings> = migratedFrom === null ? {} : (settings as Settings);
  return { settings: settings as Settings, problems, migrated };
}

/** Whether an entity is marked under the given settings: one of its topics is tracked, or it has none and untopiced entities are on. */
export function isEntityTracked(entityTopics: readonly string[], settings: Pick<Settings, 'trackedTopics' | 'untopicedEntities'>): boolean {
  if (entityTopics.length === 0) return settings.untopicedEntities;
  return entityTopics.some((t) => settings.trackedTopics[t] !== false);
}

/** Whether the extension is switched off on a host: the host or one of its parent domains is listed. */
export function isSiteDisabled(hostname: string, disabledSites: readonly string[]): boolean {
  const host = hostname.toLowerCase();
  return disabledSites.some((site) => {
    const s = site.toLowerCase();
    return host === s || host.endsWith(`.${s}`);
  });
}

/** Minimal storage area interface (`browser.storage.sync` fits it; tests pass a fake). */
export interface SettingsStorage {
  get(keys: null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
}

/**
 * Loads settings from storage, writing back migrated values. Never throws: a failing storage
 * gives the defaults and a problem.
 */
export async function loadSettings(storage: SettingsStorage): Promise<{ settings: Settings; problems: string[] }> {
  let raw: unknown;
  try {
    raw = await storage.get(null);
  } catch (error) {
    return { settings: { ...DEFAULT_SETTINGS }, problems: [`settings storage could not be read (${(error as Error).message}); defaults used`] };
  }
  const { settings, problems, migrated } = readSettings(raw);
  if (Object.keys(migrated).length > 0) {
    try {
      await storage.set(migrated);
    } catch (error) {
      problems.push(`migrated settings could not be saved (${(error as Error).message})`);
    }
  }
  return { settings, problems };
}

/**
 * Saves some settings after validating each.
 * @throws Error naming the first invalid key; nothing is written then.
 */
export async function saveSettings(storage: SettingsStorage, changes: Partial<Settings>): Promise<void> {
  for (const [key, value] of Object.entries(changes)) {
    const schema = SETTING_SCHEMAS[key as SettingKey] as z.ZodMiniType | undefined;
    if (!schema) throw new Error(`Unknown setting "${key}"`);
    const result = z.safeParse(schema, value);
    if (!result.success) throw new Error(`Invalid value for setting "${key}": ${z.prettifyError(result.error)}`);
  }
  await storage.set({ ...changes, version: SETTINGS_VERSION });
}
