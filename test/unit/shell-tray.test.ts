import { describe, expect, it } from 'vitest';
import { trayState, type DashboardSummary } from '../../src-main/shell/tray-state.ts';
import { NotificationGrouper } from '../../src-main/shell/notification-grouping.ts';
import { trayMenu } from '../../src-main/shell/tray-menu.ts';

const db = (database: string, status: string, reason: string | null = null) => ({ database, server: 'pg1', status, reason });

describe('the tray state', () => {
  it('is red with the reason when the agent cannot be reached', () => {
    const s = trayState(null);
    expect(s.color).toBe('red');
    expect(s.icon).toBe('tray-red.png');
    expect(s.tooltip).toContain('agent is not running');
  });

  it('follows the worst database and says so in words', () => {
    const ok: DashboardSummary = { tray: 'green', databases: [db('lims', 'ok'), db('mes', 'ok')], openAlerts: 0 };
    expect(trayState(ok)).toEqual({ color: 'green', icon: 'tray-green.png', tooltip: 'Lifeboat — OK: all 2 databases protected' });
    const warn: DashboardSummary = { tray: 'amber', databases: [db('lims', 'ok'), db('mes', 'warning')], openAlerts: 1 };
    expect(trayState(warn).tooltip).toBe('Lifeboat — Attention: 1 of 2 databases needs attention: mes; 1 open alert');
    const bad: DashboardSummary = { tray: 'red', databases: [db('lims', 'failing', 'target full'), db('mes', 'warning')], openAlerts: 2 };
    expect(trayState(bad)).toMatchObject({ color: 'red', icon: 'tray-red.png' });
    expect(trayState(bad).tooltip).toContain('1 of 2 databases failing: lims (target full)');
  });

  it('turns amber while schedules are paused, and keeps tooltips within 127 characters', () => {
    const ok: DashboardSummary = { tray: 'green', databases: [db('lims', 'ok')], openAlerts: 0 };
    expect(trayState(ok, { paused: true })).toMatchObject({ color: 'amber', tooltip: 'Lifeboat — Attention: all 1 database protected; schedules paused' });
    const many: DashboardSummary = { tray: 'red', databases: Array.from({ length: 30 }, (_, i) => db(`database_${i}`, 'failing', 'unreachable')), openAlerts: 30 };
    expect(trayState(many).tooltip.length).toBeLessThanOrEqual(127);
  });
});

describe('alert notifications', () => {
  const raised = (alertId: string, notify: 'new' | 'repeat' | 'none' = 'new', subject = `alert ${alertId}`) => ({ type: 'alert.raised' as const, alertId, subject, message: `${subject} happened`, severity: 'error', notify });

  it('shows one notification for a new alert and none for its retries and repeats', () => {
    const g = new NotificationGrouper({ windowMs: 1000, minGapMs: 60_000 });
    g.push(raised('a1'), 0);
    for (let i = 1; i <= 10; i++) g.push(raised('a1', 'repeat'), i * 100);
    expect(g.flush(500)).toBeNull();
    expect(g.flush(1000)).toEqual({ title: 'Lifeboat: alert a1', body: 'alert a1 happened', alertIds: ['a1'] });
    for (let i = 0; i < 10; i++) g.push(raised('a1', 'new'), 2000 + i);
    expect(g.flush(100_000)).toBeNull();
  });

  it('groups alerts that arrive together and holds later ones until the gap has passed', () => {
    const g = new NotificationGrouper({ windowMs: 1000, minGapMs: 60_000 });
    for (const id of ['a', 'b', 'c', 'd', 'e', 'f']) g.push(raised(id), 10);
    const n = g.flush(2000)!;
    expect(n.title).toBe('Lifeboat: 6 new alerts (6 errors)');
    expect(n.body.split('\n')).toEqual(['• alert a', '• alert b', '• alert c', '• alert d', '… and 2 more']);
    g.push(raised('g'), 3000);
    g.push(raised('h'), 4000);
    expect(g.flush(30_000)).toBeNull();
    expect(g.flush(62_000)?.alertIds).toEqual(['g', 'h']);
  });

  it('forgets an alert once it is cleared, so it notifies again if it comes back', () => {
    const g = new NotificationGrouper({ windowMs: 0, minGapMs: 0 });
    g.push(raised('x'), 0);
    expect(g.flush(0)?.alertIds).toEqual(['x']);
    g.push({ type: 'alert.cleared', alertId: 'x' }, 1);
    g.push(raised('x'), 2);
    expect(g.flush(2)?.alertIds).toEqual(['x']);
  });
});

describe('the tray menu', () => {
  it('offers open, back up now, pause schedules, start at login and quit, wired to their actions', () => {
    const calls: string[] = [];
    const items = trayMenu({ paused: false, openAtLogin: true, connected: true, tooltip: 'Lifeboat — OK: all 1 database protected' }, {
      open: () => calls.push('open'), backUpNow: () => calls.push('backup'), setPaused: (p) => calls.push(`pause:${p}`),
      setOpenAtLogin: (v) => calls.push(`login:${v}`), quit: () => calls.push('quit'),
    });
    const labels = items.filter((i) => i.type !== 'separator').map((i) => i.label);
    expect(labels).toEqual(['Lifeboat — OK: all 1 database protected', 'Open Lifeboat', 'Back up now', 'Pause schedules', 'Start at login', 'Quit Lifeboat']);
    for (const i of items) i.click?.();
    expect(calls).toEqual(['open', 'backup', 'pause:true', 'login:false', 'quit']);
    expect(items.find((i) => i.label === 'Pause schedules')).toMatchObject({ type: 'checkbox', checked: false });
  });

  it('disables actions that need the agent when it is not connected', () => {
    const noop = () => undefined;
    const items = trayMenu({ paused: true, openAtLogin: false, connected: false, tooltip: 't' }, { open: noop, backUpNow: noop, setPaused: noop, setOpenAtLogin: noop, quit: noop });
    expect(items.find((i) => i.label === 'Back up now')?.enabled).toBe(false);
    expect(items.find((i) => i.label === 'Pause schedules')).toMatchObject({ enabled: false, checked: true });
    expect(items.find((i) => i.label === 'Open Lifeboat')?.enabled).not.toBe(false);
  });
});
