import { z } from 'zod';
import type { TargetDriver } from '../registry.ts';
import { targetLimitsShape } from '../decorators/target-limits.ts';
import { targetPlacementShape } from '../target-placement.ts';
import { LifeboatError } from '../../errors/lifeboat-error.ts';
import { SmbClientTarget } from './smbclient-target.ts';
import { applyUncCredentials, uncPath, UncFolderTarget } from './unc-target.ts';

export interface SmbConfig {
  host: string;
  port: number;
  share: string;
  /** Folder inside the share ('' for its root); it must exist. */
  path: string;
  username: string;
  domain?: string | undefined;
  /** Require SMB3 encryption (signing is always required). */
  encrypt: boolean;
  /** Linux: the smbclient binary. */
  smbclient: string;
}

const flag = z.union([z.boolean(), z.enum(['true', 'false', 'yes', 'no']).transform((v) => v === 'true' || v === 'yes')]);

const configSchema = z.object({
  host: z.string().min(1, 'host is required').regex(/^[^\\/\s]+$/, 'a host name or address, without slashes'),
  port: z.coerce.number().int().min(1).max(65535).default(445),
  share: z.string().min(1, 'share is required').regex(/^[^\\/]+$/, 'a share name, without slashes'),
  path: z.string().default(''),
  username: z.string().min(1, 'username is required'),
  domain: z.string().optional(),
  encrypt: flag.default(false),
  smbclient: z.string().default('smbclient'),
  ...targetLimitsShape, ...targetPlacementShape,
});

export const smbDriver: TargetDriver<SmbConfig> = {
  kind: 'smb',
  describe: 'a Windows or Samba share (SMB3, signing; encryption on request)',
  medium: 'a network share',
  removable: false,
  configSchema: configSchema as z.ZodType<SmbConfig>,
  async open(config, ctx) {
    if (!ctx.secret) throw new LifeboatError('CONFIG_INVALID', { verb: 'open', thing: 'SMB target', where: `//${config.host}/${config.share}`, cause: 'it needs a password (the secret)' });
    if (process.platform === 'win32') {
      // Windows' own client: a custom port is not expressible in a UNC path, encryption is the server's policy.
      await applyUncCredentials(config.host, config.share, config.domain ? `${config.domain}\\${config.username}` : config.username, ctx.secret);
      return new UncFolderTarget({ path: uncPath(config.host, config.share, config.path) });
    }
    return new SmbClientTarget({ host: config.host, port: config.port, share: config.share, username: config.username, domain: config.domain, password: ctx.secret, encrypt: config.encrypt, smbclient: config.smbclient }, config.path).open();
  },
};
