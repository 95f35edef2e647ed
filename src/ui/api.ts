/**
 * The one connector between the extension pages (popup, options) and the rest of the extension:
 * settings in `storage.sync`, the service worker's messages, and the tab the popup is about.
 * Components never call `browser.*` themselves.
 */
import browser from 'webextension-polyfill';
import { send, sendToTab, type FrameMentions, type HistoryEntry } from '../messages';
import { loadSettings, saveSettings, type Settings } from '../settings';

/** The settings as read (defaults filled in, invalid keys replaced), and the problems found. Never throws. */
export function readStoredSettings(): Promise<{ settings: Settings; problems: string[] }> {
  return loadSettings(browser.storage.sync);
}

/**
 * Saves some settings to `storage.sync` (every open tab's content script and page picks them up through `storage.onChanged`).
 * @throws Error naming the invalid key (nothing written), or the storage error.
 */
export function writeSettings(changes: Partial<Settings>): Promise<void> {
  return saveSettings(browser.storage.sync, changes);
}

/**
 * Calls `callback` whenever the synced settings change (in any context).
 * @returns a function that stops listening.
 */
export function onSettingsChanged(callback: () => void): () => void {
  const listener = (_changes: unknown, area: string) => {
    if (area === 'sync') callback();
  };
  browser.storage.onChanged.addListener(listener);
  return () => browser.storage.onChanged.removeListener(listener);
}

/**
 * The tab the popup describes: the `tabId` query parameter when given (tests open
 * `popup/popup.html?tabId=N` in a tab of their own), else the active tab of the current window.
 * @returns the tab id, or null when there is none, or when the page is itself open in a tab
 *   without `tabId` (the briefing opened from a hover card): then there is no "current page".
 */
export async function targetTabId(search = location.search): Promise<number | null> {
  const param = new URLSearchParams(search).get('tabId');
  if (param !== null && /^\d+$/.test(param)) return Number(param);
  if (await browser.tabs.getCurrent()) return null;
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab?.id ?? null;
}

/**
 * Every frame's mentions in a tab, frames by ascending frameId (the service worker's `tab-mentions`).
 * @throws Error when the service worker fails or answers out of schema.
 */
export async function tabMentions(tabId: number): Promise<FrameMentions[]> {
  return (await send({ type: 'tab-mentions', tabId })).frames;
}

/**
 * Asks the content script of each listed frame in turn to scroll to the entity's next mention and flash it.
 * @param frameIds frames holding the entity, in the order to try.
 * @returns whether some frame found one.
 * @throws Error from the last frame when no frame answered at all.
 */
export async function scrollToEntity(tabId: number, entityId: string, frameIds: readonly number[]): Promise<boolean> {
  let lastError: unknown = null;
  let answered = false;
  for (const frameId of frameIds) {
    try {
      const { found } = await sendToTab(tabId, { type: 'scroll-to-entity', entityId }, frameId);
      answered = true;
      if (found) return true;
    } catch (error) {
      lastError = error;
    }
  }
  if (!answered && lastError) throw lastError;
  return false;
}

/**
 * Reading-history records, newest first.
 * @throws Error when the history database cannot be read.
 */
export async function recentHistory(limit: number, entityId?: string): Promise<HistoryEntry[]> {
  return (await send({ type: 'history-recent', limit, ...(entityId ? { entityId } : {}) })).entries;
}

/**
 * Deletes all reading history.
 * @throws Error when the database cannot be cleared.
 */
export async function clearHistory(): Promise<void> {
  await send({ type: 'history-clear' });
}

/** Whether the history database works, its record count and error. Throws only when the service worker does not answer. */
export function historyStatus(): Promise<{ ok: boolean; count: number; error: string | null }> {
  return send({ type: 'history-status' });
}

/** Opens the options page in a tab. */
export function openOptions(): Promise<void> {
  return browser.runtime.openOptionsPage();
}
