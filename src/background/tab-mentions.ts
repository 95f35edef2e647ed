/**
 * Per-tab store of the mentions each frame's content script reports, kept by the service worker.
 * It answers `tab-mentions` (frames by ascending frameId, mentions in document order) and drives
 * the toolbar badge. Kept in `storage.session` as well, so a restarted service worker still knows.
 */
import browser from 'webextension-polyfill';
import type { FrameMentions, ReportedMention } from '../messages';

type TabState = Map<number, FrameMentions>;

const tabs = new Map<number, TabState>();
const SESSION_KEY = 'tabMentions';
let restored: Promise<void> | null = null;

function sessionArea(): browser.Storage.StorageArea | undefined {
  return (browser.storage as unknown as { session?: browser.Storage.StorageArea }).session;
}

/** Loads what a previous service-worker instance kept (once). */
function restore(): Promise<void> {
  restored ??= (async () => {
    try {
      const stored = (await sessionArea()?.get(SESSION_KEY))?.[SESSION_KEY] as Record<string, FrameMentions[]> | undefined;
      for (const [tabId, frames] of Object.entries(stored ?? {})) {
        if (!tabs.has(Number(tabId))) tabs.set(Number(tabId), new Map(frames.map((f) => [f.frameId, f])));
      }
    } catch {
      // Session storage is a cache only.
    }
  })();
  return restored;
}

let persistTimer: ReturnType<typeof setTimeout> | undefined;
function persist(): void {
  clearTimeout(persistTimer);
  persistTimer = setTimeout(() => {
    const data = Object.fromEntries([...tabs].map(([tabId, frames]) => [tabId, [...frames.values()]]));
    sessionArea()?.set({ [SESSION_KEY]: data }).catch(() => undefined);
  }, 250);
}

function updateBadge(tabId: number): void {
  const count = [...(tabs.get(tabId)?.values() ?? [])].reduce((n, f) => n + f.mentions.length, 0);
  const text = count === 0 ? '' : count > 999 ? '999+' : String(count);
  browser.action.setBadgeText({ tabId, text }).catch(() => undefined);
  browser.action.setBadgeBackgroundColor?.({ tabId, color: '#1d4ed8' }).catch(() => undefined);
}

/** Which document (Chrome's `sender.documentId`) last reported for each tab and frame: "tabId:frameId" → id. */
const documents = new Map<string, string>();

/**
 * Records one frame's current mentions.
 * @param documentId the reporting document (Chrome's `sender.documentId`; undefined elsewhere).
 * @param gone the report of a document going away (pagehide): ignored when a newer document of the
 *   same frame has reported already, since reports of two documents may arrive in either order.
 */
export async function setFrameMentions(
  tabId: number,
  frameId: number,
  url: string,
  mentions: ReportedMention[],
  documentId?: string,
  gone = false,
): Promise<void> {
  await restore();
  const key = `${tabId}:${frameId}`;
  const known = documents.get(key);
  if (gone && documentId && known && known !== documentId) return;
  if (documentId && !gone) documents.set(key, documentId);
  let state = tabs.get(tabId);
  if (!state) tabs.set(tabId, (state = new Map()));
  state.set(frameId, { frameId, url, mentions });
  updateBadge(tabId);
  persist();
}

/** The tab's frames with their mentions, ascending by frameId. */
export async function getTabMentions(tabId: number): Promise<FrameMentions[]> {
  await restore();
  return [...(tabs.get(tabId)?.values() ?? [])].sort((a, b) => a.frameId - b.frameId);
}

/** Forgets a tab (closed) or its subframes (top-level navigation). */
export function forgetTab(tabId: number, keepTopFrame = false): void {
  const state = tabs.get(tabId);
  if (!state) return;
  if (keepTopFrame) {
    for (const id of [...state.keys()]) if (id !== 0) state.delete(id);
  } else {
    tabs.delete(tabId);
    for (const key of [...documents.keys()]) if (key.startsWith(`${tabId}:`)) documents.delete(key);
  }
  updateBadge(tabId);
  persist();
}
