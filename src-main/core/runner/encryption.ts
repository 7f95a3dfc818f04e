import type { CoreContext } from '../context.ts';
import type { JobRecord } from '../catalog/jobs-repo.ts';
import type { SetRecord } from '../catalog/sets-repo.ts';
import type { DecryptionKeys, EncryptionSpec } from '../pipeline/age-crypt.ts';
import { LifeboatError } from '../errors/lifeboat-error.ts';

export function encryptionSpecForJob(ctx: CoreContext, job: Pick<JobRecord, 'name' | 'options' | 'secret'>): EncryptionSpec {
  switch (job.options.encryption) {
    case 'passphrase': {
      if (!job.secret) throw new LifeboatError('CONFIG_INVALID', { verb: 'encrypt', thing: 'job', where: job.name, cause: 'encryption is "passphrase" but no passphrase is stored' });
      const logN = typeof job.options.scryptLogN === 'number' ? job.options.scryptLogN : undefined;
      return { mode: 'passphrase', passphrase: ctx.secrets.open(job.secret), ...(logN ? { scryptLogN: logN } : {}) };
    }
    case 'recipients':
      if (!job.options.recipients?.length) throw new LifeboatError('CONFIG_INVALID', { verb: 'encrypt', thing: 'job', where: job.name, cause: 'encryption is "recipients" but no recipient is configured' });
      return { mode: 'recipients', recipients: job.options.recipients };
    default:
      return { mode: 'none' };
  }
}

export function schemeOf(spec: EncryptionSpec): 'none' | 'age-scrypt' | 'age-x25519' {
  return spec.mode === 'passphrase' ? 'age-scrypt' : spec.mode === 'recipients' ? 'age-x25519' : 'none';
}

/** Keys to read a set: what the caller gave, else the passphrase of the job that wrote it. */
export function decryptionKeysFor(ctx: CoreContext, set: Pick<SetRecord, 'jobId' | 'encryption'>, given: DecryptionKeys = {}): DecryptionKeys {
  if (set.encryption === 'none' || given.passphrase || given.identities?.length) return given;
  const job = set.jobId ? ctx.catalog.jobs.find(set.jobId) : undefined;
  if (set.encryption === 'age-scrypt' && job?.secret && job.options.encryption === 'passphrase') return { passphrase: ctx.secrets.open(job.secret) };
  return given;
}
