import type { CoreContext } from '../context.ts';
import type { ConfigRecord } from '../catalog/config-repo.ts';
import { openTarget } from '../open-drivers.ts';
import { isLifeboatError, LifeboatError } from '../errors/lifeboat-error.ts';
import { FINGERPRINT_PATTERN } from './sftp/host-key.ts';

/**
 * `lifeboat target approve-key`: pins the SSH host key the server presents. A changed key is approved only
 * when its fingerprint is given explicitly (and matches what the server presents). Audited.
 */
export async function approveHostKey(ctx: CoreContext, name: string, fingerprint?: string): Promise<{ name: string; fingerprint: string; changed: boolean; alreadyApproved: boolean }> {
  if (fingerprint !== undefined && !FINGERPRINT_PATTERN.test(fingerprint)) {
    throw new LifeboatError('USAGE', { verb: 'read', thing: 'fingerprint', where: fingerprint, cause: 'expected SHA256:<43 base64 characters>, as ssh-keygen -lf prints it' });
  }
  const rec = ctx.catalog.targets.get(name);
  const presented = await presentedHostKey(ctx, rec);
  if (presented.approved) return { name, fingerprint: presented.fingerprint, changed: false, alreadyApproved: true };
  if (presented.changed && fingerprint === undefined) {
    throw new LifeboatError('CONFIRMATION_REQUIRED', { verb: 'approve', thing: 'changed host key', where: name, cause: `the server now presents ${presented.fingerprint}; give that fingerprint explicitly once you have checked it with the server's administrator` });
  }
  if (fingerprint !== undefined && fingerprint !== presented.fingerprint) {
    throw new LifeboatError('HOST_KEY_CHANGED', { verb: 'approve', thing: 'host key', where: name, cause: `the server presents ${presented.fingerprint}, not ${fingerprint}; nothing was approved` });
  }
  ctx.catalog.targets.update(rec.id, { config: { ...rec.config, hostKeySha256: presented.fingerprint } });
  ctx.catalog.audit.append({ actor: ctx.actor, action: 'target.approve-key', object: name, outcome: 'success', oldValue: rec.config.hostKeySha256 ?? null, newValue: presented.fingerprint });
  return { name, fingerprint: presented.fingerprint, changed: presented.changed, alreadyApproved: false };
}

/** The host key the server presents, learnt from the pinning errors of a connection attempt. */
async function presentedHostKey(ctx: CoreContext, rec: ConfigRecord): Promise<{ fingerprint: string; approved: boolean; changed: boolean }> {
  try {
    const t = await openTarget(ctx, rec);
    await t.close();
    return { fingerprint: String(rec.config.hostKeySha256 ?? ''), approved: true, changed: false };
  } catch (err) {
    if (isLifeboatError(err, 'HOST_KEY_UNKNOWN') || isLifeboatError(err, 'HOST_KEY_CHANGED')) {
      return { fingerprint: String(err.details?.fingerprint), approved: false, changed: err.code === 'HOST_KEY_CHANGED' };
    }
    if (isLifeboatError(err) && rec.config.hostKeySha256 === undefined && err.code !== 'TARGET_UNREACHABLE') {
      throw new LifeboatError('USAGE', { verb: 'approve', thing: 'host key', where: rec.name, cause: `the target did not ask for one (${err.message})` });
    }
    throw err;
  }
}
