import type { BrowserWindowConstructorOptions } from 'electron';

/**
 * The one window's options. The renderer is untrusted content as far as the OS is concerned: isolated
 * from the preload's world, sandboxed, no Node, web security on, no webviews. The preload is its only
 * bridge, and it exposes just the agent's address and a folder picker (preload-api.ts).
 */
export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1366,
    height: 768,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    title: 'Lifeboat',
    backgroundColor: '#ffffff',
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
    },
  };
}

/** The renderer is loaded from this private scheme, never from a web address. */
export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://lifeboat`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

/**
 * Navigation away from the app is refused: the console routes by the URL fragment, which does not
 * navigate, so any real navigation is a link or an injected redirect. Reloads of the app itself are fine.
 */
export function navigationAllowed(url: string): boolean {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}` === APP_ORIGIN && u.pathname === '/index.html';
  } catch {
    return false;
  }
}

/** window.open and target=_blank never create a window. */
export function windowOpenDecision(): { action: 'deny' } {
  return { action: 'deny' };
}

/** Camera, notifications from the page, geolocation …: the console needs no permission at all. */
export function permissionAllowed(_permission: string): boolean {
  return false;
}
