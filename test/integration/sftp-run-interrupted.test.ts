import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PgServer } from '../support/postgres-server.ts';
import { startSshd, type SshdServer } from '../support/sshd-server.ts';
import { tempDir, cleanupTemp } from '../support/temp.ts';
import { openCore, closeCore, type CoreContext } from '../../src-main/core/context.ts';
import { runJob } from '../../src-main/core/runner/run-job.ts';
import { nullLogger } from '../../src-main/core/util/logger.ts';
import { ERROR_CODES, isErrorCode } from '../../src-main/core/errors/codes.ts';

// Acceptance (issue 3, point 2) in a real run: the SSH session dies in the middle of an upload. The run
// fails cleanly with a retryable code (the scheduler retries such runs by its policy), nothing exists under
// a final name on the server, and the next run succeeds.
let pg: PgServer;
let sshd: SshdServer;
let core: CoreContext;
let remote: string;

function remoteFiles(): string[] {
  return (fs.readdirSync(remote, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(remote, f)).isFile()).sort();
}

beforeAll(async () => {
  [pg, sshd] = await Promise.all([startPostgres(), startSshd()]);
  remote = path.join(sshd.dataDir, 'backups');
  fs.mkdirSync(remote);
  fs.chownSync(remote, fs.statSync(sshd.dataDir).uid, fs.statSync(sshd.dataDir).gid);
  await pg.createDatabase('historian');
  // Incompressible enough that the capped upload takes seconds.
  await pg.query('historian', 'CREATE TABLE v AS SELECT g AS id, md5(random()::text) || md5(random()::text) AS h FROM generate_series(1, 120000) g');
  core = await openCore({ home: tempDir(), logger: nullLogger });
  const src = core.catalog.sources.add({ name: 'pg', kind: 'postgres', config: { host: pg.host, port: pg.port, user: pg.user, maintenanceDb: 'postgres' }, secret: core.secrets.seal(pg.password) });
  const tgt = core.catalog.targets.add({
    name: 'nas', kind: 'sftp', secret: core.secrets.seal(sshd.password),
    config: { host: sshd.host, port: sshd.port, username: sshd.user, path: remote, hostKeySha256: sshd.hostKeySha256(), uploadBytesPerSecond: 1_000_000 },
  });
  core.catalog.jobs.add({ name: 'hourly', sourceId: src.id, databases: ['historian'], targetIds: [tgt.id], options: { includeGlobals: false } });
});
afterAll(async () => { if (core) closeCore(core); await Promise.all([pg?.stop(), sshd?.stop()]); cleanupTemp(); });

describe('an SSH session killed during a backup run', () => {
  it('fails the run cleanly and retryably, leaves no object under a final name, and the next run succeeds', async () => {
    const running = runJob(core, 'hourly', { trigger: 'schedule' });
    const deadline = Date.now() + 60_000;
    while (!remoteFiles().some((f) => f.endsWith('.partial'))) {
      if (Date.now() > deadline) throw new Error('the upload never started');
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(sshd.killSessions()).toBeGreaterThan(0);
    const [r] = await running;
    expect(r!.status).toBe('failed');
    expect(isErrorCode(r!.error!.code)).toBe(true);
    expect(ERROR_CODES[r!.error!.code as keyof typeof ERROR_CODES].retryable).toBe(true);
    expect(core.catalog.sets.list()).toEqual([]);
    expect(remoteFiles().filter((f) => !f.endsWith('REPO.json') && !f.endsWith('.partial'))).toEqual([]);

    core.catalog.targets.update(core.catalog.targets.get('nas').id, { config: { ...core.catalog.targets.get('nas').config, uploadBytesPerSecond: undefined } });
    const [next] = await runJob(core, 'hourly', { trigger: 'schedule' });
    expect(next!.status, next!.error?.message).toBe('succeeded');
    expect(core.catalog.sets.list().map((s) => s.id)).toEqual([next!.setId]);
    expect(remoteFiles().filter((f) => f.endsWith('MANIFEST.json'))).toHaveLength(1);
  });
});
