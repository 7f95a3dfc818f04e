import { createHash, randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CoreContext } from '../../src-main/core/context.ts';
import type { Manifest } from '../../src-main/core/repo/manifest.ts';
import { newId } from '../../src-main/core/util/ids.ts';
import { addUser } from '../../src-main/core/audit/users.ts';
import { createSession } from '../../src-main/core/audit/sessions.ts';
import { requireSignature, restoreObject, signAction } from '../../src-main/core/audit/esign.ts';
import { setDatabaseProfile } from '../../src-main/core/reports/database-profile.ts';

const hex = () => createHash('sha256').update(randomBytes(16)).digest('hex');

export interface Fixture {
  jobCreatedAt: string;
  runs: { ok1: string; failed: string; ok2: string };
  sets: { id: string; artifacts: { name: string; sha256: string }[]; manifestSha256: string }[];
  drillId: string;
  restoreId: string;
  signatureId: string;
  clinicSetId: string;
}

/**
 * A small site, recorded through the catalog's own repositories: two sources (PostgreSQL MES, SQL Server
 * clinic), a NAS and a USB target, an hourly job with two successes and a failure in between (alerted,
 * acknowledged), verified sets, a drill within its RTO objective, and a signed restore over the database.
 */
export async function buildSite(ctx: CoreContext): Promise<Fixture> {
  ctx.catalog.setSetting('site', 'Plant Nord');
  await addUser(ctx, { name: 'alice', fullName: 'Alice Andersen', role: 'admin', password: 'correct horse 1' }, null);
  const admin = createSession(ctx, ctx.catalog.users.get('alice')).session;
  await addUser(ctx, { name: 'oscar', fullName: 'Oscar Ølsen', role: 'operator', password: 'restore pass 1' }, admin);

  const pg = ctx.catalog.sources.add({ name: 'plant-pg', kind: 'postgres', config: { host: 'mes-db.plant.local', port: 5432, user: 'lifeboat' } });
  const ms = ctx.catalog.sources.add({ name: 'clinic-sql', kind: 'mssql', config: { host: 'his-sql01', port: 1433, user: 'backup' } });
  const nas = ctx.catalog.targets.add({ name: 'nas', kind: 'sftp', config: { host: 'nas01', user: 'lifeboat', path: '/volume1/backup' } });
  const usb = ctx.catalog.targets.add({ name: 'usb-rotation', kind: 'usb', config: { path: '/media/lifeboat-usb' } });
  const job = ctx.catalog.jobs.add({ name: 'mes-hourly', sourceId: pg.id, databases: ['mes'], targetIds: [nas.id, usb.id], schedule: '0 * * * *', options: { encryption: 'recipients', recipients: ['age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq'] } });
  const clinicJob = ctx.catalog.jobs.add({ name: 'his-nightly', sourceId: ms.id, databases: ['HIS'], targetIds: [nas.id], schedule: 'daily 02:00', options: { encryption: 'passphrase' } });
  ctx.catalog.objectives.set({ server: 'plant-pg', database: 'mes', rpoSeconds: 7200, rtoSeconds: 3600 });
  setDatabaseProfile(ctx, { server: 'clinic-sql', database: 'HIS', classification: 'ePHI', criticality: 1, owner: 'Dr. Weiß' }, admin, 'BIA 2026-02');
  setDatabaseProfile(ctx, { server: 'plant-pg', database: 'mes', classification: 'GxP', criticality: 2, owner: 'MES team' }, admin, 'BIA 2026-02');

  const sets: Fixture['sets'] = [];
  const backup = async (status: 'succeeded' | 'failed', server = 'plant-pg', database = 'mes', jobId = job.id, engine = 'postgres'): Promise<string> => {
    const runId = ctx.catalog.runs.begin({ kind: 'backup', jobId, databaseName: database, trigger: 'schedule' });
    await sleep(5);
    if (status === 'failed') {
      ctx.catalog.runs.finish(runId, { status: 'failed', errorCode: 'TARGET_UNREACHABLE', errorMessage: "unable to write artifact 'nas': the target did not answer" });
      return runId;
    }
    const now = new Date().toISOString();
    const setId = newId('set');
    const artifacts = engine === 'postgres'
      ? [{ name: 'data.dump.zst.age', role: 'dump', bytes: 48_213, sha256: hex(), rawBytes: 90_000, rawSha256: hex(), compression: 'zstd' as const, encryption: 'age' as const },
        { name: 'globals.sql.zst.age', role: 'globals', bytes: 913, sha256: hex(), rawBytes: 2_000, rawSha256: hex(), compression: 'zstd' as const, encryption: 'age' as const }]
      : [{ name: 'full.bak.zst.age', role: 'backup', bytes: 1_048_576, sha256: hex(), rawBytes: 4_000_000, rawSha256: hex(), compression: 'zstd' as const, encryption: 'age' as const }];
    const manifest: Manifest = {
      format: 'lifeboat-set', formatVersion: 1, setId, engine, server, database, serverVersion: engine === 'postgres' ? '15.8' : '16.0.4135.4', type: 'full', parentSetId: null, chain: {},
      startedAt: now, finishedAt: now, toolVersions: {}, appVersion: ctx.appVersion, encryption: { scheme: engine === 'postgres' ? 'age-x25519' : 'age-scrypt' },
      artifacts, probes: [{ schema: 'public', table: 'batches', rows: 1200 }], tags: [], job: jobId,
    };
    const manifestSha256 = hex();
    const targetIds = jobId === job.id ? [nas.id, usb.id] : [nas.id];
    const rec = ctx.catalog.sets.record({ manifest, path: `lifeboat/${server}/${database}/x_full`, manifestSha256, runId, jobId, copies: targetIds.map((targetId) => ({ targetId, mediaId: targetId === usb.id ? 'disk-7f3a' : null })) });
    for (const c of rec.copies) ctx.catalog.verifications.add({ setId, copyId: c.id, level: 1, result: 'passed', startedAt: now, finishedAt: now, triggeredBy: 'backup:schedule', runId, detail: {} });
    ctx.catalog.verifications.add({ setId, copyId: null, level: 2, result: 'passed', startedAt: now, finishedAt: now, triggeredBy: 'backup:schedule', runId, detail: {} });
    ctx.catalog.runs.finish(runId, { status: 'succeeded' });
    sets.push({ id: setId, artifacts: artifacts.map((a) => ({ name: a.name, sha256: a.sha256 })), manifestSha256 });
    return runId;
  };

  ctx.catalog.media.register({ id: 'disk-7f3a', setName: 'weekly-rotation', label: 'USB-A', targetId: usb.id });
  ctx.catalog.media.markWritten('disk-7f3a');
  ctx.catalog.media.setOffSite('disk-7f3a', true);
  const ok1 = await backup('succeeded');
  const failed = await backup('failed');
  const alert = ctx.catalog.alerts.raise({ rule: 'run-failed', causeKey: `run-failed:${job.id}:mes`, severity: 'error', subject: 'Backup of mes failed', message: `run ${failed} failed: TARGET_UNREACHABLE` }, new Date().toISOString());
  ctx.catalog.alerts.acknowledge(alert.alert.id, 'oscar', new Date().toISOString());
  await sleep(5);
  const ok2 = await backup('succeeded');
  ctx.catalog.alerts.clear(`run-failed:${job.id}:mes`, new Date().toISOString());
  await backup('succeeded', 'clinic-sql', 'HIS', clinicJob.id, 'mssql');
  const clinicSetId = sets.at(-1)!.id;

  const drill = ctx.catalog.drills.begin({ runId: null, setId: sets[0]!.id, server: 'plant-pg', database: 'mes', scratchName: 'lifeboat_drill_mes' });
  ctx.catalog.drills.finish(drill.id, { status: 'succeeded', restoreMs: 42_000, achievedRpoMs: 900_000, checks: [
    { kind: 'integrity', name: 'amcheck', status: 'passed', detail: 'no corruption' },
    { kind: 'row-count', name: 'public.batches', status: 'passed', detail: '1200 rows', expected: '1200', actual: 1200 },
  ] });
  const drillId = drill.id;

  const signatureId = await signAction(ctx, { user: 'oscar', password: 'restore pass 1', meaning: 'approved', action: 'restore.overwrite', object: restoreObject('plant-pg', 'mes'), reason: 'CHG-1042: batch table corrupted by a faulty MES update' });
  const restoreRun = ctx.catalog.runs.begin({ kind: 'restore', databaseName: 'mes', trigger: 'manual' });
  const restoreId = ctx.catalog.restores.begin({ runId: restoreRun, setId: sets[1]!.id, sourceId: pg.id, destination: 'mes', mode: 'overwrite', requestedBy: 'oscar' });
  requireSignature(ctx, signatureId, 'restore.overwrite', restoreObject('plant-pg', 'mes'), { usedFor: restoreId });
  ctx.catalog.restores.finish(restoreId, { status: 'succeeded', durationMs: 61_000, detail: { signatureId } });
  ctx.catalog.runs.finish(restoreRun, { status: 'succeeded' });

  return { jobCreatedAt: job.createdAt, runs: { ok1, failed, ok2 }, sets, drillId, restoreId, signatureId, clinicSetId };
}
