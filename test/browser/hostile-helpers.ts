/**
 * Helpers for the hostile-page tests: a browser without the extension to compare pages with,
 * the page's own state (DOM without the card host), where text sits on screen, hovering, finding
 * the card's box from outside its closed shadow root, and a main-world heartbeat.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import { ROOT, chromiumPath } from './harness';

export const SCREENSHOTS = join(ROOT, 'out/screenshots');

/** Headless Chromium with no extension, for "the page is the same without us" comparisons. */
export async function launchPlain(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}

/** CSS selector for the extension's card host (`<briefing-lens-card>`, or the `<div>` fallback when a page took the tag name). */
export const HOST_SELECTOR = 'html > briefing-lens-card[style*="2147483647"], html > div[style*="2147483647"], svg > briefing-lens-card, svg > div';

/** The page's own state: markup and element count with the card host left out, and the body's text. */
export interface PageState {
  html: string;
  elements: number;
  text: string;
  hosts: number;
}

/** Reads the page's own state (main world). */
export async function pageState(page: Page): Promise<PageState> {
  return page.evaluate((selector) => {
    const hosts = [...document.querySelectorAll(selector)];
    const clone = document.documentElement.cloneNode(true) as Element;
    for (const el of clone.querySelectorAll(selector.replaceAll('html > ', ':scope > '))) el.remove();
    return {
      html: clone.outerHTML,
      elements: document.getElementsByTagName('*').length - hosts.length,
      text: document.body?.textContent ?? document.documentElement.textContent ?? '',
      hosts: hosts.length,
    };
  }, HOST_SELECTOR);
}

/** A viewport rectangle in CSS px. */
export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/**
 * The viewport boxes of the `nth` occurrence (0-based) of `text` in the page's rendered text nodes (one box
 * per line it covers).
 * @throws Error when the text is not found.
 */
export async function textBoxes(page: Page | Frame, text: string, nth = 0): Promise<Box[]> {
  const boxes = await page.evaluate(
    ({ text, nth }) => {
      const walker = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT);
      let seen = 0;
      for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
        if (node.parentElement?.closest('script, style, title')) continue;
        let from = 0;
        for (;;) {
          const i = node.data.indexOf(text, from);
          if (i < 0) break;
          if (seen++ === nth) {
            const range = document.createRange();
            range.setStart(node, i);
            range.setEnd(node, i + text.length);
            return [...range.getClientRects()].map((r) => ({ left: r.left, top: r.top, right: r.right, bottom: r.bottom }));
          }
          from = i + 1;
        }
      }
      return null;
    },
    { text, nth },
  );
  if (!boxes || boxes.length === 0) throw new Error(`"${text}" (#${nth}) not found on ${page.url()}`);
  return boxes;
}

/** Centre of a box. */
export function centre(box: Box): { x: number; y: number } {
  return { x: (box.left + box.right) / 2, y: (box.top + box.bottom) / 2 };
}

/** Moves the pointer away, then onto a point, and waits past the card's 500 ms intent delay. */
export async function hoverPoint(page: Page, x: number, y: number, waitMs = 900): Promise<void> {
  await page.bringToFront();
  await page.mouse.move(1, 1);
  await page.waitForTimeout(50);
  await page.mouse.move(x, y, { steps: 4 });
  await page.waitForTimeout(waitMs);
}

/**
 * The card's box, found from outside its closed shadow root: the card takes pointer events, so
 * `elementFromPoint` answers its host wherever the card is. Probes a grid every `step` px.
 * @param page the page, or the frame whose card to find (its box is then in the frame's viewport).
 * @returns the box, or null when no point of the viewport is the card.
 */
export async function cardBox(page: Page | Frame, step = 4): Promise<Box | null> {
  return page.evaluate(
    ({ selector, step }) => {
      const hosts = new Set(document.querySelectorAll(selector));
      if (hosts.size === 0) return null;
      let box: { left: number; top: number; right: number; bottom: number } | null = null;
      for (let y = 0; y < innerHeight; y += step) {
        for (let x = 0; x < innerWidth; x += step) {
          const el = document.elementFromPoint(x, y);
          if (!el || !hosts.has(el)) continue;
          if (!box) box = { left: x, top: y, right: x, bottom: y };
          box.left = Math.min(box.left, x);
          box.top = Math.min(box.top, y);
          box.right = Math.max(box.right, x);
          box.bottom = Math.max(box.bottom, y);
        }
      }
      return box;
    },
    { selector: HOST_SELECTOR, step },
  );
}

/** Whether two boxes overlap (touching edges do not count). */
export function overlaps(a: Box, b: Box): boolean {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

/** Saves a screenshot to `out/screenshots/hostile-<name>.png` and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `hostile-${name}.png`);
  await page.screenshot({ path });
  return path;
}

/**
 * Main-world heartbeat, installed before any page script (`addInitScript`): a 20 ms interval that
 * records the longest gap between two beats in `window.__heartbeat.maxGap` (ms).
 */
export const HEARTBEAT_SCRIPT = `(() => {
  if (window !== top) return;
  const beat = { maxGap: 0, last: performance.now(), beats: 0 };
  window.__heartbeat = beat;
  setInterval(() => {
    const now = performance.now();
    beat.maxGap = Math.max(beat.maxGap, now - beat.last);
    beat.last = now;
    beat.beats++;
  }, 20);
})();`;

/** The heartbeat's longest gap so far, ms, and resets it. */
export async function heartbeatGap(page: Page): Promise<number> {
  return page.evaluate(() => {
    const beat = (window as unknown as { __heartbeat: { maxGap: number } }).__heartbeat;
    const gap = beat.maxGap;
    beat.maxGap = 0;
    return gap;
  });
}
