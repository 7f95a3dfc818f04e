import dc from 'node:diagnostics_channel';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { execFileSync } from 'node:child_process';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { prepareProgramStore, storeProgramOutput, type ProgramSpec } from '../../src-main/core/pipeline/store-program.ts';
import { loadPipeline } from '../../src-main/core/pipeline/store-pipeline.ts';
import { collect, sha } from '../support/bytes.ts';

// A program's output stored through the relay thread (named pipes between the program, the thread and the
// zstd program): what is stored must be exactly what the program wrote, a failure anywhere must fail the
// digest and never end the stream cleanly, and nothing may be left running or open.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-program-'));
const realZstd = execFileSync('sh', ['-c', 'command -v zstd'], { encoding: 'utf8' }).trim();
const opts = { compression: 'zstd' as const, compressionLevel: 3, encryption: { mode: 'passphrase' as const, passphrase: 'pw', scryptLogN: 10 } };

// 12 MB of half text, half random: larger than any pipe or chunk, so every buffer boundary is crossed.
const rawFile = path.join(dir, 'raw.bin');
execFileSync('sh', ['-c', `for i in $(seq 1 48); do head -c 131072 /dev/urandom; seq 1 20000 | sed 's/$/;PLANT.LINE4.TT24;12.5;good/' | head -c 131072; done > ${rawFile}`]);
const raw = fs.readFileSync(rawFile);

const program = (script: string, largeWrites = true): ProgramSpec => ({ file: '/bin/sh', args: ['-c', script], toolName: 'pg_dump', largeWrites });

function zstdWrapper(name: string, body: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `#!/bin/sh\nif [ "$1" = -V ]; then exec ${realZstd} -V; fi\n${body}\n`, { mode: 0o755 });
  return file;
}


const openFds = () => fs.readdirSync('/proc/self/fd').length;
const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };

