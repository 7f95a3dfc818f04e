import fsp from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { LifeboatError } from '../../errors/lifeboat-error.ts';
import { readRepoJson, writeRepoJson, type RepoJson } from '../../repo/repo-json.ts';
import { FolderTarget } from '../local/folder-target.ts';
import type { DiskMarker } from './disk-marker.ts';

/**
 * Makes a mounted disk a member of rotation set `set`: writes the marker (a random disk id, the set, a
 * label) into its lifeboat/REPO.json. A disk already marked for this set keeps its id (re-labelled); one
 * marked for another set is refused, so a disk cannot silently change sets and lose its history.
 */
export async function initDisk(input: { mount: string; set: string; label: string; site: string }): Promise<DiskMarker & { mount: string; created: boolean }> {
  const mount = path.resolve(input.mount);
  if (mount === path.parse(mount).root) {
    throw new LifeboatError('USAGE', { verb: 'initialise', thing: 'disk', where: mount, cause: 'that is the root of a file system (the system disk?), not a backup disk mount' });
  }
  const st = await fsp.stat(mount).catch(() => null);
  if (!st?.isDirectory()) throw new LifeboatError('TARGET_MISSING', { verb: 'initialise', thing: 'disk', where: mount, cause: 'no such folder: is the disk mounted?' });
  if (!input.set.trim() || !input.label.trim()) throw new LifeboatError('USAGE', { verb: 'initialise', thing: 'disk', where: mount, cause: 'a set name and a label are required' });
  const folder = new FolderTarget({ path: mount });
  const existing = await readRepoJson(folder);
  if (existing?.disk && existing.disk.set !== input.set) {
    throw new LifeboatError('ALREADY_EXISTS', { verb: 'initialise', thing: 'disk', where: mount, cause: `it belongs to rotation set '${existing.disk.set}' (label '${existing.disk.label}')` });
  }
  const disk: DiskMarker = { id: existing?.disk?.id ?? `disk_${randomUUID().replace(/-/g, '')}`, set: input.set, label: input.label };
  const repo: RepoJson = existing
    ? { ...existing, disk }
    : { format: 'lifeboat-repo', formatVersion: 1, repoId: randomUUID(), site: input.site, createdAt: new Date().toISOString(), disk };
  await writeRepoJson(folder, repo);
  return { ...disk, mount, created: !existing?.disk };
}
