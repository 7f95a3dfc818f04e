import type { Command } from 'commander';
import { withApi } from '../cli-context.ts';
import { positiveInt } from '../options.ts';
import { table } from '../output.ts';
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
  alerts.command('ack <id>').description('acknowledge an alert: it stays open until its cause clears, but is no longer repeated')
    .action(async (id: string, _o, cmd: Command) => withApi(cmd, async ({ api, out }) => {
      const a = await api.alerts.ack.mutate({ id });
      out.result(a, () => `alert ${a.id} acknowledged: ${a.subject}`);
    }));
}
