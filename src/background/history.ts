/**
 * Reading-history side of the service worker. PLACEHOLDER until the history store lands
 * (issue 4): records nothing and answers with an empty history.
 */
import type { Runtime } from 'webextension-polyfill';
import type { Handlers, RequestOf } from '../messages';

/** Records that the entities of a report were met on the sender's page. */
export async function recordVisit(_request: RequestOf<'mentions-changed'>, _sender: Runtime.MessageSender): Promise<void> {}

/** Handlers for the history messages. */
export const historyHandlers: Handlers = {
  'history-recent': async () => ({ entries: [] }),
  'history-clear': async () => ({ ok: true }),
  'history-status': async () => ({ ok: true, count: 0, error: null }),
};
