import fs from 'node:fs';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PgServer } from '../support/postgres-server.ts';
import { createRichDatabase, tableFingerprints } from '../support/pg-fixtures.ts';
import { tempDir, cleanupTemp } from '../support/temp.ts';
import { openCore, closeCore, type CoreContext } from '../../src-main/core/context.ts';
import { runJob } from '../../src-main/core/runner/run-job.ts';
import { generateRunbook } from '../../src-main/core/reports/runbook.ts';

// Acceptance 5, taken literally: a person with only the printed runbook, the USB disk and the key
// custodian's identity file restores the database by typing the runbook's commands.
let pg: PgServer;
let ctx: CoreContext;
let usb: string;
let keyFile: string;

beforeAll(async () => {
  pg = await startPostgres();
  await createRichDatabase(pg, 'mes');
  keyFile = path.join(tempDir('lifeboat-rb-key-'), 'custodian.txt');
  execFileSync('age-keygen', ['-o', keyFile], { stdio: 'ignore' });
  const recipient = /public key: (age1\w+)/.exec(fs.readFileSync(keyFile, 'utf8'))![1]!;
  usb = tempDir('lifeboat-rb-usb-');
  ctx = await openCore({ home: tempDir('lifeboat-rb-home-'), recover: false });
  const src = ctx.catalog.sources.add({ name: 'plant-pg', kind: 'postgres', config: { host: pg.host, port: pg.port, user: pg.user, maintenanceDb: 'postgres' }, secret: ctx.secrets.seal(pg.password) });
  const tgt = ctx.catalog.targets.add({ name: 'usb-a', kind: 'local', config: { path: usb } });
  ctx.catalog.jobs.add({ name: 'mes-job', sourceId: src.id, databases: ['mes'], targetIds: [tgt.id], options: { encryption: 'recipients', recipients: [recipient] } });
  const [b] = await runJob(ctx, 'mes-job', { trigger: 'manual' });
  expect(b!.status, b!.error?.message).toBe('succeeded');
}, 180_000);

afterAll(async () => {
  if (ctx) closeCore(ctx);
  await pg?.stop();
  cleanupTemp();
});

describe('the runbook\'s manual restore steps', () => {
  it('restore the database with age, zstd, psql and pg_restore exactly as printed', async () => {
    const rb = await generateRunbook(ctx, { out: path.join(tempDir('lifeboat-rb-out-'), 'runbook.pdf') });
    const db = rb.data.databases.find((d) => d.database === 'mes')!;
    const work = tempDir('lifeboat-rb-work-');
    // Step 1 of the runbook: copy the set folder from the disk.
    for (const f of fs.readdirSync(path.join(usb, db.lastGood!.path))) fs.copyFileSync(path.join(usb, db.lastGood!.path, f), path.join(work, f));
    const typed: string[] = [];
    for (const step of db.manualSteps) {
      for (const line of step.commands) {
        if (line.startsWith('#')) continue;
        const command = line.replace(/<identity file:[^>]*>/, keyFile);
        expect(command).not.toMatch(/<[^>]+>/);
        const r = spawnSync('sh', ['-c', command], { cwd: work, encoding: 'utf8', env: { ...process.env, PGPASSWORD: pg.password, PATH: `${pg.binDir}:${process.env.PATH}` } });
        expect(r.status, `${command}\n${r.stderr}`).toBe(0);
        const printed = /# must print ([0-9a-f]{64})/.exec(line);
        if (printed) expect(r.stdout.split(/\s/)[0]).toBe(printed[1]);
        typed.push(command.split(' ')[0]!);
      }
    }
    expect(typed).toEqual(expect.arrayContaining(['sha256sum', 'age', 'zstd', 'psql', 'createdb', 'pg_restore']));
    expect(await tableFingerprints(pg, 'mes_restored')).toEqual(await tableFingerprints(pg, 'mes'));
  });
});
