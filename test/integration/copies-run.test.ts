import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PgServer } from '../support/postgres-server.ts';
import { runCli, addPgSource } from '../support/cli.ts';
import { tempDir, cleanupTemp } from '../support/temp.ts';
import { filesUnder } from '../support/pg-tool-wrappers.ts';
import { away, back } from '../support/rotation-disk.ts';
import { openCore, closeCore } from '../../src-main/core/context.ts';
import { runJob } from '../../src-main/core/runner/run-job.ts';
import { TARGET_DRIVERS, type TargetDriver } from '../../src-main/core/targets/registry.ts';
import { FolderTarget } from '../../src-main/core/targets/local/folder-target.ts';
import type { Target } from '../../src-main/core/targets/target.ts';
import { nullLogger } from '../../src-main/core/util/logger.ts';

// Issue 3, jobs with several targets, through real runs: every copy is written and checked on its own, one
// target failing fails no other, and per database the CLI reports the 3-2-1-1-0 counts (copies, media, off
// site, offline, errors), following a USB rotation disk as it is ejected and carried away.
let pg: PgServer;
let home: string;
let disk: string;
let d1: string;
let d2: string;
let gone: string;

beforeAll(async () => {
  pg = await startPostgres();
  home = tempDir();
  disk = tempDir();
  const root = tempDir();
  d1 = path.join(root, 'disk-monday');
  d2 = path.join(root, 'disk-tuesday');
  gone = path.join(root, 'unmounted-share');
  fs.mkdirSync(d1);
  fs.mkdirSync(d2);
  await pg.createDatabase('historian');
  await pg.query('historian', 'CREATE TABLE tags AS SELECT g AS id, md5(g::text) AS name FROM generate_series(1, 3000) g');
  await addPgSource(home, pg);
  const ok = async (args: string[]) => { const r = await runCli(home, args); expect(r.code, r.stderr).toBe(0); };
  await ok(['target', 'add', 'disk', '--kind', 'local', '--path', disk]);
  await ok(['target', 'add', 'rotation', '--kind', 'usb', '--option', 'set=offsite', '--option', `mounts=${d1},${d2}`]);
  await ok(['target', 'init-disk', 'offsite', '--path', d1, '--label', 'Monday']);
  await ok(['target', 'init-disk', 'offsite', '--path', d2, '--label', 'Tuesday']);
  await ok(['target', 'add', 'share', '--kind', 'local', '--path', gone]);
  await ok(['job', 'add', 'daily', '--source', 'pg', '--database', 'historian', '--target', 'disk', '--target', 'rotation', '--target', 'share']);
});
afterAll(async () => { await pg?.stop(); cleanupTemp(); });

async function status() {
  const r = await runCli(home, ['--json', 'status', '--database', 'historian']);
  expect(r.code, r.stderr).toBe(0);
  expect(r.json).toHaveLength(1);
  return r.json[0];
}

describe('a job with several targets', () => {
  let first: string;
  let secondPath: string;

  it('copies the set to each target, checks each copy, and one target failing fails no other', async () => {
    away(d2);
    const run = await runCli(home, ['--json', 'job', 'run', 'daily']);
    back(d2);
    // Not every copy was made: the run is partial (exit 1), and the set exists on the two that worked.
    expect(run.code).toBe(1);
    const r = run.json[0];
    expect(r.status).toBe('partial');
    first = r.setId;
    expect(r.copies.map((c: { targetName: string; ok: boolean }) => [c.targetName, c.ok])).toEqual([['disk', true], ['rotation', true], ['share', false]]);
    expect(r.copies[2].error.code).toBe('TARGET_MISSING');
    for (const c of r.copies.slice(0, 2)) expect(c.check.ok).toBe(true);
    expect(fs.existsSync(gone)).toBe(false);
    expect(filesUnder(disk).filter((f) => f.endsWith('MANIFEST.json'))).toHaveLength(1);
    expect(filesUnder(d1).filter((f) => f.endsWith('MANIFEST.json'))).toHaveLength(1);

    const sets = await runCli(home, ['--json', 'sets', 'list']);
    expect(sets.json.map((s: { id: string; copies: string[]; verified: string }) => [s.id, s.copies, s.verified])).toEqual([[first, ['disk', 'rotation'], 'passed']]);
  });

  it('reports two copies on two media, and no offline copy while the disk is plugged in', async () => {
    const s = await status();
    expect(s.rule).toMatchObject({ newestSet: { id: first }, copies: 2, media: ['a disk of this machine', 'removable disks'], offsite: [], offline: [], errors: [] });
    expect(s.rule.met).toEqual({ copies: true, media: true, offsite: false, offline: false, errors: true, all: false });
    const human = await runCli(home, ['status']);
    expect(human.stdout).toMatch(/pg\/historian\s+warning\s+partial .*\s2\s+2\s+none\s+none\s+0\s+passed .*2 missing/);
    expect(human.stdout).toContain('  - 1 offline: no copy is on a rotated disk taken off site (lifeboat target eject)');
  });

  it('after the Monday disk is ejected and carried away, its older set is the offline copy and the rule holds', async () => {
    const eject = await runCli(home, ['target', 'eject', 'rotation']);
    expect(eject.code, eject.stderr).toBe(0);
    expect(eject.stdout).toContain("disk 'Monday'");
    away(d1);
    const run = await runCli(home, ['--json', 'job', 'run', 'daily']);
    back(d1);
    expect(run.json[0].status).toBe('partial');
    const second = run.json[0].setId;
    secondPath = run.json[0].setPath;
    expect(filesUnder(d2).filter((f) => f.endsWith('MANIFEST.json'))).toHaveLength(1);

    const s = await status();
    expect(s.rule.newestSet.id).toBe(second);
    expect(s.rule.copies).toBe(2);
    expect(s.rule.offline).toEqual([expect.objectContaining({ setId: first, target: 'rotation', disk: 'Monday' })]);
    expect(s.rule.offsite).toEqual(s.rule.offline);
    expect(s.rule.met.all).toBe(true);
    const human = await runCli(home, ['status', '--database', 'historian']);
    expect(human.stdout).toMatch(/\s2\s+2\s+yes, \S+ \S+\s+yes, \S+ \S+\s+0\s+passed .*\bmet$/m);
  });

  it('a rotten copy found by verify is an error, and the rule no longer holds; a rotated copy is checked on its own disk, and not at all while that disk is away', async () => {
    const s0 = await status();
    const file = path.join(disk, secondPath, 'data.dump.zst');
    const bytes = fs.readFileSync(file);
    bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
    fs.writeFileSync(file, bytes);
    const v = await runCli(home, ['verify', s0.rule.newestSet.id]);
    expect(v.code).toBe(3);
    const s = await status();
    expect(s.rule.errors).toEqual([`set ${s0.rule.newestSet.id}: the copy on disk failed its SHA-256 check`]);
    expect(s.rule.met).toMatchObject({ errors: false, all: false });
    expect(s.rule.missing).toEqual(['0 errors: 1 check failed']);

    // With its disk away, the rotated copy is not judged at all: away is where a rotated disk should be.
    away(d2);
    const v2 = await runCli(home, ['verify', s0.rule.newestSet.id]);
    back(d2);
    expect(v2.code).toBe(3);
    expect(v2.stdout).toContain('copy on disk: MISMATCH');
    expect(v2.stdout).toContain("copy on rotation: AWAY — disk 'Tuesday', which holds this copy, is not plugged in (not checked)");
    expect((await status()).rule.errors).toEqual(s.rule.errors);
    // Nor does it fail a set whose other copy is good.
    away(d1);
    const v3 = await runCli(home, ['verify', first]);
    back(d1);
    expect(v3.code, v3.stdout).toBe(0);
    expect(v3.stdout).toContain(`${first} (historian): OK`);
    expect(v3.stdout).toContain("copy on rotation: AWAY — disk 'Monday', which holds this copy, is not plugged in (not checked)");
  });
});

