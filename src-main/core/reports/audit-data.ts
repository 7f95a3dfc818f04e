import type { CoreContext } from '../context.ts';
import type { CheckpointRecord } from '../catalog/checkpoints-repo.ts';
import type { ChainVerification } from '../audit/verify-chain.ts';
import { dbKey, protectedDatabases, type ProtectedDatabase } from './inventory.ts';
import { plannedRuns } from './planned-runs.ts';
import { copyRule } from '../objectives/copy-rule.ts';

export interface ReportPeriod { from: string; to: string }

export interface AuditReportData {
  kind: 'lifeboat-audit-report';
  formatVersion: 1;
  reportId: string;
  site: string;
  period: ReportPeriod & { timeZone: 'UTC' };
  scope: string[];
  generatedAt: string;
  generatedBy: string;
  appVersion: string;
  summary: Record<string, number>;
  inventory: { server: string; database: string; engine: string; host: string | null; classification: string | null; criticality: number | null; owner: string | null; rpoSeconds: number | null; rtoSeconds: number | null; jobs: string[]; schedules: string[]; targets: string[] }[];
  schedule: { server: string; database: string; job: string; schedule: string | null; planned: number | null; run: number; succeeded: number; partial: number; failed: number; verified: number; missed: number | null }[];
  failures: { runId: string; at: string; server: string; database: string; job: string | null; status: string; errorCode: string | null; error: string | null; alert: { id: string; subject: string; status: string; ackBy: string | null; ackAt: string | null; clearedAt: string | null } | null; resolvedBy: { runId: string; at: string } | null }[];
  verification: { setId: string; server: string; database: string; type: string; finishedAt: string; bytes: number; encryption: string; manifestSha256: string; artifacts: { name: string; bytes: number; sha256: string }[]; copies: { target: string; status: string; l1: string; l1At: string | null }[]; l2: string; l2At: string | null }[];
  drills: { id: string; server: string; database: string; setId: string | null; startedAt: string; status: string; restoreMs: number | null; rtoSeconds: number | null; withinObjective: boolean | null; achievedRpoMs: number | null; checks: number; error: string | null }[];
  restores: { id: string; startedAt: string; destination: string; mode: string; status: string; durationMs: number | null; requestedBy: string; setId: string | null; overrideReason: string | null; signatures: { id: string; fullName: string; userName: string; meaning: string; signedAt: string; reason: string }[] }[];
  /** 3-2-1-1-0 per database as it stands when the report is made (copy-rule.ts). */
  copies: { server: string; database: string; copies: number; media: string[]; offsiteAt: string | null; offlineAt: string | null; errors: string[]; met: boolean; missing: string[] }[];
  media: { table: string; columns: string[]; rows: string[][] }[];
  configChanges: { seq: number; at: string; actor: string; role: string | null; action: string; object: string | null; outcome: string; oldValue: string; newValue: string; reason: string | null }[];
  access: { users: { name: string; fullName: string; role: string }[]; failedLogins: number; refusals: number; lockouts: number; signatures: { id: string; fullName: string; userName: string; role: string; meaning: string; action: string; object: string; reason: string; signedAt: string; auditSeq: number; usedFor: string | null }[] };
  auditTrail: { ok: boolean; entries: number; firstBadSeq: number | null; problems: string[]; headSeq: number | null; headHash: string; periodFirstSeq: number | null; periodLastSeq: number | null; periodEntries: number; checkpoint: Pick<CheckpointRecord, 'id' | 'at' | 'entryCount' | 'headSeq' | 'headHash' | 'keyId' | 'publicKey' | 'signature'> | null; checkpointsVerified: number };
}

// Actions that change what is protected, where it goes, how long it is kept or who may act (Annex 11 §10).
const CONFIG_ACTION = /^(source|target|job|retention|objectives?|profile|settings?|user|schedule|key|legal-hold|sets\.delete|media|alert-rule)[.:-]/;

const short = (v: unknown) => (v === null || v === undefined ? '' : JSON.stringify(v));

