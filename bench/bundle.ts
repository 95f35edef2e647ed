/**
 * Bundles the page side of the bench (`bench/inpage.ts`: our Lens, mark.js, the floor) into one
 * script for the page's main world, minified like the release build. `webextension-polyfill` is
 * replaced by `bench/fake-browser.ts`; everything else is the content script's own code.
 */
import { join } from 'node:path';
import * as esbuild from 'esbuild';

/**
 * @param root the project folder.
 * @param options.minify false keeps names readable for the profiler (default true, as shipped).
 * @returns the script's source text.
 * @throws Error (esbuild's) when the bundle fails.
 */
export async function bundleInPage(root: string, options: { minify?: boolean } = {}): Promise<string> {
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: [join(root, 'bench/inpage.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    target: 'chrome120',
    minify: options.minify ?? true,
    legalComments: 'none',
    logLevel: 'error',
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: [
      {
        name: 'fake-extension-api',
        setup(build) {
          build.onResolve({ filter: /^webextension-polyfill$/ }, () => ({ path: join(root, 'bench/fake-browser.ts') }));
        },
      },
    ],
  });
  return `${result.outputFiles[0]!.text}\n//# sourceURL=briefing-lens-bench.js\n`;
}
