import fs from 'node:fs';
import path from 'node:path';
import type { CoreContext } from '../context.ts';
import type { SetRecord } from '../catalog/sets-repo.ts';
import type { DecryptionKeys } from '../pipeline/age-crypt.ts';
import type { Probe } from '../repo/manifest.ts';
import type { Target } from '../targets/target.ts';
import type { DatabaseEngine } from '../engines/engine.ts';
import { openEngine, openTarget } from '../open-drivers.ts';
import { LifeboatError, causeOf, isLifeboatError } from '../errors/lifeboat-error.ts';
import { openArtifact } from '../verify/open-artifact.ts';
import { setManifest } from '../verify/verify-set.ts';
import { decryptionKeysFor, encryptionSpecForJob } from '../runner/encryption.ts';
import { runBackup } from '../runner/run-backup.ts';
import { DEFAULT_JOB_OPTIONS } from '../catalog/jobs-repo.ts';
import { integrityGate, type GateResult } from './integrity-gate.ts';
import { utcStamp } from '../util/ids.ts';
import { needsFirstAdmin } from '../audit/users.ts';
import { requireSignature, restoreObject } from '../audit/esign.ts';

export interface RestoreRequest {
  /** A set id; or a database (with `at`) for which the engine plans the sets. */
  setId?: string;
  database?: string;
  at?: Date;
  /** The source (server) to restore to; default: the set's own source. */
  sourceName?: string;
  /** New database name; default "<database>_restored_<stamp>". Ignored with overwrite. */
  as?: string;
  overwrite?: boolean;
  /** Overwriting needs this explicit confirmation. */
  confirm?: boolean;
  overrideReason?: string | null;
  preferTargetId?: string | null;
  keys?: DecryptionKeys;
  jobs?: number;
  noOwner?: boolean;
  requestedBy?: string;
  /** E-signature for restoring over a database (signAction 'restore.overwrite' on '<source>/<database>'). */
  signatureId?: string | null;
  onPhase?: (phase: string) => void;
}

export interface ProbeComparison { schema: string; table: string; expected: number; actual: number; ok: boolean }

export interface RestoreResult {
  restoreId: string;
  runId: string;
  setIds: string[];
  database: string;
  destination: string;
  mode: 'new' | 'overwrite';
  durationMs: number;
  copyTarget: string;
  overridden: boolean;
  safetySetId: string | null;
  probes: ProbeComparison[];
}

export function compareProbes(expected: Probe[], actual: Probe[]): ProbeComparison[] {
  return expected.map((e) => {
    const a = actual.find((x) => x.schema === e.schema && x.table === e.table);
    const n = a ? a.rows : -1;
    return { schema: e.schema, table: e.table, expected: e.rows, actual: n, ok: n === e.rows };
  });
}

/**
 * The restore: plan → integrity gate on every file → (overwrite: safety backup of the current database)
 * → engine restore → row-count probes against the manifest. The measured duration is the RTO evidence.
 */
