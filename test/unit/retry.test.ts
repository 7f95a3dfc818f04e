import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { FolderTarget } from '../../src-main/core/targets/local/folder-target.ts';
import { withRetry } from '../../src-main/core/targets/decorators/with-retry.ts';
import { replayable } from '../../src-main/core/targets/decorators/replayable.ts';
import { LifeboatError, isLifeboatError } from '../../src-main/core/errors/lifeboat-error.ts';
import type { Target } from '../../src-main/core/targets/target.ts';

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-retry-'));
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

/** A real folder target whose first `failures` calls of each method fail with `code`. */
function flaky(failures: number, code: 'TARGET_UNREACHABLE' | 'TARGET_AUTH_FAILED'): { target: Target; calls: Record<string, number> } {
  const inner = new FolderTarget({ path: base });
  const calls: Record<string, number> = {};
  const gate = (op: string) => {
    calls[op] = (calls[op] ?? 0) + 1;
    if (calls[op]! <= failures) throw new LifeboatError(code, { verb: op, thing: 'object', where: base, cause: 'simulated' });
  };
  const target: Target = Object.assign(Object.create(inner) as Target, {
    put: async (n: string, d: Readable) => { gate('put'); return inner.put(n, d); },
    stat: async (n: string) => { gate('stat'); return inner.stat(n); },
  });
  return { target, calls };
}

describe('retry decorator', () => {
  it('retries retryable failures with growing delays, then succeeds', async () => {
    const { target, calls } = flaky(2, 'TARGET_UNREACHABLE');
    const delays: number[] = [];
    const t = withRetry(target, { attempts: 4, baseDelayMs: 100, maxDelayMs: 1000 }, { sleep: async (ms) => { delays.push(ms); } });
    await t.put('r/a.bin', replayable(() => Readable.from([Buffer.from('payload')])));
    expect(calls.put).toBe(3);
    expect(fs.readFileSync(path.join(base, 'r/a.bin'), 'utf8')).toBe('payload');
    expect(delays).toHaveLength(2);
    expect(delays[0]).toBeGreaterThanOrEqual(50);
    expect(delays[0]).toBeLessThanOrEqual(100);
    expect(delays[1]).toBeGreaterThanOrEqual(100);
    expect(delays[1]).toBeLessThanOrEqual(200);
  });

  it('gives up after the policy\'s attempts with the last error', async () => {
    const { target, calls } = flaky(10, 'TARGET_UNREACHABLE');
    const t = withRetry(target, { attempts: 3, baseDelayMs: 1, maxDelayMs: 1 });
    await expect(t.stat('r/a.bin')).rejects.toSatisfy((e: unknown) => isLifeboatError(e, 'TARGET_UNREACHABLE'));
    expect(calls.stat).toBe(3);
  });

  it('never retries what the error table marks final, nor a put whose stream cannot be replayed', async () => {
    const auth = flaky(1, 'TARGET_AUTH_FAILED');
    await expect(withRetry(auth.target, { attempts: 5, baseDelayMs: 1, maxDelayMs: 1 }).stat('x')).rejects.toSatisfy((e: unknown) => isLifeboatError(e, 'TARGET_AUTH_FAILED'));
    expect(auth.calls.stat).toBe(1);
    const net = flaky(1, 'TARGET_UNREACHABLE');
    await expect(withRetry(net.target, { attempts: 5, baseDelayMs: 1, maxDelayMs: 1 }).put('x', Readable.from([Buffer.from('once')]))).rejects.toSatisfy((e: unknown) => isLifeboatError(e, 'TARGET_UNREACHABLE'));
    expect(net.calls.put).toBe(1);
    expect(fs.existsSync(path.join(base, 'x'))).toBe(false);
  });
});
