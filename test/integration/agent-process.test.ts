import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PgServer } from '../support/postgres-server.ts';
import { spawnAgent, runCli, type AgentProcess } from '../support/agent-process.ts';
import { openCore, closeCore } from '../../src-main/core/context.ts';
import { nullLogger } from '../../src-main/core/util/logger.ts';
import type { RunRecord } from '../../src-main/core/catalog/runs-repo.ts';

let pg: PgServer;
let home: string;
const agents: AgentProcess[] = [];

beforeAll(async () => {
  pg = await startPostgres();
  await pg.createDatabase('mes');
  await pg.createDatabase('lims');
  // Big enough that a backup takes a noticeable moment, so the test can kill the agent in the middle of one.
  await pg.query('mes', "CREATE TABLE batches AS SELECT g AS id, md5(g::text) || md5((g * 7)::text) AS lot, now() - g * interval '1 minute' AS at FROM generate_series(1, 120000) g");
  await pg.query('lims', 'CREATE TABLE samples AS SELECT g AS id, md5(g::text) AS barcode FROM generate_series(1, 5000) g');
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-agentproc-'));
  // Configure before any agent runs (the agent is the only writer once it is up).
  const core = await openCore({ home, logger: nullLogger });
  const src = core.catalog.sources.add({ name: 'plant-pg', kind: 'postgres', config: { host: pg.host, port: pg.port, user: pg.user }, secret: core.secrets.seal(pg.password) });
  fs.mkdirSync(path.join(home, 'nas'));
  const tgt = core.catalog.targets.add({ name: 'nas', kind: 'local', config: { path: path.join(home, 'nas') } });
  core.catalog.jobs.add({ name: 'job-mes', sourceId: src.id, databases: ['mes'], targetIds: [tgt.id], schedule: 'every 3 seconds', options: { includeGlobals: false, retries: { max: 0, baseSeconds: 1 } } });
  core.catalog.jobs.add({ name: 'job-lims', sourceId: src.id, databases: ['lims'], targetIds: [tgt.id], schedule: 'every 3 seconds', options: { includeGlobals: false, retries: { max: 0, baseSeconds: 1 } } });
  closeCore(core);
});

afterAll(async () => {
  for (const a of agents) if (a.proc.exitCode === null && a.proc.signalCode === null) await a.kill9();
  await pg?.stop();
  fs.rmSync(home, { recursive: true, force: true });
});

async function start(args: string[] = []): Promise<AgentProcess> {
  const a = await spawnAgent(home, args);
  agents.push(a);
  return a;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 60_000, everyMs = 100): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

function backupRuns(runs: RunRecord[]) {
  return runs.filter((r) => r.kind === 'backup');
}

