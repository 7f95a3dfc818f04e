import type { Catalog } from '../catalog/catalog.ts';
import type { SecretBox } from '../secrets/secret-box.ts';
import type { AlertRecord } from '../catalog/alerts-repo.ts';
import type { AlertChannel } from './alert-channel.ts';
import { LifeboatError, causeOf } from '../errors/lifeboat-error.ts';
import { redact } from '../util/redact.ts';
import { readSmtpPassword, readSmtpSettings, type SmtpSettings } from './smtp-settings.ts';

/**
 * E-mail through the site's SMTP relay. Settings are read at each send, so a change in the GUI applies
 * without a restart. Only 'new' and 'repeat' notices become mail: a person is paged once per cause per
 * repeat interval, never per occurrence.
 */
export function emailChannel(catalog: Catalog, secrets: SecretBox, site: string): AlertChannel {
  return {
    name: 'email',
    async send({ kind, alert }) {
      if (kind !== 'new' && kind !== 'repeat') return;
      const s = readSmtpSettings(catalog);
      if (!s.enabled || s.to.length === 0) return;
      await sendMail(s, readSmtpPassword(catalog, secrets), {
        subject: `[Lifeboat ${site}] ${kind === 'repeat' ? 'still open: ' : ''}${alert.subject}`,
        text: mailBody(alert, site, kind),
      });
    },
  };
}

export async function sendMail(s: SmtpSettings, password: string | null, mail: { subject: string; text: string }): Promise<void> {
  // Loaded when mail is first sent: most runs never page anyone.
  const { default: nodemailer } = await import('nodemailer');
  const transport = nodemailer.createTransport({
    host: s.host, port: s.port, secure: false,
    ignoreTLS: s.starttls === 'off', requireTLS: s.starttls === 'required',
    tls: { rejectUnauthorized: !s.allowSelfSigned },
    connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 30_000,
    ...(s.user ? { auth: { user: s.user, pass: password ?? '' } } : {}),
  });
  try {
    await transport.sendMail({ from: s.from, to: s.to, subject: redact(mail.subject), text: redact(mail.text) });
  } catch (err) {
    throw new LifeboatError('NOTIFY_FAILED', { verb: 'send', thing: 'e-mail through', where: `${s.host}:${s.port}`, cause: redact(causeOf(err)) });
  } finally {
    transport.close();
  }
}

function mailBody(a: AlertRecord, site: string, kind: string): string {
  const d = a.detail;
  const lines = [
    a.subject,
    '',
    a.message,
    '',
    ...(d.database ? [`Database:    ${String(d.database)}${d.server ? ` on ${String(d.server)}` : ''}`] : []),
    ...(d.job ? [`Job:         ${String(d.job)}`] : []),
    ...(d.code ? [`Error code:  ${String(d.code)}`] : []),
    `Site:        ${site}`,
    `First seen:  ${a.firstAt}`,
    `Last seen:   ${a.lastAt} (${a.occurrences} time${a.occurrences === 1 ? '' : 's'})`,
    '',
    kind === 'repeat'
      ? 'This alert is still open. It repeats until it is acknowledged or its cause clears.'
      : 'Acknowledge it in the Lifeboat window or with: lifeboat alerts ack ' + a.id,
  ];
  return lines.join('\n');
}
