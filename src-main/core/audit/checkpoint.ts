import fs from 'node:fs';
import path from 'node:path';
import { createPublicKey, sign, verify } from 'node:crypto';
import type { CoreContext } from '../context.ts';
import type { CheckpointRecord } from '../catalog/checkpoints-repo.ts';
import { canonicalJson } from './canonical-json.ts';
import { GENESIS_HASH } from './chain-hash.ts';
import { loadDeviceKey } from './device-key.ts';
import { newId } from '../util/ids.ts';
import { fromErrno } from '../errors/errno.ts';

export const CHECKPOINT_INTERVAL_MS = 24 * 60 * 60 * 1000;

/** A second copy of every checkpoint, outside the catalog: deleting checkpoint rows does not hide a truncation. */
export function checkpointLogFile(homeRoot: string): string {
  return path.join(homeRoot, 'audit-checkpoints.jsonl');
}

/** The exact bytes that are signed. */
export function checkpointPayload(c: Pick<CheckpointRecord, 'at' | 'entryCount' | 'headSeq' | 'headHash' | 'keyId'>): string {
  return canonicalJson({ kind: 'lifeboat-audit-checkpoint', v: 1, at: c.at, entryCount: c.entryCount, headSeq: c.headSeq, headHash: c.headHash, keyId: c.keyId });
}

export function checkpointSignatureValid(c: CheckpointRecord, publicKeyB64: string): boolean {
  try {
    const key = createPublicKey({ key: Buffer.from(publicKeyB64, 'base64'), format: 'der', type: 'spki' });
    return verify(null, Buffer.from(checkpointPayload(c)), key, Buffer.from(c.signature, 'base64'));
  } catch {
    return false;
  }
}

/** Signs the chain's head and entry count now, stores it in the catalog and in the log file, and audits it. */
export function takeCheckpoint(ctx: CoreContext, trigger: 'daily' | 'manual' | 'report', now: Date = new Date()): CheckpointRecord {
  const key = loadDeviceKey(ctx.home.root, { create: true })!;
  const head = ctx.catalog.audit.head();
  const base = { at: now.toISOString(), entryCount: head?.count ?? 0, headSeq: head?.seq ?? 0, headHash: head?.hash ?? GENESIS_HASH, keyId: key.keyId };
  const signature = sign(null, Buffer.from(checkpointPayload(base)), key.privateKey).toString('base64');
  const rec: CheckpointRecord = { id: newId('ckp'), ...base, publicKey: key.publicKeyB64, signature, trigger, actor: ctx.actor };
  ctx.catalog.checkpoints.add(rec);
  const file = checkpointLogFile(ctx.home.root);
  try {
    fs.appendFileSync(file, JSON.stringify(rec) + '\n', { mode: 0o600 });
  } catch (err) {
    throw fromErrno(err, 'write', 'audit checkpoint log', file);
  }
  ctx.catalog.audit.append({ actor: ctx.actor, action: 'audit.checkpoint', object: rec.id, outcome: 'success', detail: { trigger, headSeq: rec.headSeq, entryCount: rec.entryCount, headHash: rec.headHash, keyId: rec.keyId } });
  return rec;
}

/** For the agent's daily timer: takes a checkpoint when none was taken in the last interval. */
export function takeCheckpointIfDue(ctx: CoreContext, now: Date = new Date(), intervalMs = CHECKPOINT_INTERVAL_MS): CheckpointRecord | null {
  const last = ctx.catalog.checkpoints.latest();
  if (last && now.getTime() - Date.parse(last.at) < intervalMs) return null;
  return takeCheckpoint(ctx, 'daily', now);
}

/** Checkpoints from the catalog and from the log file, one entry per id; unreadable log lines are skipped. */
export function allCheckpoints(ctx: CoreContext): { records: CheckpointRecord[]; onlyInLog: string[] } {
  const byId = new Map<string, CheckpointRecord>();
  for (const c of ctx.catalog.checkpoints.list()) byId.set(c.id, c);
  const onlyInLog: string[] = [];
  let text = '';
  try {
    text = fs.readFileSync(checkpointLogFile(ctx.home.root), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw fromErrno(err, 'read', 'audit checkpoint log', checkpointLogFile(ctx.home.root));
  }
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let c: CheckpointRecord;
    try { c = JSON.parse(line) as CheckpointRecord; } catch { continue; }
    if (typeof c.id !== 'string' || byId.has(c.id)) continue;
    byId.set(c.id, c);
    onlyInLog.push(c.id);
  }
  const records = [...byId.values()].sort((a, b) => a.headSeq - b.headSeq || a.at.localeCompare(b.at));
  return { records, onlyInLog };
}
