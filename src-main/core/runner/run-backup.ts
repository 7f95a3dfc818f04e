import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { CoreContext } from '../context.ts';
import type { ConfigRecord } from '../catalog/config-repo.ts';
import type { BackupType, JobOptions } from '../catalog/jobs-repo.ts';
import type { ArtifactEntry, Manifest } from '../repo/manifest.ts';
import type { Target } from '../targets/target.ts';
import type { DatabaseEngine, PlannableSet } from '../engines/engine.ts';
import { SealSource, type DecryptionKeys, type EncryptionSpec } from '../pipeline/age-crypt.ts';
import { manifestText } from '../repo/manifest.ts';
import { manifestPath, setPath } from '../repo/layout.ts';
import { ensureRepoJson } from '../repo/repo-json.ts';
import { storePipeline } from '../pipeline/store-pipeline.ts';
import { prepareProgramStore, type ProgramSpec, type ProgramStore } from '../pipeline/store-program.ts';
import { openArtifact } from '../verify/open-artifact.ts';
import { tee } from '../pipeline/tee.ts';
import { checkCopy, type CopyCheck } from '../verify/check-copy.ts';
import { openEngine, openTarget } from '../open-drivers.ts';
import { newId } from '../util/ids.ts';
import { causeOf, isLifeboatError, LifeboatError } from '../errors/lifeboat-error.ts';
import { schemeOf } from './encryption.ts';
import { beginExclusiveRun } from './job-lock.ts';
import { removeSetObjects } from './remove-set-objects.ts';
import { mediaOf } from '../targets/usb/usb-target.ts';
import { recordMediaUse } from '../targets/usb/eject-disk.ts';
import { createHash } from 'node:crypto';

export interface BackupSpec {
  jobId: string | null;
  jobName: string | null;
  source: ConfigRecord;
  targets: ConfigRecord[];
  database: string;
  type: BackupType;
  options: JobOptions;
  encryption: EncryptionSpec;
  trigger: string;
  tags?: string[];
  signal?: AbortSignal;
}

export interface CopyOutcome {
  targetId: string;
  targetName: string;
  ok: boolean;
  error: { code: string; message: string } | null;
  check: CopyCheck | null;
}

export interface BackupResult {
  runId: string;
  status: 'succeeded' | 'partial' | 'failed';
  database: string;
  setId: string | null;
  setPath: string | null;
  type: BackupType;
  bytes: number;
  durationMs: number;
  copies: CopyOutcome[];
  error: { code: string; message: string; hint?: string } | null;
  warnings: string[];
}

interface LiveTarget { rec: ConfigRecord; target: Target; error: LifeboatError | null }

/**
 * One backup of one database (DESIGN §4): dump → hash → compress → encrypt → every target at once →
 * verify each copy → MANIFEST.json last → record set and copies. Any failure before the manifest leaves
 * no listed set and removes what was written; a target that fails alone is reported, the others go on.
 */
