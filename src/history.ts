/**
 * The reading history: which entities were met on which pages, kept in IndexedDB (through `idb`)
 * by the service worker. The database shape is declared once (`HistoryDB`) and opened only through
 * `openHistoryDb`, whose versioned upgrades build it. Every other function takes the open database,
 * so the same code runs in the service worker and, with `fake-indexeddb`, in unit tests.
 *
 * `HistoryRecorder` is the service worker's policy on top: honour the `historyEnabled` setting,
 * never record private (incognito) tabs, prune by the retention setting and cap the size, and
 * report a broken database instead of throwing into the marking path.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { HistoryEntry } from './messages';

/** The database's name. */
export const HISTORY_DB_NAME = 'briefing-lens-history';
/** The current schema version (the number of upgrades below). */
export const HISTORY_DB_VERSION = 1;
/** Most records kept; the ones seen longest ago go first. */
export const MAX_HISTORY_ENTRIES = 2000;
/** Longest page title kept, characters. */
export const MAX_TITLE_LENGTH = 300;
/** Longest URL kept, characters (longer pages are not recorded). */
export const MAX_URL_LENGTH = 2048;

/** The reading-history database: one store of visits, keyed by [entityId, url]. */
export interface HistoryDB extends DBSchema {
  visits: {
    /** [entity id, page URL]. */
    key: [string, string];
    value: HistoryEntry;
    indexes: {
      /** All pages of one entity. */
      'by-entity': string;
      /** Visits by when they were last seen (ms since the epoch): newest-first lists and pruning. */
      'by-last-seen': number;
    };
  };
}

export type HistoryDatabase = IDBPDatabase<HistoryDB>;

/** Schema upgrades in order: entry `i` takes the database from version `i` to `i + 1`. Never edit a shipped one; add the next. */
const UPGRADES: readonly ((db: IDBPDatabase<HistoryDB>) => void)[] = [
  (db) => {
    const visits = db.createObjectStore('visits', { keyPath: ['entityId', 'url'] });
    visits.createIndex('by-entity', 'entityId');
    visits.createIndex('by-last-seen', 'lastSeen');
  },
];

/**
 * Opens (creating or upgrading as needed) the history database with the ambient `indexedDB`.
 * @param name database name (tests use their own).
 * @param onBlocked called when an older connection elsewhere blocks the upgrade (the open then waits).
 * @returns the open database; it closes itself when another context needs a newer version.
 * @throws the IndexedDB error (e.g. `VersionError` when a newer version exists, `UnknownError` when the files are corrupt).
 */
export async function openHistoryDb(name = HISTORY_DB_NAME, onBlocked?: () => void): Promise<HistoryDatabase> {
  const db = await openDB<HistoryDB>(name, HISTORY_DB_VERSION, {
    upgrade(database, oldVersion, newVersion) {
      for (let v = oldVersion; v < (newVersion ?? HISTORY_DB_VERSION); v++) UPGRADES[v]!(database);
    },
    blocked: () => onBlocked?.(),
    blocking: () => db.close(),
  });
  return db;
}

/** One page's sighting of one entity. */
export interface Sighting {
  entityId: string;
  url: string;
  title: string;
  /** Mentions of the entity on the page in this report (≥ 1). */
  count: number;
}

/**
 * Records sightings at time `now` (ms since the epoch), one transaction for all: a new record gets
 * `firstSeen = lastSeen = now`; an existing one keeps `firstSeen`, takes the new title and `lastSeen`,
 * and its `count` becomes the larger of the stored and the new count (the most mentions seen at once).
 * @throws the IndexedDB error when the write fails (nothing of the batch is written then).
 */
export async function upsertVisits(db: HistoryDatabase, sightings: readonly Sighting[], now: number): Promise<void> {
  if (sightings.length === 0) return;
  const tx = db.transaction('visits', 'readwrite');
  await Promise.all([
    ...sightings.map(async (s) => {
      const old = await tx.store.get([s.entityId, s.url]);
      const title = s.title.slice(0, MAX_TITLE_LENGTH);
      await tx.store.put(
        old
          ? { ...old, title: title || old.title, lastSeen: Math.max(old.lastSeen, now), count: Math.max(old.count, s.count) }
          : { entityId: s.entityId, url: s.url, title, firstSeen: now, lastSeen: now, count: s.count },
      );
    }),
    tx.done,
  ]);
}

/**
 * History records, newest `lastSeen` first.
 * @param options.entityId only this entity's records.
 * @param options.limit at most this many (default 50).
 */
