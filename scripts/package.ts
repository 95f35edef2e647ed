/**
 * `npm run package`: a release build (minified, no source maps) of both browsers, each zipped for
 * its store: `dist/briefing-lens-chrome-<version>.zip` and `dist/briefing-lens-firefox-<version>.zip`,
 * with `manifest.json` at the zip's root. Zipping is done with `fflate`.
 */
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipSync, type Zippable } from 'fflate';
import { build, type Browser } from './build';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Every file under `dir`, as paths relative to it with `/` separators, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (current: string) => {
    for (const name of readdirSync(current)) {
      const full = join(current, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(relative(dir, full).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

/** Fixed time stamp for every zip entry, so the same build gives the same bytes (1980-01-01, the zip epoch). */
const ZIP_TIME = new Date(1980, 0, 1);

/**
 * Zips one unpacked extension folder.
 * @param dir folder holding `manifest.json`.
 * @returns the zip's bytes (deflate level 9, files in sorted order, fixed time stamps).
 * @throws Error when `dir` has no `manifest.json`, or holds a source map (release builds have none).
 */
export function zipExtension(dir: string): Uint8Array {
  const files = listFiles(dir);
  if (!files.includes('manifest.json')) throw new Error(`${dir} has no manifest.json`);
  const maps = files.filter((f) => f.endsWith('.map'));
  if (maps.length > 0) throw new Error(`${dir} holds source maps (${maps.join(', ')}): package a release build`);
  const tree: Zippable = {};
  for (const file of files) tree[file] = [new Uint8Array(readFileSync(join(dir, file))), { level: 9, mtime: ZIP_TIME }];
  return zipSync(tree);
}

/**
 * Release-builds both browsers into `outRoot` and writes their zips there.
 * @param outRoot output folder (default `dist/`; tests package into a temporary folder).
 * @returns the zip paths by browser.
 * @throws Error from the build (esbuild's, or a seed error) or from zipping.
 */
export async function packageAll(outRoot = join(root, 'dist')): Promise<Record<Browser, string>> {
  const dirs = await build(true, outRoot);
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const out = {} as Record<Browser, string>;
  for (const target of ['chrome', 'firefox'] as const) {
    const file = join(outRoot, `briefing-lens-${target}-${version}.zip`);
    writeFileSync(file, zipExtension(dirs[target]));
    out[target] = file;
  }
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  packageAll().then(
    (zips) => {
      for (const [target, file] of Object.entries(zips)) console.log(`${target}: ${relative(root, file)} (${statSync(file).size} bytes)`);
    },
    (error: unknown) => {
      console.error(`package failed: ${(error as Error).message}`);
      process.exit(1);
    },
  );
}
