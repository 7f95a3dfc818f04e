import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type sql from 'mssql';
import { MssqlEngine } from '../../src-main/core/engines/mssql/mssql-engine.ts';
import type { BackupRequest, PlannableSet } from '../../src-main/core/engines/engine.ts';
import { nullLogger } from '../../src-main/core/util/logger.ts';
import { isLifeboatError } from '../../src-main/core/errors/lifeboat-error.ts';
import { FolderSink, asManifest, asPlannable, openFrom } from '../support/tds-server/in-test-sink.ts';
import { LIVE_URL_HELP, adminPool, createScratchDatabase, dropIfExists, insertRows, parseLiveUrl, type LiveTarget } from './live-mssql.ts';

// The engine scenarios of test/drivers/mssql-engine.test.ts, against a real SQL Server (Express is fine).
const URL_ = process.env.LIFEBOAT_MSSQL_URL;

it('has a SQL Server to test against (LIFEBOAT_MSSQL_URL)', () => {
  if (!URL_) throw new Error(LIVE_URL_HELP);
  expect(() => parseLiveUrl(URL_)).not.toThrow();
});

describe.runIf(!!URL_)('SQL Server engine, live', () => {
  const tag = Date.now().toString(36);
  const DB = `lifeboat_live ]'Ü ${tag}`;
  const SIMPLE_DB = `lifeboat_live_simple_${tag}`;
  const RESTORED = `lifeboat_live_pit ]'Ü ${tag}`;
  let target: LiveTarget;
  let admin: sql.ConnectionPool;
  let engine: MssqlEngine;
  let archive: string;
  const sink = () => new FolderSink(archive);
  const req = (database: string, type: BackupRequest['type'], history: PlannableSet[] = []): BackupRequest =>
    ({ database, type, history, probeTables: 3, includeGlobals: false, includeRolePasswords: false, workDir: archive, logger: nullLogger });

  beforeAll(async () => {
    target = parseLiveUrl(URL_!);
    archive = fs.mkdtempSync(path.join(os.tmpdir(), 'lb-live-'));
    admin = await adminPool(target);
    await createScratchDatabase(admin, DB, 'FULL');
    await createScratchDatabase(admin, SIMPLE_DB, 'SIMPLE');
    engine = new MssqlEngine(target.config, target.password);
  });
  afterAll(async () => {
    for (const d of [DB, SIMPLE_DB, RESTORED]) await dropIfExists(admin, d).catch(() => undefined);
    await engine?.close();
    await admin?.close();
    fs.rmSync(archive, { recursive: true, force: true });
  });

  it('probes the server and the scratch databases', async () => {
    const p = await engine.probe();
    expect(p.versionMajor).toBeGreaterThanOrEqual(11);
    expect(p.databases.find((d) => d.name === DB)?.recoveryModel).toBe('FULL');
    expect(p.databases.find((d) => d.name === SIMPLE_DB)?.recoveryModel).toBe('SIMPLE');
  });

  it('FULL, DIFF, LOG backups, then a point-in-time restore under a new name with the rows up to STOPAT', async () => {
    const history: PlannableSet[] = [];
    const names: Record<string, string> = {};
    const s = sink();
    const take = async (id: string, type: BackupRequest['type']) => {
      const started = new Date();
      const o = await engine.backup(req(DB, type, history), s);
      history.push(asPlannable(id, started, o));
      names[id] = s.received.at(-1)!.name;
      expect(String(o.chain.lastLsn)).toMatch(/^\d{15,25}$/);
      return o;
    };
    await insertRows(admin, DB, 100);
    const full = await take('set_f', 'full');
    expect(full.chain.nativeCompression).toBe(!((await engine.probe()).details.isExpress));
    await insertRows(admin, DB, 10);
    const diff = await take('set_d', 'diff');
    expect(diff.type).toBe('diff');
    expect(diff.chain.differentialBaseLsn).toBe(full.chain.checkpointLsn);
    await insertRows(admin, DB, 20);
    await take('set_l1', 'log');
    await insertRows(admin, DB, 30);
    await new Promise((r) => setTimeout(r, 2000));
    const at = new Date();
    await new Promise((r) => setTimeout(r, 2000));
    await insertRows(admin, DB, 40);
    await take('set_l2', 'log');

    const plan = engine.planRestore(history, at);
    expect(plan.sets).toEqual(['set_f', 'set_d', 'set_l1', 'set_l2']);
    const manifests = plan.sets.map((id) => asManifest(id, DB, history.find((h) => h.id === id)!, names[id]!, id.startsWith('set_l') ? 'log' : 'backup'));
    await engine.restore({ manifests, openArtifact: openFrom(archive), destination: RESTORED, stopAt: plan.stopAt, jobs: 1, noOwner: false, workDir: archive, logger: nullLogger });
    expect(await engine.countRows(RESTORED, [{ schema: 'dbo', table: 'Orders' }])).toEqual([{ schema: 'dbo', table: 'Orders', rows: 160 }]);
    expect((await engine.check(RESTORED)).ok).toBe(true);
    const v = await engine.verify({ manifest: manifests[0]!, openArtifact: (n) => openFrom(archive)('set_f', n), workDir: archive });
    expect(v.ok).toBe(true);
  });

  it('refuses LOG under SIMPLE recovery, explains a missing staging folder and a wrong password', async () => {
    const simple = await engine.backup(req(SIMPLE_DB, 'log'), sink()).catch((e: unknown) => e);
    expect(isLifeboatError(simple, 'ENGINE_UNSUPPORTED')).toBe(true);
    const sep = target.config.stagingServerPath.includes('\\') ? '\\' : '/';
    const missing = new MssqlEngine({ ...target.config, stagingServerPath: `${target.config.stagingServerPath}${sep}no-such-folder-${tag}` }, target.password);
    const m = await missing.backup(req(DB, 'full'), sink()).catch((e: unknown) => e) as { code: string; message: string };
    await missing.close();
    expect(m.code).toBe('STAGING_DENIED');
    expect(m.message).toMatch(/Operating system error 3/);
    const bad = new MssqlEngine(target.config, `${target.password}-wrong`);
    const b = await bad.probe().catch((e: unknown) => e) as { code: string };
    await bad.close();
    expect(b.code).toBe('SOURCE_AUTH_FAILED');
  });
});
