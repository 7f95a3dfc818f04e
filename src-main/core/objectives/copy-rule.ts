import type { Catalog } from '../catalog/catalog.ts';
import type { CopyRecord, SetRecord } from '../catalog/sets-repo.ts';
import { TARGET_DRIVERS } from '../targets/registry.ts';
import { isOffsiteTarget } from '../targets/target-placement.ts';

/** A copy of one set, named for an operator: the target, and the disk when it is on a rotated one. */
export interface CopyPlace {
  setId: string;
  finishedAt: string;
  target: string;
  disk: string | null;
}

/**
 * The 3-2-1-1-0 practice for one database, counted from the catalog (reference/compliance.md §1.6: industry
 * practice, not regulation): 3 copies of the data, on 2 media, 1 off site, 1 offline, 0 errors in verification.
 */
export interface CopyRule {
  /** The newest set with a copy present. */
  newestSet: { id: string; finishedAt: string } | null;
  /** Copies present of the newest set. With the live database itself that is copies + 1 copies of the data. */
  copies: number;
  /** The media those copies are on (a driver's declared medium), each once, in alphabetical order. */
  media: string[];
  /** Copies of any set away from the site: on a rotated disk taken off site, or on a target declared off site. Newest first. */
  offsite: CopyPlace[];
  /** Copies of any set on a rotated disk taken off site (ejected): out of reach of anything on this network. Newest first. */
  offline: CopyPlace[];
  /** The latest checks that failed: a present copy's SHA-256 check (L1), a set's engine check (L2), the newest restore drill. */
  errors: string[];
  /** The newest verification of any set of this database, at any level. */
  lastVerification: { setId: string; level: number; result: 'passed' | 'failed'; at: string } | null;
  /** Which parts hold; `missing` says, in words, what does not. */
  met: { copies: boolean; media: boolean; offsite: boolean; offline: boolean; errors: boolean; all: boolean };
  missing: string[];
}

const present = (s: SetRecord) => s.copies.filter((c) => c.status === 'present');

/**
 * The present copies of `sets` (oldest first) that are away from the site, newest first: offline (on a rotated
 * disk taken off site) and off site (those, and copies on a target declared off site). The catalog is read once.
 */
export function awayCopies(catalog: Catalog, sets: ReadonlyArray<SetRecord>): { offline: CopyPlace[]; offsite: CopyPlace[] } {
  const targets = new Map(catalog.targets.list().map((t) => [t.id, t]));
  const disks = new Map(catalog.media.list().map((m) => [m.id, m]));
  const place = (s: SetRecord, c: CopyRecord): CopyPlace => ({
    setId: s.id, finishedAt: s.finishedAt, target: targets.get(c.targetId)?.name ?? c.targetId,
    disk: c.mediaId ? disks.get(c.mediaId)?.label ?? c.mediaId : null,
  });
  const offline: CopyPlace[] = [];
  const offsite: CopyPlace[] = [];
  for (const s of [...sets].reverse()) {
    for (const c of present(s)) {
      const diskAway = c.mediaId ? disks.get(c.mediaId)?.offSite ?? false : false;
      if (diskAway) offline.push(place(s, c));
      if (diskAway || isOffsiteTarget(targets.get(c.targetId)?.config ?? {})) offsite.push(place(s, c));
    }
  }
  return { offline, offsite };
}

/** 3-2-1-1-0 for `database` on `server` (its sets' source name); `sets`: its sets, oldest first, when the caller has them. */
export function copyRule(catalog: Catalog, server: string, database: string, sets: SetRecord[] = catalog.sets.list({ server, database })): CopyRule {
  const targets = new Map(catalog.targets.list().map((t) => [t.id, t]));
  const newest = sets.filter((s) => present(s).length > 0).at(-1) ?? null;
  const newestCopies = newest ? present(newest) : [];
  const media = [...new Set(newestCopies.map((c) => mediumOf(targets.get(c.targetId)?.kind)))].sort();
  const { offline, offsite } = awayCopies(catalog, sets);

  const latest = new Map(catalog.verifications.latestForDatabase(server, database).map((v) => [`${v.setId}|${v.copyId ?? ''}|${v.level}`, v]));
  const latestResult = (setId: string, copyId: string | null, level: number) => latest.get(`${setId}|${copyId ?? ''}|${level}`)?.result;
  const newestCheck = [...latest.values()].at(-1);
  const lastVerification = newestCheck ? { setId: newestCheck.setId, level: newestCheck.level, result: newestCheck.result, at: newestCheck.finishedAt } : null;
  const errors: string[] = [];
  for (const s of sets) {
    for (const c of present(s)) {
      if (latestResult(s.id, c.id, 1) === 'failed') errors.push(`set ${s.id}: the copy on ${targets.get(c.targetId)?.name ?? c.targetId} failed its SHA-256 check`);
    }
    if (latestResult(s.id, null, 2) === 'failed') errors.push(`set ${s.id}: its engine check failed`);
  }
  const drill = catalog.drills.list({ server, database, limit: 1 })[0];
  if (drill?.status === 'failed') errors.push(`the restore drill of ${drill.startedAt} failed${drill.errorMessage ? `: ${drill.errorMessage}` : ''}`);

  // "0 errors" needs proof that the newest set was checked, not only the absence of failures.
  const newestVerified = newest !== null && newestCopies.some((c) => latestResult(newest.id, c.id, 1) === 'passed');
  const met = { copies: newestCopies.length >= 2, media: media.length >= 2, offsite: offsite.length > 0, offline: offline.length > 0, errors: errors.length === 0 && newestVerified, all: false };
  met.all = met.copies && met.media && met.offsite && met.offline && met.errors;
  const missing = [
    ...(met.copies ? [] : [`3 copies: the newest set has ${newestCopies.length} (with the database itself, ${newestCopies.length + 1})`]),
    ...(met.media ? [] : [`2 media: the newest set's copies are on ${media.length === 0 ? 'none' : media.join(', ')}`]),
    ...(met.offsite ? [] : ['1 off site: no copy is on a disk taken off site or on a target declared off site']),
    ...(met.offline ? [] : ['1 offline: no copy is on a rotated disk taken off site (lifeboat target eject)']),
    ...(met.errors ? [] : [errors.length ? `0 errors: ${errors.length} ${errors.length === 1 ? 'check' : 'checks'} failed` : '0 errors: the newest set has no passed SHA-256 check yet']),
  ];
  return { newestSet: newest ? { id: newest.id, finishedAt: newest.finishedAt } : null, copies: newestCopies.length, media, offsite, offline, errors, lastVerification, met, missing };
}

function mediumOf(kind: string | undefined): string {
  return (kind && TARGET_DRIVERS[kind]?.medium) || `targets of kind ${kind ?? 'unknown'}`;
}
