/**
 * `npm run build` (development: source maps) and `npm run build:release` (minified): builds the
 * knowledge base from `seeds/`, then bundles each context with esbuild and writes the unpacked
 * extensions to `dist/chrome/` (MV3 service worker) and `dist/firefox/` (MV3 `background.scripts`).
 * `npm run watch` rebuilds on any change to the sources or seeds. Fails on any unresolved import.
 */
import { cpSync, mkdirSync, readFileSync, rmSync, watch, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { writeKnowledgeBase } from './build-kb';
import { ICON_SIZES, writeIcons } from './icons';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** One list of entry points per context: source file → output file inside each browser's folder. */
export const ENTRY_POINTS = {
  'service worker': { in: 'src/background.ts', out: 'background' },
  'content script': { in: 'content/index.ts', out: 'content' },
  popup: { in: 'popup/main.tsx', out: 'popup/popup' },
  options: { in: 'options/main.tsx', out: 'options/options' },
} as const;

/** Static files copied as they are: source → destination inside each browser's folder. */
const STATIC_FILES: [string, string][] = [
  ['content/content.css', 'content.css'],
  ['popup/popup.html', 'popup/popup.html'],
  ['popup/popup.css', 'popup/popup.css'],
  ['options/options.html', 'options/options.html'],
  ['options/options.css', 'options/options.css'],
  ['public/_locales', '_locales'],
];

export type Browser = 'chrome' | 'firefox';

/** The manifest for one browser, from the one source `manifest.json`. */
export function manifestFor(target: Browser): Record<string, unknown> {
  const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')) as Record<string, unknown>;
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  manifest.version = pkg.version;
  manifest.icons = Object.fromEntries(ICON_SIZES.map((size) => [String(size), `icons/icon-${size}.png`]));
  (manifest.action as Record<string, unknown>).default_icon = { '16': 'icons/icon-16.png', '32': 'icons/icon-32.png' };
  if (target === 'chrome') {
    delete manifest.browser_specific_settings;
  } else {
    manifest.background = { scripts: ['background.js'] };
    const scripts = manifest.content_scripts as Record<string, unknown>[];
    for (const cs of scripts) delete cs.match_origin_as_fallback;
  }
  return manifest;
}

/**
 * Builds both browsers' extensions.
 * @param release minify and drop source maps.
 * @param outRoot folder that receives `chrome/` and `firefox/` (default `dist/`; tests build elsewhere).
 * @returns the output folders.
 * @throws Error (esbuild's, or a seed error naming file and field) when anything fails.
 */
export async function build(release = false, outRoot = join(root, 'dist')): Promise<Record<Browser, string>> {
  const warnings = writeKnowledgeBase();
  for (const w of warnings) console.warn(`kb warning: ${w}`);
  const outDirs = { chrome: join(outRoot, 'chrome'), firefox: join(outRoot, 'firefox') };
  for (const target of ['chrome', 'firefox'] as const) {
    const outDir = outDirs[target];
    rmSync(outDir, { recursive: true, force: true });
    mkdirSync(outDir, { recursive: true });
    await esbuild.build({
      absWorkingDir: root,
      entryPoints: Object.values(ENTRY_POINTS).map((e) => ({ in: e.in, out: e.out })),
      outdir: outDir,
      bundle: true,
      format: 'iife',
      target: target === 'chrome' ? 'chrome120' : 'firefox140',
      minify: release,
      sourcemap: release ? false : 'linked',
      jsx: 'automatic',
      jsxImportSource: 'preact',
      legalComments: 'none',
      logLevel: 'error',
      define: { 'process.env.NODE_ENV': JSON.stringify(release ? 'production' : 'development') },
    });
    for (const [from, to] of STATIC_FILES) cpSync(join(root, from), join(outDir, to), { recursive: true });
    writeIcons(join(outDir, 'icons'));
    writeFileSync(join(outDir, 'manifest.json'), `${JSON.stringify(manifestFor(target), null, 2)}\n`);
  }
  return outDirs;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const release = args.includes('--release');
  const run = async () => {
    const started = Date.now();
    try {
      const dirs = await build(release);
      console.log(`built ${release ? 'release' : 'development'} extensions in ${Date.now() - started} ms: ${dirs.chrome}, ${dirs.firefox}`);
      return true;
    } catch (error) {
      console.error(`build failed: ${(error as Error).message}`);
      return false;
    }
  };
  const okay = await run();
  if (!args.includes('--watch')) {
    process.exit(okay ? 0 : 1);
  }
  let timer: NodeJS.Timeout | undefined;
  for (const dir of ['src', 'content', 'popup', 'options', 'seeds', 'public']) {
    watch(join(root, dir), { recursive: true }, (_event, file) => {
      if (String(file).includes('generated')) return;
      clearTimeout(timer);
      timer = setTimeout(() => void run(), 150);
    });
  }
  watch(join(root, 'manifest.json'), () => void run());
  console.log('watching for changes…');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) void main();
