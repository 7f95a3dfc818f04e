import fsp from 'node:fs/promises';
import path from 'node:path';
import { RepoJsonSchema } from '../../repo/repo-json.ts';
import { REPO_JSON } from '../../repo/layout.ts';

export interface DiskMarker {
  id: string;
  set: string;
  label: string;
}

export interface PresentDisk extends DiskMarker {
  mount: string;
}

const MAX_MARKER = 64 * 1024;

/**
 * Reads the marker in <mount>/lifeboat/REPO.json. A missing, oversized or malformed file (an empty mount
 * point, a foreign disk, a hostile one back from off site) is simply "not one of ours": null.
 */
export async function readDiskMarker(mount: string): Promise<DiskMarker | null> {
  const file = path.join(mount, ...REPO_JSON.split('/'));
  try {
    const st = await fsp.stat(file);
    if (!st.isFile() || st.size > MAX_MARKER) return null;
    const parsed = RepoJsonSchema.safeParse(JSON.parse(await fsp.readFile(file, 'utf8')));
    const disk = parsed.success ? parsed.data.disk : undefined;
    return disk && disk.id.length >= 8 ? { id: disk.id, set: disk.set, label: disk.label } : null;
  } catch {
    return null;
  }
}

/** The disks of `set` among the candidate mount paths, in candidate order. */
export async function presentDisks(set: string, mounts: string[]): Promise<PresentDisk[]> {
  const out: PresentDisk[] = [];
  const seen = new Set<string>();
  for (const mount of mounts) {
    const m = await readDiskMarker(mount);
    if (m && m.set === set && !seen.has(m.id)) {
      seen.add(m.id);
      out.push({ ...m, mount: path.resolve(mount) });
    }
  }
  return out;
}
