/**
 * The toolbar popup: what is on the current tab (entities with counts, scroll-to, disable on this
 * site), quick topic toggles, the briefing built from the knowledge base (headline, key points,
 * who is who, positions), the reading history, and the cited source sentences. All data comes
 * through `src/ui/api.ts`; the briefing is derived synchronously from the bundled knowledge base.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import type { FrameMentions, HistoryEntry } from '../src/messages';
import type { Provenance } from '../src/kb/schema';
import { entityById, knowledgeBase, describeRole, sideLabel } from '../src/kb';
import { isEntityTracked, isSiteDisabled, type Settings } from '../src/settings';
import { NOT_GIVEN, buildBriefing, countPageEntities, groupHistory, siteOf, sourceAnchor, sourceLabel, type Briefing, type PositionCell } from '../src/ui/briefing';
import { openOptions, recentHistory, scrollToEntity, tabMentions } from '../src/ui/api';
import { usePolled, useSettings } from '../src/ui/hooks';

/** What the popup read before its first render, so nothing jumps when data arrives. */
export interface PopupInitial {
  tabId: number | null;
  settings: { settings: Settings; problems: string[] } | null;
  frames: FrameMentions[] | null;
  history: HistoryEntry[] | null;
}

/** How often the popup refreshes the tab's mentions while open, ms. */
const MENTIONS_POLL_MS = 1000;
/** History records fetched for "Recently seen". */
export const HISTORY_LIMIT = 60;

/** The popup page. */
export function Popup({ initial }: { initial: PopupInitial }) {
  const briefing = useMemo(() => buildBriefing(knowledgeBase()), []);
  const settingsState = useSettings(initial.settings);
  const { settings } = settingsState;
  const tabId = initial.tabId;
  const frames = usePolled(() => (tabId === null ? Promise.resolve([]) : tabMentions(tabId)), MENTIONS_POLL_MS, [tabId], initial.frames);
  const history = usePolled(() => recentHistory(HISTORY_LIMIT), 0, [], initial.history);
  useEffect(() => {
    // `?entity=ID` (the hover card's "full briefing"): bring that entity's "who is who" line into view.
    const id = new URLSearchParams(location.search).get('entity');
    const target = id ? document.querySelector<HTMLElement>(`.who [data-entity="${CSS.escape(id)}"]`) : null;
    if (target) {
      target.scrollIntoView({ block: 'center' });
      target.focus({ preventScroll: true });
      target.classList.add('flash');
    }
  }, []);

  return (
    <div class="popup" onClick={followSourceLink}>
      <header class="head">
        <p class="brand">Briefing Lens</p>
        <h1 class="headline">{briefing.headline}</h1>
        <p class="meta">
          <span class={briefing.dateMissing ? 'missing' : ''}>{briefing.dateMissing ? 'Date: not given in the sources' : `Date: ${briefing.date}`}</span>
          {' · '}
          <span class={briefing.sourceUrls.length === 0 ? 'missing' : ''}>
            {briefing.sourceUrls.length === 0 ? 'Source link: not given' : briefing.sourceUrls.map((u) => <a href={u} target="_blank" rel="noreferrer" key={u}>original</a>)}
          </span>
        </p>
      </header>
      <OnThisPage tabId={tabId} frames={frames.value} error={frames.error} settings={settings} save={settingsState.save} />
      <TopicToggles settings={settings} save={settingsState.save} />
      {settingsState.error && <p class="error" role="alert">Could not save: {settingsState.error}</p>}
      <KeyPoints briefing={briefing} />
      <WhoIsWho briefing={briefing} />
      <Positions briefing={briefing} />
      <RecentlySeen entries={history.value} error={history.error} settings={settings} />
      <Sources briefing={briefing} />
      <footer class="foot">
        <button type="button" class="link" onClick={() => void openOptions()}>
          All settings…
        </button>
        <span class="muted">Built from {knowledgeBase().articles.length} source article{knowledgeBase().articles.length === 1 ? '' : 's'}</span>
      </footer>
    </div>
  );
}

/**
 * Click handler for links to source sentences: opens the collapsed source list, scrolls the
 * sentence into view, focuses it and flashes it (a plain fragment jump would not open `<details>`).
 */
function followSourceLink(event: MouseEvent): void {
  const link = (event.target as Element | null)?.closest?.('a.src');
  const id = link?.getAttribute('href')?.slice(1);
  const target = id ? document.getElementById(id) : null;
  if (!target) return;
  event.preventDefault();
  const details = target.closest('details');
  if (details) details.open = true;
  target.scrollIntoView({ block: 'center' });
  target.focus({ preventScroll: true });
  target.classList.remove('flash');
  void (target as HTMLElement).offsetWidth;
  target.classList.add('flash');
}

/** A titled section of the popup. */
function Section({ id, title, children, aside }: { id: string; title: string; children: ComponentChildren; aside?: ComponentChildren }) {
  return (
    <section class="section" aria-labelledby={`${id}-title`} id={id}>
      <h2 id={`${id}-title`}>
        {title}
        {aside && <span class="aside">{aside}</span>}
      </h2>
      {children}
    </section>
  );
}