export async function runBackup(ctx: CoreContext, spec: BackupSpec): Promise<BackupResult> {
  const t0 = Date.now();
  const runId = beginExclusiveRun(ctx, { kind: 'backup', jobId: spec.jobId, databaseName: spec.database, trigger: spec.trigger });
  ctx.events.emitEvent('run.started', { runId, kind: 'backup', jobId: spec.jobId, database: spec.database });
  const log = ctx.logger.child({ runId, database: spec.database });
  const workDir = path.join(ctx.home.work, runId);
  fs.mkdirSync(workDir, { recursive: true, mode: 0o700 });
  const result: BackupResult = { runId, status: 'failed', database: spec.database, setId: null, setPath: null, type: spec.type, bytes: 0, durationMs: 0, copies: [], error: null, warnings: [] };
  let engine: DatabaseEngine | null = null;
  let programs: ProgramStore | null = null;
  // Settles (never rejects) once every target has been opened or has failed to; `live` is complete from then on.
  let opening: Promise<void> = Promise.resolve();
  const live: LiveTarget[] = [];
  let setDir: string | null = null;
  let recorded = false;
  // Files the database server wrote into staging: removed once the set is recorded, and also when the run
  // fails (a broken log chain that this leaves is caught by the engine's escalation on the next run).
  const stagedFiles: string[] = [];
  try {
    engine = openEngine(ctx, spec.source);
    const streams = engine.capabilities.artifact === 'stream';
    programs = prepareProgramStore(workDir, { warm: streams });
    const seals = spec.encryption.mode === 'none' ? null : new SealSource(spec.encryption);
    // Targets: all opened at once, each on its own; one that cannot be reached is reported, not fatal. An engine
    // that streams connects and takes its snapshot meanwhile (an SSH handshake need not wait for it, nor it for
    // that); one whose server writes files first waits, so an unreachable target never costs the server a backup.
    opening = openTargets(ctx, spec.targets).then((opened) => { live.push(...opened); });
    const targetsUsable = opening.then(() => {
      if (!live.some((l) => !l.error)) throw firstError(live) ?? new LifeboatError('CONFIG_INVALID', { verb: 'back up', thing: 'database', where: spec.database, cause: 'the job has no target' });
    });
    targetsUsable.catch(() => undefined);
    if (!streams) await targetsUsable;
    const history: PlannableSet[] = ctx.catalog.sets.list({ database: spec.database, server: spec.source.name })
      .map((s) => ({ id: s.id, type: s.type, startedAt: s.startedAt, finishedAt: s.finishedAt, chain: s.chain, parentSetId: s.parentSetId }));
    const baseReq = {
      database: spec.database, type: spec.type, probeTables: spec.options.probeTables, history, includeGlobals: spec.options.includeGlobals,
      includeRolePasswords: spec.options.includeRolePasswords, workDir, logger: log,
      ...(spec.signal ? { signal: spec.signal } : {}),
      onProgress: (p: { phase: string; percent?: number; bytes?: number }) => ctx.events.emitEvent('run.progress', { runId, ...p }),
    };
    let resolved: { type: BackupType; escalatedBecause?: string; parentSetId: string | null } = { type: spec.type, parentSetId: null };
    if (engine.resolveBackupType) resolved = await engine.resolveBackupType(baseReq);
    result.type = resolved.type;
    const setId = newId('set');
    const startedAt = new Date();
    setDir = setPath(spec.source.name, spec.database, startedAt, resolved.type, setId);
    result.setId = setId;
    result.setPath = setDir;
    ctx.catalog.runs.mergeDetail(runId, { setId, setPath: setDir, targetIds: spec.targets.map((t) => t.id), type: resolved.type, ...(resolved.escalatedBecause ? { escalatedBecause: resolved.escalatedBecause } : {}) });


    // Dump and ship.
    const dumpPhase = ctx.catalog.runs.beginPhase(runId, 'dump');
    // An engine may ship artifacts side by side; the manifest lists them in the order they were begun.
    const slots: ArtifactEntry[] = [];
    // Each stored file's key, kept only for the engine check below (see keysFor).
    const fileKeys = new Map<string, Uint8Array>();
    let begun = 0;
    const ship = async (name: string, role: string, raw: Readable | ProgramSpec, alreadyCompressed: boolean) => {
      const slot = begun++;
      await targetsUsable;
      const compression = alreadyCompressed ? 'none' : 'zstd';
      const storedName = `${name}${compression === 'zstd' ? '.zst' : ''}${spec.encryption.mode !== 'none' ? '.age' : ''}`;
      const storeOpts = { compression, compressionLevel: spec.options.compressionLevel, encryption: spec.encryption, seals } as const;
      const { stream, done, fileKey } = raw instanceof Readable ? await storePipeline(raw, storeOpts) : await programs!.store(raw, storeOpts);
      if (fileKey) fileKeys.set(storedName, fileKey);
      const writers = live.filter((l) => !l.error);
      const branches = tee(stream, writers.length);
      let shipped = 0;
      stream.on('data', (c: Buffer) => {
        shipped += c.length;
        if (shipped % (16 * 1024 * 1024) < c.length) ctx.events.emitEvent('run.progress', { runId, phase: 'dump', bytes: result.bytes + shipped, message: storedName });
      });
      const puts = writers.map((w, i) => w.target.put(`${setDir}/${storedName}`, branches[i]!, spec.signal ? { signal: spec.signal } : {}).then(
        () => undefined,
        (err: unknown) => { w.error = asLifeboat(err, 'write', 'artifact', `${w.rec.name}: ${setDir}/${storedName}`); },
      ));
      const [digestResult] = await Promise.allSettled([done, Promise.all(puts)]);
      // Every target failing is the cause even when the source then broke off; otherwise the source side
      // failing (the engine's tool died) fails the set everywhere.
      if (!live.some((l) => !l.error)) throw firstError(live)!;
      if (digestResult.status === 'rejected') throw digestResult.reason;
      const digest = digestResult.value;
      slots[slot] = { name: storedName, role, bytes: digest.bytes, sha256: digest.sha256, rawBytes: digest.rawBytes, rawSha256: digest.rawSha256, compression, encryption: spec.encryption.mode === 'none' ? 'none' : 'age' };
      result.bytes += digest.bytes;
    };
    const outcome = await engine.backup({ ...baseReq, type: resolved.type }, {
      stream: (name, role, data) => ship(name, role, data, false),
      program: (name, role, program) => ship(name, role, program, false),
      file: async (name, role, file, opts) => {
        stagedFiles.push(file);
        await ship(name, role, fs.createReadStream(file), Boolean(opts?.compressed));
      },
    });
    await targetsUsable;
    const artifacts = slots.filter(Boolean);
    result.warnings.push(...outcome.warnings);
    ctx.catalog.runs.endPhase(runId, dumpPhase, { status: 'succeeded', bytes: result.bytes });

    // Verify every copy (L1) and, meanwhile, the engine's own check (L2) on the first copy; L2 stands only for a copy
    // that L1 passed, so when that one fails it is repeated on the first copy that passed.
    const verifyPhase = ctx.catalog.runs.beginPhase(runId, 'verify');
    ctx.events.emitEvent('run.progress', { runId, phase: 'verify' });
    const verifiedAt = new Date().toISOString();
    const manifestDraft = (finishedAt: string): Manifest => ({
      format: 'lifeboat-set', formatVersion: 1, setId, engine: engine!.kind, server: spec.source.name, database: spec.database,
      serverVersion: outcome.serverVersion, type: outcome.type, parentSetId: outcome.parentSetId ?? resolved.parentSetId,
      chain: outcome.chain, startedAt: startedAt.toISOString(), finishedAt, toolVersions: outcome.toolVersions, appVersion: ctx.appVersion,
      encryption: { scheme: schemeOf(spec.encryption), ...(spec.encryption.mode === 'recipients' ? { recipients: spec.encryption.recipients } : {}) },
      artifacts, probes: outcome.probes, tags: spec.tags ?? [], job: spec.jobName,
    });
    // L2 reads the stored bytes back through decryption, with the key the run sealed each file with: so also a set
    // encrypted to recipients, of whose keys Lifeboat holds only the public half (a later verify needs the identity).
    const engineCheck = (l: LiveTarget) => engine!.verify({
      manifest: manifestDraft(new Date().toISOString()), workDir,
      openArtifact: (name) => openArtifact(l.target, setDir!, artifacts.find((x) => x.name === name)!, keysFor(spec.encryption, fileKeys.get(name))),
    });
    const first = live.find((l) => !l.error);
    if (!first) throw firstError(live)!;
    const firstCheck = engineCheck(first);
    firstCheck.catch(() => undefined);
    const checks = new Map<LiveTarget, CopyCheck>();
    // Every copy is read back at once: each target is a disk or a server of its own.
    await Promise.all(live.filter((x) => !x.error).map(async (l) => {
      const check = await checkCopy(l.target, setDir!, artifacts);
      checks.set(l, check);
      if (!check.ok) l.error = new LifeboatError('VERIFY_MISMATCH', { verb: 'verify', thing: 'copy', where: `${l.rec.name}: ${setDir}`, cause: check.problem ?? 'mismatch' });
    }));
    const good = live.filter((l) => !l.error);
    if (good.length === 0) {
      await firstCheck.catch(() => undefined);
      throw firstError(live)!;
    }
    const l2 = good[0] === first ? await firstCheck : await firstCheck.catch(() => undefined).then(() => engineCheck(good[0]!));
    if (!l2.ok) throw new LifeboatError('VERIFY_MISMATCH', { verb: 'verify', thing: 'set', where: setDir, cause: `engine check failed: ${l2.message ?? 'unknown'}` });
    ctx.catalog.runs.endPhase(runId, verifyPhase, { status: 'succeeded' });

    // MANIFEST.json last: from this moment the set exists on that target.
    const manifest = manifestDraft(new Date().toISOString());
    const text = manifestText(manifest);
    const manifestSha256 = createHash('sha256').update(text).digest('hex');
    await Promise.all(good.map(async (l) => {
      try {
        await l.target.put(manifestPath(setDir!), Readable.from([Buffer.from(text)]));
      } catch (err) {
        l.error = asLifeboat(err, 'write', 'manifest', `${l.rec.name}: ${setDir}`);
      }
    }));
    const stored = live.filter((l) => !l.error);
    if (stored.length === 0) throw firstError(live)!;
    ctx.catalog.db.transaction(() => {
      // A copy on a rotated disk names the disk, so custody, re-verification and retention follow the disk.
      const set = ctx.catalog.sets.record({ manifest, path: setDir!, manifestSha256, runId, jobId: spec.jobId, copies: stored.map((l) => ({ targetId: l.rec.id, mediaId: mediaOf(l.target)?.id ?? null })) });
      for (const l of stored) recordMediaUse(ctx, l.rec.id, l.target, { written: true });
      for (const l of stored) {
        const copy = set.copies.find((c) => c.targetId === l.rec.id)!;
        const check = checks.get(l)!;
        ctx.catalog.verifications.add({ setId, copyId: copy.id, level: 1, result: 'passed', startedAt: verifiedAt, finishedAt: new Date().toISOString(), triggeredBy: `backup:${spec.trigger}`, runId, detail: { artifacts: check.artifacts.map((a) => ({ name: a.name, sha256: a.actual, remote: a.remote })) } });
      }
      ctx.catalog.verifications.add({ setId, copyId: null, level: 2, result: 'passed', startedAt: verifiedAt, finishedAt: new Date().toISOString(), triggeredBy: `backup:${spec.trigger}`, runId, detail: l2.detail });
    })();
    recorded = true;
    ctx.events.emitEvent('set.recorded', { setId, database: spec.database, server: spec.source.name });

    // Targets that failed lose what was written for this set.
    for (const l of live.filter((x) => x.error && x.target)) await removeSetObjects(l.target, setDir).catch(() => undefined);
    result.copies = live.map((l) => ({ targetId: l.rec.id, targetName: l.rec.name, ok: !l.error, error: l.error ? { code: l.error.code, message: l.error.message } : null, check: checks.get(l) ?? null }));
    const failed = live.filter((l) => l.error);
    result.status = failed.length ? 'partial' : 'succeeded';
    if (failed.length) {
      const e = failed[0]!.error!;
      result.error = { code: e.code, message: failed.map((f) => f.error!.message).join('; ') };
    }
    ctx.catalog.runs.finish(runId, { status: result.status, ...(result.error ? { errorCode: result.error.code, errorMessage: result.error.message } : {}) });
  } catch (err) {
    const e = spec.signal?.aborted
      ? new LifeboatError('INTERRUPTED', { verb: 'complete', thing: 'backup run', where: runId, cause: 'interrupted (it was stopped before it finished)' })
      : asLifeboat(err, 'back up', 'database', `${spec.database} on ${spec.source.name}`);
    log.log('error', e.message, { code: e.code });
    // Targets still being opened when the engine failed are waited for: what they hold is cleaned and closed.
    await opening;
    if (!recorded && setDir) {
      for (const l of live.filter((x) => x.target)) await removeSetObjects(l.target, setDir).catch(() => undefined);
    }
    result.status = 'failed';
    result.error = { code: e.code, message: e.message, ...(e.hint ? { hint: e.hint } : {}) };
    result.copies = live.map((l) => ({ targetId: l.rec.id, targetName: l.rec.name, ok: false, error: l.error ? { code: l.error.code, message: l.error.message } : { code: e.code, message: e.message }, check: null }));
    ctx.catalog.runs.finish(runId, { status: 'failed', errorCode: e.code, errorMessage: e.message });
  } finally {
    for (const f of stagedFiles) fs.rmSync(f, { force: true });
    await opening;
    for (const l of live) if (l.target) await l.target.close().catch(() => undefined);
    await engine?.close().catch(() => undefined);
    programs?.close();
    fs.rmSync(workDir, { recursive: true, force: true });
    result.durationMs = Date.now() - t0;
    ctx.catalog.runs.mergeDetail(runId, { bytes: result.bytes, durationMs: result.durationMs, warnings: result.warnings, copies: result.copies.map((c) => ({ target: c.targetName, ok: c.ok, error: c.error?.message ?? null })) });
    ctx.catalog.audit.append({
      actor: spec.trigger === 'schedule' || spec.trigger === 'catch-up' || spec.trigger === 'retry' ? 'scheduler' : ctx.actor, action: 'run.backup', object: `${spec.source.name}/${spec.database}`,
      outcome: result.status === 'failed' ? 'failure' : 'success', reason: result.error?.message ?? null,
      detail: { runId, job: spec.jobName, trigger: spec.trigger, setId: result.setId, status: result.status, bytes: result.bytes, copies: result.copies.map((c) => ({ target: c.targetName, ok: c.ok })) },
    });
    ctx.events.emitEvent('run.finished', { runId, kind: 'backup', status: result.status, errorCode: result.error?.code ?? null, errorMessage: result.error?.message ?? null });
  }
  return result;
}

