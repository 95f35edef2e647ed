/** The history store on `fake-indexeddb`: upsert, newest-first reads, prune, cap, clear, and the recorder's policy. */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  HistoryRecorder,
  capVisits,
  clearVisits,
  countVisits,
  openHistoryDb,
  pruneVisits,
  recentVisits,
  sightingsOf,
  upsertVisits,
  type HistoryDatabase,
  type HistorySettings,
} from '../../src/history';

let db: HistoryDatabase;
let n = 0;

beforeEach(async () => {
  // A fresh factory per test: no state leaks between tests.
  globalThis.indexedDB = new IDBFactory();
  db = await openHistoryDb(`test-${n++}`);
});

const seen = (entityId: string, url: string, count = 1, title = 'Page') => ({ entityId, url, title, count });

describe('history store', () => {
  it('creates the store with both indexes through the versioned upgrade', () => {
    expect([...db.objectStoreNames]).toEqual(['visits']);
    const store = db.transaction('visits').store;
    expect([...store.indexNames].sort()).toEqual(['by-entity', 'by-last-seen']);
  });

  it('upserts: keeps firstSeen, moves lastSeen, takes the new title and the larger count', async () => {
    await upsertVisits(db, [seen('steve-witkoff', 'http://a.test/1', 2, 'Old title')], 1000);
    await upsertVisits(db, [seen('steve-witkoff', 'http://a.test/1', 1, 'New title'), seen('friedrich-merz', 'http://a.test/1', 3)], 5000);
    expect(await countVisits(db)).toBe(2);
    const witkoff = await db.get('visits', ['steve-witkoff', 'http://a.test/1']);
    expect(witkoff).toEqual({ entityId: 'steve-witkoff', url: 'http://a.test/1', title: 'New title', firstSeen: 1000, lastSeen: 5000, count: 2 });
    const merz = await db.get('visits', ['friedrich-merz', 'http://a.test/1']);
    expect(merz?.firstSeen).toBe(5000);
    expect(merz?.count).toBe(3);
  });

  it('lists newest first, optionally for one entity, with a limit', async () => {
    await upsertVisits(db, [seen('a', 'http://x.test/1')], 100);
    await upsertVisits(db, [seen('b', 'http://x.test/2')], 300);
    await upsertVisits(db, [seen('a', 'http://x.test/3')], 200);
    expect((await recentVisits(db)).map((e) => e.url)).toEqual(['http://x.test/2', 'http://x.test/3', 'http://x.test/1']);
    expect((await recentVisits(db, { entityId: 'a' })).map((e) => e.url)).toEqual(['http://x.test/3', 'http://x.test/1']);
    expect((await recentVisits(db, { limit: 1 })).map((e) => e.url)).toEqual(['http://x.test/2']);
    expect(await recentVisits(db, { limit: 0 })).toEqual([]);
  });

  it('prunes what was last seen before the cutoff', async () => {
    await upsertVisits(db, [seen('a', 'http://x.test/old')], 100);
    await upsertVisits(db, [seen('a', 'http://x.test/edge')], 200);
    await upsertVisits(db, [seen('a', 'http://x.test/new')], 300);
    expect(await pruneVisits(db, 200)).toBe(1);
    expect((await recentVisits(db)).map((e) => e.url)).toEqual(['http://x.test/new', 'http://x.test/edge']);
  });

  it('caps the size, dropping the records seen longest ago', async () => {
    for (let i = 0; i < 10; i++) await upsertVisits(db, [seen('a', `http://x.test/${i}`)], 1000 + i);
    expect(await capVisits(db, 4)).toBe(6);
    expect((await recentVisits(db)).map((e) => e.url)).toEqual(['http://x.test/9', 'http://x.test/8', 'http://x.test/7', 'http://x.test/6']);
    expect(await capVisits(db, 4)).toBe(0);
  });

  it('clears everything', async () => {
    await upsertVisits(db, [seen('a', 'http://x.test/1'), seen('b', 'http://x.test/1')], 1);
    await clearVisits(db);
    expect(await countVisits(db)).toBe(0);
  });
});

