import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { FolderTarget } from '../../src-main/core/targets/local/folder-target.ts';
import { withThrottle } from '../../src-main/core/targets/decorators/with-throttle.ts';
import { TokenBucket } from '../../src-main/core/targets/decorators/token-bucket.ts';
import { sha } from '../support/bytes.ts';

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-throttle-'));
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

describe('bandwidth cap (token bucket decorator)', () => {
  it('holds a put to the cap, and shares the cap between concurrent puts', async () => {
    const rate = 4 * 1024 * 1024;
    const t = withThrottle(new FolderTarget({ path: base }), { uploadBytesPerSecond: rate });
    const one = randomBytes(3 * 1024 * 1024);
    let t0 = performance.now();
    await t.put('one.bin', Readable.from([one]));
    const single = (performance.now() - t0) / 1000;
    // 3 MiB at 4 MiB/s with a 1 MiB burst: at least (3 - 1) / 4 = 0.5 s; far below an unthrottled disk's speed.
    expect(single).toBeGreaterThan(0.45);
    expect(single).toBeLessThan(3);
    expect(sha(fs.readFileSync(path.join(base, 'one.bin')))).toBe(sha(one));
    const a = randomBytes(2 * 1024 * 1024);
    const b = randomBytes(2 * 1024 * 1024);
    t0 = performance.now();
    await Promise.all([t.put('a.bin', Readable.from([a])), t.put('b.bin', Readable.from([b]))]);
    const both = (performance.now() - t0) / 1000;
    // Two puts of 2 MiB share 4 MiB/s: about 0.75 s together, not 0.25 s each in parallel.
    expect(both).toBeGreaterThan(0.7);
    expect(sha(fs.readFileSync(path.join(base, 'b.bin')))).toBe(sha(b));
  });

  it('caps downloads separately, and leaves an unlimited direction alone', async () => {
    const inner = new FolderTarget({ path: base });
    const body = randomBytes(2 * 1024 * 1024);
    await inner.put('dl.bin', Readable.from([body]));
    const t = withThrottle(inner, { downloadBytesPerSecond: 2 * 1024 * 1024 });
    let t0 = performance.now();
    await t.put('up.bin', Readable.from([body]));
    expect(performance.now() - t0).toBeLessThan(600);
    t0 = performance.now();
    const parts: Buffer[] = [];
    for await (const c of await t.get('dl.bin')) parts.push(c as Buffer);
    expect(performance.now() - t0).toBeGreaterThan(650);
    expect(sha(Buffer.concat(parts))).toBe(sha(body));
  });

  it('passes a source failure through, so the driver discards its temporary upload', async () => {
    const t = withThrottle(new FolderTarget({ path: base }), { uploadBytesPerSecond: 8 * 1024 * 1024 });
    let sent = 0;
    const src = new Readable({ read() { if (sent > 1024 * 1024) { this.destroy(new Error('dump died')); return; } sent += 65536; this.push(Buffer.alloc(65536)); } });
    await expect(t.put('broken/x.bin', src)).rejects.toThrow('dump died');
    expect(fs.existsSync(path.join(base, 'broken/x.bin'))).toBe(false);
    expect((fs.existsSync(path.join(base, 'broken')) ? fs.readdirSync(path.join(base, 'broken')) : []).filter((n) => n.endsWith('.partial'))).toEqual([]);
  });

  it('refills at the configured rate on a fake clock', async () => {
    let now = 0;
    const bucket = new TokenBucket(1000, 500, () => now);
    await bucket.take(500);
    let done = false;
    const p = bucket.take(300).then(() => { done = true; });
    await new Promise((r) => setTimeout(r, 20));
    expect(done).toBe(false);
    now = 300; // 0.3 s later: 300 tokens
    await p;
    expect(done).toBe(true);
    expect(() => new TokenBucket(0)).toThrow(RangeError);
  });
});

describe('per-target limits in a driver config', () => {
  it('reads rates with units from `--option` values and applies cap and retry outside the driver', async () => {
    const { z } = await import('zod');
    const { targetLimitsShape, decorateTarget } = await import('../../src-main/core/targets/decorators/target-limits.ts');
    const schema = z.object({ path: z.string(), ...targetLimitsShape });
    const parsed = schema.parse({ path: base, uploadBytesPerSecond: '2M', downloadBytesPerSecond: 1_000_000, retryAttempts: '2' });
    expect(parsed.uploadBytesPerSecond).toBe(2 * 1024 * 1024);
    expect(parsed.downloadBytesPerSecond).toBe(1_000_000);
    expect(parsed.retryAttempts).toBe(2);
    expect(() => schema.parse({ path: base, uploadBytesPerSecond: 'fast' })).toThrow(/a rate such as 10M/);
    const inner = new FolderTarget({ path: base });
    const t = decorateTarget(inner, parsed);
    expect(t.capabilities).toBe(inner.capabilities);
    const t0 = performance.now();
    await t.put('limited.bin', Readable.from([randomBytes(1536 * 1024)]));
    // 1.5 MiB at 2 MiB/s with a 512 KiB burst: at least 0.5 s.
    expect(performance.now() - t0).toBeGreaterThan(450);
  });
});
