import fs from 'node:fs';
import path from 'node:path';
import type { CoreContext } from '../context.ts';
import type { SetRecord } from '../catalog/sets-repo.ts';
import type { DecryptionKeys } from '../pipeline/age-crypt.ts';
import type { Manifest } from '../repo/manifest.ts';
import { openEngine, openTarget } from '../open-drivers.ts';
import { causeOf, isLifeboatError, LifeboatError } from '../errors/lifeboat-error.ts';
import { checkCopy, type ArtifactCheck } from './check-copy.ts';
import { openArtifact } from './open-artifact.ts';
import { decryptionKeysFor } from '../runner/encryption.ts';

export interface CopyVerification {
  copyId: string;
  targetId: string;
  targetName: string;
  /** The rotated disk holding the copy, when it is on one. */
  mediaId: string | null;
  ok: boolean;
  /**
   * 'mismatch': bytes differ or are missing; 'unreachable': the target could not be read; 'away': on a rotated
   * disk that is not plugged in, so not checked, and neither recorded nor counted against the set.
   */
  failure: 'mismatch' | 'unreachable' | 'away' | null;
  problem: string | null;
  artifacts: ArtifactCheck[];
}

export interface SetVerification {
  setId: string;
  database: string;
  ok: boolean;
  copies: CopyVerification[];
  engine: { ok: boolean; message: string | null; skipped: string | null } | null;
}

export function setManifest(set: SetRecord): Manifest {
  return {
    format: 'lifeboat-set', formatVersion: 1, setId: set.id, engine: set.engine, server: set.server, database: set.database,
    serverVersion: set.serverVersion, type: set.type, parentSetId: set.parentSetId, chain: set.chain, startedAt: set.startedAt,
    finishedAt: set.finishedAt, toolVersions: set.toolVersions, appVersion: set.appVersion,
    encryption: { scheme: set.encryption }, artifacts: set.artifacts, probes: set.probes, tags: set.tags, job: null,
  };
}

/**
 * L1 on every present copy of a set (SHA-256 of each stored file against the catalog), then L2 (the
 * engine's own check) on the first good copy when `engineLevel`. Results are recorded per copy.
 */
export async function verifySet(ctx: CoreContext, setId: string, opts: { engineLevel: boolean; keys?: DecryptionKeys; triggeredBy: string; runId: string | null; onlyCopyIds?: string[] }): Promise<SetVerification> {
  const set = ctx.catalog.sets.get(setId);
  const out: SetVerification = { setId, database: set.database, ok: true, copies: [], engine: null };
  for (const copy of set.copies.filter((c) => c.status === 'present' && (!opts.onlyCopyIds || opts.onlyCopyIds.includes(c.id)))) {
    const rec = ctx.catalog.targets.find(copy.targetId);
    const started = new Date().toISOString();
    const which = { copyId: copy.id, targetId: rec?.id ?? copy.targetId, targetName: rec?.name ?? copy.targetId, mediaId: copy.mediaId };
    let cv: CopyVerification;
    if (!rec) {
      cv = { ...which, ok: false, failure: 'unreachable', problem: 'the target is no longer configured', artifacts: [] };
    } else {
      try {
        const target = await openTarget(ctx, rec, { mediaId: copy.mediaId });
        try {
          const check = await checkCopy(target, set.path, set.artifacts);
          cv = { ...which, ok: check.ok, failure: check.ok ? null : 'mismatch', problem: check.problem, artifacts: check.artifacts };
        } finally {
          await target.close();
        }
      } catch (err) {
        cv = { ...which, ok: false, failure: 'unreachable', problem: causeOf(err), artifacts: [] };
        // A rotated disk that is away (off site, in the other drawer) is where it should be: nothing is judged.
        if (copy.mediaId && isLifeboatError(err, 'MEDIA_ABSENT')) {
          const label = ctx.catalog.media.find(copy.mediaId)?.label ?? copy.mediaId;
          out.copies.push({ ...cv, failure: 'away', problem: `disk '${label}', which holds this copy, is not plugged in (not checked)` });
          continue;
        }
      }
    }
    ctx.catalog.verifications.add({
      setId, copyId: copy.id, level: 1, result: cv.ok ? 'passed' : 'failed', startedAt: started, finishedAt: new Date().toISOString(),
      triggeredBy: opts.triggeredBy, runId: opts.runId,
      detail: { problem: cv.problem, failure: cv.failure, artifacts: cv.artifacts.map((a) => ({ name: a.name, ok: a.ok, sha256: a.actual, remote: a.remote, problem: a.problem })) },
    });
    out.copies.push(cv);
  }
  // A set is verified by the copies that could be checked; one whose every copy is away is not verified.
  const judged = out.copies.filter((c) => c.failure !== 'away');
  out.ok = judged.length > 0 && judged.every((c) => c.ok);
  const good = out.copies.find((c) => c.ok);
  if (opts.engineLevel && good) out.engine = await engineVerify(ctx, set, good, opts);
  if (out.engine && !out.engine.ok) out.ok = false;
  return out;
}

