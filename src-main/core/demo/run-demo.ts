import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { openCore, closeCore } from '../context.ts';
import { nullLogger } from '../util/logger.ts';
import { runJob } from '../runner/run-job.ts';
import { verifySets } from '../verify/verify-set.ts';
import { restoreSet, type ProbeComparison } from '../restore/restore-set.ts';
import { startPostgres } from './throwaway-postgres.ts';
import { samplePlantSql } from './sample-plant.ts';

export interface DemoSummary {
  home: string;
  ok: boolean;
  steps: { step: string; ms: number; detail: string }[];
  probes: ProbeComparison[];
}

/**
 * The README's first command: with no configuration, a throwaway PostgreSQL with a sample plant database,
 * backed up (zstd + age) to a local folder, verified, restored under a new name, and the restored rows
 * checked against the backup's probes. Everything lives in a temporary folder removed at the end unless
 * `keep` is set.
 */
export async function runDemo(opts: { keep?: boolean; log?: (line: string) => void } = {}): Promise<DemoSummary> {
  const say = opts.log ?? (() => undefined);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-demo-'));
  const home = path.join(root, 'home');
  const folder = path.join(root, 'backups');
  fs.mkdirSync(folder);
  const steps: DemoSummary['steps'] = [];
  const step = async <T>(name: string, fn: () => Promise<T>, detail: (r: T) => string): Promise<T> => {
    say(`• ${name} …`);
    const t = Date.now();
    const r = await fn();
    steps.push({ step: name, ms: Date.now() - t, detail: detail(r) });
    say(`  ${detail(r)} (${Date.now() - t} ms)`);
    return r;
  };
  const pg = await step('start a throwaway PostgreSQL', () => startPostgres(), (s) => `PostgreSQL on 127.0.0.1:${s.port}`);
  const core = await openCore({ home, logger: nullLogger, actor: 'demo' });
  try {
    await step('create the sample plant database', async () => {
      await pg.createDatabase('plant_mes');
      await pg.query('plant_mes', samplePlantSql(1));
    }, () => 'plant_mes: production orders, batches, historian, alarms');
    const source = core.catalog.sources.add({ name: 'demo-pg', kind: 'postgres', config: { host: pg.host, port: pg.port, user: pg.user, maintenanceDb: 'postgres' }, secret: core.secrets.seal(pg.password) });
    const target = core.catalog.targets.add({ name: 'demo-folder', kind: 'local', config: { path: folder } });
    core.catalog.jobs.add({
      name: 'demo', sourceId: source.id, databases: ['plant_mes'], targetIds: [target.id],
      options: { encryption: 'passphrase' }, secret: core.secrets.seal(randomBytes(18).toString('base64url')),
    });
    const [backup] = await step('back up (pg_dump → SHA-256 → zstd → age → folder)', () => runJob(core, 'demo', { trigger: 'manual' }),
      (r) => r[0]!.status === 'succeeded' ? `set ${r[0]!.setId}, ${r[0]!.bytes} bytes stored and verified` : `FAILED: ${r[0]!.error?.message}`);
    if (!backup || backup.status !== 'succeeded' || !backup.setId) return { home, ok: false, steps, probes: [] };
    const verified = await step('verify (SHA-256 of every stored file, pg_restore --list)', () => verifySets(core, [backup.setId!], { engineLevel: true, trigger: 'demo' }),
      (v) => v.results.every((r) => r.ok) ? 'all files match; the dump reads back' : 'MISMATCH');
    if (!verified.results.every((r) => r.ok)) return { home, ok: false, steps, probes: [] };
    const restored = await step('restore as plant_mes_restored', () => restoreSet(core, { setId: backup.setId!, as: 'plant_mes_restored', requestedBy: 'demo' }),
      (r) => `restored in ${r.durationMs} ms (the measured restore time)`);
    const ok = restored.probes.length > 0 && restored.probes.every((p) => p.ok);
    steps.push({ step: 'check row counts against the backup', ms: 0, detail: restored.probes.map((p) => `${p.schema}.${p.table} ${p.actual}/${p.expected}`).join(', ') });
    say(`• row counts: ${ok ? 'all match' : 'MISMATCH'}`);
    return { home, ok, steps, probes: restored.probes };
  } finally {
    closeCore(core);
    await pg.stop();
    if (!opts.keep) fs.rmSync(root, { recursive: true, force: true });
  }
}
