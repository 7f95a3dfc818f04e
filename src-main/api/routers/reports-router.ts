import path from 'node:path';
import { z } from 'zod';
import { router, procedure } from '../trpc.ts';
import { setDatabaseProfile } from '../../core/reports/database-profile.ts';

// The files are written by whoever serves the call (the agent, or the CLI in-process): an absolute path only.
const out = z.string().min(1).refine((p) => path.isAbsolute(p), 'an absolute path');

/** The audit report and the DR runbook (PDF with JSON and CSV beside it), and the database profiles they use. */
export const reportsRouter = router({
  audit: procedure
    .input(z.object({ from: z.string().min(1), to: z.string().min(1), out, scope: z.array(z.string().min(1)).optional() }))
    .mutation(async ({ ctx, input }) => {
      // The PDF code is loaded on the first report, not with the API.
      const { generateAuditReport } = await import('../../core/reports/audit-report.ts');
      const r = await generateAuditReport(ctx.core, { from: input.from, to: input.to, out: input.out, ...(input.scope ? { scope: input.scope } : {}) });
      return {
        reportId: r.reportId, pdf: r.pdf.file, sha256: r.pdf.sha256, attachments: r.attachments.map((a) => a.file), auditSeq: r.auditSeq,
        summary: r.data.summary, auditTrailOk: r.data.auditTrail.ok, auditTrailFirstBadSeq: r.data.auditTrail.firstBadSeq,
      };
    }),
  runbook: procedure.input(z.object({ out })).mutation(async ({ ctx, input }) => {
    const { generateRunbook } = await import('../../core/reports/runbook.ts');
    const r = await generateRunbook(ctx.core, { out: input.out });
    return {
      runbookId: r.runbookId, pdf: r.pdf.file, sha256: r.pdf.sha256, auditSeq: r.auditSeq,
      databases: r.data.databases.map((d) => ({ order: d.order, server: d.server, database: d.database })),
    };
  }),
  /** A database's data class, recovery tier and owner; the runbook restores tier 1 first. */
  classify: procedure
    .input(z.object({
      server: z.string().min(1), database: z.string().min(1), classification: z.string().optional(), criticality: z.number().int().min(0).optional(),
      owner: z.string().optional(), reason: z.string().min(1).nullable().optional(),
    }))
    .mutation(({ ctx, input }) => setDatabaseProfile(ctx.core, {
      server: input.server, database: input.database,
      ...(input.classification !== undefined ? { classification: input.classification } : {}), ...(input.criticality !== undefined ? { criticality: input.criticality } : {}),
      ...(input.owner !== undefined ? { owner: input.owner } : {}),
    }, null, input.reason ?? null)),
});
