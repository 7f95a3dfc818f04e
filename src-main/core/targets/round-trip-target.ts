import { Readable } from 'node:stream';
import { createHash, randomBytes } from 'node:crypto';
import type { CoreContext } from '../context.ts';
import type { TargetCapabilities } from './target.ts';
import { openTarget } from '../open-drivers.ts';
import { hashObject } from '../verify/hash-object.ts';
import { LifeboatError } from '../errors/lifeboat-error.ts';

export interface RoundTripResult {
  name: string;
  kind: string;
  location: string;
  ok: true;
  roundTripMs: number;
  remoteHash: boolean;
  freeBytes: number | null;
  /** Objects already in the target's repository folder: 0 on a new target, more on one that holds sets. */
  objects: number;
  capabilities: TargetCapabilities;
}

/**
 * Testing a target (the CLI's `target test`, the console's Test): writes a 256 KiB probe object, reads it back,
 * compares its SHA-256 and removes it; reports free space where the target can tell and what its repository
 * already holds. A probe that reads back different is VERIFY_MISMATCH.
 */
export async function roundTripTarget(ctx: CoreContext, name: string): Promise<RoundTripResult> {
  const rec = ctx.catalog.targets.get(name);
  const t = await openTarget(ctx, rec);
  try {
    const probe = `lifeboat/.probe-${randomBytes(6).toString('hex')}`;
    const data = randomBytes(256 * 1024);
    const objects = (await t.list('lifeboat/')).length;
    const started = Date.now();
    await t.put(probe, Readable.from([data]));
    const h = await hashObject(t, probe);
    await t.remove(probe);
    if (h.sha256 !== createHash('sha256').update(data).digest('hex')) {
      throw new LifeboatError('VERIFY_MISMATCH', { verb: 'test', thing: 'target', where: name, cause: 'the probe object read back differs from what was written' });
    }
    const free = t.capabilities.freeSpace && t.freeSpace ? await t.freeSpace() : null;
    return { name, kind: rec.kind, location: t.location, ok: true, roundTripMs: Date.now() - started, remoteHash: h.remote, freeBytes: free, objects, capabilities: t.capabilities };
  } finally {
    await t.close();
  }
}
