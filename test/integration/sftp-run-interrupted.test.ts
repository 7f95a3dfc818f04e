import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PgServer } from '../support/postgres-server.ts';
import { startSshd, type SshdServer } from '../support/sshd-server.ts';
import { tempDir, cleanupTemp } from '../support/temp.ts';
import { openCore, closeCore, type CoreContext } from '../../src-main/core/context.ts';
import { runJob } from '../../src-main/core/runner/run-job.ts';
import { verifySet } from '../../src-main/core/verify/verify-set.ts';
import { Scheduler } from '../../src-main/core/scheduler/scheduler.ts';
import { systemClock } from '../../src-main/core/scheduler/clock.ts';
import { nullLogger } from '../../src-main/core/util/logger.ts';
import { ERROR_CODES, isErrorCode } from '../../src-main/core/errors/codes.ts';

// Acceptance (issue 3, point 2) in a real run: the SSH session dies in the middle of an upload. The run
// fails cleanly with a retryable code, the scheduler retries it by the job's policy, every attempt dies the
// same way, the job ends failed; nothing exists under a final name on the server; the next run succeeds.
//
// Deterministic by construction, not by timing: the upload is capped (1 MB/s, several seconds for the
// artifact), and the sessions are killed only once the server-side temporary file of an attempt holds
// more than KILL_AFTER bytes, i.e. while bytes are still flowing, once per attempt.
const KILL_AFTER = 512 * 1024;
const RETRIES = 2;

let pg: PgServer;
let sshd: SshdServer;
let core: CoreContext;
let remote: string;

