import { z } from 'zod';
import { LifeboatError } from '../errors/lifeboat-error.ts';

const count = z.coerce.number().int().min(0).max(100_000);

/**
 * Retention per target: keep the last N restore points plus the newest one of each of the last D days,
 * W ISO weeks, M months and Y years that have one (periods in UTC, counted like restic's --keep-*).
 */
export const RetentionPolicySchema = z.object({
  keepLast: count.default(7),
  daily: count.default(14),
  weekly: count.default(8),
  monthly: count.default(12),
  yearly: count.default(3),
  /** Set folders without MANIFEST.json older than this are interrupted uploads and are removed. */
  incompleteAfterHours: z.coerce.number().min(1).max(24 * 365).default(24),
});

export type RetentionPolicy = z.infer<typeof RetentionPolicySchema>;

export function parseRetentionPolicy(value: unknown, where: string): RetentionPolicy {
  const r = RetentionPolicySchema.safeParse(value ?? {});
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new LifeboatError('CONFIG_INVALID', { verb: 'use', thing: 'retention policy', where, cause: `${i.path.map(String).join('.') || '(policy)'}: ${i.message}` });
  }
  return r.data;
}
