import type { CoreContext } from '../context.ts';
import type { CheckpointRecord } from '../catalog/checkpoints-repo.ts';
import { entryHash, GENESIS_HASH } from './chain-hash.ts';
import { allCheckpoints, checkpointSignatureValid } from './checkpoint.ts';
import { loadDeviceKey } from './device-key.ts';

export type ChainProblemKind = 'missing' | 'altered' | 'relinked' | 'unsealed' | 'truncated' | 'rechained' | 'checkpoint-invalid' | 'checkpoint-removed';

export interface ChainProblem {
  kind: ChainProblemKind;
  /** The first entry the problem concerns (for 'rechained', the first entry that may have been rewritten). */
  seq: number;
  message: string;
}

export interface ChainVerification {
  ok: boolean;
  entries: number;
  firstSeq: number | null;
  lastSeq: number | null;
  headHash: string;
  /** The first bad entry's seq, the one to name to a person. */
  firstBadSeq: number | null;
  problems: ChainProblem[];
  checkpoints: { count: number; verified: number; latest: CheckpointRecord | null; keyId: string | null };
  verifiedAt: string;
}

/**
 * Walks the whole chain: every entry's hash is recomputed from its stored columns, every link to the
 * previous hash checked and every seq accounted for (edits, deletions, reorders). A chain rewritten end to
 * end is consistent with itself, so each signed checkpoint is then compared with the entry at its head
 * (re-chaining) and with the chain's length (a cut tail).
 */
export function verifyAuditTrail(ctx: CoreContext): ChainVerification {
  const problems: ChainProblem[] = [];
  const stored = new Map<number, string>();
  let expected = 1;
  let prev = GENESIS_HASH;
  let entries = 0;
  let firstSeq: number | null = null;
  let lastSeq: number | null = null;
  for (const row of ctx.catalog.audit.rows()) {
    entries++;
    firstSeq ??= row.seq;
    lastSeq = row.seq;
    if (row.seq !== expected) {
      const gap = row.seq > expected ? `entr${row.seq - expected > 1 ? `ies ${expected} to ${row.seq - 1} are` : `y ${expected} is`} missing` : `entry ${row.seq} is out of order`;
      problems.push({ kind: 'missing', seq: Math.min(expected, row.seq), message: `${gap} (seq goes from ${expected - 1} to ${row.seq})` });
    }
    if (row.hash === null) {
      problems.push({ kind: 'unsealed', seq: row.seq, message: `entry ${row.seq} carries no hash` });
    } else {
      if (entryHash(row, row.prev_hash ?? '') !== row.hash) {
        problems.push({ kind: 'altered', seq: row.seq, message: `entry ${row.seq} was changed after it was written (${row.action}${row.object ? ` ${row.object}` : ''})` });
      } else if (row.prev_hash !== prev && row.seq === expected) {
        // This entry is intact, so the one before it was rewritten with a fresh hash of its own.
        problems.push({ kind: 'relinked', seq: row.seq - 1, message: `entry ${row.seq - 1} was rewritten: entry ${row.seq} recorded a different hash for it` });
      }
      stored.set(row.seq, row.hash);
    }
    prev = row.hash ?? '';
    expected = row.seq + 1;
  }

  const device = loadDeviceKey(ctx.home.root, { create: false });
  const { records, onlyInLog } = allCheckpoints(ctx);
  let verified = 0;
  let lastGoodSeq = 0;
  let latest: CheckpointRecord | null = null;
  for (const c of records) {
    if (!device || c.keyId !== device.keyId || !checkpointSignatureValid(c, device.publicKeyB64)) {
      problems.push({ kind: 'checkpoint-invalid', seq: c.headSeq, message: `checkpoint ${c.id} of ${c.at} is not signed by this device's audit key${device ? ` (${device.keyId})` : ' (the key file is missing)'}` });
      continue;
    }
    verified++;
    if (!latest || c.at > latest.at) latest = c;
    if (onlyInLog.includes(c.id)) problems.push({ kind: 'checkpoint-removed', seq: c.headSeq, message: `checkpoint ${c.id} of ${c.at} is in the checkpoint log but was removed from the catalog` });
    if (c.headSeq === 0) continue;
    const at = stored.get(c.headSeq);
    if (lastSeq === null || c.headSeq > lastSeq) {
      problems.push({ kind: 'truncated', seq: (lastSeq ?? 0) + 1, message: `the trail ends at entry ${lastSeq ?? 0} but checkpoint ${c.id} of ${c.at} signed ${c.entryCount} entries up to entry ${c.headSeq}: the tail was cut` });
    } else if (at !== undefined && at !== c.headHash) {
      problems.push({ kind: 'rechained', seq: lastGoodSeq + 1, message: `entries ${lastGoodSeq + 1} to ${c.headSeq} were rewritten and re-chained: entry ${c.headSeq} no longer has the hash signed by checkpoint ${c.id} of ${c.at}` });
    } else if (at !== undefined) {
      lastGoodSeq = c.headSeq;
    }
  }

  problems.sort((a, b) => a.seq - b.seq);
  return {
    ok: problems.length === 0,
    entries, firstSeq, lastSeq, headHash: prev || GENESIS_HASH,
    firstBadSeq: problems[0]?.seq ?? null,
    problems,
    checkpoints: { count: records.length, verified, latest, keyId: device?.keyId ?? null },
    verifiedAt: new Date().toISOString(),
  };
}
