import type { CoreContext } from '../../context.ts';
import type { MediaRecord } from '../../catalog/media-repo.ts';
import { openTarget } from '../../open-drivers.ts';
import { isLifeboatError } from '../../errors/lifeboat-error.ts';
import { initDisk } from './init-disk.ts';
import { ejectDisk, recordMediaUse } from './eject-disk.ts';

/** `lifeboat target init-disk`: writes the disk's marker and registers it in the media register. Audited. */
export async function initAndRegisterDisk(ctx: CoreContext, input: { mount: string; set: string; label: string }): Promise<MediaRecord & { created: boolean }> {
  const disk = await initDisk({ mount: input.mount, set: input.set, label: input.label, site: ctx.site });
  const targetId = ctx.catalog.targets.list().find((t) => t.config.set === input.set)?.id ?? null;
  const m = ctx.catalog.media.register({ id: disk.id, setName: input.set, label: input.label, targetId });
  ctx.catalog.media.markSeen(disk.id, disk.mount);
  ctx.catalog.audit.append({ actor: ctx.actor, action: 'media.init', object: disk.id, outcome: 'success', detail: { set: input.set, label: input.label, created: disk.created } });
  return { ...m, created: disk.created };
}

/** `lifeboat target eject`: flushes the present disk and marks it off site. Audited. */
export async function ejectAndRecord(ctx: CoreContext, targetName: string): Promise<MediaRecord> {
  const m = await ejectDisk(ctx, ctx.catalog.targets.get(targetName));
  ctx.catalog.audit.append({ actor: ctx.actor, action: 'media.eject', object: m.id, outcome: 'success', detail: { target: targetName, label: m.label } });
  return m;
}

/** The media register, after recording every disk of a rotation set that is plugged in now as seen (back on site). */
export async function mediaRegister(ctx: CoreContext): Promise<MediaRecord[]> {
  for (const rec of ctx.catalog.targets.list()) {
    if (!('set' in rec.config)) continue;
    try {
      const t = await openTarget(ctx, rec);
      try { recordMediaUse(ctx, rec.id, t); } finally { await t.close(); }
    } catch (err) {
      if (!isLifeboatError(err, 'MEDIA_ABSENT')) throw err;
    }
  }
  return ctx.catalog.media.list();
}
