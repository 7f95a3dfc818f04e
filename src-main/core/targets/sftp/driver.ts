import fs from 'node:fs';
import { z } from 'zod';
import type { TargetDriver } from '../registry.ts';
import { targetLimitsShape } from '../decorators/target-limits.ts';
import { targetPlacementShape } from '../target-placement.ts';
import { LifeboatError } from '../../errors/lifeboat-error.ts';
import { FINGERPRINT_PATTERN } from './host-key.ts';
import type { SftpAuth, SftpConfig } from './sftp-target.ts';

// Values may arrive as strings from `--option key=value`, hence the coercions.
const configSchema = z.object({
  host: z.string().min(1, 'host is required'),
  port: z.coerce.number().int().min(1).max(65535).default(22),
  username: z.string().min(1, 'username is required'),
  path: z.string().min(1, 'path is required'),
  privateKeyFile: z.string().min(1).optional(),
  hostKeySha256: z.string().regex(FINGERPRINT_PATTERN, 'must look like SHA256:<43 base64 characters>, as ssh-keygen -lf prints it').optional(),
  remoteHash: z.enum(['auto', 'off']).default('auto'),
  keepaliveSeconds: z.coerce.number().int().min(0).max(3600).default(15),
  // No progress (no write acknowledged, no block read, no answer) for this long fails the operation as
  // TARGET_UNREACHABLE, which is retried; 0 turns the watchdog off. Fractions are for tests.
  stallSeconds: z.coerce.number().min(0).max(3600).default(60),
  ...targetLimitsShape, ...targetPlacementShape,
});

export const sftpDriver: TargetDriver<SftpConfig> = {
  kind: 'sftp',
  describe: 'a folder on an SSH server (NAS, Linux host); password or key login, pinned host key',
  medium: 'an SSH server',
  removable: false,
  configSchema: configSchema as z.ZodType<SftpConfig>,
  async open(config, ctx) {
    const auth: SftpAuth = {};
    if (config.privateKeyFile) {
      try {
        auth.privateKey = fs.readFileSync(config.privateKeyFile);
      } catch (err) {
        throw new LifeboatError('CONFIG_INVALID', { verb: 'read', thing: 'SSH private key', where: config.privateKeyFile, cause: (err as Error).message });
      }
      if (ctx.secret) auth.passphrase = ctx.secret;
    } else if (ctx.secret) {
      auth.password = ctx.secret;
    } else {
      throw new LifeboatError('CONFIG_INVALID', { verb: 'open', thing: 'SFTP target', where: `${config.username}@${config.host}`, cause: 'it needs a password (the secret) or privateKeyFile' });
    }
    // ssh2 is loaded when an SFTP target is first opened, not by every command that lists the drivers.
    const { SftpTarget } = await import('./sftp-target.ts');
    return new SftpTarget(config, auth, ctx.name).open();
  },
};