export async function recentVisits(db: HistoryDatabase, options: { entityId?: string; limit?: number } = {}): Promise<HistoryEntry[]> {
  const limit = Math.max(0, options.limit ?? 50);
  if (limit === 0) return [];
  if (options.entityId !== undefined) {
    const all = await db.getAllFromIndex('visits', 'by-entity', options.entityId);
    return all.sort((a, b) => b.lastSeen - a.lastSeen).slice(0, limit);
  }
  const out: HistoryEntry[] = [];
  let cursor = await db.transaction('visits').store.index('by-last-seen').openCursor(null, 'prev');
  while (cursor && out.length < limit) {
    out.push(cursor.value);
    cursor = await cursor.continue();
  }
  return out;
}

/**
 * Deletes records last seen before `cutoff` (ms since the epoch).
 * @returns how many were deleted.
 */
export async function pruneVisits(db: HistoryDatabase, cutoff: number): Promise<number> {
  const tx = db.transaction('visits', 'readwrite');
  let deleted = 0;
  let cursor = await tx.store.index('by-last-seen').openCursor(IDBKeyRange.upperBound(cutoff, true));
  while (cursor) {
    await cursor.delete();
    deleted++;
    cursor = await cursor.continue();
  }
  await tx.done;
  return deleted;
}

/**
 * Keeps at most `max` records, deleting the ones seen longest ago.
 * @returns how many were deleted.
 */
export async function capVisits(db: HistoryDatabase, max = MAX_HISTORY_ENTRIES): Promise<number> {
  const tx = db.transaction('visits', 'readwrite');
  const excess = (await tx.store.count()) - max;
  let deleted = 0;
  let cursor = excess > 0 ? await tx.store.index('by-last-seen').openCursor() : null;
  while (cursor && deleted < excess) {
    await cursor.delete();
    deleted++;
    cursor = await cursor.continue();
  }
  await tx.done;
  return deleted;
}

/** Deletes every record. */
export async function clearVisits(db: HistoryDatabase): Promise<void> {
  await db.clear('visits');
}

/** The number of records. */
export async function countVisits(db: HistoryDatabase): Promise<number> {
  return db.count('visits');
}

/**
 * The sightings in one content-script report: one per entity, with its number of mentions.
 * Only http(s) pages are recorded; the URL's fragment is dropped, and over-long URLs are skipped.
 * @param url the reporting frame's URL; `title` its document title; `mentions` its marked mentions.
 */
export function sightingsOf(url: string, title: string, mentions: readonly { entityId: string }[]): Sighting[] {
  let page: URL;
  try {
    page = new URL(url);
  } catch {
    return [];
  }
  if (page.protocol !== 'http:' && page.protocol !== 'https:') return [];
  page.hash = '';
  const href = page.href;
  if (href.length > MAX_URL_LENGTH) return [];
  const counts = new Map<string, number>();
  for (const m of mentions) counts.set(m.entityId, (counts.get(m.entityId) ?? 0) + 1);
  return [...counts].map(([entityId, count]) => ({ entityId, url: href, title: title.trim() || page.host, count }));
}

/** What the recorder needs of the settings. */
export interface HistorySettings {
  historyEnabled: boolean;
  /** Days after which records are pruned. */
  historyRetentionDays: number;
}

/** Whether the database works, how many records it holds, and the last error (null when fine). */
export interface HistoryStatus {
  ok: boolean;
  count: number;
  error: string | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** Least time between two prune-and-cap passes, ms. */
const MAINTENANCE_GAP_MS = 10 * 60 * 1000;
/** Longest wait for the database to open, ms. */
const OPEN_TIMEOUT_MS = 5000;

/**
 * The service worker's history policy around the database. The database is opened on first use; a
 * failure to open is remembered (for `status`) and retried on the next use.
 */
export class HistoryRecorder {
  private db: Promise<HistoryDatabase> | null = null;
  private lastError: string | null = null;
  /** Why the last write to an open database failed (e.g. a full quota), kept until a write succeeds: reads may still work. */
  private lastWriteError: string | null = null;
  private lastMaintenance = -Infinity;

  /**
   * @param open opens the database (`openHistoryDb` in the extension).
   * @param settings reads the current settings (never throws).
   * @param now the clock, ms since the epoch.
   * @param openTimeoutMs longest wait for the database to open before it counts as blocked, ms.
   */
  constructor(
    private readonly open: () => Promise<HistoryDatabase>,
    private readonly settings: () => Promise<HistorySettings>,
    private readonly now: () => number = Date.now,
    private readonly openTimeoutMs = OPEN_TIMEOUT_MS,
  ) {}

