import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Catalog } from '../../src-main/core/catalog/catalog.ts';
import type { BackupResult } from '../../src-main/core/runner/run-backup.ts';
import type { JobOptions, BackupType } from '../../src-main/core/catalog/jobs-repo.ts';
import type { Executor } from '../../src-main/core/scheduler/scheduler.ts';

/** A fresh catalog in a temp folder with one source and one target, ready for jobs. */
export function tempCatalog(): { catalog: Catalog; addJob(name: string, schedule: string, opts?: { options?: Partial<JobOptions>; backupType?: BackupType; databases?: string[] }): string; dispose(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-sched-'));
  const catalog = new Catalog(path.join(dir, 'catalog.db'));
  const src = catalog.sources.add({ name: 'plant-pg', kind: 'postgres', config: { host: '127.0.0.1', port: 5432, user: 'postgres' } });
  const tgt = catalog.targets.add({ name: 'nas', kind: 'local', config: { path: dir } });
  return {
    catalog,
    addJob(name, schedule, o = {}) {
      return catalog.jobs.add({ name, sourceId: src.id, databases: o.databases ?? ['mes'], targetIds: [tgt.id], schedule, backupType: o.backupType ?? 'full', options: o.options ?? {} }).id;
    },
    dispose() {
      catalog.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface ExecCall { jobId: string; jobName: string; trigger: string; at: string; databases?: string[] }

/**
 * An executor that records each call with the scheduler's clock time and answers with the results the test
 * chooses (default: one succeeded backup per database).
 */
export function recordingExecutor(now: () => Date, answer?: (call: ExecCall, n: number) => Promise<Partial<BackupResult>[]> | Partial<BackupResult>[]): { calls: ExecCall[]; execute: Executor } {
  const calls: ExecCall[] = [];
  return {
    calls,
    async execute({ job, trigger, databases }) {
      const call: ExecCall = { jobId: job.id, jobName: job.name, trigger, at: now().toISOString(), ...(databases ? { databases } : {}) };
      calls.push(call);
      const partial = answer ? await answer(call, calls.length) : (databases ?? job.databases).map((d) => ({ database: d }));
      return partial.map((p, i) => ({
        runId: `run-${calls.length}-${i}`, status: 'succeeded', database: job.databases[0]!, setId: null, setPath: null, type: job.backupType,
        bytes: 0, durationMs: 0, copies: [], error: null, warnings: [], ...p,
      }) as BackupResult);
    },
  };
}
