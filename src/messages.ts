/**
 * The one message map shared by every context (service worker, content scripts, popup, options).
 * Each message name has a request schema and a response schema; requests are validated where they
 * are received and responses where they arrive. A handler's thrown error reaches the sender as a
 * rejected promise carrying the error's message, never as `undefined`.
 */
import * as z from 'zod/mini';
import browser, { type Runtime } from 'webextension-polyfill';
import { Settings } from './settings';

/** A mention as reported by a content script: entity id and the text as it stands on the page. */
export const ReportedMention = z.object({ entityId: z.string(), text: z.string() });
export type ReportedMention = z.infer<typeof ReportedMention>;

/** One frame's mentions, as the service worker keeps them (contract of `../shared/README.md`). */
export const FrameMentions = z.object({ frameId: z.number(), url: z.string(), mentions: z.array(ReportedMention) });
export type FrameMentions = z.infer<typeof FrameMentions>;

/** What the hover card shows of an entity, assembled by the service worker from the knowledge base. */
export const EntityCard = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  sideLabel: z.string(),
  /** "US envoy", "chief negotiator of Volodymyr Zelensky"; null when the sources give no role. */
  role: z.nullable(z.string()),
  /** One line on what the sources say about the entity: its first mention sentence. */
  summary: z.nullable(z.string()),
  /** Key quotation (or, when none, the sentence that names the role) with its source. */
  keyQuote: z.nullable(z.object({ text: z.string(), isQuotation: z.boolean(), articleTitle: z.string(), section: z.nullable(z.string()) })),
  topics: z.array(z.object({ id: z.string(), label: z.string() })),
  related: z.array(z.object({ id: z.string(), name: z.string() })),
  /** "date not given" when the sources carry no date. */
  dateNote: z.string(),
});
export type EntityCard = z.infer<typeof EntityCard>;

/** One reading-history record: an entity met on a page. Times are ms since the epoch. */
export const HistoryEntry = z.object({
  entityId: z.string(),
  url: z.string(),
  title: z.string(),
  firstSeen: z.number(),
  lastSeen: z.number(),
  count: z.number(),
});
export type HistoryEntry = z.infer<typeof HistoryEntry>;

const ok = z.object({ ok: z.literal(true) });

/** The message map: name → request and response schemas. */
export const MESSAGES = {
  /** Content script → service worker: this frame's current mentions (sent whenever they change). */
  'mentions-changed': {
    request: z.object({
      type: z.literal('mentions-changed'),
      url: z.string(),
      title: z.string(),
      mentions: z.array(ReportedMention),
      /** True when the extension is switched off for this site (the frame marks nothing). */
      disabled: z.optional(z.boolean()),
      /** True for the report a document sends as it goes away (pagehide): its mentions are gone. */
      gone: z.optional(z.boolean()),
    }),
    response: ok,
  },
  /** Extension page → service worker: every frame's mentions in a tab, frames by ascending frameId. */
  'tab-mentions': {
    request: z.object({ type: z.literal('tab-mentions'), tabId: z.number() }),
    response: z.object({ frames: z.array(FrameMentions) }),
  },
  /** Content script or extension page → service worker: the hover card of an entity. */
  'entity-card': {
    request: z.object({ type: z.literal('entity-card'), entityId: z.string() }),
    response: EntityCard,
  },
  /** Content script → service worker: open the full briefing (the popup page) in a new tab, at an entity when given. */
  'open-briefing': {
    request: z.object({ type: z.literal('open-briefing'), entityId: z.optional(z.string()) }),
    response: ok,
  },
  /** Popup → content script (top frame or a given frame): scroll to the next mention of an entity and flash it. */
  'scroll-to-entity': {
    request: z.object({ type: z.literal('scroll-to-entity'), entityId: z.string() }),
    response: z.object({ found: z.boolean() }),
  },
  /** Service worker → content script (top frame): the keyboard command; open the card of the mention at or after the selection, the next one on repeat. */
  'open-card-command': {
    request: z.object({ type: z.literal('open-card-command') }),
    response: z.object({ opened: z.boolean() }),
  },
  /** Extension page → service worker: history entries, newest first, optionally for one entity. */
  'history-recent': {
    request: z.object({ type: z.literal('history-recent'), entityId: z.optional(z.string()), limit: z.number() }),
    response: z.object({ entries: z.array(HistoryEntry) }),
  },
  /** Extension page → service worker: delete all reading history. */
  'history-clear': {
    request: z.object({ type: z.literal('history-clear') }),
    response: ok,
  },
  /** Extension page → service worker: whether the history database works, and how many records it holds. */
  'history-status': {
    request: z.object({ type: z.literal('history-status') }),
    response: z.object({ ok: z.boolean(), count: z.number(), error: z.nullable(z.string()) }),
  },
  /** Extension page → service worker: the settings as read (defaults filled in), and the problems found reading them. */
  'settings-status': {
    request: z.object({ type: z.literal('settings-status') }),
    response: z.object({ settings: Settings, problems: z.array(z.string()) }),
  },
} as const;

