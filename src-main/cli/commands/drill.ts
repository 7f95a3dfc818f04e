import type { Command } from 'commander';
import { withCore, collect } from '../cli-context.ts';
import { parseTime, positiveInt } from '../options.ts';
import { formatDuration, table } from '../output.ts';
import { ERROR_CODES } from '../../core/errors/codes.ts';
import { LifeboatError } from '../../core/errors/lifeboat-error.ts';
import { runDrill } from '../../core/drills/run-drill.ts';
import { cleanupAbandonedDrills } from '../../core/drills/cleanup-drills.ts';
import { planAhead } from '../../core/drills/plan-drills.ts';
import { pastDrills, protectedDatabases } from '../../core/drills/due-drills.ts';
import { drillSummaries } from '../../core/drills/drill-summary.ts';
import { saveProbes, storedProbes, type ProbeQuery } from '../../core/drills/probe-query.ts';
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
    .action(async (setId: string | undefined, o, cmd: Command) => withCore(cmd, async ({ core, out }) => {
      if (!setId && !o.database) throw new LifeboatError('USAGE', { verb: 'run', thing: 'drill', cause: 'name a set id or --database' });
      if (o.at && !o.database) throw new LifeboatError('USAGE', { verb: 'run', thing: 'drill', cause: '--at goes with --database' });
      const probes = pairProbes(o.probe as string[], o.expect as string[]);
      await cleanupAbandonedDrills(core);
      const r = await runDrill(core, {
        ...(setId ? { setId } : {}), ...(o.database ? { database: o.database } : {}), ...(o.server ? { server: o.server } : {}), ...(o.at ? { at: parseTime(o.at, '--at') } : {}),
        ...(o.scratchServer ? { scratchServer: o.scratchServer } : {}), probes, keys: readKeys(o), trigger: 'manual',
        onPhase: (p) => out.info(`  … ${p}`),
      });
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
    .action(async (o, cmd: Command) => withCore(cmd, async ({ core, out }) => {
      await cleanupAbandonedDrills(core);
      const list = core.catalog.drills.list({ ...(o.database ? { database: o.database } : {}), limit: positiveInt(o.limit, '--limit') });
      out.result(list, () => list.length ? table(['DRILL', 'DATABASE', 'STATUS', 'STARTED (UTC)', 'RESTORE', 'CHECKS', 'SCRATCH', 'ERROR'], list.map((d) => [
        d.id, `${d.server}/${d.database}`, d.status, d.startedAt.replace('T', ' ').slice(0, 19), d.restoreMs === null ? '-' : formatDuration(d.restoreMs),
        `${d.checks.filter((c) => c.status === 'passed').length}/${d.checks.length}`, d.scratchDropped ? 'dropped' : d.status === 'running' ? 'in use' : 'LEFT', d.errorMessage ?? '',
      ])) : 'no drills yet');
    }));

  drill.command('plan').description('which database is drilled when, over the coming days (assuming each drill passes)')
    .option('--days <n>', 'how far ahead', '30')
    .action(async (o, cmd: Command) => withCore(cmd, async ({ core, out }) => {
      const plan = planAhead(protectedDatabases(core), pastDrills(core), new Date(), positiveInt(o.days, '--days'));
      out.result(plan, () => plan.length ? table(['WHEN (UTC)', 'DATABASE', 'WHY'], plan.map((p) => [p.at.toISOString().replace('T', ' ').slice(0, 16), `${p.server}/${p.database}`, p.reason])) : 'nothing to drill in that time');
    }));

  drill.command('status').description('per database: last drill, measured restore time against the RTO objective, checks')
    .action(async (_o, cmd: Command) => withCore(cmd, async ({ core, out }) => {
      await cleanupAbandonedDrills(core);
      const rows = drillSummaries(core);
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
    .action(async (source: string, database: string, name: string, o, cmd: Command) => withCore(cmd, async ({ core, out }) => {
      const server = core.catalog.sources.get(source).name;
      const probes = [...storedProbes(core, server, database).filter((p) => p.name !== name), { name, sql: o.sql as string, expect: o.expect as string }];
      saveProbes(core, server, database, probes);
      out.result(probes, () => `${probes.length} probe(s) for ${server}/${database}`);
    }));
  probe.command('list <source> <database>').description('the probes of a database')
    .action(async (source: string, database: string, _o, cmd: Command) => withCore(cmd, async ({ core, out }) => {
      const probes = storedProbes(core, core.catalog.sources.get(source).name, database);
      out.result(probes, () => probes.length ? table(['NAME', 'EXPECT', 'QUERY'], probes.map((p) => [p.name, p.expect, p.sql])) : 'no probes');
    }));
  probe.command('remove <source> <database> <name>').description('remove a probe')
    .action(async (source: string, database: string, name: string, _o, cmd: Command) => withCore(cmd, async ({ core, out }) => {
      const server = core.catalog.sources.get(source).name;
      const before = storedProbes(core, server, database);
      if (!before.some((p) => p.name === name)) throw new LifeboatError('NOT_FOUND', { verb: 'remove', thing: 'probe', where: name, cause: `no probe of that name for ${server}/${database}` });
      saveProbes(core, server, database, before.filter((p) => p.name !== name));
      out.result({ removed: name }, () => `removed probe ${name}`);
    }));
}

function pairProbes(sqls: string[], expects: string[]): ProbeQuery[] {
  if (sqls.length !== expects.length) {
    throw new LifeboatError('USAGE', { verb: 'read', thing: 'probes', cause: `${sqls.length} --probe but ${expects.length} --expect; give each probe its expectation` });
  }
  return sqls.map((sql, i) => ({ name: `probe ${i + 1}: ${sql.replace(/\s+/g, ' ').slice(0, 60)}`, sql, expect: expects[i]! }));
}
