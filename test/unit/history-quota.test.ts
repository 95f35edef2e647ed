/**
 * A full quota under the history store: writes fail with `QuotaExceededError`, the recorder's
 * status says so in plain words (what the options page shows), the history already kept stays
 * readable, and once writes work again the error goes. A closed connection is not a lasting failure.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import { HistoryRecorder, openHistoryDb, type HistoryDatabase } from '../../src/history';

let db: HistoryDatabase;
let full = false;

/** The real database, except that read-write transactions fail as a full quota makes them fail. */
function quotaLimited(real: HistoryDatabase): HistoryDatabase {
  return new Proxy(real, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (key === 'transaction') {
        return (stores: never, mode?: IDBTransactionMode) => {
          if (full && mode === 'readwrite') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
          return target.transaction(stores, mode);
        };
      }
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

beforeEach(async () => {
  globalThis.indexedDB = new IDBFactory();
  db = quotaLimited(await openHistoryDb('quota'));
  full = false;
});

describe('history with a full quota', () => {
  const settings = async () => ({ historyEnabled: true, historyRetentionDays: 90 });
  const report = (url: string) => ({ url, title: 'Talks', mentions: [{ entityId: 'steve-witkoff' }, { entityId: 'friedrich-merz' }] });

  it('reports the full quota clearly, keeps what was recorded, and recovers', async () => {
    const recorder = new HistoryRecorder(async () => db, settings, () => 1000);
    expect(await recorder.record(report('http://news.test/1'), false)).toBe(2);
    full = true;
    await expect(recorder.record(report('http://news.test/2'), false)).rejects.toThrow(/history write failed: QuotaExceededError/);
    const status = await recorder.status();
    expect(status.ok).toBe(false);
    expect(status.count).toBe(2);
    expect(status.error).toMatch(/QuotaExceededError: the browser's storage for the extension is full, so new entries are not saved \(the ones kept so far stay\)/);
    // Still full: reads keep working and do not hide the problem.
    expect((await recorder.recent({})).map((e) => e.url)).toEqual(['http://news.test/1', 'http://news.test/1']);
    expect((await recorder.status()).ok).toBe(false);
    full = false;
    expect(await recorder.record(report('http://news.test/3'), false)).toBe(2);
    expect(await recorder.status()).toEqual({ ok: true, count: 4, error: null });
  });

  it('a connection closed under the recorder (a newer version elsewhere) is not reported as a lasting write failure', async () => {
    let connection: HistoryDatabase | null = null;
    const recorder = new HistoryRecorder(async () => (connection = await openHistoryDb('closing')), settings, () => 1000);
    await recorder.record(report('http://news.test/1'), false);
    connection!.close();
    await expect(recorder.record(report('http://news.test/2'), false)).rejects.toThrow(/InvalidStateError/);
    expect(await recorder.status()).toEqual({ ok: true, count: 2, error: null });
  });
});