describe('a real agent process with real PostgreSQL', () => {
  it('runs two jobs due every 3 s: both run, never overlap, the concurrency limit (1) holds; a second agent is refused', { timeout: 150_000 }, async () => {
    const a = await start(['--max-concurrent', '1', '--grace', '30']);
    const refused = await runCli(['--home', home, 'agent']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`agent process ${a.pid} already runs`);

    const runs = await waitFor('two finished scheduled runs of each job', async () => {
      const list = backupRuns(await a.api.runs.list.query({ limit: 200 }));
      const done = (job: string) => list.filter((r) => r.detail && r.status === 'succeeded' && r.trigger === 'schedule' && r.jobId && r.databaseName === job).length;
      return done('mes') >= 2 && done('lims') >= 2 ? list : null;
    }, 120_000);
    const finished = runs.filter((r) => r.finishedAt).sort((x, y) => x.startedAt.localeCompare(y.startedAt));
    for (let i = 1; i < finished.length; i++) {
      // With a limit of one, no two runs (of any job) were ever in progress at the same time.
      expect(finished[i]!.startedAt >= finished[i - 1]!.finishedAt!, `${finished[i]!.id} started before ${finished[i - 1]!.id} finished`).toBe(true);
    }
    expect(finished.every((r) => r.pid === a.pid)).toBe(true);

    // A run started from the CLI while the agent runs executes in the agent.
    const cli = await runCli(['--home', home, '--json', 'job', 'run', 'job-lims']);
    expect(cli.code, cli.stderr).toBe(0);
    const results = JSON.parse(cli.stdout) as { runId: string; status: string }[];
    expect(results[0]!.status).toBe('succeeded');
    const manual = await a.api.runs.get.query({ runId: results[0]!.runId });
    expect(manual).toMatchObject({ pid: a.pid, trigger: 'manual' });
    const listed = await runCli(['--home', home, '--json', 'runs', 'list', '--limit', '5']);
    expect((JSON.parse(listed.stdout) as { id: string }[]).map((r) => r.id)).toContain(results[0]!.runId);

    expect(await a.stop()).toBe(0);
    expect(fs.existsSync(path.join(home, 'agent.json'))).toBe(false);
    expect(fs.existsSync(path.join(home, 'agent.lock'))).toBe(false);
  });

  it('kill -9 during a run: after a restart that run is failed with its cause, and the next run succeeds', { timeout: 150_000 }, async () => {
    const a = await start(['--max-concurrent', '1']);
    const victim = await waitFor('a backup in progress', async () => backupRuns(await a.api.runs.running.query()).find((r) => r.databaseName === 'mes'), 60_000, 15);
    await a.kill9();

    const b = await start(['--max-concurrent', '1']);
    const killed = await b.api.runs.get.query({ runId: victim.id });
    expect(killed.status).toBe('failed');
    expect(killed.errorCode).toBe('INTERRUPTED');
    expect(killed.errorMessage).toContain(`process ${a.pid} ended`);
    expect(killed.finishedAt).not.toBeNull();
    // The unfinished set left nothing listed as restorable.
    expect((await b.api.sets.list.query({})).some((s) => s.runId === victim.id)).toBe(false);

    const next = await waitFor('a successful mes run after the restart', async () => backupRuns(await b.api.runs.list.query({ limit: 50 }))
      .find((r) => r.databaseName === 'mes' && r.pid === b.pid && r.status === 'succeeded'), 120_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(next.startedAt > killed.startedAt).toBe(true);
    // The failure raised an alert, and the good run cleared it.
    const alerts = await b.api.alerts.list.query({ status: 'cleared' });
    expect(alerts.some((x) => x.rule === 'run-failed' && x.detail.runId === victim.id)).toBe(true);
    expect(await b.stop()).toBe(0);
  });

  it('SIGTERM lets a running backup finish within the grace period; with no grace it is failed as interrupted', { timeout: 150_000 }, async () => {
    const a = await start(['--max-concurrent', '1', '--grace', '60']);
    const running = await waitFor('a mes backup in progress', async () => backupRuns(await a.api.runs.running.query()).find((r) => r.databaseName === 'mes'), 60_000, 15);
    expect(await a.stop()).toBe(0);
    const core = await openCore({ home, logger: nullLogger, recover: false });
    try {
      expect(core.catalog.runs.get(running.id).status).toBe('succeeded');
      expect(core.catalog.runs.running()).toEqual([]);
    } finally {
      closeCore(core);
    }

    const b = await start(['--max-concurrent', '1', '--grace', '0']);
    const cut = await waitFor('another mes backup in progress', async () => backupRuns(await b.api.runs.running.query()).find((r) => r.databaseName === 'mes'), 60_000, 15);
    expect(await b.stop()).toBe(0);
    const core2 = await openCore({ home, logger: nullLogger, recover: false });
    try {
      const r = core2.catalog.runs.get(cut.id);
      expect(r.status).toBe('failed');
      expect(r.errorCode).toBe('INTERRUPTED');
      expect(r.errorMessage).toContain('grace period');
      expect(core2.catalog.runs.running()).toEqual([]);
    } finally {
      closeCore(core2);
    }
  });
});