/** Opens every target at once, in the job's order; one that fails carries its error (and, if it opened, its handle). */
function openTargets(ctx: CoreContext, recs: ReadonlyArray<ConfigRecord>): Promise<LiveTarget[]> {
  return Promise.all(recs.map(async (rec): Promise<LiveTarget> => {
    let target: Target | null = null;
    try {
      target = await openTarget(ctx, rec);
      await ensureRepoJson(target, ctx.site);
      return { rec, target, error: null };
    } catch (err) {
      return { rec, target: target as Target, error: asLifeboat(err, 'open', 'target', rec.name) };
    }
  }));
}

/**
 * The run checks what it stored with the file's own key when it has it: the passphrase's scrypt (a second or more
 * per file, the same derivation that made the header) would only be repeated. The header's MAC and the payload
 * are still checked with that key, and the stored bytes' SHA-256 ties them to what was sealed.
 */
function keysFor(spec: EncryptionSpec, fileKey: Uint8Array | undefined): DecryptionKeys {
  if (fileKey) return { fileKey };
  return spec.mode === 'passphrase' ? { passphrase: spec.passphrase } : {};
}

function firstError(live: LiveTarget[]): LifeboatError | null {
  return live.find((l) => l.error)?.error ?? null;
}

export function asLifeboat(err: unknown, verb: string, thing: string, where: string): LifeboatError {
  if (isLifeboatError(err)) return err;
  return new LifeboatError('INTERNAL', { verb, thing, where, cause: causeOf(err) });
}
