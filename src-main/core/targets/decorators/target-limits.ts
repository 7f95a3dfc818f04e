import { z } from 'zod';
import type { Target } from '../target.ts';
import { withRetry, DEFAULT_RETRY } from './with-retry.ts';
import { withThrottle } from './with-throttle.ts';

const UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** "10M", "512k", "1.5G" (per second, binary units) or a plain byte count. */
const rate = z.union([
  z.number().int().positive(),
  z.string().regex(/^\d+(\.\d+)?\s*[kKmMgG]?(i?B)?(\/s)?$/, 'a rate such as 10M, 512k or 1048576 (bytes per second)')
    .transform((s) => { const m = /^(\d+(?:\.\d+)?)\s*([kKmMgG]?)/.exec(s)!; return Math.round(Number(m[1]) * UNITS[m[2]!.toLowerCase()]!); }),
]);

/**
 * Settings every driver accepts (spread into its config schema), applied outside the driver by
 * decorateTarget: a bandwidth cap per target and the retry count.
 */
export const targetLimitsShape = {
  uploadBytesPerSecond: rate.optional(),
  downloadBytesPerSecond: rate.optional(),
  retryAttempts: z.coerce.number().int().min(1).max(20).optional(),
};

export interface TargetLimits {
  uploadBytesPerSecond?: number | undefined;
  downloadBytesPerSecond?: number | undefined;
  retryAttempts?: number | undefined;
}

/** Retry outermost, so each try goes through the cap again with a fresh copy of a replayable stream. */
export function decorateTarget(target: Target, limits: TargetLimits): Target {
  const capped = limits.uploadBytesPerSecond || limits.downloadBytesPerSecond
    ? withThrottle(target, { uploadBytesPerSecond: limits.uploadBytesPerSecond, downloadBytesPerSecond: limits.downloadBytesPerSecond })
    : target;
  return withRetry(capped, { ...DEFAULT_RETRY, attempts: limits.retryAttempts ?? DEFAULT_RETRY.attempts });
}
