/**
 * The service worker (Chrome) / background script (Firefox): receives content scripts' mention
 * reports, keeps them per tab for the badge and the popup, serves hover cards from the knowledge
 * base, and records the reading history. Every message goes through the shared message map.
 */
import browser from 'webextension-polyfill';
import { listen, sendToTab } from './messages';
import { entityCard } from './background/card';
import { forgetTab, getTabMentions, setFrameMentions } from './background/tab-mentions';
import { historyHandlers, recordVisit } from './background/history';
import { loadSettings } from './settings';

listen({
  'mentions-changed': async (request, sender) => {
    const tabId = sender.tab?.id;
    if (tabId === undefined || tabId < 0) return { ok: true };
    const documentId = (sender as { documentId?: string }).documentId;
    await setFrameMentions(tabId, sender.frameId ?? 0, request.url, request.mentions, documentId, request.gone === true);
    if (request.mentions.length > 0) {
      // History is best effort: a failing database never breaks marking.
      recordVisit(request, sender).catch((error: unknown) => console.warn('Briefing Lens: history write failed', error));
    }
    return { ok: true };
  },
  'tab-mentions': async (request) => ({ frames: await getTabMentions(request.tabId) }),
  'entity-card': (request) => entityCard(request.entityId),
  'open-briefing': async (request) => {
    const query = request.entityId ? `?entity=${encodeURIComponent(request.entityId)}` : '';
    await browser.tabs.create({ url: browser.runtime.getURL(`popup/popup.html${query}`) });
    return { ok: true };
  },
  'settings-status': async () => loadSettings(browser.storage.sync),
  ...historyHandlers,
});

browser.tabs.onRemoved.addListener((tabId) => forgetTab(tabId));

browser.commands?.onCommand.addListener((command, tab) => {
  if (command === 'open-card' && tab?.id !== undefined) {
    sendToTab(tab.id, { type: 'open-card-command' }).catch(() => undefined);
  }
});
