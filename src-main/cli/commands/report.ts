import path from 'node:path';
import type { Command } from 'commander';
import { withApi, collect } from '../cli-context.ts';
import { positiveInt } from '../options.ts';
import { LifeboatError } from '../../core/errors/lifeboat-error.ts';

export function registerReportCommands(program: Command): void {
  const report = program.command('report').description('audit report and DR runbook (PDF, with JSON and CSV beside it)');

  report.command('audit')
    .description('the audit report for a period: schedule adherence, failures, verification, drills, restores, signatures, audit trail')
    .requiredOption('--from <time>', 'start of the period (UTC; 2026-01-01 or ISO 8601)')
    .requiredOption('--to <time>', 'end of the period')
    .requiredOption('--out <file|folder>', 'the PDF to write (JSON and CSV files are written beside it)')
    .option('--database <db>', 'limit to this database or server/database (repeatable)', collect)
    .action(async (o, cmd: Command) => withApi(cmd, async ({ api, out }) => {
      // Resolved here: the files are written by whoever serves the call, whose working folder is not ours.
      const r = await api.reports.audit.mutate({ from: o.from, to: o.to, out: path.resolve(o.out), ...(o.database ? { scope: o.database } : {}) });
      out.result({ reportId: r.reportId, pdf: r.pdf, sha256: r.sha256, attachments: r.attachments, auditSeq: r.auditSeq, summary: r.summary, auditTrailOk: r.auditTrailOk }, () => [
        `wrote ${r.pdf}`,
        `  report ${r.reportId}, SHA-256 ${r.sha256} (recorded as audit entry ${r.auditSeq})`,
        `  ${r.attachments.length} attachments (JSON, CSV) beside it`,
        ...(r.auditTrailOk ? [] : [`  WARNING: the audit trail is broken (first bad entry ${r.auditTrailFirstBadSeq}); the report says so`]),
      ]);
    }));

  report.command('runbook')
    .description('the printable DR runbook for this site, from the live configuration')
    .requiredOption('--out <file|folder>', 'the PDF to write')
    .action(async (o, cmd: Command) => withApi(cmd, async ({ api, out }) => {
      const r = await api.reports.runbook.mutate({ out: path.resolve(o.out) });
      out.result({ runbookId: r.runbookId, pdf: r.pdf, sha256: r.sha256, databases: r.databases.map((d) => `${d.server}/${d.database}`), auditSeq: r.auditSeq }, () => [
        `wrote ${r.pdf}`,
        `  runbook ${r.runbookId}, SHA-256 ${r.sha256}; recovery order: ${r.databases.map((d) => `${d.order}. ${d.server}/${d.database}`).join(', ') || 'no databases'}`,
      ]);
    }));

  report.command('classify <database>')
    .description('set a database\'s data class and recovery tier (server/database); the runbook restores tier 1 first')
    .option('--class <class>', 'data class, e.g. ePHI, GxP, OT, financial')
    .option('--tier <n>', 'recovery tier: 1 is restored first')
    .option('--owner <name>', 'business owner')
    .option('--reason <text>', 'why (recorded in the audit trail)')
    .action(async (database: string, o, cmd: Command) => withApi(cmd, async ({ api, out }) => {
      const i = database.lastIndexOf('/');
      if (i <= 0) throw new LifeboatError('USAGE', { verb: 'classify', thing: 'database', where: database, cause: 'name it as <source>/<database>' });
      const p = await api.reports.classify.mutate({
        server: database.slice(0, i), database: database.slice(i + 1),
        ...(o.class !== undefined ? { classification: o.class } : {}), ...(o.tier !== undefined ? { criticality: positiveInt(o.tier, '--tier') } : {}), ...(o.owner !== undefined ? { owner: o.owner } : {}),
        ...(o.reason ? { reason: o.reason } : {}),
      });
      out.result(p, () => `${p.server}/${p.database}: class ${p.classification ?? 'not set'}, tier ${p.criticality ?? 'not set'}, owner ${p.owner ?? 'not set'}`);
    }));
}