/** A link to a cited source sentence in the "Sources" section. */
function SourceLink({ source }: { source: Provenance }) {
  return (
    <a class="src" href={`#${sourceAnchor(source)}`} title={`Source sentence ${sourceLabel(source)}: ${source.text}`}>
      {sourceLabel(source)}
    </a>
  );
}

/** "On this page": the entities the tab's content scripts marked, with counts; click scrolls to the next mention. */
function OnThisPage({ tabId, frames, error, settings, save }: { tabId: number | null; frames: FrameMentions[] | null; error: string | null; settings: Settings | null; save: (c: Partial<Settings>) => Promise<boolean> }) {
  const [status, setStatus] = useState('');
  const entities = frames ? countPageEntities(frames) : null;
  const total = entities?.reduce((n, e) => n + e.count, 0) ?? 0;
  const site = siteOf(frames?.find((f) => f.frameId === 0)?.url);
  const disabled = site !== null && settings !== null && isSiteDisabled(site, settings.disabledSites);

  const onScroll = async (entityId: string, frameIds: number[]) => {
    if (tabId === null) return;
    const name = entityById(entityId)?.name ?? entityId;
    try {
      const found = await scrollToEntity(tabId, entityId, frameIds);
      setStatus(found ? `Scrolled to ${name}.` : `${name} is no longer on the page.`);
    } catch (e) {
      setStatus(`Could not scroll to ${name}: ${(e as Error).message}`);
    }
  };
  const toggleSite = (off: boolean) => {
    if (!site || !settings) return;
    const rest = settings.disabledSites.filter((s) => s !== site);
    void save({ disabledSites: off ? [...rest, site] : rest });
  };

  let body: ComponentChildren;
  if (error) body = <p class="error">Could not read this tab: {error}</p>;
  else if (tabId === null) body = <p class="empty">Open Briefing Lens from the toolbar to see who is named on a page.</p>;
  else if (!entities) body = <ul class="entities" aria-busy="true">{[0, 1, 2].map((i) => <li class="skeleton" key={i} />)}</ul>;
  else if (disabled) body = <p class="empty">Switched off on {site}: nothing is marked here.</p>;
  else if (entities.length === 0) body = <p class="empty">{site ? 'No one from the talks is marked on this page.' : 'The lens works on web pages (http and https) only.'}</p>;
  else
    body = (
      <ul class="entities">
        {entities.map((e) => {
          const entity = entityById(e.entityId);
          return (
            <li key={e.entityId}>
              <button type="button" class="entity" data-entity={e.entityId} onClick={() => void onScroll(e.entityId, e.frameIds)} title="Scroll to the next mention">
                <span class="name">{entity?.name ?? e.entityId}</span>
                <span class="role">{entity ? `${sideLabel(entity)} · ${describeRole(entity) ?? NOT_GIVEN.role}` : ''}</span>
                <span class="count" aria-label={`${e.count} mentions`}>{e.count}</span>
              </button>
            </li>
          );
        })}
      </ul>
    );

  return (
    <Section id="on-page" title="On this page" aside={entities && entities.length > 0 ? `${total} mention${total === 1 ? '' : 's'}` : undefined}>
      <div class="on-page-body">{body}</div>
      <p class="status" role="status" aria-live="polite">{status}</p>
      {/* Always present (disabled without a site), so the popup keeps one layout in every state. */}
      <label class="switch-row">
        <input type="checkbox" role="switch" checked={disabled} disabled={!settings || !site} onChange={(ev) => toggleSite(ev.currentTarget.checked)} />
        <span>
          Disable on this site <span class="muted">({site ?? 'no site'})</span>
        </span>
      </label>
    </Section>
  );
}

/** Quick switches for the knowledge base's topics. */
function TopicToggles({ settings, save }: { settings: Settings | null; save: (c: Partial<Settings>) => Promise<boolean> }) {
  const topics = knowledgeBase().topics;
  return (
    <Section id="topics" title="Tracked topics">
      <ul class="toggles">
        {topics.map((t) => (
          <li key={t.id}>
            <label class="switch-row">
              <input
                type="checkbox"
                role="switch"
                data-topic={t.id}
                checked={settings ? settings.trackedTopics[t.id] !== false : true}
                disabled={!settings}
                onChange={(ev) => settings && void save({ trackedTopics: { ...settings.trackedTopics, [t.id]: ev.currentTarget.checked } })}
              />
              <span>{t.label}</span>
            </label>
          </li>
        ))}
      </ul>
    </Section>
  );
}

/** Key points per section of the sources, each linked to its sentence. */
function KeyPoints({ briefing }: { briefing: Briefing }) {
  return (
    <Section id="key-points" title="Key points">
      {briefing.sections.map((s, i) => (
        <div class="kp-section" key={`${s.articleId}-${i}`}>
          <h3>{s.heading ?? 'Introduction'}</h3>
          <ul class="points">
            {s.keyPoints.map((p) => (
              <li key={sourceAnchor(p)}>
                {p.text} <SourceLink source={p} />
              </li>
            ))}
          </ul>
        </div>
      ))}
    </Section>
  );
}

