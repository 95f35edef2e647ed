/**
 * Store packages and least privilege, checked on a release build made into a temporary folder (so
 * `dist/`, which the browser tests load, is left alone):
 * - `packageAll()` writes both zips, each with `manifest.json` at its root, the icons at 16/32/48/128
 *   px and `_locales/en/messages.json` holding every `__MSG_*__` the manifest uses;
 * - Mozilla's `web-ext lint` on the unzipped Firefox package reports 0 errors;
 * - the built manifests ask for nothing outside the allow-list below;
 * - no bundle holds `eval(`, `new Function` or a remote script URL.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageAll, listFiles } from '../../scripts/package';

const ROOT = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

/**
 * Everything the extension may ask for. A change here is a deliberate, reviewed widening of what
 * the extension can do; the test fails on anything else in a built manifest.
 */
const ALLOWED = {
  permissions: ['storage'],
  optional_permissions: [] as string[],
  host_permissions: [] as string[],
  optional_host_permissions: [] as string[],
  content_script_matches: ['http://*/*', 'https://*/*'],
  web_accessible_resources: [] as unknown[],
  /** Absent: MV3's default CSP (`script-src 'self'; object-src 'self'`), which forbids eval and remote code. */
  content_security_policy: undefined,
  /** Top-level manifest keys (anything new, e.g. `externally_connectable`, `declarative_net_request`, is a review). */
  keys: [
    'manifest_version', 'name', 'short_name', 'description', 'default_locale', 'version', 'permissions', 'background',
    'action', 'options_ui', 'content_scripts', 'commands', 'icons', 'browser_specific_settings',
  ],
};

let out: string;
let zips: Record<'chrome' | 'firefox', string>;
const unpacked: Record<string, string> = {};

/** Writes a zip's entries under a folder. */
function extract(zip: string, dir: string): string[] {
  const entries = unzipSync(new Uint8Array(readFileSync(zip)));
  for (const [name, bytes] of Object.entries(entries)) {
    if (name.endsWith('/')) continue;
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), bytes);
  }
  return Object.keys(entries);
}

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'briefing-lens-package-'));
  zips = await packageAll(out);
  for (const target of ['chrome', 'firefox'] as const) {
    unpacked[target] = join(out, `unzipped-${target}`);
    extract(zips[target], unpacked[target]);
  }
}, 120_000);

afterAll(() => {
  if (out) rmSync(out, { recursive: true, force: true });
});

function manifestOf(target: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(unpacked[target]!, 'manifest.json'), 'utf8')) as Record<string, unknown>;
}

