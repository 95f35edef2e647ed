/** The message map: request validation, sender checks, and errors carried back as rejections. */
import { beforeEach, describe, expect, it, vi } from 'vitest';

type Listener = (message: unknown, sender: unknown) => Promise<unknown> | undefined;
const fake = vi.hoisted(() => ({ listeners: [] as Listener[], sendMessage: vi.fn() }));

vi.mock('webextension-polyfill', () => ({
  default: {
    runtime: {
      id: 'ext-id',
      getURL: (path: string) => `chrome-extension://ext-id/${path}`,
      onMessage: {
        addListener: (l: Listener) => fake.listeners.push(l),
        removeListener: (l: Listener) => fake.listeners.splice(fake.listeners.indexOf(l), 1),
      },
      sendMessage: fake.sendMessage,
    },
  },
}));

const { listen, parseRequest, send, senderKind } = await import('../../src/messages');

const popup = { id: 'ext-id', url: 'chrome-extension://ext-id/popup/popup.html' };
const content = { id: 'ext-id', url: 'http://news.test/a', tab: { id: 3 }, frameId: 0 };
const stranger = { id: 'other-extension', url: 'chrome-extension://other-extension/x.html' };

beforeEach(() => {
  fake.listeners.length = 0;
  fake.sendMessage.mockReset();
});

describe('parseRequest', () => {
  it('accepts a well-formed request', () => {
    expect(parseRequest({ type: 'tab-mentions', tabId: 4 })).toEqual({ type: 'tab-mentions', tabId: 4 });
  });

  it('rejects unknown types, missing or mistyped fields', () => {
    expect(parseRequest({ type: 'nope' })).toBeNull();
    expect(parseRequest({ type: 'tab-mentions' })).toBeNull();
    expect(parseRequest({ type: 'tab-mentions', tabId: '4' })).toBeNull();
    expect(parseRequest({ type: 'history-recent', limit: 5, entityId: 7 })).toBeNull();
    expect(parseRequest(null)).toBeNull();
    expect(parseRequest('tab-mentions')).toBeNull();
  });
});

describe('senderKind', () => {
  it('tells content scripts from extension pages and ignores other extensions', () => {
    expect(senderKind(popup as never)).toBe('extension-page');
    expect(senderKind(content as never)).toBe('content');
    expect(senderKind(stranger as never)).toBeNull();
  });
});

describe('listen', () => {
  const handlers = {
    'tab-mentions': vi.fn(async ({ tabId }: { tabId: number }) => ({ frames: [{ frameId: 0, url: `tab ${tabId}`, mentions: [] }] })),
    'history-clear': vi.fn(async (): Promise<{ ok: true }> => {
      throw new Error('database is blocked');
    }),
  };

  it('answers a valid request from an allowed sender', async () => {
    listen(handlers);
    await expect(fake.listeners[0]!({ type: 'tab-mentions', tabId: 9 }, popup)).resolves.toEqual({ frames: [{ frameId: 0, url: 'tab 9', mentions: [] }] });
  });

  it('ignores malformed requests and senders the map does not allow', () => {
    listen(handlers);
    expect(fake.listeners[0]!({ type: 'tab-mentions', tabId: 'x' }, popup)).toBeUndefined();
    // A content script may not ask for another tab's mentions.
    expect(fake.listeners[0]!({ type: 'tab-mentions', tabId: 9 }, content)).toBeUndefined();
    expect(fake.listeners[0]!({ type: 'tab-mentions', tabId: 9 }, stranger)).toBeUndefined();
  });

  it("carries a handler's error back as a rejection", async () => {
    listen(handlers);
    await expect(fake.listeners[0]!({ type: 'history-clear' }, popup)).rejects.toThrow('database is blocked');
  });

  it('removes its listener', () => {
    const stop = listen(handlers);
    stop();
    expect(fake.listeners).toHaveLength(0);
  });
});

describe('send', () => {
  it('returns a valid response', async () => {
    fake.sendMessage.mockResolvedValue({ ok: true, count: 2, error: null });
    await expect(send({ type: 'history-status' })).resolves.toEqual({ ok: true, count: 2, error: null });
  });

  it('throws on a response that does not fit, including undefined (nobody answered)', async () => {
    fake.sendMessage.mockResolvedValue(undefined);
    await expect(send({ type: 'history-status' })).rejects.toThrow(/Invalid "history-status" response/);
    fake.sendMessage.mockResolvedValue({ entries: [{ entityId: 'a' }] });
    await expect(send({ type: 'history-recent', limit: 1 })).rejects.toThrow(/Invalid "history-recent" response/);
  });
});
