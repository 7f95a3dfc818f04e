import type { CoreContext } from '../context.ts';
import type { BackupType, JobOptions, JobRecord } from '../catalog/jobs-repo.ts';
import { engineDriver } from '../engines/registry.ts';
import { LifeboatError } from '../errors/lifeboat-error.ts';
import { registerSecret } from '../util/redact.ts';

export interface AddJobInput {
  name: string;
  /** Source and targets by name or id. */
  source: string;
  databases: string[];
  targets: string[];
  backupType?: BackupType;
  schedule?: string | null;
  options?: Partial<JobOptions>;
  passphrase?: string | null;
}

/**
 * Adds a backup job after the checks every client needs: the engine takes that backup type, the encryption
 * mode has what it needs (a passphrase, age recipients), the compression level is zstd's. Audited, with
 * the options (never the passphrase, which is stored sealed with the machine key).
 */
export function addJob(ctx: CoreContext, input: AddJobInput): { job: JobRecord; source: string; targets: string[] } {
  const source = ctx.catalog.sources.get(input.source);
  const targets = input.targets.map((t) => ctx.catalog.targets.get(t));
  const type = input.backupType ?? 'full';
  const caps = engineDriver(source.kind).capabilities;
  if ((type === 'diff' && !caps.differential) || (type === 'log' && !caps.log)) {
    throw new LifeboatError('ENGINE_UNSUPPORTED', { verb: 'add', thing: 'job', where: input.name, cause: `${source.kind} sources do not take '${type}' backups` });
  }
  const options = input.options ?? {};
  const mode = options.encryption ?? 'none';
  registerSecret(input.passphrase ?? undefined);
  if (mode === 'passphrase' && !input.passphrase) throw new LifeboatError('USAGE', { verb: 'add', thing: 'job', where: input.name, cause: '--encrypt passphrase needs --passphrase-env or --passphrase-stdin' });
  if (mode === 'recipients' && !options.recipients?.length) throw new LifeboatError('USAGE', { verb: 'add', thing: 'job', where: input.name, cause: '--encrypt recipients needs at least one --recipient age1…' });
  for (const r of options.recipients ?? []) if (!/^age1[0-9a-z]{58}$/.test(r)) throw new LifeboatError('USAGE', { verb: 'read', thing: 'recipient', where: r, cause: 'not an age X25519 public key (age1… from age-keygen)' });
  const level = options.compressionLevel;
  if (level !== undefined && (!Number.isInteger(level) || level < 1 || level > 19)) throw new LifeboatError('USAGE', { verb: 'read', thing: 'option', where: '--compression-level', cause: 'must be 1 to 19' });
  const job = ctx.catalog.jobs.add({
    name: input.name, sourceId: source.id, databases: input.databases, targetIds: targets.map((t) => t.id), backupType: type,
    schedule: input.schedule ?? null, options, secret: input.passphrase ? ctx.secrets.seal(input.passphrase) : null,
  });
  const targetNames = targets.map((t) => t.name);
  ctx.catalog.audit.append({ actor: ctx.actor, action: 'job.add', object: job.name, outcome: 'success', detail: { source: source.name, databases: job.databases, targets: targetNames, options } });
  return { job, source: source.name, targets: targetNames };
}
