import type { CoreContext } from '../context.ts';
import type { SignatureMeaning, SignatureRecord } from '../catalog/signatures-repo.ts';
import { LifeboatError } from '../errors/lifeboat-error.ts';
import { newId } from '../util/ids.ts';
import { authPolicy } from './auth-policy.ts';
import { checkCredentials } from './credentials.ts';
import { minimumRole, roleAllows } from './roles.ts';

export const MEANINGS: readonly SignatureMeaning[] = ['performed', 'reviewed', 'approved'];

/** The actions that need an e-signature, and how each names its object, so signer and checker agree. */
export const SIGNED_ACTIONS = ['restore.overwrite', 'restore.integrity-override', 'sets.delete', 'legal-hold.release'] as const;

/** Object of a restore over an existing database: the source's name and the database. */
export function restoreObject(sourceName: string, database: string): string {
  return `${sourceName}/${database}`;
}

export interface SignRequest {
  user: string;
  password: string;
  meaning: SignatureMeaning;
  action: string;
  object: string;
  reason: string;
  now?: Date;
}

/**
 * A Part 11 electronic signature: the password is entered again (failures count toward the lockout), a
 * meaning and a reason are given, and the signature is bound to the audit entry that records it (11.70).
 * Returns the signature id that the signed action must present.
 */
export async function signAction(ctx: CoreContext, req: SignRequest): Promise<string> {
  const now = req.now ?? new Date();
  if (!MEANINGS.includes(req.meaning)) throw new LifeboatError('USAGE', { verb: 'sign', thing: 'action', where: req.action, cause: 'the meaning must be performed, reviewed or approved' });
  if (!req.reason?.trim()) throw new LifeboatError('USAGE', { verb: 'sign', thing: 'action', where: req.action, cause: 'a signature needs a reason' });
  if (!req.object?.trim()) throw new LifeboatError('USAGE', { verb: 'sign', thing: 'action', where: req.action, cause: 'a signature needs the object it is for' });
  const user = await checkCredentials(ctx, req.user, req.password, 'esign.sign', now);
  if (!roleAllows(user.role, req.action)) {
    const cause = `the role '${user.role}' may not sign '${req.action}' (needs ${minimumRole(req.action) ?? 'a known action'})`;
    ctx.catalog.audit.append({ actor: user.name, role: user.role, action: 'esign.sign', object: req.object, outcome: 'refused', reason: cause, detail: { signedAction: req.action, meaning: req.meaning } });
    throw new LifeboatError('FORBIDDEN', { verb: 'sign', thing: req.action, where: req.object, cause });
  }
  const id = newId('sig');
  ctx.catalog.db.transaction(() => {
    const seq = ctx.catalog.audit.append({
      actor: user.name, role: user.role, action: 'esign.sign', object: req.object, outcome: 'success', reason: req.reason,
      detail: { signatureId: id, signedAction: req.action, meaning: req.meaning, signer: user.fullName, signedAt: now.toISOString() },
    });
    const entry = ctx.catalog.audit.get(seq)!;
    ctx.catalog.signatures.add({
      id, userId: user.id, userName: user.name, fullName: user.fullName, role: user.role, meaning: req.meaning, action: req.action,
      object: req.object, reason: req.reason, signedAt: now.toISOString(), auditSeq: seq, auditHash: entry.hash ?? '',
    });
  }).immediate();
  return id;
}

/**
 * What a signed action calls before it starts: refuses a missing signature, one made for another action or
 * object (foreign), one already used, one too old, or one whose audit entry no longer matches; otherwise
 * consumes it (once) and records the use.
 */
export function requireSignature(ctx: CoreContext, signatureId: string | null | undefined, action: string, object: string, opts: { usedFor?: string; now?: Date } = {}): SignatureRecord {
  const now = opts.now ?? new Date();
  const refuse = (cause: string, sig?: SignatureRecord) => {
    ctx.catalog.audit.append({ actor: ctx.actor, action: 'esign.use', object, outcome: 'refused', reason: cause, detail: { signatureId: signatureId ?? null, signedAction: action, signer: sig?.userName ?? null } });
    return new LifeboatError('SIGNATURE_REQUIRED', { verb: 'perform', thing: action, where: object, cause, hint: 'sign the action (user name, password, meaning and reason) and pass the new signature id' });
  };
  if (!signatureId) throw refuse('no electronic signature was given');
  const sig = ctx.catalog.signatures.get(signatureId);
  if (!sig) throw refuse(`there is no signature '${signatureId}'`);
  if (sig.action !== action || sig.object !== object) throw refuse(`signature ${sig.id} was given for '${sig.action}' on '${sig.object}'`, sig);
  if (sig.usedAt) throw refuse(`signature ${sig.id} was already used at ${sig.usedAt}`, sig);
  const maxAge = authPolicy(ctx).signatureMaxAgeMs;
  if (now.getTime() - Date.parse(sig.signedAt) > maxAge) throw refuse(`signature ${sig.id} of ${sig.signedAt} is older than ${maxAge / 60_000} min`, sig);
  const entry = ctx.catalog.audit.get(sig.auditSeq);
  if (!entry || entry.hash !== sig.auditHash) throw refuse(`signature ${sig.id} no longer matches its audit entry ${sig.auditSeq}`, sig);
  const signer = ctx.catalog.users.find(sig.userId);
  if (!signer || signer.disabled) throw refuse(`the signer of ${sig.id} is no longer an active user`, sig);
  ctx.catalog.db.transaction(() => {
    if (!ctx.catalog.signatures.consume(sig.id, now.toISOString(), opts.usedFor ?? null)) throw refuse(`signature ${sig.id} was already used`, sig);
    ctx.catalog.audit.append({
      actor: ctx.actor, action: 'esign.use', object, outcome: 'success',
      detail: { signatureId: sig.id, signedAction: action, signer: sig.fullName, signerUser: sig.userName, meaning: sig.meaning, signedAt: sig.signedAt, usedFor: opts.usedFor ?? null },
    });
  }).immediate();
  return ctx.catalog.signatures.get(sig.id)!;
}
