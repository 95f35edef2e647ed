/**
 * Stand-in for `webextension-polyfill` in the page-injected bench bundle: the content script's code
 * runs unchanged in the page's main world, and what it would send to the service worker is handed
 * to `onSend` instead. Storage is empty (default settings), as on a fresh install.
 */

/** A message the content script sent, with the `performance.now()` time (ms) it was sent at. */
export interface SentMessage {
  at: number;
  message: { type: string; mentions?: { entityId: string; text: string }[] };
}

/** Receives every message the content script sends. Replaced by the bench. */
export const sink: { onSend: (sent: SentMessage) => void } = { onSend: () => undefined };

const noopEvent = { addListener: () => undefined, removeListener: () => undefined, hasListener: () => false };

const browser = {
  runtime: {
    id: 'briefing-lens-bench',
    getURL: (path: string) => `chrome-extension://briefing-lens-bench/${path}`,
    sendMessage: async (message: SentMessage['message']) => {
      sink.onSend({ at: performance.now(), message });
      return { ok: true };
    },
    onMessage: noopEvent,
  },
  storage: {
    sync: { get: async () => ({}), set: async () => undefined, onChanged: noopEvent },
    local: { get: async () => ({}), set: async () => undefined },
    onChanged: noopEvent,
  },
  tabs: { sendMessage: async () => undefined },
};

export default browser;
