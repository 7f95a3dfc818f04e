import type { CoreContext } from '../context.ts';
import type { SetRecord } from '../catalog/sets-repo.ts';
import { LifeboatError } from '../errors/lifeboat-error.ts';
import { verifySet, type CopyVerification } from '../verify/verify-set.ts';

export interface GateResult {
  /** The copy the restore reads. */
  copy: CopyVerification;
  /** True when no copy passed and an override with a reason let the restore go on. */
  overridden: boolean;
  checked: CopyVerification[];
}

/**
 * Before any restore every file it needs passes L1 on the copy being read. A preferred copy that fails is
 * refused and a passing copy is offered in the error; with no passing copy the restore is refused unless
 * an override reason is given (recorded by the caller in the restore row and the audit trail).
 */
export async function integrityGate(ctx: CoreContext, set: SetRecord, opts: { preferTargetId?: string | null; overrideReason?: string | null; triggeredBy: string; runId: string | null }): Promise<GateResult> {
  const present = set.copies.filter((c) => c.status === 'present');
  if (present.length === 0) {
    throw new LifeboatError('NOT_FOUND', { verb: 'restore', thing: 'set', where: set.id, cause: 'no copy of the set is present on any target' });
  }
  const ordered = opts.preferTargetId ? [...present].sort((a, b) => Number(b.targetId === opts.preferTargetId) - Number(a.targetId === opts.preferTargetId)) : present;
  const v = await verifySet(ctx, set.id, { engineLevel: false, triggeredBy: opts.triggeredBy, runId: opts.runId, onlyCopyIds: ordered.map((c) => c.id) });
  const checked = ordered.map((c) => v.copies.find((x) => x.copyId === c.id)!);
  const preferred = opts.preferTargetId ? checked.find((c) => c.targetId === opts.preferTargetId) : undefined;
  const good = checked.find((c) => c.ok);
  if (opts.preferTargetId && preferred && !preferred.ok && good) {
    throw new LifeboatError('INTEGRITY_GATE', {
      verb: 'restore from', thing: 'copy', where: preferred.targetName, cause: preferred.problem ?? 'it failed its integrity check',
      hint: `the copy on '${good.targetName}' passed its check: restore from that target instead`,
      details: { offeredTargetId: good.targetId, offeredTargetName: good.targetName, checked },
    });
  }
  if (good) return { copy: good, overridden: false, checked };
  const first = checked[0]!;
  if (opts.overrideReason && opts.overrideReason.trim()) {
    const readable = checked.find((c) => c.failure === 'mismatch') ?? first;
    return { copy: readable, overridden: true, checked };
  }
  throw new LifeboatError('INTEGRITY_GATE', {
    verb: 'restore', thing: 'set', where: `${set.id} (${set.database})`,
    cause: checked.map((c) => `copy on '${c.targetName}': ${c.problem}`).join('; '),
    hint: 'no copy passed its integrity check; an administrator may override with a reason (--override-integrity "<reason>"), which is recorded',
    details: { checked },
  });
}
