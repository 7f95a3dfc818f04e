import type { CoreContext } from '../context.ts';
import type { SetRecord } from '../catalog/sets-repo.ts';
import type { DrillCheck, DrillRecord } from '../catalog/drills-repo.ts';
import type { DecryptionKeys } from '../pipeline/age-crypt.ts';
import type { DatabaseEngine } from '../engines/engine.ts';
import { openEngine } from '../open-drivers.ts';
import { LifeboatError, causeOf, isLifeboatError } from '../errors/lifeboat-error.ts';
import type { ErrorCode } from '../errors/codes.ts';
import { restoreSet, type ProbeComparison } from '../restore/restore-set.ts';
import { scratchName } from './scratch-name.ts';
import { storedProbes, validateProbe, type ProbeQuery } from './probe-query.ts';
import { evaluateExpectation, parseExpectation, storedValue } from './probe-expectation.ts';
import { sendDrillOutcome, type DrillAlertSink } from './drill-alerts.ts';

export interface DrillRequest {
  /** The set to drill; or a database, whose newest restorable set is drilled. */
  setId?: string;
  database?: string;
  /** With `database`: the source name its sets carry, when several servers have a database of that name. */
  server?: string;
  /** With `database`: drill the chain up to this point in time (the engine plans it) instead of the newest set. */
  at?: Date;
  /** The source to restore onto (default: the set's own server). */
  scratchServer?: string;
  /** Probe queries for this drill, in addition to those stored for the database. */
  probes?: ProbeQuery[];
  trigger?: string;
  keys?: DecryptionKeys;
  probeTimeoutMs?: number;
  alerts?: DrillAlertSink;
  onPhase?: (phase: string) => void;
  /** The moment the drill counts from (RPO); the system clock by default. */
  now?: () => Date;
}

export interface DrillResult extends DrillRecord {
  drillServer: string;
  verificationId: string | null;
  error: { code: ErrorCode; message: string } | null;
}

/**
 * A restore drill (verification level 3): restore a set through restoreSet — so through the integrity gate,
 * and never over anything (a fresh `lifeboat_drill_…` name) — onto the drill server, then check the copy:
 * row counts against the manifest, the engine's integrity check (amcheck, DBCC CHECKDB), and the user's
 * probe queries. The measured restore time is the RTO evidence; the set's age is the achieved RPO. The
 * scratch database is dropped whatever happened. A drill that fails is a result, not a throw: only a
 * request that cannot start (no such set or source) throws.
 */
