/**
 * Popup entry. Reads the tab id, settings, the tab's mentions and the history before the first
 * render (at most `PREFETCH_MS`), so the popup opens at its final layout instead of jumping.
 * For tests, `popup/popup.html?tabId=N` describes tab N instead of the active tab.
 */
import { render } from 'preact';
import { HISTORY_LIMIT, Popup, type PopupInitial } from './Popup';
import { readStoredSettings, recentHistory, tabMentions, targetTabId } from '../src/ui/api';

/** Longest wait for data before the first render, ms; what is late shows a placeholder of the same size. */
const PREFETCH_MS = 400;

/** Resolves to the promise's value, or null when it fails or takes longer than `ms`. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  return Promise.race([promise.catch(() => null), new Promise<null>((ok) => setTimeout(() => ok(null), ms))]);
}

async function main(): Promise<void> {
  const started = performance.now();
  const tabId = await within(targetTabId(), PREFETCH_MS);
  const left = Math.max(50, PREFETCH_MS - (performance.now() - started));
  const [settings, frames, history] = await Promise.all([
    within(readStoredSettings(), left),
    tabId === null ? Promise.resolve([]) : within(tabMentions(tabId), left),
    within(recentHistory(HISTORY_LIMIT), left),
  ]);
  const initial: PopupInitial = { tabId, settings, frames, history };
  render(<Popup initial={initial} />, document.getElementById('root')!);
}

void main();
