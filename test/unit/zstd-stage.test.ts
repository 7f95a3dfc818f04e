import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { storePipeline, loadPipeline } from '../../src-main/core/pipeline/store-pipeline.ts';
import { findZstd } from '../../src-main/core/pipeline/zstd-tool.ts';
import { collect, sha } from '../support/bytes.ts';

// The zstd program is the compression stage when the machine has one; these tests drive it through small
// wrappers (named by LIFEBOAT_ZSTD) that record how it was called or misbehave on purpose.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-zstd-'));
const realZstd = execFileSync('sh', ['-c', 'command -v zstd'], { encoding: 'utf8' }).trim();

function wrapper(name: string, body: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `#!/bin/sh\nif [ "$1" = -V ]; then exec ${realZstd} -V; fi\necho $$ > ${file}.pid\n${body}\n`, { mode: 0o755 });
  return file;
}


// 8 MiB: random blocks between runs of text, so the output is neither incompressible nor trivial.
const raw = Buffer.concat(Array.from({ length: 64 }, (_, i) => (i % 2 ? randomBytes(65536) : Buffer.from(`row ${i};tag.${i % 7};12.5;good\n`.repeat(2048).slice(0, 65536 * 3)))));

const saved = process.env.LIFEBOAT_ZSTD;
afterEach(() => { if (saved === undefined) delete process.env.LIFEBOAT_ZSTD; else process.env.LIFEBOAT_ZSTD = saved; });
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('zstd compression stage', () => {
  it('uses the zstd program, multi-threaded, and its output loads back in-process and with `zstd -d`', async () => {
    const calls = path.join(dir, 'calls');
    process.env.LIFEBOAT_ZSTD = wrapper('recording', `echo "$@" >> ${calls}\nexec ${realZstd} "$@"`);
    expect((await findZstd())?.file).toBe(process.env.LIFEBOAT_ZSTD);
    const { stream, done } = await storePipeline(Readable.from(chunks(raw)), { compression: 'zstd', compressionLevel: 3, encryption: { mode: 'passphrase', passphrase: 'pw', scryptLogN: 10 } });
    const stored = await collect(stream);
    const d = await done;
    expect(fs.readFileSync(calls, 'utf8').trim()).toMatch(/^-3 -T[12] -q -c$/);
    expect(d.rawSha256).toBe(sha(raw));
    expect(d.sha256).toBe(sha(stored));
    const { stream: back } = await loadPipeline(Readable.from([stored]), { compression: 'zstd', encryption: 'age', rawSha256: d.rawSha256 }, { passphrase: 'pw' }, 'x');
    expect((await collect(back)).equals(raw)).toBe(true);
    const plain = await storePipeline(Readable.from(chunks(raw)), { compression: 'zstd', compressionLevel: 3, encryption: { mode: 'none' } });
    const zst = await collect(plain.stream);
    await plain.done;
    expect(sha(execFileSync(realZstd, ['-d', '-c', '-q'], { input: zst, maxBuffer: 64 * 1024 * 1024 }))).toBe(sha(raw));
  });

  it('compresses in-process when told not to use the program, with the same result', async () => {
    process.env.LIFEBOAT_ZSTD = 'none';
    expect(await findZstd()).toBeNull();
    const { stream, done } = await storePipeline(Readable.from(chunks(raw)), { compression: 'zstd', compressionLevel: 3, encryption: { mode: 'none' } });
    const stored = await collect(stream);
    await done;
    expect(sha(execFileSync(realZstd, ['-d', '-c', '-q'], { input: stored, maxBuffer: 64 * 1024 * 1024 }))).toBe(sha(raw));
  });

  it('fails the set when the program exits non-zero, naming it and its message', async () => {
    process.env.LIFEBOAT_ZSTD = wrapper('failing', `head -c 100000 > /dev/null\necho 'zstd: error 70 : Write error : No space left' >&2\nexit 1`);
    const { stream, done } = await storePipeline(Readable.from(chunks(raw)), { compression: 'zstd', compressionLevel: 3, encryption: { mode: 'none' } });
    await expect(Promise.all([collect(stream), done])).rejects.toThrow(/zstd exited with code 1: zstd: error 70 : Write error : No space left/);
  });

  it('never takes output for part of the input as whole when the program exits 0 early', async () => {
    process.env.LIFEBOAT_ZSTD = wrapper('quitter', `head -c 100000 | ${realZstd} -q -c\nexit 0`);
    const { stream, done } = await storePipeline(Readable.from(chunks(raw)), { compression: 'zstd', compressionLevel: 3, encryption: { mode: 'none' } });
    await expect(Promise.all([collect(stream), done])).rejects.toThrow(/zstd exited with code 0: stopped before the end of its input/);
  });

  it('kills the program when the source breaks off', async () => {
    const file = wrapper('slow', `exec ${realZstd} "$@"`);
    process.env.LIFEBOAT_ZSTD = file;
    let sent = 0;
    const broken = new Readable({ read() { sent++; if (sent < 20) this.push(randomBytes(65536)); else this.destroy(new Error('pg_dump exited with code 1')); } });
    const { stream, done } = await storePipeline(broken, { compression: 'zstd', compressionLevel: 3, encryption: { mode: 'none' } });
    await expect(Promise.all([collect(stream), done])).rejects.toThrow(/pg_dump exited with code 1/);
    const pid = Number(fs.readFileSync(`${file}.pid`, 'utf8'));
    await expect.poll(() => alive(pid), { timeout: 5000 }).toBe(false);
  });
});

function chunks(b: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let o = 0; o < b.length; o += 65536) out.push(b.subarray(o, o + 65536));
  return out;
}

function alive(pid: number): boolean {
  try {
    // A zombie still answers kill 0; its state letter says it is gone.
    return !/^\S+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
