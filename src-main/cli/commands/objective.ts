import type { Command } from 'commander';
import { withApi } from '../cli-context.ts';
import { table } from '../output.ts';
import { LifeboatError } from '../../core/errors/lifeboat-error.ts';
import { formatSeconds } from '../../core/objectives/live-rpo.ts';

/** "15m", "4h", "1d", "90s" or plain seconds. */
export function parseDuration(value: string, name: string): number {
  const m = value.trim().match(/^(\d+)\s*(s|sec|m|min|h|d)?$/i);
  if (!m) throw new LifeboatError('USAGE', { verb: 'read', thing: 'option', where: name, cause: `'${value}' is not a duration (e.g. 15m, 4h, 1d)` });
  const unit = (m[2] ?? 's').toLowerCase();
  const mult = unit.startsWith('d') ? 86_400 : unit.startsWith('h') ? 3600 : unit.startsWith('m') ? 60 : 1;
  return Number(m[1]) * mult;
}

export function registerObjectiveCommands(program: Command): void {
  const obj = program.command('objective').description('recovery objectives (RPO, RTO) per database');
  obj.command('set <source> <database>').description('set the RPO and/or RTO of a database')
    .option('--rpo <duration>', 'the most data the site accepts to lose, e.g. 15m, 4h, 1d')
    .option('--rto <duration>', 'how long a restore may take, e.g. 1h')
    .action(async (server: string, database: string, o, cmd: Command) => withApi(cmd, async ({ api, out }) => {
      if (!o.rpo && !o.rto) throw new LifeboatError('USAGE', { verb: 'set', thing: 'objective', where: `${server}/${database}`, cause: 'give --rpo, --rto or both' });
      const r = await api.objectives.set.mutate({ server, database, ...(o.rpo ? { rpoSeconds: parseDuration(o.rpo, '--rpo') } : {}), ...(o.rto ? { rtoSeconds: parseDuration(o.rto, '--rto') } : {}) });
      out.result(r, () => `objective for ${database} on ${server}: RPO ${r.rpoSeconds ? formatSeconds(r.rpoSeconds) : '-'}, RTO ${r.rtoSeconds ? formatSeconds(r.rtoSeconds) : '-'}`);
    }));
  obj.command('list').description('objectives with the live RPO of each database')
    .action(async (_o, cmd: Command) => withApi(cmd, async ({ api, out }) => {
      const list = await api.objectives.list.query();
      out.result(list, () => list.length
        ? table(['SOURCE', 'DATABASE', 'RPO', 'LIVE RPO', 'RTO', 'STATE'], list.map((o) => [o.server, o.database, o.rpoSeconds ? formatSeconds(o.rpoSeconds) : '-',
          o.liveRpoSeconds === null ? 'no verified set' : formatSeconds(o.liveRpoSeconds), o.rtoSeconds ? formatSeconds(o.rtoSeconds) : '-', o.breached ? 'BREACHED' : 'met']))
        : 'no objectives yet: lifeboat objective set <source> <database> --rpo 4h');
      if (list.some((o) => o.breached)) process.exitCode = 1;
    }));
  obj.command('remove <source> <database>').description('remove the objectives of a database')
    .action(async (server: string, database: string, _o, cmd: Command) => withApi(cmd, async ({ api, out }) => {
      const r = await api.objectives.remove.mutate({ server, database });
      out.result(r, () => r.removed ? `objective for ${database} on ${server} removed` : 'there was no objective for that database');
    }));
}