export async function restoreSet(ctx: CoreContext, req: RestoreRequest): Promise<RestoreResult> {
  const plan = planSets(ctx, req);
  const last = plan[plan.length - 1]!;
  const sourceRec = ctx.catalog.sources.find(req.sourceName ?? last.server);
  if (!sourceRec) {
    throw new LifeboatError('NOT_FOUND', { verb: 'restore', thing: 'set', where: last.id, cause: `no source named '${req.sourceName ?? last.server}' is configured to restore to`, hint: 'add the server with "lifeboat source add", or pass --to <source>' });
  }
  if (req.overwrite && !req.confirm) {
    throw new LifeboatError('CONFIRMATION_REQUIRED', { verb: 'restore over', thing: 'database', where: last.database, cause: 'restoring over an existing database needs explicit confirmation', hint: 'add --confirm; a safety backup of the current database is taken first' });
  }
  const mode: 'new' | 'overwrite' = req.overwrite ? 'overwrite' : 'new';
  const destination = mode === 'overwrite' ? last.database : (req.as ?? `${last.database}_restored_${utcStamp(new Date()).toLowerCase()}`);
  const t0 = Date.now();
  const runId = ctx.catalog.runs.begin({ kind: 'restore', databaseName: last.database, trigger: 'manual', detail: { setIds: plan.map((s) => s.id), destination, mode } });
  const restoreId = ctx.catalog.restores.begin({ runId, setId: last.id, sourceId: sourceRec.id, destination, mode, requestedBy: req.requestedBy ?? ctx.actor, overrideReason: req.overrideReason ?? null });
  ctx.events.emitEvent('run.started', { runId, kind: 'restore', jobId: null, database: last.database });
  const phase = (p: string) => { req.onPhase?.(p); ctx.events.emitEvent('run.progress', { runId, phase: p }); };
  const engine = openEngine(ctx, sourceRec);
  const targets: Target[] = [];
  const workDir = path.join(ctx.home.work, runId);
  fs.mkdirSync(workDir, { recursive: true, mode: 0o700 });
  let safetySetId: string | null = null;
  try {
    // Part 11: once the site has user accounts, restoring over a database needs an e-signature, bound to this restore.
    if (mode === 'overwrite' && !needsFirstAdmin(ctx)) requireSignature(ctx, req.signatureId, 'restore.overwrite', restoreObject(sourceRec.name, destination), { usedFor: restoreId });
    // Integrity gate: every file of every set in the plan, on the copy that will be read.
    phase('integrity');
    const gates: GateResult[] = [];
    for (const s of plan) gates.push(await integrityGate(ctx, s, { preferTargetId: req.preferTargetId ?? null, overrideReason: req.overrideReason ?? null, triggeredBy: `restore:${ctx.actor}`, runId }));
    const overridden = gates.some((g) => g.overridden);
    if (overridden) {
      ctx.catalog.audit.append({ actor: req.requestedBy ?? ctx.actor, action: 'restore.integrity-override', object: last.id, outcome: 'success', reason: req.overrideReason ?? null, detail: { problems: gates.flatMap((g) => g.checked.filter((c) => !c.ok).map((c) => `${c.targetName}: ${c.problem}`)) } });
    }
    const targetBySet = new Map<string, Target>();
    for (let i = 0; i < plan.length; i++) {
      const t = await openTarget(ctx, ctx.catalog.targets.get(gates[i]!.copy.targetId), { mediaId: gates[i]!.copy.mediaId });
      targets.push(t);
      targetBySet.set(plan[i]!.id, t);
    }
    const keys = decryptionKeysFor(ctx, last, req.keys);

    let restoreInto = destination;
    if (mode === 'overwrite') {
      phase('safety-backup');
      safetySetId = await safetyBackup(ctx, sourceRec.id, last, gates[gates.length - 1]!.copy.targetId);
      restoreInto = `${last.database}__lb_restore_${Date.now().toString(36)}`.slice(0, 63);
    } else if (await engine.databaseExists(destination)) {
      throw new LifeboatError('ALREADY_EXISTS', { verb: 'restore into', thing: 'database', where: destination, cause: 'a database with that name exists', hint: 'choose another name with --as, or restore over it with --overwrite --confirm' });
    }

    phase('restore');
    const byId = new Map(plan.map((s) => [s.id, s]));
    await engine.restore({
      manifests: plan.map(setManifest), destination: restoreInto, stopAt: req.at ?? null, jobs: req.jobs ?? 2, noOwner: req.noOwner ?? false,
      workDir, logger: ctx.logger.child({ runId }), onPhase: phase,
      openArtifact: (setId, name) => {
        const s = byId.get(setId)!;
        return openArtifact(targetBySet.get(setId)!, s.path, s.artifacts.find((a) => a.name === name)!, keys);
      },
    });

    phase('post-checks');
    const probes = compareProbes(last.probes, await engine.countRows(restoreInto, last.probes));
    const bad = probes.filter((p) => !p.ok);
    if (bad.length && plan.length === 1) {
      if (mode === 'overwrite') await engine.dropDatabase(restoreInto).catch(() => undefined);
      throw new LifeboatError('PROBE_MISMATCH', {
        verb: 'check', thing: 'restored database', where: restoreInto,
        cause: bad.map((p) => `${p.schema}.${p.table}: ${p.actual} rows, the backup had ${p.expected}`).join('; '),
        hint: mode === 'overwrite' ? 'the original database was left untouched' : 'the restored database was kept for inspection',
      });
    }
    if (mode === 'overwrite') {
      phase('swap');
      await swapIn(engine, restoreInto, destination);
    }
    const durationMs = Date.now() - t0;
    ctx.catalog.restores.finish(restoreId, { status: 'succeeded', durationMs, safetySetId, detail: { probes, copyTarget: gates[gates.length - 1]!.copy.targetName, overridden } });
    ctx.catalog.runs.finish(runId, { status: 'succeeded' });
    ctx.catalog.audit.append({ actor: req.requestedBy ?? ctx.actor, action: mode === 'overwrite' ? 'restore.overwrite' : 'restore.new', object: destination, outcome: 'success', reason: req.overrideReason ?? null, detail: { setIds: plan.map((s) => s.id), durationMs, safetySetId } });
    ctx.events.emitEvent('run.finished', { runId, kind: 'restore', status: 'succeeded' });
    return { restoreId, runId, setIds: plan.map((s) => s.id), database: last.database, destination, mode, durationMs, copyTarget: gates[gates.length - 1]!.copy.targetName, overridden, safetySetId, probes };
  } catch (err) {
    const e = isLifeboatError(err) ? err : new LifeboatError('INTERNAL', { verb: 'restore', thing: 'database', where: destination, cause: causeOf(err) });
    ctx.catalog.restores.finish(restoreId, { status: 'failed', durationMs: Date.now() - t0, safetySetId, detail: { error: e.message } });
    ctx.catalog.runs.finish(runId, { status: 'failed', errorCode: e.code, errorMessage: e.message });
    ctx.catalog.audit.append({ actor: req.requestedBy ?? ctx.actor, action: mode === 'overwrite' ? 'restore.overwrite' : 'restore.new', object: destination, outcome: e.code === 'INTEGRITY_GATE' ? 'refused' : 'failure', reason: req.overrideReason ?? null, detail: { error: e.message } });
    ctx.events.emitEvent('run.finished', { runId, kind: 'restore', status: 'failed', errorCode: e.code, errorMessage: e.message });
    throw e;
  } finally {
    for (const t of targets) await t.close().catch(() => undefined);
    await engine.close().catch(() => undefined);
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

function planSets(ctx: CoreContext, req: RestoreRequest): SetRecord[] {
  if (req.setId) {
    const set = ctx.catalog.sets.get(req.setId);
    if (set.type === 'full' || set.type === 'copy-only') return [set];
    // A differential or log needs its chain: plan up to this set's end.
    return planFor(ctx, set.database, set.server, new Date(set.finishedAt), req.sourceName);
  }
  if (!req.database) throw new LifeboatError('USAGE', { verb: 'restore', thing: 'database', cause: 'name a set id or a database' });
  return planFor(ctx, req.database, undefined, req.at, req.sourceName);
}

function planFor(ctx: CoreContext, database: string, server: string | undefined, at: Date | undefined, sourceName: string | undefined): SetRecord[] {
  const sets = ctx.catalog.sets.list({ database, ...(server ? { server } : {}) }).filter((s) => s.copies.some((c) => c.status === 'present'));
  if (sets.length === 0) throw new LifeboatError('NOT_FOUND', { verb: 'restore', thing: 'database', where: database, cause: 'the catalog has no set of it' });
  const servers = [...new Set(sets.map((s) => s.server))];
  if (servers.length > 1 && !server) throw new LifeboatError('USAGE', { verb: 'restore', thing: 'database', where: database, cause: `sets of that name come from several servers (${servers.join(', ')}); name a set id` });
  const src = ctx.catalog.sources.find(sourceName ?? sets[0]!.server);
  if (!src) throw new LifeboatError('NOT_FOUND', { verb: 'plan', thing: 'restore', where: database, cause: `no source named '${sets[0]!.server}' is configured` });
  const engine = openEngine(ctx, src);
  const plan = engine.planRestore(sets.map((s) => ({ id: s.id, type: s.type, startedAt: s.startedAt, finishedAt: s.finishedAt, chain: s.chain, parentSetId: s.parentSetId })), at);
  if (plan.gap || plan.sets.length === 0) throw new LifeboatError('CHAIN_BROKEN', { verb: 'plan', thing: 'restore', where: database, cause: plan.gap ?? 'no set fits' });
  return plan.sets.map((id) => ctx.catalog.sets.get(id));
}

async function safetyBackup(ctx: CoreContext, sourceId: string, set: SetRecord, targetId: string): Promise<string> {
  const job = set.jobId ? ctx.catalog.jobs.find(set.jobId) : undefined;
  const r = await runBackup(ctx, {
    jobId: null, jobName: null, source: ctx.catalog.sources.get(sourceId), targets: [ctx.catalog.targets.get(targetId)], database: set.database,
    type: 'full', options: job?.options ?? DEFAULT_JOB_OPTIONS, encryption: job ? encryptionSpecForJob(ctx, job) : { mode: 'none' }, trigger: 'safety', tags: ['safety'],
  });
  if (r.status === 'failed' || !r.setId) {
    throw new LifeboatError('ENGINE_FAILED', { verb: 'take', thing: 'safety backup of', where: set.database, cause: r.error?.message ?? 'unknown', hint: 'the current database was not touched; fix the cause or restore under a new name' });
  }
  return r.setId;
}

/** Puts the restored copy in place of the original: the original is renamed aside, then dropped. */
async function swapIn(engine: DatabaseEngine, restored: string, original: string): Promise<void> {
  const e = engine;
  if (!e.renameDatabase) throw new LifeboatError('ENGINE_UNSUPPORTED', { verb: 'restore over', thing: 'database', where: original, cause: 'the engine cannot rename databases' });
  const aside = `${original}__lb_replaced_${Date.now().toString(36)}`.slice(0, 63);
  if (await engine.databaseExists(original)) await e.renameDatabase(original, aside);
  try {
    await e.renameDatabase(restored, original);
  } catch (err) {
    await e.renameDatabase(aside, original).catch(() => undefined);
    throw err;
  }
  await engine.dropDatabase(aside);
}
