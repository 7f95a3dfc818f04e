import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PgServer } from '../support/postgres-server.ts';
import { tempDir, cleanupTemp } from '../support/temp.ts';
import { openCore, closeCore } from '../../src-main/core/context.ts';
import { runJob } from '../../src-main/core/runner/run-job.ts';
import { startAgent, type Agent } from '../../src-main/agent/agent.ts';
import { nullLogger } from '../../src-main/core/util/logger.ts';
import { setManifest } from '../../src-main/core/verify/verify-set.ts';

// The agent runs the proof of recoverability by itself: a due restore drill, the daily audit checkpoint, and
// the check that rotated disks actually leave the site.
let pg: PgServer;
let home: string;
let agent: Agent | undefined;

beforeAll(async () => {
  pg = await startPostgres();
  home = tempDir();
  await pg.createDatabase('batch_records');
  await pg.query('batch_records', 'CREATE TABLE batches AS SELECT g AS id FROM generate_series(1, 2000) g');
  const core = await openCore({ home, logger: nullLogger });
  const src = core.catalog.sources.add({ name: 'pg', kind: 'postgres', config: { host: pg.host, port: pg.port, user: pg.user, maintenanceDb: 'postgres' }, secret: core.secrets.seal(pg.password) });
  const tgt = core.catalog.targets.add({ name: 'disk', kind: 'local', config: { path: tempDir() } });
  core.catalog.jobs.add({ name: 'nightly', sourceId: src.id, databases: ['batch_records'], targetIds: [tgt.id] });
  const [r] = await runJob(core, 'nightly', { trigger: 'manual' });
  expect(r!.status).toBe('succeeded');
  // A rotation job whose disk has held a set for a month and never left the site.
  const usb = core.catalog.targets.add({ name: 'rotation', kind: 'usb', config: { set: 'weekly', mounts: [tempDir()] } });
  const rotation = core.catalog.jobs.add({ name: 'weekly', sourceId: src.id, databases: ['batch_records'], targetIds: [usb.id] });
  const old = core.catalog.sets.get(r!.setId!);
  const monthAgo = new Date(Date.now() - 30 * 86_400_000).toISOString();
  core.catalog.sets.record({
    manifest: { ...setManifest(old), setId: 'set_month_old', startedAt: monthAgo, finishedAt: monthAgo, job: 'weekly' },
    path: 'lifeboat/pg/batch_records/month_old', manifestSha256: old.manifestSha256, runId: null, jobId: rotation.id, copies: [{ targetId: usb.id }],
  });
  closeCore(core);
});
afterAll(async () => { await agent?.stop(); await pg?.stop(); cleanupTemp(); });

describe('the agent proves recoverability on its own', () => {
  it('drills a never-drilled database, drops the scratch copy, and takes the audit checkpoint', async () => {
    agent = await startAgent({ home, logger: nullLogger, proofWorkDelayMs: 0, checkEveryMs: 300, tickMs: 100 });
    const deadline = Date.now() + 120_000;
    let drills = agent.core.catalog.drills.list();
    while (!drills.some((d) => d.status !== 'running') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 300));
      drills = agent.core.catalog.drills.list();
    }
    const done = drills.find((d) => d.status !== 'running');
    expect(done, 'no drill finished within two minutes').toBeDefined();
    expect(done!.status).toBe('succeeded');
    expect(done!.database).toBe('batch_records');
    const scratch = await pg.query<{ datname: string }>('postgres', "SELECT datname FROM pg_database WHERE datname LIKE 'lifeboat_drill%'");
    expect(scratch).toEqual([]);
    expect(agent.core.catalog.checkpoints.latest()).toBeTruthy();
  });

  it('raises the offline-copy alert for a database whose rotated disks have not left the site in 14 days', () => {
    const stale = agent!.core.catalog.alerts.list({ status: 'active' }).filter((a) => a.rule === 'offline-copy-stale');
    expect(stale.map((a) => a.subject)).toEqual(['No recent offline copy of batch_records on pg']);
  });
});
