import type { CoreContext } from '../context.ts';

/** Sign-in policy, configurable per site through settings; the defaults follow common GxP/HIPAA practice. */
export interface AuthPolicy {
  maxFailures: number;
  failureWindowMs: number;
  lockoutMs: number;
  idleMs: number;
  signatureMaxAgeMs: number;
  minPasswordLength: number;
}

const MINUTE = 60_000;

export function authPolicy(ctx: CoreContext): AuthPolicy {
  const n = (key: string, fallback: number) => {
    const v = Number(ctx.catalog.getSetting(key));
    return Number.isFinite(v) && v > 0 ? v : fallback;
  };
  return {
    maxFailures: n('auth.max_failures', 5),
    failureWindowMs: n('auth.failure_window_minutes', 15) * MINUTE,
    lockoutMs: n('auth.lockout_minutes', 30) * MINUTE,
    idleMs: n('auth.idle_minutes', 15) * MINUTE,
    signatureMaxAgeMs: n('esign.max_age_minutes', 15) * MINUTE,
    minPasswordLength: n('auth.min_password_length', 8),
  };
}
