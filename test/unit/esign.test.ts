import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCore, closeCore, type CoreContext } from '../../src-main/core/context.ts';
import { addUser } from '../../src-main/core/audit/users.ts';
import { createSession } from '../../src-main/core/audit/sessions.ts';
import { requireSignature, restoreObject, signAction } from '../../src-main/core/audit/esign.ts';
import { verifyAuditTrail } from '../../src-main/core/audit/verify-chain.ts';

let home: string;
let ctx: CoreContext;

async function errorOf(p: Promise<unknown> | (() => unknown)): Promise<{ code: string; message: string }> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (err) {
    return err as { code: string; message: string };
  }
  throw new Error('expected a failure');
}

const object = restoreObject('plant-pg', 'mes');

beforeEach(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-esign-'));
  ctx = await openCore({ home, recover: false, actor: 'oscar' });
  await addUser(ctx, { name: 'alice', fullName: 'Alice Andersen', role: 'admin', password: 'correct horse 1' }, null);
  const admin = createSession(ctx, ctx.catalog.users.get('alice')).session;
  await addUser(ctx, { name: 'oscar', fullName: 'Oscar Olsen', role: 'operator', password: 'restore pass 1' }, admin);
  await addUser(ctx, { name: 'vera', fullName: 'Vera Viewer', role: 'viewer', password: 'viewer pass 1' }, admin);
});

afterEach(() => {
  closeCore(ctx);
  fs.rmSync(home, { recursive: true, force: true });
});

const sign = (over: Partial<Parameters<typeof signAction>[1]> = {}) => signAction(ctx, {
  user: 'oscar', password: 'restore pass 1', meaning: 'performed', action: 'restore.overwrite', object, reason: 'CHG-1042 corrupted batch table', ...over,
});

describe('e-signatures', () => {
  it('a wrong password refuses the signature and counts toward the lockout', async () => {
    expect(await errorOf(sign({ password: 'nope' }))).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(ctx.catalog.users.get('oscar').failedCount).toBe(1);
    expect(ctx.catalog.audit.list({ action: 'esign.sign' })[0]).toMatchObject({ actor: 'oscar', outcome: 'failure' });
    expect(ctx.catalog.db.prepare('SELECT count(*) AS n FROM signatures').get()).toEqual({ n: 0 });
  });

  it('needs a reason, a known meaning and a role allowed to do the action', async () => {
    expect(await errorOf(sign({ reason: '  ' }))).toMatchObject({ code: 'USAGE' });
    expect(await errorOf(sign({ meaning: 'witnessed' as never }))).toMatchObject({ code: 'USAGE' });
    expect(await errorOf(sign({ user: 'vera', password: 'viewer pass 1' }))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await errorOf(sign({ action: 'sets.delete' }))).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('a restore over a database is refused without a valid signature, and accepted once with one', async () => {
    expect(await errorOf(() => requireSignature(ctx, undefined, 'restore.overwrite', object))).toMatchObject({ code: 'SIGNATURE_REQUIRED' });
    expect(await errorOf(() => requireSignature(ctx, 'sig_doesnotexist', 'restore.overwrite', object))).toMatchObject({ code: 'SIGNATURE_REQUIRED' });
    const foreign = await sign({ object: restoreObject('plant-pg', 'lims') });
    const e = await errorOf(() => requireSignature(ctx, foreign, 'restore.overwrite', object));
    expect(e.code).toBe('SIGNATURE_REQUIRED');
    expect(e.message).toContain("on 'plant-pg/lims'");

    const id = await sign({ meaning: 'approved' });
    const used = requireSignature(ctx, id, 'restore.overwrite', object, { usedFor: 'rst_test' });
    expect(used).toMatchObject({ fullName: 'Oscar Olsen', meaning: 'approved', usedFor: 'rst_test' });
    expect(await errorOf(() => requireSignature(ctx, id, 'restore.overwrite', object))).toMatchObject({ code: 'SIGNATURE_REQUIRED', message: expect.stringContaining('already used') });

    const signed = ctx.catalog.audit.get(used.auditSeq)!;
    expect(signed).toMatchObject({ actor: 'oscar', role: 'operator', action: 'esign.sign', object, reason: 'CHG-1042 corrupted batch table' });
    expect(signed.detail).toMatchObject({ signatureId: id, signer: 'Oscar Olsen', meaning: 'approved', signedAt: used.signedAt });
    expect(signed.hash).toBe(used.auditHash);
    const use = ctx.catalog.audit.list({ action: 'esign.use' });
    expect(use.map((u) => u.outcome)).toEqual(['refused', 'success', 'refused', 'refused', 'refused']);
    expect(verifyAuditTrail(ctx).ok).toBe(true);
  });

  it('an old signature is refused and signatures cannot be edited or deleted', async () => {
    const t0 = new Date('2026-05-01T08:00:00Z');
    const id = await sign({ now: t0 });
    expect(await errorOf(() => requireSignature(ctx, id, 'restore.overwrite', object, { now: new Date(t0.getTime() + 16 * 60_000) }))).toMatchObject({ message: expect.stringContaining('older than 15 min') });
    expect(() => ctx.catalog.db.prepare("UPDATE signatures SET meaning = 'reviewed' WHERE id = ?").run(id)).toThrow(/immutable/);
    expect(() => ctx.catalog.db.prepare('DELETE FROM signatures WHERE id = ?').run(id)).toThrow(/immutable/);
  });
});
