import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PgServer } from '../support/postgres-server.ts';
import { tempDir, cleanupTemp } from '../support/temp.ts';
import { openCore, closeCore, type CoreContext } from '../../src-main/core/context.ts';
import { runJob } from '../../src-main/core/runner/run-job.ts';
import { restoreSet } from '../../src-main/core/restore/restore-set.ts';
import { addUser } from '../../src-main/core/audit/users.ts';
import { createSession } from '../../src-main/core/audit/sessions.ts';
import { restoreObject, signAction } from '../../src-main/core/audit/esign.ts';
import { verifyAuditTrail } from '../../src-main/core/audit/verify-chain.ts';
import { generateAuditReport } from '../../src-main/core/reports/audit-report.ts';

// Acceptance 3 on real PostgreSQL: a restore over an existing database is refused without a valid
// e-signature and done with one; the signer's name, time and meaning reach the audit trail and the PDF.
let pg: PgServer;
let ctx: CoreContext;
let setId: string;
const rows = async () => Number((await pg.query<{ n: string }>('scada', 'SELECT count(*)::text AS n FROM setpoints'))[0]!.n);
const errorOf = async (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (e: unknown) => e as { code: string; message: string });

beforeAll(async () => {
  pg = await startPostgres();
  await pg.createDatabase('scada');
  await pg.query('scada', "CREATE TABLE setpoints AS SELECT g AS id, 'sp' || g AS name FROM generate_series(1, 1000) g");
  ctx = await openCore({ home: tempDir('lifeboat-signed-restore-'), recover: false, actor: 'oscar' });
  const src = ctx.catalog.sources.add({ name: 'plant-pg', kind: 'postgres', config: { host: pg.host, port: pg.port, user: pg.user, maintenanceDb: 'postgres' }, secret: ctx.secrets.seal(pg.password) });
  const tgt = ctx.catalog.targets.add({ name: 'disk', kind: 'local', config: { path: tempDir('lifeboat-signed-restore-target-') } });
  ctx.catalog.jobs.add({ name: 'scada-job', sourceId: src.id, databases: ['scada'], targetIds: [tgt.id] });
  const [b] = await runJob(ctx, 'scada-job', { trigger: 'manual' });
  expect(b!.status, b!.error?.message).toBe('succeeded');
  setId = b!.setId!;
  await addUser(ctx, { name: 'alice', fullName: 'Alice Andersen', role: 'admin', password: 'correct horse 1' }, null);
  await addUser(ctx, { name: 'oscar', fullName: 'Oscar Ølsen', role: 'operator', password: 'restore pass 1' }, createSession(ctx, ctx.catalog.users.get('alice')).session);
}, 180_000);

afterAll(async () => {
  if (ctx) closeCore(ctx);
  await pg?.stop();
  cleanupTemp();
});

describe('restore over an existing database with e-signatures', () => {
  it('is refused without a signature, or with one for another database, and the database is untouched', async () => {
    await pg.query('scada', 'DELETE FROM setpoints WHERE id > 10');
    const none = await errorOf(restoreSet(ctx, { setId, overwrite: true, confirm: true }));
    expect(none.code).toBe('SIGNATURE_REQUIRED');
    const foreign = await signAction(ctx, { user: 'oscar', password: 'restore pass 1', meaning: 'performed', action: 'restore.overwrite', object: restoreObject('plant-pg', 'lims'), reason: 'wrong database' });
    const wrong = await errorOf(restoreSet(ctx, { setId, overwrite: true, confirm: true, signatureId: foreign }));
    expect(wrong.code).toBe('SIGNATURE_REQUIRED');
    expect(wrong.message).toContain("'plant-pg/lims'");
    expect(await rows()).toBe(10);
    expect(ctx.catalog.restores.list().filter((r) => r.status === 'failed')).toHaveLength(2);
  });

  it('is done with a valid signature, which is then used up; name, time and meaning reach the trail and the PDF', async () => {
    const sig = await signAction(ctx, { user: 'oscar', password: 'restore pass 1', meaning: 'approved', action: 'restore.overwrite', object: restoreObject('plant-pg', 'scada'), reason: 'CHG-7: setpoints deleted by mistake' });
    const r = await restoreSet(ctx, { setId, overwrite: true, confirm: true, signatureId: sig });
    expect(r.mode).toBe('overwrite');
    expect(await rows()).toBe(1000);
    const again = await errorOf(restoreSet(ctx, { setId, overwrite: true, confirm: true, signatureId: sig }));
    expect(again.message).toContain('already used');

    const record = ctx.catalog.signatures.get(sig)!;
    expect(record.usedFor).toBe(r.restoreId);
    const signed = ctx.catalog.audit.get(record.auditSeq)!;
    expect(signed.detail).toMatchObject({ signer: 'Oscar Ølsen', meaning: 'approved', signedAt: record.signedAt, signatureId: sig });
    const use = ctx.catalog.audit.list({ action: 'esign.use' }).find((e) => e.outcome === 'success')!;
    expect(use.detail).toMatchObject({ signatureId: sig, signer: 'Oscar Ølsen', meaning: 'approved', usedFor: r.restoreId });
    expect(verifyAuditTrail(ctx).ok).toBe(true);

    const report = await generateAuditReport(ctx, { from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString(), out: path.join(tempDir('lifeboat-signed-restore-out-'), 'audit.pdf') });
    const restore = report.data.restores.find((x) => x.id === r.restoreId)!;
    expect(restore).toMatchObject({ mode: 'overwrite', status: 'succeeded', signatures: [{ fullName: 'Oscar Ølsen', meaning: 'approved', signedAt: record.signedAt }] });
    expect(report.data.restores.filter((x) => x.status === 'failed' && x.signatures.length === 0)).toHaveLength(3);
    const dense = execFileSync('pdftotext', ['-layout', report.pdf.file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    expect(dense).toContain(`OscarØlsen(oscar),approved,${record.signedAt.replace('T', '').replace(/\.\d{3}Z$/, 'Z')}:CHG-7`);
    expect(dense).toContain('nosignature');
    expect(fs.existsSync(report.pdf.file)).toBe(true);
  });
});
