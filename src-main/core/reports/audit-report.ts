import path from 'node:path';
import type { CoreContext } from '../context.ts';
import { LifeboatError } from '../errors/lifeboat-error.ts';
import { newId } from '../util/ids.ts';
import { safeSegment } from '../targets/object-name.ts';
import { verifyAuditTrail } from '../audit/verify-chain.ts';
import { takeCheckpoint } from '../audit/checkpoint.ts';
import { collectAuditData, type AuditReportData } from './audit-data.ts';
import { renderAuditPdf } from './audit-pdf.ts';
import { toCsv } from './csv.ts';
import { reportBase, writeReportFile, type WrittenFile } from './write-report-files.ts';

export interface AuditReportResult {
  reportId: string;
  pdf: WrittenFile;
  attachments: WrittenFile[];
  auditSeq: number;
  data: AuditReportData;
}

function parseTime(value: string, what: string): string {
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) throw new LifeboatError('USAGE', { verb: 'read', thing: what, where: value, cause: 'not a date (use 2026-01-31 or an ISO time)' });
  return new Date(ms).toISOString();
}

function csvFiles(d: AuditReportData): Record<string, string> {
  return {
    inventory: toCsv(['server', 'database', 'engine', 'classification', 'criticality', 'owner', 'rpo_seconds', 'rto_seconds', 'jobs', 'targets'],
      d.inventory.map((i) => [i.server, i.database, i.engine, i.classification, i.criticality, i.owner, i.rpoSeconds, i.rtoSeconds, i.jobs.join(';'), i.targets.join(';')])),
    schedule: toCsv(['server', 'database', 'job', 'schedule', 'planned', 'run', 'succeeded', 'partial', 'failed', 'verified', 'missed'],
      d.schedule.map((r) => [r.server, r.database, r.job, r.schedule, r.planned, r.run, r.succeeded, r.partial, r.failed, r.verified, r.missed])),
    failures: toCsv(['run_id', 'at', 'server', 'database', 'job', 'status', 'error_code', 'error', 'alert_id', 'alert_status', 'ack_by', 'ack_at', 'cleared_at', 'resolved_by_run', 'resolved_at'],
      d.failures.map((f) => [f.runId, f.at, f.server, f.database, f.job, f.status, f.errorCode, f.error, f.alert?.id, f.alert?.status, f.alert?.ackBy, f.alert?.ackAt, f.alert?.clearedAt, f.resolvedBy?.runId, f.resolvedBy?.at])),
    verification: toCsv(['set_id', 'server', 'database', 'type', 'finished_at', 'file', 'bytes', 'sha256', 'manifest_sha256', 'copies_l1', 'l2'],
      d.verification.flatMap((v) => v.artifacts.map((a) => [v.setId, v.server, v.database, v.type, v.finishedAt, a.name, a.bytes, a.sha256, v.manifestSha256, v.copies.map((c) => `${c.target}:${c.l1}`).join(';'), v.l2]))),
    copies: toCsv(['server', 'database', 'copies_of_newest_set', 'media', 'offsite_newest_set_at', 'offline_newest_set_at', 'failed_checks', 'met', 'lacks'],
      d.copies.map((c) => [c.server, c.database, c.copies, c.media.join(';'), c.offsiteAt, c.offlineAt, c.errors.join(';'), c.met, c.missing.join(';')])),
    drills: toCsv(['drill_id', 'server', 'database', 'set_id', 'started_at', 'status', 'restore_ms', 'rto_seconds', 'within_objective', 'achieved_rpo_ms', 'checks'],
      d.drills.map((r) => [r.id, r.server, r.database, r.setId, r.startedAt, r.status, r.restoreMs, r.rtoSeconds, r.withinObjective, r.achievedRpoMs, r.checks])),
    restores: toCsv(['restore_id', 'started_at', 'destination', 'mode', 'status', 'duration_ms', 'requested_by', 'set_id', 'signatures'],
      d.restores.map((r) => [r.id, r.startedAt, r.destination, r.mode, r.status, r.durationMs, r.requestedBy, r.setId, r.signatures.map((g) => `${g.fullName}|${g.meaning}|${g.signedAt}`).join(';')])),
    'config-changes': toCsv(['seq', 'at', 'actor', 'role', 'action', 'object', 'old_value', 'new_value', 'reason', 'outcome'],
      d.configChanges.map((c) => [c.seq, c.at, c.actor, c.role, c.action, c.object, c.oldValue, c.newValue, c.reason, c.outcome])),
    signatures: toCsv(['signature_id', 'signed_at', 'user', 'full_name', 'role', 'meaning', 'action', 'object', 'reason', 'audit_seq', 'used_for'],
      d.access.signatures.map((g) => [g.id, g.signedAt, g.userName, g.fullName, g.role, g.meaning, g.action, g.object, g.reason, g.auditSeq, g.usedFor])),
  };
}

/**
 * The audit report for [from, to]: verifies the audit trail, takes a signed checkpoint (when the trail is
 * intact, so a damaged trail is never blessed), writes the PDF with the same data beside it as JSON and
 * CSV, and records the SHA-256 of every file in the audit trail.
 */
export async function generateAuditReport(ctx: CoreContext, opts: { from: string; to: string; out: string; scope?: string[] }): Promise<AuditReportResult> {
  const from = parseTime(opts.from, 'start of the period');
  const to = parseTime(opts.to, 'end of the period');
  if (to <= from) throw new LifeboatError('USAGE', { verb: 'report', thing: 'period', where: `${opts.from} to ${opts.to}`, cause: 'the end must come after the start' });
  const reportId = newId('rpt');
  const generatedAt = new Date().toISOString();
  const before = verifyAuditTrail(ctx);
  const checkpoint = before.ok ? takeCheckpoint(ctx, 'report') : (before.checkpoints.latest ?? null);
  // Verified again so the printed figures include the checkpoint just taken and its own audit entry.
  const verification = before.ok ? verifyAuditTrail(ctx) : before;
  const data = collectAuditData(ctx, { reportId, period: { from, to }, ...(opts.scope ? { scope: opts.scope } : {}), verification, checkpoint, generatedAt });
  const pdfBytes = await renderAuditPdf(data);
  const base = reportBase(opts.out, `lifeboat-audit-${safeSegment(ctx.site)}-${from.slice(0, 10)}_${to.slice(0, 10)}-${reportId}`);
  const pdf = writeReportFile(`${base}.pdf`, pdfBytes);
  const attachments = [writeReportFile(`${base}.json`, JSON.stringify(data, null, 2) + '\n')];
  for (const [name, text] of Object.entries(csvFiles(data))) attachments.push(writeReportFile(`${base}.${name}.csv`, text));
  const auditSeq = ctx.catalog.audit.append({
    actor: ctx.actor, action: 'report.audit', object: reportId, outcome: 'success',
    detail: { sha256: pdf.sha256, file: path.basename(pdf.file), bytes: pdf.bytes, period: { from, to }, scope: data.scope, checkpointId: checkpoint?.id ?? null, chainOk: verification.ok, attachments: Object.fromEntries(attachments.map((a) => [path.basename(a.file), a.sha256])) },
  });
  return { reportId, pdf, attachments, auditSeq, data };
}
