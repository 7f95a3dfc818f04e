import type { CoreContext } from '../context.ts';
import type { ConfigRecord } from '../catalog/config-repo.ts';
import { openTarget } from '../open-drivers.ts';
import { LifeboatError, causeOf, isLifeboatError } from '../errors/lifeboat-error.ts';
import { REPO_JSON } from '../repo/layout.ts';
import { verifySet } from './verify-set.ts';
import { mediaOf } from '../targets/usb/usb-target.ts';

export interface ReverifyOptions {
  now?: Date;
  /** Copies checked per pass besides those of targets seen again (default 20): bit-rot checks are spread out. */
  maxCopies?: number;
  /** A copy whose last L1 is younger than this is not due (default 7 days). */
  minAgeMs?: number;
  trigger?: string;
}

export interface ReverifiedCopy {
  setId: string;
  copyId: string;
  targetName: string;
  /** 'returned': its target (a USB disk, a NAS) was away at the last pass and is back; 'oldest': its last L1 was the oldest. */
  reason: 'returned' | 'oldest';
  lastL1At: string | null;
  ok: boolean;
  problem: string | null;
}

export interface ReverifyResult {
  runId: string | null;
  checked: ReverifiedCopy[];
  /** Targets and rotated disks not reachable this pass: their copies wait (a disk off site is normal). */
  absentTargets: string[];
}

const REACH_KEY = 'reverify.reach.';

/**
 * Periodic re-verification against bit rot, for the agent's timer: L1 (SHA-256 of every stored file) on the
 * copies whose last L1 is oldest, and first of all on every copy of a target that was away at the last pass
 * and is back (a rotated USB disk plugged in again). Results are recorded per copy like any L1; the pass is a
 * verify run, so the alert rules see a failure the same way as one of `lifeboat verify`.
 */
export async function reverifyCopies(ctx: CoreContext, opts: ReverifyOptions = {}): Promise<ReverifyResult> {
  const now = opts.now ?? new Date();
  const minAge = opts.minAgeMs ?? 7 * 86_400_000;
  // Reachability per place a copy can live: a target, or one disk of a rotation set (copies.media_id).
  const reach = new Map<string, { present: boolean; returned: boolean; name: string }>();
  const note = (key: string, name: string, present: boolean, offSite = false) => {
    const before = ctx.catalog.getSetting(REACH_KEY + key);
    ctx.catalog.setSetting(REACH_KEY + key, present ? 'present' : 'absent');
    reach.set(key, { present, returned: present && (before === 'absent' || offSite), name });
  };
  const copies = ctx.catalog.sets.list().flatMap((set) => set.copies.filter((c) => c.status === 'present').map((c) => ({ set, copy: c })));
  for (const rec of ctx.catalog.targets.list()) {
    const seen = await reachable(ctx, rec);
    note(rec.id, rec.name, seen.present);
    const disks = new Set(copies.filter((c) => c.copy.targetId === rec.id && c.copy.mediaId).map((c) => c.copy.mediaId!));
    if (seen.disk) disks.add(seen.disk.id);
    for (const id of disks) {
      const here = seen.disk?.id === id;
      const media = ctx.catalog.media.find(id);
      note(`${rec.id}/${id}`, `${rec.name} (disk ${media?.label ?? id})`, here, here && (media?.offSite ?? false));
      if (here) ctx.catalog.media.markSeen(id, seen.disk!.mount);
    }
  }

  const candidates: (Omit<ReverifiedCopy, 'ok' | 'problem'>)[] = [];
  for (const { set, copy } of copies) {
    const t = reach.get(copy.mediaId ? `${copy.targetId}/${copy.mediaId}` : copy.targetId);
    if (!t?.present) continue;
    const lastL1At = ctx.catalog.verifications.latest(set.id, copy.id, 1)?.finishedAt ?? null;
    if (!t.returned && lastL1At !== null && now.getTime() - Date.parse(lastL1At) < minAge) continue;
    candidates.push({ setId: set.id, copyId: copy.id, targetName: t.name, reason: t.returned ? 'returned' : 'oldest', lastL1At });
  }
  const returned = candidates.filter((c) => c.reason === 'returned');
  const oldest = candidates.filter((c) => c.reason === 'oldest')
    .sort((a, b) => (a.lastL1At ?? '').localeCompare(b.lastL1At ?? '') || a.setId.localeCompare(b.setId) || a.targetName.localeCompare(b.targetName))
    .slice(0, opts.maxCopies ?? 20);
  const chosen = [...returned, ...oldest];
  const absentTargets = [...reach.values()].filter((t) => !t.present).map((t) => t.name);
  if (chosen.length === 0) return { runId: null, checked: [], absentTargets };

  const setIds = [...new Set(chosen.map((c) => c.setId))];
  const trigger = opts.trigger ?? 'reverify';
  const runId = ctx.catalog.runs.begin({ kind: 'verify', trigger, detail: { setIds, copyIds: chosen.map((c) => c.copyId), reverify: true } });
  ctx.events.emitEvent('run.started', { runId, kind: 'verify', jobId: null, database: null });
  const checked: ReverifiedCopy[] = [];
  try {
    for (const setId of setIds) {
      const mine = chosen.filter((c) => c.setId === setId);
      const v = await verifySet(ctx, setId, { engineLevel: false, triggeredBy: `${trigger}:${mine[0]!.reason}`, runId, onlyCopyIds: mine.map((c) => c.copyId) });
      for (const c of mine) {
        const r = v.copies.find((x) => x.copyId === c.copyId);
        checked.push({ ...c, ok: r?.ok ?? false, problem: r?.problem ?? 'not checked' });
      }
    }
  } catch (err) {
    const message = causeOf(err);
    ctx.catalog.runs.finish(runId, { status: 'failed', errorCode: isLifeboatError(err) ? err.code : 'INTERNAL', errorMessage: message });
    ctx.events.emitEvent('run.finished', { runId, kind: 'verify', status: 'failed', errorMessage: message });
    throw err;
  }
  const bad = checked.filter((c) => !c.ok);
  if (bad.length) {
    const e = new LifeboatError('VERIFY_MISMATCH', { verb: 're-verify', thing: 'stored copies', cause: bad.map((c) => `set ${c.setId}, copy on '${c.targetName}': ${c.problem}`).join('; ') });
    ctx.catalog.runs.finish(runId, { status: 'failed', errorCode: e.code, errorMessage: e.message });
    ctx.events.emitEvent('run.finished', { runId, kind: 'verify', status: 'failed', errorCode: e.code, errorMessage: e.message });
  } else {
    ctx.catalog.runs.finish(runId, { status: 'succeeded' });
    ctx.events.emitEvent('run.finished', { runId, kind: 'verify', status: 'succeeded' });
  }
  return { runId, checked, absentTargets };
}

/**
 * Present when the target opens and answers for its repository header (a missing header still means
 * reachable); for a rotation set, also which of its disks is plugged in.
 */
async function reachable(ctx: CoreContext, rec: ConfigRecord): Promise<{ present: boolean; disk: { id: string; mount: string } | null }> {
  try {
    const t = await openTarget(ctx, rec);
    try {
      await t.stat(REPO_JSON);
      return { present: true, disk: mediaOf(t) };
    } catch (err) {
      return { present: isLifeboatError(err, 'OBJECT_NOT_FOUND'), disk: mediaOf(t) };
    } finally {
      await t.close().catch(() => undefined);
    }
  } catch {
    return { present: false, disk: null };
  }
}
