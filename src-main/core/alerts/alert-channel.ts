import type { AlertRecord } from '../catalog/alerts-repo.ts';
import type { Logger } from '../util/logger.ts';
import { causeOf } from '../errors/lifeboat-error.ts';

/**
 * What happened to an alert: 'new' and 'repeat' are worth a person's attention; 'update' (one more
 * occurrence inside the repeat interval), 'acknowledged' and 'cleared' only change what a screen shows.
 */
export type AlertNoticeKind = 'new' | 'repeat' | 'update' | 'acknowledged' | 'cleared';

export interface AlertNotice {
  kind: AlertNoticeKind;
  alert: AlertRecord;
}

/** A place alerts go: the event stream, e-mail, the log. Each decides which notices it cares about. */
export interface AlertChannel {
  readonly name: string;
  send(notice: AlertNotice): Promise<void>;
}

/** Decorator: a channel that fails (SMTP down) is logged and never stops the others or the caller. */
export function guardedChannel(channel: AlertChannel, logger: Logger): AlertChannel {
  return {
    name: channel.name,
    async send(notice) {
      try {
        await channel.send(notice);
      } catch (err) {
        logger.log('error', `unable to send alert '${notice.alert.subject}' through ${channel.name}: ${causeOf(err)}`, { alertId: notice.alert.id, code: 'NOTIFY_FAILED' });
      }
    },
  };
}