export async function runDrill(ctx: CoreContext, req: DrillRequest): Promise<DrillResult> {
  const now = req.now ?? (() => new Date());
  let set = pickSet(ctx, req);
  const drillServer = ctx.catalog.sources.get(req.scratchServer ?? set.server).name;
  const probes = [...storedProbes(ctx, set.server, set.database), ...(req.probes ?? [])];
  for (const p of probes) validateProbe(p);
  const started = now();
  const scratch = scratchName(set.database, started);
  const trigger = req.trigger ?? 'manual';
  const repo = ctx.catalog.drills;
  const runId = ctx.catalog.runs.begin({ kind: 'drill', databaseName: set.database, trigger, detail: { setId: set.id, drillServer, scratchName: scratch } });
  // Written before anything touches the server: a crash from here on leaves the scratch name for cleanup.
  const drill = repo.begin({ runId, setId: set.id, server: set.server, database: set.database, scratchName: scratch, startedAt: started.toISOString() });
  ctx.events.emitEvent('run.started', { runId, kind: 'drill', jobId: null, database: set.database });
  const phase = (p: string) => { req.onPhase?.(p); ctx.events.emitEvent('run.progress', { runId, phase: p }); };

  const checks: DrillCheck[] = [];
  let restoreMs: number | null = null;
  let copyTarget: string | null = null;
  let error: LifeboatError | null = null;
  let restored = false;
  let dropError: string | null = null;
  const engine = openEngine(ctx, ctx.catalog.sources.get(drillServer));
  try {
    // A name that exists already is not ours: refuse rather than restore next to it or drop it later.
    if (await engine.databaseExists(scratch)) {
      throw new LifeboatError('ALREADY_EXISTS', { verb: 'drill', thing: 'set', where: set.id, cause: `a database named '${scratch}' exists on ${drillServer}` });
    }
    try {
      const r = await restoreSet(ctx, {
        ...(req.at ? { database: set.database, at: req.at } : { setId: set.id }), as: scratch, sourceName: drillServer, noOwner: true, requestedBy: ctx.actor,
        ...(req.keys ? { keys: req.keys } : {}), onPhase: (p) => phase(`restore: ${p}`),
      });
      restored = true;
      if (r.setIds.at(-1) !== set.id) {
        // A point in time: the plan decides which set ends the chain; that set is what was proven.
        set = ctx.catalog.sets.get(r.setIds.at(-1)!);
        repo.setSet(drill.id, set.id);
      }
      restoreMs = r.durationMs;
      copyTarget = r.copyTarget;
      checks.push({ kind: 'restore', name: 'restore', status: 'passed', detail: `restored ${r.setIds.length} set(s) from the copy on '${r.copyTarget}' in ${r.durationMs} ms` });
      // Restored to a point before the last set ended: its row counts describe a later moment.
      const comparable = !req.at || req.at.getTime() >= Date.parse(set.finishedAt);
      checks.push(...r.probes.map((p) => comparable ? rowCountCheck(p) : { ...rowCountCheck(p), status: 'skipped' as const, detail: `${p.actual} rows at ${req.at!.toISOString()}; the backup's count (${p.expected}) is of ${set.finishedAt}` }));
    } catch (err) {
      if (isLifeboatError(err, 'PROBE_MISMATCH')) {
        // The restore itself completed; its row counts did not match. Keep the evidence as checks.
        restored = true;
        restoreMs = restoreDuration(ctx, scratch);
        checks.push({ kind: 'restore', name: 'restore', status: 'passed', detail: 'the restore completed' });
        checks.push({ kind: 'row-count', name: 'row counts', status: 'failed', detail: err.message });
      } else {
        throw err;
      }
    }
    phase('integrity-check');
    checks.push(await integrityCheck(engine, scratch));
    if (probes.length) phase('probes');
    for (const p of probes) checks.push(await probeCheck(ctx, engine, scratch, set, p, req.at ?? new Date(set.finishedAt), req.probeTimeoutMs));
    const failed = checks.filter((c) => c.status === 'failed');
    if (failed.length) {
      error = new LifeboatError('DRILL_CHECK_FAILED', { verb: 'prove', thing: 'restore of', where: `${set.database} (set ${set.id})`, cause: failed.map((c) => `${c.name}: ${c.detail}`).join('; ') });
    }
  } catch (err) {
    error = isLifeboatError(err) ? err : new LifeboatError('INTERNAL', { verb: 'drill', thing: 'database', where: set.database, cause: causeOf(err) });
    if (!restored) checks.push({ kind: 'restore', name: 'restore', status: 'failed', detail: error.message });
  } finally {
    phase('drop-scratch');
    try {
      await engine.dropDatabase(scratch);
      if (await engine.databaseExists(scratch)) throw new Error('the database is still listed after DROP DATABASE');
      repo.markScratchDropped(drill.id);
    } catch (err) {
      dropError = `the scratch database '${scratch}' on ${drillServer} could not be dropped (${causeOf(err)}); it is retried at the next start`;
      ctx.logger.log('error', dropError, { runId });
    }
    await engine.close().catch(() => undefined);
  }

  const status = error ? 'failed' : 'succeeded';
  const achievedRpoMs = Math.max(0, started.getTime() - (req.at ?? new Date(set.finishedAt)).getTime());
  const errorMessage = [error?.message, dropError].filter(Boolean).join('; ') || null;
  repo.finish(drill.id, { status, restoreMs, achievedRpoMs, checks, errorMessage });
  const copyId = copyTarget ? set.copies.find((c) => ctx.catalog.targets.find(c.targetId)?.name === copyTarget)?.id ?? null : null;
  const ver = ctx.catalog.verifications.add({
    setId: set.id, copyId, level: 3, result: status === 'succeeded' ? 'passed' : 'failed', startedAt: started.toISOString(), finishedAt: new Date().toISOString(),
    triggeredBy: `drill:${trigger}:${ctx.actor}`, runId,
    detail: { drillId: drill.id, drillServer, scratchName: scratch, restoreMs, achievedRpoMs, checks: checks.map((c) => ({ name: c.name, status: c.status })), error: errorMessage },
  });
  ctx.catalog.runs.finish(runId, { status: status === 'succeeded' ? 'succeeded' : 'failed', ...(error ? { errorCode: error.code, errorMessage: error.message } : {}) });
  ctx.catalog.audit.append({
    actor: ctx.actor, action: 'drill.run', object: `${set.server}/${set.database}`, outcome: status === 'succeeded' ? 'success' : 'failure',
    detail: { drillId: drill.id, setId: set.id, drillServer, scratchName: scratch, restoreMs, achievedRpoMs, scratchDropped: dropError === null, error: errorMessage },
  });
  ctx.events.emitEvent('run.finished', { runId, kind: 'drill', status, ...(error ? { errorCode: error.code, errorMessage: error.message } : {}) });
  const record = repo.get(drill.id);
  await sendDrillOutcome(req.alerts, record);
  return { ...record, drillServer, verificationId: ver.id, error: error ? { code: error.code, message: error.message } : null };
}