describe('npm run package', () => {
  it('writes briefing-lens-<browser>-<version>.zip for both browsers, manifest at the root', () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const target of ['chrome', 'firefox'] as const) {
      expect(zips[target]).toBe(join(out, `briefing-lens-${target}-${version}.zip`));
      const files = listFiles(unpacked[target]!);
      expect(files).toContain('manifest.json');
      expect(files).toContain('_locales/en/messages.json');
      expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
      expect(manifestOf(target).version).toBe(version);
    }
  });

  it('has icons at 16, 32, 48, 96 and 128 px, each a PNG of the size it claims', () => {
    for (const target of ['chrome', 'firefox']) {
      const icons = manifestOf(target).icons as Record<string, string>;
      expect(Object.keys(icons).sort((a, b) => +a - +b)).toEqual(['16', '32', '48', '96', '128']);
      for (const [size, file] of Object.entries(icons)) {
        const png = readFileSync(join(unpacked[target]!, file));
        expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
        expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([+size, +size]);
      }
    }
  });

  it('has a message in _locales/en for every __MSG_*__ in the manifest', () => {
    for (const target of ['chrome', 'firefox']) {
      const text = readFileSync(join(unpacked[target]!, 'manifest.json'), 'utf8');
      const used = [...text.matchAll(/__MSG_(\w+)__/g)].map((m) => m[1]!);
      expect(used).toContain('extName');
      const messages = JSON.parse(readFileSync(join(unpacked[target]!, '_locales/en/messages.json'), 'utf8')) as Record<string, { message: string }>;
      for (const key of used) expect(messages[key]?.message, key).toBeTruthy();
      // Every user-visible string of the manifest comes from the locale file.
      const m = JSON.parse(text) as { name: string; short_name: string; description: string; action: { default_title: string }; commands: Record<string, { description: string }> };
      for (const visible of [m.name, m.short_name, m.description, m.action.default_title, ...Object.values(m.commands).map((c) => c.description)]) expect(visible).toMatch(/^__MSG_\w+__$/);
      expect(messages.extName!.message.length).toBeLessThanOrEqual(75);
      expect(messages.extShortName!.message.length).toBeLessThanOrEqual(45);
      expect(messages.extDescription!.message.length).toBeLessThanOrEqual(132);
    }
  });

  it("passes Mozilla's web-ext lint with 0 errors", async () => {
    const bin = join(ROOT, 'node_modules/.bin/web-ext');
    // web-ext exits non-zero when there are errors; the JSON report is on stdout either way.
    const result = await run(bin, ['lint', '--source-dir', unpacked.firefox!, '--output', 'json', '--no-config-discovery'], { maxBuffer: 16 << 20 }).catch(
      (error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }),
    );
    const report = JSON.parse(result.stdout) as { summary: { errors: number; warnings: number }; errors: { code: string; message: string; file?: string }[]; warnings: { code: string; file?: string }[] };
    if (report.warnings.length > 0) console.log(`web-ext lint warnings: ${report.warnings.map((w) => `${w.code} (${w.file ?? ''})`).join(', ')}`);
    expect(report.errors.map((e) => `${e.code} ${e.file ?? ''}: ${e.message}`)).toEqual([]);
    expect(report.summary.errors).toBe(0);
  }, 120_000);
});

describe('least privilege', () => {
  for (const target of ['chrome', 'firefox']) {
    it(`${target} manifest asks for nothing outside the allow-list`, () => {
      const m = manifestOf(target);
      const extra = (list: unknown, allowed: unknown[]) => ((list as unknown[] | undefined) ?? []).filter((p) => !allowed.includes(p));
      expect(extra(m.permissions, ALLOWED.permissions), 'permissions').toEqual([]);
      expect(extra(m.optional_permissions, ALLOWED.optional_permissions), 'optional_permissions').toEqual([]);
      expect(extra(m.host_permissions, ALLOWED.host_permissions), 'host_permissions').toEqual([]);
      expect(extra(m.optional_host_permissions, ALLOWED.optional_host_permissions), 'optional_host_permissions').toEqual([]);
      expect(extra(m.web_accessible_resources, ALLOWED.web_accessible_resources), 'web_accessible_resources').toEqual([]);
      expect(m.content_security_policy, 'content_security_policy').toEqual(ALLOWED.content_security_policy);
      expect(Object.keys(m).filter((k) => !ALLOWED.keys.includes(k)), 'manifest keys').toEqual([]);
      const scripts = m.content_scripts as { matches: string[] }[];
      for (const cs of scripts) expect(extra(cs.matches, ALLOWED.content_script_matches), 'content script matches').toEqual([]);
    });
  }

  it('no bundle holds eval, new Function, string timers or a remote script', () => {
    for (const target of ['chrome', 'firefox']) {
      for (const file of listFiles(unpacked[target]!).filter((f) => /\.(js|html)$/.test(f))) {
        const code = readFileSync(join(unpacked[target]!, file), 'utf8');
        expect(code, `${target}/${file}`).not.toMatch(/\beval\s*\(/);
        expect(code, `${target}/${file}`).not.toMatch(/new\s+Function\s*\(|\bFunction\s*\(\s*["'`]/);
        expect(code, `${target}/${file}`).not.toMatch(/set(?:Timeout|Interval)\s*\(\s*["'`]/);
        expect(code, `${target}/${file}`).not.toMatch(/<script[^>]+src=["']?(?:https?:)?\/\//i);
        expect(code, `${target}/${file}`).not.toMatch(/import\s*\(\s*["'`]https?:/);
      }
    }
  });
});
