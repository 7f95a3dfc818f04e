import type { BackupType } from '../../catalog/jobs-repo.ts';
import type { PlannableSet } from '../engine.ts';
import { parseLsn } from './lsn.ts';

/** The chain fields one SQL Server set carries in the catalog and MANIFEST.json, typed for the planners. */
export interface ChainedSet {
  id: string;
  type: BackupType;
  firstLsn: bigint;
  lastLsn: bigint;
  checkpointLsn: bigint | null;
  databaseBackupLsn: bigint | null;
  differentialBaseLsn: bigint | null;
  recoveryForkId: string | null;
  isCopyOnly: boolean;
  /** When the server finished writing the backup (falls back to the set's finish): a base must end before the target. */
  finishedAt: number;
  /** The later of that and the set's own finish (after shipping): a set "reaches" any time up to this. */
  reachesAt: number;
}

/** Reads a set's chain; a set without readable first/last LSNs cannot take part in a chain and yields null. */
export function readChain(s: PlannableSet): ChainedSet | null {
  const c = s.chain ?? {};
  const firstLsn = parseLsn(c.firstLsn);
  const lastLsn = parseLsn(c.lastLsn);
  if (firstLsn === null || lastLsn === null) return null;
  const finished = typeof c.backupFinishedAt === 'string' ? Date.parse(c.backupFinishedAt) : NaN;
  return {
    id: s.id,
    type: s.type,
    firstLsn,
    lastLsn,
    checkpointLsn: parseLsn(c.checkpointLsn),
    databaseBackupLsn: parseLsn(c.databaseBackupLsn),
    differentialBaseLsn: parseLsn(c.differentialBaseLsn),
    recoveryForkId: typeof c.recoveryForkId === 'string' ? c.recoveryForkId.toLowerCase() : null,
    isCopyOnly: c.isCopyOnly === true || s.type === 'copy-only',
    finishedAt: Number.isFinite(finished) ? finished : Date.parse(s.finishedAt),
    reachesAt: Math.max(Number.isFinite(finished) ? finished : 0, Date.parse(s.finishedAt)),
  };
}

export function isFullBackup(s: ChainedSet): boolean {
  return s.type === 'full' || s.type === 'copy-only';
}

export function sameFork(a: ChainedSet, forkId: string | null): boolean {
  return forkId === null || a.recoveryForkId === null || a.recoveryForkId === forkId.toLowerCase();
}
