export type TrayColor = 'green' | 'amber' | 'red';

export interface DashboardSummary {
  tray: TrayColor;
  databases: { database: string; server: string; status: string; reason: string | null }[];
  openAlerts: number;
}

export interface TrayState {
  color: TrayColor;
  /** File name under resources/tray/. */
  icon: string;
  /** Shown on hover; it says the state in words, so the colour is never the only signal. */
  tooltip: string;
}

const ATTENTION = new Set(['failing', 'warning', 'unprotected']);

/**
 * The tray's colour and words from the agent's dashboard: red when a database is failing or the agent
 * cannot be reached, amber when something needs attention (or schedules are paused), green otherwise.
 */
export function trayState(board: DashboardSummary | null, opts: { paused?: boolean } = {}): TrayState {
  if (!board) return { color: 'red', icon: 'tray-red.png', tooltip: 'Lifeboat — the agent is not running: backups are not being taken' };
  const failing = board.databases.filter((d) => d.status === 'failing');
  const attention = board.databases.filter((d) => ATTENTION.has(d.status));
  const n = board.databases.length;
  let color: TrayColor = board.tray;
  if (opts.paused && color === 'green') color = 'amber';
  const parts: string[] = [];
  if (n === 0) parts.push('no database is protected yet');
  else if (failing.length) parts.push(`${failing.length} of ${n} database${n === 1 ? '' : 's'} failing: ${failing.map((d) => d.reason ? `${d.database} (${d.reason})` : d.database).join(', ')}`);
  else if (attention.length) parts.push(`${attention.length} of ${n} database${n === 1 ? '' : 's'} need${attention.length === 1 ? 's' : ''} attention: ${attention.map((d) => d.database).join(', ')}`);
  else parts.push(`all ${n} database${n === 1 ? '' : 's'} protected`);
  if (board.openAlerts) parts.push(`${board.openAlerts} open alert${board.openAlerts === 1 ? '' : 's'}`);
  if (opts.paused) parts.push('schedules paused');
  const word = color === 'red' ? 'Problem' : color === 'amber' ? 'Attention' : 'OK';
  // Windows cuts tray tooltips at 127 characters.
  const tooltip = `Lifeboat — ${word}: ${parts.join('; ')}`;
  return { color, icon: `tray-${color}.png`, tooltip: tooltip.length > 127 ? tooltip.slice(0, 126) + '…' : tooltip };
}