async function engineVerify(ctx: CoreContext, set: SetRecord, copy: CopyVerification, opts: { keys?: DecryptionKeys; triggeredBy: string; runId: string | null }): Promise<SetVerification['engine']> {
  const keys = decryptionKeysFor(ctx, set, opts.keys);
  if (set.encryption !== 'none' && !keys.passphrase && !keys.identities?.length) {
    return { ok: true, message: null, skipped: 'the set is encrypted and no key was given (use --passphrase-env or --identity)' };
  }
  const source = ctx.catalog.sources.find(set.server);
  if (!source || source.kind !== set.engine) return { ok: true, message: null, skipped: `no ${set.engine} source named '${set.server}' is configured to provide the engine's tools` };
  const started = new Date().toISOString();
  const workDir = path.join(ctx.home.work, `verify-${set.id}-${process.pid}`);
  fs.mkdirSync(workDir, { recursive: true, mode: 0o700 });
  const engine = openEngine(ctx, source);
  const target = await openTarget(ctx, ctx.catalog.targets.get(copy.targetId), { mediaId: copy.mediaId });
  try {
    const r = await engine.verify({
      manifest: setManifest(set), workDir,
      openArtifact: (name) => openArtifact(target, set.path, set.artifacts.find((a) => a.name === name)!, keys),
    });
    ctx.catalog.verifications.add({ setId: set.id, copyId: copy.copyId, level: 2, result: r.ok ? 'passed' : 'failed', startedAt: started, finishedAt: new Date().toISOString(), triggeredBy: opts.triggeredBy, runId: opts.runId, detail: { ...r.detail, message: r.message ?? null } });
    return { ok: r.ok, message: r.message ?? null, skipped: null };
  } catch (err) {
    const message = causeOf(err);
    ctx.catalog.verifications.add({ setId: set.id, copyId: copy.copyId, level: 2, result: 'failed', startedAt: started, finishedAt: new Date().toISOString(), triggeredBy: opts.triggeredBy, runId: opts.runId, detail: { message } });
    if (isLifeboatError(err) && err.code !== 'VERIFY_MISMATCH' && err.code !== 'DECRYPT_FAILED') throw err;
    return { ok: false, message, skipped: null };
  } finally {
    await target.close().catch(() => undefined);
    await engine.close().catch(() => undefined);
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

/** A verify run over several sets: recorded as a run; fails with VERIFY_MISMATCH naming the first bad file. */
export async function verifySets(ctx: CoreContext, setIds: string[], opts: { engineLevel: boolean; keys?: DecryptionKeys; trigger: string }): Promise<{ runId: string; results: SetVerification[] }> {
  const runId = ctx.catalog.runs.begin({ kind: 'verify', trigger: opts.trigger, detail: { setIds } });
  const audit = (outcome: 'success' | 'failure', reason: string | null, results: SetVerification[]) => ctx.catalog.audit.append({
    actor: ctx.actor, action: 'run.verify', object: setIds.join(','), outcome, reason,
    detail: { runId, trigger: opts.trigger, results: results.map((r) => ({ setId: r.setId, ok: r.ok, copies: r.copies.map((c) => ({ target: c.targetName, ok: c.ok, problem: c.problem })) })) },
  });
  ctx.events.emitEvent('run.started', { runId, kind: 'verify', jobId: null, database: null });
  const results: SetVerification[] = [];
  try {
    for (const id of setIds) {
      ctx.events.emitEvent('run.progress', { runId, phase: 'verify', message: id });
      results.push(await verifySet(ctx, id, { engineLevel: opts.engineLevel, ...(opts.keys ? { keys: opts.keys } : {}), triggeredBy: `${opts.trigger}:${ctx.actor}`, runId }));
    }
    const bad = results.find((r) => !r.ok);
    if (bad) {
      const copy = bad.copies.find((c) => !c.ok && c.failure !== 'away') ?? bad.copies.find((c) => !c.ok);
      const mismatch = bad.copies.some((c) => c.failure === 'mismatch') || (bad.engine !== null && !bad.engine.ok);
      const e = new LifeboatError(mismatch ? 'VERIFY_MISMATCH' : 'TARGET_UNREACHABLE', {
        verb: 'verify', thing: 'set', where: `${bad.setId} (${bad.database})`,
        cause: copy ? `copy on '${copy.targetName}': ${copy.problem}` : bad.copies.length === 0 ? 'no copy is present' : `engine check: ${bad.engine?.message}`,
      });
      ctx.catalog.runs.finish(runId, { status: 'failed', errorCode: e.code, errorMessage: e.message });
      audit('failure', e.message, results);
      ctx.events.emitEvent('run.finished', { runId, kind: 'verify', status: 'failed', errorCode: e.code, errorMessage: e.message });
      return { runId, results };
    }
    ctx.catalog.runs.finish(runId, { status: 'succeeded' });
    audit('success', null, results);
    ctx.events.emitEvent('run.finished', { runId, kind: 'verify', status: 'succeeded' });
    return { runId, results };
  } catch (err) {
    const message = causeOf(err);
    ctx.catalog.runs.finish(runId, { status: 'failed', errorCode: isLifeboatError(err) ? err.code : 'INTERNAL', errorMessage: message });
    ctx.events.emitEvent('run.finished', { runId, kind: 'verify', status: 'failed', errorMessage: message });
    throw err;
  }
}
