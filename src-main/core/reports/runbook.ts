import path from 'node:path';
import type { CoreContext } from '../context.ts';
import { newId } from '../util/ids.ts';
import { safeSegment } from '../targets/object-name.ts';
import { canonicalJson } from '../audit/canonical-json.ts';
import { createHash } from 'node:crypto';
import { collectRunbookData, type RunbookData } from './runbook-data.ts';
import { renderRunbookPdf } from './runbook-pdf.ts';
import { reportBase, writeReportFile, type WrittenFile } from './write-report-files.ts';

export interface RunbookResult { runbookId: string; pdf: WrittenFile; json: WrittenFile; auditSeq: number; data: RunbookData }

/** Writes the site's DR runbook (PDF plus the same data as JSON) and records its SHA-256 in the audit trail. */
export async function generateRunbook(ctx: CoreContext, opts: { out: string }): Promise<RunbookResult> {
  const runbookId = newId('rbk');
  const data = collectRunbookData(ctx, { runbookId, generatedAt: new Date().toISOString() });
  const base = reportBase(opts.out, `lifeboat-runbook-${safeSegment(data.site)}-${data.generatedAt.slice(0, 10)}-${runbookId}`);
  const pdf = writeReportFile(`${base}.pdf`, await renderRunbookPdf(data));
  const json = writeReportFile(`${base}.json`, JSON.stringify(data, null, 2) + '\n');
  // What the runbook was printed from, without the fields that change on every print: equal digests mean
  // two printed runbooks describe the same configuration.
  const { runbookId: _id, generatedAt: _at, generatedBy: _by, ...config } = data;
  const configDigest = createHash('sha256').update(canonicalJson(config)).digest('hex');
  const auditSeq = ctx.catalog.audit.append({
    actor: ctx.actor, action: 'report.runbook', object: runbookId, outcome: 'success',
    detail: { sha256: pdf.sha256, file: path.basename(pdf.file), bytes: pdf.bytes, json: { file: path.basename(json.file), sha256: json.sha256 }, configDigest, databases: data.databases.map((d) => `${d.server}/${d.database}`) },
  });
  return { runbookId, pdf, json, auditSeq, data };
}
