import type { Catalog } from '../catalog/catalog.ts';
import type { SecretBox } from '../secrets/secret-box.ts';

export type StartTls = 'off' | 'optional' | 'required';

/** The local SMTP relay alerts go through. The password is kept sealed; it never leaves through the API. */
export interface SmtpSettings {
  enabled: boolean;
  host: string;
  port: number;
  starttls: StartTls;
  /** Accept a relay certificate no CA vouches for (a plant's self-signed relay). */
  allowSelfSigned: boolean;
  user: string | null;
  from: string;
  to: string[];
  /** Minutes before an open, unacknowledged alert is sent again. */
  repeatMinutes: number;
}

const KEY = 'alerts.smtp';
const SECRET_KEY = 'alerts.smtp.password';

export const DEFAULT_SMTP: SmtpSettings = {
  enabled: false, host: '127.0.0.1', port: 25, starttls: 'optional', allowSelfSigned: false, user: null, from: 'lifeboat@localhost', to: [], repeatMinutes: 240,
};

export function readSmtpSettings(catalog: Catalog): SmtpSettings {
  const raw = catalog.getSetting(KEY);
  return raw ? { ...DEFAULT_SMTP, ...(JSON.parse(raw) as Partial<SmtpSettings>) } : { ...DEFAULT_SMTP };
}

/** Saves settings; `password` undefined keeps the stored one, null removes it. */
export function writeSmtpSettings(catalog: Catalog, secrets: SecretBox, patch: Partial<SmtpSettings> & { password?: string | null }): SmtpSettings {
  const { password, ...rest } = patch;
  const next = { ...readSmtpSettings(catalog), ...rest };
  catalog.setSetting(KEY, JSON.stringify(next));
  if (password !== undefined) catalog.setSetting(SECRET_KEY, password === null ? '' : secrets.seal(password));
  return next;
}

export function readSmtpPassword(catalog: Catalog, secrets: SecretBox): string | null {
  const sealed = catalog.getSetting(SECRET_KEY);
  return sealed ? secrets.open(sealed) : null;
}
