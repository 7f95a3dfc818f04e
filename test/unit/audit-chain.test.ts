import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateKeyPairSync, sign } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCore, closeCore, type CoreContext } from '../../src-main/core/context.ts';
import { verifyAuditTrail } from '../../src-main/core/audit/verify-chain.ts';
import { takeCheckpoint, takeCheckpointIfDue, checkpointPayload, checkpointLogFile } from '../../src-main/core/audit/checkpoint.ts';
import { entryHash, GENESIS_HASH, type ChainedFields } from '../../src-main/core/audit/chain-hash.ts';
import { deviceKeyFile } from '../../src-main/core/audit/device-key.ts';
import { sql as m001 } from '../../src-main/core/catalog/migrations/001-core.ts';

let home: string;
let ctx: CoreContext;

beforeEach(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-audit-'));
  ctx = await openCore({ home, recover: false, actor: 'tester' });
  for (let i = 1; i <= 6; i++) {
    ctx.catalog.audit.append({ actor: 'tester', action: i % 2 ? 'job.change' : 'backup.run', object: `job-${i}`, outcome: 'success', reason: `step ${i}`, oldValue: { n: i - 1 }, newValue: { n: i }, detail: { i, password: 'hunter22' } });
  }
});

afterEach(() => {
  closeCore(ctx);
  fs.rmSync(home, { recursive: true, force: true });
});

/** The attacker's view: the raw SQLite file with the protective triggers dropped. */
function tamper(fn: (db: Database.Database) => void): void {
  const db = new Database(ctx.home.catalog);
  db.exec('DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete; DROP TRIGGER IF EXISTS audit_checkpoints_no_delete;');
  fn(db);
  db.close();
}

/** Recomputes every hash from `fromSeq` on, as someone who knows the algorithm would after an edit. */
function rechain(db: Database.Database, fromSeq: number): void {
  const rows = db.prepare('SELECT * FROM audit_events ORDER BY seq').all() as (ChainedFields & { hash: string })[];
  let prev = GENESIS_HASH;
  for (const r of rows) {
    if (r.seq >= fromSeq) {
      const hash = entryHash(r, prev);
      db.prepare('UPDATE audit_events SET prev_hash = ?, hash = ? WHERE seq = ?').run(prev, hash, r.seq);
      prev = hash;
    } else prev = r.hash;
  }
}

