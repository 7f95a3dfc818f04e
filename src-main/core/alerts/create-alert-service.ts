import type { CoreContext } from '../context.ts';
import type { Clock } from '../scheduler/clock.ts';
import { AlertService } from './alert-service.ts';
import { guardedChannel } from './alert-channel.ts';
import { eventChannel } from './event-channel.ts';
import { logChannel } from './log-channel.ts';
import { emailChannel } from './email-channel.ts';
import { readSmtpSettings } from './smtp-settings.ts';

/** The alert service with the standard channels: the event stream, the log, and e-mail when configured. */
export function createAlertService(ctx: CoreContext, clock: Clock): AlertService {
  const log = ctx.logger.child({ component: 'alerts' });
  return new AlertService({
    catalog: ctx.catalog,
    clock,
    channels: [eventChannel(ctx.events), logChannel(log), emailChannel(ctx.catalog, ctx.secrets, ctx.site)].map((c) => guardedChannel(c, log)),
    repeatIntervalMs: () => readSmtpSettings(ctx.catalog).repeatMinutes * 60_000,
  });
}