describe('the engine check of a run', () => {
  it('stands for a copy that passed its SHA-256 check: when the first copy is damaged, it is made on the next one', async () => {
    const ctx = await openCore({ home: tempDir(), logger: nullLogger });
    const bad = tempDir();
    const good = tempDir();
    // A disk that loses the second half of each dump after it was written: its copy fails L1, and pg_restore
    // --list on it fails too (the compressed stream ends early), so an engine check on it would fail the run.
    const truncating: TargetDriver<{ path: string }> = {
      kind: 'truncating', describe: 'a disk that loses data', medium: 'a failing disk', removable: false,
      configSchema: z.object({ path: z.string() }),
      async open(config) {
        const t = new FolderTarget(config);
        const wrapped: Target = {
          kind: t.kind, location: t.location, capabilities: t.capabilities,
          put: async (name: string, data: Readable, opts?: { signal?: AbortSignal }) => {
            const r = await t.put(name, data, opts);
            if (name.endsWith('data.dump.zst')) fs.truncateSync(path.join(config.path, name), Math.floor(r.bytes / 2));
            return r;
          },
          get: (n, range) => t.get(n, range), stat: (n) => t.stat(n), list: (p) => t.list(p), remove: (n) => t.remove(n),
          hash: (n) => t.hash!(n), freeSpace: () => t.freeSpace!(), close: () => t.close(),
        };
        return wrapped;
      },
    };
    TARGET_DRIVERS.truncating = truncating;
    try {
      const src = ctx.catalog.sources.add({ name: 'pg', kind: 'postgres', config: { host: pg.host, port: pg.port, user: pg.user, maintenanceDb: 'postgres' }, secret: ctx.secrets.seal(pg.password) });
      const t1 = ctx.catalog.targets.add({ name: 'failing', kind: 'truncating', config: { path: bad } });
      const t2 = ctx.catalog.targets.add({ name: 'sound', kind: 'local', config: { path: good } });
      ctx.catalog.jobs.add({ name: 'j', sourceId: src.id, databases: ['historian'], targetIds: [t1.id, t2.id], options: { includeGlobals: false } });
      const [r] = await runJob(ctx, 'j', { trigger: 'manual' });
      expect(r!.status, r!.error?.message).toBe('partial');
      expect(r!.copies.map((c) => [c.targetName, c.ok, c.error?.code ?? null])).toEqual([['failing', false, 'VERIFY_MISMATCH'], ['sound', true, null]]);
      const set = ctx.catalog.sets.get(r!.setId!);
      expect(set.copies.map((c) => c.targetId)).toEqual([t2.id]);
      expect(ctx.catalog.verifications.latest(set.id, null, 2)?.result).toBe('passed');
      // The failing target keeps nothing of the set.
      expect(filesUnder(bad).filter((f) => !f.endsWith('REPO.json'))).toEqual([]);
    } finally {
      delete TARGET_DRIVERS.truncating;
      closeCore(ctx);
    }
  }, 60_000);
});
