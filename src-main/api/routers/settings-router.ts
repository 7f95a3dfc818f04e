import { z } from 'zod';
import { router, procedure } from '../trpc.ts';
import { readSmtpPassword, readSmtpSettings, writeSmtpSettings } from '../../core/alerts/smtp-settings.ts';
import { sendMail } from '../../core/alerts/email-channel.ts';
import { evaluateObjectives } from '../../core/objectives/evaluate-objectives.ts';
import { rpoState } from '../../core/objectives/live-rpo.ts';
import { registerSecret } from '../../core/util/redact.ts';
import { readAlertThresholds, writeAlertThresholds } from '../../core/alerts/alert-thresholds.ts';

const smtpPatch = z.object({
  enabled: z.boolean().optional(),
  host: z.string().min(1).optional(),
  port: z.number().int().min(1).max(65535).optional(),
  starttls: z.enum(['off', 'optional', 'required']).optional(),
  allowSelfSigned: z.boolean().optional(),
  user: z.string().min(1).nullable().optional(),
  password: z.string().min(1).nullable().optional(),
  from: z.email().optional(),
  to: z.array(z.email()).optional(),
  repeatMinutes: z.number().int().min(1).max(10_080).optional(),
});

export const settingsRouter = router({
  /** Where the alert rules draw their lines: free space on a target, age of the newest offline copy. */
  alerts: router({
    get: procedure.query(({ ctx }) => readAlertThresholds(ctx.core.catalog)),
    set: procedure
      .input(z.object({
        lowSpaceBytes: z.number().int().min(1).optional(),
        offlineCopyMaxAgeDays: z.number().int().min(1, 'at least one day').max(366, 'at most a year').optional(),
      }))
      .mutation(({ ctx, input }) => {
        const { before, after } = writeAlertThresholds(ctx.core.catalog, input);
        ctx.core.catalog.audit.append({ actor: ctx.actor, action: 'settings.alerts', outcome: 'success', oldValue: before, newValue: after });
        return after;
      }),
  }),
  smtp: router({
    get: procedure.query(({ ctx }) => ({ ...readSmtpSettings(ctx.core.catalog), hasPassword: readSmtpPassword(ctx.core.catalog, ctx.core.secrets) !== null })),
    set: procedure.input(smtpPatch).mutation(({ ctx, input }) => {
      registerSecret(input.password);
      const patch = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
      const s = writeSmtpSettings(ctx.core.catalog, ctx.core.secrets, patch);
      ctx.core.catalog.audit.append({ actor: ctx.actor, action: 'settings.smtp', outcome: 'success', detail: { ...s } });
      return s;
    }),
    /** Sends a test message with the stored settings; fails with NOTIFY_FAILED and the relay's words. */
    test: procedure.mutation(async ({ ctx }) => {
      const s = readSmtpSettings(ctx.core.catalog);
      await sendMail(s, readSmtpPassword(ctx.core.catalog, ctx.core.secrets), { subject: `[Lifeboat ${ctx.core.site}] test message`, text: 'Lifeboat can send alerts through this relay.' });
      return { sentTo: s.to };
    }),
  }),
});

export const objectivesRouter = router({
  list: procedure.query(({ ctx }) => {
    const now = ctx.services.clock.now();
    return ctx.core.catalog.objectives.list().map((o) => ({ ...o, ...rpoState(ctx.core.catalog, o.server, o.database, now) }));
  }),
  set: procedure
    .input(z.object({ server: z.string().min(1), database: z.string().min(1), rpoSeconds: z.number().int().min(60).nullable().optional(), rtoSeconds: z.number().int().min(60).nullable().optional() }))
    .mutation(async ({ ctx, input }) => {
      const o = ctx.core.catalog.objectives.set(input);
      ctx.core.catalog.audit.append({ actor: ctx.actor, action: 'objective.set', object: `${o.server}/${o.database}`, outcome: 'success', detail: { rpoSeconds: o.rpoSeconds, rtoSeconds: o.rtoSeconds } });
      await evaluateObjectives(ctx.core.catalog, ctx.services.alerts, ctx.services.clock.now());
      return o;
    }),
  remove: procedure.input(z.object({ server: z.string().min(1), database: z.string().min(1) })).mutation(async ({ ctx, input }) => {
    const removed = ctx.core.catalog.objectives.remove(input.server, input.database);
    await evaluateObjectives(ctx.core.catalog, ctx.services.alerts, ctx.services.clock.now());
    return { removed };
  }),
});
