import type { Command } from 'commander';
import { withApi } from '../cli-context.ts';
import { table, formatBytes } from '../output.ts';

export function registerSetsCommands(program: Command): void {
  const sets = program.command('sets').description('backup sets in the catalog');
  sets.command('list').description('list complete backup sets (only sets with a MANIFEST.json are ever listed)')
    .option('--database <db>', 'only this database')
    .option('--job <job>', 'only sets of this job')
    .option('--target <target>', 'only sets with a copy on this target')
    .action(async (o, cmd: Command) => withApi(cmd, async ({ api, out }) => {
      const rows = await api.sets.summaries.query({ ...(o.database ? { database: o.database } : {}), ...(o.job ? { job: o.job } : {}), ...(o.target ? { target: o.target } : {}) });
      out.result(rows, () => rows.length
        ? table(['SET', 'DATABASE', 'TYPE', 'FINISHED (UTC)', 'SIZE', 'COPIES', 'VERIFIED'], rows.map((r) => [r.id, `${r.server}/${r.database}`, r.type + (r.tags.length ? ` (${r.tags.join(',')})` : ''), r.finishedAt.replace('T', ' ').slice(0, 19), formatBytes(r.bytes), r.copies.join(',') || '-', r.verified]))
        : 'no complete sets');
    }));
}