  private database(): Promise<HistoryDatabase> {
    this.db ??= withTimeout(this.open(), this.openTimeoutMs, 'the database did not open in time (blocked by another connection?)').then(
      (db) => {
        db.addEventListener('close', () => (this.db = null));
        return db;
      },
      (error: unknown) => {
        this.db = null;
        throw error;
      },
    );
    return this.db;
  }

  private async run<T>(what: string, action: (db: HistoryDatabase) => Promise<T>): Promise<T> {
    try {
      const result = await action(await this.database());
      this.lastError = null;
      return result;
    } catch (error) {
      this.lastError = `${what}: ${describeError(error)}`;
      // The connection may be closed (a newer version elsewhere) or broken: open afresh next time.
      this.db = null;
      throw new Error(this.lastError);
    }
  }

  /**
   * Records a content script's report unless history is off or the tab is private.
   * @param report the frame's URL, title and marked mentions.
   * @param incognito whether the reporting tab is in a private window (then nothing is recorded).
   * @returns the number of records written (0 when nothing was recorded).
   * @throws Error naming the failure when the database cannot be opened or written (callers log it; marking goes on).
   */
  async record(report: { url: string; title: string; mentions: readonly { entityId: string }[] }, incognito: boolean): Promise<number> {
    if (incognito) return 0;
    const settings = await this.settings();
    if (!settings.historyEnabled) return 0;
    const sightings = sightingsOf(report.url, report.title, report.mentions);
    if (sightings.length === 0) return 0;
    const now = this.now();
    await this.run('history write failed', async (db) => {
      try {
        await upsertVisits(db, sightings, now);
        if (now - this.lastMaintenance >= MAINTENANCE_GAP_MS) {
          this.lastMaintenance = now;
          await pruneVisits(db, now - settings.historyRetentionDays * DAY_MS);
          await capVisits(db);
        }
      } catch (error) {
        // An open database that would not take the write (a full quota): status keeps saying so. A
        // connection closed under us (InvalidStateError: a newer version elsewhere) is reopened instead.
        if ((error as Error).name !== 'InvalidStateError') this.lastWriteError = `history write failed: ${describeError(error)}`;
        throw error;
      }
    });
    this.lastWriteError = null;
    return sightings.length;
  }

  /**
   * Records newest first (after pruning what the retention setting no longer allows; when pruning
   * cannot write, e.g. with a full quota, the expired records are left out of the answer instead).
   * @throws Error when the database cannot be read.
   */
  async recent(options: { entityId?: string; limit?: number }): Promise<HistoryEntry[]> {
    const settings = await this.settings();
    const cutoff = this.now() - settings.historyRetentionDays * DAY_MS;
    return this.run('history read failed', async (db) => {
      // Pruning writes: with a full quota it fails, and the history kept must still be readable.
      await pruneVisits(db, cutoff).catch(() => undefined);
      return (await recentVisits(db, options)).filter((e) => e.lastSeen >= cutoff);
    });
  }

  /**
   * Deletes all records.
   * @throws Error when the database cannot be cleared.
   */
  async clear(): Promise<void> {
    await this.run('history clear failed', clearVisits);
  }

  /**
   * Whether the database opens, counts and takes writes; never throws. A database that reads but
   * whose last write failed (a full quota) is not ok: `error` says why, `count` is what it still holds.
   */
  async status(): Promise<HistoryStatus> {
    try {
      const count = await this.run('history database unavailable', countVisits);
      if (this.lastWriteError) return { ok: false, count, error: this.lastWriteError };
      return { ok: true, count, error: null };
    } catch {
      return { ok: false, count: 0, error: this.lastError };
    }
  }
}

/** Rejects with `message` when `promise` has not settled within `ms`. */
function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A readable message for an IndexedDB or other error. */
function describeError(error: unknown): string {
  if (error instanceof Error || (typeof DOMException !== 'undefined' && error instanceof DOMException)) {
    const e = error as Error;
    if (e.name === 'QuotaExceededError') return `${e.name}: the browser's storage for the extension is full, so new entries are not saved (the ones kept so far stay)`;
    return e.name && e.name !== 'Error' ? `${e.name}: ${e.message}` : e.message;
  }
  return String(error);
}
