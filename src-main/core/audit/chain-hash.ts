import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.ts';

/** The previous hash of the first entry: the chain starts from a fixed, published value. */
export const GENESIS_HASH = '0'.repeat(64);

/** The stored columns of one audit entry, exactly as they are in the catalog (JSON columns as text). */
export interface ChainedFields {
  seq: number;
  at: string;
  actor: string;
  role: string | null;
  host: string | null;
  action: string;
  object: string | null;
  old_value: string | null;
  new_value: string | null;
  outcome: string;
  reason: string | null;
  detail: string;
  app_version: string | null;
}

/**
 * SHA-256 over the canonical JSON of the entry and the previous entry's hash. The seq is inside the hash,
 * so moving an entry to another position breaks it even when its content is untouched; the stored text of
 * JSON columns is hashed as text, so no re-serialisation can change the result.
 */
export function entryHash(fields: ChainedFields, prevHash: string): string {
  const doc = {
    v: 1, seq: fields.seq, at: fields.at, actor: fields.actor, role: fields.role, host: fields.host, action: fields.action,
    object: fields.object, old_value: fields.old_value, new_value: fields.new_value, outcome: fields.outcome, reason: fields.reason,
    detail: fields.detail, app_version: fields.app_version, prev_hash: prevHash,
  };
  return createHash('sha256').update(canonicalJson(doc)).digest('hex');
}
