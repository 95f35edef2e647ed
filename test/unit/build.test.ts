/** The per-browser manifests the build writes from the one source `manifest.json`. */
import { describe, expect, it } from 'vitest';
import { ENTRY_POINTS, manifestFor } from '../../scripts/build';

describe('manifestFor', () => {
  it('gives Chrome an MV3 service worker and no Gecko settings', () => {
    const m = manifestFor('chrome') as Record<string, any>;
    expect(m.manifest_version).toBe(3);
    expect(m.background).toEqual({ service_worker: 'background.js' });
    expect(m.browser_specific_settings).toBeUndefined();
    expect(m.content_scripts[0]).toMatchObject({ all_frames: true, match_about_blank: true, match_origin_as_fallback: true, js: ['content.js'] });
  });

  it('gives Firefox background scripts, a Gecko id and Firefox 140 as the minimum', () => {
    const m = manifestFor('firefox') as Record<string, any>;
    expect(m.background).toEqual({ scripts: ['background.js'] });
    expect(m.browser_specific_settings.gecko.id).toMatch(/@/);
    expect(m.browser_specific_settings.gecko.strict_min_version).toBe('140.0');
  });

  it('asks for the least: storage only, no host permissions, no remote code', () => {
    for (const target of ['chrome', 'firefox'] as const) {
      const m = manifestFor(target) as Record<string, any>;
      expect(m.permissions).toEqual(['storage']);
      expect(m.host_permissions).toBeUndefined();
      expect(m.content_security_policy).toBeUndefined();
      expect(m.content_scripts[0].matches).toEqual(['http://*/*', 'https://*/*']);
    }
  });

  it('has one entry point per context', () => {
    expect(Object.keys(ENTRY_POINTS)).toEqual(['service worker', 'content script', 'popup', 'options']);
  });
});
