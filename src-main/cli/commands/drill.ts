import type { Command } from 'commander';
import { withApi, collect, printPhases } from '../cli-context.ts';
import { parseTime, positiveInt } from '../options.ts';
import { formatDuration, table } from '../output.ts';
import { ERROR_CODES } from '../../core/errors/codes.ts';
import { LifeboatError } from '../../core/errors/lifeboat-error.ts';
import type { ProbeQuery } from '../../core/drills/probe-query.ts';
import { decryptionKeyOptions, readKeys } from './verify.ts';

export function registerDrillCommands(program: Command): void {
  const drill = program.command('drill').description('restore drills: prove that backups restore, and how long it takes');

  decryptionKeyOptions(drill.command('run [set]')
    .description('restore a set into a scratch database, check it (amcheck / DBCC CHECKDB, row counts, probes), then drop it')
    .option('--database <db>', 'drill the newest set of this database')
    .option('--server <source>', 'with --database: the server the sets come from')
    .option('--at <time>', 'with --database: drill the chain up to this point in time (ISO 8601)')
    .option('--scratch-server <source>', 'restore onto this server (default: the set\'s own)')
    .option('--probe <sql>', 'a probe query returning one value (repeatable; pair each with --expect)', collect, [])
    .option('--expect <expectation>', 'what the probe must return: "= 5000", ">= backup - 1 day", "between 1 and 9", "non-null"', collect, []))
    .action(async (setId: string | undefined, o, cmd: Command) => withApi(cmd, async ({ api, out }) => {
      if (!setId && !o.database) throw new LifeboatError('USAGE', { verb: 'run', thing: 'drill', cause: 'name a set id or --database' });
      if (o.at && !o.database) throw new LifeboatError('USAGE', { verb: 'run', thing: 'drill', cause: '--at goes with --database' });
      const probes = pairProbes(o.probe as string[], o.expect as string[]);
      const keys = readKeys(o);
      const stop = printPhases(api, out, 'drill');
      const r = await api.drills.run.mutate({
        ...(setId ? { setId } : {}), ...(o.database ? { database: o.database } : {}), ...(o.server ? { server: o.server } : {}), ...(o.at ? { at: parseTime(o.at, '--at').toISOString() } : {}),
        ...(o.scratchServer ? { scratchServer: o.scratchServer } : {}), probes, ...(keys.passphrase || keys.identities ? { keys } : {}),
      }).finally(stop);
      out.result(r, () => [
        `drill of ${r.database} (set ${r.setId}) on ${r.drillServer}: ${r.status === 'succeeded' ? 'PASSED' : 'FAILED'}`,
        `  measured restore time: ${r.restoreMs === null ? 'n/a' : formatDuration(r.restoreMs)}; achieved recovery point: ${r.achievedRpoMs === null ? 'n/a' : `${formatDuration(r.achievedRpoMs)} before the drill`}`,
        ...r.checks.map((c) => `  ${c.status === 'passed' ? 'ok  ' : c.status === 'failed' ? 'FAIL' : 'skip'} ${c.name}: ${c.detail}`),
        `  scratch database ${r.scratchName}: ${r.scratchDropped ? 'dropped' : 'NOT dropped (retried at the next start)'}`,
        ...(r.error ? [`  ${r.error.message}`] : []),
      ]);
      if (r.error) process.exitCode = ERROR_CODES[r.error.code].exit;
    }));

  drill.command('list').description('recent drills, newest first')
    .option('--database <db>', 'only this database')
    .option('--limit <n>', 'how many', '30')
    .action(async (o, cmd: Command) => withApi(cmd, async ({ api, out }) => {
      const list = await api.drills.list.query({ ...(o.database ? { database: o.database } : {}), limit: positiveInt(o.limit, '--limit') });
      out.result(list, () => list.length ? table(['DRILL', 'DATABASE', 'STATUS', 'STARTED (UTC)', 'RESTORE', 'CHECKS', 'SCRATCH', 'ERROR'], list.map((d) => [
        d.id, `${d.server}/${d.database}`, d.status, d.startedAt.replace('T', ' ').slice(0, 19), d.restoreMs === null ? '-' : formatDuration(d.restoreMs),
        `${d.checks.filter((c) => c.status === 'passed').length}/${d.checks.length}`, d.scratchDropped ? 'dropped' : d.status === 'running' ? 'in use' : 'LEFT', d.errorMessage ?? '',
      ])) : 'no drills yet');
    }));

  drill.command('plan').description('which database is drilled when, over the coming days (assuming each drill passes)')
    .option('--days <n>', 'how far ahead', '30')
    .action(async (o, cmd: Command) => withApi(cmd, async ({ api, out }) => {
      const plan = await api.drills.plan.query({ days: positiveInt(o.days, '--days') });
      out.result(plan, () => plan.length ? table(['WHEN (UTC)', 'DATABASE', 'WHY'], plan.map((p) => [p.at.replace('T', ' ').slice(0, 16), `${p.server}/${p.database}`, p.reason])) : 'nothing to drill in that time');
    }));

  drill.command('status').description('per database: last drill, measured restore time against the RTO objective, checks')
    .action(async (_o, cmd: Command) => withApi(cmd, async ({ api, out }) => {
      const rows = await api.drills.status.query();
      out.result(rows, () => rows.length ? table(['DATABASE', 'LAST DRILL', 'STATUS', 'RESTORE', 'RTO', 'CHECKS', 'DUE BY'], rows.map((r) => [
        `${r.server}/${r.database}`, r.lastDrillAt?.slice(0, 16).replace('T', ' ') ?? 'never', r.lastDrillStatus ?? '-',
        r.measuredRtoSeconds === null ? '-' : `${r.measuredRtoSeconds} s`, r.rtoObjectiveSeconds === null ? '-' : `${r.rtoObjectiveSeconds} s ${r.rtoMet ? 'met' : 'MISSED'}`,
        `${r.checksPassed} ok, ${r.checksFailed} failed, ${r.checksSkipped} skipped`, `${r.drillDueBy.slice(0, 10)}${r.overdue ? ' OVERDUE' : ''}`,
      ])) : 'no protected databases');
    }));

  const probe = drill.command('probe').description('probe queries checked in every drill of a database');
  probe.command('add <source> <database> <name>').description('add (or replace) a probe: a query returning one value, and what it must be')
    .requiredOption('--sql <query>', 'e.g. "SELECT max(batch_id) FROM mes.batches"')
    .requiredOption('--expect <expectation>', 'e.g. ">= previous", "= 5000", ">= backup - 2 hours", "non-null"')
    .action(async (source: string, database: string, name: string, o, cmd: Command) => withApi(cmd, async ({ api, out }) => {
      const { server, probes } = await api.drills.probes.put.mutate({ source, database, probe: { name, sql: o.sql as string, expect: o.expect as string } });
      out.result(probes, () => `${probes.length} probe(s) for ${server}/${database}`);
    }));
  probe.command('list <source> <database>').description('the probes of a database')
    .action(async (source: string, database: string, _o, cmd: Command) => withApi(cmd, async ({ api, out }) => {
      const probes = await api.drills.probes.list.query({ source, database });
      out.result(probes, () => probes.length ? table(['NAME', 'EXPECT', 'QUERY'], probes.map((p) => [p.name, p.expect, p.sql])) : 'no probes');
    }));
  probe.command('remove <source> <database> <name>').description('remove a probe')
    .action(async (source: string, database: string, name: string, _o, cmd: Command) => withApi(cmd, async ({ api, out }) => {
      await api.drills.probes.remove.mutate({ source, database, name });
      out.result({ removed: name }, () => `removed probe ${name}`);
    }));
}

function pairProbes(sqls: string[], expects: string[]): ProbeQuery[] {
  if (sqls.length !== expects.length) {
    throw new LifeboatError('USAGE', { verb: 'read', thing: 'probes', cause: `${sqls.length} --probe but ${expects.length} --expect; give each probe its expectation` });
  }
  return sqls.map((sql, i) => ({ name: `probe ${i + 1}: ${sql.replace(/\s+/g, ' ').slice(0, 60)}`, sql, expect: expects[i]! }));
}