describe('audit trail chain', () => {
  it('chains every entry with who, where, what version, and redacts secrets', () => {
    const v = verifyAuditTrail(ctx);
    expect(v.ok).toBe(true);
    expect(v.entries).toBe(6);
    const rows = ctx.catalog.audit.list({ ascending: true });
    expect(rows[0]!.prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prevHash).toBe(rows[i - 1]!.hash);
    expect(rows[2]).toMatchObject({ actor: 'tester', role: 'system', host: os.hostname(), appVersion: ctx.appVersion, oldValue: { n: 2 }, newValue: { n: 3 } });
    expect(JSON.stringify(rows)).not.toContain('hunter22');
    expect(v.headHash).toBe(rows[5]!.hash);
  });

  it('refuses UPDATE and DELETE through the catalog', () => {
    expect(() => ctx.catalog.db.prepare("UPDATE audit_events SET reason = 'x' WHERE seq = 2").run()).toThrow(/append-only/);
    expect(() => ctx.catalog.db.prepare('DELETE FROM audit_events WHERE seq = 6').run()).toThrow(/append-only/);
    expect(ctx.catalog.audit.get(2)!.reason).toBe('step 2');
  });

  it('names an edited entry', () => {
    tamper((db) => db.prepare("UPDATE audit_events SET detail = '{\"i\":99}' WHERE seq = 4").run());
    const v = verifyAuditTrail(ctx);
    expect(v.ok).toBe(false);
    expect(v.firstBadSeq).toBe(4);
    expect(v.problems[0]).toMatchObject({ kind: 'altered', seq: 4 });
  });

  it('names an entry edited and given a fresh hash of its own', () => {
    tamper((db) => {
      db.prepare("UPDATE audit_events SET outcome = 'failure' WHERE seq = 3").run();
      const r = db.prepare('SELECT * FROM audit_events WHERE seq = 3').get() as ChainedFields & { prev_hash: string };
      db.prepare('UPDATE audit_events SET hash = ? WHERE seq = 3').run(entryHash(r, r.prev_hash));
    });
    const v = verifyAuditTrail(ctx);
    expect(v.firstBadSeq).toBe(3);
    expect(v.problems[0]!.kind).toBe('relinked');
  });

  it('names a deleted entry', () => {
    tamper((db) => db.prepare('DELETE FROM audit_events WHERE seq = 3').run());
    const v = verifyAuditTrail(ctx);
    expect(v.ok).toBe(false);
    expect(v.firstBadSeq).toBe(3);
    expect(v.problems[0]).toMatchObject({ kind: 'missing', seq: 3 });
    expect(v.problems[0]!.message).toContain('entry 3 is missing');
  });

  it('names the first of two swapped entries', () => {
    tamper((db) => {
      db.prepare('UPDATE audit_events SET seq = -2 WHERE seq = 2').run();
      db.prepare('UPDATE audit_events SET seq = 2 WHERE seq = 5').run();
      db.prepare('UPDATE audit_events SET seq = 5 WHERE seq = -2').run();
    });
    const v = verifyAuditTrail(ctx);
    expect(v.ok).toBe(false);
    expect(v.firstBadSeq).toBe(2);
    expect(v.problems.map((p) => p.seq)).toContain(5);
  });

  it('detects a re-chained trail only through a signed checkpoint', () => {
    tamper((db) => {
      db.prepare("UPDATE audit_events SET reason = 'nothing to see' WHERE seq = 3").run();
      rechain(db, 3);
    });
    // Without a checkpoint a consistent rewrite is indistinguishable: that is why checkpoints exist.
    expect(verifyAuditTrail(ctx).ok).toBe(true);
  });

  it('a checkpoint exposes a later re-chaining and bounds where it happened', () => {
    takeCheckpoint(ctx, 'manual');
    expect(verifyAuditTrail(ctx).ok).toBe(true);
    tamper((db) => {
      db.prepare("UPDATE audit_events SET actor = 'someone-else' WHERE seq = 3").run();
      rechain(db, 3);
    });
    const v = verifyAuditTrail(ctx);
    expect(v.ok).toBe(false);
    expect(v.problems[0]).toMatchObject({ kind: 'rechained', seq: 1 });
    expect(v.problems[0]!.message).toContain('entry 6');
  });

  it('detects a cut tail against the last checkpoint, even with the checkpoint rows removed', () => {
    const cp = takeCheckpoint(ctx, 'manual');
    expect(cp.headSeq).toBe(6);
    ctx.catalog.audit.append({ actor: 'tester', action: 'backup.run', object: 'x', outcome: 'failure' });
    tamper((db) => {
      db.prepare('DELETE FROM audit_events WHERE seq > 4').run();
      db.prepare('DELETE FROM audit_checkpoints').run();
    });
    const v = verifyAuditTrail(ctx);
    expect(v.ok).toBe(false);
    const truncated = v.problems.find((p) => p.kind === 'truncated')!;
    expect(truncated.seq).toBe(5);
    expect(truncated.message).toContain('ends at entry 4');
    expect(v.problems.some((p) => p.kind === 'checkpoint-removed')).toBe(true);
  });

  it('refuses a checkpoint signed with another key', () => {
    takeCheckpoint(ctx, 'manual');
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const head = ctx.catalog.audit.head()!;
    const forged = { id: 'ckp_forged', at: new Date().toISOString(), entryCount: head.count, headSeq: head.seq, headHash: head.hash, keyId: 'ffffffffffffffff' };
    const signature = sign(null, Buffer.from(checkpointPayload(forged)), privateKey).toString('base64');
    ctx.catalog.checkpoints.add({ ...forged, publicKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'), signature, trigger: 'manual', actor: 'mallory' });
    const v = verifyAuditTrail(ctx);
    expect(v.problems.map((p) => p.kind)).toEqual(['checkpoint-invalid']);
    expect(v.checkpoints.verified).toBe(1);
  });

  it('keeps the signing key outside the catalog, private, and checkpoints daily', () => {
    const t0 = new Date('2026-03-01T00:00:00Z');
    const first = takeCheckpointIfDue(ctx, t0);
    expect(first).not.toBeNull();
    expect(takeCheckpointIfDue(ctx, new Date(t0.getTime() + 23 * 3600_000))).toBeNull();
    const next = takeCheckpointIfDue(ctx, new Date(t0.getTime() + 25 * 3600_000));
    expect(next!.headSeq).toBeGreaterThan(first!.headSeq);
    const st = fs.statSync(deviceKeyFile(home));
    expect(st.mode & 0o777).toBe(0o600);
    expect(path.dirname(deviceKeyFile(home))).toBe(home);
    expect(fs.readFileSync(checkpointLogFile(home), 'utf8').trim().split('\n')).toHaveLength(2);
    expect(ctx.catalog.audit.list({ action: 'audit.checkpoint' })).toHaveLength(2);
    expect(verifyAuditTrail(ctx).ok).toBe(true);
  });
});

describe('entries written before the chain existed', () => {
  it('are sealed once when the catalog is upgraded', async () => {
    const legacyHome = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-audit-legacy-'));
    try {
      const db = new Database(path.join(legacyHome, 'catalog.db'));
      db.exec(m001);
      db.pragma('user_version = 1');
      const ins = db.prepare("INSERT INTO audit_events (at, actor, action, outcome, detail) VALUES (?, 'old', ?, 'success', '{}')");
      ins.run('2026-01-01T00:00:00.000Z', 'job.add');
      ins.run('2026-01-02T00:00:00.000Z', 'job.change');
      db.close();
      const c = await openCore({ home: legacyHome, recover: false });
      c.catalog.audit.append({ actor: 'new', action: 'user.add', outcome: 'success' });
      const v = verifyAuditTrail(c);
      expect(v).toMatchObject({ ok: true, entries: 3, lastSeq: 3 });
      closeCore(c);
    } finally {
      fs.rmSync(legacyHome, { recursive: true, force: true });
    }
  });
});
