/** Preact hooks shared by the popup and the options page. */
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Settings } from '../settings';
import { onSettingsChanged, readStoredSettings, writeSettings } from './api';

/** The settings state of a page: null until first read. */
export interface SettingsState {
  settings: Settings | null;
  /** Problems found reading storage (invalid keys replaced by defaults, etc.). */
  problems: string[];
  /** The last save error, or null. */
  error: string | null;
  /** Saves changes; the state follows through `storage.onChanged`. Never throws (errors land in `error`). */
  save(changes: Partial<Settings>): Promise<boolean>;
}

/**
 * The synced settings, kept current with `storage.onChanged`.
 * @param initial settings already read before the first render (avoids a loading flash), or null.
 */
export function useSettings(initial: { settings: Settings; problems: string[] } | null = null): SettingsState {
  const [state, setState] = useState<{ settings: Settings | null; problems: string[] }>(initial ?? { settings: null, problems: [] });
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    const reload = () =>
      void readStoredSettings().then((r) => {
        if (live) setState(r);
      });
    if (!initial) reload();
    const stop = onSettingsChanged(reload);
    return () => {
      live = false;
      stop();
    };
  }, []);
  const save = useCallback(async (changes: Partial<Settings>) => {
    try {
      // Optimistic: show the change at once; storage.onChanged confirms it.
      setState((s) => (s.settings ? { ...s, settings: { ...s.settings, ...changes } } : s));
      await writeSettings(changes);
      setError(null);
      return true;
    } catch (e) {
      setError((e as Error).message);
      void readStoredSettings().then(setState);
      return false;
    }
  }, []);
  return { ...state, error, save };
}

/**
 * Re-runs `load` now, every `intervalMs` while the page is open, and whenever `deps` change.
 * @returns the last value (null until the first load) and the last error message.
 */
export function usePolled<T>(load: () => Promise<T>, intervalMs: number, deps: unknown[], initial: T | null = null): { value: T | null; error: string | null; reload: () => void } {
  const [value, setValue] = useState<T | null>(initial);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    const run = () =>
      load().then(
        (v) => {
          if (live) {
            setValue(v);
            setError(null);
          }
        },
        (e: unknown) => {
          if (live) setError((e as Error).message ?? String(e));
        },
      );
    if (tick > 0 || initial === null) void run();
    const timer = intervalMs > 0 ? setInterval(run, intervalMs) : undefined;
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [...deps, tick]);
  return { value, error, reload: () => setTick((t) => t + 1) };
}
