import { describe, expect, it } from 'vitest';
import { mainWindowOptions, navigationAllowed, windowOpenDecision, permissionAllowed, APP_ENTRY } from '../../src-main/shell/window-options.ts';
import { contentSecurityPolicy } from '../../src-main/shell/csp.ts';

// Acceptance 5 (issue 6): the window's security options, checked without Electron.
describe('the main window', () => {
  const wp = mainWindowOptions('/app/preload.cjs').webPreferences!;

  it('isolates, sandboxes and keeps Node out of the renderer', () => {
    expect(wp.contextIsolation).toBe(true);
    expect(wp.sandbox).toBe(true);
    expect(wp.nodeIntegration).toBe(false);
    expect(wp.nodeIntegrationInWorker).toBe(false);
    expect(wp.nodeIntegrationInSubFrames).toBe(false);
    expect(wp.webSecurity).toBe(true);
    expect(wp.allowRunningInsecureContent).toBe(false);
    expect(wp.webviewTag).toBe(false);
    expect(wp.preload).toBe('/app/preload.cjs');
  });

  it('sets nothing else that would loosen it', () => {
    expect(Object.keys(wp).sort()).toEqual([
      'allowRunningInsecureContent', 'contextIsolation', 'experimentalFeatures', 'navigateOnDragDrop', 'nodeIntegration',
      'nodeIntegrationInSubFrames', 'nodeIntegrationInWorker', 'preload', 'safeDialogs', 'sandbox', 'spellcheck', 'webSecurity', 'webviewTag',
    ]);
    expect(wp.experimentalFeatures).toBe(false);
    expect(wp.navigateOnDragDrop).toBe(false);
  });

  it('denies navigation anywhere but the app itself, and every new window', () => {
    expect(navigationAllowed(APP_ENTRY)).toBe(true);
    expect(navigationAllowed(`${APP_ENTRY}#/restore`)).toBe(true);
    for (const url of ['https://example.com/', 'http://127.0.0.1:1234/', 'file:///etc/passwd', 'app://evil/index.html', 'app://lifeboat/other.html', 'javascript:alert(1)', 'not a url']) {
      expect(navigationAllowed(url), url).toBe(false);
    }
    expect(windowOpenDecision()).toEqual({ action: 'deny' });
    for (const p of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read']) expect(permissionAllowed(p)).toBe(false);
  });

  it('has a CSP that allows scripts only from the app and talks only to the agent', () => {
    const csp = contentSecurityPolicy({ apiOrigin: 'http://127.0.0.1:4567' });
    const d = Object.fromEntries(csp.split('; ').map((p) => { const [k, ...v] = p.split(' '); return [k, v.join(' ')]; }));
    expect(d['script-src']).toBe("'self'");
    expect(d['default-src']).toBe("'self'");
    expect(d['connect-src']).toBe("'self' http://127.0.0.1:4567");
    expect(d['object-src']).toBe("'none'");
    expect(d['frame-ancestors']).toBe("'none'");
    expect(csp).not.toContain('unsafe-eval');
    expect(d['script-src']).not.toContain('unsafe-inline');
    expect(contentSecurityPolicy()).toContain("connect-src 'self';");
  });
});