const saved = process.env.LIFEBOAT_ZSTD;
afterEach(() => { if (saved === undefined) delete process.env.LIFEBOAT_ZSTD; else process.env.LIFEBOAT_ZSTD = saved; });
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('storing a program\'s output', () => {
  it('stores exactly what the program wrote, hashed before and after, again and again without leaking a descriptor', async () => {
    // Counted from after the first run, which starts the relay thread that later runs reuse.
    let afterFirst = 0;
    for (let i = 0; i < 3; i++) {
      if (i === 1) afterFirst = openFds();
      const work = fs.mkdtempSync(path.join(dir, 'work-'));
      const { stream, done } = await storeProgramOutput(program(`cat ${rawFile}`), opts, work);
      const stored = await collect(stream);
      const d = await done;
      expect(d).toEqual({ rawBytes: raw.length, rawSha256: sha(raw), bytes: stored.length, sha256: sha(stored) });
      expect(stored.length).toBeLessThan(raw.length);
      const { stream: back } = await loadPipeline(Readable.from([stored]), { compression: 'zstd', encryption: 'age', rawSha256: d.rawSha256 }, { passphrase: 'pw' }, 'x');
      expect((await collect(back)).equals(raw)).toBe(true);
      // The pipes' names are gone as soon as every end is open.
      expect(fs.readdirSync(work)).toEqual([]);
    }
    await new Promise((r) => setTimeout(r, 50));
    expect(openFds()).toBe(afterFirst);
  });

  it('fails with the program\'s own error when it exits non-zero after writing part of its output', async () => {
    const { stream, done } = await storeProgramOutput(program(`head -c 5000000 ${rawFile}; echo 'pg_dump: error: query failed: no connection' >&2; exit 1`), opts, dir);
    await expect(Promise.all([collect(stream), done])).rejects.toMatchObject({ name: 'ToolExitError', tool: 'pg_dump', message: expect.stringMatching(/pg_dump exited with code 1: .*query failed/) });
  });

  it('blames the compressor, not the program it starved, when zstd fails', async () => {
    process.env.LIFEBOAT_ZSTD = zstdWrapper('zstd-dies', 'head -c 100000 > /dev/null; echo "zstd: out of memory" >&2; exit 1');
    const { stream, done } = await storeProgramOutput(program(`cat ${rawFile}; cat ${rawFile}`), opts, dir);
    await expect(Promise.all([collect(stream), done])).rejects.toMatchObject({ tool: 'zstd', message: expect.stringMatching(/out of memory/) });
  });

  it('fails when zstd exits 0 before reading all of its input', async () => {
    process.env.LIFEBOAT_ZSTD = zstdWrapper('zstd-quits', `head -c 100000 | ${realZstd} -q -c; exit 0`);
    const { stream, done } = await storeProgramOutput(program(`cat ${rawFile}`), opts, dir);
    await expect(Promise.all([collect(stream), done])).rejects.toThrow(/relay between the program and the compressor failed: .*EPIPE|broken pipe/i);
  });

  it('kills the program when the consumer gives up', async () => {
    const pidFile = path.join(dir, 'endless.pid');
    const { stream, done } = await storeProgramOutput(program(`echo $$ > ${pidFile}; exec cat /dev/urandom`), opts, dir);
    let seen = 0;
    await new Promise<void>((resolve) => stream.on('data', (c: Buffer) => { seen += c.length; if (seen > 1_000_000) { stream.destroy(new Error('target full')); resolve(); } }));
    await expect(done).rejects.toThrow();
    const pid = Number(fs.readFileSync(pidFile, 'utf8'));
    for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 20));
    expect(alive(pid)).toBe(false);
  });

  it('reports a program that cannot start', async () => {
    const { stream, done } = await storeProgramOutput({ file: path.join(dir, 'no-such-pg_dump'), args: [], toolName: 'pg_dump', largeWrites: true }, opts, dir);
    // Directly, spawn fails with ENOENT; under stdbuf, stdbuf exits 127 saying so: either way the file is named.
    await expect(Promise.all([collect(stream), done])).rejects.toThrow(/no-such-pg_dump.*(ENOENT|No such file)|ENOENT.*no-such-pg_dump/);
  });

  it('streams a small output (pg_dumpall\'s roles) through this process, with the same digests', async () => {
    const roles = Buffer.from('CREATE ROLE plant_operator;\n'.repeat(40));
    fs.writeFileSync(path.join(dir, 'roles.sql'), roles);
    const { stream, done } = await storeProgramOutput(program(`cat ${path.join(dir, 'roles.sql')}`, false), opts, dir);
    const stored = await collect(stream);
    expect(await done).toEqual({ rawBytes: roles.length, rawSha256: sha(roles), bytes: stored.length, sha256: sha(stored) });
  });

  it('readies a pair of named pipes for a run ahead of its dump, uses it for the first large output and leaves nothing behind', async () => {
    const until = async (ok: () => boolean) => { for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 25)); };
    const work = fs.mkdtempSync(path.join(dir, 'run-'));
    const programs = prepareProgramStore(work);
    await until(() => fs.readdirSync(work).length === 1 && fs.readdirSync(path.join(work, fs.readdirSync(work)[0]!)).length === 2);
    const [readied] = fs.readdirSync(work);
    expect(readied).toMatch(/^relay-/);
    expect(['in', 'out'].map((n) => fs.statSync(path.join(work, readied!, n)).isFIFO())).toEqual([true, true]);

    // The small output streams and leaves the pair alone; the large one takes it; a second large one makes its own.
    const roles = await programs.store(program(`cat ${rawFile}`, false), opts);
    await collect(roles.stream);
    await roles.done;
    expect(fs.readdirSync(work)).toEqual([readied]);
    for (let i = 0; i < 2; i++) {
      const { stream, done } = await programs.store(program(`cat ${rawFile}`), opts);
      await collect(stream);
      expect((await done).rawSha256).toBe(sha(raw));
      expect(fs.readdirSync(work)).toEqual([]);
    }
    programs.close();

    // A run that never dumps (it failed while connecting) loses the readied pair on close.
    const failedRun = fs.mkdtempSync(path.join(dir, 'run-'));
    const unused = prepareProgramStore(failedRun);
    await until(() => fs.readdirSync(failedRun).length === 1);
    unused.close();
    await until(() => fs.readdirSync(failedRun).length === 0);
    expect(fs.readdirSync(failedRun)).toEqual([]);

    // An engine that hands over files readies nothing.
    const filesRun = fs.mkdtempSync(path.join(dir, 'run-'));
    prepareProgramStore(filesRun, { warm: false }).close();
    await new Promise((r) => setTimeout(r, 100));
    expect(fs.readdirSync(filesRun)).toEqual([]);
  });

  it('starts a run\'s large output before a small one asked for just after it, and compresses the small one without the zstd program', async () => {
    // Node announces every process start on this channel, in the order they happen (arguments set just after).
    const children: Array<{ spawnargs: string[] }> = [];
    const onSpawn = (m: unknown) => children.push((m as { process: { spawnargs: string[] } }).process);
    dc.subscribe('child_process', onSpawn);
    try {
      const work = fs.mkdtempSync(path.join(dir, 'run-'));
      const programs = prepareProgramStore(work);
      // As the engine does: the dump first, then the roles, without waiting in between.
      const dump = programs.store(program(`cat ${rawFile} #dump`), opts);
      const roles = programs.store(program('echo "CREATE ROLE plant_operator;" #roles', false), opts);
      const [d, r] = await Promise.all([dump, roles]);
      await Promise.all([collect(d.stream), collect(r.stream)]);
      expect((await d.done).rawSha256).toBe(sha(raw));
      expect((await r.done).rawSha256).toBe(sha(Buffer.from('CREATE ROLE plant_operator;\n')));
      programs.close();
      const started = children.map((c) => c.spawnargs.join(' '));
      const at = (tag: string) => started.findIndex((a) => a.includes(tag));
      expect(at('#dump')).toBeGreaterThanOrEqual(0);
      expect(at('#roles')).toBeGreaterThan(at('#dump'));
      // One compressor process: the dump's. The roles were compressed in this process.
      expect(started.filter((a) => / -T\d+ /.test(a) && a.includes('zstd'))).toHaveLength(1);
    } finally {
      dc.unsubscribe('child_process', onSpawn);
    }
  });

  it('gives the same digests without the zstd program (streamed through this process)', async () => {
    process.env.LIFEBOAT_ZSTD = 'none';
    const { stream, done } = await storeProgramOutput(program(`cat ${rawFile}`), opts, dir);
    const stored = await collect(stream);
    const d = await done;
    expect(d.rawSha256).toBe(sha(raw));
    expect(d.sha256).toBe(sha(stored));
    const failing = await storeProgramOutput(program(`head -c 1000 ${rawFile}; exit 3`), opts, dir);
    await expect(Promise.all([collect(failing.stream), failing.done])).rejects.toMatchObject({ tool: 'pg_dump', code: 3 });
  });
});
