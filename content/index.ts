/**
 * Content script entry, run in every frame of every http(s) page (and about:blank/srcdoc frames).
 * It does nothing on documents it cannot mark, reads settings, then hands over to the lens
 * (scanning in time slices) and the hover cards (created on first hover).
 */
import browser from 'webextension-polyfill';
import { Lens, bundledLexicon, currentSettings, listen } from './lens';
import { HoverCards } from './hover';
import { readSettings } from '../src/settings';
import { send } from '../src/messages';
import { canHighlight } from './highlights';

function main(): void {
  // One lens per document; a second injection (extension reload) finds the first.
  const marker = '__briefingLens';
  if ((globalThis as Record<string, unknown>)[marker] || !document.documentElement || !canHighlight()) return;
  (globalThis as Record<string, unknown>)[marker] = true;

  const lens = new Lens(bundledLexicon());
  const cards = new HoverCards(lens);
  cards.attach();
  lens.onChange = () => {
    const open = cards.openEntity();
    if (open && !lens.isTracked(open)) cards.close();
  };

  void currentSettings().then((settings) => lens.applySettings(settings));
  browser.storage.onChanged.addListener((_changes, area) => {
    if (area !== 'sync') return;
    void browser.storage.sync.get(null).then(
      (raw) => lens.applySettings(readSettings(raw).settings),
      () => undefined,
    );
  });

  listen({
    'scroll-to-entity': (request) => ({ found: cards.flashNext(request.entityId) }),
    'open-card-command': () => ({ opened: cards.openFromSelection() }),
  });

  // The frame's report goes when its document goes (frame removed, navigation), and comes back with it.
  addEventListener('pagehide', () => {
    send({ type: 'mentions-changed', url: location.href, title: document.title, mentions: [], gone: true }).catch(() => undefined);
    lens.resetReport();
  });
  addEventListener('pageshow', (event) => {
    if (event.persisted) lens.report();
  });
  // Single-page-app navigation changes the URL without a new document: report under the new URL.
  const navigation = (globalThis as { navigation?: EventTarget }).navigation;
  navigation?.addEventListener('currententrychange', () => setTimeout(() => lens.report(), 0));
  addEventListener('popstate', () => lens.report());
}

main();
