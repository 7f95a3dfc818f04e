import { createHash } from 'node:crypto';
import type { Target } from '../targets/target.ts';
import { MANIFEST, REPO_DIR } from './layout.ts';
import { parseManifest, type Manifest } from './manifest.ts';
import { readText } from './read-text.ts';
import { isLifeboatError } from '../errors/lifeboat-error.ts';

export interface ScannedSet {
  path: string;
  manifest: Manifest;
  manifestSha256: string;
}

export interface RepoScan {
  complete: ScannedSet[];
  /** Set folders without MANIFEST.json: interrupted or in progress; never restorable. */
  incomplete: { path: string; newest: Date; objects: string[] }[];
  /** Manifests that failed to parse, with the reason. */
  rejected: { path: string; reason: string }[];
}

const MAX_MANIFEST = 4 * 1024 * 1024;

/** Reads the repository tree alone: the basis of `catalog rebuild` and of incomplete-set cleaning. */
export async function scanRepo(target: Target): Promise<RepoScan> {
  const objects = await target.list(`${REPO_DIR}/`);
  const bySet = new Map<string, { names: string[]; newest: Date }>();
  for (const o of objects) {
    const parts = o.name.split('/');
    // lifeboat/<server>/<database>/<set>/<file>
    if (parts.length !== 5) continue;
    const dir = parts.slice(0, 4).join('/');
    const e = bySet.get(dir) ?? { names: [], newest: new Date(0) };
    e.names.push(parts[4]!);
    if (o.mtime > e.newest) e.newest = o.mtime;
    bySet.set(dir, e);
  }
  const scan: RepoScan = { complete: [], incomplete: [], rejected: [] };
  for (const [dir, e] of [...bySet].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!e.names.includes(MANIFEST)) {
      scan.incomplete.push({ path: dir, newest: e.newest, objects: e.names.map((n) => `${dir}/${n}`) });
      continue;
    }
    try {
      const text = await readText(target, `${dir}/${MANIFEST}`, MAX_MANIFEST);
      const manifest = parseManifest(text, `${target.location}/${dir}/${MANIFEST}`);
      scan.complete.push({ path: dir, manifest, manifestSha256: createHash('sha256').update(text).digest('hex') });
    } catch (err) {
      if (!isLifeboatError(err)) throw err;
      scan.rejected.push({ path: dir, reason: err.message });
    }
  }
  return scan;
}
