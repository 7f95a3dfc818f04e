import type { z } from 'zod';
import type { Target } from './target.ts';
import { localDriver } from './local/driver.ts';
import { sftpDriver } from './sftp/driver.ts';
import { smbDriver } from './smb/driver.ts';
import { usbDriver } from './usb/driver.ts';
import { LifeboatError } from '../errors/lifeboat-error.ts';

export interface TargetOpenContext {
  /** The unsealed secret (password, key passphrase) of the target, if it has one. */
  secret: string | null;
  /** Where drivers may keep state such as approved host keys. */
  home: string;
  /** The target's name in the catalog, for hints that name the command to run (absent for an unsaved target). */
  name?: string;
  /**
   * The medium holding a particular copy (copies.media_id, a disk of a rotation set): a driver with removable
   * media opens that one or fails with MEDIA_ABSENT, so a copy is never judged on another disk of its set.
   */
  mediaId?: string | null;
}

/** A driver: a config schema, a factory, and whether it declares a secret. One line per driver below. */
export interface TargetDriver<C = unknown> {
  kind: string;
  describe: string;
  /** What the copies are kept on, in words: copies on two different media count twice in the 3-2-1-1-0 rule. */
  medium: string;
  /** Its disks are taken away (rotated, carried off site): a copy on one that is away is the offline copy. */
  removable: boolean;
  configSchema: z.ZodType<C>;
  open(config: C, ctx: TargetOpenContext): Promise<Target>;
}

export const TARGET_DRIVERS: Record<string, TargetDriver<any>> = {
  local: localDriver,
  sftp: sftpDriver,
  smb: smbDriver,
  usb: usbDriver,
};

export function targetDriver(kind: string): TargetDriver<unknown> {
  const d = TARGET_DRIVERS[kind];
  if (!d) throw new LifeboatError('USAGE', { verb: 'use', thing: 'target kind', where: kind, cause: `known kinds: ${Object.keys(TARGET_DRIVERS).join(', ')}` });
  return d;
}
