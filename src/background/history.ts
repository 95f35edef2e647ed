/**
 * Reading-history side of the service worker: records the pages on which entities were met (unless
 * history is off or the tab is private) and answers the history messages. The store itself is
 * `src/history.ts`; settings come from `storage.sync`, cached here and refreshed on change.
 */
import browser, { type Runtime } from 'webextension-polyfill';
import type { Handlers, RequestOf } from '../messages';
import { HistoryRecorder, openHistoryDb } from '../history';
import { loadSettings, type Settings } from '../settings';

let cachedSettings: Promise<Settings> | null = null;
browser.storage.onChanged.addListener((_changes, area) => {
  if (area === 'sync') cachedSettings = null;
});

/** The current settings, read once and again after each change. Never throws. */
function currentSettings(): Promise<Settings> {
  cachedSettings ??= loadSettings(browser.storage.sync).then((r) => r.settings);
  return cachedSettings;
}

const recorder = new HistoryRecorder(() => openHistoryDb(), currentSettings);

/**
 * Records that the entities of a content script's report were met on the reporting frame's page.
 * Does nothing when history is off, or for a tab in a private window (`sender.tab.incognito`).
 * @throws Error when the database fails; the caller logs it and marking is unaffected.
 */
export async function recordVisit(request: RequestOf<'mentions-changed'>, sender: Runtime.MessageSender): Promise<void> {
  await recorder.record(request, sender.tab?.incognito === true);
}

/** Handlers for the history messages (extension pages only, per the message map). */
export const historyHandlers: Handlers = {
  'history-recent': async (request) => ({ entries: await recorder.recent({ entityId: request.entityId, limit: request.limit }) }),
  'history-clear': async () => {
    await recorder.clear();
    return { ok: true };
  },
  'history-status': () => recorder.status(),
};
