import type { Command } from 'commander';
import { withApi, collect } from '../cli-context.ts';
import { readSecret } from '../secret-input.ts';
import { parseOptionPairs, positiveInt } from '../options.ts';
import { table, formatBytes, formatDuration } from '../output.ts';
import { LifeboatError } from '../../core/errors/lifeboat-error.ts';
import type { BackupType, EncryptionMode } from '../../core/catalog/jobs-repo.ts';

const TYPES: BackupType[] = ['full', 'diff', 'log', 'copy-only'];

export function registerJobCommands(program: Command): void {
  const job = program.command('job').description('what to back up, where, and when');

  job.command('add <name>')
    .description('add a backup job: databases of one source, to one or more targets')
    .requiredOption('--source <source>', 'source name')
    .requiredOption('--database <db>', 'database to back up (repeatable)', collect)
    .requiredOption('--target <target>', 'target name (repeatable: one copy per target)', collect)
    .option('--type <type>', `backup type: ${TYPES.join(', ')}`, 'full')
    .option('--schedule <cron>', 'when the agent runs it (cron expression or preset)')
    .option('--encrypt <mode>', 'none, passphrase or recipients', 'none')
    .option('--passphrase-env <var>', 'encryption passphrase from this environment variable')
    .option('--passphrase-stdin', 'encryption passphrase from standard input')
    .option('--recipient <age1...>', 'age X25519 recipient public key (repeatable)', collect)
    .option('--compression-level <n>', 'zstd level 1-19', '3')
    .option('--no-globals', 'skip roles and tablespaces (pg_dumpall --globals-only)')
    .option('--role-passwords', 'include role password hashes in the globals dump')
    .option('--probe-tables <n>', 'row-count probes of the N largest tables', '10')
    .option('--option <key=value>', 'further job option (repeatable)', collect)
    .action(async (name: string, o, cmd: Command) => withApi(cmd, async ({ api, out }) => {
      if (!TYPES.includes(o.type)) throw new LifeboatError('USAGE', { verb: 'read', thing: 'option', where: '--type', cause: `'${o.type}' is not one of ${TYPES.join(', ')}` });
      const mode = o.encrypt as EncryptionMode;
      if (!['none', 'passphrase', 'recipients'].includes(mode)) throw new LifeboatError('USAGE', { verb: 'read', thing: 'option', where: '--encrypt', cause: `'${mode}' is not none, passphrase or recipients` });
      // The passphrase goes in the request body (loopback, token-protected); whoever serves it seals it with machine.key.
      const passphrase = readSecret({ env: o.passphraseEnv, stdin: o.passphraseStdin }, 'passphrase');
      const level = positiveInt(o.compressionLevel, '--compression-level');
      if (level < 1 || level > 19) throw new LifeboatError('USAGE', { verb: 'read', thing: 'option', where: '--compression-level', cause: 'must be 1 to 19' });
      const rec = await api.jobs.add.mutate({
        name, source: o.source, databases: o.database, targets: o.target, backupType: o.type, ...(o.schedule ? { schedule: o.schedule } : {}),
        extraOptions: parseOptionPairs(o.option) as Record<string, string | number | boolean>,
        options: {
          compressionLevel: level, encryption: mode, includeGlobals: o.globals !== false, includeRolePasswords: Boolean(o.rolePasswords),
          probeTables: positiveInt(o.probeTables, '--probe-tables'), ...(mode === 'recipients' && o.recipient ? { recipients: o.recipient } : {}),
        },
        ...(passphrase !== null ? { passphrase } : {}),
      });
      out.result({ id: rec.id, name: rec.name, databases: rec.databases, targets: rec.targets, type: rec.backupType, schedule: rec.schedule, options: rec.options },
        () => `job '${name}' added: ${rec.databases.join(', ')} → ${rec.targets.join(', ')}; run it with: lifeboat job run ${name}`);
    }));

  job.command('list').description('list jobs').action(async (_o, cmd: Command) => withApi(cmd, async ({ api, out }) => {
    const [jobs, sources, targets] = await Promise.all([api.jobs.list.query(), api.sources.list.query(), api.targets.list.query()]);
    const names = new Map([...sources, ...targets].map((r) => [r.id, r.name]));
    const name = (id: string) => names.get(id) ?? id;
    out.result(jobs.map((j) => ({ ...j, source: name(j.sourceId), targets: j.targetIds.map(name) })),
      () => jobs.length ? table(['NAME', 'SOURCE', 'DATABASES', 'TARGETS', 'TYPE', 'SCHEDULE', 'ENCRYPTION'], jobs.map((j) => [j.name, name(j.sourceId), j.databases.join(','), j.targetIds.map(name).join(','), j.backupType, j.schedule ?? '-', String(j.options.encryption)]))
        : 'no jobs yet: add one with "lifeboat job add"');
  }));

  job.command('run <name>').description('run a job now')
    .option('--database <db>', 'only this database of the job (repeatable)', collect)
    .option('--type <type>', 'override the backup type for this run')
    // Through the API: with an agent running, the run executes in the agent's queue (never beside it).
    .action(async (name: string, o, cmd: Command) => withApi(cmd, async ({ api, out }) => {
      if (o.type && !TYPES.includes(o.type)) throw new LifeboatError('USAGE', { verb: 'read', thing: 'option', where: '--type', cause: `'${o.type}' is not one of ${TYPES.join(', ')}` });
      const progress = api.events.runs.subscribe({ job: name }, { onData: (p) => { if (!out.json && p.type === 'run.progress' && p.phase !== 'dump') out.info(`  … ${p.phase}${p.message ? ` ${p.message}` : ''}`); } });
      const { results } = await api.jobs.run.mutate({ job: name, ...(o.database ? { databases: o.database } : {}), ...(o.type ? { type: o.type } : {}) }).finally(() => progress.unsubscribe());
      out.result(results, () => results.flatMap((r) => [
        `${r.database}: ${r.status.toUpperCase()}${r.setId ? ` — set ${r.setId} (${r.type}, ${formatBytes(r.bytes)}, ${formatDuration(r.durationMs)})` : ''}`,
        ...r.copies.map((c) => `  copy on ${c.targetName}: ${c.ok ? 'stored and verified' : `FAILED — ${c.error?.message}`}`),
        ...(r.error && !r.copies.some((c) => !c.ok && c.error?.message === r.error?.message) ? [`  error: ${r.error.message}`] : []),
        ...(r.error?.hint ? [`  next step: ${r.error.hint}`] : []),
        ...r.warnings.map((w) => `  warning: ${w}`),
      ]));
      if (results.some((r) => r.status !== 'succeeded')) process.exitCode = 1;
    }));
}
