/**
 * The shared corpus (`../shared/corpus`), scored per its contract in real Chromium with the built
 * extension: every page must reach 100% precision and recall, frames in order, and pages whose own
 * script changes their text must end exactly as the script intends.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORPUS_DIR, launchWithExtension, score, serve, settledMentions, type ExtensionBrowser, type StaticServer } from './harness';

interface Expected {
  scored_entities: string[];
  pages: Record<string, { wait_for?: string; page_must_end_with?: Record<string, string>; top: [string, string][]; frames?: [string, string][][] }>;
}

const expected = JSON.parse(readFileSync(join(CORPUS_DIR, 'expected.json'), 'utf8')) as Expected;
const scored = new Set(expected.scored_entities);

let browser: ExtensionBrowser;
let server: StaticServer;
const totals = { expected: 0, reported: 0, matched: 0 };

beforeAll(async () => {
  browser = await launchWithExtension();
  server = await serve([CORPUS_DIR]);
});

afterAll(async () => {
  console.log(`corpus overall: ${totals.matched}/${totals.expected} expected found, ${totals.matched}/${totals.reported} reported right`);
  await browser?.close();
  await server?.close();
});

describe('shared corpus in Chromium with the extension', () => {
  for (const [name, spec] of Object.entries(expected.pages)) {
    it(`${name}: 100% precision and recall`, async () => {
      const page = await browser.context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(server.url + name);
      const frames = await settledMentions(browser, page, { waitFor: spec.wait_for });
      const expectedFrames = [spec.top, ...(spec.frames ?? [])];
      const reportedFrames = frames.filter((f) => f.frameId === 0 || f.mentions.length > 0 || expectedFrames.length > 1);
      expect(reportedFrames[0]?.frameId).toBe(0);
      for (let i = 0; i < expectedFrames.length; i++) {
        const want = expectedFrames[i]!;
        const got = reportedFrames[i]?.mentions ?? [];
        const result = score(want, got, scored);
        totals.expected += want.length;
        totals.reported += got.filter((m) => scored.has(m.entityId)).length;
        totals.matched += result.matched;
        expect({ frame: i, ...result, got }).toEqual({ frame: i, matched: want.length, precision: 1, recall: 1, got });
      }
      // No extra frame with mentions.
      expect(frames.filter((f) => f.mentions.some((m) => scored.has(m.entityId))).length).toBeLessThanOrEqual(expectedFrames.length);
      for (const [key, value] of Object.entries(spec.page_must_end_with ?? {})) {
        // "#app textContent": a property of the element; "body[data-errors]": an attribute's value.
        const property = / (\w+)$/.exec(key);
        const attribute = /^(.*)\[([\w-]+)\]$/.exec(key);
        const actual = await page.evaluate(
          ({ selector, property, attribute }) => {
            const el = document.querySelector(selector);
            if (!el) return null;
            return property ? String((el as unknown as Record<string, unknown>)[property]) : el.getAttribute(attribute!);
          },
          property ? { selector: key.slice(0, property.index), property: property[1]!, attribute: null } : { selector: key, property: null, attribute: attribute![2]! },
        );
        expect(actual, key).toBe(value);
      }
      expect(errors).toEqual([]);
      await page.close();
    });
  }

  it('no extension context made a network request', () => {
    expect(browser.extensionRequests).toEqual([]);
  });
});
