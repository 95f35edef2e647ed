/**
 * Settings export and import as a JSON file (options page). An import is all or nothing: the file
 * must be a JSON object of known settings with valid values (older versions are migrated first);
 * otherwise the caller gets one readable error and nothing is written.
 */
import * as z from 'zod/mini';
import { MIGRATIONS, SETTINGS_VERSION, SETTING_SCHEMAS, type Settings } from './settings';

/** Marks the file as ours. */
export const EXPORT_FORMAT = 'briefing-lens-settings';

/** An importable file: every setting optional (missing ones keep their current value), no unknown keys. */
const ImportedSettings = z.partial(z.strictObject(SETTING_SCHEMAS));

/**
 * The export file's text: `{ "format": "briefing-lens-settings", "exportedAt": ISO date, "settings": {...} }`, pretty-printed.
 * @param settings the current settings.
 * @param now the export time.
 */
export function exportSettings(settings: Settings, now = new Date()): string {
  return `${JSON.stringify({ format: EXPORT_FORMAT, exportedAt: now.toISOString(), settings }, null, 2)}\n`;
}

/** Result of reading an import file: the settings to save, or why the file was refused. */
export type ImportResult = { ok: true; settings: Partial<Settings> } | { ok: false; error: string };

/**
 * Reads an import file. Accepts this extension's export format, or a bare settings object.
 * Never throws.
 * @param text the file's content.
 */
export function parseSettingsFile(text: string): ImportResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `The file is not valid JSON (${(error as Error).message}).` };
  }
  const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (!isObject(data)) return { ok: false, error: 'The file does not hold a settings object.' };
  let values: Record<string, unknown> = data;
  if ('format' in data) {
    if (data.format !== EXPORT_FORMAT) return { ok: false, error: `The file is not a Briefing Lens settings export (format "${String(data.format)}").` };
    if (!isObject(data.settings)) return { ok: false, error: 'The file has no "settings" object.' };
    values = data.settings;
  }
  const version = values.version === undefined ? SETTINGS_VERSION : values.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) return { ok: false, error: 'The file\'s "version" is not a whole number.' };
  if (version > SETTINGS_VERSION) return { ok: false, error: `The file is from a newer version of the extension (settings version ${version}; this one reads up to ${SETTINGS_VERSION}).` };
  for (const m of MIGRATIONS) if (m.from >= version && m.from < SETTINGS_VERSION) values = m.migrate(values);
  const unknown = Object.keys(values).filter((key) => !(key in SETTING_SCHEMAS));
  if (unknown.length > 0) return { ok: false, error: `The file has unknown settings: ${unknown.map((k) => `"${k}"`).join(', ')}.` };
  const invalid = Object.entries(values)
    .filter(([key, value]) => !z.safeParse(SETTING_SCHEMAS[key as keyof typeof SETTING_SCHEMAS] as z.ZodMiniType, value).success)
    .map(([key, value]) => `"${key}" (${JSON.stringify(value)?.slice(0, 60)})`);
  if (invalid.length > 0) return { ok: false, error: `The file has invalid values for: ${invalid.join(', ')}.` };
  const result = z.safeParse(ImportedSettings, { ...values, version: SETTINGS_VERSION });
  if (!result.success) return { ok: false, error: `The file has invalid settings: ${z.prettifyError(result.error)}` };
  return { ok: true, settings: result.data as Partial<Settings> };
}
