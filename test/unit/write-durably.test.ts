import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { writeDurably } from '../../src-main/core/targets/local/write-durably.ts';

const MiB = 1024 * 1024;
let dir: string;
let handleProto: { datasync(): Promise<void>; sync(): Promise<void> };

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lb-durable-'));
  const probe = await fsp.open(path.join(dir, 'probe'), 'w');
  handleProto = Object.getPrototypeOf(probe);
  await probe.close();
});
afterEach(() => {
  vi.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** `n` chunks of 256 KiB, each filled with its own index, so a reordered or lost chunk changes the file. */
function chunks(n: number): Buffer[] {
  return Array.from({ length: n }, (_, i) => Buffer.alloc(256 * 1024, i % 251));
}

const openFds = () => fs.readdirSync('/proc/self/fd').length;

describe('writeDurably', () => {
  it('writes every byte in order, flushes in the background as it goes, and syncs once at the end', async () => {
    const datasync = vi.spyOn(handleProto, 'datasync');
    const sync = vi.spyOn(handleProto, 'sync');
    const data = chunks(40); // 10 MiB
    const file = path.join(dir, 'a.bin');
    const bytes = await writeDurably(file, Readable.from(data), { flushEvery: 2 * MiB });
    expect(bytes).toBe(10 * MiB);
    expect(fs.readFileSync(file).equals(Buffer.concat(data))).toBe(true);
    // One flush per 2 MiB at most; at least one, else the closing fsync still does all the work.
    expect(datasync.mock.calls.length).toBeGreaterThanOrEqual(1);
    expect(datasync.mock.calls.length).toBeLessThanOrEqual(5);
    expect(sync).toHaveBeenCalledTimes(1);
  });

  it('does not flush a file smaller than one interval', async () => {
    const datasync = vi.spyOn(handleProto, 'datasync');
    await writeDurably(path.join(dir, 'small.bin'), Readable.from(chunks(3)), { flushEvery: 2 * MiB });
    expect(datasync).not.toHaveBeenCalled();
  });

  it('fails the write when a background flush fails, and closes its descriptor', async () => {
    vi.spyOn(handleProto, 'datasync').mockRejectedValue(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO', syscall: 'fdatasync' }));
    const before = openFds();
    const source = Readable.from(chunks(40));
    await expect(writeDurably(path.join(dir, 'b.bin'), source, { flushEvery: MiB })).rejects.toMatchObject({ code: 'EIO' });
    expect(source.destroyed).toBe(true);
    expect(openFds()).toBe(before);
  });

  it('refuses a file that exists, leaves it untouched and ends the source', async () => {
    const file = path.join(dir, 'c.bin');
    fs.writeFileSync(file, 'kept');
    const source = Readable.from(chunks(2));
    await expect(writeDurably(file, source)).rejects.toMatchObject({ code: 'EEXIST' });
    expect(source.destroyed).toBe(true);
    expect(fs.readFileSync(file, 'utf8')).toBe('kept');
  });

  it('passes on the source\'s failure after what it had written', async () => {
    const before = openFds();
    async function* failing() { yield* chunks(8); throw new Error('pg_dump ended with exit code 1'); }
    await expect(writeDurably(path.join(dir, 'd.bin'), Readable.from(failing()), { flushEvery: MiB })).rejects.toThrow('pg_dump ended');
    expect(openFds()).toBe(before);
  });
});
