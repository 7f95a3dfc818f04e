import type { Readable } from 'node:stream';
import { isLifeboatError } from '../../errors/lifeboat-error.ts';
import type { ObjectInfo, PutResult, Target } from '../target.ts';
import { replayable, replayOf } from './replayable.ts';

export interface RetryPolicy {
  /** Total tries, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 2000, maxDelayMs: 60_000 };

export interface RetryHooks {
  onRetry?: (info: { op: string; name?: string; attempt: number; delayMs: number; error: unknown }) => void;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Retries what the error table marks retryable (a dropped link, a busy server), with exponential backoff
 * and jitter; anything else (auth, host key, full, not found) fails at once. A put is retried only when its
 * stream is replayable; each try is atomic in the driver, so a failed try leaves no object behind.
 */
export function withRetry(inner: Target, policy: RetryPolicy = DEFAULT_RETRY, hooks: RetryHooks = {}): Target {
  const sleep = hooks.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const attempt = async <T>(op: string, name: string | undefined, fn: (n: number) => Promise<T>, canRetry: () => boolean = () => true): Promise<T> => {
    for (let n = 1; ; n++) {
      try {
        return await fn(n);
      } catch (err) {
        if (n >= policy.attempts || !isLifeboatError(err) || !err.retryable || !canRetry()) throw err;
        const delayMs = Math.round(Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (n - 1)) * (0.5 + Math.random() / 2));
        hooks.onRetry?.({ op, ...(name !== undefined ? { name } : {}), attempt: n, delayMs, error: err });
        await sleep(delayMs);
      }
    }
  };
  // Delegating by prototype keeps what a driver adds beyond the seam (a rotated disk's identity) visible.
  const wrapped: Target = Object.assign(Object.create(inner) as Target, {
    put(name: string, data: Readable, opts?: { signal?: AbortSignal }): Promise<PutResult> {
      const factory = replayOf(data);
      return attempt('put', name, (n) => inner.put(name, n === 1 || !factory ? data : replayable(factory), opts),
        () => factory !== undefined && !opts?.signal?.aborted);
    },
    get: (name, range) => attempt('get', name, () => inner.get(name, range)),
    stat: (name): Promise<ObjectInfo> => attempt('stat', name, () => inner.stat(name)),
    list: (prefix) => attempt('list', prefix, () => inner.list(prefix)),
    remove: (name) => attempt('remove', name, () => inner.remove(name)),
    close: () => inner.close(),
  } satisfies Pick<Target, 'put' | 'get' | 'stat' | 'list' | 'remove' | 'close'>);
  if (inner.hash) wrapped.hash = (name) => attempt('hash', name, () => inner.hash!(name));
  if (inner.freeSpace) wrapped.freeSpace = () => attempt('freeSpace', undefined, () => inner.freeSpace!());
  return wrapped;
}
