import type { Command } from 'commander';
import { withCore, collect } from '../cli-context.ts';
import { positiveInt } from '../options.ts';
import { LifeboatError } from '../../core/errors/lifeboat-error.ts';
import { generateAuditReport } from '../../core/reports/audit-report.ts';
import { generateRunbook } from '../../core/reports/runbook.ts';
import { setDatabaseProfile } from '../../core/reports/database-profile.ts';

export function registerReportCommands(program: Command): void {
  const report = program.command('report').description('audit report and DR runbook (PDF, with JSON and CSV beside it)');

  report.command('audit')
    .description('the audit report for a period: schedule adherence, failures, verification, drills, restores, signatures, audit trail')
    .requiredOption('--from <time>', 'start of the period (UTC; 2026-01-01 or ISO 8601)')
    .requiredOption('--to <time>', 'end of the period')
    .requiredOption('--out <file|folder>', 'the PDF to write (JSON and CSV files are written beside it)')
    .option('--database <db>', 'limit to this database or server/database (repeatable)', collect)
    .action(async (o, cmd: Command) => withCore(cmd, async ({ core, out }) => {
      const r = await generateAuditReport(core, { from: o.from, to: o.to, out: o.out, ...(o.database ? { scope: o.database } : {}) });
      out.result({ reportId: r.reportId, pdf: r.pdf.file, sha256: r.pdf.sha256, attachments: r.attachments.map((a) => a.file), auditSeq: r.auditSeq, summary: r.data.summary, auditTrailOk: r.data.auditTrail.ok }, () => [
        `wrote ${r.pdf.file}`,
        `  report ${r.reportId}, SHA-256 ${r.pdf.sha256} (recorded as audit entry ${r.auditSeq})`,
        `  ${r.attachments.length} attachments (JSON, CSV) beside it`,
        ...(r.data.auditTrail.ok ? [] : [`  WARNING: the audit trail is broken (first bad entry ${r.data.auditTrail.firstBadSeq}); the report says so`]),
      ]);
    }));

  report.command('runbook')
    .description('the printable DR runbook for this site, from the live configuration')
    .requiredOption('--out <file|folder>', 'the PDF to write')
    .action(async (o, cmd: Command) => withCore(cmd, async ({ core, out }) => {
      const r = await generateRunbook(core, { out: o.out });
      out.result({ runbookId: r.runbookId, pdf: r.pdf.file, sha256: r.pdf.sha256, databases: r.data.databases.map((d) => `${d.server}/${d.database}`), auditSeq: r.auditSeq }, () => [
        `wrote ${r.pdf.file}`,
        `  runbook ${r.runbookId}, SHA-256 ${r.pdf.sha256}; recovery order: ${r.data.databases.map((d) => `${d.order}. ${d.server}/${d.database}`).join(', ') || 'no databases'}`,
      ]);
    }));

  report.command('classify <database>')
    .description('set a database\'s data class and recovery tier (server/database); the runbook restores tier 1 first')
    .option('--class <class>', 'data class, e.g. ePHI, GxP, OT, financial')
    .option('--tier <n>', 'recovery tier: 1 is restored first')
    .option('--owner <name>', 'business owner')
    .option('--reason <text>', 'why (recorded in the audit trail)')
    .action(async (database: string, o, cmd: Command) => withCore(cmd, async ({ core, out }) => {
      const i = database.lastIndexOf('/');
      if (i <= 0) throw new LifeboatError('USAGE', { verb: 'classify', thing: 'database', where: database, cause: 'name it as <source>/<database>' });
      const p = setDatabaseProfile(core, {
        server: database.slice(0, i), database: database.slice(i + 1),
        ...(o.class !== undefined ? { classification: o.class } : {}), ...(o.tier !== undefined ? { criticality: positiveInt(o.tier, '--tier') } : {}), ...(o.owner !== undefined ? { owner: o.owner } : {}),
      }, null, o.reason ?? null);
      out.result(p, () => `${p.server}/${p.database}: class ${p.classification ?? 'not set'}, tier ${p.criticality ?? 'not set'}, owner ${p.owner ?? 'not set'}`);
    }));
}