export type MessageType = keyof typeof MESSAGES;
export type RequestOf<T extends MessageType> = z.infer<(typeof MESSAGES)[T]['request']>;
export type ResponseOf<T extends MessageType> = z.infer<(typeof MESSAGES)[T]['response']>;
/** Any valid request. */
export type AnyRequest = { [T in MessageType]: RequestOf<T> }[MessageType];

/** Who may send a message: content scripts (a tab sender) or the extension's own pages. */
export type SenderKind = 'content' | 'extension-page';

/** Which senders each message accepts; a message from any other sender is ignored. */
export const ALLOWED_SENDERS: Record<MessageType, readonly SenderKind[]> = {
  'mentions-changed': ['content'],
  'tab-mentions': ['extension-page'],
  'entity-card': ['content', 'extension-page'],
  'scroll-to-entity': ['extension-page'],
  'open-briefing': ['content'],
  'open-card-command': ['extension-page'],
  'history-recent': ['extension-page'],
  'history-clear': ['extension-page'],
  'history-status': ['extension-page'],
  'settings-status': ['extension-page'],
};

/** Classifies a sender: null for anything not from this extension. */
export function senderKind(sender: Runtime.MessageSender, extensionId = browser.runtime.id): SenderKind | null {
  if (sender.id !== extensionId) return null;
  const pageOrigin = browser.runtime.getURL('');
  if (sender.tab && !(sender.url ?? '').startsWith(pageOrigin)) return 'content';
  if ((sender.url ?? '').startsWith(pageOrigin)) return 'extension-page';
  return null;
}

/**
 * Validates an incoming message against the map.
 * @returns the typed request, or null when its type is unknown or its body does not fit.
 */
export function parseRequest(message: unknown): AnyRequest | null {
  const type = (message as { type?: unknown } | null)?.type;
  if (typeof type !== 'string' || !(type in MESSAGES)) return null;
  const result = z.safeParse(MESSAGES[type as MessageType].request, message);
  return result.success ? (result.data as AnyRequest) : null;
}

function checkResponse<T extends MessageType>(type: T, response: unknown): ResponseOf<T> {
  const result = z.safeParse(MESSAGES[type].response, response);
  if (!result.success) throw new Error(`Invalid "${type}" response: ${z.prettifyError(result.error)}`);
  return result.data as ResponseOf<T>;
}

/**
 * Sends a request to the service worker and validates the response.
 * @throws Error with the handler's message when the handler failed, or when the response does not fit its schema.
 */
export async function send<T extends MessageType>(request: RequestOf<T> & { type: T }): Promise<ResponseOf<T>> {
  return checkResponse(request.type, await browser.runtime.sendMessage(request));
}

/**
 * Sends a request to a tab's content script (the top frame unless `frameId` is given) and validates the response.
 * @throws Error when no content script answers or the response does not fit its schema.
 */
export async function sendToTab<T extends MessageType>(tabId: number, request: RequestOf<T> & { type: T }, frameId = 0): Promise<ResponseOf<T>> {
  return checkResponse(request.type, await browser.tabs.sendMessage(tabId, request, { frameId }));
}

/** Handlers for some of the messages; each gets the validated request and its sender. */
export type Handlers = { [T in MessageType]?: (request: RequestOf<T>, sender: Runtime.MessageSender) => Promise<ResponseOf<T>> | ResponseOf<T> };

/**
 * Registers `handlers` with `runtime.onMessage`. Messages that are unknown, malformed, or from a
 * sender the map does not allow are ignored (left for other listeners, which is to say unanswered).
 * @returns a function that removes the listener.
 */
export function listen(handlers: Handlers): () => void {
  const listener = (message: unknown, sender: Runtime.MessageSender): Promise<unknown> | undefined => {
    const request = parseRequest(message);
    if (!request) return undefined;
    const handler = handlers[request.type] as ((r: AnyRequest, s: Runtime.MessageSender) => unknown) | undefined;
    if (!handler) return undefined;
    const kind = senderKind(sender);
    if (!kind || !ALLOWED_SENDERS[request.type].includes(kind)) return undefined;
    return Promise.resolve().then(() => handler(request, sender));
  };
  browser.runtime.onMessage.addListener(listener);
  return () => browser.runtime.onMessage.removeListener(listener);
}