describe('sightingsOf', () => {
  it('counts mentions per entity, drops the fragment, and falls back to the host for a missing title', () => {
    const mentions = [{ entityId: 'a' }, { entityId: 'b' }, { entityId: 'a' }];
    expect(sightingsOf('https://news.test/p?q=1#top', '  ', mentions)).toEqual([
      { entityId: 'a', url: 'https://news.test/p?q=1', title: 'news.test', count: 2 },
      { entityId: 'b', url: 'https://news.test/p?q=1', title: 'news.test', count: 1 },
    ]);
  });

  it('records only http(s) pages', () => {
    expect(sightingsOf('about:blank', 't', [{ entityId: 'a' }])).toEqual([]);
    expect(sightingsOf('file:///x.html', 't', [{ entityId: 'a' }])).toEqual([]);
    expect(sightingsOf('not a url', 't', [{ entityId: 'a' }])).toEqual([]);
  });
});

describe('HistoryRecorder', () => {
  const report = { url: 'http://news.test/a', title: 'A', mentions: [{ entityId: 'nato' }] };
  const settingsOf = (s: Partial<HistorySettings> = {}) => async (): Promise<HistorySettings> => ({ historyEnabled: true, historyRetentionDays: 90, ...s });

  it('records, and reads newest first', async () => {
    const recorder = new HistoryRecorder(async () => db, settingsOf(), () => 10_000);
    expect(await recorder.record(report, false)).toBe(1);
    expect(await recorder.recent({})).toMatchObject([{ entityId: 'nato', url: 'http://news.test/a', title: 'A', count: 1 }]);
    expect(await recorder.status()).toEqual({ ok: true, count: 1, error: null });
  });

  it('never records a private tab, nor when history is off', async () => {
    expect(await new HistoryRecorder(async () => db, settingsOf()).record(report, true)).toBe(0);
    expect(await new HistoryRecorder(async () => db, settingsOf({ historyEnabled: false })).record(report, false)).toBe(0);
    expect(await countVisits(db)).toBe(0);
  });

  it('prunes by the retention setting', async () => {
    const day = 24 * 60 * 60 * 1000;
    let now = 0;
    const recorder = new HistoryRecorder(async () => db, settingsOf({ historyRetentionDays: 2 }), () => now);
    await recorder.record(report, false);
    now = 3 * day;
    await recorder.record({ ...report, url: 'http://news.test/b' }, false);
    expect((await recorder.recent({})).map((e) => e.url)).toEqual(['http://news.test/b']);
  });

  it('reports a database that cannot be opened, and throws on write instead of returning silently', async () => {
    // A newer version of the database exists: opening it at our version fails with VersionError.
    const name = 'newer';
    await new Promise<void>((ok, fail) => {
      const req = indexedDB.open(name, 99);
      req.onsuccess = () => {
        req.result.close();
        ok();
      };
      req.onerror = () => fail(req.error);
    });
    const recorder = new HistoryRecorder(() => openHistoryDb(name), settingsOf());
    await expect(recorder.record(report, false)).rejects.toThrow(/history write failed: VersionError/);
    const status = await recorder.status();
    expect(status.ok).toBe(false);
    expect(status.error).toMatch(/VersionError/);
  });

  it('opens afresh after its connection was closed (a newer version elsewhere closes it)', async () => {
    let opens = 0;
    const recorder = new HistoryRecorder(async () => {
      opens++;
      return openHistoryDb('reopen');
    }, settingsOf());
    await recorder.record(report, false);
    // Simulate the `blocking` callback: our connection is closed under the recorder.
    const first = await (recorder as unknown as { database(): Promise<HistoryDatabase> }).database();
    first.close();
    await expect(recorder.record(report, false)).rejects.toThrow(/history write failed/);
    expect(await recorder.record({ ...report, url: 'http://news.test/c' }, false)).toBe(1);
    expect(opens).toBe(2);
    expect((await recorder.recent({})).length).toBe(2);
  });

  it('reports a blocked database after a timeout instead of hanging', async () => {
    const recorder = new HistoryRecorder(() => new Promise<HistoryDatabase>(() => undefined), settingsOf(), Date.now, 50);
    const status = await recorder.status();
    expect(status).toMatchObject({ ok: false, count: 0 });
    expect(status.error).toMatch(/did not open in time/);
  });
});
