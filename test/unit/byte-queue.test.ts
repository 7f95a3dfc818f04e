import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ByteQueue } from '../../src-main/core/pipeline/byte-queue.ts';

describe('byte queue', () => {
  it('gives back the bytes in order, in any piece sizes, across chunk boundaries', () => {
    const data = randomBytes(200_000);
    const q = new ByteQueue();
    const cuts = [0, 1, 7, 4096, 4097, 65_535, 65_536, 70_000, 130_000, 200_000];
    for (let i = 1; i < cuts.length; i++) q.push(data.subarray(cuts[i - 1], cuts[i]));
    const out: Buffer[] = [];
    for (const n of [3, 65_536, 1, 65_536, 60_000]) out.push(q.take(n));
    expect(q.length).toBe(200_000 - 3 - 65_536 - 1 - 65_536 - 60_000);
    out.push(q.take(q.length));
    expect(Buffer.concat(out).equals(data)).toBe(true);
    expect(q.length).toBe(0);
  });

  it('returns a piece inside one chunk as a view of it, without copying', () => {
    const chunk = Buffer.from('0123456789');
    const q = new ByteQueue();
    q.push(chunk);
    const piece = q.take(4);
    chunk[0] = 0x41;
    expect(piece.toString()).toBe('A123');
  });

  it('peeks without consuming, and refuses to take more than it holds', () => {
    const q = new ByteQueue();
    q.push(Buffer.from('age-encryption'));
    q.push(Buffer.from('.org/v1\n'));
    expect(q.peek(21).toString()).toBe('age-encryption.org/v1');
    expect(q.length).toBe(22);
    expect(q.take(22).toString()).toBe('age-encryption.org/v1\n');
    expect(() => q.take(1)).toThrow(RangeError);
  });
});
