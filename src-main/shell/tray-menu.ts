export interface TrayMenuItem {
  label?: string;
  type?: 'normal' | 'separator' | 'checkbox';
  checked?: boolean;
  enabled?: boolean;
  click?: () => void;
}

export interface TrayMenuState { paused: boolean; openAtLogin: boolean; connected: boolean; tooltip: string }

export interface TrayActions {
  open(): void;
  backUpNow(): void;
  setPaused(paused: boolean): void;
  setOpenAtLogin(on: boolean): void;
  quit(): void;
}

/** The tray's menu as plain data (Menu.buildFromTemplate takes it as is). The first line repeats the state in words. */
export function trayMenu(s: TrayMenuState, a: TrayActions): TrayMenuItem[] {
  return [
    { label: s.tooltip, enabled: false },
    { type: 'separator' },
    { label: 'Open Lifeboat', click: () => a.open() },
    { label: 'Back up now', enabled: s.connected, click: () => a.backUpNow() },
    { label: 'Pause schedules', type: 'checkbox', checked: s.paused, enabled: s.connected, click: () => a.setPaused(!s.paused) },
    { type: 'separator' },
    { label: 'Start at login', type: 'checkbox', checked: s.openAtLogin, click: () => a.setOpenAtLogin(!s.openAtLogin) },
    { label: 'Quit Lifeboat', click: () => a.quit() },
  ];
}