/** Collects everything the audit report shows, from the catalog only, for [from, to] (UTC ISO strings). */
export function collectAuditData(ctx: CoreContext, opts: { reportId: string; period: ReportPeriod; scope?: string[]; verification: ChainVerification; checkpoint: CheckpointRecord | null; generatedAt: string }): AuditReportData {
  const { from, to } = opts.period;
  const scope = opts.scope ?? [];
  const dbs = protectedDatabases(ctx, scope);
  const byKey = new Map(dbs.map((d) => [dbKey(d.server, d.database), d]));
  const jobs = new Map(ctx.catalog.jobs.list().map((j) => [j.id, j]));
  const sources = new Map(ctx.catalog.sources.list().map((s) => [s.id, s]));
  const targets = new Map(ctx.catalog.targets.list().map((t) => [t.id, t]));
  const serverOfJob = (jobId: string | null) => (jobId ? sources.get(jobs.get(jobId)?.sourceId ?? '')?.name ?? null : null);

  // Runs, attributed to a database: by job (its source), else by the set they produced, else by name alone.
  const runs = ctx.catalog.evidence.runs(from, to).map((r) => {
    let server = serverOfJob(r.jobId);
    if (!server && r.setId) server = ctx.catalog.sets.find(r.setId)?.server ?? null;
    if (!server && r.database) server = dbs.find((d) => d.database === r.database)?.server ?? null;
    return { ...r, server: server ?? '(unknown)', database: r.database ?? '(unknown)' };
  }).filter((r) => byKey.has(dbKey(r.server, r.database)));

  const verifiedSet = (setId: string | null) => Boolean(setId && ctx.catalog.verifications.forSet(setId).some((v) => v.level === 1 && v.result === 'passed'));
  const schedule: AuditReportData['schedule'] = [];
  for (const d of dbs) {
    const jobList: (string | null)[] = d.jobs.length ? d.jobs.map((j) => j.id) : [null];
    const manual = runs.filter((r) => r.server === d.server && r.database === d.database && (r.jobId === null || !d.jobs.some((j) => j.id === r.jobId)));
    for (const jobId of jobList) {
      const job = jobId ? jobs.get(jobId)! : null;
      const rs = job ? runs.filter((r) => r.jobId === job.id && r.database === d.database) : manual;
      // A job cannot have been due before it existed.
      const start = job && job.createdAt > from ? job.createdAt : from;
      const planned = job ? plannedRuns(job, new Date(start), new Date(to)) : 0;
      const succeeded = rs.filter((r) => r.status === 'succeeded').length;
      schedule.push({
        server: d.server, database: d.database, job: job?.name ?? '(manual runs)', schedule: job?.schedule ?? null, planned,
        run: rs.length, succeeded, partial: rs.filter((r) => r.status === 'partial').length, failed: rs.filter((r) => r.status === 'failed').length,
        verified: rs.filter((r) => verifiedSet(r.setId)).length,
        missed: planned === null ? null : Math.max(0, planned - rs.filter((r) => r.trigger === 'schedule' || r.trigger === 'catch-up').length),
      });
      if (job) manual.splice(0, manual.length, ...manual.filter((r) => r.jobId !== job.id));
    }
    if (d.jobs.length && manual.length) {
      schedule.push({ server: d.server, database: d.database, job: '(manual runs)', schedule: null, planned: 0, run: manual.length, succeeded: manual.filter((r) => r.status === 'succeeded').length, partial: manual.filter((r) => r.status === 'partial').length, failed: manual.filter((r) => r.status === 'failed').length, verified: manual.filter((r) => verifiedSet(r.setId)).length, missed: 0 });
    }
  }

  const alerts = ctx.catalog.evidence.alerts();
  const failures: AuditReportData['failures'] = runs.filter((r) => r.status === 'failed' || r.status === 'partial').map((r) => {
    const dayAfter = new Date(Date.parse(r.startedAt) + 86_400_000).toISOString();
    const alert = alerts.find((a) => [a.causeKey, a.subject, a.message, JSON.stringify(a.detail)].some((t) => t.includes(r.id)))
      ?? alerts.find((a) => a.firstAt >= r.startedAt && a.firstAt <= dayAfter && [a.causeKey, a.subject, a.message].some((t) => t.includes(r.database)));
    const next = ctx.catalog.evidence.nextSuccess(r.jobId, r.database, r.startedAt);
    return {
      runId: r.id, at: r.startedAt, server: r.server, database: r.database, job: r.jobId ? jobs.get(r.jobId)?.name ?? r.jobId : null, status: r.status,
      errorCode: r.errorCode, error: r.errorMessage,
      alert: alert ? { id: alert.id, subject: alert.subject, status: alert.status, ackBy: alert.ackBy, ackAt: alert.ackAt, clearedAt: alert.clearedAt } : null,
      resolvedBy: next ? { runId: next.id, at: next.startedAt } : null,
    };
  });

  const verification: AuditReportData['verification'] = ctx.catalog.sets.list()
    .filter((s) => s.finishedAt >= from && s.finishedAt <= to && byKey.has(dbKey(s.server, s.database)))
    .map((s) => {
      const l2 = ctx.catalog.verifications.latest(s.id, null, 2);
      return {
        setId: s.id, server: s.server, database: s.database, type: s.type, finishedAt: s.finishedAt, bytes: s.bytes, encryption: s.encryption, manifestSha256: s.manifestSha256,
        artifacts: s.artifacts.map((a) => ({ name: a.name, bytes: a.bytes, sha256: a.sha256 })),
        copies: s.copies.map((c) => {
          const l1 = ctx.catalog.verifications.latest(s.id, c.id, 1);
          return { target: targets.get(c.targetId)?.name ?? c.targetId, status: c.status, l1: l1?.result ?? 'not checked', l1At: l1?.finishedAt ?? null };
        }),
        l2: l2?.result ?? 'not checked', l2At: l2?.finishedAt ?? null,
      };
    });

  const drills: AuditReportData['drills'] = ctx.catalog.evidence.drills(from, to)
    .filter((d) => byKey.has(dbKey(d.server, d.database)))
    .map((d) => {
      const rto = byKey.get(dbKey(d.server, d.database))?.rtoSeconds ?? null;
      return {
        id: d.id, server: d.server, database: d.database, setId: d.setId, startedAt: d.startedAt, status: d.status, restoreMs: d.restoreMs, rtoSeconds: rto,
        withinObjective: rto !== null && d.restoreMs !== null ? d.restoreMs <= rto * 1000 : null, achievedRpoMs: d.achievedRpoMs, checks: d.checks.length, error: d.errorMessage,
      };
    });

  const signatures = ctx.catalog.signatures.list({ from, to });
  const allSignatures = ctx.catalog.signatures.list();
  const restores: AuditReportData['restores'] = ctx.catalog.restores.list(100_000)
    .filter((r) => r.startedAt >= from && r.startedAt <= to && r.mode !== 'drill')
    .reverse()
    .map((r) => {
      const ids = new Set<string>([r.detail.signatureId, ...(Array.isArray(r.detail.signatureIds) ? r.detail.signatureIds : [])].filter((x): x is string => typeof x === 'string'));
      const object = `${sources.get(r.sourceId ?? '')?.name ?? ''}/${r.destination}`;
      const started = Date.parse(r.startedAt);
      // A caller that consumed the signature itself (not through restoreSet) leaves no restore id on it: the
      // signature for this action and object used in the two minutes before the restore started is its own.
      const sigs = allSignatures.filter((s) => s.usedFor === r.id || ids.has(s.id)
        || (s.usedAt !== null && s.action.startsWith('restore.') && s.object === object && !s.usedFor?.startsWith('rst_')
          && Date.parse(s.usedAt) <= started + 1_000 && started - Date.parse(s.usedAt) <= 120_000));
      return {
        id: r.id, startedAt: r.startedAt, destination: r.destination, mode: r.mode, status: r.status, durationMs: r.durationMs, requestedBy: r.requestedBy, setId: r.setId, overrideReason: r.overrideReason,
        signatures: sigs.map((s) => ({ id: s.id, fullName: s.fullName, userName: s.userName, meaning: s.meaning, signedAt: s.signedAt, reason: s.reason })),
      };
    });

  const copies: AuditReportData['copies'] = dbs.map((d) => {
    const r = copyRule(ctx.catalog, d.server, d.database);
    return { server: d.server, database: d.database, copies: r.copies, media: r.media, offsiteAt: r.offsite[0]?.finishedAt ?? null, offlineAt: r.offline[0]?.finishedAt ?? null, errors: r.errors, met: r.met.all, missing: r.missing };
  });

  // Custody first: which disk, where it is (off site or not) and when it was last written and seen.
  const PREFERRED = ['label', 'id', 'set_name', 'off_site', 'off_site_at', 'first_write_at', 'last_write_at', 'last_seen_at'];
  const media = ctx.catalog.evidence.mediaTables().map((t) => {
    const columns = [...PREFERRED.filter((c) => t.columns.includes(c)), ...t.columns.filter((c) => !PREFERRED.includes(c))];
    return { table: t.table, columns, rows: t.rows.map((r) => columns.map((c) => (r[c] === null || r[c] === undefined ? '' : String(r[c])))) };
  });

  const periodEvents = ctx.catalog.audit.list({ from, to, limit: 10_000_000, ascending: true });
  const configChanges: AuditReportData['configChanges'] = periodEvents
    .filter((e) => CONFIG_ACTION.test(e.action) || e.oldValue !== null || e.newValue !== null)
    .map((e) => ({ seq: e.seq, at: e.at, actor: e.actor, role: e.role, action: e.action, object: e.object, outcome: e.outcome, oldValue: short(e.oldValue), newValue: short(e.newValue), reason: e.reason }));

  const v = opts.verification;
  const cp = opts.checkpoint;
  const data: AuditReportData = {
    kind: 'lifeboat-audit-report', formatVersion: 1, reportId: opts.reportId, site: ctx.catalog.getSetting('site') ?? ctx.site, period: { from, to, timeZone: 'UTC' }, scope,
    generatedAt: opts.generatedAt, generatedBy: ctx.actor, appVersion: ctx.appVersion,
    summary: {},
    inventory: dbs.map((d: ProtectedDatabase) => ({
      server: d.server, database: d.database, engine: d.engine, host: d.host, classification: d.classification, criticality: d.criticality, owner: d.owner,
      rpoSeconds: d.rpoSeconds, rtoSeconds: d.rtoSeconds, jobs: d.jobs.map((j) => j.name), schedules: d.jobs.map((j) => j.schedule ?? 'manual'), targets: d.targets.map((t) => t.name),
    })),
    schedule, failures, verification, drills, restores, copies, media, configChanges,
    access: {
      users: ctx.catalog.users.list().map((u) => ({ name: u.name, fullName: u.fullName, role: u.role })),
      failedLogins: periodEvents.filter((e) => e.action === 'auth.login' && e.outcome !== 'success').length,
      refusals: periodEvents.filter((e) => e.outcome === 'refused').length,
      lockouts: periodEvents.filter((e) => e.action === 'user.lock').length,
      signatures: signatures.map((s) => ({ id: s.id, fullName: s.fullName, userName: s.userName, role: s.role, meaning: s.meaning, action: s.action, object: s.object, reason: s.reason, signedAt: s.signedAt, auditSeq: s.auditSeq, usedFor: s.usedFor })),
    },
    auditTrail: {
      ok: v.ok, entries: v.entries, firstBadSeq: v.firstBadSeq, problems: v.problems.map((p) => p.message), headSeq: v.lastSeq, headHash: v.headHash,
      periodFirstSeq: periodEvents[0]?.seq ?? null, periodLastSeq: periodEvents.at(-1)?.seq ?? null, periodEntries: periodEvents.length,
      checkpoint: cp ? { id: cp.id, at: cp.at, entryCount: cp.entryCount, headSeq: cp.headSeq, headHash: cp.headHash, keyId: cp.keyId, publicKey: cp.publicKey, signature: cp.signature } : null,
      checkpointsVerified: v.checkpoints.verified,
    },
  };
  const sum = (k: 'planned' | 'run' | 'succeeded' | 'failed' | 'partial' | 'verified') => schedule.reduce((n, s) => n + (s[k] ?? 0), 0);
  data.summary = {
    databases: dbs.length, planned: sum('planned'), runs: sum('run'), succeeded: sum('succeeded'), partial: sum('partial'), failed: sum('failed'), verifiedRuns: sum('verified'),
    failuresOpen: failures.filter((f) => !f.resolvedBy).length, sets: verification.length, drills: drills.length, drillsPassed: drills.filter((d) => d.status === 'succeeded' || d.status === 'passed').length,
    restores: restores.length, signatures: signatures.length, configChanges: configChanges.length,
  };
  return data;
}