function pickSet(ctx: CoreContext, req: DrillRequest): SetRecord {
  if (req.setId) return ctx.catalog.sets.get(req.setId);
  if (!req.database) throw new LifeboatError('USAGE', { verb: 'drill', thing: 'database', cause: 'name a set id or a database' });
  const sets = ctx.catalog.sets.list({ database: req.database, ...(req.server ? { server: req.server } : {}) })
    .filter((s) => s.copies.some((c) => c.status === 'present') && !s.tags.includes('safety') && (!req.at || Date.parse(s.startedAt) <= req.at.getTime()));
  if (sets.length === 0) throw new LifeboatError('NOT_FOUND', { verb: 'drill', thing: 'database', where: req.database, cause: 'the catalog has no set of it with a copy present' });
  const servers = [...new Set(sets.map((s) => s.server))];
  if (servers.length > 1) throw new LifeboatError('USAGE', { verb: 'drill', thing: 'database', where: req.database, cause: `sets of that name come from several servers (${servers.join(', ')}); name the server or a set id` });
  return sets[sets.length - 1]!;
}

function rowCountCheck(p: ProbeComparison): DrillCheck {
  return {
    kind: 'row-count', name: `rows ${p.schema}.${p.table}`, status: p.ok ? 'passed' : 'failed', expected: String(p.expected), actual: p.actual,
    detail: p.ok ? `${p.actual} rows, as in the backup` : `${p.actual < 0 ? 'the table is missing' : `${p.actual} rows`}, the backup had ${p.expected}`,
  };
}

function restoreDuration(ctx: CoreContext, scratch: string): number | null {
  return ctx.catalog.restores.list(20).find((r) => r.destination === scratch)?.durationMs ?? null;
}

async function integrityCheck(engine: DatabaseEngine, scratch: string): Promise<DrillCheck> {
  if (!engine.check) return { kind: 'integrity', name: 'integrity', status: 'skipped', detail: 'the engine has no integrity check' };
  try {
    const r = await engine.check(scratch);
    const tool = String(r.detail.tool ?? 'engine check');
    if (typeof r.detail.skipped === 'string') return { kind: 'integrity', name: tool, status: 'skipped', detail: r.detail.skipped };
    const indexes = Array.isArray(r.detail.indexes) ? ` (${r.detail.indexes.length} indexes checked)` : '';
    return { kind: 'integrity', name: tool, status: r.ok ? 'passed' : 'failed', detail: r.ok ? `no damage found${indexes}` : r.message ?? 'damage reported' };
  } catch (err) {
    return { kind: 'integrity', name: 'integrity', status: 'failed', detail: `the check could not run: ${causeOf(err)}` };
  }
}

async function probeCheck(ctx: CoreContext, engine: DatabaseEngine, scratch: string, set: SetRecord, p: ProbeQuery, backupAt: Date, timeoutMs: number | undefined): Promise<DrillCheck> {
  const base = { kind: 'probe' as const, name: p.name, expected: p.expect };
  if (!engine.runProbeQuery) return { ...base, status: 'skipped', detail: 'the drill server\'s engine cannot run probe queries' };
  let value: unknown;
  try {
    value = await engine.runProbeQuery(scratch, p.sql, timeoutMs ? { timeoutMs } : {});
  } catch (err) {
    return { ...base, status: 'failed', actual: null, detail: `the query failed: ${causeOf(err)}` };
  }
  const o = evaluateExpectation(parseExpectation(p.expect), value, { backupAt, previous: previousValue(ctx, set, p.name) });
  return { ...base, expected: o.expected, status: o.status, actual: storedValue(value), detail: o.detail };
}

/** What the last drill of this database saw for the probe, unless it failed there: the baseline for `previous`. */
function previousValue(ctx: CoreContext, set: SetRecord, name: string): string | null {
  for (const d of ctx.catalog.drills.list({ server: set.server, database: set.database, limit: 50 })) {
    const c = d.checks.find((x) => x.kind === 'probe' && x.name === name && x.status !== 'failed');
    if (c && c.actual !== undefined && c.actual !== null) return String(c.actual);
  }
  return null;
}