function remoteFiles(): { name: string; size: number }[] {
  const out: { name: string; size: number }[] = [];
  for (const f of fs.readdirSync(remote, { recursive: true }) as string[]) {
    try {
      const st = fs.statSync(path.join(remote, f));
      if (st.isFile()) out.push({ name: f, size: st.size });
    } catch { /* removed while listed */ }
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** Kills the SSH sessions once per upload attempt, as soon as that attempt's temporary file passed `after` bytes. */
function killer(after: number) {
  const killed: { file: string; size: number; processes: number }[] = [];
  let on = true;
  const loop = (async () => {
    while (on) {
      for (const f of remoteFiles()) {
        if (f.name.endsWith('.partial') && f.size >= after && !killed.some((k) => k.file === f.name)) {
          killed.push({ file: f.name, size: f.size, processes: sshd.killSessions() });
        }
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return { killed, stop: async () => { on = false; await loop; } };
}

beforeAll(async () => {
  [pg, sshd] = await Promise.all([startPostgres(), startSshd()]);
  remote = path.join(sshd.dataDir, 'backups');
  fs.mkdirSync(remote);
  fs.chownSync(remote, fs.statSync(sshd.dataDir).uid, fs.statSync(sshd.dataDir).gid);
  await pg.createDatabase('historian');
  // About 8 MB raw, 4 MB stored: at the 1 MB/s cap the upload lasts seconds, the kill comes after 0.5 MB.
  await pg.query('historian', 'CREATE TABLE v AS SELECT g AS id, md5(random()::text) || md5(random()::text) AS h FROM generate_series(1, 120000) g');
  core = await openCore({ home: tempDir(), logger: nullLogger });
  const src = core.catalog.sources.add({ name: 'pg', kind: 'postgres', config: { host: pg.host, port: pg.port, user: pg.user, maintenanceDb: 'postgres' }, secret: core.secrets.seal(pg.password) });
  const tgt = core.catalog.targets.add({
    name: 'nas', kind: 'sftp', secret: core.secrets.seal(sshd.password),
    config: { host: sshd.host, port: sshd.port, username: sshd.user, path: remote, hostKeySha256: sshd.hostKeySha256(), uploadBytesPerSecond: 1_000_000, stallSeconds: 10 },
  });
  core.catalog.jobs.add({ name: 'hourly', sourceId: src.id, databases: ['historian'], targetIds: [tgt.id], options: { includeGlobals: false, retries: { max: RETRIES, baseSeconds: 0.5 } } });
}, 120_000);
afterAll(async () => { if (core) closeCore(core); await Promise.all([pg?.stop(), sshd?.stop()]); cleanupTemp(); });

describe('an SSH session killed during a backup run', () => {
  it('fails each attempt cleanly and retryably, the scheduler retries by policy then gives up, no final-name object; the next run succeeds', async () => {
    const job = core.catalog.jobs.get('hourly');
    const scheduler = new Scheduler({
      catalog: core.catalog, clock: systemClock, maxConcurrent: 1, defaultTimezone: 'UTC',
      execute: ({ job: j, trigger, databases, signal }) => runJob(core, j.id, { trigger, signal, ...(databases ? { databases } : {}) }),
    });
    const kills = killer(KILL_AFTER);
    // The agent ticks the scheduler; here a fast tick picks the retries up as soon as their backoff ends.
    const ticking = setInterval(() => scheduler.tick(), 50);
    try {
      const [first] = await scheduler.runNow('hourly', { trigger: 'schedule' });
      expect(first!.status).toBe('failed');
      const deadline = Date.now() + 120_000;
      for (;;) {
        const snap = scheduler.snapshot();
        const runs = core.catalog.runs.list({ jobId: job.id });
        if (runs.length === 1 + RETRIES && snap.running.length === 0 && snap.queued.length === 0) break;
        if (Date.now() > deadline) throw new Error(`the retries did not finish: ${runs.length} runs, ${JSON.stringify(snap)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      await scheduler.idle();
    } finally {
      clearInterval(ticking);
      await kills.stop();
      await scheduler.stop(0);
    }

    // Every attempt was killed mid-upload (one kill each, on its own temporary file) and failed retryably.
    expect(kills.killed).toHaveLength(1 + RETRIES);
    for (const k of kills.killed) expect(k.processes).toBeGreaterThan(0);
    const runs = core.catalog.runs.list({ jobId: job.id }).sort((a, b) => (a.startedAt < b.startedAt ? -1 : 1));
    expect(runs.map((r) => r.trigger)).toEqual(['schedule', ...Array<string>(RETRIES).fill('retry')]);
    for (const r of runs) {
      expect(r.status).toBe('failed');
      expect(isErrorCode(r.errorCode)).toBe(true);
      expect(ERROR_CODES[r.errorCode as keyof typeof ERROR_CODES].retryable, r.errorMessage ?? '').toBe(true);
      expect(r.errorCode, r.errorMessage ?? '').toBe('TARGET_UNREACHABLE');
      expect(r.errorMessage).toMatch(/^unable to \w+ .* '.*': /);
    }
    // The audit trail shows each attempt as a failed scheduler run.
    const audited = core.catalog.audit.list({ action: 'run.backup', ascending: true }).filter((e) => runs.some((r) => r.id === e.detail.runId));
    expect(audited.map((e) => [e.actor, e.outcome, e.detail.trigger])).toEqual(runs.map((r) => ['scheduler', 'failure', r.trigger]));

    expect(core.catalog.sets.list()).toEqual([]);
    // No object under a final name, and no temporary upload left either (removed once a new connection stood).
    expect(remoteFiles().map((f) => f.name).filter((f) => !f.endsWith('REPO.json'))).toEqual([]);

    // The next run, without kills and without the cap, succeeds and its set verifies on the server.
    core.catalog.targets.update(core.catalog.targets.get('nas').id, { config: { ...core.catalog.targets.get('nas').config, uploadBytesPerSecond: undefined } });
    const [next] = await runJob(core, 'hourly', { trigger: 'schedule' });
    expect(next!.status, next!.error?.message).toBe('succeeded');
    expect(core.catalog.sets.list().map((s) => s.id)).toEqual([next!.setId]);
    expect(remoteFiles().filter((f) => f.name.endsWith('MANIFEST.json'))).toHaveLength(1);
    expect(remoteFiles().filter((f) => f.name.endsWith('.partial'))).toEqual([]);
    // Each kill came while bytes were still flowing: well before the whole artifact was on the server.
    const artifact = remoteFiles().find((f) => f.name.endsWith('/data.dump.zst'))!;
    expect(artifact.size).toBeGreaterThan(2 * 1024 * 1024);
    for (const k of kills.killed) {
      expect(k.file).toMatch(/\/data\.dump\.zst\.[0-9a-f]+\.partial$/);
      expect(k.size).toBeLessThan(artifact.size / 2);
    }
    const v = await verifySet(core, next!.setId!, { engineLevel: false, triggeredBy: 'test', runId: null });
    expect(v.ok, JSON.stringify(v)).toBe(true);
    expect(v.copies.flatMap((c) => c.artifacts.map((a) => a.remote))).toEqual([true]);
  }, 180_000);
});
