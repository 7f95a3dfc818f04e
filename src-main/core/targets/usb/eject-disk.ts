import { spawnSync } from 'node:child_process';
import type { CoreContext } from '../../context.ts';
import type { ConfigRecord } from '../../catalog/config-repo.ts';
import { openTarget } from '../../open-drivers.ts';
import { LifeboatError } from '../../errors/lifeboat-error.ts';
import { mediaOf } from './usb-target.ts';
import type { MediaRecord } from '../../catalog/media-repo.ts';

/**
 * Flushes the present disk of a rotation set to the device and records it as taken off site: from then on
 * it counts as the offline copy until it is seen mounted again.
 */
export async function ejectDisk(ctx: CoreContext, target: ConfigRecord): Promise<MediaRecord> {
  const t = await openTarget(ctx, target);
  try {
    const disk = mediaOf(t);
    if (!disk) throw new LifeboatError('USAGE', { verb: 'eject', thing: 'target', where: target.name, cause: 'it is not a removable-disk target' });
    if (process.platform !== 'win32') {
      // `sync -f` flushes the file system holding the mount; plain `sync` where -f is unknown.
      const r = spawnSync('sync', ['-f', disk.mount]);
      if (r.status !== 0) spawnSync('sync');
    }
    ctx.catalog.media.register({ id: disk.id, setName: disk.set, label: disk.label, targetId: target.id });
    ctx.catalog.media.markSeen(disk.id, disk.mount);
    ctx.catalog.media.setOffSite(disk.id, true);
    return ctx.catalog.media.get(disk.id);
  } finally {
    await t.close();
  }
}

/** Records in the register that a disk of a target was seen (and written, after a run stored a set on it). */
export function recordMediaUse(ctx: CoreContext, targetId: string, target: import('../target.ts').Target, opts: { written?: boolean } = {}): MediaRecord | null {
  const disk = mediaOf(target);
  if (!disk) return null;
  ctx.catalog.media.register({ id: disk.id, setName: disk.set, label: disk.label, targetId });
  ctx.catalog.media.markSeen(disk.id, disk.mount);
  if (opts.written) ctx.catalog.media.markWritten(disk.id);
  return ctx.catalog.media.get(disk.id);
}
