import type { Readable } from 'node:stream';
import { LifeboatError } from '../../errors/lifeboat-error.ts';
import { FolderTarget } from '../local/folder-target.ts';
import { checkObjectName } from '../object-name.ts';
import type { ObjectInfo, PutResult, Target, TargetCapabilities } from '../target.ts';
import { presentDisks, readDiskMarker, type PresentDisk } from './disk-marker.ts';

/**
 * A rotation set: several disks, one of which is plugged in at a time. The target binds to whichever disk
 * of the set is present when it is opened, and only to a folder carrying that disk's marker: an empty
 * mount point or a foreign disk is never written, so backups cannot land on the system disk.
 */
export class UsbTarget implements Target {
  readonly kind = 'usb';
  readonly location: string;
  readonly capabilities: TargetCapabilities = { atomicRename: true, remoteHash: false, freeSpace: true, removable: true };
  /** The disk bound at open: the runner records copies against disk.id (copies.media_id). */
  readonly disk: PresentDisk;
  readonly #folder: FolderTarget;

  private constructor(disk: PresentDisk) {
    this.disk = disk;
    this.#folder = new FolderTarget({ path: disk.mount });
    this.location = `usb:${disk.set}/${disk.label} (${disk.mount})`;
  }

  /** The first disk of the set that is present, or with `diskId`, that disk only. */
  static async open(set: string, mounts: string[], diskId: string | null = null): Promise<UsbTarget> {
    const disks = await presentDisks(set, mounts);
    const disk = diskId ? disks.find((d) => d.id === diskId) : disks[0];
    if (!disk && diskId) {
      throw new LifeboatError('MEDIA_ABSENT', {
        verb: 'read from', thing: 'rotation set', where: set, cause: `the disk holding this copy (${diskId}) is not plugged in`,
        hint: 'plug that disk in (see "lifeboat media list" for its label), or use another copy', details: { set, disk: diskId, probed: mounts },
      });
    }
    if (!disk) {
      throw new LifeboatError('MEDIA_ABSENT', {
        verb: 'write to', thing: 'rotation set', where: set, cause: `no disk of set ${set} present`,
        hint: 'plug in one of the set\'s disks (see "lifeboat media list"); nothing was written anywhere',
        details: { set, probed: mounts },
      });
    }
    return new UsbTarget(disk);
  }

  /** The disk may have been swapped since open: write only while the same marker is there. */
  async #requireDisk(verb: string): Promise<void> {
    const now = await readDiskMarker(this.disk.mount);
    if (now?.id !== this.disk.id) {
      throw new LifeboatError('MEDIA_ABSENT', { verb, thing: 'rotation set', where: this.disk.set, cause: `disk '${this.disk.label}' is no longer present at ${this.disk.mount}` });
    }
  }

  async put(name: string, data: Readable, opts?: { signal?: AbortSignal }): Promise<PutResult> {
    checkObjectName(name);
    await this.#requireDisk('write to');
    return this.#folder.put(name, data, opts);
  }

  // Names are checked here too, so a bad one is reported as USAGE before the folder target sees it.
  async get(name: string, range?: { start: number; end?: number }): Promise<Readable> { return this.#folder.get(checkObjectName(name), range); }
  async stat(name: string): Promise<ObjectInfo> { return this.#folder.stat(checkObjectName(name)); }
  list(prefix: string): Promise<ObjectInfo[]> { return this.#folder.list(prefix); }

  async remove(name: string): Promise<void> {
    checkObjectName(name);
    await this.#requireDisk('remove from');
    return this.#folder.remove(name);
  }

  freeSpace(): Promise<number> { return this.#folder.freeSpace(); }
  async close(): Promise<void> {}
}

/** The disk behind a target, when it is a removable one (also through decorators, which delegate by prototype). */
export function mediaOf(target: Target): PresentDisk | null {
  if (!target.capabilities.removable) return null;
  const disk = (target as { disk?: PresentDisk }).disk;
  return disk && typeof disk.id === 'string' ? disk : null;
}
