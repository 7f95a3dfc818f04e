import type { Command } from 'commander';
import { withApi } from '../cli-context.ts';
import { parseSize, positiveInt } from '../options.ts';
import { formatBytes, table } from '../output.ts';
import { LifeboatError } from '../../core/errors/lifeboat-error.ts';

const STATUSES = ['open', 'acknowledged', 'cleared', 'active'] as const;

export function registerAlertsCommands(program: Command): void {
  const alerts = program.command('alerts').description('alerts raised by failed runs, missed schedules, missed objectives, low space');
  alerts.command('list').description('alerts, newest first (default: those not cleared)')
    .option('--status <status>', `one of ${STATUSES.join(', ')}`, 'active')
    .option('--limit <n>', 'how many', '50')
    .action(async (o, cmd: Command) => withApi(cmd, async ({ api, out }) => {
      if (!STATUSES.includes(o.status)) throw new LifeboatError('USAGE', { verb: 'read', thing: 'option', where: '--status', cause: `'${o.status}' is not one of ${STATUSES.join(', ')}` });
      const list = await api.alerts.list.query({ status: o.status, limit: positiveInt(o.limit, '--limit') });
      out.result(list, () => list.length
        ? table(['ID', 'STATUS', 'SEVERITY', 'SINCE (UTC)', 'TIMES', 'SUBJECT', 'CAUSE'], list.map((a) => [a.id, a.status, a.severity, a.firstAt.replace('T', ' ').slice(0, 19), String(a.occurrences), a.subject, a.message]))
        : 'no alerts');
    }));
  alerts.command('thresholds').description('show, or change, where the alert rules draw their lines (changes are audited)')
    .option('--low-space <size>', 'a target with less free space raises "low on space" (bytes, or 500M, 10G)')
    .option('--offline-copy-days <n>', 'a database rotating disks with no copy taken off site for this many days raises "No recent offline copy"')
    .action(async (o: { lowSpace?: string; offlineCopyDays?: string }, cmd: Command) => withApi(cmd, async ({ api, out }) => {
      const patch = {
        ...(o.lowSpace !== undefined ? { lowSpaceBytes: parseSize(o.lowSpace, '--low-space') } : {}),
        ...(o.offlineCopyDays !== undefined ? { offlineCopyMaxAgeDays: positiveInt(o.offlineCopyDays, '--offline-copy-days') } : {}),
      };
      const t = Object.keys(patch).length ? await api.settings.alerts.set.mutate(patch) : await api.settings.alerts.get.query();
      out.result(t, () => [`low space below: ${formatBytes(t.lowSpaceBytes)}`, `offline copy older than: ${t.offlineCopyMaxAgeDays} days`]);
    }));
  alerts.command('ack <id>').description('acknowledge an alert: it stays open until its cause clears, but is no longer repeated')
    .action(async (id: string, _o, cmd: Command) => withApi(cmd, async ({ api, out }) => {
      const a = await api.alerts.ack.mutate({ id });
      out.result(a, () => `alert ${a.id} acknowledged: ${a.subject}`);
    }));
}
