import path from 'node:path';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, nativeImage, Notification, protocol, session, Tray } from 'electron';
import { mainWindowOptions, navigationAllowed, windowOpenDecision, permissionAllowed, APP_SCHEME, APP_ENTRY } from './window-options.ts';
import { contentSecurityPolicy } from './csp.ts';
import { PRELOAD_CHANNELS } from './preload-api.ts';
import { trayState } from './tray-state.ts';
import { trayMenu } from './tray-menu.ts';
import { NotificationGrouper, type AlertEvent } from './notification-grouping.ts';
import { connectOrStartAgent, type AgentLink } from './agent-connection.ts';
import { lifeboatHome } from '../core/util/home.ts';
import { NODE_FLAGS } from '../core/util/node-flags.ts';

// Electron glue only: every decision lives in the pure modules imported above.
const HERE = path.dirname(fileURLToPath(import.meta.url));
const RENDERER = path.resolve(HERE, '../renderer');
const RESOURCES = app.isPackaged ? process.resourcesPath : path.resolve(HERE, '../../resources');
const HOME = lifeboatHome();

let win: BrowserWindow | null = null;
let tray: Tray | null = null;
let link: AgentLink | null = null;
let paused: string[] = [];
let quitting = false;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  app.on('second-instance', () => showWindow());
  app.on('window-all-closed', () => { /* stays in the tray */ });
  app.on('before-quit', () => { quitting = true; link?.child?.kill('SIGTERM'); });
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-navigate', (ev, url) => { if (!navigationAllowed(url)) ev.preventDefault(); });
    contents.on('will-redirect', (ev, url) => { if (!navigationAllowed(url)) ev.preventDefault(); });
    contents.on('will-attach-webview', (ev) => ev.preventDefault());
    contents.setWindowOpenHandler(() => windowOpenDecision());
  });
  void app.whenReady().then(start).catch((err: unknown) => {
    dialog.showErrorBox('Lifeboat could not start', `${err instanceof Error ? err.message : String(err)}\n\nNext step: start the Lifeboat service, or run "lifeboat agent" in a terminal to see why it stops.`);
    app.exit(1);
  });
}

async function start(): Promise<void> {
  session.defaultSession.setPermissionRequestHandler((_wc, permission, cb) => cb(permissionAllowed(permission)));
  session.defaultSession.setPermissionCheckHandler((_wc, permission) => permissionAllowed(permission));
  const agentEntry = path.resolve(HERE, '../cli/main.js');
  link = await connectOrStartAgent(HOME, { command: process.execPath, args: [...NODE_FLAGS, agentEntry, '--home', HOME, 'agent'], env: { ELECTRON_RUN_AS_NODE: '1' } });
  const csp = contentSecurityPolicy({ apiOrigin: new URL(link.url).origin });
  protocol.handle(APP_SCHEME, (req) => {
    const rel = decodeURIComponent(new URL(req.url).pathname).replace(/^\/+/, '') || 'index.html';
    const file = path.resolve(RENDERER, rel);
    if (!file.startsWith(RENDERER + path.sep) || !fs.existsSync(file)) return new Response('not found', { status: 404 });
    const type = file.endsWith('.html') ? 'text/html' : file.endsWith('.js') ? 'text/javascript' : file.endsWith('.css') ? 'text/css' : 'application/octet-stream';
    return new Response(fs.readFileSync(file), { headers: { 'content-type': type, 'content-security-policy': csp } });
  });
  const fromOurWindow = (e: Electron.IpcMainInvokeEvent) => e.senderFrame?.url.startsWith(APP_ENTRY) === true;
  ipcMain.handle(PRELOAD_CHANNELS.getAgent, (e) => (fromOurWindow(e) && link ? { url: link.url, token: link.token } : null));
  ipcMain.handle(PRELOAD_CHANNELS.pickFolder, async (e) => {
    if (!fromOurWindow(e) || !win) return null;
    const r = await dialog.showOpenDialog(win, { properties: ['openDirectory', 'createDirectory'] });
    return r.canceled ? null : r.filePaths[0] ?? null;
  });
  createTray();
  showWindow();
  watchAgent();
}

function showWindow(hash = ''): void {
  if (!win) {
    win = new BrowserWindow({ ...mainWindowOptions(path.resolve(HERE, 'preload.cjs')), icon: path.join(RESOURCES, 'icon.png') });
    win.once('ready-to-show', () => win?.show());
    win.on('close', (e) => { if (!quitting) { e.preventDefault(); win?.hide(); } });
    win.on('closed', () => { win = null; });
    void win.loadURL(APP_ENTRY + hash);
    return;
  }
  if (hash) void win.loadURL(APP_ENTRY + hash);
  win.show();
  win.focus();
}

function createTray(): void {
  tray = new Tray(nativeImage.createFromPath(path.join(RESOURCES, 'tray', 'tray-amber.png')));
  tray.on('click', () => showWindow());
  void refreshTray();
}

async function refreshTray(): Promise<void> {
  if (!tray) return;
  let board = null;
  try { board = link ? await link.client.status.dashboard.query() : null; } catch { board = null; }
  const s = trayState(board, { paused: paused.length > 0 });
  tray.setImage(nativeImage.createFromPath(path.join(RESOURCES, 'tray', s.icon)));
  tray.setToolTip(s.tooltip);
  tray.setContextMenu(Menu.buildFromTemplate(trayMenu({ paused: paused.length > 0, openAtLogin: app.getLoginItemSettings().openAtLogin, connected: board !== null, tooltip: s.tooltip }, {
    open: () => showWindow(),
    backUpNow: () => void backUpNow(),
    setPaused: (p) => void setPaused(p),
    setOpenAtLogin: (on) => { app.setLoginItemSettings({ openAtLogin: on }); void refreshTray(); },
    quit: () => app.quit(),
  })));
}

async function backUpNow(): Promise<void> {
  if (!link) return;
  const jobs = await link.client.jobs.list.query();
  // Each run waits its turn in the agent's queue; the tray does not wait for them.
  for (const j of jobs.filter((x) => x.enabled)) void link.client.jobs.run.mutate({ job: j.id }).catch(() => undefined);
}

/** Pausing disables the enabled jobs and remembers which, so resuming turns on exactly those again. */
async function setPaused(pause: boolean): Promise<void> {
  if (!link) return;
  if (pause) {
    const jobs = (await link.client.jobs.list.query()).filter((j) => j.enabled);
    for (const j of jobs) await link.client.jobs.update.mutate({ job: j.id, enabled: false });
    paused = jobs.map((j) => j.id);
  } else {
    for (const id of paused) await link.client.jobs.update.mutate({ job: id, enabled: true }).catch(() => undefined);
    paused = [];
  }
  await refreshTray();
}

function watchAgent(): void {
  if (!link) return;
  const grouper = new NotificationGrouper();
  link.client.events.status.subscribe(undefined, { onData: () => void refreshTray(), onError: () => void refreshTray() });
  link.client.events.alerts.subscribe(undefined, { onData: (e) => grouper.push(e as AlertEvent, Date.now()) });
  setInterval(() => {
    const n = grouper.flush(Date.now());
    if (n && Notification.isSupported()) {
      const note = new Notification({ title: n.title, body: n.body });
      note.on('click', () => showWindow('#/alerts'));
      note.show();
    }
  }, 1000).unref();
  setInterval(() => void refreshTray(), 60_000).unref();
}
