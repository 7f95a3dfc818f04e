import type { Command } from 'commander';
import { withApi, printPhases } from '../cli-context.ts';
import { positiveInt, parseTime } from '../options.ts';
import { formatDuration } from '../output.ts';
import { LifeboatError } from '../../core/errors/lifeboat-error.ts';
import { decryptionKeyOptions, readKeys } from './verify.ts';

export function registerRestoreCommand(program: Command): void {
  decryptionKeyOptions(program.command('restore [set]')
    .description('restore a set (or a database to a point in time) under a new name, or over the original')
    .option('--database <db>', 'restore this database from its newest set (or the one covering --at)')
    .option('--at <time>', 'point in time (ISO 8601), with --database')
    .option('--as <name>', 'new database name (default: <database>_restored_<stamp>)')
    .option('--to <source>', 'server to restore to (default: the one the set came from)')
    .option('--overwrite', 'restore over the original database (a safety backup is taken first)')
    .option('--confirm', 'confirm --overwrite')
    .option('--override-integrity <reason>', 'restore even if no copy passes its integrity check; the reason is recorded')
    .option('--from-target <target>', 'read the copy on this target')
    .option('--signature <id>', 'e-signature for --overwrite once the site has users (from "lifeboat user sign")')
    .option('--jobs <n>', 'parallel restore jobs', '2')
    .option('--no-owner', 'do not restore object owners and privileges'))
    .action(async (setId: string | undefined, o, cmd: Command) => withApi(cmd, async ({ api, out }) => {
      if (!setId && !o.database) throw new LifeboatError('USAGE', { verb: 'restore', thing: 'set', cause: 'name a set id or --database' });
      if (o.at && !o.database) throw new LifeboatError('USAGE', { verb: 'restore', thing: 'set', cause: '--at goes with --database' });
      if (o.overwrite && o.as) throw new LifeboatError('USAGE', { verb: 'restore', thing: 'set', cause: '--as and --overwrite exclude each other' });
      const keys = readKeys(o);
      const stop = printPhases(api, out, 'restore');
      const r = await api.recovery.restore.mutate({
        ...(setId ? { setId } : {}), ...(o.database ? { database: o.database } : {}), ...(o.at ? { at: parseTime(o.at, '--at').toISOString() } : {}),
        ...(o.as ? { as: o.as } : {}), ...(o.to ? { sourceName: o.to } : {}), overwrite: Boolean(o.overwrite), confirm: Boolean(o.confirm),
        overrideReason: o.overrideIntegrity ?? null, ...(o.fromTarget ? { preferTarget: o.fromTarget } : {}), signatureId: o.signature ?? null,
        ...(keys.passphrase || keys.identities ? { keys } : {}), jobs: positiveInt(o.jobs, '--jobs'), noOwner: o.owner === false,
      }).finally(stop);
      out.result(r, () => [
        `restored ${r.database} as ${r.destination} in ${formatDuration(r.durationMs)} (measured restore time) from the copy on ${r.copyTarget}`,
        ...(r.overridden ? ['  WARNING: no copy passed its integrity check; restored under a recorded override'] : []),
        ...(r.safetySetId ? [`  safety backup of the previous database: set ${r.safetySetId}`] : []),
        ...r.probes.map((p) => `  ${p.ok ? 'ok ' : 'BAD'} ${p.schema}.${p.table}: ${p.actual} rows (backup: ${p.expected})`),
      ]);
    }));
}
