/**
 * The options page: tracked topics, disabled sites, display, reading history, and settings
 * export/import. Every change is saved to `storage.sync` at once; open tabs pick it up through
 * `storage.onChanged` (no reload). Problems reading settings and a broken history database are
 * shown at the top; the rest of the page keeps working.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import { knowledgeBase, entityById } from '../src/kb';
import type { Settings } from '../src/settings';
import { normaliseSite } from '../src/ui/briefing';
import { exportSettings, parseSettingsFile } from '../src/settings-file';
import { clearHistory, historyStatus } from '../src/ui/api';
import { useSettings, type SettingsState } from '../src/ui/hooks';

/** The options page. */
export function Options() {
  const state = useSettings();
  const [notice, setNotice] = useState('');
  const say = (text: string) => setNotice(`${text} (${new Date().toLocaleTimeString()})`);
  const save = async (changes: Partial<Settings>, what: string) => {
    if (await state.save(changes)) say(`${what} saved.`);
  };
  const s = state.settings;
  return (
    <main class="options">
      <header>
        <h1>Briefing Lens settings</h1>
        <p class="muted">Changes apply at once in every open tab.</p>
      </header>
      {state.problems.length > 0 && (
        <div class="banner warn" role="alert" id="settings-problems">
          <strong>Some stored settings were invalid and were replaced by their defaults:</strong>
          <ul>
            {state.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      )}
      {state.error && (
        <p class="banner error" role="alert">
          Could not save: {state.error}
        </p>
      )}
      <p class="notice" role="status" aria-live="polite">
        {notice}
      </p>
      {s ? (
        <>
          <Topics settings={s} save={save} />
          <Sites settings={s} save={save} />
          <Display settings={s} save={save} />
          <History settings={s} save={save} say={say} />
          <Backup settings={s} state={state} say={say} />
        </>
      ) : (
        <p class="muted" aria-busy="true">
          Loading settings…
        </p>
      )}
    </main>
  );
}

type SaveFn = (changes: Partial<Settings>, what: string) => Promise<void>;

/** A fieldset-like card. */
function Card({ id, title, children, intro }: { id: string; title: string; intro?: ComponentChildren; children: ComponentChildren }) {
  return (
    <section class="card" id={id} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      {intro && <p class="intro">{intro}</p>}
      {children}
    </section>
  );
}

/** A labelled switch. */
function Switch({ checked, onChange, children, name }: { checked: boolean; onChange: (on: boolean) => void; children: ComponentChildren; name?: string }) {
  return (
    <label class="switch-row">
      <input type="checkbox" role="switch" data-name={name} checked={checked} onChange={(e) => onChange(e.currentTarget.checked)} />
      <span>{children}</span>
    </label>
  );
}

/** One switch per knowledge-base topic, plus the default for entities in no topic. */
function Topics({ settings, save }: { settings: Settings; save: SaveFn }) {
  const kb = knowledgeBase();
  const untopiced = kb.entities.filter((e) => e.marked && e.topics.length === 0);
  return (
    <Card id="topics" title="Tracked topics" intro="A name is marked on pages when at least one of its topics is tracked.">
      <ul class="rows">
        {kb.topics.map((t) => {
          const names = t.entities
            .map((id) => entityById(id))
            .filter((e) => e?.marked)
            .map((e) => e!.name);
          return (
            <li key={t.id}>
              <Switch name={`topic:${t.id}`} checked={settings.trackedTopics[t.id] !== false} onChange={(on) => void save({ trackedTopics: { ...settings.trackedTopics, [t.id]: on } }, `“${t.label}”`)}>
                <span class="label">{t.label}</span>
                <span class="hint">{names.length > 0 ? names.join(', ') : 'no names of its own'}</span>
              </Switch>
            </li>
          );
        })}
        <li>
          <Switch name="untopiced" checked={settings.untopicedEntities} onChange={(on) => void save({ untopicedEntities: on }, 'People in the talks')}>
            <span class="label">People in the talks not in any topic</span>
            <span class="hint">{untopiced.length > 0 ? untopiced.map((e) => e.name).join(', ') : 'none at present; applies to names added later'}</span>
          </Switch>
        </li>
      </ul>
    </Card>
  );
}

/** Sites where the extension marks nothing. */
function Sites({ settings, save }: { settings: Settings; save: SaveFn }) {
  const [input, setInput] = useState('');
  const [error, setError] = useState('');
  const add = (event: Event) => {
    event.preventDefault();
    const site = normaliseSite(input);
    if (!site) {
      setError(`“${input.trim()}” is not a site name. Enter a host such as example.com or a page address.`);
      return;
    }
    setError('');
    setInput('');
    if (!settings.disabledSites.includes(site)) void save({ disabledSites: [...settings.disabledSites, site] }, `Disabled ${site}`);
  };
  return (
    <Card id="sites" title="Sites" intro="Names are not marked on these sites (and their subdomains).">
      {settings.disabledSites.length === 0 ? (
        <p class="muted">No site is disabled.</p>
      ) : (
        <ul class="sites">
          {settings.disabledSites.map((site) => (
            <li key={site}>
              <span>{site}</span>
              <button type="button" class="secondary" aria-label={`Remove ${site}`} onClick={() => void save({ disabledSites: settings.disabledSites.filter((x) => x !== site) }, `Enabled ${site}`)}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <form class="inline" onSubmit={add}>
        <label for="site-input" class="sr-only">
          Site to disable
        </label>
        <input id="site-input" type="text" placeholder="example.com" value={input} onInput={(e) => setInput(e.currentTarget.value)} aria-invalid={error ? 'true' : undefined} aria-describedby="site-error" />
        <button type="submit">Add</button>
      </form>
      <p id="site-error" class="field-error" role={error ? 'alert' : undefined}>
        {error}
      </p>
    </Card>
  );
}

/** Underline style, hover delay and card trigger. */
function Display({ settings, save }: { settings: Settings; save: SaveFn }) {
  const [delay, setDelay] = useState(String(settings.hoverDelayMs));
  const [delayError, setDelayError] = useState('');
  useEffect(() => setDelay(String(settings.hoverDelayMs)), [settings.hoverDelayMs]);
  const commitDelay = () => {
    const value = Number(delay);
    if (!/^\d+$/.test(delay.trim()) || value > 5000) {
      setDelayError('Enter a whole number of milliseconds from 0 to 5000.');
      return;
    }
    setDelayError('');
    if (value !== settings.hoverDelayMs) void save({ hoverDelayMs: value }, 'Hover delay');
  };
  const styles: { value: Settings['underline']; label: string }[] = [
    { value: 'dotted', label: 'Dotted underline' },
    { value: 'solid', label: 'Solid underline' },
    { value: 'background', label: 'Background tint' },
  ];
  return (
    <Card id="display" title="Display">
      <fieldset>
        <legend>How names are marked</legend>
        {styles.map((st) => (
          <label class="radio-row" key={st.value}>
            <input type="radio" name="underline" value={st.value} checked={settings.underline === st.value} onChange={() => void save({ underline: st.value }, 'Mark style')} />
            <span class="sample">
              <span class={`sample-${st.value}`}>Steve Witkoff</span>
            </span>
            <span class="muted">{st.label}</span>
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>When the card opens</legend>
        <label class="radio-row">
          <input type="radio" name="cardTrigger" value="hover" checked={settings.cardTrigger === 'hover'} onChange={() => void save({ cardTrigger: 'hover' }, 'Card trigger')} />
          <span>When the pointer rests on a name</span>
        </label>
        <label class="radio-row">
          <input type="radio" name="cardTrigger" value="modifier" checked={settings.cardTrigger === 'modifier'} onChange={() => void save({ cardTrigger: 'modifier' }, 'Card trigger')} />
          <span>
            Only while <kbd>Alt</kbd> is held
          </span>
        </label>
        <div class="field">
          <label for="hover-delay">Hover delay</label>
          <input id="hover-delay" type="number" min={0} max={5000} step={50} value={delay} onInput={(e) => setDelay(e.currentTarget.value)} onChange={commitDelay} aria-invalid={delayError ? 'true' : undefined} aria-describedby="hover-delay-help" />
          <span class="unit">ms</span>
          <span id="hover-delay-help" class={delayError ? 'field-error' : 'muted'}>
            {delayError || 'How long the pointer rests before the card opens (0–5000).'}
          </span>
        </div>
      </fieldset>
    </Card>
  );
}

/** Reading history: on/off, retention, clear, and the database's health. */
function History({ settings, save, say }: { settings: Settings; save: SaveFn; say: (t: string) => void }) {
  const [status, setStatus] = useState<{ ok: boolean; count: number; error: string | null } | null>(null);
  const [retention, setRetention] = useState(String(settings.historyRetentionDays));
  const [retentionError, setRetentionError] = useState('');
  useEffect(() => setRetention(String(settings.historyRetentionDays)), [settings.historyRetentionDays]);
  const refresh = () =>
    historyStatus().then(setStatus, (e: unknown) => setStatus({ ok: false, count: 0, error: `the service worker did not answer (${(e as Error).message})` }));
  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), 5000);
    return () => clearInterval(timer);
  }, []);
  const commitRetention = () => {
    const days = Number(retention);
    if (!/^\d+$/.test(retention.trim()) || days < 1 || days > 3650) {
      setRetentionError('Enter a whole number of days from 1 to 3650.');
      return;
    }
    setRetentionError('');
    if (days !== settings.historyRetentionDays) void save({ historyRetentionDays: days }, 'Retention');
  };
  const onClear = async () => {
    try {
      await clearHistory();
      say('Reading history cleared.');
    } catch (e) {
      say(`Could not clear the history: ${(e as Error).message}`);
    }
    await refresh();
  };
  return (
    <Card id="history" title="Reading history" intro="Which pages each name was met on, kept only on this device. Never recorded in private (incognito) windows.">
      {status && !status.ok && (
        <p class="banner error" role="alert" id="history-error">
          The history database is not working: {(status.error ?? 'unknown error').replace(/\.$/, '')}. Marking names is not affected.
        </p>
      )}
      <Switch name="historyEnabled" checked={settings.historyEnabled} onChange={(on) => void save({ historyEnabled: on }, on ? 'History on' : 'History off')}>
        <span class="label">Keep a reading history</span>
      </Switch>
      <div class="field">
        <label for="retention">Keep entries for</label>
        <input id="retention" type="number" min={1} max={3650} value={retention} onInput={(e) => setRetention(e.currentTarget.value)} onChange={commitRetention} aria-invalid={retentionError ? 'true' : undefined} aria-describedby="retention-help" />
        <span class="unit">days</span>
        <span id="retention-help" class={retentionError ? 'field-error' : 'muted'}>
          {retentionError || 'Older entries are deleted.'}
        </span>
      </div>
      <div class="field">
        <button type="button" class="danger" id="clear-history" onClick={() => void onClear()} disabled={status?.ok === false}>
          Clear all history
        </button>
        <span class="muted" id="history-count">
          {status === null ? '' : status.ok ? `${status.count} entr${status.count === 1 ? 'y' : 'ies'} stored` : ''}
        </span>
      </div>
    </Card>
  );
}

/** Export the settings to a JSON file; import one (all or nothing). */
function Backup({ settings, state, say }: { settings: Settings; state: SettingsState; say: (t: string) => void }) {
  const [importError, setImportError] = useState('');
  const fileInput = useRef<HTMLInputElement>(null);
  const onExport = () => {
    const blob = new Blob([exportSettings(settings)], { type: 'application/json' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = 'briefing-lens-settings.json';
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
    say('Settings exported.');
  };
  const onImport = async (file: File | undefined) => {
    if (!file) return;
    const result = file.size > 100_000 ? ({ ok: false, error: 'The file is too large to be a settings file.' } as const) : parseSettingsFile(await file.text());
    if (fileInput.current) fileInput.current.value = '';
    if (!result.ok) {
      setImportError(`“${file.name}” was not imported, nothing changed. ${result.error}`);
      return;
    }
    setImportError('');
    if (await state.save(result.settings)) say(`Settings imported from “${file.name}”.`);
  };
  return (
    <Card id="backup" title="Export and import" intro="Save your settings to a file, or load them from one.">
      <div class="field">
        <button type="button" class="secondary" id="export" onClick={onExport}>
          Export settings…
        </button>
        <input id="import-file" class="sr-only" type="file" accept="application/json,.json" ref={fileInput} onChange={(e) => void onImport(e.currentTarget.files?.[0])} />
        <label class="button secondary" for="import-file">
          Import settings…
        </label>
      </div>
      <p id="import-error" class="field-error" role={importError ? 'alert' : undefined}>
        {importError}
      </p>
    </Card>
  );
}