/** Who is who, grouped by side, each with the role the sources give. */
function WhoIsWho({ briefing }: { briefing: Briefing }) {
  return (
    <Section id="who" title="Who is who">
      <dl class="who">
        {briefing.sides.map((side) => (
          <div class="side" key={side.side}>
            <dt>{side.label}</dt>
            {side.entries.map((e) => (
              <dd key={e.id} data-entity={e.id} tabIndex={-1}>
                <span class="name">{e.name}</span>
                {' — '}
                {e.role ? (
                  <>
                    {e.role} {e.roleSource && <SourceLink source={e.roleSource} />}
                  </>
                ) : (
                  e.kind === 'organisation' ? <span class="muted">organisation</span> : <span class="missing">{NOT_GIVEN.role}</span>
                )}
              </dd>
            ))}
          </div>
        ))}
      </dl>
    </Section>
  );
}

/** One cell of a positions table. */
function PositionQuotes({ cell }: { cell: PositionCell }) {
  if (cell.quotes.length === 0) return <span class="missing">{NOT_GIVEN.position}</span>;
  return (
    <>
      {cell.quotes.map((q) => (
        <blockquote key={sourceAnchor(q.source)} class={q.via === 'mention' ? 'quote mention' : 'quote'}>
          {q.via === 'mention' && <span class="via">Only named in: </span>}
          {q.source.text} <SourceLink source={q.source} />
        </blockquote>
      ))}
    </>
  );
}

/** A positions table per topic: each main side's position, quoted from its source sentence. */
function Positions({ briefing }: { briefing: Briefing }) {
  return (
    <Section id="positions" title="Positions on the main issues">
      {briefing.issues.map((issue, i) => (
        <details class="issue" key={issue.topicId} open={i === 0}>
          <summary>{issue.label}</summary>
          <table class="positions" data-topic={issue.topicId}>
            <caption class="sr-only">{issue.label}: positions by side</caption>
            <thead>
              <tr>
                <th scope="col">Side</th>
                <th scope="col">What the sources say</th>
              </tr>
            </thead>
            <tbody>
              {issue.cells.map((cell) => (
                <tr key={cell.side}>
                  <th scope="row">{cell.sideLabel}</th>
                  <td>
                    <PositionQuotes cell={cell} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      ))}
    </Section>
  );
}

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
/** "5 minutes ago", "yesterday": a past time (ms since the epoch) relative to now. */
function ago(time: number, now = Date.now()): string {
  const seconds = Math.round((time - now) / 1000);
  const steps: [Intl.RelativeTimeFormatUnit, number][] = [['second', 60], ['minute', 60], ['hour', 24], ['day', 7], ['week', 4.35], ['month', 12], ['year', Infinity]];
  let value = seconds;
  for (const [unit, size] of steps) {
    if (Math.abs(value) < size) return unit === 'second' && Math.abs(value) < 10 ? 'just now' : relative.format(Math.round(value), unit);
    value /= size;
  }
  return '';
}

/** Hostname of a URL for display. */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** "Recently seen": per entity, the pages it was met on lately, newest first. */
function RecentlySeen({ entries, error, settings }: { entries: HistoryEntry[] | null; error: string | null; settings: Settings | null }) {
  const groups = entries ? groupHistory(entries) : null;
  let body: ComponentChildren;
  if (error) body = <p class="error">History unavailable: {error}</p>;
  else if (!groups) body = <p class="empty" aria-busy="true">Loading…</p>;
  else if (groups.length === 0) body = <p class="empty">{settings && !settings.historyEnabled ? 'Reading history is off (see settings).' : 'Nothing yet: pages where names are marked show up here.'}</p>;
  else
    body = (
      <ul class="history">
        {groups.map((g) => (
          <li key={g.entityId} data-entity={g.entityId}>
            <span class="name">{entityById(g.entityId)?.name ?? g.entityId}</span>
            <ul>
              {g.entries.map((e) => (
                <li key={e.url}>
                  <a href={e.url} target="_blank" rel="noreferrer" title={e.url}>
                    {e.title || e.url}
                  </a>
                  <span class="muted seen">
                    {hostOf(e.url)} · {ago(e.lastSeen)} · {e.count} mention{e.count === 1 ? '' : 's'}
                  </span>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    );
  return (
    <Section id="recent" title="Recently seen">
      {body}
    </Section>
  );
}

/** The cited source sentences, each an anchor the briefing's links point to. */
function Sources({ briefing }: { briefing: Briefing }) {
  return (
    <Section id="sources" title="Sources">
      {briefing.sources.map((article) => (
        <details class="source-article" key={article.articleId}>
          <summary>
            {article.title} <span class="muted">({briefing.date})</span>
          </summary>
          {article.sections.map((s, i) => (
            <div key={i}>
              {s.heading && <h3>{s.heading}</h3>}
              <ol class="sentences">
                {s.sentences.map((p) => (
                  <li id={sourceAnchor(p)} key={sourceAnchor(p)} tabIndex={-1}>
                    <span class="label">{sourceLabel(p)}</span> {p.text}
                  </li>
                ))}
              </ol>
            </div>
          ))}
        </details>
      ))}
    </Section>
  );
}
